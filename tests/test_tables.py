"""Tables: content checks on hand-made editions and HTML snapshots.

Snapshots (``tests/__snapshots__/test_tables/*.html``) are taken on the seeded
fake edition of ``conftest.py``, not on the synthetic twin, so they change
only when the formatting changes. Update with ``make test-update``.
"""

import re
from dataclasses import replace
from types import SimpleNamespace

import pytest
from great_tables import GT
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from ipsreport.analysis.scoring import edition_scores
from ipsreport.outputs import tables

# The audit tables (Bilag 7) and the codebook content are tested in test_audit.py and test_codebook.py.
TABLES = [name for name in tables.__all__ if name not in ("tab_audit", "tab_audit_summary")]


class HTMLSnapshot(SingleFileSnapshotExtension):
    file_extension = "html"
    _write_mode = WriteMode.TEXT


@pytest.fixture
def html_snapshot(snapshot):
    return snapshot.use_extension(HTMLSnapshot)


def text_of(table: GT) -> str:
    """Visible text of a table's HTML, whitespace collapsed, entities decoded."""
    import html

    body = table.as_raw_html()
    body = body[body.find("<table"):]
    text = html.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()  # \s also matches the no-break spaces


def with_sources(ed):
    return replace(ed, sources=[
        SimpleNamespace(name="registry", path="data/synthetic/registry.csv", sha256="a" * 64, format="csv"),
        SimpleNamespace(name="baseline", path="data/synthetic/baseline.csv", sha256="b" * 64, format="csv"),
    ])


# --- one content test per table (the name chain) ------------------------------------


def test_tab_duration(make_edition):
    ed = make_edition(followup=[{"duration": 1}, {"duration": 1}, {"duration": 2}, {"duration": 7}, {}])
    table = tables.tab_duration(ed)
    text = text_of(table)
    assert "N: 4" in text
    # No line break inside "50 %" on a narrow screen.
    assert "50\u00a0%" in __import__("html").unescape(table.as_raw_html())
    assert "Under 2 måneder 2 (50 %)" in text
    assert "4–6 måneder 0 (0 %)" in text
    assert "Over 12 måneder 1 (25 %)" in text
    assert text.index("Under 2 måneder") < text.index("2–4 måneder") < text.index("Over 12 måneder")


def test_tab_duration_min_cell(make_edition):
    rows = [{"duration": 1}] * 2 + [{"duration": 2}] * 10 + [{"duration": 3}] * 5 + [{"duration": 7}] * 20
    text = text_of(tables.tab_duration(make_edition(followup=rows, min_cell=3)))
    assert "Under 2 måneder <3 (–)" in text
    # The complement is the smallest non-empty cell: an empty one would leave the hidden cells adding up to 2.
    assert "4–6 måneder – (–)" in text
    assert "6–8 måneder 0 (0 %)" in text
    assert "Antal under 3 vises som »<3«" in text
    text_off = text_of(tables.tab_duration(make_edition(followup=rows)))
    assert "Under 2 måneder 2 (5 %)" in text_off and "<3" not in text_off


def test_tab_background(make_edition):
    ed = make_edition(baseline=[
        {"gender": 1, "age": 16, "education": 2, "work_experience": 1},
        {"gender": 2, "age": 29, "education": 3, "work_experience": 0},
        {"gender": 2, "age": 22, "work_experience": 1},
    ])
    text = text_of(tables.tab_background(ed))
    assert "N: 3" in text
    assert "Mand 1 (33 %)" in text and "Kvinde 2 (67 %)" in text
    assert "Yngst 16 år" in text and "Ældst 29 år" in text and "Gennemsnit 22 år" in text
    assert "Højest afsluttede eksamen (besvaret af 2)" in text
    assert "Folkeskolen (9. eller 10. klasse) 1 (50 %)" in text


