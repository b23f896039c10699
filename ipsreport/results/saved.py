"""A book's saved run: what the pipeline computed, kept for the chapters to read.

The command runs :func:`ipsreport.pipeline.trace` once per book, before any
chapter, and saves its :class:`~ipsreport.pipeline.PipelineResult` in the
render's cache (:class:`ipsreport.results.publish.ResultsBundle`); the
chapters get the folder as their one parameter and read it::

    ```{python}
    #| tags: [parameters]
    #| include: false
    results = None  # the render sets it: the folder of this book's saved run
    ```

    ```{python}
    #| include: false
    import ipsreport.api as ips
    r = ips.results(results)
    d, f = r.edition, r.facts
    ```

:func:`open_run` loads it and makes the edition's summaries and facts the
saved ones (:func:`ipsreport.disclosed.disclosed`,
:func:`ipsreport.facts.facts` return them), so every table, figure and number
a chapter prints is drawn from what the pipeline computed, never computed
again in the chapter. The run holds the typed data, so it stays in the cache
beside the validated data (never in the book's folder); what the book
publishes is the bundle (:mod:`ipsreport.results.bundle`, ``resultater/``).
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ipsreport.pipeline import PipelineResult

__all__ = ["RUN_FILE", "RunMissing", "save_run", "open_run"]

#: The file of a saved run in its folder.
RUN_FILE = "run.pickle"


class RunMissing(FileNotFoundError):
    """The folder a chapter was handed holds no saved run (a render that was interrupted, a cleared cache)."""


def save_run(run: "PipelineResult", folder: str | Path) -> Path:
    """Write ``run`` into ``folder`` atomically (another render reading it sees the old run or the new).

    Returns
    -------
    Path
        The saved file.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / RUN_FILE
    tmp = path.with_name(f"{RUN_FILE}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        pickle.dump(run, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return path


def open_run(folder: str | Path) -> "PipelineResult":
    """The run saved in ``folder``, its summaries and facts adopted as its edition's.

    Raises
    ------
    RunMissing
        With a Danish message, when ``folder`` holds no saved run.
    """
    from ipsreport.disclosed import disclosed
    from ipsreport.facts import facts

    path = Path(folder) / RUN_FILE
    try:
        with open(path, "rb") as handle:
            # The render's own cache, written by this package for this render (never a user's file).
            run = pickle.load(handle)
    except FileNotFoundError:
        raise RunMissing(f"{folder}: her er ingen gemt kørsel ({RUN_FILE}); kapitlerne læser den kørsel, som "
                         "ipsreport render gemmer, før de kører. Kør ipsreport render igen.") from None
    # The chapters' disclosed(d) and facts(d) are these objects, computed by the pipeline.
    disclosed(run.edition, saved=run.disclosed)
    facts(run.edition, saved=run.facts)
    return run
