"""The non-response table of Bilag 6: start respondents who answered at the end against those who did not.

Formatting only: the numbers are :attr:`ipsreport.analysis.disclosed.layer.Disclosed.nonresponse`
(:func:`~ipsreport.analysis.summaries.nonresponse.summarise_nonresponse` with the
small-number rule applied).
"""

from __future__ import annotations

import pandas as pd

from ipsreport.analysis.disclosed import disclosure
from ipsreport.outputs import fmt
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.analysis.summaries.nonresponse import GROUPS
from ipsreport.outputs.tables.download import ReportTable, downloadable
from ipsreport.outputs.tables.style import (
    NBSP,
    add_notes,
    base_label,
    gt_table,
    keep_together,
    min_cell_of,
    suppression_note,
    withheld_table,
)

__all__ = ["tab_nonresponse"]

_TESTS = ("P-værdierne kommer fra Fishers eksakte test (tosidet) for kategorierne og fra Welchs t-test for "
          "gennemsnittene. En forskel regnes som statistisk signifikant, når p-værdien er under {alpha}.")
_NOTHING_TO_COMPARE = ("Der er ingen at sammenligne: enten svarede alle, der svarede ved start, også ved afslutning, "
                       "eller ingen gjorde.")
_P_HIDDEN = "Hvor en værdi i en sammenligning er skjult, vises p-værdien heller ikke, da den kunne afsløre værdien."


def _cell(row) -> str:
    """ "n (x %)" for a category, the mean for a score, or what the rule shows instead."""
    if row["kind"] == "score":
        return fmt.MISSING if pd.isna(row["mean"]) else fmt.num(row["mean"], int(row["decimals"]))
    return keep_together(disclosure.cell_n_pct(row["n"], row["pct"], row["suppression"], row["min_cell"]))


def _section(rows: pd.DataFrame, sizes: dict[str, int]) -> str:
    """The row group: the variable's label, and the answers it rests on where fewer than the groups."""
    label = str(rows["label"].iloc[0])
    if rows["kind"].iloc[0] != "category":
        counts = rows.set_index("group")["n"]
    else:
        counts = rows.drop_duplicates("group").set_index("group")["base"]
    if any(pd.isna(counts.get(g)) for g in GROUPS) or all(int(counts[g]) == sizes[g] for g in GROUPS):
        return label
    return f"{label} (besvaret af {fmt.count(counts['responded'])} og {fmt.count(counts['not_responded'])})"


def tab_nonresponse(ed) -> ReportTable:
    """Bilag 6: age group, gender, referral status, education, WHO-5 and mastery at the start, by end response.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    ReportTable
        Categories as ``"n (x %)"`` of each group, scores as means, and the
        variable's p-value on its first row; replaced by a note when either
        group is below the small-number rule.
    """
    min_cell = min_cell_of(ed)
    frame = disclosed(ed).nonresponse
    sizes_raw = frame[frame["kind"] == "score"].drop_duplicates("group").set_index("group")["base"]
    if frame.empty or any(pd.isna(sizes_raw.get(g)) for g in GROUPS):
        return downloadable(withheld_table("nonresponse", min_cell), None)
    if not all(sizes_raw.get(g) for g in GROUPS):
        # Nobody to compare with: a sentence, not an empty table.
        note = pd.DataFrame({"note": [_NOTHING_TO_COMPARE]})
        return downloadable(gt_table(note, "nonresponse", first_width=None).cols_label(note=""), None)
    sizes = {g: int(sizes_raw[g]) for g in GROUPS}
    frame = frame.assign(min_cell=min_cell)
    alpha = float(ed.settings.alpha)
    rows = []
    # The frame's order is the print order: variables, then categories, then groups.
    for _, part in frame.groupby("variable", sort=False):
        section = _section(part, sizes)
        for i, (category, cells) in enumerate(part.groupby("category", sort=False)):
            by_group = cells.set_index("group")
            p = cells["p"].iloc[0]
            rows.append({
                "section": section, "category": str(category),
                **{g: _cell(by_group.loc[g]) for g in GROUPS},
                # One test per variable: its p-value on the variable's first row.
                "p": (fmt.MISSING if pd.isna(p) else fmt.pvalue(p)) if i == 0 else "",
            })
    shown = pd.DataFrame(rows)
    table = gt_table(shown, "nonresponse", first_width="46%", rowname_col="category", groupname_col="section")
    table = table.tab_stubhead("Forhold ved start")
    table = table.cols_label(**{g: f"{GROUPS[g]} ({base_label(sizes[g])})".replace(": ", f":{NBSP}")
                                for g in GROUPS}, p="p-værdi")
    table = table.cols_align("right", columns=[*GROUPS, "p"])
    notes = [_TESTS.format(alpha=fmt.num(alpha, 2, strip_zeros=True)),
             suppression_note(min_cell, frame),
             _P_HIDDEN if frame["p_hidden"].any() else None]
    table = add_notes(table, notes)
    data = frame[["label", "category", "group", "n", "pct", "base", "mean", "p"]].assign(
        group=frame["group"].map(GROUPS))
    return downloadable(table, data, {
        "label": "Forhold ved start", "category": "Kategori", "group": "Gruppe", "n": "Antal",
        "pct": "Andel (%)", "base": "I alt (N)", "mean": "Gennemsnit", "p": "p-værdi",
    })
