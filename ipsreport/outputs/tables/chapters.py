"""Tables of chapters 4, 5 and 7 (Tabel 1-9).

The numbers come from :mod:`ipsreport.analysis.disclosed` (the small-number rule
already applied) and are formatted by :mod:`ipsreport.outputs.fmt`.
"""

from __future__ import annotations

import pandas as pd
from great_tables import loc, style

from ipsreport.analysis.disclosed import disclosure
from ipsreport.outputs import fmt
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.outputs.tables.download import ReportTable, downloadable, tidy_counts
from ipsreport.outputs.tables.rounding import rounding_note
from ipsreport.outputs.tables.style import (
    NBSP,
    REGISTRY_NOTE,
    SHY,
    add_notes,
    all_withheld,
    base_label,
    count_table,
    grid_table,
    gt_table,
    keep_together,
    min_cell_of,
    n_pct_cells,
    suppression_note,
    withheld_table,
)


# --- Chapter 4 -------------------------------------------------------------


def tab_duration(ed) -> ReportTable:
    """Tabel 1: duration of the programme (follow-up), ``"n (x %)"``."""
    return count_table(disclosed(ed).duration, "duration", "Varighed", min_cell_of(ed))


def tab_background(ed) -> ReportTable:
    """Tabel 2: gender, age, education and work experience at start."""
    min_cell = min_cell_of(ed)
    summary = disclosed(ed).background
    # The number of respondents as the disclosure layer lets it be printed (a site book may hide it).
    respondents = disclosed(ed).registry_counts.loc["baseline"]
    if respondents["suppression"] in ("primary", "base"):
        return downloadable(withheld_table("background", min_cell), None)
    n_respondents = None if pd.isna(respondents["n"]) else int(respondents["n"])
    counts = summary[summary["code"].notna()]
    marked = n_pct_cells(counts, min_cell)
    cells = summary["category"].astype(str).to_frame()
    cells["cell"] = ""
    cells.loc[marked.index, "cell"] = marked["cell"]
    ages = summary["code"].isna()
    cells.loc[ages, "cell"] = [fmt.MISSING if pd.isna(v) else f"{fmt.num(v, 0)} år" for v in summary.loc[ages, "value"]]
    groups = []
    for section, base in zip(summary["section"], summary["base"]):
        # Say so where a section rests on fewer answers than the table's N.
        if pd.isna(base):
            # A hidden base says nothing of its size (ipsreport.analysis.disclosed.plan.marks): no number, and no "under".
            groups.append(f"{section} (besvaret af et skjult antal)")
        else:
            groups.append(section if int(base) == n_respondents else f"{section} (besvaret af {fmt.count(base)})")
    cells["section"] = groups
    table = gt_table(cells, "background", first_width="65%", rowname_col="category", groupname_col="section")
    table = table.cols_label(cell="Total").tab_stubhead("Baggrundsforhold")
    spanner = base_label(n_respondents) if n_respondents is not None else f"N: {fmt.MISSING}"
    table = table.tab_spanner(keep_together(spanner), columns=["cell"])
    table = table.cols_align("right", columns=["cell"])
    table = add_notes(table, [suppression_note(min_cell, marked), rounding_note(counts)])
    data, titles = tidy_counts(summary, "category", "Kategori", extra={"section": "Baggrundsforhold"})
    data.insert(len(data.columns) - 1, "value", summary["value"])
    return downloadable(table, data, {**titles, "value": "Værdi (år)"})


def tab_status(ed) -> ReportTable:
    """Tabel 3: referral status at start, from the project's registry."""
    return count_table(disclosed(ed).status, "status", "Status ved opstart*", min_cell_of(ed),
                        notes=[REGISTRY_NOTE])


def tab_supports(ed) -> ReportTable:
    """Tabel 4: supports at start; several answers possible."""
    summary = disclosed(ed).supports
    summary = summary.assign(category=summary["label"])
    return count_table(summary, "supports", "Indsatser*", min_cell_of(ed),
                        notes=["* Det har været muligt at markere flere samtidige indsatser."])


# --- Chapter 5 -------------------------------------------------------------


def tab_motivation(ed) -> ReportTable:
    """Tabel 5: the three motivation items at start, percentage grid."""
    return grid_table(disclosed(ed).motivation, "motivation", min_cell_of(ed))


def tab_resources(ed) -> ReportTable:
    """Tabel 6: surplus in everyday life and belief in work, percentage grid."""
    return grid_table(disclosed(ed).resources, "resources", min_cell_of(ed))


def tab_evaluation(ed) -> ReportTable:
    """Tabel 7: the young people's evaluation of the programme, percentage grid."""
    return grid_table(disclosed(ed).evaluation, "evaluation", min_cell_of(ed))


