"""Benchmarks of ipsreport: render times, the tool floor, compute scaling, per-site reports.

Run ``make bench`` (or ``python -m benchmarks.run`` in the project folder) to
measure everything and write ``benchmarks/RESULTS.md``. Every figure is the median of ``--runs``
repetitions (default 5) with min and max; ``--quick`` takes 2 runs and skips
the 100,000-row cohort, for development only.

What is measured
----------------
render
    ``ipsreport render`` (pandoc engine, HTML + PDF, the synthetic twin) as a
    user runs it, in a fresh process, on a temporary copy of the project:
    cold (no output, no cache), warm (nothing changed) and after editing one
    chapter's prose.
floor
    What no render can avoid: pandoc on every chapter document and Typst on
    the assembled book (the exact inputs of a render, recorded from one by a
    stand-in pandoc, see :func:`benchmarks.floor.capture_render_inputs`), plus
    one Jupyter kernel start with the report's imports.
compute
    :func:`ipsreport.explore.explore` (validate, load, derive, summarise, model,
    results, every table and figure and the facts) with the tables rendered to HTML,
    the figures to SVG and every fact formatted, for cohorts of 66 (the twin),
    461, 10,000 and 100,000 registry rows; each run in a fresh subprocess,
    with its peak RSS and the time of each pipeline step.
sites
    ``ipsreport render --by site`` for 3 and 12 sites (cold), against one cold
    single report of the same cohort.
preview
    ``ipsreport preview``: a prose edit until the served page shows it
    (``benchmarks/preview.py``, run last; it replaces its own section of
    RESULTS.md, so ``--only preview`` updates that section alone).

``--only`` with some of render, floor, compute and sites replaces those
sections (and the machine's) and keeps every other section of RESULTS.md.
bundle
    The results bundle's cost (``benchmarks/results_bundle.py``, its own
    section, written last).
audit
    The disclosure audit's cost (``benchmarks/audit_cost.py``, its own section).

Modules, one part each (``benchmarks`` is a package: run its modules with
``python -m benchmarks.<module>`` from the project folder): ``measure`` (the
``Stat`` of repeated measurements, the one timing helper ``timed_run``, the
machine, ``write_section``), ``project`` (project copies, the render command,
sampled cohorts), ``renders`` (render and sites), ``floor``, ``compute``,
``results_md`` (RESULTS.md), ``preview``, ``results_bundle``, ``audit_cost``;
this module only chooses the parts and writes the file.

Nothing here asserts a target; the targets are printed next to the numbers.
``benchmarks/ANALYSIS.md`` (hand-written: profiles, what was cut, what is
left) is appended to the results.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.audit_cost import main as audit_main
from benchmarks.compute import COMPUTE_SIZES, bench_compute
from benchmarks.floor import bench_floor
from benchmarks.measure import HERE, RESULTS, machine_info
from benchmarks.preview import main as preview_main
from benchmarks.renders import bench_render, bench_sites
from benchmarks.results_bundle import main as bundle_main
from benchmarks.results_md import merge_results, write_results

BASELINE = HERE / "baseline.json"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="2 runs, no 100,000-row cohort (development only)")
    p.add_argument("--runs", type=int, help="repetitions per figure (default 5; 2 with --quick)")
    p.add_argument("--only", default="render,floor,compute,sites,audit,preview,bundle",
                   help="comma-separated parts to run")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--save-baseline", type=Path, metavar="SOURCE",
                   help="measure the render part with the source tree SOURCE and save it as the 'before' baseline")
    args = p.parse_args(argv)
    runs = args.runs or (2 if args.quick else 5)
    parts = set(args.only.split(","))
    preview = "preview" in parts  # its own section of RESULTS.md, written last by benchmarks/preview.py
    # The audit, preview and bundle have their own sections of RESULTS.md, written after the others.
    audit, bundle = "audit" in parts, "bundle" in parts
    parts = parts - {"preview", "audit", "bundle"}
    if (audit or bundle) and not parts and not preview:
        code = audit_main(["--runs", str(runs), "--out", str(args.out)]) if audit else 0
        return bundle_main(["--runs", str(runs), "--out", str(args.out)]) if bundle else code
    if preview and not parts:
        return preview_main(["--runs", str(runs), "--out", str(args.out)])
    from ipsreport import paths

    info = machine_info()
    work = Path(tempfile.mkdtemp(prefix="ipsreport-bench-"))
    try:
        if args.save_baseline:
            r = bench_render(runs, work, paths.SYNTHETIC_DIR, source=args.save_baseline.resolve(), label="-before")
            BASELINE.write_text(json.dumps({
                "what": f"source tree {args.save_baseline}", "date": info["date"],
                "render": {k: v.to_json() for k, v in r.items()},
            }, indent=1), encoding="utf-8")
            print(f"wrote {BASELINE}")
            return 0
        render = floor = compute = sites = None
        if "render" in parts:
            render = bench_render(runs, work, paths.SYNTHETIC_DIR)
            print({k: v.cell() for k, v in render.items()}, file=sys.stderr)
        if "floor" in parts:
            floor = bench_floor(runs, work, paths.SYNTHETIC_DIR)
            print({k: v.cell() for k, v in floor.items()}, file=sys.stderr)
        if "compute" in parts:
            sizes = tuple(s for s in COMPUTE_SIZES if not (args.quick and s > 10_000))
            compute = bench_compute(runs, work, sizes)
            print({n: r["time"].cell() for n, r in compute.items()}, file=sys.stderr)
        if "sites" in parts:
            sites = bench_sites(runs, work)
            print({k: v.cell() for k, v in sites.items()}, file=sys.stderr)
        baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else None
        info["loadavg_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
        measured = [name for name in ("render", "floor", "compute", "sites") if name in parts]
        if set(measured) == {"render", "floor", "compute", "sites"} or not args.out.exists():
            text = write_results(args.out, info, runs, render, floor, compute, sites, baseline, quick=args.quick)
        else:  # a part measured again: its sections replaced, every other section kept
            fresh = work / "RESULTS.md"
            write_results(fresh, info, runs, render, floor, compute, sites, baseline, quick=args.quick)
            text = merge_results(args.out, fresh.read_text(encoding="utf-8"), measured, runs, info)
        print(text)
        print(f"wrote {args.out}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if audit:
        audit_main(["--runs", str(runs), "--out", str(args.out)])
    if preview:
        preview_main(["--runs", str(runs), "--out", str(args.out)])
    if bundle:
        bundle_main(["--runs", str(runs), "--out", str(args.out)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
