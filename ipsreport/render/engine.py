"""Render a Quarto book: parse → execute (cached, parallel) → number → write.

The pandoc engine needs no Quarto: :func:`render_book` renders one book,
:func:`render_variants` several books of the same project (one report per
site, say) on one pool of kernels. Whatever a book needs beyond its sources
comes in as :class:`~ipsreport.render.hooks.BookHooks`. Output is written to
a temporary folder next to the output folder and swapped in only when
everything succeeded, so a failed render leaves the previous output
untouched. Only a folder that is absent, empty or a previous output of the
engine is ever replaced (:mod:`ipsreport.render.outdir`), and SIGTERM/SIGINT
stop a render cleanly (:mod:`ipsreport.render.signals`). The Quarto engine
lives in :mod:`ipsreport.render.quarto`.
"""

from __future__ import annotations

import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ipsreport.render.base import Progress, RenderError, RenderResult
from ipsreport.render.hooks import BookHooks, Variant
from ipsreport.render.outdir import OutputRefused, stamp_key
from ipsreport.render.plan import Plan, cell_error, identify, make_plan, store
from ipsreport.render.signals import stop_on_signals
from ipsreport.render.write import finish

if TYPE_CHECKING:  # nbclient is imported only when chapters run
    from ipsreport.render.execute import KernelsAhead

__all__ = ["RenderError", "RenderResult", "VariantFailed", "book_is_current", "chapters_to_run", "render_book",
           "render_variants", "start_kernels"]


class VariantFailed(RenderError):
    """One book of :func:`render_variants` failed; ``index`` is its place in the list of variants.

    The caller may render the others again without it (their finished
    chapters come from the cache): :func:`ipsreport.book.sites.render_each`.
    """

    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.index = index


def _quiet(event: str, detail: str) -> None:
    pass


def render_book(
    project_dir: Path,
    output_dir: Path | None = None,
    to: str = "all",
    hooks: BookHooks | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    execute: Callable[..., dict[Path, Any]] | None = None,
    kernels: "KernelsAhead | None" = None,
) -> RenderResult:
    """Render a Quarto book project to HTML and/or PDF without Quarto.

    Parameters
    ----------
    project_dir : Path
        Folder with ``_quarto.yml``.
    output_dir : Path, optional
        Default: ``project: output-dir`` (``_book``).
    to : {"all", "html", "pdf"}
    hooks : BookHooks, optional
        What the book needs beyond its sources (kernel environment, cache
        inputs, cover, protected folders); default: nothing.
    cache_dir : Path, optional
        Default: ``<project>/.ipsreport-cache``.
    workers : int, optional
        Kernels run in parallel; default: number of cores.
    progress : callable, optional
        ``progress(event, detail)`` with events ``"cached"``, ``"executed"``,
        ``"write"``, ``"unchanged"``.
    execute : callable, optional
        Runs the chapters that are not cached; same signature as
        :func:`ipsreport.render.execute.execute_chapters` (the default).
        A preview passes one that keeps a kernel warm.
    kernels : KernelsAhead, optional
        Kernels the caller started ahead (:func:`start_kernels`), for the
        default ``execute``; the caller closes them.

    Returns
    -------
    RenderResult

    Raises
    ------
    RenderError
        On any failure (cell error, pandoc or Typst error); the previous
        output folder is left untouched.
    ipsreport.render.outdir.OutputRefused
        If ``output_dir`` may not be replaced (see :mod:`ipsreport.render.outdir`);
        raised before anything is written.
    ipsreport.render.signals.Interrupted
        On SIGTERM/SIGINT (when called from the main thread): the kernels
        are killed, the temporary folder removed, the previous output kept.
    """
    say = progress or _quiet
    with stop_on_signals():
        plan = make_plan(project_dir, output_dir, to, hooks, cache_dir, say)
        if plan.result.unchanged:
            return plan.result
        if plan.hooks.attachment is not None:
            plan.hooks.attachment.start(tuple(plan.project.files))
        from ipsreport.render.execute import CellError, execute_chapters  # nbclient: only when needed

        if execute is not None and kernels is not None:
            raise ValueError("kernels started ahead run on the default execute only")
        run = execute or functools.partial(execute_chapters, kernels=kernels)
        try:
            ran = run(plan.todo, dict(plan.hooks.parameters), workers=workers,
                      on_done=lambda doc, res: store(plan, doc, res, say), preamble=plan.hooks.kernel_preamble)
        except CellError as exc:
            raise cell_error(plan, exc) from None
        plan.executed.update(ran)
        plan.result.executed = [d.path for d in plan.todo]
        return finish(plan, say)


