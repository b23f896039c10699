"""Small-number protection (statistical disclosure control).

With real microdata a count of one or two persons can identify someone. The
setting ``min_cell`` (``ipsreport.config.settings``) switches the rule on:

* ``auto`` (the default) — ``3`` for every data folder except the verified
  synthetic twin (:func:`resolve_min_cell`), so real data are protected
  unless somebody explicitly turns the rule off;
* ``0`` — off (printed as a warning on every render of real data);
* ``3`` — Danmarks Statistik's usual threshold;
* ``5`` — Sundhedsdatastyrelsen's threshold.

The rule is applied once, to the tidy summaries, by
:mod:`ipsreport.analysis.disclosed`; tables, figures, facts and appendices read only
what that layer hands them.

When on, every count ``n`` with ``0 < n < min_cell`` prints as ``"<3"`` (for
``min_cell = 3``) and percentages derived from it print as ``"–"``. Zero
counts are not suppressed: "nobody" is not a disclosure of a person, and it
is how both agencies publish empty cells.

Primary suppression is not enough where a table shows all categories of a
variable together with their total or base: the hidden value would follow
by subtraction. :func:`suppress` therefore also hides complementary cells
(secondary suppression): the smallest non-empty visible cells of the group,
until at least two cells are hidden and they add up to at least
``min_cell`` (an empty cell is never a complement: it protects no-one).

That is the rule for one frame. What a book publishes is protected
together: :mod:`ipsreport.analysis.disclosed` audits every published number at once
with linear programs and hides more where a small count could still be
worked out from several tables, sentences and appendices combined.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.outputs import fmt
from ipsreport.config.fields import AUTO_MIN_CELL, resolve_min_cell

__all__ = [
    "AUTO_MIN_CELL",
    "resolve_min_cell",
    "get_min_cell",
    "is_small",
    "suppress",
    "fmt_count",
    "fmt_pct",
    "fmt_n_pct",
    "fmt_n_of",
    "describe_rule",
    "rule_sentence",
    "cell_count",
    "cell_pct",
    "cell_n_pct",
]


def get_min_cell(ed) -> int:
    """The ``min_cell`` in force for the edition ``ed`` (its ``settings``; settings are an argument, never global).

    An unresolved ``auto`` (an edition not built by :func:`ipsreport.inputs.edition.edition`)
    counts as :data:`AUTO_MIN_CELL`: when in doubt, protect.
    """
    value = ed.settings.min_cell
    return AUTO_MIN_CELL if value is None else int(value)


def is_small(n, min_cell: int) -> bool:
    """True when ``n`` must be hidden: ``0 < n < min_cell`` (never when the rule is off)."""
    if not min_cell or n is None or pd.isna(n):
        return False
    return 0 < float(n) < min_cell


def suppress(frame: pd.DataFrame, min_cell: int, by: str | list[str] | None = "variable",
             n: str = "n", complete: bool = True) -> pd.DataFrame:
    """Mark the cells of a tidy count frame that must not be shown.

    Parameters
    ----------
    frame : DataFrame
        Long frame with a count column ``n`` (one row per cell).
    min_cell : int
        Threshold; ``0`` switches suppression off.
    by : str or list of str, optional
        Columns that define a group of cells shown with a common total or
        base (a table row or column); ``None`` treats each row on its own.
    n : str
        Name of the count column.
    complete : bool
        Whether each group shows all of its categories (so that the base
        minus the visible cells reveals a hidden one). Only then is a
        complementary cell suppressed.

    Returns
    -------
    DataFrame
        A copy with a boolean column ``suppressed`` and a column
        ``suppression`` (``"primary"``, ``"secondary"`` or ``""``).
    """
    out = frame.copy()
    primary = out[n].map(lambda v: is_small(v, min_cell)).astype(bool)
    out["suppressed"] = primary
    out["suppression"] = primary.map({True: "primary", False: ""})
    if not min_cell or not complete or by is None or out.empty:
        return out
    for _, idx in out.groupby(by, sort=False, dropna=False).groups.items():
        while True:
            group = out.loc[idx]
            hidden = group["suppressed"]
            secret = group.loc[hidden, n].astype(float)
            if not hidden.any() or (len(secret) >= 2 and secret.sum() >= min_cell):
                break
            # The smallest non-empty visible cell protects the hidden ones: a zero
            # would leave them adding up to what the base minus the rest says.
            candidates = group.loc[~hidden, n].astype(float)
            candidates = candidates[candidates > 0]
            if candidates.empty:
                break
            target = candidates.idxmin()
            out.loc[target, "suppressed"] = True
            out.loc[target, "suppression"] = "secondary"
    return out


def _label(min_cell: int) -> str:
    return f"<{min_cell}"


def fmt_count(n, min_cell: int = 0, suppressed: bool | None = None) -> str:
    """A count for print: ``"12"``, or ``"<3"`` when small, ``"–"`` when hidden as complement."""
    if suppressed is None:
        suppressed = is_small(n, min_cell)
    if suppressed:
        return _label(min_cell) if is_small(n, min_cell) else fmt.MISSING
    return fmt.count(n)


def fmt_pct(p, n=None, min_cell: int = 0, suppressed: bool | None = None, decimals: int = 0,
            strip_zeros: bool = False) -> str:
    """A percentage for print; ``"–"`` when its count ``n`` is hidden."""
    if suppressed is None:
        suppressed = n is not None and is_small(n, min_cell)
    if suppressed:
        return fmt.MISSING
    return fmt.pct(p, decimals, strip_zeros)


def fmt_n_pct(n, p, min_cell: int = 0, suppressed: bool | None = None) -> str:
    """``"24 (44 %)"``, or ``"<3 (–)"`` / ``"– (–)"`` when hidden."""
    if suppressed is None:
        suppressed = is_small(n, min_cell)
    return f"{fmt_count(n, min_cell, suppressed)} ({fmt_pct(p, suppressed=suppressed)})"


def fmt_n_of(n, base, min_cell: int = 0) -> str:
    """``"26 ud af 43"``, or ``"<3 ud af 43"`` when ``n`` is small."""
    return f"{fmt_count(n, min_cell)} ud af {fmt_count(base, min_cell)}"


def describe_rule(min_cell: int) -> str:
    """The rule in force, for prose: ``"ikke anvendt"`` or ``"3"``."""
    return "ikke anvendt" if not min_cell else fmt.count(min_cell)


def rule_sentence(min_cell: int, twin: bool) -> str:
    """The rule in force as the colophon and the data appendix state it (Danish, from the resolved setting).

    Parameters
    ----------
    min_cell : int
        The rule in force (:func:`get_min_cell`).
    twin : bool
        The data are the verified synthetic twin (:attr:`ipsreport.inputs.manifest.ManifestCheck.twin`).
    """
    if not min_cell:
        if twin:
            return ("Reglen for små tal er ikke anvendt, fordi data er den syntetiske tvilling, som ikke beskriver "
                    "nogen virkelig person.")
        return ("Reglen for små tal er slået fra (min_cell = 0): rapporten kan vise antal på én eller to personer "
                "og må ikke offentliggøres.")
    m = fmt.count(min_cell)
    checked = (f"Ved hver dannelse er det kontrolleret, at intet antal under {m} kan regnes ud af rapportens tal "
               "tilsammen: tabeller, tekst, downloads og bilag.")
    if min_cell < AUTO_MIN_CELL and not twin:
        shown = " og ".join(fmt.count(k) for k in range(min_cell, AUTO_MIN_CELL))
        return (f"Reglen for små tal er sænket til {m} (min_cell = {m}): antal på {shown} vises, og rapporten bør "
                f"ikke offentliggøres med en lavere grænse end {fmt.count(AUTO_MIN_CELL)}. {checked}")
    return f"Antal under {m} vises ikke (reglen for små tal, min_cell = {m}). {checked}"


# --- cells already protected by ipsreport.analysis.disclosed --------------------------


def cell_count(n, suppression: str, min_cell: int) -> str:
    """A protected count for print: ``"12"``; ``"<3"`` for a small count; ``"–"`` otherwise hidden."""
    if suppression == "primary":
        return _label(min_cell)
    if suppression or n is None or pd.isna(n):
        return fmt.MISSING
    return fmt.count(n)


def cell_pct(p, suppression: str, decimals: int = 0, strip_zeros: bool = False) -> str:
    """A protected percentage for print; ``"–"`` when its cell is hidden."""
    if suppression or p is None or pd.isna(p):
        return fmt.MISSING
    return fmt.pct(p, decimals, strip_zeros)


def cell_n_pct(n, p, suppression: str, min_cell: int) -> str:
    """``"24 (44 %)"``, ``"<3 (–)"`` or ``"– (–)"`` for a protected cell."""
    return f"{cell_count(n, suppression, min_cell)} ({cell_pct(p, suppression)})"
