"""The edition comparison on real folders: a made 2026 cohort against the 2025 twin's bundle.

The expected values are computed from the two data folders directly (pandas,
statsmodels, scipy), not through ipsreport's summaries.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from ipsreport.inputs.edition import edition
from ipsreport.results.editions.locate import PreviousError, resolve_previous
from ipsreport.results.editions.record import possibly_shared, shared_persons
from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.pipeline import run, trace
from ipsreport.results import write_bundle
from ipsreport.config.settings import get_settings
from ipsreport.analysis.summaries.editions import summarise_edition_change
from ipsreport.outputs.tables.absent import AbsentTable
from ipsreport.outputs.tables.download import ReportTable
from ipsreport.api import fig_edition_series, tab_edition_change, tab_edition_series
from ipsreport.results.editions.text import edition_change_section, edition_change_text
from next_edition import SETTINGS_2026, read, settings_for, write_2026  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.twin

WHO5 = [f"who5_{i}" for i in range(1, 6)]
MASTERY = ["mastery_1", "mastery_2", "mastery_3"]


@pytest.fixture(scope="module")
def twin_bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("editions") / "2025"
    write_bundle(run(), folder)
    return folder


@pytest.fixture(scope="module")
def cohort_2026(tmp_path_factory):
    return write_2026(tmp_path_factory.mktemp("data") / "2026")


def _scores(folder) -> pd.DataFrame:
    """Each respondent's four scores at start and end, from the CSV files, for those with both answers."""
    def scores(name):
        frame = read(folder, name).set_index("id")
        number = frame.apply(pd.to_numeric, errors="coerce")
        return pd.DataFrame({"who5": number[WHO5].sum(axis=1, min_count=5) * 4,
                             "mastery": number[MASTERY].sum(axis=1, min_count=3),
                             "loneliness": number["loneliness"], "burden": number["burden"]})

    return scores("baseline").merge(scores("followup"), left_index=True, right_index=True, suffixes=("_start", "_end"))


def _expected(previous, current) -> dict:
    """Share differences (Newcombe) and mean differences (Welch), straight from both data folders."""
    out = {}
    reg = {k: read(f, "registry") for k, f in (("p", previous), ("c", current))}
    finished = {k: (r["exit_status"] != "5").sum() for k, r in reg.items()}
    out["enrolled"] = (len(reg["c"]) - len(reg["p"]), None)
    for key, codes in (("success", {"1", "2", "3"}), ("success_job", {"1"}), ("success_education", {"3"})):
        n = {k: r["exit_status"].isin(codes).sum() for k, r in reg.items()}
        low, high = confint_proportions_2indep(n["c"], finished["c"], n["p"], finished["p"], method="newcomb",
                                               compare="diff")
        out[key] = (100 * (n["c"] / finished["c"] - n["p"] / finished["p"]), (100 * low, 100 * high))
    scores = {"p": _scores(previous), "c": _scores(current)}
    for score in ("who5", "mastery", "loneliness", "burden"):
        for time in ("start", "end"):
            column = f"{score}_{time}"
            pair = {k: s.dropna(subset=[f"{score}_start", f"{score}_end"])[column].to_numpy(float)
                    for k, s in scores.items()}
            compare = CompareMeans(DescrStatsW(pair["c"]), DescrStatsW(pair["p"]))
            out[column] = (pair["c"].mean() - pair["p"].mean(), compare.tconfint_diff(usevar="unequal"))
    return out


def test_comparison_equals_an_independent_computation_from_both_data_folders(twin_bundle, cohort_2026):
    from ipsreport.results import read_bundle

    current = run(cohort_2026, SETTINGS_2026)
    change = summarise_edition_change(read_bundle(twin_bundle), current).set_index("indicator")
    for key, (diff, ci) in _expected(SYNTHETIC_DIR, cohort_2026).items():
        assert change.loc[key, "diff"] == pytest.approx(diff), key
        if ci is not None:
            assert (change.loc[key, "ci_low"], change.loc[key, "ci_high"]) == pytest.approx(ci), key
    # The made cohort moved ten exits to job and eased loneliness at the end: both are claimed, nothing else.
    assert change.loc["success", "verdict"] == "up" and change.loc["success_job", "verdict"] == "up"
    assert change.loc["loneliness_end", "verdict"] == "down"
    assert change.loc["who5_end", "verdict"] == "same"


def test_a_cohort_of_the_same_size_and_outcomes_is_on_a_level(twin_bundle, tmp_path):
    same = write_2026(tmp_path / "same", change_outcomes=False)
    from ipsreport.results import read_bundle

    change = summarise_edition_change(read_bundle(twin_bundle), run(same, SETTINGS_2026))
    tested = change[change["method"].isin(["newcombe", "welch"])]
    assert len(tested) >= 10 and set(tested["verdict"]) == {"same"}
    assert set(change.loc[change["kind"] == "count", "verdict"]) == {"same"}


def test_overlapping_ids_are_counted_from_both_data_folders(tmp_path):
    shared = write_2026(tmp_path / "cumulative", new_ids=False)
    ed = edition(shared, get_settings(SETTINGS_2026 | {"data_dir": str(shared)}))
    assert shared_persons(ed, SYNTHETIC_DIR) == 66
    fresh = write_2026(tmp_path / "fresh")
    ed_fresh = edition(fresh, get_settings(SETTINGS_2026 | {"data_dir": str(fresh)}))
    assert shared_persons(ed_fresh, SYNTHETIC_DIR) == 0
    # Without the previous data folder: everyone who started before 1 May 2025 may be in the 2025 edition.
    starts = pd.to_datetime(read(fresh, "registry")["start_date"])
    assert possibly_shared(ed_fresh, "2025-05-01") == int((starts <= "2025-05-01").sum()) > 0