def book_is_current(
    project_dir: Path,
    output_dir: Path | None = None,
    to: str = "all",
    hooks: BookHooks | None = None,
    cache_dir: Path | None = None,
) -> bool:
    """True when the output was rendered from exactly these sources, hooks and tools (:func:`chapters_to_run` is None).

    Lets a caller skip expensive work of its own (validating data) when the
    render would only say "unchanged".
    """
    return chapters_to_run(project_dir, output_dir, to, hooks, cache_dir) is None


def chapters_to_run(
    project_dir: Path,
    output_dir: Path | None = None,
    to: str = "all",
    hooks: BookHooks | None = None,
    cache_dir: Path | None = None,
) -> int | None:
    """What a render would do: None when the book is current, else how many chapters it would execute.

    The count (chapters not in the store) is a prediction for
    :func:`start_kernels` (an entry found here may still prove unreadable and
    be executed again). Never raises: a refused output folder or an
    unreadable file gives 0, and the render itself says why.
    """
    try:
        plan = identify(project_dir, output_dir, to, hooks, cache_dir, None)
    except (RenderError, OSError):
        return 0
    if stamp_key(plan.out) == plan.book_key:
        return None
    from ipsreport.render.store import open_store

    kept = open_store(plan.cache)
    return sum(1 for p in plan.project.files if plan.keys[p] not in kept)


def start_kernels(project_dir: Path, chapters: int, workers: int | None = None,
                  preamble: str = "") -> "KernelsAhead":
    """Start the kernels ``chapters`` chapters will need, before the caller's own checks and pipeline.

    Parameters
    ----------
    project_dir : Path
        The book's folder (the kernels' working folder).
    chapters : int
        Chapters to run (:func:`chapters_to_run`); one kernel per chapter up to ``workers``.
    workers : int, optional
        As for :func:`render_book`; default: number of cores.
    preamble : str, optional
        The hooks' ``kernel_preamble``.

    Returns
    -------
    KernelsAhead
        Hand it to :func:`render_book` and close it afterwards (a ``with`` block).
    """
    from ipsreport.render.execute import KernelsAhead

    count = max(0, min(workers or os.cpu_count() or 1, chapters))
    return KernelsAhead(count, Path(project_dir), preamble)


def render_variants(
    variants: list[Variant],
    project_dir: Path,
    to: str = "all",
    workers: int | None = None,
    progress: Progress | None = None,
    kernels: "KernelsAhead | None" = None,
) -> list[RenderResult]:
    """Render the same project several times (e.g. one report per site) at once.

    All chapters of all variants run on one pool of ``workers`` kernels, so
    the kernel start and the book's imports are paid once per kernel rather
    than once per book; each chapter gets its own variant's
    ``parameters``. The books are then written (pandoc, Typst) in parallel.
    Each keeps its own output folder, stamp and chapter cache, exactly as if
    :func:`render_book` had rendered it alone.

    Parameters
    ----------
    variants : list of Variant
        Their hooks must share one ``kernel_preamble`` (one kernel pool).
    project_dir : Path
    to : {"all", "html", "pdf"}
    workers : int, optional
        Kernels (and parallel writers); default: number of cores.
    progress : callable, optional
        As for :func:`render_book`; the detail is prefixed with the output
        folder's name.
    kernels : KernelsAhead, optional
        Kernels the caller started ahead (:func:`start_kernels`); the caller closes them.

    Returns
    -------
    list of RenderResult
        In the order of ``variants``.

    Raises
    ------
    RenderError
        On the first failure (:class:`VariantFailed` when it is one book's,
        naming which); books already written stay written, the failing
        one keeps its previous output. :class:`~ipsreport.render.outdir.OutputRefused`
        (any book's folder may not be replaced) is raised before anything is
        written, and :class:`~ipsreport.render.signals.Interrupted` on
        SIGTERM/SIGINT, after which no further book is swapped in.
    """
    preambles = {v.hooks.kernel_preamble for v in variants}
    if len(preambles) > 1:
        raise ValueError("variants rendered together must share one kernel_preamble")
    with stop_on_signals():
        return _render_variants(variants, project_dir, to, workers, progress or _quiet, kernels)


