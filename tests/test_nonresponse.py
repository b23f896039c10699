"""Non-response (issue 20): summarise_nonresponse ↔ Disclosed.nonresponse ↔ tab_nonresponse (tbl-nonresponse)
↔ the representativeness sentence of chapter 3 and Bilag 6."""

from __future__ import annotations

from dataclasses import replace

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ipsreport.analysis.scoring import edition_scores
from ipsreport.analysis import scoring
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.outputs.facts import Facts
from ipsreport.outputs.facts.sources import NONRESPONSE
from ipsreport.analysis.summaries.nonresponse import AGE_SPLIT, summarise_nonresponse
from ipsreport.outputs.tables import tab_nonresponse
from test_tables import text_of  # tests/ is on sys.path under pytest

WHO5_ITEMS = ("who5_1", "who5_2", "who5_3", "who5_4", "who5_5")


def _person(i: int, *, age: int, gender: int, education: int, who5_item: int, mastery_item: int) -> dict:
    row = {"id": f"p{i}", "age": age, "gender": gender, "education": education}
    row.update({item: who5_item for item in WHO5_ITEMS})
    row.update({f"mastery_{k}": mastery_item for k in (1, 2, 3)})
    return row


def known_edition(make_edition, **settings):
    """Eight start respondents: p1-p4 answered at the end, p5-p8 did not.

    * age: all four respondents are 18, all four others 25: the two-by-two table [[4, 0], [0, 4]];
    * WHO-5 items 1, 2, 3, 3 against 4, 5, 5, 5 (scores 20, 40, 60, 60 against 80, 100, 100, 100);
    * gender, education and referral status the same in both groups.
    """
    who5 = [1, 2, 3, 3, 4, 5, 5, 5]
    baseline = [_person(i, age=18 if i <= 4 else 25, gender=1 + i % 2, education=2, who5_item=who5[i - 1],
                        mastery_item=2 + i % 2) for i in range(1, 9)]
    registry = [{"id": f"p{i}", "referral_status": 1 + i % 2, "exit_status": 4} for i in range(1, 9)]
    followup = [{"id": f"p{i}", "still_enrolled": 0} for i in range(1, 5)]
    return make_edition(registry=registry, baseline=baseline, followup=followup, **settings)


def test_summarise_nonresponse_known_answers(make_edition):
    known = known_edition(make_edition)
    frame = summarise_nonresponse(known, edition_scores(known))
    age = frame[frame["variable"] == "age_group"].set_index(["code", "group"])
    assert age.loc[(1, "responded"), "n"] == 4 and age.loc[(1, "not_responded"), "n"] == 0
    assert age.loc[(2, "not_responded"), "pct"] == 100.0
    # Fisher, two-sided, [[4, 0], [0, 4]]: two tables as extreme of C(8, 4) = 70.
    assert age["p"].iloc[0] == pytest.approx(2 / 70)
    # Welch: means 45 and 95, variances 1100/3 and 300/3; df from Welch-Satterthwaite.
    who5 = frame[frame["variable"] == "who5"].set_index("group")
    assert who5.loc["responded", "mean"] == 45 and who5.loc["not_responded", "mean"] == 95
    v1, v2 = (1100 / 3) / 4, (300 / 3) / 4
    t = (45 - 95) / math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1 ** 2 / 3 + v2 ** 2 / 3)
    assert who5["p"].iloc[0] == pytest.approx(2 * stats.t.sf(abs(t), df))
    gender = frame[frame["variable"] == "gender"]
    assert gender["p"].iloc[0] == pytest.approx(1.0)  # two and two in each group
    assert list(frame.columns) == ["variable", "label", "kind", "code", "category", "group", "n", "base", "pct",
                                   "mean", "sd", "decimals", "test", "p"]
    assert set(frame.loc[frame["kind"] == "category", "test"]) == {"fisher"}
    assert set(frame.loc[frame["kind"] == "score", "test"]) == {"welch"}


