"""The floor: what no render can avoid (pandoc on every chapter, Typst on the book, one kernel start)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import ROOT, Stat, children_cpu, repeat, timed_run
from benchmarks.project import cli_env, copy_project, render_cmd


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

        cpu0, t0 = children_cpu(), time.perf_counter()
        # As the engine does: one conversion per core at a time.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(one, calls))
        return time.perf_counter() - t0, children_cpu() - cpu0

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
                          str(font_dir()), str(typ_dir / "out.pdf")])[:2]

    def kernel_once() -> tuple[float, float]:
        cpu0, t0 = children_cpu(), time.perf_counter()
        worker = KernelWorker(ROOT)
        try:
            worker._run("import ipsreport.inputs.edition, ipsreport.outputs.facts, ipsreport.outputs.tables, ipsreport.outputs.figures, ipsreport.analysis.models")
        finally:
            took = time.perf_counter() - t0
            worker.close()
        # The kernel's CPU time is counted once it has been reaped (close()).
        return took, children_cpu() - cpu0

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
