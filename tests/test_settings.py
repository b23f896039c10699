"""Layered settings: defaults ⊕ edition file ⊕ environment ⊕ overrides."""

from __future__ import annotations

import json

import pytest

from ipsreport.paths import PROJECT_DIR
from ipsreport.settings import Settings, SettingsError, get_settings, setting_ranges


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("IPSREPORT_SETTINGS", raising=False)
    monkeypatch.delenv("IPSREPORT_DATA", raising=False)


def test_defaults_resolve_relative_data_dir_from_project(tmp_path):
    s = get_settings(edition_file=tmp_path / "absent.yml")
    assert s.data_dir == (PROJECT_DIR / "data" / "synthetic").resolve()
    assert s.min_cell is None  # auto: resolved per data folder by ipsreport.edition


def test_edition_file_overrides_defaults(tmp_path):
    f = tmp_path / "ipsreport.yml"
    f.write_text("min_cell: 5\nedition_year: 2026\n", encoding="utf-8")
    s = get_settings(edition_file=f)
    assert (s.min_cell, s.edition_year) == (5, 2026)


def test_env_then_overrides_win(tmp_path, monkeypatch):
    f = tmp_path / "ipsreport.yml"
    f.write_text("min_cell: 5\n", encoding="utf-8")
    monkeypatch.setenv("IPSREPORT_SETTINGS", json.dumps({"min_cell": 3}))
    assert get_settings(edition_file=f).min_cell == 3
    assert get_settings({"min_cell": 0}, edition_file=f).min_cell == 0


def test_data_env_var_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("IPSREPORT_DATA", str(tmp_path))
    assert get_settings().data_dir == tmp_path.resolve()


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


def test_ranges_are_declared_on_the_dataclass_and_documented():
    from dataclasses import asdict, replace

    from ipsreport.paths import PROJECT_DIR as root

    ranges = setting_ranges()
    assert {"min_cell", "alpha", "success_target_pct", "edition_year"} <= set(ranges)
    doc = (root / "docs" / "settings.md").read_text(encoding="utf-8")
    for key, rng in ranges.items():
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{key}` |"))
        assert rng.describe(key) in row, key
    # The dataclass API other code relies on still works.
    s = get_settings()
    assert replace(s, min_cell=3).min_cell == 3 and asdict(s)["alpha"] == s.alpha
    assert isinstance(s, Settings)


def test_bad_yaml_is_a_danish_settings_error(tmp_path):
    f = tmp_path / "ipsreport.yml"
    f.write_text("min_cell: [3\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="kan ikke læses som YAML"):
        get_settings(edition_file=f)
    f.write_text("- 3\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="nøgle: værdi"):
        get_settings(edition_file=f)