def test_tab_status(make_edition):
    ed = make_edition(registry=[{"referral_status": 1}] * 28 + [{"referral_status": 2}] * 38)
    text = text_of(tables.tab_status(ed))
    assert "N: 66" in text
    assert "Aktivitetsparat 28 (42 %)" in text and "Uddannelsesparat 38 (58 %)" in text
    assert "projektregistreringer" in text


def test_tab_supports(make_edition):
    ed = make_edition(baseline=[{"support_psychiatry": 1, "support_mentor": 0}] * 13
                      + [{"support_psychiatry": 0, "support_mentor": 0}] * 42)
    text = text_of(tables.tab_supports(ed))
    assert "Forløb hos behandlingspsykiatrien 13 (24 %)" in text
    assert "Mentor 0 (0 %)" in text
    assert "flere samtidige indsatser" in text


def test_tab_motivation(make_edition):
    ed = make_edition(baseline=[{"motivation_change": 1, "motivation_effort": 1, "motivation_influence": 2}] * 3
                      + [{"motivation_change": 2, "motivation_effort": 1, "motivation_influence": 2}])
    text = text_of(tables.tab_motivation(ed))
    assert "Andel af svarene (N: 4)" in text
    assert "Passer præcist Passer nogenlunde Passer en smule Passer slet ikke" in text
    assert "Min deltagelse i forløbet vil skabe en positiv forandring for mig 75 % 25 % 0 % 0 %" in text


def test_tab_motivation_shows_item_bases_when_they_differ(make_edition):
    ed = make_edition(baseline=[{"motivation_change": 1, "motivation_effort": 1, "motivation_influence": 1},
                                {"motivation_change": 1}])
    text = text_of(tables.tab_motivation(ed))
    assert "N: 1–2" in text
    assert "forandring for mig 100 % 0 % 0 % 0 % 2" in text


def test_tab_resources(make_edition):
    ed = make_edition(baseline=[{"surplus": 3, "belief_work": 1}] * 2 + [{"surplus": 5, "belief_work": 2}])
    text = text_of(tables.tab_resources(ed))
    assert "I meget høj grad I høj grad I nogen grad I mindre grad Slet ikke" in text
    assert "job eller uddannelse? 0 % 0 % 67 % 0 % 33 %" in text


def test_tab_evaluation(make_edition):
    ed = make_edition(followup=[{"eval_support": 1, "eval_influence": 1, "eval_needs": 2}] * 2)
    text = text_of(tables.tab_evaluation(ed))
    assert "støtte mig 100 % 0 % 0 % 0 % 0 %" in text
    assert "N: 2" in text


def test_tab_exit(make_edition):
    ed = make_edition(registry=[{"exit_status": c} for c in [1] * 9 + [2] * 3 + [3] * 14 + [4] * 17 + [5] * 23])
    text = text_of(tables.tab_exit(ed))
    assert "N: 43 afsluttede" in text
    assert "Afsluttet til job 9" in text and "Afsluttet til fleksjob 3" in text
    assert "Afsluttet til uddannelse 14" in text
    assert "I alt i job, fleksjob eller uddannelse 26" in text
    assert "projektregistreringer" in text


def test_tab_exit_min_cell_hides_total_when_other_is_hidden(make_edition):
    ed = make_edition(registry=[{"exit_status": c} for c in [1] * 9 + [2] * 3 + [3] * 14 + [4] * 2], min_cell=3)
    text = text_of(tables.tab_exit(ed))
    # "other reason" (2) is hidden; 3 is its complement; the total would reveal both.
    assert "Afsluttet til fleksjob –" in text
    assert "I alt i job, fleksjob eller uddannelse –" in text


