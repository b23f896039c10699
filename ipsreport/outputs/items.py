"""Every table and figure of the report, listed once: the chapter API function and its label.

The one list the others are derived from: :mod:`ipsreport.api`'s ``__all__``,
the table functions :mod:`ipsreport.outputs.tables` exports, the outputs of
:func:`ipsreport.explore.outputs` (``pipeline.TABLES``, ``pipeline.FIGURES``)
and the tests. ``tests/test_pipeline.py`` checks that it names every table and
figure function the packages define and every ``#| label: tbl-*`` /
``fig-*`` cell of the book (the case appendices' timelines apart, which
:mod:`ipsreport.outputs.cases` makes per case file; the edition comparison's items
are listed apart, in ``EDITION_TABLES`` and ``EDITION_FIGURES``). Plain data: importing it loads
nothing, so a render's ``pipeline.run`` stays free of great-tables and
matplotlib.
"""

from __future__ import annotations

__all__ = ["TABLES", "FIGURES", "EDITION_TABLES", "EDITION_FIGURES"]

#: Every table: the chapter API function (:mod:`ipsreport.api`) and its label; Tabel 1-9, then the appendices'.
TABLES: tuple[tuple[str, str], ...] = (
    ("tab_duration", "tbl-duration"),
    ("tab_background", "tbl-background"),
    ("tab_status", "tbl-status"),
    ("tab_supports", "tbl-supports"),
    ("tab_motivation", "tbl-motivation"),
    ("tab_resources", "tbl-resources"),
    ("tab_evaluation", "tbl-evaluation"),
    ("tab_exit", "tbl-exit"),
    ("tab_regression", "tbl-regression"),
    ("tab_regression_spec", "tbl-regression-spec"),
    ("tab_codebook", "tbl-codebook"),
    ("tab_nonresponse", "tbl-nonresponse"),
    ("tab_sources", "tbl-sources"),
    ("tab_audit_summary", "tbl-audit-summary"),
    ("tab_audit", "tbl-audit"),
    ("tab_caseload", "tbl-caseload"),
    ("tab_fidelity_reviews", "tbl-fidelity-reviews"),
)

#: Every figure: the chapter API function and its label; Figur 1-4, then the appendices'.
FIGURES: tuple[tuple[str, str], ...] = (
    ("fig_mastery", "fig-mastery"),
    ("fig_loneliness", "fig-loneliness"),
    ("fig_who5", "fig-who5"),
    ("fig_burden", "fig-burden"),
    ("fig_experience", "fig-experience"),
    ("fig_statements", "fig-statements"),
    ("fig_effect", "fig-effect"),
    ("fig_caseload", "fig-caseload"),
)

#: The comparison with earlier editions (``render --previous``; the conclusion's cells print nothing
#: without one): listed apart, because the pipeline's outputs are made from every edition's data alone.
EDITION_TABLES: tuple[tuple[str, str], ...] = (
    ("tab_edition_change", "tbl-edition-change"),
    ("tab_edition_series", "tbl-edition-series"),
)
EDITION_FIGURES: tuple[tuple[str, str], ...] = (
    ("fig_edition_series", "fig-edition-series"),
)

