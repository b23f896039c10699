"""The edition comparison, computed once per run by the pipeline's compare step.

:func:`ipsreport.pipeline.compare` reads the previous editions' bundles
(:func:`read_records`), counts the persons both editions may share
(:func:`overlap`) and hands them, with this edition's record
(:func:`ipsreport.results.editions.record.current_record`, from the disclosed
summaries), to :func:`compare_editions`. The :class:`Comparison` it returns
is held by the run (``PipelineResult.comparison``); the conclusion's tables
and figure, the chapters' sentences and the results bundle format that one
object and compute nothing. Without ``--previous`` the run holds ``None``
and every output of the comparison is absent from the book.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from ipsreport.results.editions.locate import Previous
from ipsreport.results.editions.record import EditionRecord, possibly_shared, shared_persons

__all__ = ["Comparison", "read_records", "overlap", "compare_editions"]


@dataclass(frozen=True)
class Comparison:
    """This edition against the previous one (and, with two or more previous editions, all of them).

    Attributes
    ----------
    change : DataFrame
        :func:`ipsreport.analysis.summaries.editions.summarise_edition_change`
        of the latest previous edition and this one.
    previous_year, current_year : int
    shared : int
        Persons in both editions (``0``: none, or the cohorts cannot overlap).
    shared_checked : bool
        ``shared`` compares ids of both data folders (``--previous-data``);
        ``False``: it counts the persons who started before the previous
        edition closed, who *may* be in it.
    min_cell : int
        The small-number rule of this edition (``shared`` is a count of persons).
    alpha : float
        The setting ``alpha``: the intervals are at ``1 - alpha``.
    series : DataFrame or None
        :func:`~ipsreport.analysis.summaries.editions.summarise_edition_series`
        of every edition, this one last; ``None`` with fewer than two previous editions.
    """

    change: pd.DataFrame
    previous_year: int
    current_year: int
    shared: int
    shared_checked: bool
    min_cell: int
    alpha: float = 0.05
    series: pd.DataFrame | None = None


def read_records(previous: Previous) -> tuple[EditionRecord, ...]:
    """The records of the previous editions' bundles, oldest first (as :class:`Previous` lists them)."""
    from ipsreport.results import read_bundle

    return tuple(EditionRecord.from_results(read_bundle(folder)) for folder in previous.bundles)


def overlap(ed, previous: Previous, last: EditionRecord) -> tuple[int, bool]:
    """Persons in both editions, and whether their ids were compared.

    With the previous data folder (``--previous-data``) the ids of both are
    compared (:func:`~ipsreport.results.editions.record.shared_persons`);
    without it, the persons of ``ed`` who started before ``last`` closed may
    be in it (:func:`~ipsreport.results.editions.record.possibly_shared`).
    """
    if previous.data is not None:
        return shared_persons(ed, previous.data), True
    return possibly_shared(ed, last.evaluation_end), False


def compare_editions(previous: Sequence[EditionRecord], current: EditionRecord, shared: int, shared_checked: bool,
                     alpha: float) -> Comparison | None:
    """This edition against the previous ones; ``None`` without a previous edition.

    Parameters
    ----------
    previous : sequence of EditionRecord
        The previous editions, oldest first (:func:`read_records`).
    current : EditionRecord
        This edition, as its bundle publishes it (:func:`~ipsreport.results.editions.record.current_record`).
    shared, shared_checked
        :func:`overlap` of this edition and the latest previous one.
    alpha : float
        The setting ``alpha``.

    Returns
    -------
    Comparison or None
    """
    from ipsreport.analysis.summaries.editions import summarise_edition_change, summarise_edition_series

    if not previous:
        return None
    last = previous[-1]
    change = summarise_edition_change(last, current, shared=shared, alpha=alpha)
    series = summarise_edition_series((*previous, current), alpha=alpha) if len(previous) >= 2 else None
    return Comparison(change, last.year, current.year, shared, shared_checked, current.min_cell, alpha, series)
