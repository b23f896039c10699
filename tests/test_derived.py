"""ipsreport.analysis.derived: the derived variables on hand-made frames with known answers,
and the summaries, the audit and the generator computing them through it."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from ipsreport.analysis.scoring import edition_scores, score_surveys
from ipsreport.analysis import audit, derived
from ipsreport.analysis.spec import REGRESSION_OUTCOME, TERM_NAMES, regression_frame
from ipsreport.analysis.summaries.pathways import summarise_exit, summarise_registry_counts
from ipsreport.analysis.summaries.target_group import summarise_duration_months

MONTH = 365.25 / 12


# --------------------------------------------------------------------------- months enrolled


def test_months_enrolled_counts_the_still_enrolled_to_the_evaluation_end():
    start = pd.Series(pd.to_datetime(["2024-05-01", "2024-05-01", None]), index=[7, 8, 9])
    end = pd.Series(pd.to_datetime(["2024-11-01", None, None]), index=[7, 8, 9])
    months = derived.months_enrolled(start, end, dt.date(2025, 5, 1))
    assert list(months.index) == [7, 8, 9]
    assert months.iloc[0] == pytest.approx(184 / MONTH)  # 1 May to 1 November
    assert months.iloc[1] == pytest.approx(365 / MONTH)  # to the evaluation end
    assert math.isnan(months.iloc[2])  # no start date, no duration


@pytest.mark.parametrize(
    ("months", "code"),
    [(0.0, 1), (1.99, 1), (2.0, 2), (3.99, 2), (4.0, 3), (7.5, 4), (9.0, 5), (11.99, 6), (12.0, 7), (30.0, 7)],
)
def test_duration_code_boundaries(months, code):
    assert derived.duration_code(months) == code


# --------------------------------------------------------------------------- exit codes


def test_success_and_finished_on_series_and_arrays():
    codes = [1, 2, 3, 4, 5, None]
    series = pd.Series(codes, dtype="Int64")
    assert derived.is_success(series).tolist() == [True, True, True, False, False, False]
    assert derived.is_finished(series).tolist() == [True, True, True, True, False, False]
    array = np.array([np.nan if c is None else c for c in codes], dtype=float)
    assert derived.is_success(array).tolist() == [True, True, True, False, False, False]
    assert derived.is_finished(array).tolist() == [True, True, True, True, False, False]


# --------------------------------------------------------------------------- meaning and Table 9


def test_meaning_score_reverses_and_averages():
    everyday = pd.Series([1, 5, 1, 2], dtype="Float64")
    social = pd.Series([1, 5, 4, None], dtype="Float64")
    got = derived.meaning_score(everyday, social)
    assert got.iloc[:3].tolist() == [5.0, 1.0, 3.5]
    assert pd.isna(got.iloc[3])
    assert derived.meaning_score(np.array([2.0]), np.array([3.0]))[0] == 3.5


def test_regression_terms_coding_and_order():
    nan = np.nan
    c = {
        "education": np.array([2.0, 3.0, 1.0]),
        "duration": np.array([4.0, 7.0, 2.0]),
        "age": np.array([20.0, 25.0, 18.0]),
        "gender": np.array([2.0, 1.0, nan]),
        "work_experience": np.array([1.0, 0.0, nan]),
        "work_experience_years": np.array([3.5, nan, nan]),
        "meaning": derived.meaning_score(np.array([1.0, 3.0, 2.0]), np.array([2.0, 5.0, 2.0])),
        "mastery_end": np.array([10.0, 6.0, 6.0]),
        "who5_start": np.array([40.0, 60.0, 20.0]),
        "who5_end": np.array([60.0, 60.0, nan]),
        "loneliness_end": np.array([2.0, 4.0, 3.0]),
        "burden_end": np.array([3.0, 4.0, 2.0]),
    }
    terms = derived.regression_terms(c)
    assert tuple(terms) == TERM_NAMES
    np.testing.assert_array_equal(terms["gender"], [1.0, 0.0, nan])  # woman = 1, missing stays missing
    np.testing.assert_array_equal(terms["work_experience"], [3.5, 0.0, nan])  # no experience = 0 years
    np.testing.assert_array_equal(terms["meaning"], [4.5, 2.0, 4.0])
    np.testing.assert_array_equal(terms["who5_change"], [20.0, 0.0, nan])
    np.testing.assert_array_equal(terms["mastery"], c["mastery_end"])


def test_regression_frame_drops_an_unanswered_work_experience():
    """A missing answer to work experience is missing (complete cases), not "no experience"."""
    items = {f"who5_{i}": [2, 2] for i in range(1, 6)}
    base = pd.DataFrame({"id": ["a", "b"], "education": [2, 2], "age": [20, 22], "gender": [1, 2],
                         "work_experience": pd.array([0, None], dtype="Int64"),
                         "work_experience_years": pd.array([None, None], dtype="Float64"), **items,
                         **{f"mastery_{i}": [3, 3] for i in range(1, 4)}})
    fu = pd.DataFrame({"id": ["a", "b"], "still_enrolled": [0, 0], "in_job_education": [1, 0], "duration": [3, 3],
                       "meaning_everyday": [2, 2], "meaning_social": [2, 2], "loneliness": [2, 2], "burden": [2, 2],
                       **{f"mastery_{i}": [3, 3] for i in range(1, 4)}, **items})
    out = regression_frame(base, fu, score_surveys(base, fu))
    assert list(out.index) == ["a"]
    assert out.loc["a", "work_experience"] == 0.0 and out.loc["a", REGRESSION_OUTCOME] == 1.0


# --------------------------------------------------------------------------- users of derived


@pytest.fixture
def registry_edition(make_edition):
    """Three finished (job, education, other) and one still enrolled; months worked out by hand."""
    registry = [
        {"id": "a", "start_date": "2024-01-01", "end_date": "2024-07-01", "exit_status": 1},  # 182 days
        {"id": "b", "start_date": "2024-03-01", "end_date": "2024-05-01", "exit_status": 4},  # 61 days
        {"id": "c", "start_date": "2024-11-01", "end_date": None, "exit_status": 5},  # 181 days to 1 May 2025
        {"id": "d", "start_date": "2024-02-01", "end_date": "2024-12-01", "exit_status": 3},  # 304 days
    ]
    return make_edition(registry=registry, evaluation_end="2025-05-01")


def test_summaries_and_audit_use_the_same_months(registry_edition):
    expected = (182 + 61 + 181 + 304) / 4 / MONTH
    row = summarise_duration_months(registry_edition).iloc[0]
    assert row["mean"] == pytest.approx(expected)
    assert row["mean_finished"] == pytest.approx((182 + 61 + 304) / 3 / MONTH)
    assert audit.compute_key(registry_edition, edition_scores(registry_edition), "registry.months_enrolled.mean") == pytest.approx(expected)


def test_summaries_and_audit_use_the_same_success_codes(registry_edition):
    counts = summarise_registry_counts(registry_edition)
    assert (counts.loc["finished", "n"], counts.loc["success", "n"]) == (3, 2)
    exits = summarise_exit(registry_edition)
    assert exits.loc[exits["success"], "code"].tolist() == [1, 2, 3]
    assert audit.compute_key(registry_edition, edition_scores(registry_edition), "registry.finished.n") == 3
    assert audit.compute_key(registry_edition, edition_scores(registry_edition), "registry.success.n") == 2
    assert audit.compute_key(registry_edition, edition_scores(registry_edition), "registry.success.pct") == pytest.approx(200 / 3)


def test_generator_and_audit_import_derived_not_each_other():
    import ast
    from pathlib import Path

    import ipsreport

    package = Path(ipsreport.__file__).parent
    tree = ast.parse((package / "analysis" / "audit.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m and m.startswith("ipsreport.synth") for m in imported)
    assert "ipsreport.analysis.derived" in imported
