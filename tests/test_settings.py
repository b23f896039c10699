"""Layered settings: defaults ⊕ edition file ⊕ environment ⊕ overrides."""

from __future__ import annotations

import json

import pytest

from ipsreport.paths import PROJECT_DIR
from ipsreport.settings import SettingsError, get_settings


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
    with pytest.raises(SettingsError, match=r"ipsreport.yml: unknown setting 'min_cel'"):
        get_settings(edition_file=f)


def test_bad_value_is_an_error(tmp_path):
    with pytest.raises(SettingsError, match="min_cell='many' is not a valid int"):
        get_settings({"min_cell": "many"}, edition_file=tmp_path / "absent.yml")
