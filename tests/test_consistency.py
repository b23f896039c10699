"""Tests of ipsreport.inputs.consistency: settings checked against the data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ipsreport.inputs.consistency import DataSettingsError, check_against_settings, require_consistent
from ipsreport.config.settings import SettingsError, get_settings
from ipsreport.inputs.validate import validate

from validate_helpers import tiny  # the two-person frames of the validation tests


@pytest.fixture
def settings(monkeypatch):
    monkeypatch.delenv("IPSREPORT_SETTINGS", raising=False)
    monkeypatch.delenv("IPSREPORT_DATA", raising=False)
    return get_settings()


def _report(frames):
    report = validate(frames)
    assert report.ok, report.format()
    return report


def test_data_within_settings_has_no_violations(settings):
    assert check_against_settings(_report(tiny()), settings) == []


def test_date_after_evaluation_end_names_file_row_column_value_and_fix(settings):
    frames = tiny()
    # A registry a year too late: the still-enrolled B started after the evaluation closed.
    frames["registry"].loc[1, "start_date"] = "2026-03-01"
    frames["registry"].loc[0, "end_date"] = "2026-02-01"
    problems = check_against_settings(_report(frames), settings.with_(edition_year=2026))
    assert [(v.file, v.row, v.column, v.value, v.rule) for v in problems] == [
        ("registry", 3, "start_date", "2026-03-01", "evaluation_end"),
        ("registry", 2, "end_date", "2026-02-01", "evaluation_end"),
    ]
    message = problems[0].message
    assert message.startswith("registry, række 3, kolonne start_date: datoen 2026-03-01 ligger efter indstillingen "
                              "evaluation_end = 2025-05-01")
    assert "--set evaluation_end=ÅÅÅÅ-MM-DD" in message and "evaluation_end: ÅÅÅÅ-MM-DD i ipsreport.yml" in message
    assert "1 række i kolonnen" in message


def test_edition_year_before_the_latest_data_year(settings):
    frames = tiny()
    frames["registry"].loc[0, "end_date"] = "2025-04-30"
    problems = check_against_settings(_report(frames), settings.with_(edition_year=2024))
    assert [(v.row, v.column, v.value, v.rule) for v in problems] == [(2, "end_date", "2025-04-30", "edition_year")]
    assert "edition_year = 2024 ligger før år 2025" in problems[0].message
    assert "--set edition_year=2025" in problems[0].message


def test_evaluation_end_on_the_latest_date_is_fine(settings):
    frames = tiny()
    frames["registry"].loc[0, "end_date"] = "2025-05-01"
    assert check_against_settings(_report(frames), settings) == []


def test_plain_frames_and_rows_numbered_as_csv(settings):
    frames = {"registry": pd.DataFrame({"start_date": pd.to_datetime(["2024-01-01", "2025-06-01"])})}
    problems = check_against_settings(frames, settings)
    assert [(v.file, v.row, v.column) for v in problems] == [("registry", 3, "start_date")]


def test_require_consistent_raises_a_settings_error(settings):
    frames = tiny()
    frames["registry"].loc[1, "start_date"] = "2025-06-01"
    report = _report(frames)
    with pytest.raises(SettingsError) as info:
        require_consistent(report, settings.with_(evaluation_end=dt.date(2025, 5, 1)))
    assert isinstance(info.value, DataSettingsError)
    assert [v.rule for v in info.value.violations] == ["evaluation_end"]
    assert "kolonne start_date" in str(info.value)
