"""One Jupyter kernel (nbclient) that runs chapters one after the other.

Kernels are expensive to start and a book's imports dominate, so a
:class:`KernelWorker` keeps one kernel alive and runs several chapters in it.
Between chapters the user namespace is emptied
(:func:`ipsreport.render.kernel_helpers.reset`), open figures are closed,
matplotlib settings are restored and the working directory is changed to the
chapter's folder; imported modules are kept. The book's own set-up code
(:attr:`~ipsreport.render.hooks.BookHooks.kernel_preamble`) runs once per
kernel, after the engine's.

Round trips to the kernel cost ~10 ms each, so the inline expressions of a
prose block are evaluated in one round trip, and ``warning: false`` is applied
by a one-line prefix plus a ``post_run_cell`` hook instead of two extra cells.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any, Callable, Mapping

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

from ipsreport.render.outputs import ExecutedChapter, capitalise_at_sentence_start, inline_span, reduce_outputs
from ipsreport.render.qmd import Cell, Markdown, QmdDoc, split_inline

__all__ = ["CellError", "KernelWorker", "fill_inline", "injected_parameters", "is_parameters_cell"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")

#: Run once per kernel: SVG figures, the helpers, the warning hook.
_KERNEL_SETUP = r"""
from IPython import get_ipython
get_ipython().run_line_magic("matplotlib", "inline")
from matplotlib_inline.backend_inline import set_matplotlib_formats
set_matplotlib_formats("svg")
import matplotlib
import matplotlib.pyplot
import ipsreport.render.kernel_helpers
# Closes the catch_warnings() opened by a `warning: false` cell's first line
# once the cell has run.
get_ipython().events.register("post_run_cell", ipsreport.render.kernel_helpers.warn_restore)
"""

#: Run once per kernel after the book's preamble: its imports leave the collector's reach (kernel_helpers.freeze_heap).
_KERNEL_SETTLED = r"""
import ipsreport.render.kernel_helpers
ipsreport.render.kernel_helpers.freeze_heap()
"""

#: Run before each chapter (its folder is formatted in).
_CHAPTER_SETUP = r"""
import ipsreport.render.kernel_helpers as __ips_kernel
__ips_kernel.reset()
# The namespace is empty again: bring back the helpers the engine's cells call.
import ipsreport.render.kernel_helpers as __ips_kernel
__ips_kernel.settle()
from ipsreport.render.kernel_helpers import inline as __ips_inline
from ipsreport.render.kernel_helpers import inline_batch as __ips_inline_batch
from ipsreport.render.kernel_helpers import warn_off as __ips_warn_off
__ips_kernel.prepare_chapter({cwd!r})
del __ips_kernel
"""

#: First line of a ``warning: false`` cell (undone by the post_run_cell hook).
_WARN_OFF_LINE = "__ips_warn_off()\n"

#: A parameter's name: a Python identifier, nothing else (the value is always a string literal).
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def is_parameters_cell(cell: Cell) -> bool:
    """True for the cell holding a chapter's parameter defaults (option ``tags: [parameters]``)."""
    tags = cell.options.get("tags") or ()
    return "parameters" in ([tags] if isinstance(tags, str) else list(tags))


def injected_parameters(parameters: Mapping[str, str]) -> str:
    """The code that sets a chapter's parameters: one ``name = 'value'`` line each (empty for none).

    Values are strings and written with :func:`repr`, so a value is never
    code, whatever it holds.
    """
    lines = []
    for name, value in sorted(parameters.items()):
        if not _NAME.match(name):
            raise ValueError(f"a chapter parameter's name must be a Python identifier, not {name!r}")
        lines.append(f"{name} = {str(value)!r}")
    return "\n".join(lines)


