"""Cold renders of two source trees, alternated: a before/after comparison on a shared machine.

On this machine single renders scatter by a third from one minute to the
next (other work, the host), so a change is judged by renders of the two
trees taken in turn, each cold (no output, no cache), under the same
conditions::

    git worktree add /tmp/before <commit>        # or: git archive <commit> | tar -x -C /tmp/before
    python -m benchmarks.ab_render /tmp/before --runs 5

prints the median wall and CPU seconds of each tree (min-max in brackets).
The render is the one of :mod:`benchmarks.renders` (``ipsreport render``,
pandoc engine, HTML + PDF, the synthetic twin); the "after" tree is this
checkout.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import Stat, timed_run
from benchmarks.project import ROOT, clean_project, cli_env, copy_project, render_cmd


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("before", type=Path, help="the other source tree (a checkout of the commit to compare with)")
    p.add_argument("--runs", type=int, default=5, help="cold renders of each tree (default 5)")
    args = p.parse_args(argv)
    from ipsreport import paths

    trees = {"before": args.before.resolve(), "after": ROOT}
    with tempfile.TemporaryDirectory(prefix="ipsreport-ab-") as tmp:
        work = Path(tmp)
        stats = {name: Stat(f"cold render, {name}") for name in trees}
        projects = {name: copy_project(work / name, tree) for name, tree in trees.items()}
        for _ in range(args.runs):
            for name, tree in trees.items():  # in turn, so both see the same conditions
                project = projects[name]
                cache = work / f"cache-{name}"
                clean_project(project)
                shutil.rmtree(cache, ignore_errors=True)
                wall, cpu, _ = timed_run(render_cmd(project, paths.SYNTHETIC_DIR), cli_env(tree, cache))
                stats[name].values.append(wall)
                stats[name].cpu.append(cpu)
    print("| tree | cold wall seconds | CPU seconds |\n| --- | --- | ---: |")
    for name, stat in stats.items():
        print(f"| {name} ({trees[name]}) | {stat.cell()} | {stat.cpu_cell()} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
