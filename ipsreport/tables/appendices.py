"""Tables of the appendices: the regression's factors, the codebook, the data files and the audit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from great_tables import GT, loc, style

from ipsreport import fmt
from ipsreport.disclosed import disclosed
from ipsreport.tables.style import add_notes, gt_table, min_cell_of

__all__ = ["tab_regression_spec", "tab_codebook", "tab_sources", "tab_audit", "AUDIT_STARS_NOTE", "tolerance_text"]


# --- Appendices --------------------------------------------------------------


def tab_regression_spec(ed) -> GT:
    """Data og metode: the ten factors of Table 9 and how each is coded.

    From :data:`ipsreport.spec.REGRESSION_TERMS`, the specification the model
    and the synthetic generator share; ``ed`` is taken for a uniform call.
    """
    from ipsreport.spec import REGRESSION_OUTCOME, REGRESSION_TERMS

    outcome = ed.codebook["followup"][REGRESSION_OUTCOME]
    frame = pd.DataFrame({"label": [t.label for t in REGRESSION_TERMS],
                          "coding": [t.coding for t in REGRESSION_TERMS]})
    table = gt_table(frame, "regression-spec", first_width="45%")
    table = table.cols_label(label="Faktor", coding="Kodning")
    return add_notes(table, [f"Udfald: {outcome.label.lower()} (1 = ja, 0 = nej), spørgeskemaet ved afslutning. "
                          "Analysen omfatter afsluttede unge med svar på alle faktorer."])

def _values_text(var) -> str:
    if var.values:
        return "; ".join(f"{code} = {label}" for code, label in var.values.items())
    if var.range:
        lo, hi = var.range
        return f"{fmt.num(lo, 0)}–{fmt.num(hi, 0)}"
    return ""


def tab_codebook(ed) -> GT:
    """Data og metode: the codebook in Danish words, one row per variable, grouped by data file.

    Danish first: the question or description, its type, codes or range, and
    "Stilles hvis" as a Danish clause made from the variable's ``asked_if``
    (:func:`ipsreport.codebook_text.condition_text`); the data file's column
    name comes last, small, for those who open the files.
    """
    from ipsreport.codebook_text import TYPE_DA, condition_text

    rows = []
    for dataset in ed.codebook.datasets.values():
        for var in dataset.variables:
            rows.append(
                {
                    "dataset": f"{dataset.label} (filen {dataset.name})",
                    "label": var.label,
                    "type": TYPE_DA.get(var.type, var.type),
                    "values": _values_text(var),
                    "asked_if": condition_text(var.asked_if, dataset),
                    "variable": var.name,
                }
            )
    frame = pd.DataFrame(rows, columns=["dataset", "label", "type", "values", "asked_if", "variable"])
    table = gt_table(frame, "codebook", first_width=None, groupname_col="dataset")
    table = table.cols_label(label="Spørgsmål / beskrivelse", type="Type", values="Koder / interval",
                             asked_if="Stilles hvis", variable="Variabel")
    table = table.cols_width({"label": "34%", "type": "9%", "values": "25%", "asked_if": "20%", "variable": "12%"})
    table = table.tab_style(style.text(font="monospace", size="10px"), loc.body(columns=["variable"]))
    table = table.opt_css("#gt-codebook td.gt_row:last-child { word-break: break-all; }")
    table = table.tab_options(table_font_size="12px")
    return add_notes(table, ["Koderne er heltalskoder som i spørgeskemaets eksport; en tom celle betyder, at spørgsmålet "
                          "ikke er besvaret eller ikke er stillet. »Stilles hvis« er tom for spørgsmål, alle får. "
                          "»Variabel« er kolonnens navn i datafilen. Kilde: data/codebook.yml."])


def tab_sources(ed) -> GT:
    """Reproduktion: the data files read, with rows and SHA-256 checksums."""
    from ipsreport.paths import PROJECT_DIR

    rows = []
    for src in getattr(ed, "sources", []) or []:
        path = Path(getattr(src, "path", ""))
        # Inside the project the path says which shipped file it is; outside
        # it is somebody's local folder, which has no place in a publication.
        try:
            shown = str(path.resolve().relative_to(PROJECT_DIR))
        except (OSError, ValueError):
            shown = path.name
        name = getattr(src, "name", "")
        data = getattr(ed, name, None)
        rows.append(
            {
                "file": shown,
                "dataset": ed.codebook.datasets[name].label if name in ed.codebook.datasets else name,
                "format": str(getattr(src, "format", "")),
                "rows": len(data) if isinstance(data, pd.DataFrame) else None,
                "sha256": str(getattr(src, "sha256", "")),
            }
        )
    frame = pd.DataFrame(rows, columns=["file", "dataset", "format", "rows", "sha256"]).astype({"rows": "Int64"})
    table = gt_table(frame, "sources", first_width=None)
    # great-tables writes the counts in the table's Danish locale ("1.234"), as fmt.count does.
    table = table.fmt_integer(columns="rows").sub_missing(columns="rows", missing_text="")
    table = table.cols_label(file="Fil", dataset="Datasæt", format="Format", rows="Rækker", sha256="SHA-256")
    table = table.cols_width({"file": "27%", "dataset": "19%", "format": "9%", "rows": "9%", "sha256": "36%"})
    table = table.cols_align("right", columns=["rows"])
    table = table.tab_style(style.text(font="monospace", size="11px"), loc.body(columns=["file", "sha256"]))
    # A 64-character checksum must wrap inside its column on A4 and phones.
    table = table.opt_css("#gt-sources td.gt_row:last-child { word-break: break-all; }")
    return add_notes(table, ["SHA-256 er filens kontrolsum: er den uændret, er data uændrede."])


def audit_number(value) -> str:
    """A reproduced number of the audit: three decimals below 1, else at most two."""
    if value is None or pd.isna(value):
        return fmt.MISSING
    # p-values and shares need three decimals, counts and means at most two.
    return fmt.num(value, 3 if abs(value) < 1 else 2, strip_zeros=True)


def tolerance_text(value) -> str:
    """A tolerance as printed: ``"0"`` or ``"±0,5"``, with as many decimals as it has (at most four)."""
    import decimal

    if value is None or pd.isna(value):
        return fmt.MISSING
    if float(value) == 0:
        return "0"
    exponent = decimal.Decimal(str(float(value))).normalize().as_tuple().exponent
    return "±" + fmt.num(value, min(max(-int(exponent), 0), 4))


#: Where the stars of Table 9 come from, and how the 2025 edition's significance is audited.
AUDIT_STARS_NOTE = (
    "Stjernerne i rapportens Tabel 9 (* p < 0,05, ** p < 0,01, *** p < 0,001) beregnes af rapportsystemet ud fra "
    "modellens p-værdier (Wald-test); de er ikke overtaget fra 2025-udgaven. 2025-udgavens Tabel 9 trykker ingen "
    "signifikansstjerner ved tallene (»**« efter »Vurdering af forløbets betydning« henviser til tabellens fodnote), "
    "så dens signifikans er kontrolleret som et interval for p-værdien: »n.s.« som p ≥ 0,05 og en trykt odds ratio "
    "som p < 0,05."
)


def tab_audit(ed) -> GT:
    """Reproduktion: published vs reproduced numbers, the tolerance, and why they differ.

    Formats :func:`ipsreport.audit.summarise_audit` (columns ``key, where,
    printed, published, reproduced, difference, tolerance, rounding, within,
    reason``): where the number is printed, as printed, as reproduced from the
    data, the accepted difference, whether the reproduced number lies within
    it, and the reason for any tolerance beyond the rounding of the printed
    number. The notes say where the stars of Table 9 come from.
    """
    audit = disclosed(ed).audit
    frame = pd.DataFrame(
        {
            "where": audit["where"].astype(str),
            "key": audit["key"].astype(str),
            "printed": audit["printed"].astype(str),
            "reproduced": [audit_number(v) for v in audit["reproduced"]],
            "tolerance": [tolerance_text(v) for v in audit["tolerance"]],
            "within": [fmt.MISSING if hidden else ("Ja" if w else "Nej")
                       for w, hidden in zip(audit["within"], audit["suppressed"])],
            "reason": ["" if r is None or (isinstance(r, float) and pd.isna(r)) else str(r) for r in audit["reason"]],
        }
    )
    table = gt_table(frame, "audit", first_width=None)
    # Short headers in columns wide enough that none of them is hyphenated in the PDF.
    table = table.cols_label(where="Sted", key="Nøgle", printed="Trykt 2025", reproduced="Beregnet",
                             tolerance="Tolerance", within="Genskabt", reason="Forklaring")
    table = table.cols_width({"where": "10%", "key": "17%", "printed": "15%", "reproduced": "10%",
                              "tolerance": "10%", "within": "10%", "reason": "28%"})
    table = table.cols_align("right", columns=["reproduced", "tolerance"])
    table = table.tab_style(style.text(font="monospace", size="10px"), loc.body(columns=["key"]))
    table = table.opt_css("#gt-audit td.gt_row:nth-child(2) { word-break: break-all; }")
    table = table.tab_options(table_font_size="11px")
    n_within = int(audit["within"].sum())
    hidden = ("Beregnede tal, der hviler på færre end {m} unge, vises ikke (»–«)."
              .format(m=fmt.count(min_cell_of(ed))) if audit["suppressed"].any() else None)
    return add_notes(table, [
        f"{fmt.count(n_within)} af {fmt.count(len(audit))} offentliggjorte tal er genskabt (»Genskabt: Ja«): det "
        "beregnede tal ligger inden for tolerancen.",
        "Tolerance: den største afstand mellem det beregnede og det trykte tal, der accepteres. Den er afrundingen af "
        "det trykte tal (en halv enhed på sidste ciffer: ±0,5 for en hel procent), når intet andet står i "
        "»Forklaring«; er den større, står årsagen dér.",
        AUDIT_STARS_NOTE,
        hidden,
    ])
