"""A table as the reader sees it and as a reviewer downloads it.

:class:`ReportTable` pairs the great-tables ``GT`` a chapter shows with the
numbers behind it: a tidy frame of the disclosure-controlled values (a
hidden cell is missing, never the small count it hides), unformatted, with
Danish column headers. In a notebook or a chapter it displays as the GT
does (``text/html``, byte for byte the same) and also carries its numbers as
a `tabular data resource <https://specs.frictionlessdata.io/tabular-data-resource/>`_
under the MIME type ``application/vnd.dataresource+json`` (the type
pandas' ``display.html.table_schema`` and nteract use). The render engine
turns that into ``<label>.csv`` and ``<label>.xlsx`` downloads beside the
HTML pages (:mod:`ipsreport.render.downloads`); the PDF and Quarto ignore it.

One call makes any table downloadable::

    return downloadable(table, frame, {"n": "Antal", "pct": "Andel (%)"})
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd
from great_tables import GT

from ipsreport.render.outputs import DATARESOURCE_MIME

__all__ = ["DATARESOURCE_MIME", "ReportTable", "downloadable", "tidy_counts"]

#: Significant digits kept in a float (so ``16.27906976744186`` is ``16.2791``).
SIGNIFICANT = 6


@dataclass(frozen=True, repr=False)
class ReportTable:
    """A GT for display plus the frame a reviewer downloads.

    Attributes
    ----------
    gt : GT
        The table as printed (HTML page, PDF, snapshots).
    data : DataFrame or None
        The numbers behind it, one row per printed cell or row; ``None``
        when the table offers no download (e.g. it is withheld).
    titles : mapping of str to str
        Column of ``data`` -> its Danish header; a column not listed is its
        own header.
    """

    gt: GT
    data: pd.DataFrame | None = None
    titles: Mapping[str, str] | None = None

    def as_raw_html(self, **kwargs) -> str:
        """The GT's HTML (:meth:`great_tables.GT.as_raw_html`)."""
        return self.gt.as_raw_html(**kwargs)

    def __repr__(self) -> str:
        return repr(self.gt)

    def _repr_html_(self) -> str:
        return self.gt._repr_html_()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        # text/html and text/plain exactly as the GT alone gives them, so any
        # front end (Quarto included) shows the same; the numbers ride along.
        bundle: dict[str, Any] = {"text/html": self.gt._repr_html_(), "text/plain": repr(self.gt)}
        resource = self.resource()
        if resource is not None:
            bundle[DATARESOURCE_MIME] = resource
        return bundle

    def resource(self) -> dict[str, Any] | None:
        """The download as a tabular data resource: schema (Danish titles) and rows.

        Returns
        -------
        dict or None
            ``{"profile": "tabular-data-resource", "name", "schema":
            {"fields": [{"name", "title", "type"}], "missingValues": [""]},
            "data": [row dicts]}``; integers stay integers, floats keep
            :data:`SIGNIFICANT` significant digits, dates are ISO strings and
            a hidden or missing value is ``None``.
        """
        if self.data is None:
            return None
        titles = dict(self.titles or {})
        fields, converters = [], []
        for col in self.data.columns:
            kind, convert = _field_type(self.data[col])
            fields.append({"name": str(col), "title": titles.get(col, str(col)), "type": kind})
            converters.append(convert)
        rows = [
            {f["name"]: conv(v) for f, conv, v in zip(fields, converters, row)}
            for row in self.data.itertuples(index=False, name=None)
        ]
        name = str(self.gt._options.table_id.value or "table").removeprefix("gt-")
        return {
            "profile": "tabular-data-resource",
            "name": name,
            "schema": {"fields": fields, "missingValues": [""]},
            "data": rows,
        }


def downloadable(gt: GT, data: pd.DataFrame | None, titles: Mapping[str, str] | None = None) -> ReportTable:
    """Wrap a table so the HTML book offers its numbers as CSV and Excel.

    Parameters
    ----------
    gt : GT
        The table as shown.
    data : DataFrame or None
        The disclosure-controlled values behind it (hidden cells missing);
        ``None`` for no download.
    titles : mapping, optional
        Column -> Danish header.
    """
    return ReportTable(gt, None if data is None else data.reset_index(drop=True), titles)


def tidy_counts(protected: pd.DataFrame, first: str, first_label: str, extra: Mapping[str, str] | None = None,
                ) -> tuple[pd.DataFrame, dict[str, str]]:
    """The download of a tidy count frame: category, ``n``, ``pct`` and ``base``.

    Parameters
    ----------
    protected : DataFrame
        A frame of :mod:`ipsreport.analysis.disclosed` (hidden ``n``/``pct``/``base``
        already missing).
    first : str
        The column naming the row (``"category"``, ``"label"``).
    first_label : str
        Its Danish header.
    extra : mapping, optional
        Further columns to keep before the numbers, column -> header.

    Returns
    -------
    (DataFrame, dict)
        The frame and its headers, for :func:`downloadable`.
    """
    extra = dict(extra or {})
    columns = [*extra, first, "n", "pct", "base"]
    titles = {**extra, first: first_label, "n": "Antal", "pct": "Andel (%)", "base": "I alt (N)"}
    frame = protected[[c for c in columns if c in protected]].copy()
    return frame, {c: titles[c] for c in frame.columns}


def _field_type(column: pd.Series):
    """The Frictionless type of a column and a converter of its values to JSON."""
    if pd.api.types.is_bool_dtype(column):
        return "boolean", lambda v: None if _missing(v) else bool(v)
    if pd.api.types.is_integer_dtype(column):
        return "integer", lambda v: None if _missing(v) else int(v)
    if pd.api.types.is_float_dtype(column):
        return "number", _number
    if pd.api.types.is_datetime64_any_dtype(column):
        return "date", lambda v: None if _missing(v) else pd.Timestamp(v).date().isoformat()
    return "string", lambda v: None if _missing(v) else str(v)


def _number(value) -> float | None:
    if _missing(value):
        return None
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value if math.isfinite(value) else None
    return float(f"{value:.{SIGNIFICANT}g}")


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
