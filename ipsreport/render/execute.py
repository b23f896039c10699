"""Execute chapter cells in Jupyter kernels (nbclient) and collect outputs.

Kernels are expensive to start and the report's imports (pandas,
statsmodels, matplotlib) dominate, so a :class:`KernelWorker` keeps one
kernel alive and runs several chapters in it one after the other. Between
chapters the user namespace is reset (as ``%reset -f``, minus its full
``gc.collect()``, which alone cost ~0.3 s per chapter), open figures are
closed, matplotlib settings are restored and the working directory is changed
to the chapter's folder; imported modules (and the per-process
``ips.edition()`` cache, keyed on the data folder and settings) are kept.
Validated data are also shared between kernels and renders through a disk
cache (:func:`ipsreport.render.verdicts.validate_dir_cached`). :func:`execute_chapters` runs one worker per core;
:func:`execute_jobs` does the same for chapters of several renders at once
(one report per site), switching ``IPSREPORT_DATA`` / ``IPSREPORT_SETTINGS``
per chapter so that kernels and their imports are shared by all of them.
When the waiting main thread is interrupted (Ctrl-C, or SIGTERM through
:mod:`ipsreport.render.signals`), the kernels are killed at once rather than
left to finish their chapters.

Round trips to the kernel cost ~10 ms each, so the inline expressions of a
prose block are evaluated in one round trip, and ``warning: false`` is applied
by a one-line prefix plus a ``post_run_cell`` hook instead of two extra cells.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import threading
import time
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
# Validated data are shared through a disk cache by all kernels of a render
# (see ipsreport.render.verdicts.validate_dir_cached).
if os.environ.get("IPSREPORT_EDITION_CACHE"):
    try:
        import functools
        import ipsreport.edition
        from ipsreport.render.verdicts import validate_dir_cached
        if hasattr(sys.modules["ipsreport.edition"], "validate_dir"):
            sys.modules["ipsreport.edition"].validate_dir = functools.partial(
                validate_dir_cached, cache_dir=os.environ["IPSREPORT_EDITION_CACHE"]
            )
    except Exception:
        pass
# Helpers live in their own module: functions defined in a cell would see the
# user namespace as their globals, which `%reset -f` empties between chapters.
import builtins, types
__ips_helpers = types.ModuleType("_ipsreport_kernel_helpers")
exec(compile('''
import contextlib, io, json, warnings
from IPython import get_ipython

_stack = []

def reset():
    # `%reset -f` without its gc.collect(): a full collection of a heap
    # holding pandas/statsmodels/matplotlib costs ~0.3 s per chapter, and
    # the interpreter's own collector frees the same cycles later anyway.
    import gc
    real = gc.collect
    gc.collect = lambda *args, **kwargs: 0
    try:
        get_ipython().reset(new_session=False)
    finally:
        gc.collect = real

def warn_off():
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("ignore")
    _stack.append(ctx)

def warn_restore(*_):
    while _stack:
        _stack.pop().__exit__(None, None, None)

def inline_batch(exprs):
    ns = get_ipython().user_ns
    out = []
    for i, expr in enumerate(exprs):
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf):
                value = eval(compile(expr, "<inline>", "eval"), ns)
                print(str(value), end="")
        except BaseException:
            # The caller re-runs this expression on its own for the error.
            print(json.dumps({"values": out, "failed": i}))
            return
        out.append(buf.getvalue())
    print(json.dumps({"values": out, "failed": None}))
''', "<ipsreport-kernel>", "exec"), __ips_helpers.__dict__)
sys.modules[__ips_helpers.__name__] = __ips_helpers
# Builtins survive `%reset -f`; the hook closes the catch_warnings() opened by
# a `warning: false` cell's first line once the cell has run.
builtins.__ips_warn_off = __ips_helpers.warn_off
builtins.__ips_reset = __ips_helpers.reset
builtins.__ips_inline_batch = __ips_helpers.inline_batch
get_ipython().events.register("post_run_cell", __ips_helpers.warn_restore)
"""