def test_summarise_nonresponse_against_scipy(fake):
    """Oracle: every p-value equals a direct scipy call on a cross-table built independently here."""
    frame = summarise_nonresponse(fake, edition_scores(fake))
    answered = fake.baseline["id"].isin(fake.followup["id"])
    registry = fake.registry.set_index("id")["referral_status"]
    split = {
        "age_group": fake.baseline["age"].astype(float).gt(AGE_SPLIT).where(fake.baseline["age"].notna()),
        "gender": fake.baseline["gender"].astype(float).eq(2).where(fake.baseline["gender"].notna()),
        "education": fake.baseline["education"].astype(float).le(2).where(fake.baseline["education"].notna()),
        "referral_status": pd.Series(registry.reindex(fake.baseline["id"]).to_numpy(), dtype=float).eq(1),
    }
    for variable, values in split.items():
        known = values.notna().to_numpy()
        table = pd.crosstab(values[known].astype(bool).to_numpy(), answered[known].to_numpy()).to_numpy()
        expected = stats.fisher_exact(table).pvalue
        assert frame.loc[frame["variable"] == variable, "p"].iloc[0] == pytest.approx(expected), variable
    for variable, score in (("who5", scoring.who5_score), ("mastery", scoring.mastery_index)):
        values = score(fake.baseline).astype(float)
        a, b = values[answered & values.notna()], values[~answered & values.notna()]
        expected = stats.ttest_ind(a, b, equal_var=False).pvalue
        assert frame.loc[frame["variable"] == variable, "p"].iloc[0] == pytest.approx(expected), variable


def test_disclosed_nonresponse_hides_a_whole_table_and_its_test(make_edition):
    """One respondent of 20 or younger among the non-respondents: with the rule on, the age table and its
    p-value are gone (its margins would give the cell back), the rest stays."""
    ed = known_edition(make_edition, min_cell=3)
    ed.baseline.loc[ed.baseline["id"] == "p5", "age"] = 18
    frame = disclosed(ed).nonresponse
    age = frame[frame["variable"] == "age_group"]
    assert age["n"].isna().all() and age["p"].isna().all() and age["p_hidden"].all()
    assert sorted(age["suppression"]) == ["primary", "secondary", "secondary", "secondary"]
    who5 = frame[frame["variable"] == "who5"]  # four in each group: shown, with its test
    assert who5["mean"].notna().all() and who5["p"].notna().all()
    assert disclosed(known_edition(make_edition, min_cell=0)).nonresponse["p"].notna().all()


def test_disclosed_nonresponse_hides_means_of_a_small_group(make_edition):
    ed = known_edition(make_edition, min_cell=5)  # four in each group
    frame = disclosed(ed).nonresponse
    scores = frame[frame["kind"] == "score"]
    assert scores["mean"].isna().all() and scores["p"].isna().all() and scores["base"].isna().all()


def test_tab_nonresponse(make_edition):
    text = text_of(tab_nonresponse(known_edition(make_edition)).gt)
    assert "Svarede ved afslutning (N: 4)" in text and "Svarede ikke ved afslutning (N: 4)" in text
    assert f"{AGE_SPLIT} år eller yngre 4 (100 %) 0 (0 %) 0,029" in text
    assert "Trivsel ved start (WHO-5, 0–100) Gennemsnit 45 95" in text
    assert "Fishers eksakte test" in text and "Welchs t-test" in text
    withheld = text_of(tab_nonresponse(known_edition(make_edition, min_cell=5)).gt)
    assert "Tabellen vises ikke" in withheld and "45" not in withheld


def test_tab_nonresponse_download_has_no_hidden_value(make_edition):
    ed = known_edition(make_edition, min_cell=3)
    ed.baseline.loc[ed.baseline["id"] == "p5", "age"] = 18
    data = tab_nonresponse(ed).data
    age = data[data["label"] == "Alder ved start"]
    assert age["n"].isna().all() and age["p"].isna().all()


# --------------------------------------------------------------------------- the sentence


def _frame(p_by_variable: dict[str, float], sizes=(43, 12)) -> pd.DataFrame:
    """A disclosed non-response frame with the given p-values (others 0,5) and fixed shares and means."""
    rows = []
    for variable in ("age_group", "gender", "referral_status", "education"):
        for code, (a, b) in ((1, (42.0, 8.0)), (2, (58.0, 92.0))):
            for group, pct, base in (("responded", a, sizes[0]), ("not_responded", b, sizes[1])):
                rows.append({"variable": variable, "kind": "category", "code": code, "group": group, "pct": pct,
                             "base": base, "n": round(pct * base / 100), "mean": np.nan, "decimals": 0,
                             "p": p_by_variable.get(variable, 0.5)})
    for variable, (a, b), places in (("who5", (48.0, 33.0), 0), ("mastery", (7.81, 7.67), 2)):
        for group, mean, base in (("responded", a, sizes[0]), ("not_responded", b, sizes[1])):
            rows.append({"variable": variable, "kind": "score", "code": pd.NA, "group": group, "pct": np.nan,
                         "base": base, "n": base, "mean": mean, "decimals": places,
                         "p": p_by_variable.get(variable, 0.5)})
    return pd.DataFrame(rows)


