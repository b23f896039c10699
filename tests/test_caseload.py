"""Consultants' caseloads (fidelity appendix): hand-made registries with known answers.

Also a kept check that recomputes every caseload with a plain loop over days
and registry rows and compares it with the vectorised summary, on the twin
and on a sampled cohort, and HTML snapshots of the table on the seeded fake
edition of ``conftest.py`` (update with ``make test-update``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

import ipsreport.api as ips
from ipsreport.outputs.facts import facts
from ipsreport.outputs.figures.fidelity import caseload_plot_frame, fig_caseload, team_plot_frame
from ipsreport.analysis.summaries.caseload import (
    caseload_detail_sentence,
    caseload_finding,
    consultant_labels,
    registry_checksum,
    summarise_caseload,
    summarise_caseload_daily,
    CaseloadFacts,
    summarise_caseload_facts,
)
from ipsreport.outputs.tables.fidelity import tab_caseload

NAMES = ("Mette Hansen", "August Holm", "Inga Berg")


class HTMLSnapshot(SingleFileSnapshotExtension):
    file_extension = "html"
    _write_mode = WriteMode.TEXT


@pytest.fixture
def html_snapshot(snapshot):
    return snapshot.use_extension(HTMLSnapshot)


def text_of(table) -> str:
    """Visible text of a table's HTML, whitespace collapsed (as in test_tables.py)."""
    import html
    import re

    body = table.as_raw_html()
    body = body[body.find("<table"):]
    text = html.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def spells(make_edition, rows, end="2024-01-06", **settings):
    """An edition whose registry holds ``(consultant, start, end)`` spells."""
    registry = [{"consultant": c, "start_date": s, "end_date": e, "site": "Jobcenter"} for c, s, e in rows]
    return make_edition(registry=registry, evaluation_end=end, **settings)


def label_of(ed) -> dict[str, str]:
    """Each consultant's letter (tested on its own in the lettering tests below)."""
    names = pd.DataFrame({"name": ed.registry["consultant"].dropna().astype(str)})
    return consultant_labels(names, registry_checksum(ed.registry))


def caseloads(ed) -> dict[str, list[int]]:
    """Daily caseloads by consultant *name*."""
    daily = summarise_caseload_daily(ed)
    name = {v: k for k, v in label_of(ed).items()}
    return {name[c]: g["caseload"].tolist() for c, g in daily.groupby("consultant", sort=True)}


def by_consultant(ed) -> pd.DataFrame:
    """The summary indexed by consultant *name* (the programme row by its label)."""
    name = {v: k for k, v in label_of(ed).items()}
    summary = summarise_caseload(ed)
    return summary.set_index(summary["consultant"].map(lambda c: name.get(c, c)))


# --- daily caseloads -----------------------------------------------------------------


def test_overlapping_spells_and_a_one_day_spell(make_edition):
    ed = spells(make_edition, [
        ("Mette Hansen", "2024-01-01", "2024-01-03"),
        ("Mette Hansen", "2024-01-02", "2024-01-05"),
        ("August Holm", "2024-01-04", "2024-01-04"),  # starts and ends on the same day: counts that day
    ])
    daily = summarise_caseload_daily(ed)
    assert list(daily.columns) == ["consultant", "date", "caseload", "active"]
    assert daily["date"].min() == pd.Timestamp("2024-01-01") and daily["date"].max() == pd.Timestamp("2024-01-06")
    assert caseloads(ed) == {
        "Mette Hansen": [1, 2, 2, 1, 1, 0],
        "August Holm": [0, 0, 0, 1, 0, 0],
    }