#: Run before each chapter (cwd and the environment are formatted in).
_CHAPTER_SETUP = r"""
__ips_reset()
import os as __ips_os
for __ips_k, __ips_v in {env!r}.items():
    if __ips_v is None:
        __ips_os.environ.pop(__ips_k, None)
    else:
        __ips_os.environ[__ips_k] = __ips_v
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

#: First line of a ``warning: false`` cell (undone by the post_run_cell hook).
_WARN_OFF_LINE = "__ips_warn_off()\n"

#: Variables a chapter's environment may set or clear in a shared kernel.
ENV_KEYS = ("IPSREPORT_DATA", "IPSREPORT_SETTINGS")


class CellError(RuntimeError):
    """A cell (or inline expression) raised; names chapter, line and traceback."""

    def __init__(self, path: Path, line: int, cell_line: int, ename: str, evalue: str, traceback: str):
        self.path = Path(path)
        self.line = line
        self.cell_line = cell_line
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback
        #: Set by :func:`execute_jobs`: the key of the failing job.
        self.job_key: Any = None
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
    on_start : callable, optional
        Called with the worker once its kernel process exists, before the
        kernel's set-up runs (so that :meth:`kill` can reach it early); may
        raise to abandon the worker, whose kernel is then shut down.
    """

    def __init__(
        self, env: dict[str, str], cwd: Path, timeout: int = 600,
        on_start: Callable[["KernelWorker"], None] | None = None,
    ):
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
        self._count = 0
        try:
            if on_start is not None:
                on_start(self)
            self.client.start_new_kernel_client()
            self._run(_KERNEL_SETUP)
        except BaseException:
            self.kill()
            self.close()
            raise

    def kill(self) -> None:
        """Kill the kernel process at once (safe from any thread).

        The cell it is running stops immediately; the thread waiting for
        that cell sees a dead kernel within about a second (nbclient checks
        every second) and should then :meth:`close` the worker.
        """
        process = getattr(getattr(self.client.km, "provisioner", None), "process", None)
        if process is None:
            return
        try:
            process.kill()  # Popen.kill: does nothing once the process was reaped
        except OSError:
            pass

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

    def run_chapter(self, doc: QmdDoc, env: dict[str, str | None] | None = None) -> ExecutedChapter:
        """Execute one parsed chapter and return its reduced outputs.

        Parameters
        ----------
        doc : QmdDoc
        env : dict, optional
            Environment for this chapter (``IPSREPORT_DATA``,
            ``IPSREPORT_SETTINGS``; ``None`` removes a variable). Needed when
            one kernel serves chapters of several renders.

        Raises
        ------
        CellError
            If a cell or inline expression raises.
        """
        path = doc.path
        chapter_env = {k: (env or {}).get(k) for k in ENV_KEYS} if env is not None else {}
        self._run(_CHAPTER_SETUP.format(cwd=str(path.parent), env=chapter_env))
        blocks: list[dict[str, Any]] = []
        for block in doc.blocks:
            if isinstance(block, Markdown):
                blocks.append({"kind": "markdown", "text": self._fill_inline(path, block), "line": block.line})
                continue
            assert isinstance(block, Cell)
            quiet = not block.options.get("warning", True)
            source = (_WARN_OFF_LINE + block.source) if quiet else block.source
            cell = self._exec(path, source, block.code_line, block.line, prefix=1 if quiet else 0)
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

    def _fill_inline(self, path: Path, block: Markdown) -> str:
        """The block's prose with every inline expression replaced by its value.

        All expressions of the block are evaluated in one round trip; if one
        raises, it is run again on its own so the error (line, traceback) is
        reported exactly as for a cell.
        """
        pieces = split_inline(block.text)
        exprs: list[tuple[str, int]] = []
        offset = 0
        for piece in pieces:
            if isinstance(piece, str):
                offset += piece.count("\n")
            else:
                exprs.append((piece[0], block.line + offset))
        values: list[str] = []
        if exprs:
            cell = self._exec(path, f"__ips_inline_batch({[e for e, _ in exprs]!r})", block.line, block.line)
            text = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
            reply = json.loads(text.strip().splitlines()[-1])
            values = reply["values"]
            if reply["failed"] is not None:
                expr, line = exprs[reply["failed"]]
                # Raises CellError with the expression's own traceback.
                self._exec(path, f"__ips_inline({expr})", line, line, inline=expr)
                raise CellError(path, line, line, "Error", f"inline expression `{{python}} {expr}` failed", "")
        parts: list[str] = []
        it = iter(values)
        for piece in pieces:
            parts.append(piece if isinstance(piece, str) else capitalise_at_sentence_start("".join(parts), next(it)))
        return "".join(parts)

    def _exec(
        self, path: Path, source: str, code_line: int, cell_line: int, inline: str | None = None, prefix: int = 0
    ):
        try:
            return self._run(source)
        except CellExecutionError as exc:
            tb = _ANSI.sub("", getattr(exc, "traceback", "") or str(exc))
            line = code_line
            m = _CELL_LINE.search(tb)
            if m and inline is None:
                line = code_line + int(m.group(1)) - 1 - prefix
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
    jobs = [Job(doc.path, doc, None) for doc in docs]
    done = (lambda job, res: on_done(job.doc, res)) if on_done else None
    return execute_jobs(jobs, env, workers=workers, on_done=done)