def _start(plan: Plan, index: int) -> None:
    """A book's run of the pipeline (its attachment's ``start``); its failure is that book's."""
    if plan.hooks.attachment is None:
        return
    try:
        plan.hooks.attachment.start(tuple(plan.project.files))
    except RenderError as exc:
        if isinstance(exc, OutputRefused):
            raise
        raise VariantFailed(str(exc), index) from None


def _tagged(say: Progress, name: str) -> Progress:
    def tagged(event: str, detail: str) -> None:
        say(event, f"{name}: {detail}")

    return tagged


def _render_variants(variants, project_dir, to, workers, say: Progress, kernels=None) -> list[RenderResult]:
    cancel = threading.Event()
    for v in variants:  # every book's folder checked before any is planned (planning opens its cache)
        identify(project_dir, v.output_dir, to, v.hooks, v.cache_dir, v.label)
    plans: list[tuple[Plan, Progress]] = []
    for v in variants:
        tagged = _tagged(say, Path(v.output_dir).name)
        plan = make_plan(project_dir, v.output_dir, to, v.hooks, v.cache_dir, tagged, v.label)
        plan.cancel = cancel
        plans.append((plan, tagged))
    from ipsreport.render.execute import CellError, Job, execute_jobs  # nbclient: only when needed

    # Each book as soon as it can be: its run made in one thread, book after book (a book's chapters wait
    # only for their own run); its chapters on the kernels, book after book; it is written as soon as its
    # last chapter is done, while the kernels run the next book's.
    live = [i for i, (plan, _) in enumerate(plans) if not plan.result.unchanged]
    n = max(1, min(workers or os.cpu_count() or 1, len(live) or 1))
    starts, pool = ThreadPoolExecutor(max_workers=1), ThreadPoolExecutor(max_workers=n)
    started = {i: starts.submit(_start, plans[i][0], i) for i in live}
    remaining = {i: len(plans[i][0].todo) for i in live}
    writes: dict = {}
    lock, failed = threading.Lock(), threading.Event()

    def write(i: int) -> None:
        plan, tagged = plans[i]
        started[i].result()  # a book without chapters to run still needs its run for the bundle
        plan.result.executed = [d.path for d in plan.todo]
        finish(plan, tagged)

    def done(job, res) -> None:
        i, path = job.key
        store(plans[i][0], job.doc, res, plans[i][1])
        with lock:
            plans[i][0].executed[path] = res
            remaining[i] -= 1
            last = remaining[i] == 0
        if last and not (cancel.is_set() or failed.is_set()):
            writes[i] = pool.submit(write, i)

    for i in live:
        if remaining[i] == 0:
            writes[i] = pool.submit(write, i)
    jobs = [Job((i, doc.path), doc, dict(plans[i][0].hooks.parameters), order=i, ready=started[i].result)
            for i in live for doc in plans[i][0].todo]
    preamble = plans[0][0].hooks.kernel_preamble if plans else ""
    try:
        try:
            execute_jobs(jobs, workers=workers, preamble=preamble, kernels=kernels, on_done=done)
        except CellError as exc:
            if exc.job_key is None:  # not one book's chapter (e.g. a kernel that would not start)
                raise cell_error(plans[0][0], exc) from None
            raise VariantFailed(str(cell_error(plans[exc.job_key[0]][0], exc)), exc.job_key[0]) from None
        for i in live:
            try:
                writes[i].result()
            except VariantFailed:
                raise
            except RenderError as exc:
                if isinstance(exc, OutputRefused):
                    raise
                raise VariantFailed(str(exc), i) from None
    except Exception:
        # One book failed: the books already being written are finished and swapped in, no other is started.
        failed.set()
        starts.shutdown(wait=True, cancel_futures=True)
        pool.shutdown(wait=True)
        raise
    except BaseException:
        # Stopped by a signal: books not yet swapped in stay as they were.
        cancel.set()
        starts.shutdown(wait=True, cancel_futures=True)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    starts.shutdown(wait=True)
    pool.shutdown(wait=True)
    return [plan.result for plan, _ in plans]
