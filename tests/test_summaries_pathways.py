"""Chapter 5 summaries on hand-made editions, and on the synthetic twin."""

import pytest

from ipsreport.analysis.summaries import pathways as pw
from ipsreport.analysis.summaries.target_group import Pooled, combine_codes


def test_summarise_motivation(make_edition):
    ed = make_edition(baseline=[
        {"motivation_change": 1, "motivation_effort": 1, "motivation_influence": 2},
        {"motivation_change": 2, "motivation_effort": 1},
        {"motivation_change": 4, "motivation_effort": 1},
        {"motivation_change": 1, "motivation_effort": 2},
    ])
    out = pw.summarise_motivation(ed)
    assert list(dict.fromkeys(out["variable"])) == ["motivation_change", "motivation_effort", "motivation_influence"]
    assert out["category"].iloc[:4].tolist() == ["Passer præcist", "Passer nogenlunde", "Passer en smule",
                                                   "Passer slet ikke"]
    change = out[out["variable"] == "motivation_change"]
    assert change["n"].tolist() == [2, 1, 0, 1]
    assert change["pct"].tolist() == [50.0, 25.0, 0.0, 25.0]
    influence = out[out["variable"] == "motivation_influence"]
    assert (influence["base"] == 1).all()
    assert combine_codes(out, "motivation_change", [3, 4]).pct == 25.0


def test_summarise_goals(make_edition):
    ed = make_edition(baseline=[{"goal_job": 1, "goal_everyday": 0}, {"goal_job": 1, "goal_everyday": 1}, {}])
    out = pw.summarise_goals(ed).set_index("variable")
    assert out.loc["goal_job", ["n", "base", "pct"]].tolist() == [2, 2, 100.0]
    assert out.loc["goal_everyday", ["n", "base", "pct"]].tolist() == [1, 2, 50.0]


def test_summarise_resources(make_edition):
    ed = make_edition(baseline=[{"surplus": 1, "belief_work": 5}, {"surplus": 3, "belief_work": 5}])
    out = pw.summarise_resources(ed)
    assert list(dict.fromkeys(out["variable"])) == ["surplus", "belief_work"]
    assert out[out["variable"] == "surplus"]["n"].tolist() == [1, 0, 1, 0, 0]
    assert out[out["variable"] == "belief_work"]["pct"].tolist() == [0, 0, 0, 0, 100.0]


def test_summarise_evaluation(make_edition):
    ed = make_edition(followup=[{"eval_support": 1, "eval_influence": 2, "eval_needs": 2}, {"eval_support": 1}])
    out = pw.summarise_evaluation(ed)
    support = out[out["variable"] == "eval_support"]
    assert support["category"].iloc[0] == "I meget høj grad"
    assert support["n"].tolist() == [2, 0, 0, 0, 0]
    assert out[out["variable"] == "eval_needs"]["base"].iloc[0] == 1


def test_summarise_psychiatry_base_is_those_who_answered(make_edition):
    ed = make_edition(followup=[
        {"psych_contact": 1, "psych_dialogue": 1, "psych_support": 2},
        {"psych_contact": 1, "psych_dialogue": 3},
        {"psych_contact": 1},
        {"psych_contact": 0},
    ])
    out = pw.summarise_psychiatry(ed)
    assert combine_codes(out, "psych_contact", [1]) == Pooled(n=3, base=4, pct=75.0)
    assert combine_codes(out, "psych_dialogue", [1, 2]) == Pooled(n=1, base=2, pct=50.0)
    assert combine_codes(out, "psych_support", [1, 2]).base == 1
    assert combine_codes(out, "psych_positive", [1, 2]).base == 0


def test_summarise_placement(make_edition):
    ed = make_edition(followup=[
        {"had_placement": 1, "placement_needs": 1, "placement_clarity": 5},
        {"had_placement": 1, "placement_needs": 5, "placement_clarity": 5},
        {"had_placement": 0},
    ])
    out = pw.summarise_placement(ed)
    assert list(dict.fromkeys(out["variable"])) == ["had_placement", "placement_welcome", "placement_needs",
                                                    "placement_belonging", "placement_clarity"]
    assert combine_codes(out, "had_placement", [1]).n == 2
    assert combine_codes(out, "placement_needs", [5]).pct == 50.0
    assert combine_codes(out, "placement_clarity", [5]).pct == 100.0


def test_summarise_no_placement_duration(make_edition):
    ed = make_edition(followup=[
        {"had_placement": 0, "duration": 1},
        {"had_placement": 0, "duration": 2},
        {"had_placement": 0, "duration": 3},
        {"had_placement": 0},
        {"had_placement": 1, "duration": 1},
    ])
    assert pw.summarise_no_placement_duration(ed).iloc[0].to_dict() == {"n": 4, "short_n": 2, "duration_base": 3}


