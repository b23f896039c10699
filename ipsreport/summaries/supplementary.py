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

import numpy as np
import pandas as pd

__all__ = [
    "BILAG5_QUESTIONS",
    "summarise_effect",
    "summarise_experience",
    "summarise_statements",
]

LONG_COLUMNS = ["variable", "label", "code", "category", "n", "base", "pct"]

#: Question texts printed above the Bilag 5 charts (as in the 2025 edition).
BILAG5_QUESTIONS = {
    "experience": "Hvordan har du oplevet dit forløb?",
    "statements": "Hvor godt passer følgende udsagn på dig?",
    "effect": "Hvordan har det samlet set påvirket dig at deltage i forløbet?",
}


def _summarise_categories(ed, dataset: str, variables: list[str]) -> pd.DataFrame:
    """Category counts and shares of categorical items.

    Parameters
    ----------
    ed : Edition
        Needs ``codebook`` and the frame named ``dataset``.
    dataset : {"registry", "baseline", "followup"}
    variables : list of str
        Categorical variables of ``dataset``, summarised in this order.

    Returns
    -------
    DataFrame
        Columns ``variable, label, code, category, n, base, pct``; one row per
        variable and code, codes in codebook print order.
    """
    frame = getattr(ed, dataset)
    spec = ed.codebook.datasets[dataset]
    rows = []
    for name in variables:
        var = spec[name]
        if var.type != "category":
            raise ValueError(f"{dataset}.{name} is not categorical")
        answers = frame[name].dropna().astype("int64")
        counts = answers.value_counts()
        unknown = sorted(set(counts.index) - set(var.values))
        if unknown:
            # Validation should have caught this; never drop answers silently.
            raise ValueError(f"{dataset}.{name} has codes outside its scale: {unknown}")
        base = int(len(answers))
        for code, category in var.values.items():
            n = int(counts.get(code, 0))
            rows.append(
                {
                    "variable": name,
                    "label": var.label,
                    "code": int(code),
                    "category": category,
                    "n": n,
                    "base": base,
                    "pct": 100.0 * n / base if base else np.nan,
                }
            )
    out = pd.DataFrame(rows, columns=LONG_COLUMNS)
    return out.astype({"code": "int64", "n": "int64", "base": "int64", "pct": float})


def summarise_experience(ed) -> pd.DataFrame:
    """Bilag 5: "Hvordan har du oplevet dit forløb?" (``experience_overall``).

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    DataFrame
        See :func:`_summarise_categories`.
    """
    return _summarise_categories(ed, "followup", ["experience_overall"])


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
        See :func:`_summarise_categories`; variables in codebook order.
    """
    return _summarise_categories(ed, "followup", statement_variables(ed))


def summarise_effect(ed) -> pd.DataFrame:
    """Bilag 5: "Hvordan har det samlet set påvirket dig ..." (``overall_effect``).

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    DataFrame
        See :func:`_summarise_categories`.
    """
    return _summarise_categories(ed, "followup", ["overall_effect"])