def test_resolve_previous_refuses_an_edition_that_is_not_earlier(twin_bundle):
    with pytest.raises(PreviousError, match="udgaven fra 2025, men denne udgave er fra 2025"):
        resolve_previous(twin_bundle, 2025)
    assert resolve_previous(twin_bundle, 2026).bundles == ((twin_bundle / "resultater").resolve(),)


def _run_2026(folder, previous=None, data=None):
    """The pipeline's run of the 2026 cohort with the settings ``previous`` and ``previous_data`` (as a render sets)."""
    return trace(folder, SETTINGS_2026 | {"previous": previous, "previous_data": data})


def test_tab_edition_change(twin_bundle, cohort_2026):
    alone = _run_2026(cohort_2026)
    assert alone.comparison is None
    assert isinstance(tab_edition_change(alone.comparison), AbsentTable) and str(tab_edition_change(None)) == ""
    assert edition_change_section(None) == "" and edition_change_text(None, "success") == ""
    comp = _run_2026(cohort_2026, twin_bundle, SYNTHETIC_DIR).comparison
    table = tab_edition_change(comp)
    assert isinstance(table, ReportTable)
    html = table.as_raw_html()
    assert ">2025<" in html and ">2026<" in html and ">Vurdering<" in html
    data = table.data.set_index("label")
    assert len(data) == 16
    success = data.loc["Afsluttet til job, fleksjob eller uddannelse (%)"]
    assert success["previous"] == pytest.approx(100 * 26 / 43) and success["current"] == pytest.approx(100 * 36 / 43)
    assert success["verdict"] == "steget"
    assert data.loc["Unge i forløb", "verdict"] == "uændret"
    text = edition_change_text(comp, "success")
    assert text.startswith("Siden udgaven fra 2025 er andelen af de afsluttede, der gik videre til job, fleksjob "
                           "eller uddannelse, steget fra 60 % til 84 % (forskel +23 procentpoint; "
                           "95 %-konfidensinterval 4 til 40).")
    section = edition_change_section(comp)
    assert section.startswith("## Udvikling siden sidste udgave {#sec-konklusion-udvikling}")
    assert "Ingen af de unge i denne udgave indgik i udgaven fra 2025" in section


def test_tab_edition_series_and_figure_over_three_editions(twin_bundle, cohort_2026, tmp_path):
    older = write_2026(tmp_path / "2024", years=-1, change_outcomes=False)
    editions = tmp_path / "editions"
    write_bundle(run(older, settings_for(2024)), editions / "2024")
    shutil.copytree(twin_bundle, editions / "2025")
    one = _run_2026(cohort_2026, twin_bundle).comparison
    assert isinstance(tab_edition_series(one), AbsentTable)  # fewer than two previous editions: absent
    assert isinstance(fig_edition_series(one), AbsentTable)
    both = _run_2026(cohort_2026, editions)
    comp = both.comparison
    table = tab_edition_series(comp)
    assert set(table.data["year"]) == {2024, 2025, 2026} and len(table.data) == 48
    success = table.data[table.data["label"].str.startswith("Afsluttet til job")].set_index("year")
    assert success.loc[2026, "value"] == pytest.approx(100 * 36 / 43)
    assert success.loc[2025, "ci_low"] < success.loc[2025, "value"] < success.loc[2025, "ci_high"]
    # The bundle publishes the series the table shows.
    published = both.results.dataset("tbl-edition-series").frame("edition_series").to_pandas()
    assert list(published["value"].fillna(-1)) == list(comp.series["value"].fillna(-1))
    figure = fig_edition_series(comp)
    assert sum(ax.get_visible() for ax in figure.axes) == 16
    from matplotlib.text import Text
    from test_typography import defects  # the book's typography rules, as for every other figure

    figure.draw_without_rendering()
    texts = [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    assert not [(text, d) for text in texts for d in defects(text)]
    section = edition_change_section(comp)
    assert "alle tre udgaver (2024, 2025 og 2026)" in section
    # What lint counts as referenced by this call (ipsreport.book.lint.GENERATED_REFERENCES) is referenced.
    from ipsreport.book.lint import GENERATED_REFERENCES

    for label in GENERATED_REFERENCES["ips.edition_change_section("]:
        assert f"@{label[0].upper()}{label[1:]}" in section or f"@{label}" in section, label


def test_the_comparison_is_published_in_this_editions_bundle(twin_bundle, cohort_2026, tmp_path):
    from ipsreport.results import read_bundle
    from ipsreport.results.build import check_disclosure

    results = _run_2026(cohort_2026, twin_bundle, SYNTHETIC_DIR).results
    check_disclosure(results)
    write_bundle(results, tmp_path / "book")
    again = read_bundle(tmp_path / "book")
    assert again == results
    rows = {r["indicator"]: r for r in again.dataset("tbl-edition-change").frame("edition_change").rows}
    assert len(rows) == 16
    assert rows["success"]["previous"] == pytest.approx(100 * 26 / 43)
    assert rows["success"]["verdict"] == "up" and rows["success"]["method"] == "newcombe"
    assert rows["success"]["shared"] == 0 and rows["success"]["shared_checked"] is True
    # Without the previous data folder: the persons who started before 1 May 2025 may be shared.
    maybe = _run_2026(cohort_2026, twin_bundle).results
    row = maybe.dataset("tbl-edition-change").frame().rows[2]
    assert row["shared_checked"] is False and row["shared"] == 42 and row["verdict"] == "untested"