def test_summarise_exit(make_edition):
    ed = make_edition(registry=[{"exit_status": c} for c in [1, 1, 2, 3, 3, 3, 4, 4, 5, 5]])
    out = pw.summarise_exit(ed)
    assert out["code"].tolist() == [1, 2, 3, 4]  # "Fortsat i forløb" is not an exit
    assert out["n"].tolist() == [2, 1, 3, 2]
    assert (out["base"] == 8).all()
    assert out["pct"].tolist() == [25.0, 12.5, 37.5, 25.0]
    assert out["success"].tolist() == [True, True, True, False]


def test_summarise_exit_nobody_finished(make_edition):
    out = pw.summarise_exit(make_edition(registry=[{"exit_status": 5}]))
    assert (out["n"] == 0).all() and (out["base"] == 0).all() and out["pct"].isna().all()


def test_summarise_registry_counts(make_edition):
    ed = make_edition(
        registry=[
            {"id": "a", "exit_status": 1, "placement_ever": 1, "psychiatry_contact": 1, "uu_guidance": 0,
             "referral_status": 1},
            {"id": "b", "exit_status": 4, "placement_ever": 0, "psychiatry_contact": 0, "uu_guidance": 1,
             "referral_status": 2},
            {"id": "c", "exit_status": 5, "placement_ever": 1, "placement_now": 1, "psychiatry_contact": 1,
             "uu_guidance": 0, "referral_status": 2},
            {"id": "d", "exit_status": 5, "placement_ever": 1, "placement_now": 0, "psychiatry_contact": 0,
             "uu_guidance": 0, "referral_status": 2},
        ],
        baseline=[{"id": "a"}, {"id": "b"}, {"id": "c"}],
        followup=[{"id": "a", "still_enrolled": 0}, {"id": "c", "still_enrolled": 1}],
    )
    out = pw.summarise_registry_counts(ed)
    got = {m: (int(r["n"]), int(r["base"])) for m, r in out.iterrows()}
    assert got == {
        "registry": (4, 4), "finished": (2, 4), "active": (2, 4), "success": (1, 2),
        "placement_ever": (3, 4), "placement_now": (1, 2), "psychiatry_contact": (2, 4),
        "uu_guidance": (1, 4), "aktivitetsparat": (1, 4), "uddannelsesparat": (3, 4),
        "baseline": (3, 4), "followup": (2, 4), "followup_of_baseline": (2, 3),
        "followup_enrolled": (1, 2), "followup_finished": (1, 2),
    }
    assert out.loc["success", "pct"] == 50.0


# --- the synthetic twin against the printed 2025 edition -------------------------


@pytest.mark.twin
def test_synthetic_table_5(ed):
    out = pw.summarise_motivation(ed)
    top = {v: round(combine_codes(out, v, [1]).pct) for v in dict.fromkeys(out["variable"])}
    assert top == {"motivation_change": 62, "motivation_effort": 78, "motivation_influence": 69}


@pytest.mark.twin
def test_synthetic_table_7(ed):
    out = pw.summarise_evaluation(ed)
    top = {v: round(combine_codes(out, v, [1]).pct) for v in dict.fromkeys(out["variable"])}
    assert top == {"eval_support": 67, "eval_influence": 74, "eval_needs": 70}


@pytest.mark.twin
def test_synthetic_table_8_and_success(ed):
    out = pw.summarise_exit(ed)
    assert out.loc[out["success"], "n"].tolist() == [9, 3, 14]
    assert out["base"].iloc[0] == 43
    counts = pw.summarise_registry_counts(ed)
    assert (counts.loc["registry", "n"], counts.loc["active", "n"], counts.loc["success", "n"]) == (66, 23, 26)
    assert (counts.loc["placement_ever", "n"], counts.loc["placement_now", "n"]) == (48, 19)
    assert counts.loc["psychiatry_contact", "n"] == 33


@pytest.mark.twin
def test_synthetic_psychiatry_and_placement(ed):
    psych = pw.summarise_psychiatry(ed)
    assert combine_codes(psych, "psych_contact", [1]).n == 16
    assert (combine_codes(psych, "psych_dialogue", [1, 2]).n, combine_codes(psych, "psych_dialogue", [1, 2]).base) == (9, 14)
    placement = pw.summarise_placement(ed)
    assert (combine_codes(placement, "had_placement", [1]).n, combine_codes(placement, "had_placement", [1]).base) == (28, 43)
    assert pw.summarise_no_placement_duration(ed)["short_n"].item() == 5
