"""The note a table carries when its rounded shares do not add up to 100.

A reader adds the printed cells of a table: 7 % + 16 % in Table 6 is 23 %,
while the text, which pools the counts (13 of 55), says 24 %. Both are right;
the note says why. It is added by the table shapes themselves
(:func:`ipsreport.outputs.tables.style.count_table`, :func:`~ipsreport.outputs.tables.style.grid_table`
and Table 2), so no table can show shares that do not add up without it.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.outputs import fmt

__all__ = ["ROUNDING_NOTE", "rounding_note", "partitions_off"]

ROUNDING_NOTE = "Andele summer ikke nødvendigvis til 100 pga. afrunding."


def partitions_off(frame: pd.DataFrame, by: str = "variable", decimals: int = 0) -> list:
    """The groups of ``frame`` whose printed shares do not add up to 100.

    A group is a partition when every row has a code, none is hidden by the
    small-number rule and its counts add up to its base (every answer falls
    in exactly one row). Multi-select items (one row per item, counts that do
    not add up to the base) and groups with a hidden cell are not checked:
    their shares are not meant to add up, or cannot be added by the reader.

    Parameters
    ----------
    frame : DataFrame
        A disclosed summary with ``by``, ``code``, ``n``, ``base``, ``pct``
        and ``suppression`` (the shape of :mod:`ipsreport.analysis.disclosed`).
    by : str
        The column that names a group (a question).
    decimals : int
        Decimals the shares are printed with.

    Returns
    -------
    list
        The values of ``by`` whose shares, rounded half up as printed, add up
        to something other than 100.
    """
    off = []
    for name, group in frame.groupby(by, sort=False, dropna=False):
        if group["code"].isna().any() or group["n"].isna().any() or group["base"].isna().any():
            continue
        if "suppression" in group and group["suppression"].fillna("").astype(bool).any():
            continue
        base = float(group["base"].iloc[0])
        if not base or (group["base"] != base).any() or float(group["n"].sum()) != base:
            continue
        printed = sum(fmt.round_half_up(float(p), decimals) for p in group["pct"])
        if round(printed, decimals) != 100:
            off.append(name)
    return off


def rounding_note(frame: pd.DataFrame, by: str = "variable", decimals: int = 0) -> str | None:
    """:data:`ROUNDING_NOTE` when a partition's printed shares do not add up to 100 (:func:`partitions_off`), else None."""
    return ROUNDING_NOTE if partitions_off(frame, by, decimals) else None
