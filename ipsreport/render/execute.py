"""Execute chapter cells in Jupyter kernels (nbclient) and collect outputs.

Kernels are expensive to start and the report's imports (pandas,
statsmodels, matplotlib) dominate, so a :class:`KernelWorker` keeps one
kernel alive and runs several chapters in it one after the other. Between
chapters the user namespace is reset (``%reset -f``), open figures are closed,
matplotlib settings are restored and the working directory is changed to the
chapter's folder; imported modules (and the per-process ``ips.edition()``
cache, which depends only on the data folder and settings shared by the whole
render) are kept. :func:`execute_chapters` runs one worker per core.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError
from jupyter_core.utils import run_sync

from ipsreport.render.qmd import Cell, Markdown, QmdDoc, split_inline

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_SVG_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")

#: Run once per kernel: SVG figures, deterministic SVG ids, cheap warm-up.
_KERNEL_SETUP = r"""
import os, sys, warnings, json
from IPython import get_ipython
get_ipython().run_line_magic("matplotlib", "inline")
from matplotlib_inline.backend_inline import set_matplotlib_formats
set_matplotlib_formats("svg")
import matplotlib
import matplotlib.pyplot
try:
    import ipsreport, pandas  # warm the import cache shared by all chapters
except Exception:
    pass
"""

#: Run before each chapter (cwd is formatted in).
_CHAPTER_SETUP = r"""
get_ipython().run_line_magic("reset", "-f")
import os as __ips_os, matplotlib as __ips_mpl, warnings as __ips_warnings
import matplotlib.pyplot as __ips_plt
__ips_plt.close("all")
__ips_mpl.rcdefaults()
get_ipython().run_line_magic("matplotlib", "inline")
__ips_mpl.rcParams["svg.hashsalt"] = "ipsreport"
__ips_os.chdir({cwd!r})
__ips_warnings.resetwarnings()
def __ips_inline(value):
    print(str(value), end="")
"""

_WARN_OFF = "__ips_wctx = __ips_warnings.catch_warnings(); __ips_wctx.__enter__(); __ips_warnings.simplefilter('ignore')"
_WARN_ON = "__ips_wctx.__exit__(None, None, None)"


class CellError(RuntimeError):
    """A cell (or inline expression) raised; names chapter, line and traceback."""

    def __init__(self, path: Path, line: int, cell_line: int, ename: str, evalue: str, traceback: str):
        self.path = Path(path)
        self.line = line
        self.cell_line = cell_line
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback
        super().__init__(
            f"{self.path}:{line}: {ename}: {evalue} (cell starting at line {cell_line})\n{traceback}"
        )


@dataclass
class ExecutedCell:
    """Outputs of one cell, reduced to what the writers need (JSON-able)."""

    line: int
    source: str
    options: dict[str, Any]
    outputs: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ExecutedChapter:
    """A chapter after execution: prose (inline values filled in) and cells."""

    path: str
    front_matter: dict[str, Any]
    blocks: list[dict[str, Any]]

    def to_json(self) -> str:
        """Serialise for the cache."""
        return json.dumps(
            {"path": self.path, "front_matter": self.front_matter, "blocks": self.blocks}, default=str
        )

    @classmethod
    def from_json(cls, text: str) -> "ExecutedChapter":
        """Inverse of :meth:`to_json`."""
        data = json.loads(text)
        return cls(data["path"], data["front_matter"], data["blocks"])


def _reduce_outputs(outputs: list[Any], asis: bool) -> list[dict[str, str]]:
    """Keep one representation per output, best first, and drop duplicates."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for o in outputs:
        kind = o.get("output_type")
        if kind == "stream":
            item = {"type": "markdown" if asis and o["name"] == "stdout" else o["name"], "data": o["text"]}
        elif kind in ("display_data", "execute_result"):
            data = o.get("data", {})
            order = (
                ("text/markdown", "markdown"), ("text/plain", "markdown")
            ) if asis else (
                ("image/svg+xml", "svg"), ("image/png", "png"), ("text/html", "html"),
                ("text/markdown", "markdown"), ("text/plain", "text"),
            )
            item = None
            for mime, name in order:
                if mime in data:
                    value = data[mime]
                    item = {"type": name, "data": "".join(value) if isinstance(value, list) else value}
                    break
            if item is None:
                continue
        else:
            continue
        if item["type"] == "svg":
            item["data"] = _SVG_METADATA.sub("", item["data"])
        key = item["type"] + "\0" + item["data"]
        if item["type"] in ("svg", "png", "html") and key in seen:
            # A figure returned as the last expression is shown by the
            # formatter and again by the inline backend: keep one.
            continue
        seen.add(key)
        # Merge consecutive stream chunks of the same kind.
        if out and item["type"] in ("stdout", "stderr", "markdown") and out[-1]["type"] == item["type"]:
            out[-1]["data"] += item["data"]
        else:
            out.append(item)
    return out