@dataclass
class Job:
    """One chapter to execute: a key for the result, the chapter, its environment.

    ``env`` None means "the kernel's own environment"; a dict sets (or, for
    ``None`` values, clears) ``IPSREPORT_DATA`` / ``IPSREPORT_SETTINGS`` for
    this chapter only.
    """

    key: Any
    doc: QmdDoc
    env: dict[str, str | None] | None = None


def execute_jobs(
    jobs: list[Job],
    env: dict[str, str],
    workers: int | None = None,
    on_done: Callable[[Job, ExecutedChapter], None] | None = None,
) -> dict[Any, ExecutedChapter]:
    """Execute chapters (possibly of several renders) on shared kernels.

    Parameters
    ----------
    jobs : list of Job
    env : dict
        Environment the kernels start with.
    workers : int, optional
        Number of kernels; default: number of cores, at most ``len(jobs)``.
    on_done : callable, optional
        Called as ``on_done(job, result)`` after each chapter (worker thread).

    Returns
    -------
    dict
        ``job.key`` -> :class:`ExecutedChapter`.

    Raises
    ------
    CellError
        The first failure; remaining chapters are abandoned.
    """
    if not jobs:
        return {}
    n = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    # Longest chapters first so the parallel schedule stays balanced.
    todo: "queue.Queue[Job]" = queue.Queue()
    for job in sorted(jobs, key=lambda j: -len(j.doc.cells)):
        todo.put(job)
    results: dict[Any, ExecutedChapter] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()
    stop = threading.Event()
    live: list[KernelWorker] = []

    def started(worker: KernelWorker) -> None:
        # Under the lock: a worker is either killed by _stop_all or sees stop here.
        with lock:
            if stop.is_set():
                raise _Stopped()
            live.append(worker)

    def work() -> None:
        worker = None
        job = None
        try:
            worker = KernelWorker(env, jobs[0].doc.path.parent, on_start=started)
            while not stop.is_set():
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                result = worker.run_chapter(job.doc, job.env)
                with lock:
                    results[job.key] = result
                if on_done:
                    on_done(job, result)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            if isinstance(exc, CellError) and job is not None:
                exc.job_key = job.key  # which render the failing chapter belongs to
            with lock:
                if not stop.is_set():
                    errors.append(exc)
            stop.set()
        finally:
            if worker is not None:
                worker.close()

    # Daemon threads: a thread still closing its kernel never holds up the exit.
    threads = [threading.Thread(target=work, name=f"ipsreport-kernel-{i}", daemon=True) for i in range(n)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): kill the kernels rather than letting
        # the chapters run on, then give the threads a moment to close them.
        with lock:
            stop.set()
            for worker in live:
                worker.kill()
        deadline = time.monotonic() + _STOP_GRACE
        for t in threads:
            if t.ident is not None:
                t.join(max(0.0, deadline - time.monotonic()))
        raise
    if errors:
        raise errors[0]
    return results


#: Seconds :func:`execute_jobs` waits for its threads after killing the kernels.
_STOP_GRACE = 3.0


class _Stopped(Exception):
    """A kernel finished starting after the run was stopped."""


_SENTENCE_START = re.compile(r"(?:^|[.!?]\s|\n\s*\n|^\s*[-*+]\s|\n\s*[-*+]\s|^\s*\d+\.\s)\s*$")


def capitalise_at_sentence_start(before: str, value: str) -> str:
    """An inline value that opens a sentence starts with a capital letter.

    Values are written for the middle of a sentence ("en skjult andel",
    "ingen svar"); where the prose puts one first (start of the block, after
    ``.``, ``!`` or ``?``, or first in a list item) its first letter is
    raised, as any writer would. Values starting with anything but a
    lower-case letter ("<3 unge", "62 %") are left alone.

    Parameters
    ----------
    before : str
        The block's text before the value.
    value : str
        The inline value as computed.
    """
    if not isinstance(value, str) or not value[:1].islower():
        return value
    if _SENTENCE_START.search(before):
        return value[0].upper() + value[1:]
    return value
