"""Chapter 6 paired statistics: hand-made editions with known answers and
oracle tests against direct scipy calls."""

from __future__ import annotations

from dataclasses import replace

import math

import pandas as pd
import pytest
from scipy import stats

from ipsreport.analysis.scoring import edition_scores, mastery_index, who5_score
from ipsreport.analysis.summaries.mental_health import (
    PAIRED_COLUMNS,
    SCORES,
    _paired_values,
    summarise_paired,
    summarise_paired_long,
    summarise_paired_means,
    summarise_who5_bands,
)

CONTRACT_COLUMNS = ["score", "label", "n", "mean_start", "mean_end", "diff", "ci_low", "ci_high",
                    "t", "p_ttest", "w", "p_wilcoxon", "significant"]


def _who5(total: int) -> dict:
    """Five WHO-5 items (0-5) summing to ``total`` (score = 4 * total)."""
    items, left = [], total
    for _ in range(5):
        v = min(5, left)
        items.append(v)
        left -= v
    assert left == 0
    return {f"who5_{i + 1}": v for i, v in enumerate(items)}


def _pairs(make_edition, start: list[dict], end: list[dict], **settings):
    """Edition where respondent i answered ``start[i]`` and ``end[i]``."""
    baseline = [{"id": f"p{i}", **row} for i, row in enumerate(start)]
    followup = [{"id": f"p{i}", "still_enrolled": 0, **row} for i, row in enumerate(end)]
    return make_edition(baseline=baseline, followup=followup, **settings)


# --- known answers ---------------------------------------------------------

def test_summarise_paired_known_answer(make_edition):
    # loneliness 1,2,3,4 -> 2,2,4,5: differences 1,0,1,1; mean 0.75, sd 0.5,
    # se 0.25, t = 3 on 3 df.
    ed = _pairs(make_edition, [{"loneliness": v} for v in (1, 2, 3, 4)],
                [{"loneliness": v} for v in (2, 2, 4, 5)])
    row = summarise_paired(ed, edition_scores(ed), "loneliness").iloc[0]
    assert row["n"] == 4
    assert row["mean_start"] == pytest.approx(2.5)
    assert row["mean_end"] == pytest.approx(3.25)
    assert row["diff"] == pytest.approx(0.75)
    assert row["t"] == pytest.approx(3.0)
    # p = 2 * P(T_3 > 3) = 0.05767 (t table); CI 0.75 -/+ 3.1824 * 0.25.
    assert row["p_ttest"] == pytest.approx(0.057669, abs=1e-5)
    assert row["ci_low"] == pytest.approx(0.75 - 3.182446 * 0.25, abs=1e-5)
    assert row["ci_high"] == pytest.approx(0.75 + 3.182446 * 0.25, abs=1e-5)
    # Wilcoxon drops the zero difference: ranks of 1,1,1 are all positive,
    # so the smaller rank sum is 0.
    assert row["w"] == 0
    assert not row["significant"]  # 0.058 > alpha 0.05
    assert row["reason"] == ""


def test_summarise_paired_significance_follows_alpha(make_edition):
    start = [{"loneliness": v} for v in (1, 2, 3, 4)]
    end = [{"loneliness": v} for v in (2, 2, 4, 5)]
    lenient, strict = _pairs(make_edition, start, end, alpha=0.1), _pairs(make_edition, start, end, alpha=0.05)
    assert bool(summarise_paired(lenient, edition_scores(lenient), "loneliness")["significant"].iloc[0])
    assert not bool(summarise_paired(strict, edition_scores(strict), "loneliness")["significant"].iloc[0])


def test_summarise_paired_who5_missing_item_drops_only_that_score(make_edition):
    start = [{**_who5(10), "burden": 3}, {**_who5(12), "burden": 2}, {**_who5(15), "burden": 4}]
    end = [{**_who5(12), "burden": 3}, {**_who5(13), "burden": 1}, {**_who5(20), "burden": 4}]
    end[2]["who5_3"] = None  # respondent 3 has no WHO-5 score at the end
    ed = _pairs(make_edition, start, end)
    frame = summarise_paired(ed, edition_scores(ed)).set_index("score")
    assert frame.loc["who5", "n"] == 2
    assert frame.loc["who5", "mean_start"] == pytest.approx((40 + 48) / 2)
    assert frame.loc["who5", "mean_end"] == pytest.approx((48 + 52) / 2)
    assert frame.loc["burden", "n"] == 3
    assert frame.loc["mastery", "n"] == 0  # nobody answered the mastery items


