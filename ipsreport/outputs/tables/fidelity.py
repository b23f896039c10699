"""Tables of the fidelity appendix, as great-tables ``GT`` objects.

Built with the house style of :mod:`ipsreport.outputs.tables` (fixed HTML id, Danish
locale, 100 % wide, source notes instead of a header); the numbers come from
:mod:`ipsreport.analysis.disclosed` (:mod:`ipsreport.analysis.summaries.caseload` with the
small-number rule applied, and the optional fidelity reviews of
:mod:`ipsreport.analysis.summaries.fidelity_reviews`).
"""

from __future__ import annotations

import pandas as pd
from great_tables import loc, style

from ipsreport.analysis.disclosed import disclosure
from ipsreport.outputs import fmt
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.analysis.summaries.fidelity_reviews import (
    MAX_LISTED_ITEMS,
    fidelity_bands_text,
    lowest_items_text,
)
from ipsreport.outputs.tables.absent import AbsentTable, absent_table
from ipsreport.outputs.tables.download import ReportTable, downloadable
from ipsreport.outputs.tables.style import REGISTRY_NOTE, add_notes, gt_table, keep_together

__all__ = ["tab_caseload", "tab_fidelity_reviews"]


def tab_caseload(ed) -> ReportTable:
    """Fidelity appendix: the consultants' caseloads against the limit.

    The mean and highest number of young people at a time, and the days
    (number and share) above ``settings.fidelity_caseload_max``: with the
    setting ``caseload_detail: team`` (the default) one row for the
    consultants as a team; with ``consultant`` also one row per consultant
    ("Konsulent A", …, lettered in the random order of
    :func:`ipsreport.analysis.summaries.caseload.consultant_labels`) above the bold
    team row.

    Small-number rule (``min_cell``, :mod:`ipsreport.analysis.disclosed.disclosure`). A caseload
    is a count of young people, so:

    * a highest caseload below ``min_cell`` prints as ``"<3"``, and that
      consultant's mean is hidden too (``"–"``): with so few young people
      the mean would tell how long they were enrolled;
    * the table deliberately shows no per-consultant *total* of young
      people: a column with a total row would need complementary
      suppression, and the highest caseload (a lower bound of the total)
      could then undo it. The programme's total is the registry count
      printed elsewhere in the report;
    * the programme row is a maximum and a mean, not a sum, so no hidden
      cell can be recovered from it;
    * days above the limit count days, not people, and a consultant above
      the limit has more than ``min_cell`` young people in any sensible
      setting, so they are always shown.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    ReportTable
    """
    protected = disclosed(ed)
    min_cell = protected.min_cell
    summary = protected.caseload
    per = summary[summary["level"] == "consultant"]
    total = summary[summary["level"] == "programme"].iloc[0]
    n_consultants = len(per)
    team_only = ed.settings.caseload_detail == "team"
    if team_only:
        per = per.iloc[0:0]
    limit = int(total["limit"])
    small = list(per["peak_suppressed"])
    frame = pd.DataFrame(
        {
            "consultant": [*per["consultant"].astype(str), f"{total['consultant']} ({fmt.count(n_consultants)})"],
            "mean": [*[float("nan") if s else _mean(m) for m, s in zip(per["mean"], small)], _mean(total["mean"])],
            "peak": [disclosure.cell_count(p, "primary" if hidden else "", min_cell)
                     for p, hidden in zip([*per["peak"], total["peak"]], [*small, total["peak_suppressed"]])],
            "days_above": [int(n) for n in [*per["days_above"], total["days_above"]]],
            "share_above": [keep_together(fmt.pct(p)) for p in [*per["share_above_pct"], total["share_above_pct"]]],
        }
    )
    table = gt_table(frame, "caseload", first_width="34%")
    # great-tables writes the numbers in the table's Danish locale; the means arrive rounded half up (_mean).
    table = table.fmt_number(columns="mean", decimals=1).sub_missing(columns="mean", missing_text=fmt.MISSING)
    table = table.fmt_integer(columns="days_above")
    table = table.cols_label(consultant="Konsulent*", mean="Gennemsnit", peak="Højeste", days_above="Dage",
                             share_above="Andel af dagene")
    table = table.tab_spanner("Unge ad gangen", columns=["mean", "peak"])
    table = table.tab_spanner(keep_together(f"Over grænsen på {fmt.count(limit)}"), columns=["days_above", "share_above"])
    table = table.cols_align("right", columns=["mean", "peak", "days_above", "share_above"])
    if not team_only:
        table = table.tab_style(style.text(weight="bold"), loc.body(rows=[len(frame) - 1]))
    notes = [
        REGISTRY_NOTE,
        f"Antallet af unge ad gangen er talt for hver dag fra konsulentens første start til sidste afslutning "
        f"(dog højst til evalueringens afslutning {fmt.date(ed.settings.evaluation_end)}). "
        + ("Gennemsnit og andel gælder alle konsulenters dage tilsammen, og »Højeste« er det højeste antal, én "
           "konsulent havde på én dag. " if team_only else
           f"Gennemsnit og andel gælder disse dage; i rækken »{total['consultant']}« alle konsulenters dage "
           "tilsammen. ")
        + f"IPS-kriteriet er højst {fmt.count(limit)} unge pr. konsulent ad gangen.",
        "Den enkelte konsulents tal vises ikke, da de er personaledata." if team_only else
        "Konsulenterne er anonymiseret med bogstaver i tilfældig rækkefølge.",
    ]
    if any(small):
        notes.append(f"Antal under {min_cell} vises som »<{min_cell}«; for den konsulent vises gennemsnittet "
                     "heller ikke (»–«).")
    rows = pd.concat([per, total.to_frame().T])
    data = pd.DataFrame({
        "consultant": frame["consultant"],
        "mean": rows["mean"].astype(float).to_numpy(),
        "peak": pd.array(rows["peak"], dtype="Int64"),
        "days_above": pd.array(rows["days_above"], dtype="Int64"),
        "share_above": rows["share_above_pct"].astype(float).to_numpy(),
    })
    return downloadable(add_notes(table, notes), data, {
        "consultant": "Konsulent", "mean": "Unge ad gangen, gennemsnit", "peak": "Unge ad gangen, højeste",
        "days_above": f"Dage over grænsen på {limit}", "share_above": "Andel af dagene over grænsen (%)",
    })


