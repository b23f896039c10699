"""What a chapter may call: ``import ipsreport.api as ips``.

Every chapter starts with the same two cells: its parameters (papermill's
and Quarto's convention; the render sets ``results`` to the folder of the
run it saved before any chapter ran) and the run read from it::

    #| tags: [parameters]
    results = None

    import ipsreport.api as ips
    r = ips.results(results)   # the pipeline's run of this book (ipsreport.results.saved)
    d, f = r.edition, r.facts  # its data and settings; the numbers of the prose, in Danish

and then calls one function per table or figure (``ips.tab_duration(d)``,
``ips.fig_who5(d)``). Each name below is imported from the module that
defines it, so ``grep -rn "def tab_duration" ipsreport`` is the second hop
from a chapter to the code. The package itself (``import ipsreport``) stays
light: the command line starts without loading pandas or matplotlib.
"""

from __future__ import annotations

from ipsreport.outputs.cases import case_appendix, case_vignette, fig_case_timeline
from ipsreport.inputs.edition import Edition, edition
from ipsreport.results.editions.text import edition_change_section, edition_change_text
from ipsreport.outputs.facts import Facts, facts
from ipsreport.outputs.facts.editions import audit_detail, audit_method
# Each table and figure function, re-exported by name (``x as x``); ``__all__`` lists them from ipsreport.outputs.items.
from ipsreport.outputs.figures import fig_burden as fig_burden
from ipsreport.outputs.figures import fig_effect as fig_effect
from ipsreport.outputs.figures import fig_experience as fig_experience
from ipsreport.outputs.figures import fig_loneliness as fig_loneliness
from ipsreport.outputs.figures import fig_mastery as fig_mastery
from ipsreport.outputs.figures import fig_statements as fig_statements
from ipsreport.outputs.figures import fig_who5 as fig_who5
from ipsreport.outputs.figures.fidelity import fig_caseload as fig_caseload
from ipsreport.outputs.figures.editions import fig_edition_series as fig_edition_series
from ipsreport.book.guide import reading_guide
from ipsreport.pipeline import PipelineResult
from ipsreport.outputs.items import EDITION_FIGURES, EDITION_TABLES, FIGURES, TABLES
from ipsreport.outputs.tables import tab_audit as tab_audit
from ipsreport.outputs.tables import tab_audit_summary as tab_audit_summary
from ipsreport.outputs.tables import tab_background as tab_background
from ipsreport.outputs.tables import tab_codebook as tab_codebook
from ipsreport.outputs.tables import tab_duration as tab_duration
from ipsreport.outputs.tables import tab_evaluation as tab_evaluation
from ipsreport.outputs.tables import tab_exit as tab_exit
from ipsreport.outputs.tables import tab_motivation as tab_motivation
from ipsreport.outputs.tables import tab_nonresponse as tab_nonresponse
from ipsreport.outputs.tables import tab_regression as tab_regression
from ipsreport.outputs.tables import tab_regression_spec as tab_regression_spec
from ipsreport.outputs.tables import tab_resources as tab_resources
from ipsreport.outputs.tables import tab_sources as tab_sources
from ipsreport.outputs.tables import tab_status as tab_status
from ipsreport.outputs.tables import tab_supports as tab_supports
from ipsreport.outputs.tables.editions import tab_edition_change as tab_edition_change
from ipsreport.outputs.tables.editions import tab_edition_series as tab_edition_series
from ipsreport.outputs.tables.fidelity import tab_caseload as tab_caseload
from ipsreport.outputs.tables.fidelity import tab_fidelity_reviews as tab_fidelity_reviews

__all__ = [
    # the run a chapter reads, data and prose
    "results", "PipelineResult", "edition", "Edition", "facts", "Facts",
    # tables and figures, in report order (the one list: ipsreport.outputs.items)
    *(name for name, _ in TABLES),
    *(name for name, _ in FIGURES),
    # the comparison with earlier editions (render --previous; listed apart in ipsreport.outputs.items)
    *(name for name, _ in (*EDITION_TABLES, *EDITION_FIGURES)),
    "edition_change_section", "edition_change_text",
    # the introduction's reading guide, from _quarto.yml
    "reading_guide",
    # the reproduction appendix's method text, shown only when the data reproduce a publication
    "audit_method", "audit_detail",
    # case appendices (Bilag 1-4)
    "case_appendix", "case_vignette", "fig_case_timeline",
]


def results(folder: str | None = None) -> PipelineResult:
    """The run of the pipeline a chapter reads: the one the render saved, or the project's.

    Parameters
    ----------
    folder : str, optional
        The chapter's parameter ``results``: where the render saved its run
        (:mod:`ipsreport.results.saved`). Without it (a plain ``quarto render``,
        a notebook, a chapter run by hand) the run of the project's settings is
        looked up in the project's render store under the key the command uses
        (:func:`ipsreport.book.hooks.book_hooks`, :class:`ipsreport.results.publish.ResultsBundle`):
        the first chapter runs the pipeline and saves it, every later one (in
        its own kernel) reads it.

    Returns
    -------
    PipelineResult
        ``.edition``, ``.facts``, ``.disclosed``, ``.model`` and ``.results``;
        the edition's summaries and facts are the run's.
    """
    if folder is None:
        from ipsreport.book.hooks import book_hooks

        return book_hooks().attachment.prepare()
    from ipsreport.results.saved import open_run

    return open_run(folder)
