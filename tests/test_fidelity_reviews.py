"""The optional fidelity reviews (IPS Fidelity Scale): scoring, validation, absence, the example folder.

Hand-made reviews whose totals sit on each band boundary (73/74, 99/100,
114/115), a review with a missing item, a bad score in a file (named by row,
column and value), a folder without reviews (no error, no warning, the
appendix says no data were supplied) and the shipped example folder
``data/examples/fidelity``.
"""

from __future__ import annotations

from dataclasses import replace

import shutil
from pathlib import Path

import pandas as pd
import pytest

import ipsreport.api as ips
from ipsreport.inputs.codebook.codebook import load_codebook
from ipsreport.inputs.consistency import check_against_settings
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.outputs.facts import Facts
from ipsreport.inputs.manifest import check_manifest
from ipsreport.paths import PROJECT_DIR, SYNTHETIC_DIR
from ipsreport.analysis.summaries.fidelity_reviews import (
    NO_REVIEWS_SENTENCE,
    fidelity_band,
    fidelity_bands,
    summarise_fidelity_items,
    summarise_fidelity_reviews,
)
from ipsreport.outputs.tables.absent import AbsentTable
from ipsreport.outputs.tables.fidelity import tab_fidelity_reviews
from ipsreport.inputs.validate import validate_dir

CODEBOOK = load_codebook()
ITEMS = [v.name for v in CODEBOOK["fidelity"].group("fidelity_items")]
EXAMPLE_DIR = PROJECT_DIR / "data" / "examples" / "fidelity"


def text_of(table) -> str:
    """Visible text of a table's HTML, whitespace collapsed (as in test_tables.py)."""
    import html
    import re

    body = table.as_raw_html()
    body = body[body.find("<table"):]
    text = html.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def scores_for(total: int) -> list[int]:
    """25 item scores (1-5) summing to ``total``: ones, then raised from the first item on."""
    assert 25 <= total <= 125
    scores, rest = [1] * 25, total - 25
    for i in range(25):
        step = min(4, rest)
        scores[i] += step
        rest -= step
    return scores


def review(site="Jobcenter", date="2024-06-01", reviewer=1, scores=None, **changes) -> dict:
    row = {"site": site, "review_date": date, "reviewer_type": reviewer}
    row.update(dict(zip(ITEMS, scores if scores is not None else scores_for(100))))
    row.update(changes)
    return row


def with_reviews(make_edition, rows, **settings):
    """A hand-made edition (conftest) with a typed ``fidelity`` frame of ``rows``."""
    ed = make_edition(registry=[{"site": "Jobcenter"}], **settings)
    frame = pd.DataFrame(rows)
    typed = {
        "site": frame["site"].astype("string"),
        "review_date": pd.to_datetime(frame["review_date"]),
        "reviewer_type": frame["reviewer_type"].astype("Int64"),
        **{name: frame[name].astype("Int64") for name in ITEMS},
    }
    ed = replace(ed, fidelity=pd.DataFrame(typed))
    return ed