def fill_inline(pieces: list[str | tuple[str]], values: list[str],
                attrs: list[dict[str, str] | list | None] | None = None) -> str:
    """Prose (:func:`~ipsreport.render.qmd.split_inline` pieces) with its inline values put in.

    A value that opens a sentence gets a capital letter
    (:func:`~ipsreport.render.outputs.capitalise_at_sentence_start`); a value
    with attributes (its ``_inline_attrs_()``) becomes a span
    (:func:`~ipsreport.render.outputs.inline_span`), and a value made of
    pieces (``_inline_parts_()``: a list of ``[text, attrs]``) one span per
    piece that has attributes.
    """
    parts: list[str] = []
    it = iter(zip(values, attrs or [None] * len(values)))
    for piece in pieces:
        if isinstance(piece, str):
            parts.append(piece)
            continue
        value, attr = next(it)
        value = capitalise_at_sentence_start("".join(parts), value)
        if isinstance(attr, list):
            texts = [str(t) for t, _ in attr]
            if texts and "".join(texts) != value and texts[0]:
                texts[0] = value[:1] + texts[0][1:]  # the capital letter of a sentence start
            parts.append("".join(inline_span(t, a) for t, (_, a) in zip(texts, attr)))
        else:
            parts.append(inline_span(value, attr))
    return "".join(parts)


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


class KernelWorker:
    """One Jupyter kernel that runs chapters one after the other.

    Parameters
    ----------
    cwd : Path
        Working directory the kernel starts in.
    timeout : int
        Seconds one cell may run.
    on_start : callable, optional
        Called with the worker once its kernel process exists, before the
        kernel's set-up runs (so that :meth:`kill` can reach it early); may
        raise to abandon the worker, whose kernel is then shut down.
    preamble : str, optional
        The book's set-up code, run once after the engine's
        (:attr:`~ipsreport.render.hooks.BookHooks.kernel_preamble`).
    """

    def __init__(
        self, cwd: Path, timeout: int = 600,
        on_start: Callable[["KernelWorker"], None] | None = None, preamble: str = "",
    ):
        nb = nbformat.v4.new_notebook()
        self.client = NotebookClient(nb, kernel_name="python3", timeout=timeout, allow_errors=False)
        self.client.km = self.client.create_kernel_manager()
        full_env = dict(os.environ)
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
            self._run(preamble + "\n" + _KERNEL_SETTLED)
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

    def run_chapter(self, doc: QmdDoc, parameters: Mapping[str, str] | None = None) -> ExecutedChapter:
        """Execute one parsed chapter and return its reduced outputs.

        Parameters
        ----------
        doc : QmdDoc
        parameters : mapping of str to str, optional
            The chapter's parameters (:attr:`~ipsreport.render.hooks.BookHooks.parameters`):
            ``name = value`` is run right after the cell tagged ``parameters``
            (before the first cell when there is none), as papermill and
            Quarto inject them. The injected cell shows nothing.

        Raises
        ------
        CellError
            If a cell or inline expression raises.
        """
        path = doc.path
        self._run(_CHAPTER_SETUP.format(cwd=str(path.parent)))
        injected = injected_parameters(parameters or {})
        tagged = next((b for b in doc.blocks if isinstance(b, Cell) and is_parameters_cell(b)), None)
        if injected and tagged is None:
            self._exec(path, injected, 1, 1)
        blocks: list[dict[str, Any]] = []
        for block in doc.blocks:
            if isinstance(block, Markdown):
                text, values, attrs = self._fill_inline(path, block)
                # The raw values (and their attributes) let a preview re-assemble edited prose without a kernel.
                blocks.append({"kind": "markdown", "text": text, "line": block.line, "values": values,
                               "attrs": attrs})
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
                    "outputs": reduce_outputs(cell.outputs, asis),
                }
            )
            if injected and block is tagged:
                self._exec(path, injected, block.code_line, block.line)
        return ExecutedChapter(str(path), doc.front_matter, blocks)

    def _fill_inline(self, path: Path, block: Markdown) -> tuple[str, list[str], list[dict[str, str] | None]]:
        """The block's prose with every inline expression replaced by its value, and the raw values.

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
        attrs: list[dict[str, str] | None] = []
        if exprs:
            cell = self._exec(path, f"__ips_inline_batch({[e for e, _ in exprs]!r})", block.line, block.line)
            text = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
            reply = json.loads(text.strip().splitlines()[-1])
            values = reply["values"]
            attrs = reply.get("attrs") or [None] * len(values)
            if reply["failed"] is not None:
                expr, line = exprs[reply["failed"]]
                # Raises CellError with the expression's own traceback.
                self._exec(path, f"__ips_inline({expr})", line, line, inline=expr)
                raise CellError(path, line, line, "Error", f"inline expression `{{python}} {expr}` failed", "")
        return fill_inline(pieces, values, attrs), values, attrs

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


