"""Tests of the command-line interface (engine and validation stubbed)."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from ipsreport import cli
from ipsreport.config.settings import Settings
from ipsreport.paths import FIXTURES_DIR
from ipsreport.render import engine, quarto

MINIBOOK = FIXTURES_DIR / "minibook"


class Report:
    def __init__(self, ok: bool, warnings=()):
        self.ok = ok
        self.errors = [] if ok else ["registry: fejl"]
        self.warnings = list(warnings)

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
    monkeypatch.setattr(quarto, "render_with_quarto", fake_quarto)
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
    assert "nøgle=værdi" in capsys.readouterr().err


def test_parse_sets():
    assert cli.parse_sets(["min_cell=3", "title=Ny titel", "alpha=0.1"]) == {
        "min_cell": 3, "title": "Ny titel", "alpha": 0.1,
    }


def test_unknown_setting_is_usage_error(calls, capsys):
    assert cli.main(["render", "--project", str(MINIBOOK), "--set", "colour=red"]) == 2
    assert "ukendt indstilling 'colour'" in capsys.readouterr().err
    assert not calls["render"]


def test_missing_project_is_usage_error(calls, tmp_path):
    assert cli.main(["render", "--project", str(tmp_path)]) == 2


def test_render_auto_uses_pandoc_without_quarto(calls, monkeypatch, tmp_path):
    monkeypatch.setattr(quarto, "quarto_available", lambda: None)
    data = MINIBOOK / "data"
    code = cli.main(["render", "--project", str(MINIBOOK), "--data", str(data), "--to", "html",
                     "--output", str(tmp_path / "out"), "--set", "min_cell=3"])
    assert code == 0
    assert calls["validate"] == [data.resolve()]
    (project, kwargs), = calls["render"]
    assert project == MINIBOOK.resolve()
    assert kwargs["to"] == "html" and kwargs["output_dir"] == tmp_path / "out"
    hooks = kwargs["hooks"]
    # The chapters get one parameter, the folder of the run saved before any of them ran, made from the
    # settings resolved once: every key, the override applied.
    assert set(hooks.parameters) == {"results"}
    assert hooks.parameters["results"] == str(hooks.attachment.folder)
    settings = hooks.attachment.settings
    assert settings.data_dir == data.resolve()
    assert settings.min_cell == 3 and set(settings.model_dump()) == set(Settings.model_fields)


@pytest.mark.parametrize("args", [[], ["--engine", "auto"], ["--engine", "pandoc"]])
def test_render_uses_the_tested_engine_even_with_quarto_on_path(calls, monkeypatch, tmp_path, args):
    # Quarto on PATH must not switch the render to the untested path silently.
    monkeypatch.setattr(quarto, "quarto_available", lambda: "/usr/bin/quarto")
    assert cli.main(["render", "--project", str(MINIBOOK), "--output", str(tmp_path / "out"), *args]) == 0
    assert calls["render"] and not calls["quarto"]


def test_render_quarto_only_when_asked(calls, monkeypatch):
    monkeypatch.setattr(quarto, "quarto_available", lambda: "/usr/bin/quarto")
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "quarto"]) == 0
    assert calls["quarto"] and not calls["render"]


def test_render_quarto_refused_output_is_exit_5(calls, monkeypatch, capsys):
    from ipsreport.render.outdir import OutputRefused

    def refuse(*args):
        raise OutputRefused("Outputmappen x indeholder 1 fil, som ipsreport ikke har lavet.")

    monkeypatch.setattr(quarto, "quarto_available", lambda: "/usr/bin/quarto")
    monkeypatch.setattr(quarto, "render_with_quarto", refuse)
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "quarto"]) == 5
    assert "ikke har lavet" in capsys.readouterr().err


def test_quarto_requested_but_missing(calls, monkeypatch, capsys):
    monkeypatch.setattr(quarto, "quarto_available", lambda: None)
    assert cli.main(["render", "--engine", "quarto", "--project", str(MINIBOOK)]) == 4
    assert "quarto" in capsys.readouterr().err
    assert not calls["render"]


def test_invalid_data_renders_nothing(calls, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_validate", lambda d: Report(False))
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc"]) == 3
    err = capsys.readouterr().err
    assert "registry: fejl" in err and "intet blev lavet" in err
    assert not calls["render"] and not calls["quarto"]


def test_render_failure_exit_1_without_traceback(calls, monkeypatch, capsys):
    def boom(project, **kwargs):
        raise engine.RenderError("Cell failed in chapters/01.qmd at line 7: ZeroDivisionError")

    monkeypatch.setattr(engine, "render_book", boom)
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc"]) == 1
    err = capsys.readouterr().err
    assert "chapters/01.qmd at line 7" in err and "den tidligere udgave er uændret" in err
    assert "Traceback (most recent call last)" not in err


def test_validate_command(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(cli, "_validate", lambda d: Report(True))
    assert cli.main(["validate", "--data", str(tmp_path)]) == 0
    assert "alt i orden" in capsys.readouterr().out
    monkeypatch.setattr(cli, "_validate", lambda d: Report(False))
    assert cli.main(["validate", "--data", str(tmp_path)]) == 3
    assert cli.main(["validate", "--data", str(tmp_path / "missing")]) == 2


@pytest.mark.twin
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


# --------------------------------------------------------------------------- settings, warnings, Danish errors


@pytest.fixture
def cohort(tmp_path_factory):
    from ipsreport.synth.sample import write_cohort

    return write_cohort(tmp_path_factory.mktemp("cli-cohort"), 40, sites=1, seed=4)


@pytest.fixture
def real_validation(monkeypatch, tmp_path):
    """Validate for real (no stub), caching in a temporary folder."""
    monkeypatch.setenv("IPSREPORT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("IPSREPORT_SETTINGS", raising=False)
    monkeypatch.delenv("IPSREPORT_DATA", raising=False)
    rendered = []
    monkeypatch.setattr(engine, "render_book", lambda project, **kw: rendered.append(kw) or engine.RenderResult(
        output_dir=Path(kw.get("output_dir") or project / "_book")))
    monkeypatch.setattr(quarto, "quarto_available", lambda: None)
    return rendered


@pytest.mark.parametrize("setting", ["min_cell=-5", "alpha=2", "success_target_pct=160"])
def test_setting_out_of_range_is_a_usage_error(calls, capsys, setting):
    assert cli.main(["render", "--project", str(MINIBOOK), "--set", setting]) == 2
    err = capsys.readouterr().err
    key, value = setting.split("=")
    assert f"kommandolinjen (--set): indstillingen {key} har værdien" in err and "skal opfylde" in err
    assert "Traceback" not in err and not calls["render"]


@pytest.mark.twin
def test_dates_after_evaluation_end_stop_render_and_validate(real_validation, cohort, capsys):
    args = ["--data", str(cohort), "--set", "evaluation_end=2024-01-01"]
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc", *args]) == 3
    err = capsys.readouterr().err
    assert "indstillingerne passer ikke med data" in err and "intet blev lavet" in err
    assert "registry.csv, række" in err and "kolonne start_date" in err
    assert "ligger efter indstillingen evaluation_end = 2024-01-01" in err
    assert "--set evaluation_end=ÅÅÅÅ-MM-DD" in err and "evaluation_end: ÅÅÅÅ-MM-DD i ipsreport.yml" in err
    assert not real_validation
    assert cli.main(["validate", *args]) == 3
    assert cli.main(["validate", "--data", str(cohort), "--set", "edition_year=2020"]) == 3
    assert "edition_year = 2020" in capsys.readouterr().err
    assert cli.main(["validate", "--data", str(cohort)]) == 0


def _warnings(n):
    from ipsreport.inputs.load import Violation

    return [Violation("baseline.sav", None, "gender", "1", "værdimærker", f"advarsel nummer {i}") for i in range(n)]


def test_render_prints_warnings_and_strict_stops(calls, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_validate", lambda d: Report(True, _warnings(7)))
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc"]) == 0
    err = capsys.readouterr().err
    assert "har 7 advarsler" in err
    assert "advarsel nummer 0" in err and f"advarsel nummer {cli.SHOWN_WARNINGS - 1}" in err
    assert "advarsel nummer 6" not in err and "og 2 mere" in err
    assert "se alle med ipsreport validate" in err
    assert len(calls["render"]) == 1
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc", "--strict"]) == 3
    assert "--strict" in capsys.readouterr().err
    assert len(calls["render"]) == 1


def test_validate_strict(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "_validate", lambda d: Report(True, _warnings(1)))
    assert cli.main(["validate", "--data", str(tmp_path)]) == 0
    assert cli.main(["validate", "--data", str(tmp_path), "--strict"]) == 3


@pytest.mark.twin
def test_real_spss_label_warning_is_shown_by_render(real_validation, cohort, tmp_path, capsys):
    import pandas as pd
    import pyreadstat

    folder = tmp_path / "sav"
    folder.mkdir()
    for name in ("registry", "followup"):
        (folder / f"{name}.csv").write_bytes((cohort / f"{name}.csv").read_bytes())
    base = pd.read_csv(cohort / "baseline.csv")
    pyreadstat.write_sav(base, str(folder / "baseline.sav"), variable_value_labels={"work_experience": {1: "Nej", 0: "Ja"}})
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc", "--data", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "baseline.sav, kolonne work_experience: koden 1 hedder \"Nej\"" in err
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc", "--data", str(folder), "--strict"]) == 3


@pytest.mark.twin
@pytest.mark.parametrize("case", ["corrupt_xlsx", "no_files", "unreadable"])
def test_user_errors_in_the_data_folder_end_without_traceback(real_validation, cohort, tmp_path, capsys, monkeypatch, case):
    folder = tmp_path / case
    folder.mkdir()
    if case != "no_files":
        for name in ("baseline", "followup"):
            (folder / f"{name}.csv").write_bytes((cohort / f"{name}.csv").read_bytes())
    if case == "corrupt_xlsx":
        (folder / "registry.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    if case == "unreadable":
        target = folder / "registry.csv"
        target.write_bytes((cohort / "registry.csv").read_bytes())
        real = Path.read_bytes
        original_open = open

        def deny(self):
            if self.name == "registry.csv" and self.parent == folder:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        def deny_open(file, *args, **kwargs):
            if str(file) == str(target):
                raise PermissionError(13, "Permission denied", str(file))
            return original_open(file, *args, **kwargs)

        monkeypatch.setattr(Path, "read_bytes", deny)
        monkeypatch.setattr("builtins.open", deny_open)
    for command in (["render", "--project", str(MINIBOOK), "--engine", "pandoc"], ["validate"]):
        code = cli.main([*command, "--data", str(folder)])
        captured = capsys.readouterr()
        out = captured.out + captured.err
        assert code == 3, out
        assert "Traceback" not in out
        assert "registry" in out and "regel:" in out
    assert not real_validation


def test_bad_edition_settings_file_is_a_usage_error(calls, monkeypatch, tmp_path, capsys):
    from ipsreport.config import settings as settings_module

    bad = tmp_path / "ipsreport.yml"
    bad.write_text("municipality: [Gladsaxe\n", encoding="utf-8")
    monkeypatch.setattr(settings_module, "EDITION_SETTINGS_PATH", bad)
    assert cli.main(["render", "--project", str(MINIBOOK)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: filen kan ikke læses som YAML" in err and "Traceback" not in err


def test_danish_messages_for_usage_errors(calls, monkeypatch, tmp_path, capsys):
    assert cli.main(["render", "--project", str(tmp_path)]) == 2
    assert "har ingen _quarto.yml" in capsys.readouterr().err
    assert cli.main(["render", "--project", str(MINIBOOK), "--data", str(tmp_path / "nope")]) == 2
    assert "datamappen" in capsys.readouterr().err
    monkeypatch.setattr(quarto, "quarto_available", lambda: None)
    assert cli.main(["render", "--engine", "quarto", "--project", str(MINIBOOK)]) == 4
    assert "quarto blev valgt" in capsys.readouterr().err


def test_interrupt_and_unexpected_errors_end_in_one_danish_paragraph(calls, monkeypatch, capsys):
    def interrupted(project, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "render_book", interrupted)
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc"]) == 1
    assert "afbrudt" in capsys.readouterr().err

    def broken(project, **kwargs):
        raise RuntimeError("something odd")

    monkeypatch.setattr(engine, "render_book", broken)
    monkeypatch.delenv("IPSREPORT_DEBUG", raising=False)
    assert cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc"]) == 1
    err = capsys.readouterr().err
    assert "uventet fejl (RuntimeError: something odd)" in err and "IPSREPORT_DEBUG=1" in err
    # Besides the one-line notice of the rule in force (printed on every render), one paragraph.
    lines = [line for line in err.strip().splitlines() if "småtalsregel" not in line and "tvilling" not in line]
    assert len(lines) == 1
    assert "Traceback" not in err
    monkeypatch.setenv("IPSREPORT_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["render", "--project", str(MINIBOOK), "--engine", "pandoc"])
