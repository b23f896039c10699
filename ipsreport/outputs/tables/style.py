"""The house style of the report's tables, and the two table shapes most of them share.

* :func:`gt_table`: a great-tables ``GT`` with a fixed HTML ``id``
  (``gt-<stem>``, so the HTML is deterministic), Danish locale, 100 % wide
  with a wrapping first column (fits an A4 text column and a phone screen);
* :func:`count_table`: counts as ``"n (x %)"`` under a spanner with the base
  (``"N: 43"``);
* :func:`grid_table`: Likert items as a percentage grid in codebook order;
* :func:`withheld_table`: the one-line note that replaces a table whose
  whole base is below the small-number rule.
"""

from __future__ import annotations

import pandas as pd
from great_tables import GT

from ipsreport.analysis.disclosed import disclosure
from ipsreport.outputs import fmt
from ipsreport.outputs.tables.download import ReportTable, downloadable, tidy_counts
from ipsreport.outputs.tables.rounding import rounding_note

__all__ = [
    "REGISTRY_NOTE",
    "MULTI_NOTE",
    "SUPPRESSION_NOTE",
    "HIDDEN_NOTE",
    "WITHHELD_NOTE",
    "NBSP",
    "SHY",
    "keep_together",
    "base_label",
    "gt_table",
    "add_notes",
    "min_cell_of",
    "suppression_note",
    "withheld_table",
    "all_withheld",
    "n_pct_cells",
    "count_table",
    "grid_table",
]

REGISTRY_NOTE = "* De viste data er baseret på IPS UNG’s egne projektregistreringer."
MULTI_NOTE = "* Det har været muligt at markere flere svar."
SUPPRESSION_NOTE = ("Antal under {m} vises som »<{m}«, og andele beregnet på dem vises ikke (»–«). "
                    "Hvor en skjult værdi ellers kunne regnes ud af rapportens øvrige tal, er flere værdier skjult (»–«).")
HIDDEN_NOTE = ("Skjulte værdier vises som »–«: de bygger på færre end {m} unge, eller de kunne sammen med "
               "rapportens øvrige tal afsløre et sådant antal.")
WITHHELD_NOTE = ("Tabellen vises ikke, fordi den bygger på færre end {m} unge eller sammen med rapportens øvrige "
                 "tal ville afsløre et antal under {m}. Små tal kan afsløre, hvem de handler om (diskretionsreglen, "
                 "se afsnittet om data og metode).")


NBSP = "\u00a0"
SHY = "\u00ad"


def keep_together(text: str) -> str:
    """No line break inside "62 %" or "N: 43" (narrow phone columns would split them)."""
    return text.replace(" %", f"{NBSP}%").replace("N: ", f"N:{NBSP}")


def base_label(base, prefix: str = "N") -> str:
    """``"N: 43"``; a range ``"N: 41–43"`` when rows rest on different bases (hidden bases left out)."""
    bases = sorted({int(b) for b in pd.Series(base, dtype="Float64").dropna()})
    if not bases:
        return f"{prefix}: 0"
    if len(bases) == 1:
        return f"{prefix}: {fmt.count(bases[0])}"
    return f"{prefix}: {fmt.count(bases[0])}–{fmt.count(bases[-1])}"


def gt_table(frame: pd.DataFrame, stem: str, first_width: str = "55%", **kwargs) -> GT:
    """A GT with the house style: fixed id, Danish locale, narrow and wrapping."""
    table = GT(frame, id=f"gt-{stem}", locale="da", **kwargs)
    table = table.tab_options(
        table_width="100%",
        table_font_size="14px",
        column_labels_font_weight="bold",
        row_group_font_weight="bold",
        data_row_padding="4px",
        source_notes_font_size="12px",
        container_overflow_x="auto",
    )
    first = frame.columns[0] if kwargs.get("rowname_col") is None else kwargs["rowname_col"]
    if first_width:
        table = table.cols_width({first: first_width})
    return table


def add_notes(table: GT, notes) -> GT:
    """Add each non-empty note as a source note, in order."""
    for note in notes:
        if note:
            table = table.tab_source_note(note)
    return table


def min_cell_of(ed) -> int:
    """The small-number rule of the edition (0 = off)."""
    return disclosure.get_min_cell(ed)


