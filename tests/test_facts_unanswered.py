"""A survey item nobody answered: its share is unknown, never "ingen" (see Fact.nobody_answered).

An optional item every respondent left blank, or one asked of nobody, has a
base of 0: printing its share as "ingen" or its count as "0 ud af 0" would
read as if everyone answered and none chose the answer.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsreport.outputs.facts import facts
from test_facts import hand_made


def _nobody_asked(make_edition, min_cell=0):
    """hand_made, but no respondent reports contact with psychiatry: nobody answers the three psychiatry items."""
    ed = hand_made(make_edition, min_cell=min_cell)
    followup = ed.followup.copy()
    followup["psych_contact"] = followup["psych_contact"].where(followup["psych_contact"].isna(), 0)
    for item in ("psych_dialogue", "psych_support", "psych_positive"):
        followup[item] = pd.Series(pd.NA, index=followup.index, dtype=followup[item].dtype)
    return replace(ed, followup=followup)


@pytest.mark.parametrize("min_cell", [0, 3])
def test_a_share_of_nobody_does_not_read_as_none(make_edition, min_cell):
    """An optional item nobody answered has no share: the prose says so, never "ingen" or "0 ud af 0"."""
    from ipsreport.outputs.facts.fact import NO_ANSWERS, NO_ANSWERS_COUNT

    # hand_made's baseline asks nothing about goals or education: every respondent left those items blank.
    f = facts(hand_made(make_edition, min_cell=min_cell))
    assert f.fact("goal_job_pct").base == 0
    assert f.goal_job_pct == NO_ANSWERS == "en ukendt andel (ingen har svaret)"
    assert f.share_words("goal_job_pct") == NO_ANSWERS
    # The count behind it is no count of people either ("(0 unge) vil gerne ...").
    assert f.fact("goal_everyday_n").base == 0
    assert f.goal_everyday_n == NO_ANSWERS_COUNT == "et ukendt antal"
    assert f.words("goal_everyday_n") == NO_ANSWERS_COUNT
    assert f.edu_higher_mvu_lvu_sentence == ("Det vides ikke, hvor mange der har en mellemlang eller lang "
                                             "videregående uddannelse, for ingen har svaret på spørgsmålet.")
    # Nobody reports contact with psychiatry, so nobody is asked the three psychiatry items.
    f = facts(_nobody_asked(make_edition, min_cell))
    # A count of answers: nobody said yes. Its value is 0; a sentence prints "ingen" ("Ingen har haft kontakt
    # ...", never "0 har haft kontakt"), as a count of 0 always does (fact.NOBODY, tests/test_prose_context.py).
    assert f.raw("psych_contact_n") == 0 and f.psych_contact_n == "ingen"
    assert f.psych_dialogue_pct == NO_ANSWERS and f.psych_dialogue_of == NO_ANSWERS_COUNT
    # One answer is a base (the boundary): a share of people again.
    f = facts(hand_made(make_edition))
    assert f.fact("psych_dialogue_pct").base == 5 and f.psych_dialogue_pct == "40 %"
    assert f.female_pct == "75 %" and f.other_gender_pct == "0 %"  # nobody among those who answered


@given(kind=st.sampled_from(["pct", "of", "count"]), n=st.integers(0, 50), base=st.integers(0, 50),
       min_cell=st.integers(0, 5), nobody_answered=st.booleans())
def test_a_fact_of_nobody_prints_no_number(kind, n, base, min_cell, nobody_answered):
    """The rule behind Fact.render: an unanswered item prints the unknown phrase, anything else a number."""
    from ipsreport.outputs.facts.fact import NO_ANSWERS, NO_ANSWERS_COUNT, Fact

    n = min(n, base)
    value = {"pct": 100 * n / base if base else 0.0, "of": n, "count": n}[kind]
    text = Fact(value, kind, n=n, base=base, nobody_answered=nobody_answered).render(min_cell)
    unknown = NO_ANSWERS if kind == "pct" else NO_ANSWERS_COUNT
    assert (text == unknown) == nobody_answered
    # A share of an empty registry group, and a count of nobody (no base needed), print "ingen".
    assert nobody_answered or any(c.isdigit() for c in text) or (
        text == "ingen" and ((kind == "pct" and base == 0) or (kind == "count" and n == 0)))


def test_only_a_survey_base_of_nobody_is_unanswered(make_edition):
    """A base of 0 is "nobody answered" for a survey item only: a registry group may simply be empty."""
    # Nobody still enrolled: the share of the active in a placement has a base of 0, which is no gap in the data.
    ed = hand_made(make_edition)
    registry = ed.registry[ed.registry["exit_status"] != 5].reset_index(drop=True)
    f = facts(replace(ed, registry=registry))
    assert f.fact("placement_now_pct").base == 0 and not f.fact("placement_now_pct").nobody_answered
    assert f.placement_now_pct == "ingen"
    # The boundary: a survey base of 0 is unanswered, of 1 it is a share again.
    f = facts(hand_made(make_edition))
    assert f.fact("goal_job_pct").nobody_answered
    baseline = ed.baseline.copy()
    baseline.loc[0, "goal_job"] = 0
    f = facts(replace(ed, baseline=baseline))
    assert f.fact("goal_job_pct").base == 1 and not f.fact("goal_job_pct").nobody_answered
    assert f.goal_job_pct == "0 %"  # the one who answered did not choose it