def test_summarise_paired_frame_shape_and_labels(make_edition):
    ed = _pairs(make_edition, [{"loneliness": 2}], [{"loneliness": 3}])
    frame = summarise_paired(ed, edition_scores(ed))
    assert list(frame.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert list(frame.columns) == PAIRED_COLUMNS
    assert frame["score"].tolist() == ["who5", "mastery", "loneliness", "burden"]
    mastery = frame.set_index("score").loc["mastery"]
    # Three items scored 1-4 give 3-12 (the 2025 report said 4-12).
    assert "3–12" in mastery["label"]
    assert (mastery["scale_min"], mastery["scale_max"]) == (3, 12)
    assert frame["significant"].dtype == bool


def test_summarise_paired_all_missing(make_edition):
    ed = _pairs(make_edition, [{"loneliness": 2}, {"loneliness": 3}], [{}, {}])
    row = summarise_paired(ed, edition_scores(ed), "loneliness").iloc[0]
    assert row["n"] == 0
    assert all(math.isnan(row[c]) for c in ["mean_start", "mean_end", "diff", "ci_low", "t", "p_ttest", "w"])
    assert not row["significant"]
    assert "0 unge" in row["reason"]


def test_summarise_paired_single_respondent(make_edition):
    ed = _pairs(make_edition, [{"burden": 2}], [{"burden": 4}])
    row = summarise_paired(ed, edition_scores(ed), "burden").iloc[0]
    assert (row["n"], row["mean_start"], row["mean_end"], row["diff"]) == (1, 2, 4, 2)
    assert math.isnan(row["p_ttest"]) and math.isnan(row["p_wilcoxon"]) and math.isnan(row["ci_low"])
    assert "mindst 2" in row["reason"]


def test_summarise_paired_all_zero_differences(make_edition):
    ed = _pairs(make_edition, [{"burden": v} for v in (2, 3, 4)], [{"burden": v} for v in (2, 3, 4)])
    row = summarise_paired(ed, edition_scores(ed), "burden").iloc[0]
    assert row["diff"] == 0 and row["ci_low"] == 0 and row["ci_high"] == 0
    assert math.isnan(row["t"]) and math.isnan(row["w"])
    assert not row["significant"]
    assert "ingen af de unge har ændret" in row["reason"]


def test_summarise_paired_constant_nonzero_differences(make_edition):
    # Every respondent rose by exactly 1: t is undefined, Wilcoxon is not.
    ed = _pairs(make_edition, [{"burden": v} for v in (1, 2, 3)], [{"burden": v} for v in (2, 3, 4)])
    row = summarise_paired(ed, edition_scores(ed), "burden").iloc[0]
    assert math.isnan(row["p_ttest"])
    assert row["p_wilcoxon"] == pytest.approx(stats.wilcoxon([1, 1, 1]).pvalue)
    assert row["reason"]


def test_summarise_paired_joins_by_id_not_position(make_edition):
    baseline = [{"id": "a", "loneliness": 1}, {"id": "b", "loneliness": 5}, {"id": "c", "loneliness": 3}]
    followup = [{"id": "b", "still_enrolled": 0, "loneliness": 4}, {"id": "a", "still_enrolled": 0, "loneliness": 2}]
    ed = make_edition(baseline=baseline, followup=followup)
    row = summarise_paired(ed, edition_scores(ed), "loneliness").iloc[0]
    # Pairs: a 1->2, b 5->4; c has no follow-up and is left out.
    assert (row["n"], row["mean_start"], row["mean_end"], row["diff"]) == (2, 3, 3, 0)
    long = summarise_paired_long(ed, edition_scores(ed), "loneliness")
    assert long.to_dict("list") == {
        "id": ["a", "b", "a", "b"],
        "time": ["Start", "Start", "Afslutning", "Afslutning"],
        "value": [1.0, 5.0, 2.0, 4.0],
    }


def test_summarise_paired_no_paired_respondents(make_edition):
    ed = make_edition(baseline=[{"id": "a", "loneliness": 2}], followup=[])
    frame = summarise_paired(ed, edition_scores(ed))
    assert len(frame) == 4 and (frame["n"] == 0).all()
    long = summarise_paired_long(ed, edition_scores(ed), "who5")
    assert long.empty and list(long.columns) == ["id", "time", "value"]
    bands = summarise_who5_bands(ed, edition_scores(ed))
    assert len(bands) == 6 and (bands["n"] == 0).all() and bands["pct"].isna().all()


def test_summarise_paired_unknown_score(make_edition):
    with pytest.raises(KeyError, match="unknown score"):
        made = make_edition()
        summarise_paired(made, edition_scores(made), "happiness")


def test_summarise_who5_bands_known_answer(make_edition):
    # Scores (sum x 4): start 32, 36, 48, 52 -> bands 1, 2, 2, 3;
    #                   end   36, 52, 52, 100 -> bands 2, 3, 3, 3.
    start = [_who5(t) for t in (8, 9, 12, 13)]
    end = [_who5(t) for t in (9, 13, 13, 25)]
    ed = _pairs(make_edition, start, end)
    bands = summarise_who5_bands(ed, edition_scores(ed))
    assert list(bands.columns) == ["band", "label", "time", "n", "base", "pct"]
    got = bands.set_index(["time", "band"])
    assert got["n"].to_dict() == {("start", 1): 1, ("start", 2): 2, ("start", 3): 1,
                                  ("end", 1): 0, ("end", 2): 1, ("end", 3): 3}
    assert (bands["base"] == 4).all()
    assert got.loc[("start", 2), "pct"] == 50.0
    assert got.loc[("end", 3), "pct"] == 75.0
    assert got.loc[("start", 1), "label"] == "Meget lav trivsel (0–35)"


def test_summarise_paired_means_known_answer(make_edition):
    ed = _pairs(make_edition, [{"loneliness": v} for v in (1, 3)], [{"loneliness": v} for v in (2, 2)])
    means = summarise_paired_means(ed, edition_scores(ed), "loneliness").set_index("time")
    assert means.loc["start", "mean"] == 2 and means.loc["end", "mean"] == 2
    half = stats.t.ppf(0.975, 1) * math.sqrt(2) / math.sqrt(2)
    assert means.loc["start", "ci_high"] == pytest.approx(2 + half)
    assert means.loc["end", "sd"] == 0


# --- oracle: direct scipy calls on a seeded random edition -------------------

@pytest.mark.parametrize("score", ["who5", "mastery", "loneliness", "burden"])
def test_summarise_paired_matches_scipy(fake, score):
    compute = {"who5": who5_score, "mastery": mastery_index,
               "loneliness": lambda f: f["loneliness"].astype("Float64"),
               "burden": lambda f: f["burden"].astype("Float64")}[score]
    start = pd.Series(compute(fake.baseline).to_numpy(), index=fake.baseline["id"])
    end = pd.Series(compute(fake.followup).to_numpy(), index=fake.followup["id"])
    both = pd.concat({"s": start, "e": end}, axis=1, join="inner").dropna().astype(float)
    assert len(both) > 10  # the fake edition has enough pairs to test
    row = summarise_paired(fake, edition_scores(fake), score).iloc[0]
    t = stats.ttest_rel(both["e"], both["s"])
    w = stats.wilcoxon(both["e"], both["s"])
    ci = t.confidence_interval(0.95)
    assert row["n"] == len(both)
    assert row["mean_start"] == pytest.approx(both["s"].mean())
    assert row["mean_end"] == pytest.approx(both["e"].mean())
    assert row["diff"] == pytest.approx((both["e"] - both["s"]).mean())
    assert row["t"] == pytest.approx(t.statistic)
    assert row["p_ttest"] == pytest.approx(t.pvalue)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
    assert row["w"] == pytest.approx(w.statistic)
    assert row["p_wilcoxon"] == pytest.approx(w.pvalue)
    assert row["significant"] == (t.pvalue < fake.settings.alpha)


def test_summarise_paired_long_matches_summary(fake):
    for score in ["who5", "mastery", "loneliness", "burden"]:
        long = summarise_paired_long(fake, edition_scores(fake), score)
        row = summarise_paired(fake, edition_scores(fake), score).iloc[0]
        means = long.groupby("time")["value"].mean()
        assert len(long) == 2 * row["n"]
        assert means["Start"] == pytest.approx(row["mean_start"])
        assert means["Afslutning"] == pytest.approx(row["mean_end"])


def test_summarise_who5_bands_sum_to_100(fake):
    bands = summarise_who5_bands(fake, edition_scores(fake))
    n = summarise_paired(fake, edition_scores(fake), "who5")["n"].iloc[0]
    assert (bands["base"] == n).all()
    assert bands.groupby("time")["pct"].sum().tolist() == pytest.approx([100.0, 100.0])
    assert bands.groupby("time")["n"].sum().tolist() == [n, n]


# --- the synthetic twin reproduces the published chapter 6 --------------------

@pytest.mark.twin
def test_summarise_paired_synthetic_matches_2025_report(ed):
    frame = summarise_paired(ed, edition_scores(ed)).set_index("score")
    assert (frame["n"] == 40).all()
    # As printed in chapter 6 of the 2025 edition (WHO-5 as whole numbers).
    assert round(frame.loc["who5", "mean_start"]) == 49
    assert round(frame.loc["who5", "mean_end"]) == 51
    # Means of 40 answers are multiples of 1/40, so a printed two-decimal
    # value can be reached only to within half a unit of its last digit
    # (e.g. 3,22 for burden at the end: the nearest attainable mean is 3.225).
    for score, start, end in [("mastery", 7.85, 8.03), ("loneliness", 2.83, 2.70), ("burden", 3.10, 3.22)]:
        assert frame.loc[score, "mean_start"] == pytest.approx(start, abs=0.0051)
        assert frame.loc[score, "mean_end"] == pytest.approx(end, abs=0.0051)
    assert not frame["significant"].any()  # "Ingen af ændringerne er statistisk signifikante"


@pytest.mark.twin
def test_summarise_who5_bands_synthetic_matches_2025_report(ed):
    got = summarise_who5_bands(ed, edition_scores(ed)).set_index(["time", "band"])["pct"]
    expected = {("start", 1): 27.5, ("start", 2): 25.0, ("start", 3): 47.5,
                ("end", 1): 25.0, ("end", 2): 17.5, ("end", 3): 57.5}
    for key, value in expected.items():
        assert got[key] == pytest.approx(value)


def _paired_by_string_merge(ed, score: str) -> pd.DataFrame:
    """The join as first written (merge on the string ids) of the scores as first computed, as an oracle."""
    compute = {"who5": who5_score, "mastery": mastery_index}.get(score, lambda frame: frame[score].astype("Float64"))
    base = pd.DataFrame({"id": ed.baseline["id"], "start": compute(ed.baseline).to_numpy()})
    follow = pd.DataFrame({"id": ed.followup["id"], "end": compute(ed.followup).to_numpy()})
    joined = follow.merge(base, on="id", how="inner", validate="one_to_one")
    joined = joined.dropna(subset=["start", "end"]).set_index("id").sort_index()
    return joined[["start", "end"]].astype("Float64")


@pytest.mark.parametrize("score", ["who5", "mastery", "loneliness", "burden"])
def test_paired_values_match_a_string_merge(make_fake, score):
    # Follow-up ids in another order than the baseline's, some baseline rows unpaired.
    ed = make_fake(seed=11, n_registry=80, n_baseline=70, n_followup=50)
    ed = replace(ed, followup=ed.followup.iloc[::-1].reset_index(drop=True))
    pd.testing.assert_frame_equal(_paired_values(ed, edition_scores(ed), score), _paired_by_string_merge(ed, score))


@pytest.mark.twin
def test_paired_values_are_joined_once_per_edition(ed, monkeypatch):
    import dataclasses

    import ipsreport.analysis.summaries.mental_health as mh

    fresh = dataclasses.replace(ed)  # a new Edition object: nothing cached yet
    calls = []
    real = mh._join_positions
    monkeypatch.setattr(mh, "_join_positions", lambda e: calls.append(e) or real(e))
    first = summarise_paired(fresh, edition_scores(fresh))
    again = summarise_paired(fresh, edition_scores(fresh))
    summarise_paired_long(fresh, edition_scores(fresh), "who5")
    summarise_who5_bands(fresh, edition_scores(fresh))
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, again)
    for score in SCORES:
        pd.testing.assert_frame_equal(_paired_values(fresh, edition_scores(fresh), score), _paired_by_string_merge(fresh, score))
    # Callers get a copy: changing it does not reach the cache.
    pairs = _paired_values(fresh, edition_scores(fresh), "burden")
    pairs["start"] = 0.0
    assert (_paired_values(fresh, edition_scores(fresh), "burden")["start"] > 0).all()
    # Another edition (fewer follow-up rows) is joined afresh, not served stale.
    fewer = dataclasses.replace(ed, followup=ed.followup.iloc[:10].reset_index(drop=True))
    assert summarise_paired(fewer, edition_scores(fewer), "burden")["n"].iloc[0] <= 10
    assert len(calls) == 2
