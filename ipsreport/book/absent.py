"""Which of the book's table and figure cells show nothing for an edition (for Quarto's numbering)."""

from __future__ import annotations

from ipsreport import api
from ipsreport.outputs.items import EDITION_FIGURES, EDITION_TABLES, FIGURES, TABLES
from ipsreport.outputs.tables.absent import AbsentTable

__all__ = ["absent_labels"]


def absent_labels(ed) -> list[str]:
    """Labels of the table and figure cells that show nothing for the edition ``ed``.

    A table without data, and the edition comparison without a previous
    edition, print an :class:`~ipsreport.outputs.tables.absent.AbsentTable`: no
    float, no number. The own engine sees that in the executed cells; Quarto
    numbers from the sources, so its filter reads this list (written by
    ``_extensions/ipsreport/freeze_key.py``).
    """
    return [label for name, label in (*TABLES, *EDITION_TABLES, *FIGURES, *EDITION_FIGURES)
            if isinstance(getattr(api, name)(ed), AbsentTable)]
