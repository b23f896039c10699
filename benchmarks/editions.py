"""Benchmark: what comparing with a previous edition (``render --previous``) costs a render.

A made 2026 cohort (the twin a year later with other outcomes,
``tests/next_edition.py``) is rendered cold (HTML + PDF, a fresh cache each
time, every run in a fresh process) without a previous edition and with the
2025 twin's results bundle as the previous edition (and its data folder, so
shared persons are counted). The target: at most 10 % longer with it.

``python benchmarks/editions.py [--runs N]`` replaces the section "Edition
comparison" of ``benchmarks/RESULTS.md``. Nothing here asserts the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
HEADING = "## Edition comparison"
#: Longest acceptable median render with a previous edition, relative to one without (issue 19).
TARGET = 1.10

#: Run in a fresh process: validate argv[1], render the project into argv[2] with the cache argv[3],
#: comparing with the bundle argv[4] and data argv[5] when they are given.
_RENDER = """\
import json, sys
from pathlib import Path
from ipsreport.book.hooks import book_hooks, resolve_settings
from ipsreport.results.editions.locate import resolve_previous
from ipsreport.paths import PROJECT_DIR
from ipsreport.render.engine import render_book
from ipsreport.inputs.verdicts import validate_shared
data, out, cache = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
settings = resolve_settings(data, json.loads(sys.argv[6]))
validate_shared(data, cache)
previous = resolve_previous(sys.argv[4], settings.edition_year, sys.argv[5]) if sys.argv[4] else None
hooks = book_hooks(data, cache_dir=cache, settings=settings, previous=previous)
render_book(PROJECT_DIR, output_dir=out, hooks=hooks, cache_dir=cache)
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _render(data: Path, work: Path, previous: Path | None, previous_data: Path | None,
            settings: str) -> tuple[float, float]:
    """Wall and CPU seconds of one cold render (CPU: the process and every kernel it waited for)."""
    cache, out = work / "cache", work / "out"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "IPSREPORT_PROGRESS": "plain"}
    env.pop("IPSREPORT_SETTINGS", None)
    env.pop("IPSREPORT_DATA", None)
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([sys.executable, "-c", _RENDER, str(data), str(out), str(cache), str(previous or ""),
                    str(previous_data or ""), settings], check=True, cwd=ROOT, env=env, capture_output=True)
    return time.perf_counter() - start, _children_cpu() - cpu


def measure(runs: int) -> dict[str, list[float]]:
    """Wall and CPU seconds of ``runs`` cold renders without and with the previous edition, interleaved."""
    import json

    sys.path.insert(0, str(ROOT / "tests"))
    from next_edition import SETTINGS_2026, write_2026

    from ipsreport.paths import SYNTHETIC_DIR
    from ipsreport.pipeline import run
    from ipsreport.results import write_bundle

    work = Path(tempfile.mkdtemp(prefix="ipsreport-bench-editions-"))
    try:
        data = write_2026(work / "data-2026")
        write_bundle(run(SYNTHETIC_DIR), work / "editions" / "2025")
        settings = json.dumps(SETTINGS_2026)
        times: dict[str, list[float]] = {"without": [], "with": [], "without_cpu": [], "with_cpu": []}
        for _ in range(runs):
            for name, args in (("without", (None, None)), ("with", (work / "editions", SYNTHETIC_DIR))):
                wall, cpu = _render(data, work, *args, settings)
                times[name].append(wall)
                times[f"{name}_cpu"].append(cpu)
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _stat(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def section(times: dict[str, list[float]], runs: int) -> str:
    """The Markdown section for ``benchmarks/RESULTS.md``."""
    ratio = statistics.median(times["with"]) / statistics.median(times["without"])
    cpu_ratio = statistics.median(times["with_cpu"]) / statistics.median(times["without_cpu"])
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    verdict = "met" if ratio <= TARGET else "not met"
    return (f"{HEADING}\n\n`python benchmarks/editions.py --runs {runs}` on {when}: a made 2026 cohort, cold "
            f"renders (HTML + PDF), each in a fresh process, without and with the 2025 twin as previous edition "
            f"(`--previous`, `--previous-data`); median (min–max) seconds. Load average at end: {load}.\n\n"
            "| render | wall seconds | CPU seconds | target |\n|---|---|---|---|\n"
            f"| without a previous edition | {_stat(times['without'])} | {_stat(times['without_cpu'])} | |\n"
            f"| with the previous edition | {_stat(times['with'])} | {_stat(times['with_cpu'])} | |\n"
            f"| ratio of the medians | {ratio:.3f} | {cpu_ratio:.3f} | ≤ {TARGET:.2f} (wall: {verdict}) |\n\n"
            "Each kernel that prints a comparison reads the previous bundle once and builds only the frames its "
            "indicators need, frames its own chapter computes anyway (`ipsreport/results/editions/record.py`); the "
            "book also has one more section, table and eight sentences to typeset. On a shared machine the "
            "wall times scatter by more than that; the CPU seconds are the steadier figure.\n")


def write(text: str, path: Path = RESULTS) -> None:
    """Replace (or append) the section in ``RESULTS.md``."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    new = pattern.sub(lambda _: text + "\n", old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    text = section(measure(args.runs), args.runs)
    write(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
