"""What every benchmark shares: repeated measurements, the one timing helper, the machine, RESULTS.md.

:class:`Stat` holds repeated measurements of one quantity; :func:`timed_run`
is the one way a benchmark times a command in a fresh process (wall and CPU
seconds, and its output); :func:`write_section` replaces one ``## ...``
section of ``benchmarks/RESULTS.md`` and leaves the rest as it is.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import resource
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
RESULTS = HERE / "RESULTS.md"


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


def children_cpu() -> float:
    """CPU seconds (user + system) of every child process this one has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float, str]:
    """Wall and CPU seconds of a command (and every process it waited for), and its output; raises if it fails.

    CPU time is much less disturbed than wall time by other work on a shared
    machine, so both are reported.
    """
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    # A neutral working directory: `python -m` puts it first on sys.path, where
    # it would shadow the source tree chosen through PYTHONPATH.
    proc = subprocess.run(cmd, env=env, cwd=cwd or tempfile.gettempdir(), capture_output=True, text=True)
    took = time.perf_counter() - t0
    cpu = children_cpu() - cpu0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return took, cpu, proc.stdout


def child_cmd(module: str, *args: str) -> list[str]:
    """The command that runs ``benchmarks/<module>.py`` in a fresh process (``python -m benchmarks.<module>``).

    Run it with ``cwd=ROOT``, so that ``benchmarks`` is importable.
    """
    return [sys.executable, "-m", f"benchmarks.{module}", *args]


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




def write_section(heading: str, text: str, path: Path = RESULTS) -> None:
    """Replace the section ``heading`` of RESULTS.md with ``text`` (or add it before the hand-written analysis)."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(old):
        new = pattern.sub(lambda m: text + "\n", old, count=1)
    elif "\n## Where the time went" in old:
        new = old.replace("\n## Where the time went", "\n" + text + "\n## Where the time went", 1)
    else:
        new = old.rstrip() + "\n\n" + text
    path.write_text(new, encoding="utf-8")