def _sentence(make_edition, frame, **settings) -> Facts:
    f = Facts(make_edition(alpha=0.05, **settings))
    f._summaries[NONRESPONSE] = frame
    return f


def test_sentence_names_the_differences_the_tests_find(make_edition):
    f = _sentence(make_edition, _frame({"age_group": 0.041, "who5": 0.012}))
    assert f.nonresponse_sentence == (
        "De 12, der ikke svarede ved afslutning, adskilte sig ved start fra dem, der svarede: en større andel af dem "
        "var over "
        f"{AGE_SPLIT} år (92 % mod 58 %), og de havde lavere trivsel (WHO-5-gennemsnit 33 mod 48). Der er ingen "
        "statistisk signifikant forskel i køn, status ved opstart, uddannelse eller mestring og selvværd. Svarene ved "
        "afslutning kommer altså især fra de unge, der havde det bedre ved start, og kan give et for lyst billede af "
        "hele gruppen.")
    assert f.nonresponse_vs_reference.startswith("Denne udgave kommer dermed til et andet resultat end evalueringen fra 2025")


def test_p_equal_to_alpha_is_no_difference(make_edition):
    f = _sentence(make_edition, _frame({"who5": 0.05}))
    assert "adskilte sig ved start ikke statistisk signifikant" in f.nonresponse_sentence
    assert f.nonresponse_vs_reference.startswith("Det svarer til resultatet i evalueringen fra 2025")


def test_no_difference_is_representativeness_only_when_a_large_one_could_be_found(make_edition):
    small = _sentence(make_edition, _frame({}, sizes=(43, 12))).nonresponse_sentence
    assert "selv store forskelle kunne være overset" in small and "ser derfor ud til" not in small
    large = _sentence(make_edition, _frame({}, sizes=(400, 120))).nonresponse_sentence
    assert "ser derfor ud til at repræsentere alle, der begyndte" in large


def test_untested_variables_are_said_to_be_untested(make_edition):
    frame = _frame({"who5": 0.5})
    frame.loc[frame["variable"] == "education", "p"] = np.nan
    text = _sentence(make_edition, frame).nonresponse_sentence
    assert text.endswith("En eventuel forskel i uddannelse kan ikke vises, fordi tallene er for små.")
    assert "uddannelse" not in text.split(". En eventuel forskel")[0]


def test_hidden_group_sizes(make_edition):
    frame = _frame({})
    frame.loc[frame["group"] == "not_responded", "base"] = pd.NA
    f = _sentence(make_edition, frame, min_cell=3)
    assert f.nonresponse_n == "<3"
    assert "kan ikke vises" in f.nonresponse_sentence and f.nonresponse_vs_reference == ""


@pytest.mark.twin
def test_the_twin_says_what_its_data_say(ed):
    """On the twin those who did not answer had lower WHO-5 at the start (33 against 48; Welch p = 0,012), unlike
    the 2025 edition's judgement; the book must say so, not repeat the edition."""
    f = Facts(ed)
    assert f.nonresponse_n == "12"
    assert "lavere trivsel (WHO-5-gennemsnit 33 mod 48)" in f.nonresponse_sentence
    assert f.nonresponse_vs_reference.startswith("Denne udgave kommer dermed til et andet resultat end evalueringen fra 2025")


def test_tab_nonresponse_with_nobody_missing(make_edition):
    ed = known_edition(make_edition)
    ed = replace(ed, followup=pd.concat([ed.followup, ed.followup.assign(id=[f"p{i}" for i in range(5, 9)])], ignore_index=True))
    text = text_of(tab_nonresponse(ed).gt)
    assert text.startswith("Der er ingen at sammenligne") and "p-værdi" not in text
    assert Facts(ed).nonresponse_sentence == "Alle, der svarede ved start, svarede også ved afslutning."
