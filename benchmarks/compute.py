"""Compute only: the pipeline, every table, figure and fact, per cohort size, each run in a fresh process.

``python -m benchmarks.compute --child DATA`` is one measurement (the
process :func:`bench_compute` starts); it prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import ROOT, Stat, child_cmd, timed_run
from benchmarks.project import make_cohort

COMPUTE_SIZES = (66, 461, 10_000, 100_000)


def compute_child(data_dir: str) -> dict[str, Any]:
    """One compute measurement (run in a fresh process); returns JSON-able results.

    Runs :func:`ipsreport.explore.explore` and renders its outputs as the report
    does (tables to HTML, figures to SVG, every fact). ``steps`` holds the
    pipeline's own step times, then per table, figure and the facts the time
    to build and render it.
    """
    import io
    import resource

    t_import = time.perf_counter()
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from ipsreport import explore

    import_s = time.perf_counter() - t_import

    t0 = time.perf_counter()
    result = explore.explore(Path(data_dir))
    steps: dict[str, float] = dict(result.seconds)
    built = result.outputs
    for name, table in built.tables.items():
        t = time.perf_counter()
        table.as_raw_html()
        steps[name] = built.seconds[name] + time.perf_counter() - t
    for name, figure in built.figures.items():
        t = time.perf_counter()
        figure.savefig(io.BytesIO(), format="svg")
        plt.close(figure)
        steps[name] = built.seconds[name] + time.perf_counter() - t
    t = time.perf_counter()
    built.facts.as_dict()
    steps["facts"] = built.seconds["facts"] + time.perf_counter() - t
    total = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    ed = result.edition
    return {"seconds": total, "import_seconds": import_s, "peak_mib": peak_kib / 1024, "steps": steps,
            "rows": {n: len(ed.frame(n)) for n in ("registry", "baseline", "followup")}}


def bench_compute(runs: int, work: Path, sizes=COMPUTE_SIZES) -> dict[int, dict[str, Any]]:
    """Compute time and peak memory per cohort size, each run in a fresh subprocess."""
    out: dict[int, dict[str, Any]] = {}
    for n in sizes:
        data = make_cohort(n, work)
        secs, imps, peaks, steps, rows = [], [], [], [], None
        for _ in range(runs):
            _, _, stdout = timed_run(child_cmd("compute", "--child", str(data)),
                                     env={**os.environ, "MPLBACKEND": "agg"}, cwd=ROOT)
            res = json.loads(stdout.strip().splitlines()[-1])
            secs.append(res["seconds"])
            imps.append(res["import_seconds"])
            peaks.append(res["peak_mib"])
            steps.append(res["steps"])
            rows = res["rows"]
        median_steps = {k: statistics.median(s[k] for s in steps) for k in steps[0]}
        out[n] = {
            "time": Stat(f"compute n={n}", secs),
            "imports": Stat(f"imports n={n}", imps),
            "peak": Stat(f"peak RSS n={n}", peaks, unit="MiB"),
            "steps": median_steps,
            "rows": rows,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--child", metavar="DATA", required=True, help="measure once on DATA and print JSON")
    args = p.parse_args(argv)
    print(json.dumps(compute_child(args.child)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
