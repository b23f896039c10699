"""Conditions written in the codebook (``asked_if``, a cross-file rule's ``forbidden``).

A condition is a pandas expression over the columns of one frame. Where a
variable in it is missing, the condition is unknown (``<NA>``): neither
"must be empty" nor "must be answered" applies.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["condition", "condition_vars"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORDS = {"and", "or", "not", "True", "False", "in"}


def condition(frame: pd.DataFrame, expr: str) -> pd.Series:
    """Evaluate a condition per row.

    Parameters
    ----------
    frame : DataFrame
        Typed frame holding the condition's variables.
    expr : str
        Condition in pandas ``eval`` syntax (``"status == 2"``).

    Returns
    -------
    Series of boolean
        ``<NA>`` where the condition is unknown; all ``<NA>`` when a variable
        of it is not a column of ``frame``.
    """
    names = set(_IDENT.findall(expr)) - _WORDS
    if not names <= set(frame.columns):
        return pd.Series(pd.NA, index=frame.index, dtype="boolean")
    result = frame.eval(expr, engine="python")
    return pd.Series(result, index=frame.index).astype("boolean")


def condition_vars(expr: str, columns) -> list[str]:
    """Variables of ``expr`` that are among ``columns``, in order of first mention."""
    return [n for n in dict.fromkeys(_IDENT.findall(expr)) if n in columns]