def test_open_spells_count_until_evaluation_end_and_later_starts_not_at_all(make_edition):
    ed = spells(make_edition, [
        ("Mette Hansen", "2024-01-02", None),  # still enrolled
        ("Mette Hansen", "2024-01-03", "2024-03-01"),  # ends after the evaluation closed
        ("Mette Hansen", "2024-01-07", None),  # starts after it: no day
        ("August Holm", "2024-01-01", "2024-01-01"),
    ])
    assert caseloads(ed) == {"August Holm": [1, 0, 0, 0, 0, 0], "Mette Hansen": [0, 1, 2, 2, 2, 2]}
    row = by_consultant(ed).loc["Mette Hansen"]
    assert row["participants"] == 2 and row["peak"] == 2 and row["days"] == 5
    assert row["last_date"] == pd.Timestamp("2024-01-06")


def test_days_without_young_people_inside_and_outside_a_consultants_span(make_edition):
    ed = spells(make_edition, [
        ("Mette Hansen", "2024-01-01", "2024-01-02"),
        ("Mette Hansen", "2024-01-05", "2024-01-05"),
        ("August Holm", "2024-01-03", "2024-01-03"),
    ], end="2024-01-08")
    daily = summarise_caseload_daily(ed)
    label = label_of(ed)
    mette = daily[daily["consultant"] == label["Mette Hansen"]]
    assert mette["caseload"].tolist() == [1, 1, 0, 0, 1, 0, 0, 0]
    # Active from the first start to the last end: the gap counts as 0, the days after do not count.
    assert mette["active"].tolist() == [True] * 5 + [False] * 3
    august = daily[daily["consultant"] == label["August Holm"]]
    assert august["caseload"].tolist() == [0, 0, 1, 0, 0, 0, 0, 0]
    assert august["active"].tolist() == [False, False, True] + [False] * 5
    summary = by_consultant(ed)
    assert summary.loc["Mette Hansen", "days"] == 5
    assert summary.loc["Mette Hansen", "mean"] == pytest.approx(3 / 5)
    assert summary.loc["August Holm", "mean"] == pytest.approx(1.0)
    programme = summary.loc["Alle konsulenter"]
    assert programme["level"] == "programme" and programme["consultants"] == 2
    assert programme["days"] == 6 and programme["mean"] == pytest.approx(4 / 6)
    assert programme["participants"] == 3


def test_limit_exceeded(make_edition):
    ed = spells(make_edition, [
        ("Mette Hansen", "2024-01-01", "2024-01-04"),
        ("Mette Hansen", "2024-01-02", "2024-01-03"),
        ("Mette Hansen", "2024-01-03", "2024-01-06"),
        ("August Holm", "2024-01-01", "2024-01-06"),
    ], fidelity_caseload_max=2)
    assert caseloads(ed)["Mette Hansen"] == [1, 2, 3, 2, 1, 1]
    summary = by_consultant(ed)
    mette = summary.loc["Mette Hansen"]
    assert (mette["peak"], mette["days_above"], mette["limit"]) == (3, 1, 2)
    assert mette["share_above_pct"] == pytest.approx(100 / 6)
    assert mette["peak_date"] == mette["first_above"] == mette["last_above"] == pd.Timestamp("2024-01-03")
    assert summary.loc["August Holm", "days_above"] == 0
    programme = summary.loc["Alle konsulenter"]
    assert (programme["days"], programme["days_above"]) == (12, 1)
    assert programme["share_above_pct"] == pytest.approx(100 / 12)
    values = summarise_caseload_facts(ed)
    assert values.met is False and values.consultants_above == 1 and values.peak == 3
    assert values.first_above == values.last_above == dt.date(2024, 1, 3)
    f = facts(ed)
    assert f.caseload_met == "er ikke opfyldt"
    assert f.caseload_limit == "2" and f.caseload_peak_n == "3"
    assert f.caseload_finding == ("Én af de to konsulenter var i perioder over grænsen på 2 unge ad gangen: det "
                                  "gjaldt 1 af 12 konsulentdage (8,3 %), på én dag, 3. januar 2024.")


def test_limit_met_at_the_limit(make_edition):
    # Exactly the limit is allowed ("højst").
    ed = spells(make_edition, [("Mette Hansen", "2024-01-01", None)] * 2, fidelity_caseload_max=2)
    f = facts(ed)
    assert f.caseload_met == "er opfyldt" and summarise_caseload_facts(ed).share_above_pct == 0
    assert f.caseload_finding == "Konsulenten var på intet tidspunkt over grænsen."


