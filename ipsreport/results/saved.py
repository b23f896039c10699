"""A book's saved run: what the pipeline computed, kept for the chapters to read.

The command runs :func:`ipsreport.pipeline.trace` once per book, before any
chapter, and saves its :class:`~ipsreport.pipeline.PipelineResult` as an
entry of kind ``run`` in the render's one disk cache
(:mod:`ipsreport.render.store`, :class:`ipsreport.results.publish.ResultsBundle`);
the chapters get its place (the store's folder joined with the entry's key)
as their one parameter and read it::

    ```{python}
    #| tags: [parameters]
    #| include: false
    results = None  # the render sets it: where this book's run is saved
    ```

    ```{python}
    #| include: false
    import ipsreport.api as ips
    r = ips.results(results)
    d, f = r.edition, r.facts
    ```

:func:`open_run` loads it and makes the edition's summaries and facts the
saved ones (:func:`ipsreport.analysis.disclosed.layer.disclosed`,
:func:`ipsreport.outputs.facts.facts` return them), so every table, figure and number
a chapter prints is drawn from what the pipeline computed, never computed
again in the chapter. The run holds the typed data, so it stays in the cache
beside the validated data (never in the book's folder); what the book
publishes is the bundle (:mod:`ipsreport.results.bundle`, ``resultater/``).

A kernel keeps the runs it opened (:data:`_OPENED`, the last
:data:`OPENED_KEPT` places): a book's chapters run one after another in the
same kernels, and a place names one run for good (its key is the SHA-256 of
the run's inputs, :func:`run_place`), so every chapter after a kernel's
first reads the run it already holds instead of unpickling it again (about
a tenth of a second each, most of it the collections the unpickling's
allocations set off; profiled on ``render --by site``).
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ipsreport.pipeline import PipelineResult

__all__ = ["RunMissing", "run_place", "save_run", "open_run"]


#: How many opened runs a process keeps: the book its kernel is on, and the one before (site books share kernels).
OPENED_KEPT = 2

#: Opened runs by place (``str`` of the path), oldest first; a process's lifetime, at most :data:`OPENED_KEPT`.
_OPENED: "OrderedDict[str, PipelineResult]" = OrderedDict()


class RunMissing(LookupError):
    """The place a chapter was handed holds no saved run (an interrupted render, a cleared cache)."""


def run_place(cache_dir: str | Path, inputs: str) -> Path:
    """Where the run of a book with these ``inputs`` is saved: the store's folder joined with the entry's key."""
    from ipsreport.render.store import RUN, entry_key

    return Path(cache_dir) / entry_key(RUN, inputs=inputs)


def save_run(run: "PipelineResult", place: str | Path) -> None:
    """Save ``run`` at ``place`` (:func:`run_place`) in the render's store.

    Raises
    ------
    OSError
        When the store cannot keep it (the chapters could not read it).
    """
    from ipsreport.render.store import open_store

    place = Path(place)
    if not open_store(place.parent).put(place.name, run):
        raise OSError(f"{place.parent}: kørslen kunne ikke gemmes i cachen (er mappen skrivebeskyttet?)")


def open_run(place: str | Path) -> "PipelineResult":
    """The run saved at ``place``, its summaries and facts adopted as its edition's.

    Raises
    ------
    RunMissing
        With a Danish message, when nothing is saved there.
    """
    from ipsreport.analysis.disclosed.layer import disclosed
    from ipsreport.outputs.facts import facts
    from ipsreport.render.store import open_store

    place = Path(place)
    run = _OPENED.get(str(place))
    if run is None:
        run = open_store(place.parent).get(place.name)
    if run is None:
        raise RunMissing(f"{place}: her er ingen gemt kørsel; kapitlerne læser den kørsel, som ipsreport render "
                         "gemmer, før de kører. Kør ipsreport render igen.")
    # The chapters' disclosed(d) and facts(d) are these objects, computed by the pipeline.
    _OPENED[str(place)] = run
    _OPENED.move_to_end(str(place))
    while len(_OPENED) > OPENED_KEPT:
        _OPENED.popitem(last=False)
    disclosed(run.edition, saved=run.disclosed)
    facts(run.edition, saved=run.facts)
    return run
