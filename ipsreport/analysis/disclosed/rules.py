"""The small-number rule applied to tidy frames: the building blocks of :class:`ipsreport.analysis.disclosed.layer.Disclosed`.

:func:`protect_counts` hides small counts (and their complements and small
bases) in a tidy count frame; :func:`pool_cells` pools categories of such a
frame without revealing a hidden cell; :func:`hide_stats` hides statistics
resting on too few persons; :func:`paired_trajectories` counts the distinct
start/end pairs a paired figure draws; :func:`protect_comparison` protects a
two-group comparison (counts, means and the tests computed from them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ipsreport.analysis.disclosed import disclosure

__all__ = ["protect_counts", "pool_cells", "paired_trajectories", "hide_stats", "protect_comparison",
           "DisclosedRegression", "PooledCell"]


def protect_counts(frame: pd.DataFrame, min_cell: int, by: str | list[str] | None = "variable",
                   complete: bool = True) -> pd.DataFrame:
    """Apply the rule to a tidy count frame (columns ``n``, optionally ``base`` and ``pct``).

    Parameters
    ----------
    frame : DataFrame
        One row per cell.
    min_cell : int
        The rule; ``0`` returns the frame with ``suppressed``/``suppression``
        columns and every value kept.
    by, complete
        As for :func:`ipsreport.analysis.disclosed.disclosure.suppress`.

    Returns
    -------
    DataFrame
        A copy with ``suppressed`` (bool), ``suppression`` (``"primary"``,
        ``"secondary"``, ``"base"`` or ``""``) and ``base_suppressed``;
        hidden ``n``/``pct``/``base`` values are missing (``<NA>``/``NaN``).
    """
    out = disclosure.suppress(frame, min_cell, by=by, complete=complete)
    out["base_suppressed"] = False
    if not min_cell:
        return out
    if "base" in out:
        small_base = out["base"].map(lambda b: disclosure.is_small(b, min_cell)).astype(bool)
        out.loc[small_base & ~out["suppressed"], "suppression"] = "base"
        out.loc[small_base, "suppressed"] = True
        out["base_suppressed"] = small_base
        out["base"] = out["base"].astype("Int64").mask(small_base)
    hidden = out["suppressed"].to_numpy(dtype=bool)
    out["n"] = out["n"].astype("Int64").mask(hidden)
    if "pct" in out:
        out["pct"] = out["pct"].astype(float).mask(hidden)
    return out


@dataclass(frozen=True)
class PooledCell:
    """Categories of one variable taken together, as the disclosure layer lets them print.

    Attributes
    ----------
    n, base : int or NA
        The pooled count and the variable's base (NA where hidden).
    pct : float
        ``n / base * 100``: the share of the pooled count, not a sum of rounded shares (NaN where hidden).
    suppression : str
        ``""`` when every pooled cell is visible; the cell's own suppression for a single hidden cell;
        ``"pooled"`` when the pool includes a hidden cell (its sum would reveal it); ``"base"`` when the
        variable's base is small, ``"secondary"`` when it is hidden to protect another count.
    """

    n: Any
    base: Any
    pct: float
    suppression: str = ""


def pool_cells(protected: pd.DataFrame, variable: str, codes) -> PooledCell:
    """Pool categories of a protected frame: e.g. "høj + meget høj grad".

    Parameters
    ----------
    protected : DataFrame
        A frame from :func:`protect_counts`.
    variable : str
    codes : int or iterable of int

    Returns
    -------
    PooledCell

    Raises
    ------
    KeyError
        For an unknown variable or code.
    """
    codes = [codes] if isinstance(codes, int) else list(codes)
    rows = protected[protected["variable"] == variable]
    if rows.empty:
        raise KeyError(f"summary has no variable {variable!r}")
    missing = set(codes) - set(rows["code"])
    if missing:
        raise KeyError(f"{variable}: codes {sorted(missing)} not in summary")
    if bool(rows["base_suppressed"].any()):
        # "base" only when the base is small; a base hidden to protect another count is no small number.
        small = bool((rows["suppression"] == "base").any())
        return PooledCell(pd.NA, pd.NA, float("nan"), "base" if small else "secondary")
    cells = rows[rows["code"].isin(codes)]
    base = int(rows["base"].iloc[0])
    hidden = [x for x in cells["suppression"] if x]
    if hidden:
        # One hidden cell pooled with empty ones is that cell: "<3" still holds.
        alone = len(hidden) == 1 and bool((cells.loc[cells["suppression"] == "", "n"] == 0).all())
        return PooledCell(pd.NA, base, float("nan"), hidden[0] if alone else "pooled")
    n = int(cells["n"].sum())
    return PooledCell(n, base, n / base * 100 if base else float("nan"))


def paired_trajectories(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (start, end) pairs and how many respondents have each.

    Parameters
    ----------
    start, end : ndarray
        Paired values, one per respondent.

    Returns
    -------
    pairs : ndarray, shape (k, 2)
        Distinct ``(start, end)`` pairs, least frequent first (so the
        frequent ones are drawn on top), ties in value order.
    counts : ndarray, shape (k,)
        Respondents per pair; sums to ``len(start)``.

    Notes
    -----
    The scores are discrete (at most a few hundred distinct pairs), so the
    figures draw one line per pair instead of one per respondent: the
    drawing no longer grows with the cohort.
    """
    pairs, counts = np.unique(np.column_stack([start, end]), axis=0, return_counts=True)
    order = np.argsort(counts, kind="stable")
    return pairs[order], counts[order]