def suppression_note(min_cell: int, frame: pd.DataFrame) -> str | None:
    """The note explaining »<3« and »–«, where the frame hides a cell (only »–«, where none prints »<3«)."""
    if min_cell and "suppressed" in frame and frame["suppressed"].any():
        if "suppression" in frame and not (frame["suppression"] == "primary").any():
            return HIDDEN_NOTE.format(m=min_cell)
        return SUPPRESSION_NOTE.format(m=min_cell)
    return None


def withheld_table(stem: str, min_cell: int) -> GT:
    """The note that stands in for a table whose base is below the rule."""
    frame = pd.DataFrame({"note": [WITHHELD_NOTE.format(m=fmt.count(min_cell))]})
    return gt_table(frame, stem, first_width=None).cols_label(note="")


def all_withheld(marked: pd.DataFrame) -> bool:
    """Every base of the table is hidden: nothing in it may be shown."""
    return bool(len(marked)) and bool(marked["base_suppressed"].all())


def n_pct_cells(marked: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """The frame with a column ``cell``: ``"n (x %)"``, or what the rule shows instead."""
    marked = marked.copy()
    marked["cell"] = [
        keep_together(disclosure.cell_n_pct(n, p, s, min_cell))
        for n, p, s in zip(marked["n"], marked["pct"], marked["suppression"])
    ]
    return marked


def count_table(protected: pd.DataFrame, stem: str, first_label: str, min_cell: int, notes=(),
                 data_label: str = "Total") -> ReportTable:
    """One row per category, ``"n (x %)"`` under a spanner with the base; downloadable as counts."""
    if all_withheld(protected):
        return downloadable(withheld_table(stem, min_cell), None)
    marked = n_pct_cells(protected, min_cell)
    frame = pd.DataFrame({"category": marked["category"].astype(str), "cell": marked["cell"]})
    table = gt_table(frame, stem, first_width="65%")
    table = table.cols_label(category=first_label, cell=data_label)
    table = table.tab_spanner(keep_together(base_label(marked["base"])), columns=["cell"])
    table = table.cols_align("right", columns=["cell"])
    table = add_notes(table, [*notes, suppression_note(min_cell, marked), rounding_note(protected)])
    return downloadable(table, *tidy_counts(protected, "category", first_label.rstrip("*")))


def grid_table(protected: pd.DataFrame, stem: str, min_cell: int, notes=()) -> ReportTable:
    """Likert items as a percentage grid: one row per item, one column per category.

    The download is the tidy frame (item, answer, count, share, base).
    """
    if all_withheld(protected):
        return downloadable(withheld_table(stem, min_cell), None)
    marked = protected.copy()
    marked["cell"] = [
        keep_together(disclosure.cell_pct(p, s)) for p, s in zip(marked["pct"], marked["suppression"])
    ]
    order = list(dict.fromkeys(marked["variable"]))
    codes = list(dict.fromkeys(marked["code"]))
    wide = marked.pivot(index="variable", columns="code", values="cell").reindex(index=order, columns=codes)
    labels = marked.drop_duplicates("variable").set_index("variable")
    cat_labels = marked.drop_duplicates("code").set_index("code")["category"]
    frame = pd.DataFrame({"item": labels.loc[order, "label"].to_numpy()})
    columns = []
    for code in codes:
        col = f"c{code}"
        frame[col] = wide[code].to_numpy()
        columns.append(col)
    bases = labels.loc[order, "base"]
    if bases.nunique(dropna=False) > 1:
        # Items rest on different numbers of answers: show each item's base.
        frame["base"] = bases.astype("Int64").to_numpy()
        columns.append("base")
    table = gt_table(frame, stem, first_width="36%")
    table = table.cols_label(item="", **{f"c{c}": cat_labels[c] for c in codes})
    if "base" in frame:
        # Counts in the table's Danish locale ("1.234"), a hidden base as "–" (fmt.MISSING).
        table = table.cols_label(base="N").fmt_integer(columns="base").sub_missing(columns="base",
                                                                                   missing_text=fmt.MISSING)
    table = table.tab_spanner(keep_together(f"Andel af svarene ({base_label(bases)})"), columns=columns)
    table = table.cols_align("right", columns=columns)
    table = add_notes(table, [*notes, suppression_note(min_cell, marked), rounding_note(protected)])
    return downloadable(table, *tidy_counts(protected, "category", "Svar", extra={"label": "Spørgsmål"}))
