"""Case timelines against the registry's dates (ipsreport.outputs.cases.registry_dates): one cohort, no contradictions."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cases import write_case  # tests/ is on sys.path under pytest

from ipsreport.outputs.cases import check_cases_against_registry, load_cases


def registry(*starts: str) -> pd.DataFrame:
    return pd.DataFrame({"start_date": pd.to_datetime(list(starts))})


def cases_starting(tmp_path, date) -> dict:
    write_case(tmp_path, timeline=[{"date": date, "kind": "start", "text": "Start"}], written="2025-05")
    return load_cases(tmp_path)


@pytest.mark.parametrize(("start", "ok"), [
    ("2023-03-23", False),  # a day before the registry's first start
    ("2023-03-24", True),  # on it
    ("2023-03", True),  # a month: the registry's first start lies in it
    ("2023-02", False),
    ("2025-02-20", True),  # the registry's last start
    ("2025-02-21", False),
    ("2025-02", True),
    ("2025-03", False),
])
def test_a_case_start_lies_within_the_registrys_starts(tmp_path, start, ok):
    found = check_cases_against_registry(cases_starting(tmp_path, start), registry("2023-03-24", "2024-01-01",
                                                                                    "2025-02-20"))
    assert (found == []) == ok, found


def test_message_names_file_field_dates_and_rule(tmp_path):
    found = check_cases_against_registry(cases_starting(tmp_path, "2023-03-13"), registry("2023-03-24", "2025-02-20"))
    assert found == [
        "ida.yml, feltet timeline[0].date: casen starter 13. marts 2023, før registrets første start; registret har "
        "starter fra 24. marts 2023 til 20. februar 2025. Casestudiet og registret beskriver de samme unge, så en af "
        "datoerne er forkert: ret casen eller registret (regel: registrets_periode)."
    ]


def test_a_case_without_a_start_and_an_empty_registry_are_not_checked(tmp_path):
    write_case(tmp_path, timeline=[{"date": "2020-01", "kind": "job", "text": "Job"}])
    assert check_cases_against_registry(load_cases(tmp_path), registry("2023-03-24")) == []
    assert check_cases_against_registry(cases_starting(tmp_path, "2020-01"), registry()) == []


@pytest.mark.twin
def test_shipped_cases_agree_with_the_twin(ed):
    """The case study's starts (13 and 20 March 2023) lie within the twin registry's starts."""
    assert check_cases_against_registry(load_cases(), ed.registry) == []


@given(st.integers(0, 2**32 - 1), st.floats(0.0, 0.6))
@settings(max_examples=40, deadline=None)
def test_the_twins_first_start_is_never_after_the_documented_one(seed, share_active):
    """The generator's rule: the earliest finished spell is moved back to the case study's first start,
    its length kept; a first start already earlier is left as drawn."""
    import numpy as np

    from ipsreport.analysis.derived import DAYS_PER_MONTH
    from ipsreport.synth.finish import draw_dates
    from ipsreport.synth.targets import FIRST_DOCUMENTED_START, N_REGISTRY

    rng = np.random.default_rng(seed)
    months = rng.uniform(0.7, 22.0, N_REGISTRY)
    active = rng.random(N_REGISTRY) < share_active
    active[0] = False  # at least one finished spell
    start, end = draw_dates(np.random.default_rng(seed), months, active)
    again, _ = draw_dates(np.random.default_rng(seed), months, active)
    assert start == again
    assert min(start) <= FIRST_DOCUMENTED_START
    for p in range(N_REGISTRY):
        if not active[p]:
            assert (end[p] - start[p]).days == int(round(months[p] * DAYS_PER_MONTH)), p