def test_finding_names_first_and_last_day_and_all_consultants():
    values = CaseloadFacts(
        limit=25, consultants=3, consultants_above=3, met=False, peak=27, mean=20.0, days=900, days_above=40,
        share_above_pct=40 / 9, first_above=dt.date(2024, 3, 3), last_above=dt.date(2025, 5, 1),
        period_start=dt.date(2024, 1, 1), period_end=dt.date(2025, 5, 1), participants=80, detail="team")
    assert caseload_finding(values) == (
        "Alle tre konsulenter var i perioder over grænsen på 25 unge ad gangen: det gjaldt 40 af 900 "
        "konsulentdage (4,4 %), første gang 3. marts 2024 og senest 1. maj 2025.")


# --- the consultants' letters ----------------------------------------------------------


def test_letters_follow_the_registrys_checksum_not_the_first_cases(make_edition):
    rows = [("Inga Berg", "2024-01-03", None), ("Mette Hansen", "2024-01-02", None),
            ("August Holm", "2024-01-02", "2024-01-02")]
    ed = spells(make_edition, rows)
    labels = label_of(ed)
    assert sorted(labels.values()) == ["Konsulent A", "Konsulent B", "Konsulent C"]
    # The same data give the same letters, whatever the order of the rows.
    assert label_of(spells(make_edition, rows)) == labels
    assert registry_checksum(ed.registry) == registry_checksum(ed.registry.iloc[::-1])
    # Another registry (one young person's end date changed) gives another seed.
    other = spells(make_edition, [*rows[:2], ("August Holm", "2024-01-02", "2024-01-03")])
    assert registry_checksum(other.registry) != registry_checksum(ed.registry)
    summary = summarise_caseload(ed)
    assert summary["consultant"].tolist() == ["Konsulent A", "Konsulent B", "Konsulent C", "Alle konsulenter"]
    assert summary.set_index("consultant").loc[labels["August Holm"], "days"] == 1


def test_letters_of_a_known_seed():
    # Pinned: numpy's PCG64 seeded with 0 permutes three names as [1, 0, 2]… of the sorted names.
    names = pd.DataFrame({"name": ["Inga Berg", "Mette Hansen", "August Holm", "Inga Berg"]})
    assert consultant_labels(names, "0" * 64) == {
        "Mette Hansen": "Konsulent A", "August Holm": "Konsulent B", "Inga Berg": "Konsulent C"}


@given(st.sets(st.text(min_size=1, max_size=8), min_size=1, max_size=30), st.text(alphabet="0123456789abcdef",
                                                                                  min_size=64, max_size=64))
@settings(max_examples=60, deadline=None)
def test_letters_are_a_fixed_one_to_one_lettering(names, checksum):
    frame = pd.DataFrame({"name": sorted(names)})
    labels = consultant_labels(frame, checksum)
    assert set(labels) == names
    assert len(set(labels.values())) == len(names)
    assert consultant_labels(frame.iloc[::-1], checksum) == labels
    assert "Konsulent A" in labels.values()


@pytest.mark.twin
def test_twin_letters(ed):
    """The twin's letters are pinned; they no longer follow the first cases (Mette, August, Jonas, Inga)."""
    assert registry_checksum(ed.registry) == ed.manifest["files"]["registry.csv"]["sha256"]  # the file's own, here
    assert label_of(ed) == {"August": "Konsulent A", "Inga": "Konsulent B", "Jonas": "Konsulent C",
                            "Mette": "Konsulent D"}


def test_many_consultants_get_double_letters(make_edition):
    rows = [(f"K{i:02d}", f"2024-01-{1 + i % 5:02d}", None) for i in range(28)]
    labels = summarise_caseload(spells(make_edition, rows))["consultant"].tolist()
    assert labels[:2] == ["Konsulent A", "Konsulent B"]
    assert labels[25:29] == ["Konsulent Z", "Konsulent AA", "Konsulent AB", "Alle konsulenter"]