class KernelWorker:
    """One Jupyter kernel that runs chapters one after the other.

    Parameters
    ----------
    env : dict
        Extra environment variables for the kernel (``IPSREPORT_DATA``,
        ``IPSREPORT_SETTINGS``).
    cwd : Path
        Working directory the kernel starts in.
    timeout : int
        Seconds one cell may run.
    """

    def __init__(self, env: dict[str, str], cwd: Path, timeout: int = 600):
        nb = nbformat.v4.new_notebook()
        self.client = NotebookClient(nb, kernel_name="python3", timeout=timeout, allow_errors=False)
        self.client.km = self.client.create_kernel_manager()
        full_env = {**os.environ, **env}
        # The kernel must not inherit a non-interactive backend choice.
        full_env.pop("MPLBACKEND", None)
        # Reproducible SVG metadata (matplotlib honours SOURCE_DATE_EPOCH).
        full_env.setdefault("SOURCE_DATE_EPOCH", "0")
        # The kernel's own log chatter (transport warnings) is noise here;
        # errors reach us through the execution replies.
        self.client.start_new_kernel(env=full_env, cwd=str(cwd), stderr=subprocess.DEVNULL)
        self.client.start_new_kernel_client()
        self._count = 0
        self._run(_KERNEL_SETUP)

    def close(self) -> None:
        """Shut the kernel down."""
        # No graceful shutdown: the kernel holds nothing worth saving and a
        # polite shutdown costs seconds per kernel.
        try:
            if self.client.kc is not None:
                self.client.kc.stop_channels()
            run_sync(self.client.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - best effort on shutdown
            pass

    def _run(self, source: str) -> nbformat.NotebookNode:
        cell = nbformat.v4.new_code_cell(source)
        self.client.nb.cells = [cell]
        self._count += 1
        self.client.execute_cell(cell, 0, store_history=True)
        return cell

    def run_chapter(self, doc: QmdDoc) -> ExecutedChapter:
        """Execute one parsed chapter and return its reduced outputs.

        Raises
        ------
        CellError
            If a cell or inline expression raises.
        """
        path = doc.path
        self._run(_CHAPTER_SETUP.format(cwd=str(path.parent)))
        blocks: list[dict[str, Any]] = []
        for block in doc.blocks:
            if isinstance(block, Markdown):
                parts: list[str] = []
                offset = 0
                for piece in split_inline(block.text):
                    if isinstance(piece, str):
                        parts.append(piece)
                        offset += piece.count("\n")
                        continue
                    expr = piece[0]
                    line = block.line + offset
                    cell = self._exec(path, f"__ips_inline({expr})", line, line, inline=expr)
                    text = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
                    parts.append(text)
                blocks.append({"kind": "markdown", "text": "".join(parts), "line": block.line})
                continue
            assert isinstance(block, Cell)
            if not block.options.get("warning", True):
                self._run(_WARN_OFF)
            try:
                cell = self._exec(path, block.source, block.code_line, block.line)
            finally:
                if not block.options.get("warning", True):
                    self._run(_WARN_ON)
            asis = block.options.get("output") == "asis"
            blocks.append(
                {
                    "kind": "cell",
                    "line": block.line,
                    "source": block.source,
                    "options": block.options,
                    "outputs": _reduce_outputs(cell.outputs, asis),
                }
            )
        return ExecutedChapter(str(path), doc.front_matter, blocks)

    def _exec(self, path: Path, source: str, code_line: int, cell_line: int, inline: str | None = None):
        try:
            return self._run(source)
        except CellExecutionError as exc:
            tb = _ANSI.sub("", getattr(exc, "traceback", "") or str(exc))
            line = code_line
            m = _CELL_LINE.search(tb)
            if m and inline is None:
                line = code_line + int(m.group(1)) - 1
            ename = getattr(exc, "ename", "Error")
            evalue = getattr(exc, "evalue", "")
            if inline is not None:
                evalue = f"{evalue} (in inline expression `{{python}} {inline}`)"
            raise CellError(path, line, cell_line, ename, evalue, tb) from None
        except DeadKernelError as exc:
            raise CellError(path, code_line, cell_line, "DeadKernelError", str(exc), "") from None


def execute_chapters(
    docs: list[QmdDoc],
    env: dict[str, str],
    workers: int | None = None,
    on_done: Callable[[QmdDoc, ExecutedChapter], None] | None = None,
) -> dict[Path, ExecutedChapter]:
    """Execute chapters on up to ``workers`` kernels in parallel.

    Parameters
    ----------
    docs : list of QmdDoc
        Chapters to run (already parsed).
    env : dict
        Environment variables for the kernels.
    workers : int, optional
        Number of kernels; default: number of cores, at most ``len(docs)``.
    on_done : callable, optional
        Called as ``on_done(doc, result)`` after each chapter (from a worker
        thread), e.g. to report progress.

    Returns
    -------
    dict
        Chapter path -> :class:`ExecutedChapter`.

    Raises
    ------
    CellError
        The first failure; remaining chapters are abandoned.
    """
    if not docs:
        return {}
    n = max(1, min(workers or os.cpu_count() or 1, len(docs)))
    # Longest chapters first so the parallel schedule stays balanced.
    todo: "queue.Queue[QmdDoc]" = queue.Queue()
    for doc in sorted(docs, key=lambda d: -len(d.cells)):
        todo.put(doc)
    results: dict[Path, ExecutedChapter] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()
    stop = threading.Event()

    def work() -> None:
        worker = None
        try:
            worker = KernelWorker(env, docs[0].path.parent)
            while not stop.is_set():
                try:
                    doc = todo.get_nowait()
                except queue.Empty:
                    return
                result = worker.run_chapter(doc)
                with lock:
                    results[doc.path] = result
                if on_done:
                    on_done(doc, result)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            with lock:
                errors.append(exc)
            stop.set()
        finally:
            if worker is not None:
                worker.close()

    threads = [threading.Thread(target=work, name=f"ipsreport-kernel-{i}") for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results
