"""Benchmarks of ipsreport: render times, the tool floor, compute scaling, per-site reports.

Run ``make bench`` (or ``python benchmarks/run.py``) to measure everything and
write ``benchmarks/RESULTS.md``. Every figure is the median of ``--runs``
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
    stand-in pandoc, see :func:`capture_render_inputs`), plus
    one Jupyter kernel start with the report's imports.
compute
    :func:`ipsreport.pipeline.explore` (validate, load, derive, summarise, model,
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
bundle: the results bundle's cost (``benchmarks/results_bundle.py``, its own section, written last).
    ``benchmarks/audit_cost.py`` (``--only audit``) does the same for the disclosure audit's cost.

Nothing here asserts a target; the targets are printed next to the numbers.
``benchmarks/ANALYSIS.md`` (hand-written: profiles, what was cut, what is
left) is appended to the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script: make the package importable
    sys.path.insert(0, str(ROOT))

RESULTS = HERE / "RESULTS.md"
BASELINE = HERE / "baseline.json"
#: Hand-written analysis appended to RESULTS.md (profiles, fixes, remaining costs).
ANALYSIS = HERE / "ANALYSIS.md"
COMPUTE_SIZES = (66, 461, 10_000, 100_000)
SITE_COUNTS = (3, 12)
SITES_COHORT = 600
EDIT_CHAPTER = "report/03-evalueringen.qmd"


# --------------------------------------------------------------------------- stats


@dataclass
class Stat:
    """Repeated measurements of one quantity."""

    name: str
    values: list[float] = field(default_factory=list)
    unit: str = "s"
    extra: dict[str, Any] = field(default_factory=dict)
    #: CPU seconds (user + system, all child processes) per run, when known.
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    def cell(self, digits: int = 2) -> str:
        """``median (min–max)``."""
        return f"{self.median:.{digits}f} ({self.min:.{digits}f}–{self.max:.{digits}f})"

    def cpu_cell(self) -> str:
        """Median CPU seconds, or ``–``."""
        return f"{statistics.median(self.cpu):.1f}" if self.cpu else "–"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "values": self.values, "cpu": self.cpu, "unit": self.unit, "extra": self.extra}


def repeat(name: str, runs: int, once: Callable[[], Any], before: Callable[[], None] | None = None) -> Stat:
    """Run ``before()`` (untimed) then ``once()`` ``runs`` times.

    ``once`` returns wall seconds, or ``(wall, cpu)`` seconds.
    """
    stat = Stat(name)
    for _ in range(runs):
        if before is not None:
            before()
        got = once()
        if isinstance(got, tuple):
            stat.values.append(got[0])
            stat.cpu.append(got[1])
        else:
            stat.values.append(got)
    return stat


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed_run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """Wall and CPU time (the command and every process it waited for); raises if it fails.

    CPU time is much less disturbed than wall time by other work on a shared
    machine, so both are reported.
    """
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    # A neutral working directory: `python -m` puts it first on sys.path, where
    # it would shadow the source tree chosen through PYTHONPATH.
    proc = subprocess.run(cmd, env=env, cwd=cwd or tempfile.gettempdir(), capture_output=True, text=True)
    took = time.perf_counter() - t0
    cpu = _children_cpu() - cpu0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return took, cpu


# --------------------------------------------------------------------------- machine


def machine_info() -> dict[str, Any]:
    """Cores, memory, CPU model, load, Python and library versions, date."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = int(line.split()[1]) / 1024**2
    except OSError:
        pass
    libs = {}
    for dist in (
        "pandas", "numpy", "scipy", "statsmodels", "great-tables", "matplotlib", "seaborn", "pandera",
        "nbclient", "ipykernel", "jupyter-client", "pypandoc-binary", "typst",
    ):
        try:
            libs[dist] = version(dist)
        except PackageNotFoundError:
            libs[dist] = "not installed"
    try:
        from ipsreport.render.pandoc import pandoc_version

        libs["pandoc"] = pandoc_version().split()[-1]
    except Exception:  # noqa: BLE001 - informational only
        pass
    commit = ""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
        if dirty.strip():
            commit += " (+ uncommitted changes)"
    except (OSError, subprocess.CalledProcessError):
        pass
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "memory_gib": round(mem_gib, 1) if mem_gib else None,
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "libraries": libs,
        "loadavg": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "commit": commit,
    }


# --------------------------------------------------------------------------- project copies


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


# --------------------------------------------------------------------------- render


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

    out = {"cold": repeat("cold render", runs, lambda: timed_run(cmd, env), cold_reset)}
    out["warm"] = repeat("warm render (nothing changed)", runs, lambda: timed_run(cmd, env))
    chapter = project / EDIT_CHAPTER
    counter = iter(range(10_000))

    def edit() -> None:
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(text + f"\nEn ekstra sætning nummer {next(counter)}.\n", encoding="utf-8")

    out["edit"] = repeat("one chapter's prose edited", runs, lambda: timed_run(cmd, env), edit)
    return out


