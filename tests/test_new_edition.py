"""``ipsreport new-edition YEAR``: the next ipsreport.yml and the archived bundle (ipsreport.book.new_edition)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ipsreport.cli import main
from ipsreport.book.new_edition import EXIT_REFUSED, new_edition, shift_years
from ipsreport.results import read_bundle
from ipsreport.results.bundle import write_bundle
from test_results_bundle import made  # tests/ is on sys.path under pytest

OLD = """# the 2026 edition
edition_year: 2026
municipality: "Gladsaxe Kommune"
evaluation_end: 2026-05-01
project_start: 2022-12-01
project_end: 2026-05-31
implementation_start: 2023-03-01
implementation_end: 2026-02-28
partner_interviews_n: 6
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("IPSREPORT_SETTINGS", raising=False)
    monkeypatch.delenv("IPSREPORT_DATA", raising=False)


@pytest.fixture
def project(tmp_path):
    """A project after its 2026 render: ipsreport.yml and _book/resultater/ (a hand-made 2026 bundle)."""
    (tmp_path / "ipsreport.yml").write_text(OLD, encoding="utf-8")
    write_bundle(made(), tmp_path / "_book")
    return tmp_path


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_edition_writes_the_next_settings_and_archives_the_bundle(project):
    assert main(["new-edition", "2027", "--project", str(project)]) == 0
    archive = project / "editions" / "2026"
    assert read_bundle(archive) == made()  # the bundle, intact and checkable
    assert (archive / "ipsreport.yml").read_text(encoding="utf-8") == OLD  # the old settings kept
    text = (project / "ipsreport.yml").read_text(encoding="utf-8")
    new = yaml.safe_load(text)
    assert new["edition_year"] == 2027 and new["previous"] == "editions/2026"
    # Ends move a year; with cohort: cumulative (the default) the starts stay where the programme began.
    assert new["evaluation_end"] == dt.date(2027, 5, 1)
    assert new["project_end"] == dt.date(2027, 5, 31) and new["implementation_end"] == dt.date(2027, 2, 28)
    assert new["project_start"] == dt.date(2022, 12, 1) and new["implementation_start"] == dt.date(2023, 3, 1)
    assert new["municipality"] == "Gladsaxe Kommune" and new["partner_interviews_n"] == 6
    for key in ("evaluation_end", "project_end", "implementation_end", "implementation_start"):
        (line,) = [line for line in text.splitlines() if line.startswith(f"{key}:")]
        assert "# tjek mig" in line


def test_cohort_period_moves_the_whole_period(project):
    (project / "ipsreport.yml").write_text(OLD + "cohort: period\n", encoding="utf-8")
    new_edition(2027, project)
    new = yaml.safe_load((project / "ipsreport.yml").read_text(encoding="utf-8"))
    assert new["implementation_start"] == dt.date(2024, 3, 1) and new["project_start"] == dt.date(2023, 12, 1)
    assert new["cohort"] == "period"


def test_the_written_settings_load(project, monkeypatch):
    from ipsreport.config.settings import get_settings

    new_edition(2027, project)
    settings = get_settings(edition_file=project / "ipsreport.yml")
    assert settings.edition_year == 2027 and settings.previous.name == "2026"


def test_an_existing_editions_folder_is_refused_and_nothing_is_touched(project, capsys):
    (project / "editions" / "2026").mkdir(parents=True)
    (project / "editions" / "2026" / "notes.txt").write_text("mine", encoding="utf-8")
    before = _snapshot(project)
    assert main(["new-edition", "2027", "--project", str(project)]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert "editions/2026 findes allerede" in err and "--force" in err and "intet er ændret" in err
    assert _snapshot(project) == before


def test_a_settings_file_already_for_a_new_edition_is_refused(project, capsys):
    edited = OLD.replace("edition_year: 2026", "edition_year: 2027")
    (project / "ipsreport.yml").write_text(edited, encoding="utf-8")
    before = _snapshot(project)
    assert main(["new-edition", "2027", "--project", str(project)]) == EXIT_REFUSED
    assert "edition_year = 2027, ikke 2026" in capsys.readouterr().err
    assert _snapshot(project) == before


def test_force_keeps_what_was_in_the_way_under_a_new_name(project):
    (project / "editions" / "2026").mkdir(parents=True)
    (project / "editions" / "2026" / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new-edition", "2027", "--project", str(project), "--force"]) == 0
    assert (project / "editions" / "2026.gammel-1" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert read_bundle(project / "editions" / "2026") == made()


def test_a_year_not_after_the_last_edition_is_a_usage_error(project, capsys):
    before = _snapshot(project)
    assert main(["new-edition", "2026", "--project", str(project)]) == 2
    assert "ipsreport new-edition 2027" in capsys.readouterr().err
    assert _snapshot(project) == before


def test_without_a_render_the_command_says_to_render_first(tmp_path, capsys):
    (tmp_path / "ipsreport.yml").write_text(OLD, encoding="utf-8")
    assert main(["new-edition", "2027", "--project", str(tmp_path)]) == 2
    assert "ipsreport render først" in capsys.readouterr().err
    assert not (tmp_path / "editions").exists()


def test_a_changed_bundle_is_not_archived(project, capsys):
    facts = project / "_book" / "resultater" / "facts.json"
    facts.write_text(facts.read_text(encoding="utf-8").replace("41.66", "51.66"), encoding="utf-8")
    assert main(["new-edition", "2027", "--project", str(project)]) == 2
    assert "SHA-256" in capsys.readouterr().err
    assert not (project / "editions").exists()


def test_results_may_be_given_as_the_bundle_folder(project, tmp_path):
    elsewhere = write_bundle(made(), tmp_path / "other")
    new_edition(2027, project, results=elsewhere)
    assert read_bundle(project / "editions" / "2026") == made()


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(1, 5))
def test_shift_years_moves_the_year_and_keeps_month_ends(day, years):
    moved = shift_years(day, years)
    assert (moved.year, moved.month) == (day.year + years, day.month)
    month_end = (day + dt.timedelta(days=1)).month != day.month
    if month_end:  # an end of month stays one (29 February → 28 February)
        assert (moved + dt.timedelta(days=1)).month != moved.month
    else:  # any other day keeps its number (28 February 2000 → 28 February 2001, then a month end)
        assert moved.day == day.day


@pytest.mark.twin
def test_the_previous_edition_is_named_in_a_bundle_as_the_data_folder_is(tmp_path):
    """A bundle is published: the setting previous is named relative to the project, never as a path on a disk."""
    from ipsreport import pipeline
    from ipsreport.synth.sample import write_cohort

    from ipsreport.results import write_bundle

    folder = write_cohort(tmp_path / "data", n=20, sites=1)
    # The run compares itself with the previous edition, so that edition's bundle must be there.
    write_bundle(pipeline.run(), tmp_path / "editions" / "2025")
    outside = pipeline.run(folder, settings={"previous": str(tmp_path / "editions" / "2025"), "edition_year": 2026})
    assert outside.settings["previous"] == "2025"