def hide_stats(frame: pd.DataFrame, n_column: str, columns, threshold: int) -> pd.DataFrame:
    """Missing ``columns`` in rows resting on fewer than ``threshold`` persons."""
    out = frame.copy()
    if threshold:
        small = out[n_column].astype(float) < threshold
        for column in columns:
            out[column] = out[column].astype(float).mask(small)
    return out


def protect_comparison(frame: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Apply the rule to a two-group comparison (:func:`ipsreport.analysis.summaries.nonresponse.summarise_nonresponse`).

    Category rows: :func:`protect_counts` per variable and group (a small
    count, its complement in the group, a small group base). Both margins of
    each two-by-two table are printed elsewhere (the group sizes, and the
    categories in Tabel 2), so one hidden cell could be worked out from any
    other: a variable with a hidden cell is hidden whole (the added cells are
    ``"secondary"``). Score rows: ``n``, ``mean`` and ``sd`` are missing for a
    group of fewer than ``min_cell``. A variable's ``p`` is missing whenever
    one of its values is, since a test statistic computed from known margins
    can give the hidden cells back; ``p_hidden`` says so.

    Returns
    -------
    DataFrame
        A copy with ``suppressed``, ``suppression``, ``base_suppressed`` and
        ``p_hidden`` columns; hidden values missing.
    """
    out = frame.copy()
    out["suppressed"] = False
    out["suppression"] = ""
    out["base_suppressed"] = False
    out["p_hidden"] = False
    if not min_cell:
        return out
    cats = out["kind"] == "category"
    marked = protect_counts(out[cats].drop(columns=["suppressed", "suppression", "base_suppressed"]), min_cell,
                            by=["variable", "group"], complete=True)
    whole = marked.groupby("variable")["suppressed"].transform("any")
    marked.loc[whole & ~marked["suppressed"], "suppression"] = "secondary"
    marked.loc[whole, "suppressed"] = True
    marked["n"] = marked["n"].astype("Int64").mask(marked["suppressed"])
    marked["pct"] = marked["pct"].astype(float).mask(marked["suppressed"])
    out["n"] = out["n"].astype("Int64")
    out["base"] = out["base"].astype("Int64")
    for column in ("n", "pct", "base", "suppressed", "suppression", "base_suppressed"):
        out.loc[cats, column] = marked[column]
    small = ~cats & out["n"].map(lambda v: disclosure.is_small(v, min_cell)).astype(bool)
    small_base = ~cats & out["base"].map(lambda v: disclosure.is_small(v, min_cell)).astype(bool)
    hidden = small | small_base
    out.loc[hidden, ["mean", "sd"]] = float("nan")
    out.loc[hidden, "n"] = pd.NA
    out.loc[hidden, "suppressed"] = True
    out.loc[hidden, "suppression"] = "primary"
    out.loc[small_base, "base"] = pd.NA
    out.loc[small_base, "base_suppressed"] = True
    out["p_hidden"] = out.groupby("variable")["suppressed"].transform("any").astype(bool)
    out["p"] = out["p"].astype(float).mask(out["p_hidden"])
    out["suppressed"] = out["suppressed"].astype(bool)
    out["base_suppressed"] = out["base_suppressed"].astype(bool)
    return out


@dataclass(frozen=True)
class DisclosedRegression:
    """Table 9 as outputs may show it.

    Attributes
    ----------
    result : RegressionResult
        The fit; its ``terms`` hold no estimates when ``withheld``.
    withheld : bool
        An outcome group is below the rule (or the plan hides its events): the model is not shown.
    n_shown : bool
        The number of young people in the analysis may be printed (it is
        not small, and the plan does not hide it to protect another count).
    """

    result: object
    withheld: bool
    n_shown: bool = True
