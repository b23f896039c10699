"""Temporary copies of the project, the render command, sampled cohorts."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from benchmarks.measure import ROOT

#: The chapter whose prose the edit measurements change.
EDIT_CHAPTER = "report/03-evalueringen.qmd"


def copy_project(dest: Path, source: Path = ROOT) -> Path:
    """Copy what a render reads (``_quarto.yml``, ``index.qmd``, ``report/``) to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("_quarto.yml", "index.qmd"):
        shutil.copy2(source / name, dest / name)
    shutil.copytree(source / "report", dest / "report", ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    return dest


def clean_project(project: Path) -> None:
    """Remove output and every cache (a cold start)."""
    for name in ("_book", ".ipsreport-cache"):
        shutil.rmtree(project / name, ignore_errors=True)


def cli_env(source: Path | None = None, cache: Path | None = None) -> dict[str, str]:
    """Environment for ``python -m ipsreport.cli``: plain progress; optional other source tree."""
    env = {**os.environ, "CI": "1"}
    if source is not None:
        env["PYTHONPATH"] = str(source) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if cache is not None:
        env["IPSREPORT_CACHE_DIR"] = str(cache)
    return env


def render_cmd(project: Path, data: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ipsreport.cli", "render", "--engine", "pandoc",
            "--project", str(project), "--data", str(data), *extra]


def make_cohort(n: int, work: Path, sites: int = 3) -> Path:
    """The twin for 66 rows, else a sampled cohort of ``n`` registry rows (cached in ``work``)."""
    from ipsreport import paths

    if n == 66:
        return paths.SYNTHETIC_DIR
    out = work / f"cohort-{n}-{sites}"
    if not (out / "registry.csv").exists():
        from ipsreport.synth.sample import write_cohort

        write_cohort(out, n=n, sites=sites, seed=2025)
    return out
