"""Benchmark: what the results bundle (``resultater/``) costs a render of the synthetic twin.

Two measurements, each run in a fresh process:

bundle
    :func:`ipsreport.pipeline.run` on the twin with the validation handed in
    (as a render does: the CLI has validated already) plus
    :func:`ipsreport.results.write_bundle`, with the imports it needs; wall
    and CPU seconds.
render
    A cold render of the twin (HTML + PDF, :func:`ipsreport.render.engine.render_book`
    with the book's hooks), then one after a chapter's prose was edited
    (one chapter runs again), with the bundle and without it
    (``book_hooks(..., results=False)``); the difference is what the bundle
    adds to a render. The bundle is computed in a background thread while
    the chapters run, so much of its cost is CPU, not wall time.

``python -m benchmarks.results_bundle [--runs N]`` replaces the section
"Results bundle" of ``benchmarks/RESULTS.md``; ``make bench`` runs it after
the other parts. Nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import RESULTS, ROOT, child_cmd, timed_run, write_section
from benchmarks.project import EDIT_CHAPTER, copy_project

HEADING = "## Results bundle"

#: Run in a fresh process: a render of the project at argv[1] into argv[2], bundle on or off (argv[3]),
#: validating first as ``ipsreport render`` does (so both states have the data loaded alike).
_RENDER = """\
import sys
from pathlib import Path
from ipsreport.book.hooks import book_hooks
from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.render.engine import render_book
from ipsreport.inputs.verdicts import validate_shared
project, out, cache = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[4])
validate_shared(SYNTHETIC_DIR, cache)
hooks = book_hooks(SYNTHETIC_DIR, cache_dir=cache, results=sys.argv[3] == "on")
render_book(project, output_dir=out, hooks=hooks, cache_dir=cache)
"""


def bundle_child(out: str) -> dict[str, float]:
    """Import, run the pipeline on the twin (validation handed in) and write the bundle into ``out``."""
    t0 = time.perf_counter()
    from ipsreport import pipeline
    from ipsreport.paths import SYNTHETIC_DIR
    from ipsreport.results import write_bundle
    from ipsreport.inputs.validate import validate_dir

    imported = time.perf_counter()
    report = validate_dir(SYNTHETIC_DIR)  # the render validated before: not counted
    cpu0, t1 = time.process_time(), time.perf_counter()
    results = pipeline.run(SYNTHETIC_DIR, report=report)
    t2 = time.perf_counter()
    write_bundle(results, out)
    t3 = time.perf_counter()
    return {"import": imported - t0, "run": t2 - t1, "write": t3 - t2, "cpu": time.process_time() - cpu0,
            "files": len(list((Path(out) / "resultater").iterdir()))}


#: Plain progress output in the processes measured.
_CLI_ENV = {**os.environ, "CI": "1"}


def measure(runs: int, work: Path, render: bool = True) -> dict[str, list]:
    """``runs`` bundle measurements and, with ``render``, ``runs`` cold renders with and without it."""
    got: dict[str, list] = {"bundle": [], "on": [], "off": [], "edit-on": [], "edit-off": []}
    for i in range(runs):
        out = work / f"bundle-{i}"
        wall, cpu, text = timed_run(child_cmd("results_bundle", "--child", str(out)), env=_CLI_ENV, cwd=ROOT)
        got["bundle"].append({**json.loads(text), "wall": wall, "process_cpu": cpu})
    if render:
        projects = {state: copy_project(work / f"project-{state}") for state in ("off", "on")}
        for i in range(runs):
            for state in ("off", "on"):  # alternating, so a change in load hits both alike
                project, cache, out = projects[state], work / f"cache-{state}-{i}", work / f"out-{state}-{i}"
                cmd = [sys.executable, "-c", _RENDER, str(project), str(out), state, str(cache)]
                wall, cpu, _ = timed_run(cmd, env=_CLI_ENV)
                assert (out / "resultater").is_dir() == (state == "on")
                got[state].append({"wall": wall, "cpu": cpu})
                chapter = project / EDIT_CHAPTER
                chapter.write_text(chapter.read_text(encoding="utf-8") + f"\nEn ekstra sætning nummer {i}.\n",
                                   encoding="utf-8")
                wall, cpu, _ = timed_run(cmd, env=_CLI_ENV)
                got[f"edit-{state}"].append({"wall": wall, "cpu": cpu})
                shutil.rmtree(cache, ignore_errors=True)
    return got


def _cell(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def section(got: dict[str, list], runs: int) -> str:
    """The "Results bundle" section of RESULTS.md."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    b = got["bundle"]
    rows = [
        f"| pipeline run (validation handed in) | {_cell([x['run'] for x in b])} | |",
        f"| writing `resultater/` ({b[0]['files']} files) | {_cell([x['write'] for x in b])} | |",
        f"| imports the run needs | {_cell([x['import'] for x in b])} | |",
        f"| CPU of run and write | {_cell([x['cpu'] for x in b])} | |",
    ]
    for what, on_key, off_key in (("cold render", "on", "off"), ("render after a prose edit", "edit-on", "edit-off")):
        if not got[on_key]:
            continue
        on, off = [x["wall"] for x in got[on_key]], [x["wall"] for x in got[off_key]]
        cpu_on, cpu_off = [x["cpu"] for x in got[on_key]], [x["cpu"] for x in got[off_key]]
        share = (statistics.median(on) - statistics.median(off)) / statistics.median(off) * 100
        rows += [
            f"| {what} without / with the bundle, wall | {_cell(off)} / {_cell(on)} | |",
            f"| {what}: difference of the medians | {statistics.median(on) - statistics.median(off):+.2f} "
            f"({share:+.0f} %) | a small share of the render |",
            f"| {what} without / with the bundle, CPU | {_cell(cpu_off)} / {_cell(cpu_on)} | |",
        ]
    return "\n".join([
        HEADING,
        "",
        f"`python -m benchmarks.results_bundle --runs {runs}` on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} "
        "UTC, the synthetic twin, each measurement in a fresh process (median, min–max seconds). "
        f"Load average at end: {load}.",
        "",
        "| results bundle | seconds | target |",
        "| --- | --- | --- |",
        *rows,
        "",
        "A render computes the bundle once, in a background thread of the CLI process while the chapters run "
        "in their kernels (`ipsreport/results/publish.py`), and writes it into the book's temporary folder "
        "before that replaces the output; a render whose data, settings, code and printed facts are unchanged "
        "(a prose edit) copies the bundle kept in the render cache. On a shared machine the wall-time "
        "difference scatters by more than the bundle costs; its CPU cost (run and write, above) is the "
        "figure to compare.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--no-render", action="store_true", help="measure the bundle alone, not the renders")
    p.add_argument("--child", metavar="OUT", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(bundle_child(args.child)))
        return 0
    work = Path(tempfile.mkdtemp(prefix="ipsreport-bundle-bench-"))
    try:
        got = measure(args.runs, work, render=not args.no_render)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = section(got, args.runs)
    write_section(HEADING, text, args.out)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
