"""A chapter executor that keeps one kernel warm between renders (for ``preview``)."""

from __future__ import annotations

import threading
from pathlib import Path

__all__ = ["WarmKernel"]


class WarmKernel:
    """Chapter executor for :func:`render_book` that keeps one kernel warm.

    A preview re-runs one edited chapter at a time; a fresh kernel costs its
    start and the report's imports every time. This executor runs a single
    chapter on a kernel kept from the previous render. Anything else (several
    chapters, a first render) goes to the engine's parallel executor on
    fresh kernels, and :meth:`close` drops the warm kernel, which the
    preview does whenever something other than a chapter file changed (data,
    settings, package code): a warm kernel then holds stale modules or data.
    """

    def __init__(self) -> None:
        self.worker = None
        self._env: dict[str, str] | None = None
        self._cwd: Path | None = None
        self._preamble = ""
        self._lock = threading.Lock()
        self.reused = 0

    def _start(self, env: dict[str, str], cwd: Path) -> None:
        from ipsreport.render.kernel import KernelWorker

        if self.worker is not None and env != self._env:
            self._close()
        if self.worker is None:
            self.worker = KernelWorker(env, cwd, preamble=self._preamble)
            self._env, self._cwd = dict(env), cwd

    def __call__(self, docs, env, workers=None, on_done=None, preamble=""):
        from ipsreport.render.execute import execute_chapters

        if len(docs) != 1:
            self.close()
            self._env, self._cwd, self._preamble = dict(env), (docs[0].path.parent if docs else None), preamble
            return execute_chapters(docs, env, workers=workers, on_done=on_done, preamble=preamble)
        doc = docs[0]
        with self._lock:
            reuse = self.worker is not None and env == self._env and preamble == self._preamble
            self._preamble = preamble
            self._start(env, doc.path.parent)
            self.reused += reuse
            try:
                result = self.worker.run_chapter(doc)
            except BaseException:
                self._close()  # after a failed cell the kernel's state is unknown
                raise
        if on_done is not None:
            on_done(doc, result)
        return {doc.path: result}

    def prewarm(self) -> None:
        """Start the kernel for the next edit now (in the caller's thread)."""
        with self._lock:
            if self._env is not None and self._cwd is not None:
                self._start(self._env, self._cwd)

    def _close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None

    def close(self) -> None:
        """Shut the warm kernel down (the next chapter starts a fresh one)."""
        with self._lock:
            self._close()
