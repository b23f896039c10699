"""A table that has no data: a sentence in its place, no number, no entry in the list of tables.

A table function returns :func:`absent_table` when there is nothing to show
(the optional fidelity reviews were not supplied). In a chapter it displays
as markdown only, so the render engine prints the sentence as a paragraph
and gives the cell no table number (:mod:`ipsreport.render.crossref`); a
reference to it written in brackets, ``(@tbl-x)``, is left out with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

__all__ = ["AbsentTable", "absent_table"]


@dataclass(frozen=True)
class AbsentTable:
    """The sentence that stands where a table with no data would be.

    Attributes
    ----------
    sentence : str
        Danish, one or more complete sentences.
    """

    sentence: str

    #: No numbers to download (the engine reads ``resource()`` of a shown table only).
    data = None

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        # Markdown (and plain text) only: no text/html, so no table float.
        return {"text/markdown": self.sentence, "text/plain": self.sentence}

    def as_raw_html(self, **kwargs) -> str:
        """The sentence as an HTML paragraph (for tests and snapshots that read tables as HTML)."""
        return f"<p>{escape(self.sentence)}</p>"

    def resource(self) -> None:
        """Nothing to download."""
        return None

    def __str__(self) -> str:
        return self.sentence


def absent_table(sentence: str) -> AbsentTable:
    """The stand-in for a table with no data: ``sentence`` printed as a paragraph, no table number."""
    return AbsentTable(str(sentence))
