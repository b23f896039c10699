"""Layered settings: defaults ⊕ edition file ⊕ environment ⊕ overrides."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from ipsreport.paths import PROJECT_DIR
from ipsreport.config.settings import (
    Settings,
    SettingsError,
    default_data_dir,
    get_settings,
    setting_ranges,
    settings_from_json,
    settings_to_json,
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("IPSREPORT_SETTINGS", raising=False)
    monkeypatch.delenv("IPSREPORT_DATA", raising=False)


def test_defaults_resolve_relative_data_dir_from_project(tmp_path):
    s = get_settings(edition_file=tmp_path / "absent.yml")
    assert s.data_dir == (PROJECT_DIR / "data" / "synthetic").resolve()
    assert s.min_cell is None  # auto: resolved per data folder by ipsreport.inputs.edition


def test_edition_file_overrides_defaults(tmp_path):
    f = tmp_path / "ipsreport.yml"
    f.write_text("min_cell: 5\nedition_year: 2026\n", encoding="utf-8")
    s = get_settings(edition_file=f)
    assert (s.min_cell, s.edition_year) == (5, 2026)


def test_the_environment_is_no_layer(tmp_path, monkeypatch):
    """Settings come from files and arguments only; a kernel's or shell's IPSREPORT_* variables change nothing."""
    f = tmp_path / "ipsreport.yml"
    f.write_text("min_cell: 5\n", encoding="utf-8")
    monkeypatch.setenv("IPSREPORT_SETTINGS", json.dumps({"min_cell": 3}))
    monkeypatch.setenv("IPSREPORT_DATA", str(tmp_path))
    assert get_settings(edition_file=f).min_cell == 5
    assert get_settings(edition_file=f).data_dir != tmp_path.resolve()
    assert get_settings({"min_cell": 0}, edition_file=f).min_cell == 0


def test_the_command_line_reads_the_data_and_date_variables(tmp_path, monkeypatch):
    from argparse import Namespace

    from ipsreport.cli_inputs import overrides_from, settings_for

    monkeypatch.setenv("IPSREPORT_DATA", str(tmp_path))
    monkeypatch.setenv("IPSREPORT_RENDER_DATE", "2026-03-02")
    settings = settings_for(overrides_from(Namespace(sets=[])), None)
    assert settings.data_dir == tmp_path.resolve() and settings.render_date.isoformat() == "2026-03-02"
    # --data and --set win over the variables.
    other = tmp_path / "other"
    given = settings_for(overrides_from(Namespace(sets=["render_date=2026-04-01"])), other)
    assert given.data_dir == other.resolve() and given.render_date.isoformat() == "2026-04-01"


def test_unknown_key_is_an_error_naming_source(tmp_path):
    f = tmp_path / "ipsreport.yml"
    f.write_text("min_cel: 3\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"ipsreport.yml: ukendt indstilling 'min_cel'"):
        get_settings(edition_file=f)


def test_bad_value_is_an_error(tmp_path):
    with pytest.raises(SettingsError, match="indstillingen min_cell har værdien 'many', som ikke er et heltal"):
        get_settings({"min_cell": "many"}, edition_file=tmp_path / "absent.yml")


@pytest.mark.parametrize(
    ("key", "value", "rule"),
    [
        ("min_cell", -5, "0 ≤ min_cell ≤ 20"),
        ("min_cell", 21, "0 ≤ min_cell ≤ 20"),
        ("alpha", 2, "0 < alpha < 0.5"),
        ("alpha", 0, "0 < alpha < 0.5"),
        ("alpha", 0.5, "0 < alpha < 0.5"),
        ("success_target_pct", 160, "0 ≤ success_target_pct ≤ 100"),
        ("success_target_pct", -1, "0 ≤ success_target_pct ≤ 100"),
        ("edition_year", 25, "2000 ≤ edition_year ≤ 2100"),
    ],
)
def test_value_out_of_range_on_command_line(tmp_path, key, value, rule):
    with pytest.raises(SettingsError) as info:
        get_settings({key: value}, edition_file=tmp_path / "absent.yml")
    message = str(info.value)
    assert message.startswith("kommandolinjen (--set): ")
    assert f"indstillingen {key} har værdien {value}" in message and rule in message


def test_value_out_of_range_in_edition_file_names_the_file(tmp_path):
    f = tmp_path / "ipsreport.yml"
    f.write_text("alpha: 2\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=rf"^{f}: indstillingen alpha har værdien 2.0, men skal opfylde 0 < alpha < 0.5"):
        get_settings(edition_file=f)


def test_bounds_are_allowed(tmp_path):
    s = get_settings({"min_cell": 20, "alpha": 0.49, "success_target_pct": 0}, edition_file=tmp_path / "absent.yml")
    assert (s.min_cell, s.alpha, s.success_target_pct) == (20, 0.49, 0.0)
    s = get_settings({"min_cell": 0, "success_target_pct": 100}, edition_file=tmp_path / "absent.yml")
    assert (s.min_cell, s.success_target_pct) == (0, 100.0)


def test_fractional_min_cell_is_not_truncated(tmp_path):
    with pytest.raises(SettingsError, match="som ikke er et heltal"):
        get_settings({"min_cell": 2.5}, edition_file=tmp_path / "absent.yml")


def test_ranges_are_declared_on_the_model_and_documented():
    from ipsreport.paths import PROJECT_DIR as root

    ranges = setting_ranges()
    assert {"min_cell", "alpha", "success_target_pct", "edition_year"} <= set(ranges)
    doc = (root / "docs" / "settings.md").read_text(encoding="utf-8")
    for key, rng in ranges.items():
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{key}` |"))
        assert rng.describe(key) in row, key


def test_settings_doc_table_is_generated_from_the_model():
    from ipsreport.config.doc import DOC_PATH, render_doc

    text = DOC_PATH.read_text(encoding="utf-8")
    assert render_doc(text) == text, "docs/settings.md is out of date: run python -m ipsreport.config.doc"
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert [r.split("`")[1] for r in rows] == list(Settings.model_fields)  # every key, in one table


def test_settings_is_one_frozen_typed_model(tmp_path):
    s = get_settings(edition_file=tmp_path / "absent.yml")
    assert isinstance(s, Settings)
    with pytest.raises(ValidationError):
        s.min_cell = 3  # frozen
    assert hash(s) == hash(get_settings(edition_file=tmp_path / "absent.yml"))  # usable as a cache key
    assert (s.edition_year, s.alpha, s.evaluation_end) == (2025, 0.05, dt.date(2025, 5, 1))
    assert s.ci_method == "wald"


def test_with_returns_a_validated_copy(tmp_path):
    s = get_settings(edition_file=tmp_path / "absent.yml")
    t = s.with_(min_cell=3, evaluation_end="2025-06-01", data_dir="data")
    assert (t.min_cell, t.evaluation_end, t.data_dir) == (3, dt.date(2025, 6, 1), PROJECT_DIR / "data")
    assert s.min_cell is None and t.alpha == s.alpha
    with pytest.raises(SettingsError, match="indstillingen min_cell har værdien 99, men skal opfylde 0 ≤ min_cell ≤ 20"):
        s.with_(min_cell=99)
    with pytest.raises(SettingsError, match="ukendt indstilling 'min_cel'"):
        s.with_(min_cel=3)


@pytest.mark.parametrize(
    "overrides",
    [{}, {"min_cell": 5, "alpha": 0.1, "ci_method": "profile", "title": "Æblegrød – «ø»", "evaluation_end": "2025-04-30"}],
)
def test_json_round_trip_is_exact(tmp_path, overrides):
    s = get_settings(overrides, edition_file=tmp_path / "absent.yml")
    text = settings_to_json(s)
    back = settings_from_json(text)
    assert back == s and settings_to_json(back) == text
    data = json.loads(text)
    assert set(data) == set(Settings.model_fields)
    assert data["evaluation_end"] == s.evaluation_end.isoformat() and data["data_dir"] == str(s.data_dir)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1]", "JSON skal være et JSON-objekt"),
        ('{"min_cell": 3}', "der mangler værdier for data_dir"),
    ],
)
def test_settings_from_json_errors_are_danish(text, message):
    with pytest.raises(SettingsError, match=message):
        settings_from_json(text)


def test_settings_from_json_checks_values(tmp_path):
    data = json.loads(settings_to_json(get_settings(edition_file=tmp_path / "absent.yml")))
    data["alpha"] = 0.7
    with pytest.raises(SettingsError, match=r"^JSON: indstillingen alpha har værdien 0.7"):
        settings_from_json(json.dumps(data))


@pytest.mark.parametrize(
    ("key", "value", "kind"),
    [
        ("min_cell", True, "et heltal eller auto"),
        ("edition_year", "næste år", "et heltal"),
        ("alpha", "lille", "et tal"),
        ("evaluation_end", "1. maj", "en dato (ÅÅÅÅ-MM-DD)"),
        ("ci_method", "bootstrap", "en af wald eller profile"),
        ("alpha", False, "et tal"),
    ],
)
def test_wrong_type_names_what_is_expected(tmp_path, key, value, kind):
    with pytest.raises(SettingsError) as info:
        get_settings({key: value}, edition_file=tmp_path / "absent.yml")
    assert str(info.value) == (
        f"kommandolinjen (--set): indstillingen {key} har værdien {value!r}, som ikke er {kind}; ret værdien."
    )


def test_out_of_range_date_shows_the_date(tmp_path):
    f = tmp_path / "ipsreport.yml"
    f.write_text("evaluation_end: 2200-01-01\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"har værdien 2200-01-01, men skal opfylde 2000-01-01 ≤ evaluation_end ≤ 2100-12-31"):
        get_settings(edition_file=f)


def test_bad_value_in_a_lower_layer_is_reported_even_when_overridden(tmp_path):
    f = tmp_path / "ipsreport.yml"
    f.write_text("min_cell: many\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=rf"^{f}: indstillingen min_cell"):
        get_settings({"min_cell": 3}, edition_file=f)


def test_default_data_dir_is_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("IPSREPORT_DATA", str(tmp_path))
    assert default_data_dir() == get_settings().data_dir != tmp_path.resolve()


def test_paths_is_a_leaf_module():
    import ast

    import ipsreport.paths

    tree = ast.parse(Path(ipsreport.paths.__file__).read_text(encoding="utf-8"))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m and m.startswith("ipsreport")]


def test_bad_yaml_is_a_danish_settings_error(tmp_path):
    f = tmp_path / "ipsreport.yml"
    f.write_text("min_cell: [3\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="kan ikke læses som YAML"):
        get_settings(edition_file=f)
    f.write_text("- 3\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="nøgle: værdi"):
        get_settings(edition_file=f)
