"""The edition comparison's rules on hand-made editions: verdicts at their boundary, intervals, symmetry, wording.

No twin, no render: each edition is an :class:`EditionRecord` built from the
same schema objects a results bundle holds.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

from ipsreport.results.editions.compare import Comparison
from ipsreport.results.editions.locate import PreviousError, find_bundles
from ipsreport.results.editions.record import INDICATORS, EditionRecord
from ipsreport.results.editions.text import _why_untested, change_sentence, overlap_sentence
from ipsreport.analysis.evidence import edition_change
from ipsreport.results.schema import (
    Column, ColumnKind as K, Dataset, FactKind, FactRecord, Frame, Suppression,
)
from ipsreport.analysis.summaries.editions import newcombe_interval, summarise_edition_change, welch_interval

pytestmark = pytest.mark.unit


# -- the verdict, at its boundary ----------------------------------------------------------------------------------


def test_edition_change_claims_a_change_only_when_the_interval_excludes_zero():
    assert edition_change(5, 0.001, 9) == "up"
    assert edition_change(5, 0.0, 9) == "same"  # the interval touches 0: no change claimed
    assert edition_change(-5, -9, -0.001) == "down"
    assert edition_change(-5, -9, 0.0) == "same"
    assert edition_change(0.5, -1, 2) == "same"
    assert edition_change(float("nan"), -1, 2) == "untested"
    assert edition_change(3, float("nan"), float("nan")) == "untested"  # no interval: no test


def test_edition_change_of_an_exact_count_follows_its_sign():
    assert edition_change(1, None, None, exact=True) == "up"
    assert edition_change(-1, None, None, exact=True) == "down"
    assert edition_change(0, None, None, exact=True) == "same"


# -- hand-made editions --------------------------------------------------------------------------------------------


def _fact(key: str, kind: FactKind, value, n=None, base=None, hidden: bool = False) -> FactRecord:
    return FactRecord(key=key, kind=kind, value=None if hidden else value, text=str(value), n=None if hidden else n,
                      base=base, suppression=Suppression.PRIMARY if hidden else Suppression.SHOWN, description="",
                      rule="min_cell", reads=None, source=None, variables=())


def _frame(name: str, columns: dict, rows: list[dict]) -> Frame:
    return Frame(name=name, source="test:made", columns=tuple(Column(name=c, kind=k) for c, k in columns.items()),
                 rows=tuple(rows))


def _record(year: int, enrolled: int, finished: int, exits: dict[int, int], means: dict[str, tuple],
            peak: int = 12, caseload_mean: float = 6.0, min_cell: int = 0) -> EditionRecord:
    """``exits``: exit code -> persons; ``means``: score -> (n, mean_start, sd_start, mean_end, sd_end)."""
    success = sum(exits.get(c, 0) for c in (1, 2, 3))
    facts = {"registry_n": _fact("registry_n", FactKind.COUNT, enrolled, enrolled, enrolled),
             "finished_n": _fact("finished_n", FactKind.COUNT, finished, finished, enrolled),
             "success_pct": _fact("success_pct", FactKind.PCT, 100 * success / finished, success, finished)}
    exit_rows = [{"code": c, "n": n, "base": finished, "pct": 100 * n / finished, "suppression": ""}
                 for c, n in exits.items()]
    sets = {"tbl-exit": Dataset(label="tbl-exit", function="tab_exit", frames=(_frame(
        "exit", {"code": K.CODE, "n": K.COUNT, "base": K.COUNT, "pct": K.SHARE, "suppression": K.STATE},
        exit_rows),)),
        "tbl-caseload": Dataset(label="tbl-caseload", function="tab_caseload", frames=(_frame(
            "caseload", {"level": K.LABEL, "mean": K.STATISTIC, "peak": K.COUNT, "peak_suppressed": K.STATE},
            [{"level": "programme", "mean": caseload_mean, "peak": peak, "peak_suppressed": ""}]),))}
    for score, (n, m0, s0, m1, s1) in means.items():
        sets[f"fig-{score}"] = Dataset(label=f"fig-{score}", function=f"fig_{score}", frames=(_frame(
            "paired", {"n": K.COUNT, "mean_start": K.STATISTIC, "sd_start": K.STATISTIC, "mean_end": K.STATISTIC,
                       "sd_end": K.STATISTIC, "withheld": K.STATE},
            [{"n": n, "mean_start": m0, "sd_start": s0, "mean_end": m1, "sd_end": s1, "withheld": False}]),))
    return EditionRecord(year, min_cell, f"{year}-05-01", facts, sets)


_MEANS = {"who5": (40, 49.0, 18.0, 51.0, 19.0), "mastery": (40, 7.85, 2.1, 8.03, 1.9),
          "loneliness": (40, 2.83, 1.1, 2.7, 1.0), "burden": (40, 3.1, 1.2, 3.23, 1.1)}


def test_shares_get_newcombe_and_means_welch_as_computed_directly():
    before = _record(2025, 66, 43, {1: 9, 2: 3, 3: 14, 4: 17}, _MEANS)
    after = _record(2026, 80, 50, {1: 20, 2: 3, 3: 14, 4: 13},
                    {**_MEANS, "who5": (45, 55.0, 17.0, 60.0, 16.0)})
    change = summarise_edition_change(before, after).set_index("indicator")
    low, high = confint_proportions_2indep(37, 50, 26, 43, method="newcomb", compare="diff")
    assert change.loc["success", "diff"] == pytest.approx(100 * (37 / 50 - 26 / 43))
    assert (change.loc["success", "ci_low"], change.loc["success", "ci_high"]) == pytest.approx(
        (100 * low, 100 * high))
    # Welch from the summaries equals scipy's Welch test on data with exactly these means and SDs.
    rng = np.random.default_rng(1)

    def sample(n, mean, sd):
        x = rng.normal(size=n)
        return mean + sd * (x - x.mean()) / x.std(ddof=1)

    new, old = sample(45, 60.0, 16.0), sample(40, 51.0, 19.0)
    ci = stats.ttest_ind(new, old, equal_var=False).confidence_interval(0.95)
    assert (change.loc["who5_end", "ci_low"], change.loc["who5_end", "ci_high"]) == pytest.approx(
        (ci.low, ci.high))
    assert change.loc["enrolled", "diff"] == 14 and change.loc["enrolled", "method"] == "exact"
    assert change.loc["enrolled", "verdict"] == "up"
    assert change.loc["success", "verdict"] == edition_change(change.loc["success", "diff"], 100 * low, 100 * high)


def test_the_same_cohort_is_on_a_level_with_itself():
    edition = _record(2025, 66, 43, {1: 9, 2: 3, 3: 14, 4: 17}, _MEANS)
    change = summarise_edition_change(edition, _record(2026, 66, 43, {1: 9, 2: 3, 3: 14, 4: 17}, _MEANS))
    tested = change[change["method"].isin(["newcombe", "welch"])]
    assert len(tested) == 12 and set(tested["verdict"]) == {"same"}
    comp = Comparison(change, 2025, 2026, 0, True, 0)
    row = change.set_index("indicator").loc["success"].to_dict() | {"indicator": "success"}
    sentence = change_sentence(row, comp)
    assert "på niveau med udgaven fra 2025" in sentence and "steget" not in sentence


def test_shared_persons_stop_the_independent_tests_and_are_reported():
    before = _record(2025, 66, 43, {1: 9, 2: 3, 3: 14, 4: 17}, _MEANS)
    after = _record(2026, 80, 50, {1: 20, 2: 3, 3: 14, 4: 13}, _MEANS)
    change = summarise_edition_change(before, after, shared=30)
    estimates = change[change["kind"].isin(["share", "mean"])]
    assert set(estimates["verdict"]) == {"untested"} and estimates["ci_low"].isna().all()
    comp = Comparison(change, 2025, 2026, 30, True, 3)
    assert overlap_sentence(comp).startswith("30 unge indgår i begge udgaver")
    row = change.set_index("indicator").loc["success"].to_dict() | {"indicator": "success"}
    assert change_sentence(row, comp) == ("Andelen af de afsluttede, der gik videre til job, fleksjob eller "
                                          "uddannelse, var 60 % i udgaven fra 2025 og er 74 % i denne udgave.")
    assert _why_untested(comp) == "Forskellene er ikke testet, fordi de to udgaver deler personer."
    assert "kan dele personer" in _why_untested(Comparison(change, 2025, 2026, 30, False, 3))
    # A shared count below the rule is printed hidden.
    assert overlap_sentence(Comparison(change, 2025, 2026, 2, True, 3)).startswith("<3 unge")
    assert overlap_sentence(Comparison(change, 2025, 2026, 3, True, 3)).startswith("3 unge")


def test_a_value_hidden_in_either_edition_is_not_compared():
    before = _record(2025, 66, 43, {1: 9, 2: 3, 3: 14, 4: 17}, _MEANS)
    after = _record(2026, 80, 50, {1: 20, 2: 3, 3: 14, 4: 13}, _MEANS)
    facts = dict(after.facts, success_pct=_fact("success_pct", FactKind.PCT, 70.0, 35, 50, hidden=True))
    after = EditionRecord(after.year, 3, after.evaluation_end, facts, after.datasets)
    row = summarise_edition_change(before, after).set_index("indicator").loc["success"]
    assert row["verdict"] == "hidden" and math.isnan(row["diff"])


_count = st.integers(min_value=0, max_value=60)


@settings(max_examples=60, deadline=None)
@given(exits_a=st.tuples(_count, _count, _count, _count), exits_b=st.tuples(_count, _count, _count, _count),
       mean_a=st.floats(20, 80), mean_b=st.floats(20, 80), sd_a=st.floats(1, 30), sd_b=st.floats(1, 30),
       n_a=st.integers(2, 200), n_b=st.integers(2, 200))
def test_swapping_the_editions_negates_every_difference_and_mirrors_its_interval(
        exits_a, exits_b, mean_a, mean_b, sd_a, sd_b, n_a, n_b):
    def make(year, exits, mean, sd, n):
        finished = max(sum(exits), 1)
        return _record(year, finished + 5, finished, dict(zip((1, 2, 3, 4), exits)),
                       {s: (n, mean, sd, mean + 1, sd) for s in _MEANS}, peak=n % 20 + 3, caseload_mean=mean / 10)

    a, b = make(2025, exits_a, mean_a, sd_a, n_a), make(2026, exits_b, mean_b, sd_b, n_b)
    ab = summarise_edition_change(a, b).set_index("indicator")
    ba = summarise_edition_change(b, a).set_index("indicator")
    for key in (ind.key for ind in INDICATORS):
        assert ab.loc[key, "diff"] == pytest.approx(-ba.loc[key, "diff"], abs=1e-9, nan_ok=True)
        assert ab.loc[key, "ci_low"] == pytest.approx(-ba.loc[key, "ci_high"], abs=1e-6, nan_ok=True)
        assert ab.loc[key, "ci_high"] == pytest.approx(-ba.loc[key, "ci_low"], abs=1e-6, nan_ok=True)
        flipped = {"up": "down", "down": "up"}.get(ab.loc[key, "verdict"], ab.loc[key, "verdict"])
        assert ba.loc[key, "verdict"] == flipped


def test_interval_helpers_pin_known_values():
    # 26/43 against 26/43: a symmetric interval around 0.
    low, high = newcombe_interval(26, 43, 26, 43)
    assert low == pytest.approx(-high) and high == pytest.approx(19.875415, abs=1e-5)
    assert all(math.isnan(x) for x in welch_interval(5, 1, 1, 4, 1, 10))  # one respondent: no interval


# -- --previous DIR ----------------------------------------------------------------------------------------------


def test_find_bundles_refuses_in_danish_and_names_the_path(tmp_path):
    with pytest.raises(PreviousError, match=r"--previous .*nothing.*findes ikke. Forventet: en tidligere udgaves"):
        find_bundles(tmp_path / "nothing")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(PreviousError, match="det er en fil, ikke en mappe"):
        find_bundles(tmp_path / "file.txt")
    with pytest.raises(PreviousError, match="indeholder intet resultatsæt"):
        find_bundles(tmp_path)


def test_find_bundles_takes_a_bundle_an_output_folder_or_a_folder_of_editions(tmp_path):
    for year in (2024, 2025):
        (tmp_path / "editions" / str(year) / "resultater").mkdir(parents=True)
        (tmp_path / "editions" / str(year) / "resultater" / "bundle.json").write_text("{}")
    one = tmp_path / "editions" / "2025"
    assert find_bundles(one) == ((one / "resultater").resolve(),)
    assert find_bundles(one / "resultater") == ((one / "resultater").resolve(),)
    assert len(find_bundles(tmp_path / "editions")) == 2


def test_a_schema_1_bundle_without_spreads_compares_means_without_an_interval():
    before = _record(2025, 66, 43, {1: 9, 2: 3, 3: 14, 4: 17}, _MEANS)
    # A version-1 bundle's paired frames have no sd_start/sd_end columns.
    old_sets = {label: (Dataset(label=label, function=d.function, frames=(_frame(
        "paired", {"n": K.COUNT, "mean_start": K.STATISTIC, "mean_end": K.STATISTIC, "withheld": K.STATE},
        [{k: v for k, v in d.frames[0].rows[0].items() if not k.startswith("sd_")}]),))
        if label.startswith("fig-") else d) for label, d in before.datasets.items()}
    old = EditionRecord(2025, 0, "2025-05-01", before.facts, old_sets)
    change = summarise_edition_change(old, _record(2026, 66, 43, {1: 9, 2: 3, 3: 14, 4: 17}, _MEANS))
    means = change[change["kind"] == "mean"]
    assert set(means["verdict"]) == {"untested"} and set(means["method"]) == {"none"}
    assert (means["diff"] == 0).all()
    assert _why_untested(Comparison(change, 2025, 2026, 0, False, 0)) == (
        "Forskellene er ikke testet, fordi udgaven fra 2025 ikke har de tal, et konfidensinterval kræver.")
