"""Which of the book's table and figure cells show nothing for an edition (for Quarto's numbering)."""

from __future__ import annotations

from ipsreport import api
from ipsreport.outputs.items import EDITION_FIGURES, EDITION_TABLES, FIGURES, TABLES
from ipsreport.outputs.tables.absent import AbsentTable

__all__ = ["absent_labels"]


def absent_labels(ed, comparison=None) -> list[str]:
    """Labels of the table and figure cells that show nothing for the edition ``ed``.

    A table without data, and the edition comparison without a previous
    edition, print an :class:`~ipsreport.outputs.tables.absent.AbsentTable`: no
    float, no number. The own engine sees that in the executed cells; Quarto
    numbers from the sources, so its filter reads this list (written by
    ``_extensions/ipsreport/freeze_key.py``).

    Parameters
    ----------
    ed : Edition
        The run's edition: the tables and figures take it, as in the chapters.
    comparison : Comparison, optional
        The run's comparison (``r.comparison``): the edition comparison's
        cells take it, as in the chapters; ``None`` without a previous edition.
    """
    cells = [*((name, label, ed) for name, label in TABLES),
             *((name, label, comparison) for name, label in EDITION_TABLES),
             *((name, label, ed) for name, label in FIGURES),
             *((name, label, comparison) for name, label in EDITION_FIGURES)]
    return [label for name, label, argument in cells if isinstance(getattr(api, name)(argument), AbsentTable)]
