"""Bilag 7's tables and sentences (``tab_audit``, ``tab_audit_summary``): what the audit prints."""

from __future__ import annotations

import pandas as pd
import pytest

from ipsreport.analysis import audit

PUBLISHED = audit.load_published()


# --------------------------------------------------------------------------- Bilag 7's tables


def _text_of(table) -> str:
    """Visible text of a table's HTML, whitespace collapsed, entities decoded."""
    import html
    import re

    body = table.as_raw_html()
    body = body[body.find("<table"):]
    text = html.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def audit_frame() -> pd.DataFrame:
    """Three audited numbers: one exact, one accepted beyond rounding, one not reproduced."""
    rows = [
        ("followup.duration.pct.1", "Tabel 1", "2 (5%)", 5.0, 4.651, 0.5, None),
        ("followup.duration.pct.2", "Tabel 1; afsnit 3.1", "over halvdelen", 54.0, 51.0, 4.0, "Kun nævnt i ord."),
        ("paired.burden.mean_end", "Figur 4, note", "3,22", 3.22, 3.26, 0.005, "3,22 kan ikke opnås med 40 svar"),
    ]
    frame = pd.DataFrame(rows, columns=["key", "where", "printed", "published", "reproduced", "tolerance", "reason"])
    frame["difference"] = frame["reproduced"] - frame["published"]
    frame["rounding"] = [audit.rounding(v) for v in frame["published"]]
    frame["corrected"] = float("nan")
    frame["within"] = frame["difference"].abs() <= frame["tolerance"]
    frame["status"] = [audit.audit_status(r, p, t) for r, p, t in
                       zip(frame["reproduced"], frame["published"], frame["tolerance"])]
    frame["table"] = frame["where"].map(audit.published_table)
    frame["counts"] = [[40.0]] * len(frame)
    return frame


@pytest.fixture
def fake_audit(monkeypatch, make_edition):
    monkeypatch.setattr(audit, "summarise_audit", lambda ed, derived: audit_frame())
    # Data said to be those behind the publication: the audit is shown (twin detection is by checksums).
    return make_edition(reproduces_reference=True)


def test_the_audit_is_left_out_when_the_data_are_not_meant_to_reproduce_the_publication(monkeypatch,
                                                                                          make_edition):
    from ipsreport.outputs.facts import Facts
    from ipsreport.outputs.tables import tab_audit, tab_audit_summary
    from ipsreport.outputs.tables.absent import AbsentTable

    monkeypatch.setattr(audit, "summarise_audit", lambda ed, derived: audit_frame())
    other = make_edition()
    assert isinstance(tab_audit_summary(other), AbsentTable) and isinstance(tab_audit(other), AbsentTable)
    f = Facts(other)
    assert "bygger ikke på de data, der ligger bag evalueringen fra 2025" in f.reproduction_note
    assert "Udvikling siden sidste udgave" in f.reproduction_note
    shown = Facts(make_edition(reproduces_reference=True))
    assert shown.reproduction_note == ""


def test_tab_audit_lists_only_what_is_not_exact(fake_audit):
    from ipsreport.outputs.tables import tab_audit

    text = _text_of(tab_audit(fake_audit))
    assert text.startswith("Sted Trykt 2025 Beregnet Tolerance Status")
    assert "2 (5%)" not in text  # reproduced exactly: only in the full list
    # Grouped under the reason, with the tolerance and the verdict.
    assert "Kun nævnt i ord. Tabel 1; afsnit 3.1 over halvdelen 51 ±4 Inden for tolerance" in text
    assert "3,22 kan ikke opnås med 40 svar Figur 4, note 3,22 3,26 ±0,005 Ikke genskabt" in text
    # Where Table 9's stars come from: thresholds and test.
    assert "* p < 0,05, ** p < 0,01, *** p < 0,001" in text and "modellens test af hver faktor" in text
    assert "en halv enhed på sidste ciffer" in text


def test_tab_audit_summary_counts_per_table(fake_audit):
    from ipsreport.outputs.tables import tab_audit_summary

    text = _text_of(tab_audit_summary(fake_audit))
    assert text.startswith("Sted i evalueringen fra 2025 Tal i alt Præcist Inden for tolerance Rettelse Ikke genskabt")
    assert "Tabel 1 2 1 1 0 0 Figur 4 1 0 0 0 1 I alt 3 1 1 0 1" in text
    assert "Skjult" not in text


