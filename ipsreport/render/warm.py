"""The chapter executor of ``preview``: prose edits without a kernel, code edits on a warm kernel.

A preview re-renders after every save, mostly of a prose edit of one chapter.
:class:`WarmKernel` is the ``execute`` callable :func:`~ipsreport.render.engine.render_book`
accepts, with two short cuts:

* **Prose edits need no kernel.** What a kernel computes from a chapter
  depends only on the code it is given, in order: the cells' sources (and
  the two options that change how a cell runs, ``warning`` and
  ``output: asis``) and the inline expressions (:func:`code_signature`). Each
  chapter it executes is remembered with that signature; when a chapter
  comes back with the same signature (an edit of prose, headings, captions,
  labels or front matter only), its page is re-assembled from the remembered
  cell outputs and inline values with the new prose (:func:`reassemble`),
  exactly as a kernel would have written it. The memory follows the engine's
  cache rule: it is kept only while the book's ``cache_inputs`` (data,
  settings, package code) and the kernels' environment are unchanged
  (:meth:`WarmKernel.begin`).
* **One edited chapter runs on a kernel kept from the previous render.** A
  fresh kernel costs its start and the report's imports every time.
  Anything else (several chapters, a first render) goes to the engine's
  parallel executor on fresh kernels. :meth:`WarmKernel.close` drops the
  warm kernel, which the preview does whenever something other than a
  chapter file changed: a warm kernel then holds stale modules or data.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, Mapping

from ipsreport.render.qmd import Cell, Markdown, QmdDoc, split_inline

__all__ = ["WarmKernel", "code_signature", "reassemble"]


def _runs_as(source: str, options: dict) -> tuple[str, str, bool, bool]:
    """What of a cell the kernel sees: its source, ``warning: false``, ``output: asis``."""
    return ("cell", source, not options.get("warning", True), options.get("output") == "asis")


def code_signature(doc: QmdDoc) -> tuple:
    """Everything of a chapter a kernel executes, in order: cells and inline expressions.

    Prose, headings, captions, labels and the front matter are not part of
    it (the kernel never sees them); nor is which prose block an inline
    expression stands in, since all of a chapter's code runs in one
    namespace in document order.
    """
    items: list[tuple] = []
    for block in doc.blocks:
        if isinstance(block, Cell):
            items.append(_runs_as(block.source, block.options))
        else:
            items.extend(("expr", piece[0]) for piece in split_inline(block.text) if isinstance(piece, tuple))
    return tuple(items)


def reassemble(doc: QmdDoc, executed: Any) -> Any | None:
    """``doc`` written with the outputs of an earlier execution of the same code.

    Parameters
    ----------
    doc : QmdDoc
        The edited chapter.
    executed : ExecutedChapter
        An execution of a chapter with the same :func:`code_signature`
        (from a :class:`~ipsreport.render.kernel.KernelWorker`, whose prose
        blocks keep their raw inline ``values``).

    Returns
    -------
    ExecutedChapter or None
        None when ``executed`` lacks what is needed (a cache entry written
        before the raw values were kept, or other code).
    """
    from ipsreport.render.kernel import fill_inline
    from ipsreport.render.outputs import ExecutedChapter

    cells = [b for b in executed.blocks if b.get("kind") == "cell"]
    values: list[str] = []
    attrs: list[dict[str, str] | None] = []
    for b in executed.blocks:
        if b.get("kind") == "markdown":
            if "values" not in b:
                return None
            values.extend(b["values"])
            attrs.extend(b.get("attrs") or [None] * len(b["values"]))
    new_cells = [b for b in doc.blocks if isinstance(b, Cell)]
    if [_runs_as(c.source, c.options) for c in new_cells] != [_runs_as(b["source"], b["options"]) for b in cells]:
        return None
    blocks: list[dict[str, Any]] = []
    cell_it, value_at = iter(cells), 0
    for block in doc.blocks:
        if isinstance(block, Markdown):
            pieces = split_inline(block.text)
            n = sum(isinstance(p, tuple) for p in pieces)
            if value_at + n > len(values):
                return None
            mine, mine_attrs = values[value_at:value_at + n], attrs[value_at:value_at + n]
            value_at += n
            blocks.append({"kind": "markdown", "text": fill_inline(pieces, mine, mine_attrs), "line": block.line,
                           "values": mine, "attrs": mine_attrs})
        else:
            old = next(cell_it)
            blocks.append({"kind": "cell", "line": block.line, "source": block.source, "options": block.options,
                           "outputs": old["outputs"]})
    if value_at != len(values):
        return None
    return ExecutedChapter(str(doc.path), doc.front_matter, blocks)


class WarmKernel:
    """Chapter executor for :func:`render_book`: re-assembles prose edits, keeps one kernel warm.

    Attributes
    ----------
    reassembled : int
        Chapters written from remembered outputs, without a kernel.
    executed : int
        Chapters run on a kernel (warm or fresh).
    reused : int
        Chapters run on the kernel kept from an earlier render.
    """

    def __init__(self) -> None:
        self.worker = None
        #: The preamble the warm kernel was started with.
        self._worker_with: str | None = None
        #: Where the last chapters ran (a prewarm starts a kernel there).
        self._cwd: Path | None = None
        self._preamble = ""
        self._lock = threading.Lock()  # the kernel (held while one starts or runs)
        self._memo_lock = threading.Lock()  # the remembered executions (never held for long)
        #: chapter path -> (what it ran with, its code signature, its execution)
        self._memo: dict[Path, tuple[tuple, tuple, Any]] = {}
        self._inputs: str | None = None
        self._shut = False  # after shutdown() no kernel is started by prewarm()
        self.reused = 0
        self.executed = 0
        self.reassembled = 0

    def begin(self, cache_inputs: str) -> None:
        """Start a render whose chapters depend on ``cache_inputs`` (the book hooks').

        Remembered executions are used only while it is unchanged; a change
        (data, settings, package code) forgets them and drops the warm kernel.
        Without a call to ``begin`` nothing is re-assembled.
        """
        with self._memo_lock:
            changed = cache_inputs != self._inputs
            if changed:
                self._memo.clear()
            self._inputs = cache_inputs
        if changed:
            self.close()

    def forget(self) -> None:
        """Forget every remembered execution (the next edit of any chapter runs it)."""
        with self._memo_lock:
            self._memo.clear()

    def _start(self, cwd: Path, preamble: str) -> bool:
        """Make sure a kernel with ``preamble`` is running; True if it was already."""
        from ipsreport.render.kernel import KernelWorker

        if self.worker is not None and self._worker_with != preamble:
            self._close()
        self._cwd, self._preamble = cwd, preamble
        if self.worker is not None:
            return True
        self.worker = KernelWorker(cwd, preamble=preamble)
        self._worker_with = preamble
        return False

    def _context(self, parameters: Mapping[str, str], preamble: str) -> tuple:
        """What a remembered execution must have run with to be reused."""
        with self._memo_lock:
            return (self._inputs, tuple(sorted(parameters.items())), preamble)

    def _recall(self, doc: QmdDoc, context: tuple) -> Any | None:
        with self._memo_lock:
            got = self._memo.get(doc.path) if self._inputs is not None else None
        if got is None or got[0] != context or got[1] != code_signature(doc):
            return None
        return reassemble(doc, got[2])

    def __call__(self, docs: list[QmdDoc], parameters: Mapping[str, str], workers: int | None = None,
                 on_done: Callable[[QmdDoc, Any], None] | None = None, preamble: str = "") -> dict[Path, Any]:
        from ipsreport.render.execute import execute_chapters

        context = self._context(parameters, preamble)
        results: dict[Path, Any] = {}
        todo = []
        for doc in docs:
            got = self._recall(doc, context)
            if got is None:
                todo.append(doc)
                continue
            self.reassembled += 1
            results[doc.path] = got
            self._remember(doc, context, got)
            if on_done is not None:
                on_done(doc, got)
        if len(todo) > 1:
            with self._lock:
                self._close()
                self._cwd, self._preamble = todo[0].path.parent, preamble
            ran = execute_chapters(todo, parameters, workers=workers, on_done=on_done, preamble=preamble)
            self.executed += len(ran)
            for doc in todo:
                self._remember(doc, context, ran[doc.path])
            results.update(ran)
        elif todo:
            doc = todo[0]
            with self._lock:
                self.reused += self._start(doc.path.parent, preamble)
                try:
                    result = self.worker.run_chapter(doc, parameters)
                except BaseException:
                    self._close()  # after a failed cell the kernel's state is unknown
                    raise
            self.executed += 1
            self._remember(doc, context, result)
            results[doc.path] = result
            if on_done is not None:
                on_done(doc, result)
        return results

    def _remember(self, doc: QmdDoc, context: tuple, executed: Any) -> None:
        with self._memo_lock:
            if self._inputs is not None and context[0] == self._inputs:
                self._memo[doc.path] = (context, code_signature(doc), executed)

    def prewarm(self, preamble: str | None = None, cwd: Path | None = None) -> None:
        """Start the kernel for the next code edit now (in the caller's thread).

        Without arguments, with the preamble and folder of the last chapters run.
        """
        with self._lock:
            if self._shut:
                return
            preamble = preamble if preamble is not None else self._preamble
            cwd = cwd or self._cwd
            if cwd is not None:
                self._start(cwd, preamble)

    def _close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None
            self._worker_with = None

    def close(self) -> None:
        """Shut the warm kernel down (the next chapter starts a fresh one)."""
        with self._lock:
            self._close()

    def shutdown(self) -> None:
        """Shut the warm kernel down for good: a prewarm still pending starts none."""
        with self._lock:
            self._shut = True
            self._close()