# --------------------------------------------------------------------------- floor


#: A stand-in for the pandoc executable that keeps every conversion's arguments and input (one
#: JSON file each, in ``keep``) and then runs the real pandoc on it. Given to a render through
#: ``PYPANDOC_PANDOC``, pypandoc's documented way to choose the pandoc binary; nothing in the
#: engine is replaced.
_RECORDING_PANDOC = """#!{python}
import json, os, subprocess, sys, uuid

args = sys.argv[1:]
if "-f" not in args:  # `pandoc --version` and the like
    os.execv({real!r}, [{real!r}, *args])
text = sys.stdin.buffer.read()
with open(os.path.join({keep!r}, uuid.uuid4().hex + ".json"), "w", encoding="utf-8") as f:
    json.dump({{"args": args, "text": text.decode("utf-8")}}, f)
sys.exit(subprocess.run([{real!r}, *args], input=text).returncode)
"""


def recording_pandoc(path: Path, keep: Path) -> Path:
    """Write :data:`_RECORDING_PANDOC` to ``path`` (executable), recording into ``keep``."""
    from ipsreport.render.pandoc import pandoc_path

    keep.mkdir(parents=True, exist_ok=True)
    path.write_text(_RECORDING_PANDOC.format(python=sys.executable, real=pandoc_path(), keep=str(keep)),
                    encoding="utf-8")
    path.chmod(0o755)
    return path


def recorded_calls(keep: Path) -> list[dict[str, Any]]:
    """The conversions a :func:`recording_pandoc` kept: ``{"args": [...], "text": ...}`` each."""
    return [json.loads(f.read_text(encoding="utf-8")) for f in sorted(Path(keep).glob("*.json"))]


def capture_render_inputs(work: Path, data: Path) -> dict[str, Any]:
    """Render once (CLI, cold), recording every pandoc conversion; where the Typst book is.

    The render runs in a fresh process with ``PYPANDOC_PANDOC`` pointing at
    :data:`_RECORDING_PANDOC`, on a fresh copy of the project (so no
    conversion comes from the engine's pandoc memo). Returns ``calls``, a
    list of ``{"args": [...], "text": ...}`` (pandoc's command line without
    the executable, and its input), ``main_typ`` (the assembled Typst book
    the engine keeps in its cache folder) and ``book`` (the output folder).
    """
    project = copy_project(work / "floor-project")
    keep = work / "floor-pandoc-inputs"
    stand_in = recording_pandoc(work / "pandoc-recording", keep)
    env = {**cli_env(cache=work / "floor-vcache"), "PYPANDOC_PANDOC": str(stand_in)}
    timed_run(render_cmd(project, data), env)
    calls = recorded_calls(keep)
    if not calls:
        raise RuntimeError(f"the render ran no pandoc conversion through {stand_in}")
    return {"calls": calls, "main_typ": project / ".ipsreport-cache" / "typst" / "main.typ",
            "book": project / "_book"}


def bench_floor(runs: int, work: Path, data: Path) -> dict[str, Stat]:
    """pandoc + Typst on the final documents, and one kernel start with the report's imports."""
    from concurrent.futures import ThreadPoolExecutor

    from ipsreport.book import book_hooks
    from ipsreport.render.kernel import KernelWorker
    from ipsreport.render.pandoc import ASSETS_DIR, pandoc_path
    from ipsreport.render.typst import font_dir

    captured = capture_render_inputs(work, data)
    calls = captured["calls"]
    exe = pandoc_path()

    def pandoc_all() -> tuple[float, float]:
        def one(call):
            subprocess.run([exe, *call["args"]], input=call["text"], capture_output=True, text=True,
                           encoding="utf-8", check=True)

        cpu0, t0 = _children_cpu(), time.perf_counter()
        # As the engine does: one conversion per core at a time.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(one, calls))
        return time.perf_counter() - t0, _children_cpu() - cpu0

    typ_dir = work / "floor-typst"
    shutil.rmtree(typ_dir, ignore_errors=True)
    shutil.copytree(captured["book"] / "figures", typ_dir / "figures")
    shutil.copy2(captured["main_typ"], typ_dir / "main.typ")
    shutil.copy2(ASSETS_DIR / "book.typ", typ_dir / "book.typ")

    # A fresh process per compile: Typst memoises in-process, so a second
    # compile in the same process is far cheaper than any render's.
    typst_script = (
        "import sys, typst; typst.Compiler(sys.argv[1], root=sys.argv[2], font_paths=[sys.argv[3]], "
        "ignore_system_fonts=True).compile(output=sys.argv[4], format='pdf', timestamp=0)"
    )

    def typst_once() -> tuple[float, float]:
        return timed_run([sys.executable, "-c", typst_script, str(typ_dir / "main.typ"), str(typ_dir),
                          str(font_dir()), str(typ_dir / "out.pdf")])

    env = dict(book_hooks(data).kernel_env)

    def kernel_once() -> tuple[float, float]:
        cpu0, t0 = _children_cpu(), time.perf_counter()
        worker = KernelWorker(env, ROOT)
        try:
            worker._run("import ipsreport.edition, ipsreport.facts, ipsreport.tables, ipsreport.figures, ipsreport.models")
        finally:
            took = time.perf_counter() - t0
            worker.close()
        # The kernel's CPU time is counted once it has been reaped (close()).
        return took, _children_cpu() - cpu0

    out = {
        "pandoc": repeat(f"pandoc, all {len(calls)} conversions", runs, pandoc_all),
        "typst": repeat("Typst compile of the book (fresh process)", runs, typst_once),
        "kernel": repeat("kernel start + report imports", runs, kernel_once),
    }
    total = Stat(
        "floor (sum)",
        [a + b + c for a, b, c in zip(out["pandoc"].values, out["typst"].values, out["kernel"].values)],
        cpu=[a + b + c for a, b, c in zip(out["pandoc"].cpu, out["typst"].cpu, out["kernel"].cpu)],
    )
    out["floor"] = total
    return out


