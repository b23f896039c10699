"""Every table of the report, as great-tables ``GT`` objects.

Formatting only: the numbers come from :mod:`ipsreport.disclosed` (the
``summarise_*`` / ``fit_*`` results with the small-number rule already
applied) and are turned into Danish strings by :mod:`ipsreport.fmt` (round
half up, decimal comma, ``"12 %"``). A table whose whole base is below the
rule is replaced by a one-line note. Conventions, following the 2025 edition:

* no ``tab_header``: the chapter's ``tbl-cap`` is the title;
* the base is shown in a spanner above the data columns (``"N: 43"``);
  where some rows rest on fewer answers, that is said next to them;
* counts as ``"n (x %)"``; Likert items as a percentage grid in codebook
  order; multi-select tables and registry tables say so in a source note;
* every table gets a fixed HTML ``id`` (``gt-<stem>``) so the HTML is
  deterministic, and is 100 % wide with a wrapping first column so it fits
  an A4 text column and a phone screen.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from great_tables import GT, loc, style

from ipsreport import disclosure, fmt
from ipsreport.disclosed import disclosed

__all__ = [
    "tab_duration",
    "tab_background",
    "tab_status",
    "tab_supports",
    "tab_motivation",
    "tab_resources",
    "tab_evaluation",
    "tab_exit",
    "tab_regression",
    "tab_regression_spec",
    "tab_codebook",
    "tab_audit",
    "tab_sources",
]

REGISTRY_NOTE = "* De viste data er baseret på IPS UNG's egne projektregistreringer."
MULTI_NOTE = "* Det har været muligt at markere flere svar."
SUPPRESSION_NOTE = ("Antal under {m} vises som »<{m}«, og andele beregnet på dem vises ikke (»–«). "
                    "Hvor en skjult værdi kunne udledes af totalen, er også den næstmindste værdi skjult (»–«).")
WITHHELD_NOTE = ("Tabellen vises ikke, fordi den bygger på færre end {m} unge. Små tal kan afsløre, "
                 "hvem de handler om (diskretionsreglen, se afsnittet om data og metode).")


NBSP = "\u00a0"
SHY = "\u00ad"


def _keep(text: str) -> str:
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


def _gt(frame: pd.DataFrame, stem: str, first_width: str = "55%", **kwargs) -> GT:
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


def _notes(table: GT, notes) -> GT:
    for note in notes:
        if note:
            table = table.tab_source_note(note)
    return table


def _min_cell(ed) -> int:
    return disclosure.get_min_cell(ed)


def _suppression_note(min_cell: int, frame: pd.DataFrame) -> str | None:
    if min_cell and "suppressed" in frame and frame["suppressed"].any():
        return SUPPRESSION_NOTE.format(m=min_cell)
    return None


def withheld_table(stem: str, min_cell: int) -> GT:
    """The note that stands in for a table whose base is below the rule."""
    frame = pd.DataFrame({"note": [WITHHELD_NOTE.format(m=fmt.count(min_cell))]})
    return _gt(frame, stem, first_width=None).cols_label(note="")


def _all_withheld(marked: pd.DataFrame) -> bool:
    """Every base of the table is hidden: nothing in it may be shown."""
    return bool(len(marked)) and bool(marked["base_suppressed"].all())


def _n_pct_cells(marked: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    marked = marked.copy()
    marked["cell"] = [
        _keep(disclosure.cell_n_pct(n, p, s, min_cell))
        for n, p, s in zip(marked["n"], marked["pct"], marked["suppression"])
    ]
    return marked


def _count_table(protected: pd.DataFrame, stem: str, first_label: str, min_cell: int, notes=(),
                 data_label: str = "Total") -> GT:
    if _all_withheld(protected):
        return withheld_table(stem, min_cell)
    marked = _n_pct_cells(protected, min_cell)
    frame = pd.DataFrame({"category": marked["category"].astype(str), "cell": marked["cell"]})
    table = _gt(frame, stem, first_width="65%")
    table = table.cols_label(category=first_label, cell=data_label)
    table = table.tab_spanner(_keep(base_label(marked["base"])), columns=["cell"])
    table = table.cols_align("right", columns=["cell"])
    return _notes(table, [*notes, _suppression_note(min_cell, marked)])


def _grid_table(protected: pd.DataFrame, stem: str, min_cell: int, notes=()) -> GT:
    """Likert items as a percentage grid: one row per item, one column per category."""
    if _all_withheld(protected):
        return withheld_table(stem, min_cell)
    marked = protected.copy()
    marked["cell"] = [
        _keep(disclosure.cell_pct(p, s)) for p, s in zip(marked["pct"], marked["suppression"])
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
        frame["base"] = [fmt.MISSING if pd.isna(b) else fmt.count(b) for b in bases]
        columns.append("base")
    table = _gt(frame, stem, first_width="36%")
    table = table.cols_label(item="", **{f"c{c}": cat_labels[c] for c in codes})
    if "base" in frame:
        table = table.cols_label(base="N")
    table = table.tab_spanner(_keep(f"Andel af svarene ({base_label(bases)})"), columns=columns)
    table = table.cols_align("right", columns=columns)
    return _notes(table, [*notes, _suppression_note(min_cell, marked)])


# --- Chapter 4 -------------------------------------------------------------


def tab_duration(ed) -> GT:
    """Tabel 1: duration of the programme (follow-up), ``"n (x %)"``."""
    return _count_table(disclosed(ed).duration, "duration", "Varighed", _min_cell(ed))


def tab_background(ed) -> GT:
    """Tabel 2: gender, age, education and work experience at start."""
    min_cell = _min_cell(ed)
    summary = disclosed(ed).background
    n_respondents = len(ed.baseline)
    if disclosure.is_small(n_respondents, min_cell):
        return withheld_table("background", min_cell)
    counts = summary[summary["code"].notna()]
    marked = _n_pct_cells(counts, min_cell)
    cells = summary["category"].astype(str).to_frame()
    cells["cell"] = ""
    cells.loc[marked.index, "cell"] = marked["cell"]
    ages = summary["code"].isna()
    cells.loc[ages, "cell"] = [fmt.MISSING if pd.isna(v) else f"{fmt.num(v, 0)} år" for v in summary.loc[ages, "value"]]
    groups = []
    for section, base in zip(summary["section"], summary["base"]):
        # Say so where a section rests on fewer answers than the table's N.
        if pd.isna(base):
            groups.append(f"{section} (besvaret af under {fmt.count(min_cell)})")
        else:
            groups.append(section if int(base) == n_respondents else f"{section} (besvaret af {fmt.count(base)})")
    cells["section"] = groups
    table = _gt(cells, "background", first_width="65%", rowname_col="category", groupname_col="section")
    table = table.cols_label(cell="Total").tab_stubhead("Baggrundsforhold")
    table = table.tab_spanner(_keep(base_label(n_respondents)), columns=["cell"])
    table = table.cols_align("right", columns=["cell"])
    return _notes(table, [_suppression_note(min_cell, marked)])


def tab_status(ed) -> GT:
    """Tabel 3: referral status at start, from the project's registry."""
    return _count_table(disclosed(ed).status, "status", "Status ved opstart*", _min_cell(ed),
                        notes=[REGISTRY_NOTE])


