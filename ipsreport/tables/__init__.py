"""Every table of the report, as great-tables ``GT`` objects.

Formatting only: the numbers come from :mod:`ipsreport.disclosed` (the
``summarise_*`` / ``fit_*`` results with the small-number rule already
applied) and are turned into Danish strings by :mod:`ipsreport.fmt` (round
half up, decimal comma, ``"12 %"``). A table whose whole base is below the
rule is replaced by a one-line note (:func:`withheld_table`). Conventions, following the 2025 edition:

* no ``tab_header``: the chapter's ``tbl-cap`` is the title;
* the base is shown in a spanner above the data columns (``"N: 43"``);
  where some rows rest on fewer answers, that is said next to them;
* counts as ``"n (x %)"``; Likert items as a percentage grid in codebook
  order; multi-select tables and registry tables say so in a source note;
* every table gets a fixed HTML ``id`` (``gt-<stem>``) so the HTML is
  deterministic, and is 100 % wide with a wrapping first column so it fits
  an A4 text column and a phone screen.

Tabel 1-9 and the fidelity tables return a
:class:`~ipsreport.tables.download.ReportTable`: the GT as shown plus the
disclosure-controlled numbers behind it, which the HTML book offers as CSV
and Excel (``downloadable(gt, frame, titles)`` wraps any table in one call).

Modules: :mod:`ipsreport.tables.style` (house style, the count and grid
shapes), :mod:`ipsreport.tables.download` (the download wrapper),
:mod:`ipsreport.tables.chapters` (Tabel 1-9),
:mod:`ipsreport.tables.appendices` (method, codebook, sources, audit),
:mod:`ipsreport.tables.nonresponse` (Bilag 6's non-response comparison); the
fidelity appendix's tables are :mod:`ipsreport.tables_fidelity`.
"""

from __future__ import annotations

from ipsreport.tables.appendices import tab_audit, tab_audit_summary, tab_codebook, tab_regression_spec, tab_sources
from ipsreport.tables.chapters import (
    tab_background,
    tab_duration,
    tab_evaluation,
    tab_exit,
    tab_motivation,
    tab_regression,
    tab_resources,
    tab_status,
    tab_supports,
)
from ipsreport.tables.nonresponse import tab_nonresponse
# Used by the chapters' notes and docs/CONTRACT.md; not a table function, so not in __all__.
from ipsreport.tables.style import withheld_table as withheld_table

__all__ = [
    "tab_duration",
    "tab_background",
    "tab_status",
    "tab_supports",
    "tab_motivation",
    "tab_resources",
    "tab_evaluation",
    "tab_exit",
    "tab_regression",
    "tab_regression_spec",
    "tab_nonresponse",
    "tab_codebook",
    "tab_audit_summary",
    "tab_audit",
    "tab_sources",
]