# --------------------------------------------------------------------------- compute


def compute_child(data_dir: str) -> dict[str, Any]:
    """One compute measurement (run in a fresh process); returns JSON-able results.

    Runs :func:`ipsreport.pipeline.explore` and renders its outputs as the report
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

    from ipsreport import pipeline

    import_s = time.perf_counter() - t_import

    t0 = time.perf_counter()
    result = pipeline.explore(Path(data_dir))
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


def bench_compute(runs: int, work: Path, sizes=COMPUTE_SIZES) -> dict[int, dict[str, Any]]:
    """Compute time and peak memory per cohort size, each run in a fresh subprocess."""
    out: dict[int, dict[str, Any]] = {}
    for n in sizes:
        data = make_cohort(n, work)
        secs, imps, peaks, steps, rows = [], [], [], [], None
        for _ in range(runs):
            proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--compute-child", str(data)],
                                  capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "agg"})
            if proc.returncode != 0:
                raise RuntimeError(f"compute run for n={n} failed:\n{proc.stderr}")
            res = json.loads(proc.stdout.strip().splitlines()[-1])
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


# --------------------------------------------------------------------------- sites


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
    out["single"] = repeat(f"one report, n={n}", runs, lambda: timed_run(render_cmd(project, single_data), env), cold)
    for k in counts:
        data = make_cohort(n, work, sites=k)
        out[k] = repeat(f"{k} site reports", runs, lambda data=data: timed_run(render_cmd(project, data, "--by", "site"), env), cold)
        out[k].extra["folders"] = sorted(p.name for p in (project / "_book").iterdir() if p.is_dir())
    return out


# --------------------------------------------------------------------------- report


def _row(*cells: Any) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def write_results(path: Path, info: dict[str, Any], runs: int, render=None, floor=None, compute=None,
                  sites=None, baseline: dict[str, Any] | None = None, quick: bool = False) -> str:
    """Write RESULTS.md and return its text."""
    lines = ["# Benchmark results", ""]
    if quick:
        lines += ["> **Quick run** (`--quick`): fewer runs and no 100,000-row cohort; not the reference measurement.", ""]
    lines += [
        f"Written by `make bench` (`benchmarks/run.py`) on {info['date']}; commit {info['commit'] or '?'}.",
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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="2 runs, no 100,000-row cohort (development only)")
    p.add_argument("--runs", type=int, help="repetitions per figure (default 5; 2 with --quick)")
    p.add_argument("--only", default="render,floor,compute,sites,audit,preview,bundle",
                   help="comma-separated parts to run")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--save-baseline", type=Path, metavar="SOURCE",
                   help="measure the render part with the source tree SOURCE and save it as the 'before' baseline")
    p.add_argument("--compute-child", metavar="DATA", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.compute_child:
        print(json.dumps(compute_child(args.compute_child)))
        return 0
    runs = args.runs or (2 if args.quick else 5)
    parts = set(args.only.split(","))
    preview = "preview" in parts  # its own section of RESULTS.md, written last by benchmarks/preview.py
    # The audit, preview and bundle have their own sections of RESULTS.md, written after the others.
    audit, bundle = "audit" in parts, "bundle" in parts
    parts = parts - {"preview", "audit", "bundle"}
    from audit_cost import main as audit_main
    from results_bundle import main as bundle_main

    if (audit or bundle) and not parts and not preview:
        code = audit_main(["--runs", str(runs), "--out", str(args.out)]) if audit else 0
        return bundle_main(["--runs", str(runs), "--out", str(args.out)]) if bundle else code
    if preview and not parts:
        from preview import main as preview_main

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
        text = write_results(args.out, info, runs, render, floor, compute, sites, baseline, quick=args.quick)
        print(text)
        print(f"wrote {args.out}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if audit:
        audit_main(["--runs", str(runs), "--out", str(args.out)])
    if preview:
        from preview import main as preview_main

        preview_main(["--runs", str(runs), "--out", str(args.out)])
    if bundle:
        bundle_main(["--runs", str(runs), "--out", str(args.out)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
