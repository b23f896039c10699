"""Execute chapters on a pool of kernels, one per core, in parallel.

:func:`execute_jobs` runs chapters (possibly of several books, see
:func:`ipsreport.render.engine.render_variants`) on shared
:class:`~ipsreport.render.kernel.KernelWorker` s, each chapter with its own
book's parameters, so kernels and their imports are shared by all of them; :func:`execute_chapters` does the same for one book. When the waiting
main thread is interrupted (Ctrl-C, or SIGTERM through
:mod:`ipsreport.render.signals`), the kernels are killed at once rather than
left to finish their chapters.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from ipsreport.render.kernel import CellError, KernelWorker
from ipsreport.render.outputs import ExecutedChapter
from ipsreport.render.qmd import QmdDoc

__all__ = ["CellError", "Job", "KernelsAhead", "execute_chapters", "execute_jobs"]


def execute_chapters(
    docs: list[QmdDoc],
    parameters: Mapping[str, str],
    workers: int | None = None,
    on_done: Callable[[QmdDoc, ExecutedChapter], None] | None = None,
    preamble: str = "",
    kernels: "KernelsAhead | None" = None,
) -> dict[Path, ExecutedChapter]:
    """Execute chapters on up to ``workers`` kernels in parallel.

    Parameters
    ----------
    docs : list of QmdDoc
        Chapters to run (already parsed).
    parameters : mapping of str to str
        The chapters' parameters (:attr:`~ipsreport.render.hooks.BookHooks.parameters`).
    workers : int, optional
        Number of kernels; default: number of cores, at most ``len(docs)``.
    on_done : callable, optional
        Called as ``on_done(doc, result)`` after each chapter (from a worker
        thread), e.g. to report progress.
    preamble : str, optional
        The book's set-up code, run once per kernel.
    kernels : KernelsAhead, optional
        Kernels started earlier with the same preamble; used first.

    Returns
    -------
    dict
        Chapter path -> :class:`ExecutedChapter`.

    Raises
    ------
    CellError
        The first failure; remaining chapters are abandoned.
    """
    jobs = [Job(doc.path, doc, dict(parameters)) for doc in docs]
    done = (lambda job, res: on_done(job.doc, res)) if on_done else None
    return execute_jobs(jobs, workers=workers, on_done=done, preamble=preamble, kernels=kernels)


@dataclass
class Job:
    """One chapter to execute: a key for the result, the chapter, its parameters.

    ``order``: jobs run by order first (a book's chapters before the next
    book's, so each book is done, and can be written, as early as it can),
    then longest first. ``ready``: called in the worker before the chapter
    runs (waits for what the chapter reads, e.g. its book's saved run); what
    it raises stops the jobs like a failing chapter.
    """

    key: Any
    doc: QmdDoc
    parameters: Mapping[str, str] = field(default_factory=dict)
    order: int = 0
    ready: Callable[[], Any] | None = None


def execute_jobs(
    jobs: list[Job],
    workers: int | None = None,
    on_done: Callable[[Job, ExecutedChapter], None] | None = None,
    preamble: str = "",
    kernels: "KernelsAhead | None" = None,
) -> dict[Any, ExecutedChapter]:
    """Execute chapters (possibly of several renders) on shared kernels.

    Parameters
    ----------
    jobs : list of Job
    workers : int, optional
        Number of kernels; default: number of cores, at most ``len(jobs)``.
    on_done : callable, optional
        Called as ``on_done(job, result)`` after each chapter (worker thread).
    preamble : str, optional
        Set-up code run once per kernel.
    kernels : KernelsAhead, optional
        Kernels started earlier with the same preamble: each worker takes
        one of them before it starts a kernel of its own.

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
    # By order, then longest chapters first so the parallel schedule stays balanced.
    todo: "queue.Queue[Job]" = queue.Queue()
    for job in sorted(jobs, key=lambda j: (j.order, -len(j.doc.cells))):
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
            worker = kernels.take() if kernels is not None else None
            if worker is not None:
                started(worker)
            else:
                worker = KernelWorker(jobs[0].doc.path.parent, on_start=started, preamble=preamble)
            while not stop.is_set():
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                if job.ready is not None:
                    job.ready()
                result = worker.run_chapter(job.doc, job.parameters)
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


class KernelsAhead:
    """Kernels started before the chapters they will run are known to be ready to run.

    The command starts them as soon as it knows chapters must run (the book
    is not current), so that their start and imports - the largest fixed
    cost of a render - overlap the command's own work: reading the case
    files, validating the data, the disclosure audit and the pipeline.
    :func:`execute_jobs` takes them before starting kernels of its own.

    Parameters
    ----------
    count : int
        Kernels to start (0 starts none).
    cwd : Path
        Their working folder (each chapter moves to its own folder first).
    preamble : str
        The book's set-up code, run once per kernel after the engine's.

    Notes
    -----
    Use it as a context manager or call :meth:`close`: kernels not taken
    by then are killed.
    """

    def __init__(self, count: int, cwd: Path, preamble: str = "") -> None:
        self._ready: "queue.Queue[KernelWorker | BaseException]" = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        #: Kernels whose process runs while their set-up runs (thread of _start), and those ready for take().
        self._starting: list[KernelWorker] = []
        self._idle: list[KernelWorker] = []
        self._waiting = count
        self._threads = [threading.Thread(target=self._start, args=(Path(cwd), preamble), daemon=True,
                                          name=f"ipsreport-kernel-ahead-{i}") for i in range(count)]
        for t in self._threads:
            t.start()

    def _start(self, cwd: Path, preamble: str) -> None:
        try:
            worker = KernelWorker(cwd, on_start=self._started, preamble=preamble)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever takes this kernel
            self._ready.put(exc)
            return
        with self._lock:
            self._starting.remove(worker)
            closed = self._closed
            if not closed:
                self._idle.append(worker)
        if closed:  # closed while it started: nobody will take it
            worker.kill()
            worker.close()
            self._ready.put(_Stopped())
            return
        self._ready.put(worker)

    def _started(self, worker: KernelWorker) -> None:
        with self._lock:
            if self._closed:
                raise _Stopped()
            self._starting.append(worker)

    def take(self) -> KernelWorker | None:
        """A started kernel (waiting until one is ready), or None when none is left.

        Raises the exception that stopped a kernel from starting.
        """
        with self._lock:
            if self._closed or self._waiting == 0:
                return None
            self._waiting -= 1
        got = self._ready.get()
        if isinstance(got, BaseException):
            raise got
        with self._lock:
            self._idle.remove(got)
        return got

    def close(self) -> None:
        """Kill the kernels nobody took.

        A kernel still starting is only killed here (its starting thread, the
        one using its channels, then closes it); an idle one is also closed.
        """
        with self._lock:
            self._closed = True
            starting, idle = list(self._starting), list(self._idle)
            self._idle.clear()
        for worker in starting:
            worker.kill()
        for worker in idle:
            worker.kill()
            worker.close()

    def __enter__(self) -> "KernelsAhead":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Seconds :func:`execute_jobs` waits for its threads after killing the kernels.
_STOP_GRACE = 3.0


class _Stopped(Exception):
    """A kernel finished starting after the run was stopped."""