def tab_exit(ed) -> ReportTable:
    """Tabel 8: exit to job, flexjob or education among those who finished (registry)."""
    min_cell = min_cell_of(ed)
    marked = disclosed(ed).exit
    if all_withheld(marked):
        return downloadable(withheld_table("exit", min_cell), None)
    shown = marked[marked["success"]]
    cells = [disclosure.cell_count(n, s, min_cell) for n, s in zip(shown["n"], shown["suppression"])]
    # The total of the success rows is N minus the "other reason" row, so
    # it is shown exactly when that row is (hidden success cells stay hidden).
    other = marked[~marked["success"]]
    other_hidden = bool(other["suppressed"].any())
    total = None if other_hidden else int(marked["base"].iloc[0]) - int(other["n"].sum())
    # The total is a count of persons too: below the rule it is hidden like any cell (table and download).
    small_total = total is not None and disclosure.is_small(total, min_cell)
    total_cell = (fmt.MISSING if other_hidden
                  else disclosure.cell_count(total, "primary" if small_total else "", min_cell))
    if small_total:
        total = None
    frame = pd.DataFrame(
        {
            "category": [*shown["category"].astype(str), "I alt i job, fleksjob eller uddannelse"],
            "cell": [*cells, total_cell],
        }
    )
    table = gt_table(frame, "exit", first_width="65%")
    table = table.cols_label(category="Afslutningsstatus*", cell="Antal unge")
    table = table.tab_spanner(keep_together(f"{base_label(marked['base'])} afsluttede"), columns=["cell"])
    table = table.cols_align("right", columns=["cell"])
    table = table.tab_style(style.text(weight="bold"), loc.body(rows=[len(frame) - 1]))
    table = add_notes(table, [REGISTRY_NOTE, suppression_note(min_cell, marked)])
    data = pd.DataFrame({
        "category": frame["category"],
        "n": pd.array([*shown["n"], total], dtype="Int64"),
        "base": pd.array([*shown["base"], marked["base"].iloc[0]], dtype="Int64"),
    })
    return downloadable(table, data, {"category": "Afslutningsstatus", "n": "Antal unge", "base": "Afsluttede (N)"})


# --- Chapter 7 -------------------------------------------------------------

_MEANING_NOTE = ("¹ Vurdering af forløbets betydning er et udtryk for to spørgsmål, hvor de unge har vurderet, "
                 "om de er blevet bedre til at klare sig i hverdagen, og om de er blevet bedre til at være sammen "
                 "med andre mennesker.")


_CI_NOTES = {
    "wald": "Konfidensintervallerne er {level}-Wald-intervaller.",
    "profile": ("Konfidensintervallerne er {level}-profil-likelihood-intervaller, mens p-værdierne er Wald-test; "
                "tæt på grænsen kan et interval derfor udelukke 1, selv om variablen ikke er signifikant."),
}


def tab_regression(ed, ci_method: str | None = None) -> ReportTable:
    """Tabel 9: logistic regression of being in job or education at the end.

    The odds ratio is printed only for terms significant at ``settings.alpha``
    (with ``*``/``**``/``***``), otherwise ``"n.s."``, as in the 2025 edition;
    the 95 % confidence interval is always printed.

    Parameters
    ----------
    ed : Edition
    ci_method : {"wald", "profile"}, optional
        Interval method, see :func:`ipsreport.analysis.models.fit_regression`.
    """
    protected = disclosed(ed).regression_with(ci_method)
    min_cell = min_cell_of(ed)
    if protected.withheld:
        return downloadable(withheld_table("regression", min_cell), None)
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
    table = gt_table(frame, "regression", first_width="50%")
    # A soft hyphen lets the long label break on a phone.
    table = table.cols_label(label="Variabel", odds="Odds ratio", ci=f"{level.replace(' ', NBSP)}-konfidens{SHY}interval")
    table = table.tab_spanner(keep_together(base_label(result.n)), columns=["odds", "ci"])
    table = table.cols_align("right", columns=["odds", "ci"])
    table = add_notes(table, notes)
    # The download has every odds ratio (the printed "n.s." is a choice of
    # presentation; a Wald interval's midpoint gives it away anyway) and the p-value.
    data = terms[["label", "odds_ratio", "ci_low", "ci_high", "p"]].assign(
        stars=[s if sig else ("n.s." if pd.notna(o) else None)
               for o, s, sig in zip(terms["odds_ratio"], terms["stars"], terms["significant"])])
    return downloadable(table, data, {
        "label": "Variabel", "odds_ratio": "Odds ratio", "ci_low": f"{level}-konfidensinterval, nedre grænse",
        "ci_high": f"{level}-konfidensinterval, øvre grænse", "p": "p-værdi", "stars": "Signifikans",
    })
