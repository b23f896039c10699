"""The edition comparison as the chapters see it: the previous editions of this render, compared once.

:func:`previous_records` reads the bundles the render handed the kernel
(:func:`ipsreport.results.editions.locate.previous_of`); :func:`comparison`
compares this edition with the latest of them once per edition
(:func:`ipsreport.analysis.memo.remember`: the conclusion and four chapters ask).
Without ``--previous`` both are empty, and every output of the comparison
is absent from the book.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipsreport.results.editions.locate import Previous, previous_of
from ipsreport.results.editions.record import EditionRecord, current_record, datasets_for, possibly_shared, shared_persons
from ipsreport.analysis.memo import remember

__all__ = ["Comparison", "previous_records", "comparison", "series"]


@dataclass(frozen=True)
class Comparison:
    """This edition against the previous one.

    Attributes
    ----------
    change : DataFrame
        :func:`ipsreport.analysis.summaries.editions.summarise_edition_change`.
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
    """

    change: pd.DataFrame
    previous_year: int
    current_year: int
    shared: int
    shared_checked: bool
    min_cell: int
    alpha: float = 0.05


def _chosen(ed, previous: Previous | None) -> Previous | None:
    """``previous`` when given (tests, notebooks), else the edition's settings' (:func:`~ipsreport.results.editions.locate.previous_of`)."""
    return previous if previous is not None else previous_of(ed.settings)


def previous_records(ed, previous: Previous | None = None) -> tuple[EditionRecord, ...]:
    """The previous editions, oldest first (empty without ``--previous``).

    Parameters
    ----------
    ed : Edition
    previous : Previous, optional
        Default: the settings' (:func:`ipsreport.results.editions.locate.previous_of`).
    """
    chosen = _chosen(ed, previous)

    def load() -> tuple[EditionRecord, ...]:
        from ipsreport.results import read_bundle

        if chosen is None:
            return ()
        return tuple(EditionRecord.from_results(read_bundle(folder)) for folder in chosen.bundles)

    return remember(("previous_records", chosen), ed, load)


def _overlap(ed, chosen: Previous | None, last: EditionRecord) -> tuple[int, bool]:
    """Persons in both editions and whether the ids were compared (once per edition: it reads a data folder)."""
    def count() -> tuple[int, bool]:
        if chosen is not None and chosen.data is not None:
            return shared_persons(ed, chosen.data), True
        return possibly_shared(ed, last.evaluation_end), False

    return remember(("edition_overlap", chosen), ed, count)


def comparison(ed, previous: Previous | None = None, indicators: tuple[str, ...] | None = None) -> Comparison | None:
    """This edition against the latest previous one; ``None`` without a previous edition.

    ``indicators``: only these need to be right (a chapter's sentence); the
    others may read as missing. Default all (the conclusion's table).
    """
    chosen = _chosen(ed, previous)
    labels = datasets_for(indicators)

    def compare() -> Comparison | None:
        from ipsreport.analysis.disclosed.layer import disclosed
        from ipsreport.analysis.summaries.editions import summarise_edition_change

        records = previous_records(ed, chosen)
        if not records:
            return None
        last = records[-1]
        shared, checked = _overlap(ed, chosen, last)
        change = summarise_edition_change(last, current_record(ed, labels), shared=shared,
                                          alpha=float(ed.settings.alpha))
        return Comparison(change, last.year, int(ed.settings.edition_year), shared, checked,
                          int(disclosed(ed).min_cell), float(ed.settings.alpha))

    return remember(("edition_comparison", chosen, labels), ed, compare)


def series(ed, previous: Previous | None = None) -> pd.DataFrame | None:
    """Every key indicator over all editions, this one last; ``None`` with fewer than two previous editions."""
    chosen = _chosen(ed, previous)

    def build() -> pd.DataFrame | None:
        from ipsreport.analysis.summaries.editions import summarise_edition_series

        records = previous_records(ed, chosen)
        if len(records) < 2:
            return None
        return summarise_edition_series((*records, current_record(ed)), alpha=float(ed.settings.alpha))

    return remember(("edition_series", chosen), ed, build)
