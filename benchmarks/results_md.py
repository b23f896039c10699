"""RESULTS.md: the machine and the sections of render, floor, compute and sites."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from benchmarks.measure import HERE, Stat, write_section
from benchmarks.project import EDIT_CHAPTER
from benchmarks.renders import SITE_COUNTS, SITES_COHORT

#: Hand-written analysis appended to RESULTS.md (profiles, fixes, remaining costs).
ANALYSIS = HERE / "ANALYSIS.md"


def _row(*cells: Any) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def write_results(path: Path, info: dict[str, Any], runs: int, render=None, floor=None, compute=None,
                  sites=None, baseline: dict[str, Any] | None = None, quick: bool = False) -> str:
    """Write RESULTS.md and return its text."""
    lines = ["# Benchmark results", ""]
    if quick:
        lines += ["> **Quick run** (`--quick`): fewer runs and no 100,000-row cohort; not the reference measurement.", ""]
    lines += [
        f"Written by `make bench` (`python -m benchmarks.run`) on {info['date']}; commit {info['commit'] or '?'}.",
        f"Every figure is the median of {runs} runs, with (min–max). Times in seconds.",
        "",
        "## Machine",
        "",
        _row("", ""), _row("---", "---"),
        _row("CPU", info["cpu"]),
        _row("cores", info["cores"]),
        _row("memory", f"{info['memory_gib']} GiB"),
        _row("OS", info["os"]),
        _row("Python", info["python"]),
        _row("load average at start (1, 5, 15 min)", ", ".join(f"{x:.2f}" for x in info["loadavg"]) if info["loadavg"] else "?"),
        _row("load average at end", ", ".join(f"{x:.2f}" for x in info["loadavg_end"]) if info.get("loadavg_end") else "?"),
        "",
        "Libraries: " + ", ".join(f"{k} {v}" for k, v in info["libraries"].items()) + ".",
        "",
        "The machine is shared (other work may run at the same time, see the load "
        "average), so single runs scatter; compare medians.",
        "",
    ]
    if render:
        lines += [
            "## Full render of the reference edition (HTML + PDF, pandoc engine)",
            "",
            "`ipsreport render --engine pandoc` on a temporary copy of the project with the synthetic twin, "
            "in a fresh process each time (interpreter start, validation, kernels, pandoc, Typst).",
            "",
            _row("render", "wall seconds", "CPU seconds", "target (wall)"), _row("---", "---", "---:", "---"),
            _row("cold (no output, no cache)", render["cold"].cell(), render["cold"].cpu_cell(), "≤ 30 s and ≤ 3 × floor"),
            _row("warm (nothing changed)", render["warm"].cell(), render["warm"].cpu_cell(), "≤ 3 s"),
            _row(f"one chapter's prose edited (`{EDIT_CHAPTER}`)", render["edit"].cell(), render["edit"].cpu_cell(), "≤ 8 s"),
            "",
        ]
        if baseline:
            b = baseline["render"]
            lines += [
                "### Before and after",
                "",
                f"Before: {baseline.get('what', 'the engine before this work')}, measured {baseline.get('date', '?')} "
                "on the same machine with the same method (`benchmarks/baseline.json`).",
                "",
                _row("render", "before: wall", "before: CPU", "after: wall", "after: CPU"),
                _row("---", "---", "---:", "---", "---:"),
            ]
            for key, label in (("cold", "cold"), ("warm", "warm"), ("edit", "one chapter edited")):
                if key in b:
                    before = Stat(key, b[key]["values"], cpu=b[key].get("cpu", []))
                    lines.append(_row(label, before.cell(), before.cpu_cell(), render[key].cell(), render[key].cpu_cell()))
            lines.append("")
    if floor:
        ratio = render["cold"].median / floor["floor"].median if render else None
        lines += [
            "## The floor",
            "",
            "What any render must spend: pandoc on every chapter document (the exact inputs of a render, "
            "one conversion per core at a time, as the engine does), Typst on the assembled book, and one "
            "Jupyter kernel start with the report's imports.",
            "",
            _row("part", "wall seconds", "CPU seconds"), _row("---", "---", "---:"),
            *[_row(floor[k].name, floor[k].cell(), floor[k].cpu_cell()) for k in ("pandoc", "typst", "kernel", "floor")],
            "",
        ]
        if ratio is not None:
            cpu_ratio = (statistics.median(render["cold"].cpu) / statistics.median(floor["floor"].cpu)
                         if render["cold"].cpu and floor["floor"].cpu else None)
            lines += [f"Cold render / floor = **{ratio:.1f} ×** in wall time (target ≤ 3 ×)"
                      + (f", {cpu_ratio:.1f} × in CPU time." if cpu_ratio else "."), ""]
    if compute:
        lines += [
            "## Compute only: load, validate, every summary, model, table, figure and fact",
            "",
            "Each run in a fresh process; time excludes the imports (shown separately); peak memory is the "
            "process's peak RSS (`resource.getrusage`), imports included. Surveys scale with the registry.",
            "",
            _row("registry rows", "baseline", "follow-up", "compute (s)", "imports (s)", "peak RSS (MiB)"),
            _row("---:", "---:", "---:", "---", "---", "---"),
        ]
        for n, r in compute.items():
            rows = r["rows"] or {}
            lines.append(_row(f"{rows.get('registry', n):,}", f"{rows.get('baseline', ''):,}", f"{rows.get('followup', ''):,}",
                              r["time"].cell(), r["imports"].cell(), r["peak"].cell(0)))
        lines.append("")
        sizes = sorted(compute)
        if 10_000 in compute and 100_000 in compute:
            g = compute[100_000]["time"].median / compute[10_000]["time"].median
            lines += [f"Growth from 10,000 to 100,000 rows: × {g:.1f} in time for × 10 in rows "
                      "(target: no worse than linear, i.e. ≤ × 10; target at 100,000: ≤ 10 s and ≤ 1 GiB).", ""]
        big = compute[sizes[-1]]
        top = sorted(big["steps"].items(), key=lambda kv: -kv[1])[:12]
        lines += [f"Largest steps at {sizes[-1]:,} rows (median seconds):", "",
                  _row("step", "seconds"), _row("---", "---:"),
                  *[_row(k, f"{v:.3f}") for k, v in top], ""]
    if sites:
        single = sites["single"]
        lines += [
            "## One report per site",
            "",
            f"`ipsreport render --by site` (HTML + PDF, cold) on a sampled cohort of {SITES_COHORT} registry rows, "
            "against one cold report of the whole cohort.",
            "",
            _row("render", "wall seconds", "CPU seconds", "wall per report", "target"),
            _row("---", "---", "---:", "---:", "---"),
            _row(single.name, single.cell(), single.cpu_cell(), f"{single.median:.2f}", ""),
        ]
        for k in SITE_COUNTS:
            if k in sites:
                s = sites[k]
                lines.append(_row(s.name, s.cell(), s.cpu_cell(), f"{s.median / k:.2f}",
                                  f"< {k} × single = {k * single.median:.1f} s"))
        lines.append("")
    if ANALYSIS.exists():
        # The hand-written part: where the time goes, what was cut, what is left.
        lines += ["", ANALYSIS.read_text(encoding="utf-8").strip()]
    text = "\n".join(lines).rstrip() + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def merge_results(path: Path, fresh: str, measured: list[str], runs: int, info: dict[str, Any]) -> str:
    """Put the sections of ``fresh`` (a run of some parts only) into RESULTS.md, keeping every other section.

    The header says which parts this run measured; the sections of the
    other parts stay as an earlier run wrote them. The hand-written analysis
    is taken from ``ANALYSIS.md`` as it is now.
    """
    for section in fresh.split("\n## ")[1:]:
        heading = "## " + section.splitlines()[0]
        write_section(heading, ("## " + section).rstrip() + "\n", path)
    text = path.read_text(encoding="utf-8")
    note = (f"Parts measured again on {info['date']} (commit {info['commit'] or '?'}, median of {runs} runs): "
            f"{', '.join(measured)}; the machine section is that run's. Other sections are from earlier runs.")
    lines = text.splitlines()
    lines = [line for line in lines if not line.startswith("Parts measured again on ")]
    at = next((i for i, line in enumerate(lines) if line.startswith("Every figure is the median")), 1)
    lines.insert(at + 1, note)
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    return text
