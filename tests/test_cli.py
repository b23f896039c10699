"""Tests of the command-line interface (engine and validation stubbed)."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from ipsreport import cli
from ipsreport.paths import FIXTURES_DIR
from ipsreport.render import engine

MINIBOOK = FIXTURES_DIR / "minibook"


class Report:
    def __init__(self, ok: bool):
        self.ok = ok
        self.errors = [] if ok else ["registry: fejl"]
        self.warnings = []

    def format(self) -> str:
        return "alt i orden" if self.ok else "Data er ikke gyldige: registry: fejl"


@pytest.fixture
def calls(monkeypatch):
    """Record engine calls instead of rendering."""
    seen: dict[str, list] = {"render": [], "quarto": [], "validate": []}

    def fake_render(project, **kwargs):
        seen["render"].append((project, kwargs))
        return engine.RenderResult(output_dir=Path(kwargs.get("output_dir") or project / "_book"))

    def fake_quarto(*args):
        seen["quarto"].append(args)
        return 0

    monkeypatch.setattr(engine, "render_book", fake_render)
    monkeypatch.setattr(engine, "render_with_quarto", fake_quarto)
    monkeypatch.setattr(cli, "_validate", lambda d: seen["validate"].append(d) or Report(True))
    monkeypatch.setenv("CI", "true")
    return seen


def test_help_lists_exit_codes(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for line in ("0  success", "1  render failed", "2  usage error", "3  invalid data", "4  missing tool"):
        assert line in out
    for code in ("0", "1", "2", "3", "4"):
        assert f"\n{code}  " in cli.__doc__


def test_usage_errors(capsys):
    assert cli.main([]) == 2
    assert cli.main(["render", "--engine", "latex"]) == 2
    assert cli.main(["render", "--set", "novalue", "--project", str(MINIBOOK)]) == 2
    assert "key=value" in capsys.readouterr().err


def test_parse_sets():
    assert cli.parse_sets(["min_cell=3", "title=Ny titel", "alpha=0.1"]) == {
        "min_cell": 3, "title": "Ny titel", "alpha": 0.1,
    }


def test_unknown_setting_is_usage_error(calls, capsys):
    assert cli.main(["render", "--project", str(MINIBOOK), "--set", "colour=red"]) == 2
    assert "unknown setting" in capsys.readouterr().err
    assert not calls["render"]


def test_missing_project_is_usage_error(calls, tmp_path):
    assert cli.main(["render", "--project", str(tmp_path)]) == 2


def test_render_auto_uses_pandoc_without_quarto(calls, monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "quarto_available", lambda: None)
    data = MINIBOOK / "data"
    code = cli.main(["render", "--project", str(MINIBOOK), "--data", str(data), "--to", "html",
                     "--output", str(tmp_path / "out"), "--set", "min_cell=3"])
    assert code == 0
    assert calls["validate"] == [data.resolve()]
    (project, kwargs), = calls["render"]
    assert project == MINIBOOK.resolve()
    assert kwargs["to"] == "html" and kwargs["output_dir"] == tmp_path / "out"
    assert kwargs["data_dir"] == data.resolve() and kwargs["overrides"] == {"min_cell": 3}


def test_render_auto_prefers_quarto(calls, monkeypatch):
    monkeypatch.setattr(engine, "quarto_available", lambda: "/usr/bin/quarto")
    assert cli.main(["render", "--project", str(MINIBOOK)]) == 0
    assert calls["quarto"] and not calls["render"]


def test_quarto_requested_but_missing(calls, monkeypatch, capsys):
    monkeypatch.setattr(engine, "quarto_available", lambda: None)
    assert cli.main(["render", "--engine", "quarto", "--project", str(MINIBOOK)]) == 4
    assert "quarto" in capsys.readouterr().err
    assert not calls["render"]


def test_invalid_data_renders_nothing(calls, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_validate", lambda d: Report(False))
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc"]) == 3
    err = capsys.readouterr().err
    assert "registry: fejl" in err and "nothing was rendered" in err
    assert not calls["render"] and not calls["quarto"]


def test_render_failure_exit_1_without_traceback(calls, monkeypatch, capsys):
    def boom(project, **kwargs):
        raise engine.RenderError("Cell failed in chapters/01.qmd at line 7: ZeroDivisionError")

    monkeypatch.setattr(engine, "render_book", boom)
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc"]) == 1
    err = capsys.readouterr().err
    assert "chapters/01.qmd at line 7" in err and "previous output was left unchanged" in err
    assert "Traceback (most recent call last)" not in err


def test_validate_command(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(cli, "_validate", lambda d: Report(True))
    assert cli.main(["validate", "--data", str(tmp_path)]) == 0
    assert "alt i orden" in capsys.readouterr().out
    monkeypatch.setattr(cli, "_validate", lambda d: Report(False))
    assert cli.main(["validate", "--data", str(tmp_path)]) == 3
    assert cli.main(["validate", "--data", str(tmp_path / "missing")]) == 2


def test_synth_commands(monkeypatch, tmp_path):
    got = []
    twin = types.ModuleType("ipsreport.synth.twin")
    twin.write_twin = lambda out_dir, seed=None: got.append(("twin", out_dir, seed))
    sample = types.ModuleType("ipsreport.synth.sample")
    sample.write_cohort = lambda out_dir, n, sites, seed=None: got.append(("cohort", out_dir, n, sites, seed))
    monkeypatch.setitem(sys.modules, "ipsreport.synth.twin", twin)
    monkeypatch.setitem(sys.modules, "ipsreport.synth.sample", sample)
    assert cli.main(["synth", "--out", str(tmp_path), "--seed", "7"]) == 0
    assert cli.main(["synth", "--n", "200", "--sites", "3", "--out", str(tmp_path)]) == 0
    assert got == [("twin", tmp_path, 7), ("cohort", tmp_path, 200, 3, None)]
    assert cli.main(["synth", "--sites", "3", "--out", str(tmp_path)]) == 2


def test_python_dash_m():
    proc = subprocess.run([sys.executable, "-m", "ipsreport", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "render" in proc.stdout
