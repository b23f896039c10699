"""What a chapter may call: ``import ipsreport.api as ips``.

Every chapter starts with the same three lines::

    import ipsreport.api as ips
    d = ips.edition()     # the validated data and settings of this render
    f = ips.facts(d)      # the numbers of the prose, formatted in Danish

and then calls one function per table or figure (``ips.tab_duration(d)``,
``ips.fig_who5(d)``). Each name below is imported from the module that
defines it, so ``grep -rn "def tab_duration" ipsreport`` is the second hop
from a chapter to the code. The package itself (``import ipsreport``) stays
light: the command line starts without loading pandas or matplotlib.
"""

from __future__ import annotations

from ipsreport.cases import case_appendix, case_vignette, fig_case_timeline
from ipsreport.edition import Edition, edition
from ipsreport.editions.text import edition_change_section, edition_change_text
from ipsreport.facts import Facts, facts
from ipsreport.facts.editions import audit_detail, audit_method
from ipsreport.figures import (
    fig_burden,
    fig_effect,
    fig_experience,
    fig_loneliness,
    fig_mastery,
    fig_statements,
    fig_who5,
)
from ipsreport.figures.editions import fig_edition_series
from ipsreport.figures_fidelity import fig_caseload
from ipsreport.guide import reading_guide
from ipsreport.tables import (
    tab_audit,
    tab_audit_summary,
    tab_background,
    tab_codebook,
    tab_duration,
    tab_evaluation,
    tab_exit,
    tab_motivation,
    tab_nonresponse,
    tab_regression,
    tab_regression_spec,
    tab_resources,
    tab_sources,
    tab_status,
    tab_supports,
)
from ipsreport.tables.editions import tab_edition_change, tab_edition_series
from ipsreport.tables_fidelity import tab_caseload, tab_fidelity_reviews

__all__ = [
    # data and prose
    "edition", "Edition", "facts", "Facts",
    # tables (chapter order)
    "tab_duration", "tab_background", "tab_status", "tab_supports", "tab_motivation", "tab_resources",
    "tab_evaluation", "tab_exit", "tab_regression", "tab_regression_spec", "tab_nonresponse", "tab_caseload",
    "tab_fidelity_reviews", "tab_codebook", "tab_sources", "tab_audit_summary", "tab_audit",
    # the comparison with earlier editions (render --previous; absent without it)
    "tab_edition_change", "tab_edition_series", "fig_edition_series",
    "edition_change_section", "edition_change_text",
    # figures
    "fig_mastery", "fig_loneliness", "fig_who5", "fig_burden", "fig_experience", "fig_statements",
    "fig_effect", "fig_caseload",
    # the introduction's reading guide, from _quarto.yml
    "reading_guide",
    # the reproduction appendix's method text, shown only when the data reproduce a publication
    "audit_method", "audit_detail",
    # case appendices (Bilag 1-4)
    "case_appendix", "case_vignette", "fig_case_timeline",
]
