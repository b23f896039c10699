"""A suppression plan applied to a tidy count frame: hidden values become missing, with the reason.

The plan (:class:`ipsreport.analysis.disclosed.plan.Plan`) decides per published
quantity; :func:`mark` writes that decision into a frame in the columns the
outputs already read (``suppressed``, ``suppression``, ``base_suppressed``),
so a formatter prints ``"<3"`` for a small count, ``"–"`` for a complement
and a note for a group whose base is hidden.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.analysis.disclosed import disclosure

__all__ = ["mark", "suppression_of"]


def suppression_of(n, shown: bool, base_shown: bool, min_cell: int, base=None, marks: bool = True) -> str:
    """Why a value is hidden: ``"base"`` (its group's base is small), ``"primary"`` (small), ``"secondary"`` or ``""``.

    A base hidden although it is not small (to protect a count of another
    book or table) makes its cells ``"secondary"``: "under 3" would be untrue.
    Without ``marks`` (a site book, read beside the cohort's and the other
    sites') every hidden value is ``"secondary"`` and prints ``"–"``: there a
    ``"<3"`` beside a ``"–"`` could be subtracted from the cohort's count.
    """
    if not base_shown:
        return "secondary" if not marks or (base is not None and not pd.isna(base) and base >= min_cell) else "base"
    if shown:
        return ""
    return "primary" if marks and disclosure.is_small(n, min_cell) else "secondary"


def mark(frame: pd.DataFrame, counts: list, bases: list, plan, min_cell: int, marks: bool = True) -> pd.DataFrame:
    """The frame with the plan applied.

    Parameters
    ----------
    frame : DataFrame
        A count frame with ``n`` and ``base`` (and optionally ``pct``).
    counts, bases : list of Quantity
        What each row's ``n`` and ``base`` count
        (:func:`ipsreport.analysis.disclosed.catalogue.frame_quantities`); ``None``
        for a row that is no count (left as it is).
    plan : Plan
    min_cell : int
    marks : bool
        Print small hidden counts as ``"<3"`` (see :func:`suppression_of`).

    Returns
    -------
    DataFrame
        A copy with ``suppressed``, ``suppression`` and ``base_suppressed``;
        hidden ``n``, ``pct`` and ``base`` are missing.
    """
    out = frame.copy()
    shown, base_shown, reasons = [], [], []
    for q, b, n, base in zip(counts, bases, out["n"], out["base"]):
        if q is None:
            shown.append(True)
            base_shown.append(True)
            reasons.append("")
            continue
        s, bs = plan.shows(q.handle), plan.shows(b.handle)
        shown.append(s and bs)
        base_shown.append(bs)
        reasons.append(suppression_of(n, s, bs, min_cell, base, marks))
    hidden = pd.Series([not s for s in shown], index=out.index)
    base_hidden = pd.Series([not s for s in base_shown], index=out.index)
    out["suppressed"] = hidden
    out["suppression"] = reasons
    out["base_suppressed"] = base_hidden
    out["n"] = out["n"].astype("Int64").mask(hidden)
    if "pct" in out:
        out["pct"] = out["pct"].astype(float).mask(hidden)
    out["base"] = out["base"].astype("Int64").mask(base_hidden)
    return out
