"""Every table of the report, as great-tables ``GT`` objects.

Formatting only: the numbers come from :mod:`ipsreport.analysis.disclosed` (the
``summarise_*`` / ``fit_*`` results with the small-number rule already
applied) and are turned into Danish strings by :mod:`ipsreport.outputs.fmt` (round
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
:class:`~ipsreport.outputs.tables.download.ReportTable`: the GT as shown plus the
disclosure-controlled numbers behind it, which the HTML book offers as CSV
and Excel (``downloadable(gt, frame, titles)`` wraps any table in one call).

Modules: :mod:`ipsreport.outputs.tables.style` (house style, the count and grid
shapes), :mod:`ipsreport.outputs.tables.download` (the download wrapper),
:mod:`ipsreport.outputs.tables.chapters` (Tabel 1-9),
:mod:`ipsreport.outputs.tables.appendices` (method, codebook, sources, audit),
:mod:`ipsreport.outputs.tables.nonresponse` (Bilag 6's non-response comparison); the
fidelity appendix's tables are :mod:`ipsreport.outputs.tables.fidelity`.
"""

from __future__ import annotations

from ipsreport.outputs.items import TABLES as _TABLES
from ipsreport.outputs.tables.appendices import tab_audit as tab_audit
from ipsreport.outputs.tables.appendices import tab_audit_summary as tab_audit_summary
from ipsreport.outputs.tables.appendices import tab_codebook as tab_codebook
from ipsreport.outputs.tables.appendices import tab_regression_spec as tab_regression_spec
from ipsreport.outputs.tables.appendices import tab_sources as tab_sources
from ipsreport.outputs.tables.chapters import tab_background as tab_background
from ipsreport.outputs.tables.chapters import tab_duration as tab_duration
from ipsreport.outputs.tables.chapters import tab_evaluation as tab_evaluation
from ipsreport.outputs.tables.chapters import tab_exit as tab_exit
from ipsreport.outputs.tables.chapters import tab_motivation as tab_motivation
from ipsreport.outputs.tables.chapters import tab_regression as tab_regression
from ipsreport.outputs.tables.chapters import tab_resources as tab_resources
from ipsreport.outputs.tables.chapters import tab_status as tab_status
from ipsreport.outputs.tables.chapters import tab_supports as tab_supports
from ipsreport.outputs.tables.nonresponse import tab_nonresponse as tab_nonresponse
# Used by the chapters' notes and docs/CONTRACT.md; not a table function, so not in __all__.
from ipsreport.outputs.tables.style import withheld_table as withheld_table

#: The table functions of this package in report order, derived from the one list
#: (:data:`ipsreport.outputs.items.TABLES`); the fidelity appendix's are in :mod:`ipsreport.outputs.tables.fidelity`.
__all__ = [name for name, _ in _TABLES if name in globals()]