def tab_supports(ed) -> GT:
    """Tabel 4: supports at start; several answers possible."""
    summary = disclosed(ed).supports
    summary = summary.assign(category=summary["label"])
    return _count_table(summary, "supports", "Indsatser*", _min_cell(ed),
                        notes=["* Det har været muligt at markere flere samtidige indsatser."])


# --- Chapter 5 -------------------------------------------------------------


def tab_motivation(ed) -> GT:
    """Tabel 5: the three motivation items at start, percentage grid."""
    return _grid_table(disclosed(ed).motivation, "motivation", _min_cell(ed))


def tab_resources(ed) -> GT:
    """Tabel 6: surplus in everyday life and belief in work, percentage grid."""
    return _grid_table(disclosed(ed).resources, "resources", _min_cell(ed))


def tab_evaluation(ed) -> GT:
    """Tabel 7: the young people's evaluation of the programme, percentage grid."""
    return _grid_table(disclosed(ed).evaluation, "evaluation", _min_cell(ed))


def tab_exit(ed) -> GT:
    """Tabel 8: exit to job, flexjob or education among those who finished (registry)."""
    min_cell = _min_cell(ed)
    marked = disclosed(ed).exit
    if _all_withheld(marked):
        return withheld_table("exit", min_cell)
    shown = marked[marked["success"]]
    cells = [disclosure.cell_count(n, s, min_cell) for n, s in zip(shown["n"], shown["suppression"])]
    # The total of the success rows is N minus the "other reason" row, so
    # it is shown exactly when that row is (hidden success cells stay hidden).
    other = marked[~marked["success"]]
    other_hidden = bool(other["suppressed"].any())
    total = None if other_hidden else int(marked["base"].iloc[0]) - int(other["n"].sum())
    total_cell = fmt.MISSING if other_hidden else disclosure.cell_count(total, "", min_cell)
    frame = pd.DataFrame(
        {
            "category": [*shown["category"].astype(str), "I alt i job, fleksjob eller uddannelse"],
            "cell": [*cells, total_cell],
        }
    )
    table = _gt(frame, "exit", first_width="65%")
    table = table.cols_label(category="Afslutningsstatus*", cell="Antal unge")
    table = table.tab_spanner(_keep(f"{base_label(marked['base'])} afsluttede"), columns=["cell"])
    table = table.cols_align("right", columns=["cell"])
    table = table.tab_style(style.text(weight="bold"), loc.body(rows=[len(frame) - 1]))
    return _notes(table, [REGISTRY_NOTE, _suppression_note(min_cell, marked)])


