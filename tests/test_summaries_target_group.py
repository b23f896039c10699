"""Chapter 4 summaries on hand-made editions with known answers, and on the
synthetic twin against the printed 2025 tables."""

import re

import numpy as np
import pytest

from ipsreport.analysis.summaries import target_group as tg

DURATION_CATEGORIES = [
    "Under 2 måneder", "2–4 måneder", "4–6 måneder", "6–8 måneder",
    "8–10 måneder", "10–12 måneder", "Over 12 måneder",
]


def test_summarise_duration(make_edition):
    ed = make_edition(followup=[{"duration": 1}, {"duration": 1}, {"duration": 2}, {"duration": 7}, {}])
    out = tg.summarise_duration(ed)
    assert list(out.columns) == tg.SUMMARY_COLUMNS
    assert out["category"].tolist() == DURATION_CATEGORIES  # codebook order
    assert out["n"].tolist() == [2, 1, 0, 0, 0, 0, 1]
    assert (out["base"] == 4).all()  # the empty answer is not in the base
    assert out["pct"].tolist() == [50.0, 25.0, 0.0, 0.0, 0.0, 0.0, 25.0]
    assert (out["variable"] == "duration").all()
    assert (out["label"] == "Forløbets varighed").all()


def test_summarise_duration_empty_edition(make_edition):
    out = tg.summarise_duration(make_edition())
    assert len(out) == 7
    assert (out["n"] == 0).all() and (out["base"] == 0).all()
    assert out["pct"].isna().all()


def test_all_missing_item(make_edition):
    out = tg.summarise_duration(make_edition(followup=[{}, {}, {}]))
    assert (out["base"] == 0).all() and out["pct"].isna().all()


def test_single_respondent(make_edition):
    out = tg.summarise_duration(make_edition(followup=[{"duration": 3}]))
    assert out.loc[out["code"] == 3, "pct"].item() == 100.0
    assert out["n"].sum() == 1


def test_unknown_code_is_an_error(make_edition):
    ed = make_edition(followup=[{"duration": 9}])
    with pytest.raises(ValueError, match="not in the codebook"):
        tg.summarise_duration(ed)


def test_summarise_categories_several_variables_keep_their_own_base(make_edition):
    ed = make_edition(baseline=[{"gender": 1, "education": 2}, {"gender": 2}, {"gender": 2}])
    out = tg.summarise_categories(ed, "baseline", ["gender", "education"])
    assert out.groupby("variable", sort=False)["base"].first().to_dict() == {"gender": 3, "education": 1}


def test_combine_codes(make_edition):
    ed = make_edition(followup=[{"duration": c} for c in [1, 2, 2, 4, 7, 7, 7, 5]])
    out = tg.summarise_duration(ed)
    pooled = tg.combine_codes(out, "duration", [4, 5, 6, 7])
    assert pooled == tg.Pooled(n=5, base=8, pct=62.5)
    assert tg.combine_codes(out, "duration", 7).n == 3
    with pytest.raises(KeyError):
        tg.combine_codes(out, "nope", [1])
    with pytest.raises(KeyError):
        tg.combine_codes(out, "duration", [99])


def test_summarise_age(make_edition):
    ed = make_edition(baseline=[{"age": 16}, {"age": 29}, {"age": 21}, {"age": 20}, {}])
    row = tg.summarise_age(ed).iloc[0]
    assert (row["n"], row["min"], row["max"]) == (4, 16, 29)
    assert row["mean"] == pytest.approx(21.5)
    assert row["over20_n"] == 2  # 29 and 21; 20 is not over 20
    assert row["over20_pct"] == 50.0


def test_summarise_age_empty(make_edition):
    row = tg.summarise_age(make_edition()).iloc[0]
    assert row["n"] == 0 and np.isnan(row["mean"]) and np.isnan(row["over20_pct"])


def test_summarise_background(make_edition):
    ed = make_edition(baseline=[
        {"gender": 1, "age": 16, "education": 2, "work_experience": 1, "work_experience_years": 2.0},
        {"gender": 2, "age": 29, "education": 2, "work_experience": 0},
        {"gender": 2, "age": 22, "work_experience": 1, "work_experience_years": 4.0},
    ])
    out = tg.summarise_background(ed)
    assert list(dict.fromkeys(out["section"])) == [
        "Køn", "Alder", "Højest afsluttede eksamen", "Erhvervserfaring før opstart i IPS UNG"]
    gender = out[out["variable"] == "gender"]
    assert gender["n"].tolist() == [1, 2, 0]
    ages = out[out["variable"] == "age"].set_index("category")["value"]
    assert ages.to_dict() == {"Yngst": 16.0, "Ældst": 29.0, "Gennemsnit": pytest.approx(22.3333, abs=1e-4)}
    education = out[out["variable"] == "education"]
    assert education["base"].iloc[0] == 2 and education["n"].sum() == 2
    assert out.loc[(out["variable"] == "work_experience") & (out["code"] == 1), "pct"].item() == pytest.approx(200 / 3)
    assert tg.summarise_work_experience_years(ed).iloc[0].to_dict() == {"n": 2, "mean": 3.0, "median": 3.0}