def data_folder(tmp_path: Path, fidelity: str | None) -> Path:
    """A copy of the twin's three files, plus ``fidelity.csv`` with the given text."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("registry", "baseline", "followup"):
        shutil.copy(SYNTHETIC_DIR / f"{name}.csv", folder / f"{name}.csv")
    if fidelity is not None:
        (folder / "fidelity.csv").write_text(fidelity, encoding="utf-8")
    return folder


def csv_text(rows: list[dict]) -> str:
    frame = pd.DataFrame(rows, columns=["site", "review_date", "reviewer_type", *ITEMS])
    return frame.to_csv(index=False, lineterminator="\n")


# --- scoring -----------------------------------------------------------------


def test_bands_come_from_the_codebook_and_cover_25_to_125():
    assert fidelity_bands(CODEBOOK) == [(25, 73, "ikke IPS"), (74, 99, "rimelig"), (100, 114, "god"),
                                        (115, 125, "eksemplarisk")]


@pytest.mark.parametrize(("total", "band"), [
    (25, "ikke IPS"), (73, "ikke IPS"), (74, "rimelig"), (99, "rimelig"), (100, "god"), (114, "god"),
    (115, "eksemplarisk"), (125, "eksemplarisk"),
])
def test_totals_on_the_band_boundaries(make_edition, total, band):
    ed = with_reviews(make_edition, [review(scores=scores_for(total))])
    out = summarise_fidelity_reviews(ed)
    assert out[["total", "band", "n_items", "n_missing"]].iloc[0].tolist() == [total, band, 25, 0]


def test_band_of_a_total_outside_the_scale_is_an_error():
    with pytest.raises(ValueError):
        fidelity_band(126, fidelity_bands(CODEBOOK))
    assert fidelity_band(pd.NA, fidelity_bands(CODEBOOK)) is None


def test_a_missing_item_gives_no_total_and_no_band(make_edition):
    scores = scores_for(120)
    scores[3] = None
    ed = with_reviews(make_edition, [review(scores=scores), review(date="2025-01-01", scores=scores_for(74))])
    out = summarise_fidelity_reviews(ed)
    first = out.iloc[0]
    assert pd.isna(first["total"]) and pd.isna(first["band"])
    assert (first["n_items"], first["n_missing"]) == (24, 1)
    assert out.iloc[1][["total", "band"]].tolist() == [74, "rimelig"]
    # The output says why: the table and the sentence name the rule.
    text = text_of(tab_fidelity_reviews(ed))
    assert "ikke beregnet (1 punkt mangler)" in text
    assert "Mangler en score på et punkt, beregnes hverken samlet score eller niveau" in text
    assert "Én måling mangler en score på et eller flere punkter og har derfor ingen samlet score." in (
        Facts(ed).fidelity_reviews_sentence)


def test_reviews_are_ordered_by_site_then_date(make_edition):
    ed = with_reviews(make_edition, [review(site="B", date="2024-01-01"), review(site="A", date="2025-01-01"),
                                     review(site="A", date="2024-05-01", reviewer=2)])
    out = summarise_fidelity_reviews(ed)
    assert out["site"].tolist() == ["A", "A", "B"]
    assert out["review"].tolist() == [1, 2, 3]
    assert out["reviewer"].tolist() == ["Intern / selvevaluering", "Ekstern", "Ekstern"]


def test_lowest_items_ties_are_all_marked_and_a_perfect_review_has_none(make_edition):
    low = [5] * 25
    low[16], low[18] = 2, 2  # items 17 and 19 share the lowest score
    ed = with_reviews(make_edition, [review(scores=low), review(date="2025-01-01", scores=[5] * 25)])
    items = summarise_fidelity_items(ed)
    assert len(items) == 50
    first = items[items["review"] == 1]
    assert first.loc[first["lowest"], "number"].tolist() == [17, 19]
    assert not items.loc[items["review"] == 2, "lowest"].any()
    text = text_of(tab_fidelity_reviews(ed))
    assert "2: nr. 17 Hyppig kontakt til arbejdsgivere (jobudvikling); nr. 19 Forskellige typer job" in text
    sentence = Facts(ed).fidelity_reviews_sentence
    assert "De lavest scorede punkter på tværs af målingerne var »Hyppig kontakt til arbejdsgivere " \
           "(jobudvikling)« (nr. 17) og »Forskellige typer job« (nr. 19), i gennemsnit 3,5 ud af 5." in sentence


def test_reviews_are_not_suppressed_under_the_small_number_rule(make_edition):
    """A review describes a site's practice, not persons: one review is shown in full under min_cell."""
    ed = with_reviews(make_edition, [review(scores=scores_for(101))], min_cell=5)
    assert disclosed(ed).fidelity_reviews["total"].tolist() == [101]
    assert Facts(ed).fidelity_reviews_sentence.startswith("Der er indsendt én fidelitetsmåling")


# --- absent ------------------------------------------------------------------


