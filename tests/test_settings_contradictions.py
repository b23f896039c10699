"""Settings that contradict each other, or the data, stop the render (issue 17).

Each rule is tested exactly at its boundary:

* ``project_end`` may not lie before ``project_start``; the implementation
  period lies inside the project period, and does not end before it starts.
  Only year and month of these dates are printed, so they are compared as
  months: the same month is allowed, one month outside is not (exit 2);
* ``title`` may not be empty (exit 2);
* ``edition_year`` may be at most one year after the year of the data's
  latest date (exit 3: a contradiction between settings and data).
"""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from ipsreport import cli
from ipsreport.inputs.consistency import check_against_settings
from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.config.settings import SettingsError, get_settings

D = dt.date


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("IPSREPORT_SETTINGS", raising=False)
    monkeypatch.delenv("IPSREPORT_DATA", raising=False)


def resolve(tmp_path, **overrides):
    return get_settings(overrides, edition_file=tmp_path / "absent.yml")


PERIOD = dict(project_start=D(2023, 1, 1), project_end=D(2025, 6, 30),
              implementation_start=D(2023, 3, 1), implementation_end=D(2025, 2, 28))


@pytest.mark.parametrize(("changes", "keys", "rule"), [
    ({"project_end": D(2022, 12, 31)}, ["project_end = 2022-12-31", "project_start = 2023-01-01"],
     "project_end må ikke ligge før project_start"),
    ({"implementation_start": D(2022, 12, 31)}, ["implementation_start = 2022-12-31", "project_start = 2023-01-01"],
     "implementation_start må ikke ligge før project_start"),
    ({"implementation_end": D(2025, 7, 1)}, ["implementation_end = 2025-07-01", "project_end = 2025-06-30"],
     "implementation_end må ikke ligge efter project_end"),
    ({"implementation_start": D(2024, 3, 1), "implementation_end": D(2024, 2, 29)},
     ["implementation_end = 2024-02-29", "implementation_start = 2024-03-01"],
     "implementation_end må ikke ligge før implementation_start"),
])
def test_one_month_outside_is_refused_naming_both_settings(tmp_path, changes, keys, rule):
    with pytest.raises(SettingsError) as info:
        resolve(tmp_path, **{**PERIOD, **changes})
    message = str(info.value)
    assert message.startswith("kommandolinjen (--set): ")
    assert all(k in message for k in keys) and rule in message, message


@pytest.mark.parametrize("changes", [
    {"project_start": D(2023, 3, 1)},  # equal dates: the implementation starts the day the project does
    {"project_start": D(2023, 1, 1), "project_end": D(2023, 1, 1),  # one day for everything
     "implementation_start": D(2023, 1, 1), "implementation_end": D(2023, 1, 1)},
    {"project_start": D(2023, 1, 31), "project_end": D(2023, 1, 1),  # the same month, days apart
     "implementation_start": D(2023, 1, 15), "implementation_end": D(2023, 1, 20)},
    {"implementation_start": D(2023, 1, 1)},  # starts with the project
    {"implementation_start": D(2023, 1, 20)},
    {"implementation_end": D(2025, 6, 30)},  # ends with the project
    {"implementation_end": D(2025, 6, 1)},
    {"implementation_start": D(2024, 5, 1), "implementation_end": D(2024, 5, 1)},
])
def test_the_same_month_is_allowed(tmp_path, changes):
    s = resolve(tmp_path, **{**PERIOD, **changes})
    assert all(getattr(s, k) == v for k, v in changes.items())


def test_the_defaults_agree():
    get_settings()


def test_a_contradiction_names_the_layer_of_each_setting(tmp_path):
    f = tmp_path / "ipsreport.yml"
    f.write_text("project_start: 2024-01-01\nproject_end: 2026-12-31\n", encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        get_settings({"project_end": "2023-12-31"}, edition_file=f)
    message = str(info.value)
    assert message.startswith(f"kommandolinjen (--set) og {f}: "), message


def test_layers_are_judged_together_not_one_by_one(tmp_path):
    # The edition file moves the start beyond the default end; the command line moves the end too.
    f = tmp_path / "ipsreport.yml"
    f.write_text("project_start: 2026-01-01\nimplementation_start: 2026-02-01\n", encoding="utf-8")
    s = get_settings({"project_end": "2027-12-31", "implementation_end": "2027-06-30"}, edition_file=f)
    assert (s.project_start, s.project_end) == (D(2026, 1, 1), D(2027, 12, 31))


def test_with_checks_contradictions_too(tmp_path):
    s = resolve(tmp_path)
    with pytest.raises(SettingsError, match="project_end må ikke ligge før project_start"):
        s.with_(project_end=D(2000, 1, 1))


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_an_empty_title_is_refused(tmp_path, title):
    with pytest.raises(SettingsError) as info:
        resolve(tmp_path, title=title)
    assert "title" in str(info.value) and "tom" in str(info.value)


def test_a_one_letter_title_is_allowed(tmp_path):
    assert resolve(tmp_path, title="X").title == "X"


def test_settings_alone_exit_2(tmp_path, capsys):
    code = cli.main(["validate", "--data", str(SYNTHETIC_DIR), "--set", "project_end=2020-01-01"])
    err = capsys.readouterr().err
    assert code == 2 and "project_end" in err and "Traceback" not in err


# --- edition_year against the data -------------------------------------------------------


@pytest.mark.twin
def test_edition_year_at_most_one_year_after_the_data(tmp_path):
    from ipsreport.inputs.validate import validate_dir

    report = validate_dir(SYNTHETIC_DIR)  # the latest date is 2025-04-27
    settings = resolve(tmp_path)
    assert not check_against_settings(report, settings.with_(edition_year=2025))
    assert not check_against_settings(report, settings.with_(edition_year=2026))  # exactly one year after
    (problem,) = check_against_settings(report, settings.with_(edition_year=2027))
    assert problem.rule == "edition_year" and problem.value == "2025-04-27"
    assert "edition_year = 2027" in problem.message and "højst ét år efter" in problem.message
    assert "2026" in problem.message  # the latest year the data allow


@pytest.mark.twin
def test_edition_year_far_beyond_the_data_exits_3(capsys):
    code = cli.main(["validate", "--data", str(SYNTHETIC_DIR), "--set", "edition_year=2030"])
    err = capsys.readouterr()
    assert code == 3 and "edition_year" in err.out + err.err


@pytest.mark.twin
def test_a_sites_part_is_judged_by_the_whole_edition(tmp_path):
    # A site of two whose young people finished by 2023 is still part of the 2025 edition.
    from ipsreport.book.sites import split_by_site
    from ipsreport.inputs.validate import validate_dir

    data = tmp_path / "data"
    shutil.copytree(SYNTHETIC_DIR, data)
    registry = pd.read_csv(data / "registry.csv", dtype=str, keep_default_na=False)
    early = registry.index[registry["end_date"].between("2022-01-01", "2023-12-31")][:2]
    registry.loc[early, "site"] = "Lille sted"
    registry.to_csv(data / "registry.csv", index=False, lineterminator="\n")
    settings = resolve(tmp_path)
    assert not check_against_settings(validate_dir(data), settings)
    part = next(s for s in split_by_site(data, tmp_path / "split") if s.site == "Lille sted")
    report = validate_dir(part.data_dir)
    assert not check_against_settings(report, settings)  # 2025 is more than a year after its 2023
    (part.data_dir / "manifest.yml").unlink()
    assert [p.rule for p in check_against_settings(validate_dir(part.data_dir), settings)] == ["edition_year"]
