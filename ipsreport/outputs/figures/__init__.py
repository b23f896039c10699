"""Every figure of the report, built from the disclosed summary frames.

Each ``fig_*`` function takes the :class:`~ipsreport.inputs.edition.Edition` and
returns a :class:`matplotlib.figure.Figure` made with the object API (no
``pyplot``), so Jupyter shows it exactly once and no state leaks from one
figure to the next. Numbers come from :mod:`ipsreport.analysis.disclosed` (the
summaries with the small-number rule applied); the figures only draw them.
A figure whose base is below the rule is replaced by a note. Styling comes
from :mod:`ipsreport.outputs.theme`; Danish number formatting from :mod:`ipsreport.outputs.fmt`.

Modules, one concern each:

* :mod:`ipsreport.outputs.figures.layout` — figure size, note band, wrapping, tick formatters;
* :mod:`ipsreport.outputs.figures.paired` — chapter 6 (Figur 1-4), start vs end for the same young people;
* :mod:`ipsreport.outputs.figures.bilag5` — Bilag 5, the answers at the end as bar charts;
* :mod:`ipsreport.outputs.figures.alt` — ``alt_text(name, ed)``, a Danish description of each
  figure computed from the same numbers, for the chapters' ``fig-alt``.

The fidelity appendix's figure is :mod:`ipsreport.outputs.figures.fidelity`.
"""

from __future__ import annotations

from ipsreport.outputs.figures.alt import alt_text
from ipsreport.outputs.figures.bilag5 import fig_effect, fig_experience, fig_statements
from ipsreport.outputs.figures.layout import WITHHELD_FIGURE, danish_number_formatter, withheld_figure
from ipsreport.outputs.figures.paired import fig_burden, fig_loneliness, fig_mastery, fig_who5, paired_note

__all__ = [
    "fig_mastery",
    "fig_loneliness",
    "fig_who5",
    "fig_burden",
    "fig_experience",
    "fig_statements",
    "fig_effect",
    "alt_text",
    "paired_note",
    "danish_number_formatter",
    "withheld_figure",
    "WITHHELD_FIGURE",
]
