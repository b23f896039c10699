"""Bilag 5: supplementary answers from the end-of-programme survey.

Three questions, each summarised as a tidy long frame with columns
``variable, label, code, category, n, base, pct``:

- ``summarise_experience`` — "Hvordan har du oplevet dit forløb?"
- ``summarise_statements`` — "Hvor godt passer følgende udsagn på dig?"
  (the ``statements`` group plus the two ``meaning`` items, same scale)
- ``summarise_effect`` — "Hvordan har det samlet set påvirket dig ..."

Categories follow the codebook's print order and every category is present
(``n = 0`` when nobody chose it); ``base`` is the number who answered that
item (missing answers excluded) and ``pct`` is 0-100 of ``base``.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.analysis.summaries.target_group import summarise_categories

__all__ = [
    "BILAG5_QUESTIONS",
    "summarise_effect",
    "summarise_experience",
    "summarise_statements",
]


#: Question texts printed above the Bilag 5 charts (as in the 2025 edition).
BILAG5_QUESTIONS = {
    "experience": "Hvordan har du oplevet dit forløb?",
    "statements": "Hvor godt passer følgende udsagn på dig?",
    "effect": "Hvordan har det samlet set påvirket dig at deltage i forløbet?",
}


def summarise_experience(ed) -> pd.DataFrame:
    """Bilag 5: "Hvordan har du oplevet dit forløb?" (``experience_overall``).

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    DataFrame
        See :func:`ipsreport.analysis.summaries.target_group.summarise_categories`.
    """
    return summarise_categories(ed, "followup", ["experience_overall"])


def statement_variables(ed) -> list[str]:
    """The ``statements`` group followed by the two ``meaning`` items."""
    spec = ed.codebook.datasets["followup"]
    return [v.name for v in spec.group("statements")] + [v.name for v in spec.group("meaning")]


def summarise_statements(ed) -> pd.DataFrame:
    """Bilag 5: "Hvor godt passer følgende udsagn på dig?".

    The three ``statements`` items and the two ``meaning`` items share the
    ``degree5`` scale and were asked under one question.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    DataFrame
        See :func:`ipsreport.analysis.summaries.target_group.summarise_categories`; variables in codebook order.
    """
    return summarise_categories(ed, "followup", statement_variables(ed))


def summarise_effect(ed) -> pd.DataFrame:
    """Bilag 5: "Hvordan har det samlet set påvirket dig ..." (``overall_effect``).

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    DataFrame
        See :func:`ipsreport.analysis.summaries.target_group.summarise_categories`.
    """
    return summarise_categories(ed, "followup", ["overall_effect"])
