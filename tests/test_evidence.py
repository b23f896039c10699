"""Claims follow evidence (issue 20): every rule of :mod:`ipsreport.analysis.evidence` at its boundary, the Danish
wording it leads to, and one caveat shared by the note under Table 9, chapter 7 and the conclusion."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsreport.analysis import evidence
from ipsreport.analysis.evidence import CLEAR_OR, EPV_LOW, EPV_MIN
from ipsreport.outputs.facts import Facts
from ipsreport.outputs.facts import regression_prose as rp
from ipsreport.outputs.facts.sources import PAIRED, REGRESSION
from ipsreport.analysis.models import RegressionResult, fit_logit

ALPHA = 0.05
BELOW = math.nextafter(ALPHA, 0)  # the largest p-value that is significant


# --------------------------------------------------------------------------- the rules at their boundaries


@pytest.mark.parametrize(("p", "expected"), [(BELOW, True), (ALPHA, False), (0.06, False), (float("nan"), False),
                                             (None, False)])
def test_significant_means_p_below_alpha(p, expected):
    assert evidence.significant(p, ALPHA) is expected


@pytest.mark.parametrize(("diff", "low", "high", "p", "expected"), [
    (0.4, 0.1, 0.7, BELOW, "up"),
    (0.4, 0.1, 0.7, ALPHA, "same"),            # p = alpha: no change claimed
    (0.4, 0.0, 0.8, BELOW, "same"),            # interval touching 0
    (0.4, math.nextafter(0, 1), 0.8, BELOW, "up"),
    (-0.4, -0.8, 0.0, BELOW, "same"),          # touching 0 from below
    (-0.4, -0.8, -0.1, BELOW, "down"),
    (0.4, float("nan"), float("nan"), BELOW, "up"),  # no interval: the p-value decides
    (0.4, 0.1, 0.7, float("nan"), "untested"),
    (float("nan"), 0.1, 0.7, BELOW, "untested"),
])
def test_change_verdict_at_its_boundaries(diff, low, high, p, expected):
    assert evidence.change(diff, low, high, p, ALPHA) == expected


@pytest.mark.parametrize(("odds", "low", "high", "p", "expected"), [
    (2.2, 1.2, 4.0, BELOW, "higher"),
    (2.2, 1.2, 4.0, ALPHA, "none"),
    (2.2, 1.0, 4.0, BELOW, "none"),           # interval touching 1
    (0.47, 0.22, 1.0, BELOW, "none"),
    (0.47, 0.22, math.nextafter(1, 0), BELOW, "lower"),
    (0.47, 0.22, 0.95, 0.053, "none"),        # 2025's burden row: profile interval excludes 1, p does not pass
    (float("nan"), 0.2, 0.9, BELOW, "untested"),
])
def test_association_verdict_at_its_boundaries(odds, low, high, p, expected):
    assert evidence.association(odds, low, high, p, ALPHA) == expected


@pytest.mark.parametrize(("verdict", "low", "high", "expected"), [
    ("higher", CLEAR_OR, 5.0, True), ("higher", math.nextafter(CLEAR_OR, 0), 5.0, False),
    ("lower", 0.1, 1 / CLEAR_OR, True), ("lower", 0.1, math.nextafter(1 / CLEAR_OR, 1), False),
    ("none", 3.0, 5.0, False),
])
def test_clearly_needs_the_whole_interval_beyond_a_doubling(verdict, low, high, expected):
    assert evidence.clearly(verdict, low, high) is expected


@pytest.mark.parametrize(("events", "n", "k", "level"), [
    (EPV_MIN * 10, EPV_MIN * 20, 10, "adequate"),          # exactly ten per variable
    (EPV_MIN * 10 - 1, EPV_MIN * 20, 10, "uncertain"),     # 9,9
    (EPV_LOW * 10, EPV_LOW * 25, 10, "uncertain"),         # exactly five per variable (smaller group: events)
    (EPV_LOW * 10 - 1, EPV_LOW * 25, 10, "weak"),          # 4,9
    (20, 34, 10, "weak"),                                  # the twin: 14 / 10 = 1,4
    (0, 10, 0, "weak"),
])
def test_support_levels_at_their_boundaries(events, n, k, level):
    assert evidence.support(events, n, k)[0] == level


@given(diff=st.floats(-5, 5), half=st.floats(0, 5), p=st.floats(0, 1))
@settings(max_examples=200, deadline=None)
def test_a_change_is_named_only_when_p_and_interval_agree(diff, half, p):
    low, high = diff - half, diff + half
    verdict = evidence.change(diff, low, high, p, ALPHA)
    if verdict in ("up", "down"):
        assert p < ALPHA and (low > 0 or high < 0)
    else:
        assert verdict == "same" and (p >= ALPHA or low <= 0 <= high or diff == 0)


@given(log_or=st.floats(-3, 3), half=st.floats(0, 3), p=st.floats(0, 1))
@settings(max_examples=200, deadline=None)
def test_an_association_is_named_only_when_p_and_interval_agree(log_or, half, p):
    odds, low, high = math.exp(log_or), math.exp(log_or - half), math.exp(log_or + half)
    verdict = evidence.association(odds, low, high, p, ALPHA)
    if verdict in ("higher", "lower"):
        assert p < ALPHA and (low > 1 or high < 1)
        assert evidence.clearly(verdict, low, high) == (low >= CLEAR_OR or high <= 1 / CLEAR_OR)
    else:
        assert verdict == "none" and not evidence.clearly(verdict, low, high)


def test_a_large_difference_is_found_reliably_only_in_large_enough_groups():
    # Two-sided t-test, d = 0,8, 80 % power: 26 per group are needed (Cohen 1988, table 2.4.1).
    assert evidence.detects_large_difference(26, 26, ALPHA)
    assert not evidence.detects_large_difference(25, 25, ALPHA)
    assert not evidence.detects_large_difference(12, 43, ALPHA)  # the twin's non-respondents
    assert not evidence.detects_large_difference(1, 400, ALPHA)


# --------------------------------------------------------------------------- change sentences (chapter 6)


def _paired(rows: dict) -> pd.DataFrame:
    """A paired frame: score -> (start, end, ci_low, ci_high, p)."""
    frame = []
    for score in ("who5", "mastery", "loneliness", "burden"):
        start, end, low, high, p = rows.get(score, (5.0, 5.1, -0.3, 0.5, 0.6))
        frame.append({"score": score, "n": 40, "mean_start": start, "mean_end": end, "diff": end - start,
                      "ci_low": low, "ci_high": high, "p_ttest": p, "significant": p < ALPHA, "reason": ""})
    return pd.DataFrame(frame)


def _facts_with(make_edition, paired: pd.DataFrame) -> Facts:
    f = Facts(make_edition(alpha=ALPHA))
    f._summaries[PAIRED] = paired
    return f


@pytest.mark.parametrize(("row", "expected"), [
    ((7.85, 8.60, 0.20, 1.30, BELOW),
     "Det er en statistisk signifikant stigning: 95 %-konfidensintervallet for ændringen går fra 0,20 til 1,30. "
     "Mestring og selvværd steg altså fra start til afslutning."),
    ((7.85, 8.60, 0.20, 1.30, ALPHA), "Mestring og selvværd ligger dermed på niveau med starten."),
    ((7.85, 8.03, 0.0, 0.36, BELOW), "Mestring og selvværd ligger dermed på niveau med starten."),
    ((7.85, 8.03, -0.61, 0.96, 0.66), "går fra \u22120,61 til 0,96 og rummer både et fald og en stigning"),
    ((8.60, 7.85, -1.30, -0.20, BELOW), "Det er et statistisk signifikant fald"),
])
def test_change_sentence_follows_the_test(make_edition, row, expected):
    f = _facts_with(make_edition, _paired({"mastery": row}))
    assert expected in f.mastery_change_sentence
    claimed = "steg" in f.mastery_change_sentence or "faldt" in f.mastery_change_sentence
    assert claimed == (row[4] < ALPHA and (row[2] > 0 or row[3] < 0))


def test_chapter_six_does_not_repeat_one_no_change_sentence_four_times(make_edition):
    """Read aloud, four identical 'ikke signifikant' paragraphs sound like a form (issue 20)."""
    f = _facts_with(make_edition, _paired({}))  # no score changes; every interval spans zero
    texts = [getattr(f, f"{s}_change_sentence") for s in ("mastery", "loneliness", "who5", "burden")]
    assert texts[0].startswith("Forskellen er ikke statistisk signifikant: 95 %-konfidensintervallet")
    assert texts[1].startswith("Heller ikke her er forskellen statistisk signifikant")
    assert len({t.split(":")[0].split("(")[0] for t in texts}) == 4
    assert all("statistisk signifikant" in t and "på niveau med starten" in t for t in texts)
    # A section after a shown change does not say "heller ikke".
    f = _facts_with(make_edition, _paired({"mastery": (7.85, 8.60, 0.20, 1.30, BELOW)}))
    assert f.loneliness_change_sentence.startswith("Forskellen er ikke statistisk signifikant: 95 %")


def test_no_sentence_both_claims_a_change_and_denies_it(make_edition):
    """The 2024 template "Gennemsnittet steg, og ændringen er ikke statistisk signifikant" cannot come back."""
    f = _facts_with(make_edition, _paired({}))
    for name in ("who5", "mastery", "loneliness", "burden"):
        text = getattr(f, f"{name}_change_sentence")
        assert not (("steg" in text or "faldt" in text) and "ikke statistisk signifikant" in text), text
    assert f.mental_health_changes == (
        "Gennemsnittet var 5 både ved start og afslutning for trivsel (WHO-5), gik fra 5,00 til 5,10 for mestring "
        "og selvværd, fra 5,00 til 5,10 for ensomhed og fra 5,00 til 5,10 for oplevet psykisk belastning, men ingen "
        "af forskellene er statistisk signifikante.")


def test_changes_summary_names_only_the_changes_the_tests_show(make_edition):
    f = _facts_with(make_edition, _paired({"who5": (49.0, 60.0, 3.0, 19.0, 0.01),
                                            "loneliness": (2.83, 2.20, -0.9, -0.3, 0.001)}))
    assert f.mental_health_changes == (
        "Trivslen (WHO-5) steg fra 49 til 60, og ensomheden faldt fra 2,83 til 2,20. Ændringerne er statistisk "
        "signifikante. For de øvrige mål gik gennemsnittet fra 5,00 til 5,10 for mestring og selvværd og fra 5,00 "
        "til 5,10 for oplevet psykisk belastning, men ingen af forskellene er statistisk signifikante.")
    assert f.mental_health_summary == ("Udviklingen er blandet: trivsel (WHO-5) og ensomhed er forbedret, mens "
                                       "mestring og selvværd ligger på niveau med starten.")


@pytest.mark.parametrize(("rows", "expected"), [
    ({"who5": (49.0, 51.0, -6.1, 10.1, 0.62), "loneliness": (2.83, 2.70, -0.55, 0.30, 0.55)},
     "er de unges mentale sundhed ved afslutning på niveau med starten. Alle tre gennemsnit har dog flyttet sig"),
    ({}, "på niveau med starten."),  # loneliness rose a little: no "gode retning"
    ({"who5": (49.0, 60.0, 3.0, 19.0, 0.01), "mastery": (7.0, 8.0, 0.5, 1.5, 0.01),
      "loneliness": (3.0, 2.0, -1.5, -0.5, 0.01)}, "udviklet sig positivt"),
    ({"who5": (60.0, 49.0, -19.0, -3.0, 0.01), "mastery": (8.0, 7.0, -1.5, -0.5, 0.01),
      "loneliness": (2.0, 3.0, 0.5, 1.5, 0.01)}, "udviklet sig negativt"),
])
def test_mental_health_summary_is_as_strong_as_the_tests(make_edition, rows, expected):
    text = _facts_with(make_edition, _paired(rows)).mental_health_summary
    assert text.endswith(expected) or expected in text
    assert "beskedent" not in text


@pytest.mark.parametrize(("row", "expected"), [
    ((3.10, 3.23, -0.39, 0.64, 0.62), "Gennemsnittet er steget en smule, men ikke mere, end tilfældigheder kan"),
    ((3.10, 3.60, 0.10, 0.90, 0.01), "Belastningen er altså steget, men det er ikke nødvendigvis en forværring."),
    ((3.60, 3.10, -0.90, -0.10, 0.01), "Belastningen er altså faldet"),
    ((3.10, 3.10, -0.3, 0.3, 1.0), "Data viser altså hverken en forværring eller en forbedring."),
])
def test_burden_reading_says_what_happened(make_edition, row, expected):
    text = _facts_with(make_edition, _paired({"burden": row})).burden_reading
    assert text.startswith(expected)
    assert "Er belastningen højere" not in text


# --------------------------------------------------------------------------- Table 9 in words


def _result(n=200, events=100, odds=(2.2, 2.24, 1.0), lows=(1.22, 1.06, 0.5), highs=(3.96, 4.72, 2.0),
            ps=(0.008, 0.034, 0.9)) -> RegressionResult:
    terms = pd.DataFrame({
        "term": ["meaning", "mastery", "age"],
        "label": ["Vurdering af forløbets betydning", "Selvværd og mestring", "Alder"],
        "odds_ratio": list(odds), "ci_low": list(lows), "ci_high": list(highs), "p": list(ps),
    })
    terms["significant"] = terms["p"] < ALPHA
    return RegressionResult(terms, n, events, [], object(), ALPHA)


def test_summary_states_the_finding_with_enough_events_per_variable():
    # 3 variables, smaller group 30: exactly ten per variable.
    text = rp.summary(_result(n=60, events=30))
    assert text.startswith("To grupper har en større sandsynlighed for at være i job eller uddannelse ved "
                           "afslutningen: unge, der selv vurderer, at forløbet har gjort dem bedre til at klare "
                           "hverdagen og være sammen med andre, og unge med højere selvværd og mestring.")
    assert "Tallene bygger dog" not in text and "Estimaterne er dog usikre" not in text
    assert text.endswith("Alder hænger derimod ikke påviseligt sammen med, om de unge er i job eller uddannelse.")


def test_summary_says_clearly_only_when_every_interval_is_beyond_a_doubling():
    assert "en klart større" in rp.summary(_result(n=60, events=30, lows=(CLEAR_OR, CLEAR_OR, 0.5)))
    assert "en klart større" not in rp.summary(_result(n=60, events=30, lows=(CLEAR_OR, 1.99, 0.5)))


def test_summary_carries_the_caveat_just_below_ten_events_per_variable():
    caveat = evidence.regression_caveat(_result(n=59, events=30))  # 29 / 3 = 9,67
    assert caveat.level == "uncertain"
    text = rp.summary(_result(n=59, events=30))
    assert caveat.short in text and "en større sandsynlighed" in text


def test_summary_only_points_to_a_sign_below_five_events_per_variable():
    result = _result(n=34, events=20)  # 14 / 3 = 4,67
    caveat = evidence.regression_caveat(result)
    assert caveat.level == "weak"
    text = rp.summary(result)
    assert text.startswith("Analysen peger på, at to grupper oftere er i job eller uddannelse ved afslutningen: "
                           "unge, der selv vurderer")
    assert "større sandsynlighed" not in text and "klart" not in text
    assert caveat.short in text
    assert "kun 14 af de 34 var ikke i job eller uddannelse ved afslutningen" in caveat.short
    assert "kan være langt svagere" in caveat.full  # 1,06 and 1,22 are below a doubling


def test_an_odds_ratio_whose_interval_touches_one_is_not_a_finding():
    text = rp.summary(_result(n=60, events=30, lows=(1.0, 1.0, 0.5), ps=(BELOW, BELOW, 0.9)))
    assert text.startswith("Ingen af de målte forhold")


def test_result_sentence_reads_naturally():
    text = rp.result_sentence(_result(n=60, events=30))
    assert text.startswith("To af de tre faktorer hænger statistisk signifikant sammen med, om de unge er i job "
                           "eller uddannelse ved afslutningen: dels de unges vurdering af forløbets betydning (odds "
                           "ratio 2,20), dels selvværd og mestring (odds ratio 2,24).")
    assert "Odds ratioen er" not in text


def _simulated(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    y = (x[:, 0] + rng.normal(size=n) > 0.3).astype(int)
    return pd.DataFrame({"y": y, "a": x[:, 0], "b": x[:, 1], "c": x[:, 2]})


@pytest.mark.parametrize(("n", "seed"), [(30, 1), (45, 2), (80, 3), (160, 4), (400, 5)])
def test_the_note_and_the_conclusion_carry_the_same_caveat(n, seed):
    """Whenever the note under Table 9 has the caveat, the conclusion's sentence has it too (and vice versa)."""
    result = fit_logit(_simulated(n, seed), "y", ["a", "b", "c"], ["A", "B", "C"])
    caveat = evidence.regression_caveat(result)
    in_note = bool(caveat) and caveat.full in result.warnings
    for text in (rp.summary(result), rp.result_sentence(result)):
        assert in_note == (bool(caveat) and caveat.short in text)
    assert bool(caveat) == (result.events_per_predictor < EPV_MIN)


@pytest.mark.twin
def test_the_twin_prints_its_caveat_in_the_note_the_chapter_and_the_conclusion(ed):
    from ipsreport.analysis.disclosed.layer import disclosed
    from ipsreport.outputs.tables import tab_regression

    caveat = evidence.regression_caveat(disclosed(ed).regression.result)
    assert caveat.level == "weak"
    note = tab_regression(ed).as_raw_html()
    assert caveat.full.split(".")[0] in note  # "Kun 14 af de 34 unge i analysen var ikke i job ..."
    f = Facts(ed)
    assert caveat.short in f.regression_summary and caveat.short in f.regression_result_sentence
    assert "klart" not in f.regression_summary
    assert "Heller ikke i denne udgave er sammenhængen statistisk signifikant" in f.burden_or_sentence


def test_facts_read_the_disclosed_result(make_edition):
    f = Facts(make_edition())
    f._summaries[REGRESSION] = _result(n=34, events=20)
    assert f.regression_summary.startswith("Analysen peger på")
