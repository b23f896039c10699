"""The edition comparison's tables: this edition against the previous one, and every edition side by side.

Formatting only: each takes the run's comparison (``ips.tab_edition_change(r.comparison)``,
the :class:`~ipsreport.results.editions.compare.Comparison` the pipeline's compare
step made, :func:`ipsreport.pipeline.compare`) and computes nothing. A value the
small-number rule hid in either edition prints as »–« and is not compared.
Without a previous edition (``None``) the table is absent (:func:`ipsreport.outputs.tables.absent.absent_table` with no
sentence): no number, nothing printed.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.outputs import fmt
from ipsreport.results.editions.compare import Comparison
from ipsreport.results.editions.text import format_diff, format_value, level
from ipsreport.analysis.evidence import EDITION_WORDS
from ipsreport.outputs.tables.absent import AbsentTable, absent_table
from ipsreport.outputs.tables.download import ReportTable, downloadable
from ipsreport.outputs.tables.style import add_notes, gt_table

__all__ = ["tab_edition_change", "tab_edition_series"]

#: The verdict column's words (Danish); ``untested``/``hidden`` say why there is no verdict.
_VERDICT = {"up": EDITION_WORDS["up"], "down": EDITION_WORDS["down"], "same": "på niveau",
            "untested": "ikke testet", "hidden": "skjult"}


def _verdict(row) -> str:
    if row["method"] == "exact":
        return {"up": "højere", "down": "lavere", "same": "uændret"}[row["verdict"]]
    return _VERDICT[row["verdict"]]


def _value(row, column: str) -> str:
    if row["hidden"] and pd.isna(row[column]):
        return fmt.MISSING
    return format_value(row["kind"], row[column], int(row["decimals"]))


def tab_edition_change(comp: Comparison | None) -> ReportTable | AbsentTable:
    """Conclusion: each key indicator in the previous and this edition, the difference and its 95 % interval.

    Parameters
    ----------
    comp : Comparison or None
        The run's comparison (``r.comparison``).

    Returns
    -------
    ReportTable or AbsentTable
        Absent (nothing printed, no table number) without ``--previous``.
    """
    if comp is None:
        return absent_table("")
    change = comp.change
    ci = f"{level(comp.alpha)}-KI"
    frame = pd.DataFrame({
        "label": change["label"],
        "previous": [_value(r, "previous") for _, r in change.iterrows()],
        "current": [_value(r, "current") for _, r in change.iterrows()],
        "diff": [format_diff(r["kind"], r["diff"], int(r["decimals"])).replace(" procentpoint", "")
                 for _, r in change.iterrows()],
        "ci": [fmt.span(r["ci_low"], r["ci_high"], int(r["decimals"])) if r["method"] in ("newcombe", "welch")
               else fmt.MISSING for _, r in change.iterrows()],
        "verdict": [_verdict(r) for _, r in change.iterrows()],
    })
    table = gt_table(frame, "edition-change", first_width="40%")
    table = table.cols_label(label="Indikator", previous=str(comp.previous_year), current=str(comp.current_year),
                             diff="Forskel", ci=ci, verdict="Vurdering")
    table = table.cols_align("right", columns=["previous", "current", "diff", "ci"])
    notes = [
        "Forskel: denne udgave minus den forrige; for andele i procentpoint, regnet af de uafrundede andele "
        f"(den kan derfor afvige med 1 fra forskellen mellem de viste tal). {ci}: konfidensinterval for "
        "forskellen (Newcombe for andele, Welch for gennemsnit). »Steget« og »faldet« kun, når intervallet ikke "
        "rummer 0. Antal unge og antal unge pr. konsulent er optalt for alle og har intet interval.",
        "Gennemsnit af trivsel, mestring, ensomhed og belastning gælder de unge med svar ved både start og "
        "afslutning.",
    ]
    if comp.shared:
        notes.append("De to udgaver deler personer, så forskellene er ikke testet." if comp.shared_checked else
                     "De to udgaver kan dele personer, så forskellene er ikke testet.")
    if change["hidden"].any():
        notes.append("»–«: skjult efter reglen for små tal i en af udgaverne; ikke sammenlignet.")
    data = change[["label", "previous", "current", "diff", "ci_low", "ci_high", "method", "verdict"]].copy()
    data["verdict"] = [_verdict(r) for _, r in change.iterrows()]
    return downloadable(add_notes(table, notes), data, {
        "label": "Indikator", "previous": f"Udgaven fra {comp.previous_year}",
        "current": f"Udgaven fra {comp.current_year}", "diff": "Forskel", "ci_low": f"{ci}, nedre",
        "ci_high": f"{ci}, øvre", "method": "Metode", "verdict": "Vurdering",
    })


def tab_edition_series(comp: Comparison | None) -> ReportTable | AbsentTable:
    """Conclusion: every key indicator in each edition with its own 95 % interval (three or more editions).

    Parameters
    ----------
    comp : Comparison or None
        The run's comparison (``r.comparison``).

    Returns
    -------
    ReportTable or AbsentTable
        Absent with fewer than two previous editions.
    """
    frame = comp.series if comp is not None else None
    if frame is None:
        return absent_table("")
    years = sorted(frame["year"].unique())

    def cell(r) -> str:
        if r["hidden"] and pd.isna(r["value"]):
            return fmt.MISSING
        text = format_value(r["kind"], r["value"], int(r["decimals"]))
        if pd.isna(r["ci_low"]):
            return text
        return f"{text} ({fmt.span(r['ci_low'], r['ci_high'], int(r['decimals']))})"

    shown = frame.assign(cell=[cell(r) for _, r in frame.iterrows()])
    wide = shown.pivot(index="indicator", columns="year", values="cell")
    order = list(dict.fromkeys(frame["indicator"]))
    labels = frame.drop_duplicates("indicator").set_index("indicator")["label"]
    table_frame = pd.DataFrame({"label": [labels[k] for k in order],
                                **{str(y): [wide.loc[k, y] for k in order] for y in years}})
    table = gt_table(table_frame, "edition-series", first_width="34%")
    table = table.cols_label(label="Indikator")
    table = table.cols_align("right", columns=[str(y) for y in years])
    ci = f"{level(comp.alpha)}-KI"
    table = add_notes(table, [f"I parentes: {ci} for udgavens eget tal (Wilson for andele, t for "
                              "gennemsnit). »–«: skjult efter reglen for små tal."])
    data = frame[["label", "year", "value", "ci_low", "ci_high"]]
    return downloadable(table, data, {"label": "Indikator", "year": "Udgave", "value": "Værdi",
                                      "ci_low": f"{ci}, nedre", "ci_high": f"{ci}, øvre"})