def test_absent_dataset_gives_empty_summaries_and_says_so(make_edition):
    ed = make_edition(registry=[{"site": "Jobcenter"}])
    assert ed.fidelity is None  # no fidelity file in the folder
    assert summarise_fidelity_reviews(ed).empty and summarise_fidelity_items(ed).empty
    f = Facts(ed)
    assert f.fidelity_reviews_sentence == NO_REVIEWS_SENTENCE
    assert "ikke indsendt data fra fidelitetsmålinger" in f.fidelity_reviews_sentence
    # No table: no number, nothing in its place (the chapter's sentence above says there are no data).
    assert isinstance(tab_fidelity_reviews(ed), AbsentTable) and str(tab_fidelity_reviews(ed)) == ""


@pytest.mark.twin
def test_twin_has_no_reviews_and_its_appendix_cells_run(ed):
    """The chapter's calls on a folder without fidelity.csv: no error, the sentence says no data."""
    assert ed.fidelity is None and ed.frame("fidelity") is None
    assert [s.name for s in ed.sources] == ["registry", "baseline", "followup"]
    f = ips.facts(ed)
    assert f.fidelity_reviews_sentence == NO_REVIEWS_SENTENCE
    assert "115–125 »eksemplarisk«" in f.fidelity_bands
    assert isinstance(ips.tab_fidelity_reviews(ed), AbsentTable)


@pytest.mark.twin
def test_absent_file_is_neither_error_nor_warning():
    report = validate_dir(SYNTHETIC_DIR)
    assert report.ok
    assert not [v for v in [*report.errors, *report.warnings] if "fidelity" in v.message]
    assert "fidelity" not in report.sources


def test_header_only_file_means_no_reviews(tmp_path):
    folder = data_folder(tmp_path, csv_text([]))
    report = validate_dir(folder)
    assert report.ok, report.format()
    assert len(report.frames["fidelity"]) == 0


# --- validation --------------------------------------------------------------


def test_bad_score_names_file_row_column_and_value(tmp_path):
    rows = [review(), review(date="2024-09-01", f05_team_contact=7)]
    report = validate_dir(data_folder(tmp_path, csv_text(rows)))
    assert not report.ok
    [error] = report.errors
    assert (error.file, error.row, error.column, error.value, error.rule) == (
        "fidelity.csv", 3, "f05_team_contact", "7", "tilladte_værdier")
    assert error.message == ('fidelity.csv, række 3, kolonne f05_team_contact: værdien "7" er ikke en tilladt '
                             'kode (tilladt: 1-5; regel: tilladte_værdier)')


def test_bad_date_reviewer_and_site_are_errors(tmp_path):
    rows = [review(review_date="31-02-2024"), review(reviewer_type=3), review(site="Jobcenter Nord"),
            review(site="")]
    report = validate_dir(data_folder(tmp_path, csv_text(rows)))
    found = {(v.row, v.column, v.rule) for v in report.errors}
    assert found == {(2, "review_date", "datatype"), (3, "reviewer_type", "tilladte_værdier"),
                     (4, "site", "references"), (5, "site", "påkrævet")}
    [site] = [v for v in report.errors if v.rule == "references"]
    assert site.message.startswith('fidelity.csv, række 4, kolonne site: værdien "Jobcenter Nord" findes ikke i '
                                   'registry.csv, kolonne site (kendte værdier: "Jobcenter", "Ungeenheden")')


def test_review_after_evaluation_end_contradicts_the_settings(tmp_path):
    from ipsreport.config.settings import get_settings

    report = validate_dir(data_folder(tmp_path, csv_text([review(review_date="2025-06-01")])))
    assert report.ok
    problems = check_against_settings(report, get_settings(overrides={"evaluation_end": "2025-05-01"}))
    late = [p for p in problems if p.rule == "evaluation_end"]
    assert [(p.file, p.row, p.column, p.value) for p in late] == [("fidelity.csv", 2, "review_date", "2025-06-01")]


# --- the example folder --------------------------------------------------------


