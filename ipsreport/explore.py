"""The pipeline and everything the chapters draw from it, for the notebooks and benchmarks.

:func:`explore` runs :func:`ipsreport.pipeline.trace` and then builds every
table and figure with the functions the chapters call (:func:`outputs`); a
render never calls it (its chapters draw them from the saved run).
"""

from __future__ import annotations

import time
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ipsreport.analysis.disclosed.layer import Disclosed, disclosed
from ipsreport.inputs.edition import Edition
from ipsreport.outputs.facts import Facts, facts
from ipsreport.outputs.items import FIGURES, TABLES
from ipsreport.pipeline import PipelineResult, trace
from ipsreport.config.settings import Settings

__all__ = ["Outputs", "outputs", "explore"]


@dataclass
class Outputs:
    """What the chapters show: tables, figures and the facts of the prose.

    Attributes
    ----------
    tables : dict
        Name (as in :data:`TABLES`) -> ``great_tables.GT`` (or the ``ReportTable`` / ``AbsentTable`` a
        table function returns: a table with no data is an ``AbsentTable``).
    figures : dict
        Name (as in :data:`FIGURES`) -> ``matplotlib.figure.Figure``; close
        them (``matplotlib.pyplot.close``) when done.
    facts : Facts
        The numbers and sentences of the prose (:func:`ipsreport.outputs.facts.facts`).
    seconds : dict
        Name -> seconds spent building that table, figure or the facts.
    """

    tables: dict[str, Any]
    figures: dict[str, Any]
    facts: Facts
    seconds: dict[str, float] = field(default_factory=dict)


def outputs(ed: Edition, summaries: Disclosed) -> Outputs:
    """Every table and figure of the report as the chapters draw them, and the facts of its prose.

    Parameters
    ----------
    ed : Edition
    summaries : Disclosed
        The result of :func:`summarise`; the table, figure and fact functions
        read the same object through :func:`ipsreport.analysis.disclosed.layer.disclosed`.

    Returns
    -------
    Outputs
    """
    # The chapter API draws with great-tables and matplotlib: imported here, not by a render's run().
    from ipsreport import api

    if summaries is not disclosed(ed):
        raise ValueError("the summaries are not those of this edition; pass the result of summarise(ed, derive(ed))")
    seconds: dict[str, float] = {}

    def timed(name: str, build: Callable[[Edition], Any]) -> Any:
        start = time.perf_counter()
        made = build(ed)
        seconds[name] = time.perf_counter() - start
        return made

    tables = {name: timed(name, getattr(api, name)) for name, _ in TABLES}
    figures = {name: timed(name, getattr(api, name)) for name, _ in FIGURES}
    made_facts = timed("facts", facts)
    return Outputs(tables=tables, figures=figures, facts=made_facts, seconds=seconds)


def explore(data_dir: str | Path | None = None, settings: Settings | dict | None = None) -> PipelineResult:
    """:func:`trace`, plus every table and figure as the chapters draw them (``.outputs``).

    For the notebooks and the compute benchmark; ``seconds`` gains the step
    ``outputs``. Close the figures (``matplotlib.pyplot.close``) when done.
    """
    traced = trace(data_dir, settings)
    start = time.perf_counter()
    shown = outputs(traced.edition, traced.disclosed)
    return dataclasses.replace(traced, seconds={**traced.seconds, "outputs": time.perf_counter() - start},
                               outputs=shown)
