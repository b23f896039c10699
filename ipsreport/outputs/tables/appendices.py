"""Tables of the appendices: the regression's factors, the codebook, the data files and the audit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from great_tables import loc, style

from ipsreport.outputs import fmt
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.outputs.facts.editions import reproduces_reference
from ipsreport.outputs.tables.absent import absent_table
from ipsreport.outputs.tables.download import ReportTable, downloadable
from ipsreport.outputs.tables.style import add_notes, gt_table, min_cell_of

__all__ = ["tab_regression_spec", "tab_codebook", "tab_sources", "tab_audit", "tab_audit_summary",
           "audit_download_frame", "codebook_download_frame", "AUDIT_STARS_NOTE", "STATUS_DA", "tolerance_text"]


# --- Appendices --------------------------------------------------------------


def tab_regression_spec(ed) -> ReportTable:
    """Data og metode: the ten factors of Table 9 and how each is coded.

    From :data:`ipsreport.analysis.spec.REGRESSION_TERMS`, the specification the model
    and the synthetic generator share; ``ed`` is taken for a uniform call.
    """
    from ipsreport.analysis.spec import REGRESSION_OUTCOME, REGRESSION_TERMS

    outcome = ed.codebook["followup"][REGRESSION_OUTCOME]
    frame = pd.DataFrame({"label": [t.label for t in REGRESSION_TERMS],
                          "coding": [t.coding for t in REGRESSION_TERMS]})
    table = gt_table(frame, "regression-spec", first_width="45%")
    table = table.cols_label(label="Faktor", coding="Kodning")
    table = add_notes(table, [f"Udfald: {outcome.label.lower()} (1 = ja, 0 = nej), spørgeskemaet ved afslutning. "
                              "Analysen omfatter afsluttede unge med svar på alle faktorer."])
    return downloadable(table, frame, {"label": "Faktor", "coding": "Kodning"})

def tab_codebook(ed) -> ReportTable:
    """Data og metode: the codebook in Danish words, grouped by data file.

    One row per question, or per run of questions with the same answers and condition
    (:func:`ipsreport.inputs.codebook.text.codebook_rows`): the questions or registry fields, their answers
    in words, and who is asked as a sentence ("Kun hvis den unge er afsluttet."). The data files'
    column names are left to the machine-readable codebook, ``data/codebook.yml``.
    """
    from ipsreport.inputs.codebook.text import codebook_rows

    rows = codebook_rows(ed.codebook)
    frame = pd.DataFrame({
        "dataset": [r["dataset"] for r in rows],
        "items": ["; ".join(r["items"]) for r in rows],
        "answers": [r["answers"] for r in rows],
        "condition": [r["condition"] for r in rows],
    })
    table = gt_table(frame, "codebook", first_width=None, groupname_col="dataset")
    table = table.cols_label(items="Spørgsmål eller oplysning", answers="Svar", condition="Stilles til")
    table = table.cols_width({"items": "52%", "answers": "26%", "condition": "22%"})
    table = table.tab_options(table_font_size="12px", data_row_padding="2px")
    table = add_notes(table, [
        "Spørgsmål i træk med de samme svarmuligheder står i samme række, adskilt af semikolon. Svarene er "
        "heltalskoder som i spørgeskemaets eksport; for en skala er kun de to yderpunkter vist. En tom celle i "
        "»Stilles til« betyder, at alle får spørgsmålet; en tom celle i data betyder, at spørgsmålet ikke er "
        "besvaret eller ikke er stillet.",
        "Kodebogen i maskinlæsbar form, med datafilernes kolonnenavne og alle svarkategorier, er filen "
        "data/codebook.yml.",
    ])
    return downloadable(table, codebook_download_frame(ed.codebook))


def codebook_download_frame(codebook) -> pd.DataFrame:
    """The codebook for download: one row per variable, with the data files' column names and every code.

    The printed appendix says it in words; a reviewer who wants to check a data file gets the machine
    names here (the same content as ``data/codebook.yml``).
    """
    rows = []
    for dataset in codebook.datasets.values():
        for var in dataset.variables:
            rows.append({
                "Datafil": dataset.name,
                "Kolonne": var.name,
                "Spørgsmål eller oplysning": var.label,
                "Type": var.type,
                "Koder": "; ".join(f"{code} = {label}" for code, label in (var.values or {}).items()),
                "Stilles kun hvis": var.asked_if or "",
            })
    return pd.DataFrame(rows)


def tab_sources(ed) -> ReportTable:
    """Reproduktion: the data files read, with rows and SHA-256 checksums.

    A file's rows are persons for the registry and the two surveys: they
    are counts like any other and come from the disclosure layer (hidden
    below the rule, printed »–«). A path is printed only for the project's
    own data folder (``data/``); any other folder, including the cache a
    site book's data are split into, is somebody's machine, and only the
    file's name is printed.
    """
    from ipsreport.paths import DATA_DIR, PROJECT_DIR

    counts = disclosed(ed).registry_counts
    rows = []
    for src in ed.sources:
        path = Path(src.path)
        try:
            path.resolve().relative_to(DATA_DIR)
            shown = str(path.resolve().relative_to(PROJECT_DIR))
        except (OSError, ValueError):
            shown = path.name
        name = src.name
        data = getattr(ed, name, None)
        if name in counts.index:  # persons: as the layer lets them be printed
            n = counts.loc[name, "n"]
            count = None if pd.isna(n) else int(n)
        else:  # reviews of a site's practice, not persons
            count = len(data) if isinstance(data, pd.DataFrame) else None
        rows.append(
            {
                "file": shown,
                "dataset": ed.codebook.datasets[name].label if name in ed.codebook.datasets else name,
                "format": str(src.format),
                "rows": count,
                "sha256": str(src.sha256),
            }
        )
    frame = pd.DataFrame(rows, columns=["file", "dataset", "format", "rows", "sha256"]).astype({"rows": "Int64"})
    table = gt_table(frame, "sources", first_width=None)
    # great-tables writes the counts in the table's Danish locale ("1.234"), as fmt.count does.
    table = table.fmt_integer(columns="rows").sub_missing(columns="rows", missing_text=fmt.MISSING)
    table = table.cols_label(file="Fil", dataset="Datasæt", format="Format", rows="Rækker", sha256="SHA-256")
    table = table.cols_width({"file": "27%", "dataset": "19%", "format": "9%", "rows": "9%", "sha256": "36%"})
    table = table.cols_align("right", columns=["rows"])
    table = table.tab_style(style.text(font="monospace", size="11px"), loc.body(columns=["file", "sha256"]))
    # A 64-character checksum must wrap inside its column on A4 and phones.
    table = table.opt_css("#gt-sources td.gt_row:last-child { word-break: break-all; }")
    table = add_notes(table, ["SHA-256 er filens kontrolsum: er den uændret, er data uændrede."])
    return downloadable(table, frame, {"file": "Fil", "dataset": "Datasæt", "format": "Format", "rows": "Rækker",
                                       "sha256": "SHA-256"})


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
    "Stjernerne i rapportens Tabel 9 (* p < 0,05, ** p < 0,01, *** p < 0,001) sættes af rapportsystemet ud fra "
    "modellens p-værdier (modellens test af hver faktor i den logistiske regression); de er ikke overtaget fra "
    "evalueringen fra 2025. Tabel 9 i evalueringen fra 2025 trykker ingen signifikansstjerner ved tallene (»**« efter »Vurdering af "
    "forløbets betydning« henviser til tabellens fodnote), så dens signifikans er kontrolleret som et interval for "
    "p-værdien: »n.s.« som p ≥ 0,05 og en trykt odds ratio som p < 0,05."
)

#: The audit's verdicts (:func:`ipsreport.analysis.audit.audit_status`) in Danish, plus a hidden value.
STATUS_DA = {"exact": "Præcist", "tolerance": "Inden for tolerance", "correction": "Rettelse",
             "not_reproduced": "Ikke genskabt", "hidden": "Skjult"}
#: What each verdict means, for the notes.
STATUS_NOTE = (
    "»Præcist«: det beregnede tal giver det trykte, når det afrundes som i evalueringen fra 2025. »Inden for "
    "tolerance«: afstanden er større end afrundingen, men inden for den tolerance, der står ved tallet, fordi "
    "evalueringen fra 2025 kun angiver tallet i ord, som en grænse, med en anden afrunding eller med en værdi, ingen "
    "hele antal kan give; årsagen står ved tallet. »Rettelse«: det trykte tal strider mod egne tabeller eller svar "
    "i evalueringen fra 2025; denne udgave skriver det rettede tal, og data giver det rettede tal; årsagen står ved "
    "tallet. »Ikke genskabt«: afstanden er større end tolerancen; årsagen står ved tallet, når den er kendt."
)


def _status_frame(ed) -> pd.DataFrame:
    """The disclosed audit with ``status`` ``hidden`` where the small-number rule hides the computed value."""
    audit = disclosed(ed).audit.copy()
    audit["status"] = ["hidden" if hidden else status for status, hidden in zip(audit["status"], audit["suppressed"])]
    return audit


def _reason_text(reason) -> str:
    return "" if reason is None or (isinstance(reason, float) and pd.isna(reason)) else str(reason).strip()


def audit_download_frame(ed) -> pd.DataFrame:
    """Every audited number, unformatted, with Danish headers: the full list behind the appendix's two tables.

    For the downloads of :func:`tab_audit` (the printed table holds only the numbers that are not
    reproduced exactly). Columns: place, table, key, printed, published, computed (missing when hidden),
    tolerance, status and reason.
    """
    audit = _status_frame(ed)
    return pd.DataFrame({
        "Sted": audit["where"].astype(str),
        "Tabel eller afsnit": audit["table"].astype(str),
        "Nøgle": audit["key"].astype(str),
        "Trykt 2025": audit["printed"].astype(str),
        "Offentliggjort værdi": audit["published"].astype(float),
        "Beregnet": audit["reproduced"].astype(float),
        "Tolerance": audit["tolerance"].astype(float),
        "Status": audit["status"].map(STATUS_DA),
        "Forklaring": [_reason_text(r) for r in audit["reason"]],
    })


def tab_audit_summary(ed) -> ReportTable:
    """Reproduktion: one row per table or section of the 2025 edition, counting its numbers by verdict.

    How many numbers the edition prints there, how many the data reproduce exactly (within the rounding
    of the printed number), within a stated tolerance, and not at all (:data:`STATUS_DA`); a column for
    values hidden by the small-number rule appears only when there are any.
    """
    if not reproduces_reference(ed):
        # Data not meant to give the printed numbers: no audit (Bilag 8 says why, facts.editions).
        return absent_table("")
    audit = _status_frame(ed)
    order = list(dict.fromkeys(audit["table"]))
    counts = pd.crosstab(audit["table"], audit["status"]).reindex(index=order, columns=list(STATUS_DA), fill_value=0)
    counts.loc["I alt"] = counts.sum()
    frame = pd.DataFrame({"table": counts.index, "n": counts.sum(axis=1).to_numpy()})
    for status in STATUS_DA:
        frame[status] = counts[status].to_numpy()
    show_hidden = bool(frame["hidden"].iloc[-1])
    if not show_hidden:
        frame = frame.drop(columns="hidden")
    numbers = [c for c in frame.columns if c != "table"]
    table = gt_table(frame, "audit-summary", first_width="34%")
    table = table.fmt_integer(columns=numbers)
    where = f"Sted i evalueringen fra {int(ed.settings.reference_year)}"
    table = table.cols_label(table=where, n="Tal i alt",
                             **{k: v for k, v in STATUS_DA.items() if k in frame.columns})
    table = table.cols_align("right", columns=numbers)
    table = table.tab_style(style.text(weight="bold"), loc.body(rows=[len(frame) - 1]))
    hidden = ("»Skjult«: det beregnede tal hviler på færre end {m} unge og vises ikke.".format(
        m=fmt.count(min_cell_of(ed))) if show_hidden else None)
    table = add_notes(table, [STATUS_NOTE, hidden])
    return downloadable(table, frame, {"table": where, "n": "Tal i alt", **STATUS_DA})


def tab_audit(ed) -> ReportTable:
    """Reproduktion: the published numbers the data do not reproduce exactly, grouped by the reason.

    One row per number whose verdict is not »Præcist«: where the 2025 edition prints it, as printed, as
    computed, the accepted tolerance and the verdict; the rows are grouped under their reason (from
    ``published.yml``), in the order the reasons first occur. The full list of every audited number is
    :func:`audit_download_frame`. The notes say what the tolerance is and where Table 9's stars come from.
    """
    if not reproduces_reference(ed):
        return absent_table("")
    audit = _status_frame(ed)
    rest = audit[audit["status"] != "exact"]
    frame = pd.DataFrame({
        "reason": [_reason_text(r) or "Ingen forklaring i data/published/2025.yml." for r in rest["reason"]],
        "where": rest["where"].astype(str),
        # The edition's words, in the report's number typography (decimal comma, en dash, minus sign, ’).
        "printed": [fmt.house_typography(p) for p in rest["printed"].astype(str)],
        "reproduced": [audit_number(v) for v in rest["reproduced"]],
        "tolerance": [tolerance_text(v) for v in rest["tolerance"]],
        "status": rest["status"].map(STATUS_DA),
    })
    if frame.empty:
        frame = pd.DataFrame({"reason": ["Alle tal er genskabt præcist."], "where": [""], "printed": [""],
                              "reproduced": [""], "tolerance": [""], "status": [""]})
    # Rows of one reason together, the reasons in the order they first occur in the edition.
    first = {r: i for i, r in reversed(list(enumerate(frame["reason"])))}
    frame = frame.assign(_order=frame["reason"].map(first)).sort_values("_order", kind="stable").drop(columns="_order")
    table = gt_table(frame.reset_index(drop=True), "audit", first_width=None, groupname_col="reason")
    # Short headers in columns wide enough that none of them is hyphenated in the PDF.
    table = table.cols_label(where="Sted", printed="Trykt 2025", reproduced="Beregnet", tolerance="Tolerance",
                             status="Status")
    table = table.cols_width({"where": "17%", "printed": "36%", "reproduced": "12%", "tolerance": "12%",
                              "status": "23%"})
    table = table.cols_align("right", columns=["reproduced", "tolerance"])
    table = table.tab_style(style.text(weight="normal", style="italic"), loc.row_groups())
    table = table.tab_options(table_font_size="12px")
    table = add_notes(table, [
        "Rækkerne er grupperet efter forklaringen, der står over dem. »Trykt 2025« gengiver ordene i evalueringen fra 2025 med "
        "rapportens decimalkomma og tankestreg.",
        "Tolerance: den største afstand mellem det beregnede og det trykte tal, der accepteres. Er den blot "
        "afrundingen af det trykte tal (en halv enhed på sidste ciffer: ±0,5 for en hel procent), er et tal uden for "
        "den »Ikke genskabt«.",
        AUDIT_STARS_NOTE,
    ])
    # The download is the full list: every audited number, not only those shown.
    return downloadable(table, audit_download_frame(ed))
