"""Bilag 5 summaries: hand-made editions with known counts."""

from __future__ import annotations

import math

import pytest

from ipsreport.analysis.summaries.supplementary import (
    summarise_effect,
    summarise_experience,
    summarise_statements,
)

COLUMNS = ["variable", "label", "code", "category", "n", "base", "pct"]


def _followup(make_edition, rows):
    return make_edition(followup=[{"still_enrolled": 0, **r} for r in rows])


def test_summarise_experience_known_answer(make_edition):
    # 1, 1, 2, 3 and one missing answer: base 4 (missing excluded).
    ed = _followup(make_edition, [{"experience_overall": c} for c in (1, 1, 2, 3, None)])
    got = summarise_experience(ed)
    assert list(got.columns) == COLUMNS
    assert got["category"].tolist() == ["Meget godt", "Godt", "Hverken godt eller dårligt", "Dårligt", "Meget dårligt"]
    assert got["code"].tolist() == [1, 2, 3, 4, 5]
    assert got["n"].tolist() == [2, 1, 1, 0, 0]
    assert (got["base"] == 4).all()
    assert got["pct"].tolist() == [50.0, 25.0, 25.0, 0.0, 0.0]
    assert (got["variable"] == "experience_overall").all()
    assert got["label"].iloc[0] == "Hvordan har du oplevet dit forløb?"


def test_summarise_effect_known_answer(make_edition):
    ed = _followup(make_edition, [{"overall_effect": c} for c in (2, 2, 2, 5)])
    got = summarise_effect(ed).set_index("code")
    assert got.loc[2, "n"] == 3 and got.loc[5, "n"] == 1
    assert got.loc[2, "pct"] == 75.0
    assert got.loc[1, "category"] == "Meget positivt"


def test_summarise_statements_items_and_bases(make_edition):
    rows = [
        {"statement_clarity": 1, "statement_belief": 2, "statement_hope": 3, "meaning_everyday": 1, "meaning_social": None},
        {"statement_clarity": 1, "statement_belief": 2, "statement_hope": None, "meaning_everyday": 5, "meaning_social": 4},
    ]
    got = summarise_statements(_followup(make_edition, rows))
    assert list(dict.fromkeys(got["variable"])) == [
        "statement_clarity", "statement_belief", "statement_hope", "meaning_everyday", "meaning_social",
    ]
    assert len(got) == 5 * 5  # every item x every category
    bases = got.drop_duplicates("variable").set_index("variable")["base"].to_dict()
    assert bases == {"statement_clarity": 2, "statement_belief": 2, "statement_hope": 1,
                     "meaning_everyday": 2, "meaning_social": 1}
    clarity = got[got["variable"] == "statement_clarity"].set_index("code")
    assert clarity.loc[1, "pct"] == 100.0 and clarity.loc[2, "n"] == 0
    assert clarity["category"].tolist() == ["I meget høj grad", "I høj grad", "I nogen grad", "I mindre grad", "Slet ikke"]
    assert got.groupby("variable")["pct"].sum().tolist() == pytest.approx([100.0] * 5)


def test_summarise_experience_nobody_answered(make_edition):
    got = summarise_experience(_followup(make_edition, [{}, {}]))
    assert (got["n"] == 0).all() and (got["base"] == 0).all()
    assert got["pct"].map(math.isnan).all()


def test_summarise_categories_rejects_codes_outside_scale(make_edition):
    ed = _followup(make_edition, [{"experience_overall": 1}])
    ed.followup.loc[0, "experience_overall"] = 9
    with pytest.raises(ValueError, match="outside its scale"):
        summarise_experience(ed)


def test_summarise_statements_counts_match_raw_data(fake):
    got = summarise_statements(fake)
    for var, sub in got.groupby("variable"):
        answers = fake.followup[var].dropna()
        assert sub["base"].iloc[0] == len(answers)
        expected = answers.value_counts().reindex(sub["code"], fill_value=0).tolist()
        assert sub["n"].tolist() == expected


@pytest.mark.twin
def test_bilag5_summaries_on_synthetic(ed):
    for summarise in (summarise_experience, summarise_statements, summarise_effect):
        got = summarise(ed)
        assert list(got.columns) == COLUMNS
        assert (got["base"] <= len(ed.followup)).all()
        assert got.groupby("variable")["pct"].sum().tolist() == pytest.approx([100.0] * got["variable"].nunique())