def test_no_spell_in_the_window(make_edition):
    ed = spells(make_edition, [("Mette Hansen", "2024-02-01", None)])
    assert summarise_caseload_daily(ed).empty
    summary = summarise_caseload(ed)
    assert summary["level"].tolist() == ["programme"] and summary["consultants"].iloc[0] == 0
    f = facts(ed)
    assert f.caseload_met == "kan ikke vurderes" and "kan ikke vurderes" in f.caseload_finding
    assert tab_caseload(ed).as_raw_html()
    assert fig_caseload(ed) is not None


# --- names never leave the module -----------------------------------------------------


def test_names_never_in_any_output(make_edition):
    ed = spells(make_edition, [
        ("Mette Hansen", "2024-01-01", None), ("August Holm", "2024-01-02", "2024-01-04"),
        ("Inga Berg", "2024-01-03", None), ("Mette Hansen", "2024-01-02", None),
    ], fidelity_caseload_max=1)
    f = facts(ed)
    outputs = [
        summarise_caseload_daily(ed).to_csv(), summarise_caseload(ed).to_csv(),
        repr(summarise_caseload_facts(ed)), tab_caseload(ed).as_raw_html(),
        " ".join(getattr(f, name) for name in f.names if name.startswith("caseload")),
    ]
    fig = fig_caseload(ed)
    outputs += [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    text = "\n".join(outputs)
    for name in NAMES:
        for part in name.split():
            assert part not in text
    assert "Konsulent C" in text


# --- the setting ----------------------------------------------------------------------


def test_default_limit_is_25():
    from ipsreport.config.settings import get_settings

    assert get_settings().fidelity_caseload_max == 25


@pytest.mark.twin
def test_limit_comes_from_the_setting(ed):
    from ipsreport.inputs.edition import edition

    low = edition(ed.data_dir, settings={"fidelity_caseload_max": 10})
    assert facts(ed).caseload_met == "er opfyldt"
    assert facts(low).caseload_met == "er ikke opfyldt" and facts(low).caseload_limit == "10"


# --- the twin and a sampled cohort ----------------------------------------------------


def reference_caseloads(ed) -> dict[tuple[str, pd.Timestamp], int]:
    """Caseloads by a plain loop over every day and every registry row (by name)."""
    end = pd.Timestamp(ed.settings.evaluation_end)
    reg = ed.registry
    starts = pd.to_datetime(reg["start_date"])
    first = starts[starts <= end].min()
    out = {}
    for day in pd.date_range(first, end, freq="D"):
        for name, start, stop in zip(reg["consultant"], starts, pd.to_datetime(reg["end_date"])):
            if start <= day and (pd.isna(stop) or stop >= day):
                out[(name, day)] = out.get((name, day), 0) + 1
    return out


def check_against_reference(ed) -> None:
    daily = summarise_caseload_daily(ed)
    reference = reference_caseloads(ed)
    reg = ed.registry
    label = label_of(ed)
    expected = pd.Series({(label[n], d): v for (n, d), v in reference.items()}, dtype="int64")
    got = daily.set_index(["consultant", "date"])["caseload"]
    assert int(got.sum()) == int(expected.sum())
    assert (got[got > 0].sort_index() == expected.sort_index()).all()
    assert set(got[got > 0].index) == set(expected.index)
    summary = summarise_caseload(ed)
    assert summary["consultants"].iloc[-1] == reg["consultant"].nunique()
    per = summary[summary["level"] == "consultant"].set_index("consultant")["peak"]
    peaks = expected.groupby(level=0).max()
    assert per.sort_index().tolist() == peaks.sort_index().tolist()


@pytest.mark.twin
def test_twin_summary(ed):
    summary = summarise_caseload(ed)
    assert summary["consultants"].iloc[-1] == ed.registry["consultant"].nunique() == 4
    assert summary["consultant"].tolist() == ["Konsulent A", "Konsulent B", "Konsulent C", "Konsulent D",
                                              "Alle konsulenter"]
    assert summary["participants"].iloc[-1] == len(ed.registry)
    f = facts(ed)
    assert f.caseload_consultants_n == "4" and f.caseload_limit == "25"
    assert f.caseload_met == "er opfyldt"
    assert f.caseload_finding == "Ingen af konsulenterne var på noget tidspunkt over grænsen."
    assert f.caseload_peak_n == str(int(summary["peak"].max()))
    assert f.caseload_period_end == "1. maj 2025"


@pytest.mark.twin
def test_twin_caseloads_match_a_plain_recount(ed):
    check_against_reference(ed)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A sampled cohort on one site with three consultants: far more than 25 young people each."""
    from ipsreport.inputs.edition import edition
    from ipsreport.synth.sample import write_cohort

    folder = write_cohort(tmp_path_factory.mktemp("crowded"), n=450, sites=1, seed=7)
    return edition(folder)


@pytest.mark.twin
def test_crowded_cohort_matches_a_plain_recount(crowded):
    check_against_reference(crowded)


@pytest.mark.twin
def test_crowded_cohort_is_not_met(crowded):
    from ipsreport.inputs.edition import edition

    values = summarise_caseload_facts(crowded)
    assert values.peak > 25 and values.days_above > 0
    f = facts(crowded)
    assert f.caseload_met == "er ikke opfyldt"
    assert f.caseload_consultants_n == "3"
    assert "var i perioder over grænsen på 25 unge ad gangen" in f.caseload_finding
    text = tab_caseload(crowded).as_raw_html()
    assert "Over grænsen på 25" in text.replace("\u00a0", " ")
    fig = fig_caseload(crowded)  # the team (the default)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Højeste hos én konsulent", "Over grænsen", "Grænse: højst 25", f"Gennemsnit: {f.caseload_mean}",
        "Højeste antal"]
    each = fig_caseload(edition(crowded.data_dir, settings={"caseload_detail": "consultant"}))
    assert [t.get_text() for t in each.legends[0].get_texts()] == [
        "Unge ad gangen", "Over grænsen", "Grænse: højst 25", "Højeste antal"]


# --- team or each consultant ------------------------------------------------------------


def test_team_is_the_default_and_shows_no_consultant(make_edition):
    from ipsreport.config.settings import get_settings

    assert get_settings().caseload_detail == "team"
    ed = small_and_large(make_edition, 3, detail="team")
    text = text_of(tab_caseload(ed))
    assert "Konsulent A" not in text and "Konsulent B" not in text
    # The team's mean, peak and days above the limit are always shown.
    assert "Alle konsulenter (3) 4,5 6 0 0 %" in text
    assert "Den enkelte konsulents tal vises ikke, da de er personaledata." in text
    fig = fig_caseload(ed)
    assert [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()] == [
        "Det højeste antal unge hos én konsulent"]
    assert [t.get_text() for ax in fig.axes for t in ax.texts] == ["6"]  # the team's peak
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Gennemsnit: 4,5" in legend
    f = facts(ed)
    assert f.caseload_detail_sentence == caseload_detail_sentence("team")
    assert f.caseload_peak_n == "6" and f.caseload_mean == "4,5"


def test_detail_sentence():
    assert caseload_detail_sentence("team").startswith("Den enkelte konsulents arbejdsbyrde er personaledata")
    assert "tilfældig rækkefølge" in caseload_detail_sentence("consultant")
    with pytest.raises(ValueError, match="caseload_detail must be one of"):
        caseload_detail_sentence("person")


def test_unknown_detail_is_a_settings_error():
    from ipsreport.config.settings import SettingsError, get_settings

    with pytest.raises(SettingsError, match="caseload_detail"):
        get_settings({"caseload_detail": "person"})


@pytest.mark.parametrize(("min_cell", "expected"), [(3, [None, None, 0, 5, 5, 5]), (0, [2, 1, 0, 5, 5, 5])])
def test_team_figure_hides_what_the_rule_hides(make_edition, min_cell, expected):
    # Mette: 2, 0, 0, 0, 1 young people (days 1-5); Inga: 1 on day 2; August: 5 on days 4-6.
    rows = [("Mette Hansen", "2024-01-01", "2024-01-01")] * 2 + [("Mette Hansen", "2024-01-05", "2024-01-05")]
    rows += [("Inga Berg", "2024-01-02", "2024-01-02")] + [("August Holm", "2024-01-04", "2024-01-06")] * 5
    ed = spells(make_edition, rows, min_cell=min_cell)
    frame = team_plot_frame(ed)
    assert frame["date"].dt.day.tolist() == [1, 2, 3, 4, 5, 6]
    got = [None if pd.isna(v) else int(v) for v in frame["shown"]]
    # Day 1: only a hidden count; day 2: a hidden count and a 0; day 3: only a 0; days 4-6: 5 is shown.
    assert got == expected
    assert frame["active"].all()


# --- small-number rule ----------------------------------------------------------------


def small_and_large(make_edition, min_cell, detail="consultant"):
    rows = [("Mette Hansen", "2024-01-01", None)] * 6 + [("August Holm", "2024-01-02", "2024-01-04")] * 2
    rows += [("Inga Berg", "2024-01-03", None)] * 4
    return spells(make_edition, rows, min_cell=min_cell, caseload_detail=detail)


def test_table_applies_the_small_number_rule(make_edition):
    ed = small_and_large(make_edition, 3)
    label = label_of(ed)
    text = text_of(tab_caseload(ed))
    # August has at most 2 young people at a time: his peak prints as "<3" and his mean is hidden.
    assert f"{label['August Holm']} – <3 0 0 %" in text
    assert f"{label['Inga Berg']} 4,0 4 0 0 %" in text
    assert f"{label['Mette Hansen']} 6,0 6 0 0 %" in text
    assert "Alle konsulenter (3) 4,5 6 0 0 %" in text
    assert "Antal under 3 vises som »<3«" in text
    assert "Konsulenterne er anonymiseret med bogstaver i tilfældig rækkefølge." in text
    # No per-consultant total of young people: nothing to subtract a hidden count from.
    assert "Unge i alt" not in text
    off = text_of(tab_caseload(small_and_large(make_edition, 0)))
    assert f"{label['August Holm']} 2,0 2 0 0 %" in off and "<3" not in off and "Antal under" not in off


def test_figure_draws_no_small_count(make_edition):
    ed = small_and_large(make_edition, 3)
    shown = caseload_plot_frame(ed)["shown"].dropna()
    assert not ((shown > 0) & (shown < 3)).any() and (shown >= 3).any()
    fig = fig_caseload(ed)
    labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "6" in labels and "4" in labels and "2" not in labels
    assert [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()] == [
        "Konsulent A", "Konsulent B", "Konsulent C"]


def test_peak_fact_follows_the_small_number_rule(make_edition):
    ed = spells(make_edition, [("Mette Hansen", "2024-01-01", None)] * 2, min_cell=3)
    assert facts(ed).caseload_peak_n == "<3"
    assert facts(ed).caseload_consultants_n == "1"  # staff, not young people


# --- snapshots ------------------------------------------------------------------------


def test_table_snapshot(fake, html_snapshot):
    assert tab_caseload(fake).as_raw_html() == html_snapshot


def test_table_snapshot_consultants(make_fake, html_snapshot):
    assert tab_caseload(make_fake(caseload_detail="consultant")).as_raw_html() == html_snapshot


def test_table_snapshot_min_cell(make_edition, html_snapshot):
    ed = small_and_large(make_edition, 3)
    assert tab_caseload(ed).as_raw_html() == html_snapshot


@pytest.mark.twin
def test_exported():
    assert ips.tab_caseload is tab_caseload
    assert ips.fig_caseload is fig_caseload
    assert np.issubdtype(summarise_caseload_daily(ips.edition())["caseload"].dtype, np.integer)