def _mean(value) -> float:
    """A mean rounded half up to one decimal (great-tables would round the binary value), NaN if missing."""
    return float("nan") if pd.isna(value) else fmt.round_half_up(value, 1)


def tab_fidelity_reviews(ed) -> ReportTable | AbsentTable:
    """Fidelity appendix: each fidelity review's total, band and lowest-scored items.

    One row per review (ordered by site, date and reviewer type). A review
    with a missing item has no total and no band; the cell says how many
    items are missing. Reviews are of sites, not persons, so no
    small-number rule applies (see :attr:`ipsreport.analysis.disclosed.layer.Disclosed.fidelity_reviews`).

    Without reviews (the optional data were not supplied) there is no table:
    nothing is printed in its place and it takes no table number
    (:func:`ipsreport.outputs.tables.absent.absent_table`); the chapter's sentence
    (the fact ``fidelity_reviews_sentence``) says that no reviews were supplied.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    ReportTable or AbsentTable
    """
    protected = disclosed(ed)
    reviews = protected.fidelity_reviews
    if reviews.empty:
        return absent_table("")
    items = protected.fidelity_items
    n_items = int(reviews["n_items"].iloc[0] + reviews["n_missing"].iloc[0])
    frame = pd.DataFrame({
        "site": reviews["site"].astype(str),
        "date": [fmt.date(d) for d in reviews["review_date"]],
        "reviewer": [fmt.MISSING if pd.isna(r) else str(r) for r in reviews["reviewer"]],
        "total": [fmt.MISSING if pd.isna(t) else fmt.count(t) for t in reviews["total"]],
        "band": [str(b) if not pd.isna(b) else f"ikke beregnet ({_missing(m)})"
                 for b, m in zip(reviews["band"], reviews["n_missing"])],
        "lowest": [lowest_items_text(items, int(r)) for r in reviews["review"]],
    })
    table = gt_table(frame, "fidelity-reviews", first_width="16%")
    table = table.cols_label(site="Jobcenter", date="Dato", reviewer="Målt af", total="Samlet score",
                             band="Niveau", lowest="Lavest scorede punkter*")
    table = table.cols_width({"site": "16%", "date": "13%", "reviewer": "12%", "total": "9%", "band": "12%",
                              "lowest": "38%"})
    table = table.cols_align("right", columns=["total"])
    notes = [
        f"Samlet score er summen af de {fmt.count(n_items)} punkter på IPS-fidelitetsskalaen, hvert fra 1 "
        f"(ikke implementeret) til 5 (fuldt implementeret). Niveauer: {fidelity_bands_text(ed.codebook)}. "
        "Mangler en score på et punkt, beregnes hverken samlet score eller niveau.",
        f"* Punkterne med målingens laveste score (scoren står først); højst {fmt.words(MAX_LISTED_ITEMS)} "
        "nævnes ved navn. "
        "Kilde: fidelitetsmålingerne (fidelity-filen i datamappen).",
    ]
    data = pd.DataFrame({
        "site": frame["site"],
        "date": pd.to_datetime(reviews["review_date"]).to_numpy(),
        "reviewer": [None if pd.isna(r) else str(r) for r in reviews["reviewer"]],
        "total": pd.array([None if pd.isna(t) else int(t) for t in reviews["total"]], dtype="Int64"),
        "band": [None if pd.isna(b) else str(b) for b in reviews["band"]],
        "missing": pd.array([int(m) for m in reviews["n_missing"]], dtype="Int64"),
        "lowest": frame["lowest"],
    })
    return downloadable(add_notes(table, notes), data, {
        "site": "Jobcenter", "date": "Dato", "reviewer": "Målt af", "total": "Samlet score", "band": "Niveau",
        "missing": "Manglende punkter", "lowest": "Lavest scorede punkter",
    })


def _missing(n) -> str:
    n = int(n)
    return f"{fmt.count(n)} {'punkt' if n == 1 else 'punkter'} mangler"