def test_example_folder_is_valid_synthetic_but_not_the_twin():
    report = validate_dir(EXAMPLE_DIR)
    assert report.ok and not report.warnings, report.format()
    check = check_manifest(EXAMPLE_DIR)
    assert check.synthetic and not check.twin, check.problems
    assert set(check.manifest["files"]) == {"registry.csv", "baseline.csv", "followup.csv", "fidelity.csv"}
    assert "ikke den syntetiske tvilling" in check.manifest["description"]
    assert "**ikke** den syntetiske tvilling" in (EXAMPLE_DIR / "README.md").read_text(encoding="utf-8")


@pytest.mark.twin
def test_example_folder_facts_and_table_show_the_reviews():
    from ipsreport.inputs.edition import edition

    ed = edition(EXAMPLE_DIR)
    assert len(ed.fidelity) == 4 and ed.settings.min_cell == 3  # synthetic, not the twin: the rule is on
    f = ips.facts(ed)
    assert f.fidelity_reviews_sentence.startswith(
        "Der er indsendt fire fidelitetsmålinger fra to jobcentre, foretaget fra 12. marts 2024 til 18. marts 2025")
    reviews = summarise_fidelity_reviews(ed)
    assert reviews["total"].tolist()[:2] == [97, 105] and pd.isna(reviews["total"].iloc[2])
    assert reviews["band"].tolist()[:2] == ["rimelig", "god"] and reviews["band"].iloc[3] == "eksemplarisk"
    text = text_of(ips.tab_fidelity_reviews(ed))
    for expected in ("Jobcenter 12. marts 2024 Ekstern 97 rimelig", "Ungeenheden 18. marts 2025 Ekstern 118 "
                     "eksemplarisk", "Intern / selvevaluering – ikke beregnet (1 punkt mangler)"):
        assert expected in text


def test_split_by_site_filters_reviews_by_site(tmp_path):
    from ipsreport.book.sites import split_by_site

    sites = {s.site: s for s in split_by_site(EXAMPLE_DIR, tmp_path / "sites")}
    for name, site in sites.items():
        part = pd.read_csv(site.data_dir / "fidelity.csv")
        assert set(part["site"]) == {name} and len(part) == 2
        # A split is not data the package knows byte for byte: real data to the rule (issue 17).
        assert not check_manifest(site.data_dir).synthetic
    # A site without reviews gets no fidelity file: its report says none were supplied.
    folder = data_folder(tmp_path, csv_text([review(site="Ungeenheden")]))
    sites = {s.site: s for s in split_by_site(folder, tmp_path / "sites2")}
    assert not (sites["Jobcenter"].data_dir / "fidelity.csv").exists()
    assert (sites["Ungeenheden"].data_dir / "fidelity.csv").exists()
    assert validate_dir(sites["Jobcenter"].data_dir).ok


def test_sentence_for_a_single_review(make_edition):
    scores = [4] * 25
    scores[0] = 2
    ed = with_reviews(make_edition, [review(reviewer=2, scores=scores)])
    assert Facts(ed).fidelity_reviews_sentence == (
        "Der er indsendt én fidelitetsmåling fra ét jobcenter, foretaget den 1. juni 2024. Målt af: Intern / "
        "selvevaluering (1). Den samlede score lå på niveauet »rimelig« i én måling. Det lavest scorede punkt var "
        "»Antal unge pr. konsulent (sagsmængde)« (nr. 1), med 2 ud af 5.")


def test_a_repeated_review_is_a_warning_naming_both_rows(tmp_path):
    rows = [review(), review(date="2024-09-01"), review(), review(reviewer=2)]
    report = validate_dir(data_folder(tmp_path, csv_text(rows)))
    assert report.ok
    [warning] = report.warnings
    assert (warning.file, warning.row, warning.rule) == ("fidelity.csv", 4, "unique_rows")
    assert warning.message == (
        "fidelity.csv, række 4: samme site, review_date, reviewer_type som række 2 (site = Jobcenter, "
        "review_date = 2024-06-01, reviewer_type = 1). Er det den samme måling indtastet to gange, så slet den "
        "ene række (regel: unique_rows)")
