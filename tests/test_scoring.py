"""Scores built from items: hand-made frames with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ipsreport.analysis.scoring import MASTERY_RANGE, mastery_index, meaning_index, score_surveys, who5_band, who5_score
from ipsreport.analysis.spec import TERM_NAMES, regression_frame


def _frame(rows, cols):
    return pd.DataFrame(rows, columns=cols).astype("Int64")


def test_who5_score_is_sum_times_four_and_missing_item_gives_no_score():
    cols = [f"who5_{i}" for i in range(1, 6)]
    df = _frame([[5, 5, 5, 5, 5], [0, 0, 0, 0, 0], [3, 2, 4, 1, 2], [3, None, 4, 1, 2]], cols)
    got = who5_score(df)
    assert got.tolist()[:3] == [100, 0, 48]
    assert pd.isna(got.iloc[3])


@pytest.mark.parametrize("score,band", [(0, 1), (35, 1), (36, 2), (50, 2), (52, 3), (100, 3)])
def test_who5_band_edges(score, band):
    assert who5_band(pd.Series([score], dtype="Float64")).iloc[0] == band


def test_who5_band_keeps_missing():
    assert pd.isna(who5_band(pd.Series([pd.NA], dtype="Float64")).iloc[0])


def test_mastery_index_range_and_missing():
    df = _frame([[1, 1, 1], [4, 4, 4], [2, 3, None]], ["mastery_1", "mastery_2", "mastery_3"])
    got = mastery_index(df)
    assert got.iloc[0] == MASTERY_RANGE[0] and got.iloc[1] == MASTERY_RANGE[1]
    assert pd.isna(got.iloc[2])


def test_meaning_index_reverses_and_averages():
    df = _frame([[1, 1], [5, 5], [1, 4], [2, None]], ["meaning_everyday", "meaning_social"])
    got = meaning_index(df)
    assert got.iloc[:3].tolist() == [5.0, 1.0, 3.5]
    assert pd.isna(got.iloc[3])


def test_regression_frame_codes_terms_and_keeps_finished_complete_cases():
    base = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "education": [2, 3, 1],
            "age": [20, 25, 18],
            "gender": [2, 1, 3],
            "work_experience": [1, 0, 1],
            "work_experience_years": [3.5, None, None],
            **{f"who5_{i}": [2, 3, 1] for i in range(1, 6)},
            **{f"mastery_{i}": [2, 2, 2] for i in range(1, 4)},  # scored by the derive step, unused by Table 9
        }
    )
    fu = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "still_enrolled": [0, 0, 1],
            "in_job_education": [1, 0, None],
            "duration": [4, 7, 2],
            "meaning_everyday": [1, 3, 2],
            "meaning_social": [2, 5, 2],
            "mastery_1": [3, 2, 2],
            "mastery_2": [3, 2, 2],
            "mastery_3": [4, 2, 2],
            "loneliness": [2, 4, 3],
            "burden": [3, 4, 2],
            **{f"who5_{i}": [3, 3, 1] for i in range(1, 6)},
        }
    )
    out = regression_frame(base, fu, score_surveys(base, fu))
    assert list(out.index) == ["a", "b"]
    assert list(out.columns) == ["in_job_education", *TERM_NAMES]
    a = out.loc["a"]
    assert (a.gender, a.work_experience, a.meaning, a.mastery, a.who5_change) == (1.0, 3.5, 4.5, 10.0, 20.0)
    b = out.loc["b"]
    assert (b.gender, b.work_experience, b.meaning, b.who5_change) == (0.0, 0.0, 2.0, 0.0)
    assert np.issubdtype(out.dtypes.iloc[0], np.floating)
