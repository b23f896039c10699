"""Benchmark of ``ipsreport preview``: how long a prose edit takes to show.

``python -m benchmarks.preview`` (or ``python -m benchmarks.run --only preview``)
starts ``ipsreport preview`` in a fresh process on a temporary copy of the
project with the synthetic twin (port chosen free, 127.0.0.1 only), waits for
the first render, then edits one chapter's prose ``--runs`` times (default 5)
and measures, from the moment the file is saved, until the served page
contains the new sentence (polled every 20 ms over HTTP, as the page's own
reload script sees it); then as many code edits (an inline expression), which
run the chapter on the warm kernel. Each edit is saved once the preview is
idle (:func:`wait_idle`), except one prose edit 1 s after the first render,
reported on its own. The medians with (min–max) replace the
``## Live preview`` section of ``benchmarks/RESULTS.md``; the rest of the
file is left as it is.

Target (issue 11): a prose-only edit of one chapter visible in ≤ 1 s median
on 2 cores. Nothing here asserts it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.measure import RESULTS, Stat, machine_info, write_section
from benchmarks.project import EDIT_CHAPTER, cli_env, copy_project

HEADING = "## Live preview"
PAGE = Path(EDIT_CHAPTER).with_suffix(".html").name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback only
            return r.read().decode("utf-8")
    except OSError:
        return ""


def _cpu_ticks(root: int) -> int | None:
    """CPU clock ticks (user + system) of process ``root`` and all its descendants; None without /proc."""
    stats: dict[int, tuple[int, int]] = {}  # pid -> (parent, ticks)
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    if root not in stats:
        return None
    family, total, grew = {root}, 0, True
    while grew:
        more = {pid for pid, (parent, _) in stats.items() if parent in family} - family
        grew = bool(more)
        family |= more
    for pid in family:
        total += stats[pid][1]
    return total


def wait_idle(pid: int, quiet: float = 0.5, timeout: float = 120.0) -> float:
    """Wait until ``pid`` and its children (the preview, its kernels) use under 15 % of a core.

    The preview starts a kernel after each render for the next code edit;
    an edit saved while that kernel starts competes with it for the cores.
    (The preview's file watcher uses next to nothing: the operating system tells it of changes.)
    Returns the seconds waited (without /proc: sleeps 10 s).
    """
    t0 = time.perf_counter()
    hz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    before = _cpu_ticks(pid)
    if before is None:
        time.sleep(10.0)
        return time.perf_counter() - t0
    while time.perf_counter() - t0 < timeout:
        time.sleep(quiet)
        now = _cpu_ticks(pid)
        if now is None or (now - before) / hz < 0.15 * quiet:
            break
        before = now
    return time.perf_counter() - t0


def bench_preview(runs: int, work: Path, data: Path, timeout: float = 120.0) -> dict[str, Stat]:
    """First render and ``runs`` prose edits of :data:`EDIT_CHAPTER` under ``ipsreport preview``."""
    project = copy_project(work / "project")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = cli_env(cache=work / "vcache")
    cmd = [sys.executable, "-m", "ipsreport.cli", "preview", "--project", str(project), "--data", str(data),
           "--output", str(work / "out"), "--port", str(port)]
    log = (work / "preview.log").open("w", encoding="utf-8")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=tempfile.gettempdir(), stdout=log, stderr=subprocess.STDOUT)
    out = {"first": Stat("first render (cold, HTML) until served"), "edit": Stat("prose edit until visible")}
    try:
        while not _get(url + PAGE):
            if proc.poll() is not None or time.perf_counter() - t0 > timeout * 3:
                raise RuntimeError(f"preview did not start:\n{(work / 'preview.log').read_text()}")
            time.sleep(0.05)
        out["first"].values.append(time.perf_counter() - t0)
        time.sleep(1.0)  # the "early" edit below comes 1 s after the first render
        chapter = project / EDIT_CHAPTER

        def measure(stat: Stat, added: str, shown: str, idle: bool = True) -> None:
            if idle:
                wait_idle(proc.pid)
            text = chapter.read_text(encoding="utf-8")
            start = time.perf_counter()
            chapter.write_text(text + f"\n{added}\n", encoding="utf-8")
            while shown not in _get(url + PAGE):
                if time.perf_counter() - start > timeout:
                    raise RuntimeError(f"{added!r} not visible after {timeout} s:\n{(work / 'preview.log').read_text()}")
                time.sleep(0.02)
            stat.values.append(time.perf_counter() - start)

        # Once, 1 s after the first render, while the kernel for code edits starts.
        out["early"] = Stat("prose edit 1 s after the first render (kernel still starting)")
        measure(out["early"], "Forhåndsvisningens første sætning.", "Forhåndsvisningens første sætning.", idle=False)
        for i in range(runs):
            sentence = f"Forhåndsvisningens målesætning nummer {i}."
            measure(out["edit"], sentence, sentence)
        # A code edit (an inline expression) runs the chapter, on the kernel kept warm.
        out["code"] = Stat("code edit (an inline expression) until visible")
        for i in range(runs):
            measure(out["code"], f"Kodeændring nummer `{{python}} {i} + 1000`.", f"Kodeændring nummer {i + 1000}.")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    return out


def section(stats: dict[str, Stat], info: dict, runs: int) -> str:
    """The ``## Live preview`` section of RESULTS.md."""
    edit, first = stats["edit"], stats["first"]
    return "\n".join([
        HEADING,
        "",
        f"`python -m benchmarks.preview` on {info['date']}, commit {info['commit'] or '?'}: `ipsreport preview` in a "
        "fresh process on a temporary copy of the project with the synthetic twin; one chapter's prose "
        f"(`{EDIT_CHAPTER}`) edited {runs} times, then its code (a new inline expression) {runs} times; time "
        "from saving the file until the served page (polled over HTTP every 20 ms) contains the new sentence; "
        "each edit is saved once the preview and its kernel are idle (< 15 % of a core). "
        "Load average at start: "
        + (", ".join(f"{x:.2f}" for x in info["loadavg"]) if info.get("loadavg") else "?") + ".",
        "",
        "| preview | wall seconds | target |",
        "| --- | --- | --- |",
        f"| {first.name} | {first.values[0]:.2f} | |",
        f"| {edit.name} (median, min–max) | {edit.cell()} | ≤ 1 s median |",
        *([f"| {stats['code'].name} (median, min–max) | {stats['code'].cell()} | |"] if stats.get("code") else []),
        *([f"| {stats['early'].name} | {stats['early'].values[0]:.2f} | |"] if stats.get("early") else []),
        "",
        "A prose edit is re-assembled from the chapter's last cell outputs and inline values without "
        "a kernel (`ipsreport/render/warm.py`); a code edit runs that chapter on a kernel kept warm "
        "between renders. Load average at end: "
        + (", ".join(f"{x:.2f}" for x in info["loadavg_end"]) if info.get("loadavg_end") else "?") + ".",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    from ipsreport import paths

    info = machine_info()
    work = Path(tempfile.mkdtemp(prefix="ipsreport-bench-preview-"))
    try:
        stats = bench_preview(args.runs, work, paths.SYNTHETIC_DIR)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    info["loadavg_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    text = section(stats, info, args.runs)
    write_section(HEADING, text, args.out)
    print(text)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("CI", "1")
    raise SystemExit(main())