def test_summarise_status(make_edition):
    ed = make_edition(registry=[{"referral_status": 1}, {"referral_status": 2}, {"referral_status": 2}])
    out = tg.summarise_status(ed)
    assert out["category"].tolist() == ["Aktivitetsparat", "Uddannelsesparat"]
    assert out["n"].tolist() == [1, 2]


def test_summarise_supports_base_is_who_answered(make_edition):
    ed = make_edition(baseline=[
        {"support_psychiatry": 1, "support_mentor": 1},
        {"support_psychiatry": 0, "support_mentor": 1},
        {"support_psychiatry": 1},
    ])
    out = tg.summarise_supports(ed).set_index("variable")
    assert list(out.index) == ["support_psychiatry", "support_mentor", "support_psychologist",
                               "support_assessment", "support_home_guide", "support_other"]
    assert (out["code"] == 1).all() and (out["category"] == "Ja").all()
    assert out.loc["support_psychiatry", ["n", "base"]].tolist() == [2, 3]
    assert out.loc["support_mentor", ["n", "base"]].tolist() == [2, 2]
    assert out.loc["support_mentor", "pct"] == 100.0
    assert out.loc["support_other", "base"] == 0


def test_summarise_duration_months(make_edition):
    ed = make_edition(
        registry=[
            {"start_date": "2024-01-01", "end_date": "2024-07-01", "exit_status": 1},  # 182 days
            {"start_date": "2024-11-01", "exit_status": 5},  # open: until 2025-05-01 = 181 days
        ],
        evaluation_end="2025-05-01",
    )
    row = tg.summarise_duration_months(ed).iloc[0]
    month = 365.25 / 12
    assert row["n"] == 2 and row["n_finished"] == 1
    assert row["mean"] == pytest.approx((182 + 181) / 2 / month)
    assert row["mean_finished"] == pytest.approx(182 / month)


# --- the synthetic twin against the printed 2025 tables ---------------------------


@pytest.mark.twin
def test_synthetic_table_1(ed):
    assert tg.summarise_duration(ed)["n"].tolist() == [2, 6, 9, 7, 6, 3, 10]


@pytest.mark.twin
def test_synthetic_table_2(ed):
    out = tg.summarise_background(ed)
    counts = out[out["code"].notna()].groupby("variable", sort=False)["n"].apply(list).to_dict()
    assert counts["gender"] == [24, 29, 2]
    assert counts["education"] == [4, 27, 15, 1, 2, 0, 0]
    assert counts["work_experience"] == [47, 8]
    ages = out[out["variable"] == "age"].set_index("category")["value"]
    assert (ages["Yngst"], ages["Ældst"]) == (16, 29)
    assert round(ages["Gennemsnit"]) == 22


@pytest.mark.twin
def test_synthetic_table_3(ed):
    assert tg.summarise_status(ed)["n"].tolist() == [28, 38]


@pytest.mark.twin
def test_synthetic_table_4(ed):
    out = tg.summarise_supports(ed)
    assert out["n"].tolist() == [13, 11, 8, 7, 3, 12]
    assert (out["base"] == 55).all()


CATEGORY_KEY = re.compile(r"^(registry|baseline|followup)\.([a-z0-9_]+)\.(n|pct)\.([0-9+]+)$")
BASE_KEY = re.compile(r"^(registry|baseline|followup)\.([a-z0-9_]+)\.base$")


@pytest.mark.twin
def test_synthetic_category_counts_match_published(ed, published):
    """Every published count/percentage of a category (``<dataset>.<var>.n|pct.<codes>``)
    and base, recomputed with :func:`summarise_categories`, within its tolerance."""
    checked = 0
    for key, entry in published.items():
        match = CATEGORY_KEY.match(key)
        base_match = BASE_KEY.match(key)
        if match:
            dataset, variable, stat, codes = match.groups()
        elif base_match:
            dataset, variable = base_match.groups()
            stat, codes = "base", None
        else:
            continue
        if ed.codebook[dataset][variable].type != "category":
            continue
        summary = tg.summarise_categories(ed, dataset, variable)
        if stat == "base":
            computed = summary["base"].iloc[0]
        else:
            computed = getattr(tg.combine_codes(summary, variable, [int(c) for c in codes.split("+")]), stat)
        # A correction of the edition is checked against the corrected number (ipsreport.analysis.published).
        expected = entry.get("corrected", entry["value"])
        assert abs(computed - expected) <= entry["tolerance"] + 1e-9, (key, computed, entry)
        checked += 1
    assert checked >= 100