def test_audit_download_frame_holds_every_number(fake_audit):
    from ipsreport.outputs.tables.appendices import audit_download_frame

    frame = audit_download_frame(fake_audit)
    assert len(frame) == 3
    assert list(frame["Status"]) == ["Præcist", "Inden for tolerance", "Ikke genskabt"]
    assert frame["Nøgle"].tolist()[0] == "followup.duration.pct.1"


def test_audit_sentence_counts_the_verdicts(fake_audit):
    from ipsreport.outputs.facts import facts

    assert facts(fake_audit).audit_result_sentence == (
        "Af de 3 tal giver 1 præcist det trykte tal, 1 ligger inden for en angivet tolerance, og 1 er ikke genskabt.")


@pytest.mark.parametrize(("value", "shown"), [(0, "0"), (0.5, "±0,5"), (0.005, "±0,005"), (1.5, "±1,5"),
                                              (0.0005, "±0,0005"), (11.5, "±11,5")])
def test_audit_tolerance_text(value, shown):
    from ipsreport.outputs.tables.appendices import tolerance_text

    assert tolerance_text(value) == shown


@pytest.mark.twin
def test_tab_audit_on_the_twin(ed):
    from ipsreport.outputs.tables import tab_audit, tab_audit_summary

    text = _text_of(tab_audit(ed))
    assert "Tabel 9; afsnit 7.1 2,12 2,14 ±0,005 Ikke genskabt" in text  # the edition's "2.12" with a decimal comma
    summary = _text_of(tab_audit_summary(ed))
    assert f"I alt {len(PUBLISHED)}" in summary


def test_table_snapshot_audit(fake_audit, snapshot):
    from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

    from ipsreport.outputs.tables import tab_audit, tab_audit_summary

    class HTMLSnapshot(SingleFileSnapshotExtension):
        file_extension = "html"
        _write_mode = WriteMode.TEXT

    html = tab_audit_summary(fake_audit).as_raw_html() + tab_audit(fake_audit).as_raw_html()
    assert html == snapshot.use_extension(HTMLSnapshot)


def test_stars_note_names_the_thresholds_the_model_uses():
    """Bilag 7 says where Table 9's stars come from; the thresholds it names are those of models.stars."""
    from ipsreport.analysis.models import stars
    from ipsreport.outputs.tables.appendices import AUDIT_STARS_NOTE

    for mark, limit in (("*", 0.05), ("**", 0.01), ("***", 0.001)):
        assert f"{mark} p < {str(limit).replace('.', ',')}" in AUDIT_STARS_NOTE
        assert stars(limit * 0.99) == mark and stars(limit) != mark


def test_audit_tables_hide_values_resting_on_small_counts(monkeypatch, make_edition):
    from ipsreport.outputs.tables import tab_audit, tab_audit_summary

    frame = audit_frame()
    frame["counts"] = [[40.0], [40.0], [2.0]]  # the mean rests on two persons
    monkeypatch.setattr(audit, "summarise_audit", lambda ed, derived: frame)
    ed = make_edition(min_cell=3, reproduces_reference=True)
    summary = _text_of(tab_audit_summary(ed))
    assert "Ikke genskabt Skjult" in summary and "I alt 3 1 1 0 0 1" in summary
    text = _text_of(tab_audit(ed))
    assert "3,22 – ±0,005 Skjult" in text and "3,26" not in text


#: Words of the system's makers a funder cannot read; Bilag 8 explains what it needs in "Ord og begreber".
JARGON = ("tvilling", "kalibrering", "ci_method", "profil-likelihood", "wald")


def test_bilag_8_speaks_plain_danish():
    """Every reason printed in Bilag 8 avoids the jargon; the appendix's prose uses it only in its glossary."""
    from ipsreport.paths import REPORT_DIR

    reasons = [e["reason"] for e in PUBLISHED if e["reason"]]
    assert not [r for r in reasons if any(w in r.lower() for w in JARGON)]
    text = (REPORT_DIR / "bilag-8-reproduktion.qmd").read_text(encoding="utf-8")
    body, _, glossary = text.partition("{#sec-ordforklaring}")
    assert glossary, "Bilag 8 has no glossary"
    assert not [w for w in JARGON if w in body.lower()]
    for term in ("Opdigtede (syntetiske) data", "Tolerance", "Konfidensinterval", "Odds ratio", "p-værdi"):
        assert f"**{term}**" in glossary
    # The notes under the audit tables are printed in Bilag 8 too.
    from ipsreport.outputs.tables.appendices import AUDIT_STARS_NOTE, STATUS_NOTE

    assert not [w for w in JARGON if w in (AUDIT_STARS_NOTE + STATUS_NOTE).lower()]
