"""Full renders as a user runs them (``ipsreport render``, fresh process): cold, warm, edited; per site."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from benchmarks.measure import Stat, repeat, timed_run
from benchmarks.project import EDIT_CHAPTER, clean_project, cli_env, copy_project, make_cohort, render_cmd

SITE_COUNTS = (3, 12)
SITES_COHORT = 600


def bench_render(runs: int, work: Path, data: Path, source: Path | None = None, label: str = "") -> dict[str, Stat]:
    """Cold, warm and edited-chapter renders of the full report (CLI, HTML + PDF).

    ``source`` renders with another source tree (e.g. the code before a
    change) via ``PYTHONPATH``.
    """
    project = copy_project(work / f"project{label}")
    # Validation verdicts are cached next to the package; keep them in the
    # temporary folder so "cold" really is cold.
    vcache = work / f"vcache{label}"
    env = cli_env(source, vcache)
    cmd = render_cmd(project, data)

    def cold_reset() -> None:
        clean_project(project)
        shutil.rmtree(vcache, ignore_errors=True)
        if source is not None:
            shutil.rmtree(source / ".ipsreport-cache" / "validated", ignore_errors=True)

    out = {"cold": repeat("cold render", runs, lambda: timed_run(cmd, env)[:2], cold_reset)}
    out["warm"] = repeat("warm render (nothing changed)", runs, lambda: timed_run(cmd, env)[:2])
    chapter = project / EDIT_CHAPTER
    counter = iter(range(10_000))

    def edit() -> None:
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(text + f"\nEn ekstra sætning nummer {next(counter)}.\n", encoding="utf-8")

    out["edit"] = repeat("one chapter's prose edited", runs, lambda: timed_run(cmd, env)[:2], edit)
    return out


def bench_sites(runs: int, work: Path, counts=SITE_COUNTS, n: int = SITES_COHORT) -> dict[str, Any]:
    """Cold ``render --by site`` for each site count vs one cold single report of the same data."""
    out: dict[str, Any] = {}
    project = copy_project(work / "sites-project")
    vcache = work / "sites-vcache"
    env = cli_env(None, vcache)

    def cold() -> None:
        clean_project(project)
        shutil.rmtree(vcache, ignore_errors=True)

    single_data = make_cohort(n, work, sites=max(counts))
    out["single"] = repeat(f"one report, n={n}", runs, lambda: timed_run(render_cmd(project, single_data), env)[:2], cold)
    for k in counts:
        data = make_cohort(n, work, sites=k)
        out[k] = repeat(f"{k} site reports", runs, lambda data=data: timed_run(render_cmd(project, data, "--by", "site"), env)[:2], cold)
        out[k].extra["folders"] = sorted(p.name for p in (project / "_book").iterdir() if p.is_dir())
    return out
