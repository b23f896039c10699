"""The reproduction appendix's recomputed values as published numbers: its keys read as quantities.

Bilag 7 prints, for every number of the 2025 edition, the value computed
from the data (``reproduced``) and a verdict. Both are published numbers: a
value says what a count or share is, and a verdict of a hidden value still
says that it lies within (or outside) the rounding or tolerance of the 2025
number, so it is stated only where the other published numbers imply it
(:func:`verdict_implied`). :func:`key_quantity` reads an audit key (grammar
in :mod:`ipsreport.analysis.audit`) as the cells it counts, so that the appendix and
the chapters share their quantities; :func:`audit_entries` turns the
appendix's values into ledger entries. Keys that are no count or share (means, youngest,
p-values, odds ratios) are not counts of persons and are left to the
per-value rule of :meth:`ipsreport.analysis.disclosed.layer.Disclosed.audit`.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from ipsreport.analysis.disclosed.ledger import MISSING, Entry, exact, share
from ipsreport.analysis.disclosed.quantities import (AGE_OVER_20, BAND, FINISHED_CODES, OUTCOME, SUCCESS_CODES, Quantity, partition_of,
                                            q_cell, q_pool, q_size, q_total)

__all__ = ["key_quantity", "audit_entries", "verdict_implied", "VERDICTS"]

#: The verdicts of :func:`ipsreport.analysis.audit.audit_status` that say where a value lies.
VERDICTS = ("exact", "tolerance", "not_reproduced")

_HEAD = re.compile(r"^([a-z_]+)(?:\[\s*([a-z_]+)\s*(==|!=)\s*(-?\d+)\s*\])?$")
#: The ages of "over 20 years old" (codebook range 15-29).
_OVER_20 = set(range(21, 30))
#: Slack of a strict inequality in a verdict (counts are whole numbers, shares have no rounding in the download).
_STRICT = 1e-6


def _codes(text: str) -> tuple[int, ...]:
    return tuple(int(c) for c in text.split("+"))


def key_quantity(key: str, codebook, site=None) -> tuple[Quantity, Quantity | None] | None:
    """A key's numerator and (for a share) denominator, or ``None`` for a key that is no count or share.

    Examples: ``registry.referral_status.n.2`` is the cell of code 2;
    ``followup.duration.pct.1+2`` the pool of codes 1 and 2 over the base of
    ``duration``; ``followup[had_placement==1].placement_needs.pct_all.5`` a
    cell over the size of a sub-population.
    """
    parts = key.split(".")
    if parts[0] == "paired":
        if parts[2] == "n" and len(parts) == 3:
            return q_size(f"paired.{parts[1]}", site), None
        if parts[1] == "who5" and parts[2] in ("band_pct_start", "band_pct_end") and len(parts) == 4:
            time = "start" if parts[2].endswith("start") else "end"
            return q_cell("paired.who5", f"{BAND}.{time}", int(parts[3]), site), q_size("paired.who5", site)
        return None
    if parts[0] == "regression":
        if parts[1:] == ["n"]:
            return q_size("regression", site), None
        if parts[1:] == ["events"]:
            return q_cell("regression", OUTCOME, 1, site), None
        return None
    match = _HEAD.match(parts[0])
    if match is None:
        return None
    dataset, fvar, op, fcode = match.groups()
    population = dataset if fvar is None else f"{dataset}[{fvar}{op}{fcode}]"
    if parts[1:] == ["n"]:
        return q_size(population, site), None
    if len(parts) == 3 and parts[1] == "share_of" and fvar is None:
        return q_size(dataset, site), q_size(parts[2], site)
    if dataset == "registry" and fvar is None and parts[1] in ("finished", "success"):
        finished = q_total("registry", "exit_status", FINISHED_CODES, site)
        success = q_total("registry", "exit_status", SUCCESS_CODES, site)
        return {"finished.n": (finished, None), "success.n": (success, None),
                "success.pct": (success, finished)}.get(".".join(parts[1:]))
    if len(parts) < 3 or parts[1] == "months_enrolled":
        return None
    variable, stat = parts[1], parts[2]
    if variable == "age":
        if stat in ("n", "pct") and len(parts) == 4 and set(_codes(parts[3])) == _OVER_20 and fvar is None:
            over = q_cell(dataset, AGE_OVER_20, 1, site)
            return (over, None) if stat == "n" else (over, q_total(dataset, AGE_OVER_20, (1, 0), site))
        return None
    if fvar == variable:  # a filter on the variable itself: its codes among those the filter keeps
        keep = [c for c in codebook[dataset][variable].values if (c == int(fcode)) == (op == "==")]
        population = dataset
    else:
        keep = [c for c in partition_of(population, variable, codebook).codes if c != MISSING]
    base = q_total(population, variable, keep, site)
    if stat == "base" and len(parts) == 3:
        return base, None
    if stat in ("n", "pct", "pct_all") and len(parts) == 4:
        codes = tuple(c for c in _codes(parts[3]) if c in keep)
        num = q_pool(population, variable, codes, site)
        if stat == "n":
            return num, None
        return num, (base if stat == "pct" else q_size(population, site))
    return None


def verdict_implied(status: str, low: float, high: float, published: float, rounding: float,
                    tolerance: float) -> bool:
    """Whether every value in ``[low, high]`` gets the verdict ``status``: then stating it tells nothing new.

    The verdict of a hidden value is stated only then. It changes only where
    the distance to the 2025 number crosses the rounding or the tolerance,
    so ``[low, high]`` is checked at its ends and on both sides of each of
    those borders inside it (:func:`ipsreport.analysis.audit.audit_status` decides).
    """
    from ipsreport.analysis.audit import audit_status

    if status not in VERDICTS or any(math.isnan(v) or math.isinf(v) for v in (low, high)):
        return False
    points = {low, high}
    for border in (published - tolerance, published - rounding, published + rounding, published + tolerance):
        for point in (border - _STRICT, border, border + _STRICT):
            if low <= point <= high:
                points.add(point)
    return all(audit_status(p - published, rounding, tolerance) == status for p in points)


def audit_entries(frame: pd.DataFrame, codebook, site=None) -> list[Entry]:
    """The appendix's values of count and share keys, as ledger entries.

    Parameters
    ----------
    frame : DataFrame
        :func:`ipsreport.analysis.audit.summarise_audit`, or :attr:`Disclosed.audit`
        (a hidden value is missing).
    codebook : Codebook
    site : str, optional
    """
    entries = []
    for key, value in zip(frame["key"], frame["reproduced"]):
        quantity = key_quantity(key, codebook, site)
        if quantity is None or value is None or pd.isna(value):
            continue
        num, den = quantity
        where = f"Bilag 7, {key}"
        if den is None:
            entries.append(Entry(where, num.handle, exact(num.keys, float(value))))
        else:
            entries.append(Entry(where, ("share", num.handle, den.handle), share(num.keys, den.keys, float(value), 1e-9)))
    return entries
