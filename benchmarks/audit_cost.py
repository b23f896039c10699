"""Benchmark of the disclosure audit: what protecting everything published together costs.

``python -m benchmarks.audit_cost`` (or ``python -m benchmarks.run --only
audit``) measures, each run in a fresh process, for

* the synthetic twin as shipped (the rule is off: the audit is skipped),
* the twin with ``min_cell=3`` (66 registry rows audited like real data),
* a sampled real-looking cohort of 12 persons (manifest removed), and
* a sampled real-looking cohort of 10,000 registry rows,

the time of the summaries the plan reads (the render computes them anyway),
of the suppression plan (the candidate ledger and the rounds of linear
programs, ``Disclosed.plan``) and of the final audit of everything the book
publishes (``Disclosed.verify``), and how many feasible ranges were solved.
The medians with (min-max) replace the ``## Disclosure audit`` section of
``benchmarks/RESULTS.md``; the rest of the file is left as it is. Nothing
here asserts a target: the audit should stay a small share of a render
(~10 s cold on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import RESULTS, ROOT, Stat, child_cmd, machine_info, timed_run, write_section

HEADING = "## Disclosure audit"
#: Sampled cohorts: label -> (registry rows, sites).
COHORTS = {"12 persons, 2 sites": (12, 2), "10,000 rows": (10_000, 4)}


def child(data: str, min_cell: str) -> dict:
    """One measurement in this (fresh) process: summaries, plan, audit (seconds) and ranges solved."""
    from ipsreport.analysis.disclosed.layer import Disclosed
    from ipsreport.analysis.scoring import edition_scores
    from ipsreport.inputs.edition import edition

    overrides = {} if min_cell == "auto" else {"min_cell": int(min_cell)}
    ed = edition(Path(data), overrides or None)
    protected = Disclosed(ed, edition_scores(ed))
    out = {"min_cell": int(ed.settings.min_cell)}
    start = time.perf_counter()
    if ed.settings.min_cell:
        protected.unprotected
    out["summaries"] = time.perf_counter() - start
    start = time.perf_counter()
    plan = protected.plan
    out["plan"] = time.perf_counter() - start
    start = time.perf_counter()
    protected.verify()
    out["verify"] = time.perf_counter() - start
    out["hidden"] = len(plan.hidden)
    out["ranges"] = len(protected.range_cache)
    return out


def _cohort(work: Path, n: int, sites: int) -> Path:
    from ipsreport.synth.sample import write_cohort

    folder = write_cohort(work / f"cohort-{n}", n, sites=sites, seed=17)
    (folder / "manifest.yml").unlink()  # real data to the rule
    return folder


def bench(runs: int, work: Path) -> dict[str, dict[str, Stat]]:
    """Every case measured ``runs`` times, each in a fresh process."""
    from ipsreport.paths import SYNTHETIC_DIR

    cases = {"the twin (rule off)": (SYNTHETIC_DIR, "auto"), "the twin with min_cell = 3": (SYNTHETIC_DIR, "3")}
    cases.update({label: (_cohort(work, n, sites), "auto") for label, (n, sites) in COHORTS.items()})
    results = {}
    for label, (data, min_cell) in cases.items():
        stats = {k: Stat(k, []) for k in ("summaries", "plan", "verify", "total")}
        extra = {}
        for _ in range(runs):
            _, _, stdout = timed_run(child_cmd("audit_cost", "--child", str(data), min_cell), cwd=ROOT)
            r = json.loads(stdout.strip().splitlines()[-1])
            for k in ("summaries", "plan", "verify"):
                stats[k].values.append(r[k])
            stats["total"].values.append(r["plan"] + r["verify"])
            extra = {"hidden": r["hidden"], "ranges": r["ranges"], "min_cell": r["min_cell"]}
        results[label] = {**stats, **extra}
        print(label, {k: v.cell() for k, v in stats.items()}, extra, file=sys.stderr)
    return results


def section(results: dict, info: dict, runs: int) -> str:
    """The ``## Disclosure audit`` section of RESULTS.md."""
    lines = [
        HEADING,
        "",
        f"`python -m benchmarks.audit_cost` on {info['date']}, commit {info['commit'] or '?'}, {runs} runs each in a "
        "fresh process (median, min–max, seconds). *Summaries*: every summary the plan reads (a render computes "
        "them anyway, for its chapters); *plan*: the candidate ledger and the rounds of linear programs "
        "(`Disclosed.plan`); *audit*: everything the book publishes read back and audited (`Disclosed.verify`, "
        "the render's gate). Sampled cohorts have their manifest removed, so the rule is on (`min_cell` 3).",
        "",
        "| data | rule | summaries | plan | audit | plan + audit | numbers hidden | ranges solved |",
        "| --- | ---: | --- | --- | --- | --- | ---: | ---: |",
    ]
    for label, r in results.items():
        lines.append(f"| {label} | {r['min_cell']} | {r['summaries'].cell()} | {r['plan'].cell()} | "
                     f"{r['verify'].cell()} | {r['total'].cell()} | {r['hidden']} | {r['ranges']} |")
    lines += ["", "Target: a small share of a cold render (about 10 s on 2 cores); with the rule off (the twin as "
              "shipped) the audit does nothing.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--child", nargs=2, metavar=("DATA", "MIN_CELL"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    info = machine_info()
    work = Path(tempfile.mkdtemp(prefix="ipsreport-bench-audit-"))
    try:
        results = bench(args.runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = section(results, info, args.runs)
    write_section(HEADING, text, args.out)
    print(text)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
