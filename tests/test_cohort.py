"""The setting ``cohort``: which young people an edition covers (ipsreport.inputs.cohort)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsreport.inputs.cohort import cohort_masks, cohort_problems, period_bounds
from ipsreport.inputs.consistency import check_against_settings
from ipsreport.config.settings import get_settings

#: The implementation period 2023-03 .. 2025-02, read as days: 2023-03-01 .. 2025-02-28.
PERIOD = {"cohort": "period", "implementation_start": "2023-03-15", "implementation_end": "2025-02-10"}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("IPSREPORT_SETTINGS", raising=False)
    monkeypatch.delenv("IPSREPORT_DATA", raising=False)


def _frames(starts):
    ids = [f"U{i:03d}" for i in range(len(starts))]
    registry = pd.DataFrame({"id": pd.array(ids, dtype="string"),
                             "start_date": pd.to_datetime(pd.Series(starts, dtype="object"))})
    baseline = pd.DataFrame({"id": pd.array(ids[::-1], dtype="string")})
    followup = pd.DataFrame({"id": pd.array(ids[:2], dtype="string")})
    return {"registry": registry, "baseline": baseline, "followup": followup}


def test_period_bounds_are_whole_months():
    assert period_bounds(get_settings(PERIOD)) == (dt.date(2023, 3, 1), dt.date(2025, 2, 28))


def test_a_start_on_the_first_or_last_day_of_the_period_is_in_the_cohort_and_a_day_outside_is_not():
    starts = ["2023-02-28", "2023-03-01", "2025-02-28", "2025-03-01"]
    masks = cohort_masks(_frames(starts), get_settings(PERIOD))
    assert masks["registry"].tolist() == [False, True, True, False]
    # The questionnaires follow the registry by id (baseline is in reverse order, followup holds U000, U001).
    assert masks["baseline"].tolist() == [False, True, True, False]
    assert masks["followup"].tolist() == [False, True]


def test_cumulative_keeps_everyone():
    assert cohort_masks(_frames(["2010-01-01", "2030-01-01"]), get_settings({"cohort": "cumulative"})) is None


def test_default_is_cumulative_so_the_twin_renders_as_before():
    assert get_settings().cohort == "cumulative"


def test_a_period_nobody_started_in_is_refused_in_danish_naming_setting_value_and_period():
    settings = get_settings(PERIOD)
    (problem,) = check_against_settings(_frames(["2023-02-28", "2025-03-01"]), settings)
    assert problem.rule == "cohort"
    assert problem.column == "start_date"
    for words in ("cohort = period", "2023-03-01 til 2025-02-28", "implementation_start = 2023-03-15",
                  "fra 2023-02-28 til 2025-03-01", "cohort: cumulative"):
        assert words in problem.message


def test_one_person_on_the_last_day_is_enough():
    assert cohort_problems(_frames(["2025-02-28"])["registry"], "registry.csv", get_settings(PERIOD)) == []


def test_cumulative_is_never_refused():
    assert cohort_problems(_frames(["1999-01-01"])["registry"], "registry.csv", get_settings()) == []


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2028, 12, 31)))
def test_a_start_is_in_the_cohort_exactly_when_it_lies_in_the_period(day):
    settings = get_settings(PERIOD)
    first, last = period_bounds(settings)
    masks = cohort_masks(_frames([day.isoformat()]), settings)
    assert bool(masks["registry"][0]) is (first <= day <= last)


@pytest.mark.twin
def test_edition_applies_the_cohort_once_to_every_file_and_keeps_rows_pointing_at_the_source(ed):
    from ipsreport.inputs.edition import edition

    later = edition(ed.data_dir, get_settings({**PERIOD, "implementation_start": "2024-03-01"}))
    first = pd.Timestamp("2024-03-01")
    expected = ed.registry.loc[ed.registry["start_date"] >= first, "id"]
    assert later.registry["id"].tolist() == expected.tolist()
    assert set(later.baseline["id"]) == set(ed.baseline["id"]) & set(expected)
    assert set(later.followup["id"]) == set(ed.followup["id"]) & set(expected)
    # Source rows still name each person's row in the file.
    position = {pid: row for pid, row in zip(ed.followup["id"], ed.source_rows["followup"])}
    assert list(later.source_rows["followup"]) == [position[p] for p in later.followup["id"]]
    # The default (cumulative) keeps the twin whole.
    assert len(ed.registry) == len(edition(ed.data_dir, get_settings()).registry)