# --- Chapter 7 -------------------------------------------------------------

_MEANING_NOTE = ("¹ Vurdering af forløbets betydning er et udtryk for to spørgsmål, hvor de unge har vurderet, "
                 "om de er blevet bedre til at klare sig i hverdagen, og om de er blevet bedre til at være sammen "
                 "med andre mennesker.")


_CI_NOTES = {
    "wald": "Konfidensintervallerne er {level}-Wald-intervaller.",
    "profile": ("Konfidensintervallerne er {level}-profil-likelihood-intervaller, mens p-værdierne er Wald-test; "
                "tæt på grænsen kan et interval derfor udelukke 1, selv om variablen ikke er signifikant."),
}


def tab_regression(ed, ci_method: str | None = None) -> GT:
    """Tabel 9: logistic regression of being in job or education at the end.

    The odds ratio is printed only for terms significant at ``settings.alpha``
    (with ``*``/``**``/``***``), otherwise ``"n.s."``, as in the 2025 edition;
    the 95 % confidence interval is always printed.

    Parameters
    ----------
    ed : Edition
    ci_method : {"wald", "profile"}, optional
        Interval method, see :func:`ipsreport.models.fit_regression`.
    """
    protected = disclosed(ed).regression_with(ci_method)
    min_cell = _min_cell(ed)
    if protected.withheld:
        return withheld_table("regression", min_cell)
    result = protected.result
    terms = result.terms
    labels = [f"{lab}¹" if term == "meaning" else lab for term, lab in zip(terms["term"], terms["label"])]
    odds = [
        f"{fmt.num(o, 2)}{s}" if sig else ("n.s." if pd.notna(o) else fmt.MISSING)
        for o, s, sig in zip(terms["odds_ratio"], terms["stars"], terms["significant"])
    ]
    frame = pd.DataFrame(
        {
            "label": labels,
            "odds": odds,
            "ci": [fmt.ci(lo, hi) if pd.notna(lo) else fmt.MISSING
                   for lo, hi in zip(terms["ci_low"], terms["ci_high"])],
        }
    )
    alpha = fmt.num(result.alpha, 2, strip_zeros=True)
    level = fmt.pct((1 - result.alpha) * 100, 1, strip_zeros=True)  # the intervals are at 1 - alpha
    enrolled = disclosed(ed).registry_counts.loc["followup_enrolled"]
    if not enrolled["suppression"] and enrolled["n"] == 0:
        excluded = ""
    elif enrolled["suppression"]:
        excluded = ("Unge, der fortsat var i forløb ved evalueringens afslutning, men har udfyldt et afsluttende "
                    "spørgeskema, indgår ikke.")
    else:
        excluded = (f"De {fmt.words(int(enrolled['n']))}, der fortsat var i forløb ved evalueringens afslutning, "
                    "men har udfyldt et afsluttende spørgeskema, indgår ikke.")
    notes = [
        f"Anm.: * = p < 0,05, ** = p < 0,01, *** = p < 0,001. »n.s.« betyder »ikke signifikant« (p ≥ {alpha}); "
        f"odds ratio vises kun for signifikante variable. {_CI_NOTES[result.ci_method].format(level=level)}",
        f"Analysen omfatter {fmt.count(result.n)} afsluttede unge med fuldstændige svar, "
        f"heraf {fmt.count(result.events)} i job eller uddannelse ved afslutning. {excluded}",
        _MEANING_NOTE,
        *[f"Bemærk: {w}" for w in result.warnings],
    ]
    table = _gt(frame, "regression", first_width="50%")
    # A soft hyphen lets the long label break on a phone.
    table = table.cols_label(label="Variabel", odds="Odds ratio", ci=f"{level.replace(' ', NBSP)}-konfidens{SHY}interval")
    table = table.tab_spanner(_keep(base_label(result.n)), columns=["odds", "ci"])
    table = table.cols_align("right", columns=["odds", "ci"])
    return _notes(table, notes)


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
    table = _gt(frame, "regression-spec", first_width="45%")
    table = table.cols_label(label="Faktor", coding="Kodning")
    return _notes(table, [f"Udfald: {outcome.label.lower()} (1 = ja, 0 = nej), spørgeskemaet ved afslutning. "
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
    table = _gt(frame, "codebook", first_width=None, groupname_col="dataset")
    table = table.cols_label(label="Spørgsmål / beskrivelse", type="Type", values="Koder / interval",
                             asked_if="Stilles hvis", variable="Variabel")
    table = table.cols_width({"label": "34%", "type": "9%", "values": "25%", "asked_if": "20%", "variable": "12%"})
    table = table.tab_style(style.text(font="monospace", size="10px"), loc.body(columns=["variable"]))
    table = table.opt_css("#gt-codebook td.gt_row:last-child { word-break: break-all; }")
    table = table.tab_options(table_font_size="12px")
    return _notes(table, ["Koderne er heltalskoder som i spørgeskemaets eksport; en tom celle betyder, at spørgsmålet "
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
                "rows": fmt.count(len(data)) if isinstance(data, pd.DataFrame) else "",
                "sha256": str(getattr(src, "sha256", "")),
            }
        )
    frame = pd.DataFrame(rows, columns=["file", "dataset", "format", "rows", "sha256"])
    table = _gt(frame, "sources", first_width=None)
    table = table.cols_label(file="Fil", dataset="Datasæt", format="Format", rows="Rækker", sha256="SHA-256")
    table = table.cols_width({"file": "27%", "dataset": "19%", "format": "9%", "rows": "9%", "sha256": "36%"})
    table = table.cols_align("right", columns=["rows"])
    table = table.tab_style(style.text(font="monospace", size="11px"), loc.body(columns=["file", "sha256"]))
    # A 64-character checksum must wrap inside its column on A4 and phones.
    table = table.opt_css("#gt-sources td.gt_row:last-child { word-break: break-all; }")
    return _notes(table, ["SHA-256 er filens kontrolsum: er den uændret, er data uændrede."])


def _audit_number(value) -> str:
    if value is None or pd.isna(value):
        return fmt.MISSING
    # p-values and shares need three decimals, counts and means at most two.
    return fmt.num(value, 3 if abs(value) < 1 else 2, strip_zeros=True)


def _tolerance_text(value) -> str:
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
            "reproduced": [_audit_number(v) for v in audit["reproduced"]],
            "tolerance": [_tolerance_text(v) for v in audit["tolerance"]],
            "within": [fmt.MISSING if hidden else ("Ja" if w else "Nej")
                       for w, hidden in zip(audit["within"], audit["suppressed"])],
            "reason": ["" if r is None or (isinstance(r, float) and pd.isna(r)) else str(r) for r in audit["reason"]],
        }
    )
    table = _gt(frame, "audit", first_width=None)
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
              .format(m=fmt.count(_min_cell(ed))) if audit["suppressed"].any() else None)
    return _notes(table, [
        f"{fmt.count(n_within)} af {fmt.count(len(audit))} offentliggjorte tal er genskabt (»Genskabt: Ja«): det "
        "beregnede tal ligger inden for tolerancen.",
        "Tolerance: den største afstand mellem det beregnede og det trykte tal, der accepteres. Den er afrundingen af "
        "det trykte tal (en halv enhed på sidste ciffer: ±0,5 for en hel procent), når intet andet står i "
        "»Forklaring«; er den større, står årsagen dér.",
        AUDIT_STARS_NOTE,
        hidden,
    ])