def test_tab_exit_min_cell_hides_a_small_total(make_edition):
    """Job 1, education 1, ten for other reasons: the total of 2 is a small count itself (table and download).

    It equals N minus the "other reason" row, so that row is hidden too; with
    only three others (N 5) nothing can hide it and the table is withheld.
    """
    ed = make_edition(registry=[{"exit_status": c} for c in [1, 3] + [4] * 10], min_cell=3)
    table = tables.tab_exit(ed)
    text = text_of(table)
    assert "Afsluttet til job <3" in text and "Afsluttet til uddannelse <3" in text
    assert "I alt i job, fleksjob eller uddannelse –" in text
    assert table.data["n"].isna().iloc[-1]
    five = make_edition(registry=[{"exit_status": c} for c in [1, 3, 4, 4, 4]], min_cell=3)
    assert "Tabellen vises ikke" in text_of(tables.tab_exit(five))


def test_tab_exit_min_cell_at_the_boundary_shows_a_total_of_three(make_edition):
    ed = make_edition(registry=[{"exit_status": c} for c in [1, 1, 1, 4, 4, 4]], min_cell=3)
    assert "I alt i job, fleksjob eller uddannelse 3" in text_of(tables.tab_exit(ed))


def test_tab_regression(make_fake):
    ed = make_fake(seed=7, n_registry=260, n_baseline=240, n_followup=220)
    from ipsreport.analysis.models import fit_regression

    res = fit_regression(ed, edition_scores(ed))
    text = text_of(tables.tab_regression(ed))
    assert "Variabel" in text and "Odds ratio" in text and "95 %-konfidensinterval" in text
    for _, row in res.terms.iterrows():
        if row["significant"]:
            assert re.search(re.escape(row["label"]) + r"¹? \d+,\d\d\*+ \[", text)
        else:
            assert re.search(re.escape(row["label"]) + r"¹? n\.s\. \[", text)
    assert res.terms["significant"].any() and not res.terms["significant"].all()
    assert "* = p < 0,05, ** = p < 0,01, *** = p < 0,001" in text
    assert f"Analysen omfatter {res.n} afsluttede unge" in text
    assert "fortsat var i forløb" in text
    assert "¹ Vurdering af forløbets betydning er et udtryk for to spørgsmål" in text


def test_tab_regression_prints_model_warnings(make_edition):
    ed = make_edition(baseline=[{"id": "a"}], followup=[{"id": "a", "still_enrolled": 0}])
    text = text_of(tables.tab_regression(ed))
    assert "Bemærk: Modellen kunne ikke estimeres" in text
    assert "Højst gennemførte uddannelse – –" in text


def test_tab_regression_spec(fake):
    from ipsreport.analysis.spec import REGRESSION_TERMS

    text = text_of(tables.tab_regression_spec(fake))
    assert text.startswith("Faktor Kodning")
    for term in REGRESSION_TERMS:
        assert f"{term.label} {term.coding}" in text
    assert "Udfald: i job eller uddannelse ved afslutning (1 = ja, 0 = nej)" in text


def test_tab_sources(make_edition):
    ed = with_sources(make_edition(registry=[{}, {}]))
    text = text_of(tables.tab_sources(ed))
    assert "a" * 64 in text and "Projektregistrering" in text
    assert "data/synthetic/registry.csv csv 2" in text.replace("Projektregistrering ", "")


# --- house style -----------------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_every_table_has_a_fixed_id_and_no_header(name, fake):
    ed = with_sources(fake)
    html = getattr(tables, name)(ed).as_raw_html()
    stem = name.removeprefix("tab_").replace("_", "-")
    assert html.startswith(f'<div id="gt-{stem}"')
    assert 'class="gt_title' not in html  # the caption is the title
    assert html == getattr(tables, name)(ed).as_raw_html()  # deterministic


@pytest.mark.parametrize("name", TABLES)
def test_table_snapshot(name, fake, html_snapshot):
    assert getattr(tables, name)(with_sources(fake)).as_raw_html() == html_snapshot


@pytest.mark.parametrize("name", ["tab_duration", "tab_background", "tab_motivation", "tab_exit"])
def test_table_snapshot_min_cell(name, make_fake, html_snapshot):
    ed = make_fake(min_cell=5)
    assert getattr(tables, name)(ed).as_raw_html() == html_snapshot
