"""Facts: every CONTRACT name exists, known answers on hand-made editions,
small-number protection, caching, and the published values on the twin."""

import re
from dataclasses import replace

import pandas as pd
import pytest

import importlib

from ipsreport.analysis.scoring import edition_scores
from ipsreport.outputs.facts import Facts, facts
from ipsreport.outputs.facts.changes import direction
from ipsreport.outputs.facts.findings import who5_vs_population
from ipsreport.outputs.facts.reading import exit_pool, words_of
from ipsreport.outputs.facts.sources import PAIRED, REGRESSION
from ipsreport.paths import PROJECT_DIR


def contract_names() -> list[str]:
    """Fact names from the CONTRACT "Facts" table (``/ `_of``` shorthand expanded)."""
    text = (PROJECT_DIR / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    section = text.split("## Facts", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = line.split("|")[1]
        previous = None
        for name in re.findall(r"`([a-z0-9_]+)`", first_cell):
            if name.startswith("_") and previous:
                name = previous.rsplit("_", 1)[0] + name
            names.append(name)
            previous = name
    return names


def test_contract_names_parsed():
    names = contract_names()
    assert len(names) > 100
    assert "followup_share_of_registry_of" in names and "min_cell" in names


#: Sentences that are left out ("") when the data do not support them (see their docstrings).
MAY_BE_EMPTY = {
    "regression_rest_sentence", "regression_absent_sentence", "regression_result_sentence", "regression_reading",
    "regression_causality", "regression_causes_sentence",
    "synthetic_notice", "mental_health_summary", "evaluation_summary", "education_choice_sentence",
    "followup_enrolled_sentence", "placement_noanswer_sentence", "nonresponse_vs_reference", "burden_reading",
}


@pytest.mark.parametrize("name", contract_names())
def test_every_contract_fact_exists(name, fake):
    value = getattr(facts(fake), name)
    assert isinstance(value, str) and (value or name in MAY_BE_EMPTY)


def hand_made(make_edition, **settings):
    registry = (
        [{"exit_status": 1, "placement_ever": 1, "psychiatry_contact": 1, "uu_guidance": 1, "referral_status": 1}] * 6
        + [{"exit_status": 3, "placement_ever": 1, "psychiatry_contact": 0, "uu_guidance": 0, "referral_status": 2}] * 4
        + [{"exit_status": 2, "placement_ever": 0, "psychiatry_contact": 0, "uu_guidance": 0, "referral_status": 2}] * 2
        + [{"exit_status": 4, "placement_ever": 0, "psychiatry_contact": 0, "uu_guidance": 0, "referral_status": 2}] * 8
        + [{"exit_status": 5, "placement_ever": 1, "placement_now": 1, "psychiatry_contact": 1, "uu_guidance": 0,
            "referral_status": 1}] * 10
    )
    baseline = [{"id": f"p{i}", "gender": 2 if i <= 15 else 1, "age": 18 + i % 8} for i in range(1, 21)]
    followup = [{"id": f"p{i}", "still_enrolled": 0, "duration": 7 if i <= 4 else 3,
                 "psych_contact": 1 if i <= 5 else 0} for i in range(1, 11)]
    for row in followup[:5]:
        row["psych_dialogue"] = 1 if row["id"] in ("p1", "p2") else 3
    return make_edition(registry=registry, baseline=baseline, followup=followup, **settings)


def test_known_answers(make_edition):
    f = facts(hand_made(make_edition))
    assert f.registry_n == "30"
    assert f.finished_n == "20" and f.active_n == "10"
    assert f.success_n == "12" and f.success_of == "12 ud af 20" and f.success_pct == "60 %"
    assert f.success_words == "seks ud af ti"
    assert f.success_target_met == "er opfyldt"  # 60 % >= the 60 % target
    assert f.exit_job_n == "6" and f.exit_flexjob_n == "2" and f.exit_education_n == "4"
    assert f.exit_education_share_words == "hver femte"  # 4 of 20
    assert f.uu_guidance_share_words == "hver femte"  # 6 of 30
    assert f.placement_ever_n == "20" and f.placement_ever_pct == "67 %"
    assert f.placement_now_n == "10" and f.placement_now_pct == "100 %"
    assert f.psychiatry_registry_of == "16 ud af 30"
    assert f.aktivitetsparat_n == "16" and f.uddannelsesparat_n == "14"
    assert f.baseline_n == "20" and f.followup_n == "10"
    assert f.followup_share_of_registry_of == "10 ud af 30" and f.followup_share_of_registry_pct == "33 %"
    assert f.followup_share_of_baseline_pct == "50 %"
    assert f.followup_enrolled_n == "ingen" and f.followup_finished_n == "10"  # a count of 0 in a sentence
    assert f.female_pct == "75 %" and f.male_pct == "25 %" and f.other_gender_pct == "0 %"
    assert f.duration_over12_pct == "40 %" and f.duration_over6_pct == "40 %" and f.duration_under4_pct == "0 %"
    assert f.psych_contact_n == "5"
    assert f.psych_dialogue_of == "2 ud af 5" and f.psych_dialogue_pct == "40 %"
    assert f.min_cell == "ikke anvendt"


def test_raw_returns_numbers(make_edition):
    f = facts(hand_made(make_edition))
    assert f.raw("success_pct") == pytest.approx(60.0)
    assert f.raw("success_n") == 12
    assert f.raw("success_of") == 12
    assert f.raw("success_target_met") is True


def test_target_not_met(make_edition):
    f = facts(hand_made(make_edition, success_target_pct=61))
    assert f.success_target_met == "er ikke opfyldt"


def test_min_cell_hides_small_counts(make_edition):
    f = facts(hand_made(make_edition, min_cell=3))
    assert f.exit_flexjob_n == "<3"
    # A pool of one small hidden cell and empty ones is that small count (the complement is the
    # non-empty "3", never an empty code that would leave the hidden cells adding up to 2).
    # A share of a small count reads as a count of people in a sentence, never
    # as a percentage ("andelen var <3" would read as under 3 %).
    assert f.psych_dialogue_of == "<3 ud af 5" and f.psych_dialogue_pct == "<3 unge"
    assert f.exit_job_n == "6"  # not small
    # Table 8's complement of the hidden 2 is the next-smallest exit (4 to
    # education): the prose must not print it either, but must still read.
    assert f.exit_education_n == "et skjult antal"
    assert f.exit_education_share_words == "en skjult andel"
    assert f.words("exit_education_n") == "et skjult antal"
    assert "4" not in f.exit_education_n + f.exit_education_share_words
    assert f.success_n == "12"  # pooled counts that are not small stay visible
    assert f.min_cell == "3"
    assert f.words("exit_flexjob_n") == "<3"
    assert f.share_words("psych_dialogue_pct") == "<3 unge"
    assert words_of(f, exit_pool(f, 2)).text == "<3 unge"  # a small exit in words, as success_words reads one
    # The disclosure layer hands facts no small number at all, not even raw.
    assert pd.isna(f.raw("exit_flexjob_n"))


def test_words_and_share_words(make_edition):
    f = facts(hand_made(make_edition))
    assert f.words(1) == "én" and f.words(12) == "tolv" and f.words(13) == "13"
    assert f.words("exit_flexjob_n") == "to"
    assert f.share_words("success_pct") == "seks ud af ti"
    assert f.share_words("success_of") == "seks ud af ti"
    with pytest.raises(ValueError):
        f.share_words("age_mean")


def test_unknown_name_suggests_close_matches(make_edition):
    f = facts(make_edition())
    with pytest.raises(AttributeError, match="success_pct"):
        f.succes_pct
    with pytest.raises(AttributeError):
        f.raw("no_such_fact_at_all")


def test_cached_per_edition_and_lazy(make_edition, monkeypatch):
    ed = hand_made(make_edition)
    assert facts(ed) is facts(ed)
    assert facts(make_edition()) is not facts(ed)
    calls = []
    import ipsreport.analysis.summaries.pathways as summaries

    original = summaries.summarise_exit
    monkeypatch.setattr(summaries, "summarise_exit", lambda e: calls.append(1) or original(e))
    fresh = Facts(ed)
    assert calls == []  # nothing computed on construction
    fresh.exit_job_n, fresh.exit_education_n, fresh.exit_flexjob_n
    assert calls == [1]  # one summary call serves all exit facts


def test_regression_facts(make_fake):
    from ipsreport.analysis.models import fit_regression

    ed = make_fake(seed=7, n_registry=260, n_baseline=240, n_followup=220)
    f = facts(ed)
    res = fit_regression(ed, edition_scores(ed))
    terms = res.terms.set_index("term")
    assert f.regression_n == str(res.n) and f.regression_events == str(res.events)
    from ipsreport.outputs import fmt

    assert f.mastery_or == fmt.num(terms.loc["mastery", "odds_ratio"], 2)
    assert f.burden_p == fmt.pvalue(terms.loc["burden", "p"])


def test_mental_health_facts(fake):
    from ipsreport.analysis.summaries import summarise_paired

    f = facts(fake)
    paired = summarise_paired(fake, edition_scores(fake)).set_index("score")
    start, end = paired.loc["who5", ["mean_start", "mean_end"]]
    assert f.who5_start == str(int(round(start))) or abs(float(f.who5_start) - start) <= 0.5
    assert f.who5_direction in ("steg", "faldt", "lå på niveau med starten")
    assert f.mastery_start.count(",") == 1 and len(f.mastery_start.split(",")[1]) == 2
    assert f.any_mental_health_significant in ("Ingen af ændringerne er", "Nogle af ændringerne er")
    assert f.who5_population_mean == "68"
    assert f.paired_n == str(int(paired.loc["who5", "n"]))


# --- the synthetic twin: reference values of the CONTRACT -----------------------

REFERENCE = {
    "registry_n": "66", "finished_n": "43", "active_n": "23", "baseline_n": "55", "followup_n": "43",
    "followup_enrolled_n": "9", "followup_finished_n": "34",
    "followup_share_of_registry_pct": "65 %", "followup_share_of_registry_of": "43 ud af 66",
    "followup_share_of_baseline_pct": "78 %", "followup_share_of_baseline_of": "43 ud af 55",
    "duration_over12_pct": "23 %", "duration_under4_pct": "19 %",
    "female_pct": "53 %", "male_pct": "44 %", "other_gender_pct": "4 %",
    "age_mean": "22", "age_min": "16", "age_max": "29", "age_over20_of": "36 ud af 55",
    "edu_primary_pct": "55 %", "edu_not_primary_pct": "8 %", "edu_upper_secondary_pct": "31 %",
    "edu_vocational_n": "1", "edu_higher_mvu_lvu_n": "ingen",  # a count of 0 prints "ingen" (fact.NOBODY); its value stays 0
    "work_experience_pct": "85 %",
    "aktivitetsparat_n": "28", "uddannelsesparat_n": "38",
    "support_psychiatry_n": "13", "support_assessment_n": "7", "support_mentor_n": "11",
    "support_psychologist_n": "8", "support_home_guide_n": "3", "support_other_n": "12",
    "motivation_change_top_pct": "62 %", "motivation_effort_top_pct": "78 %",
    "motivation_influence_top_pct": "69 %", "goal_job_pct": "80 %", "goal_everyday_n": "31",
    "eval_support_top_pct": "67 %", "eval_influence_top_pct": "74 %", "eval_needs_top_pct": "70 %",
    "psychiatry_registry_of": "33 ud af 66", "psych_contact_n": "16", "psych_dialogue_of": "9 ud af 14",
    "psych_support_of": "9 ud af 16", "psych_positive_of": "8 ud af 14",
    "had_placement_of": "28 ud af 43", "no_placement_n": "15", "no_placement_short_n": "5",
    "placement_ever_n": "48", "placement_ever_pct": "73 %", "placement_now_n": "19", "placement_now_pct": "83 %",
    "placement_needs_high_of": "16 ud af 28", "placement_needs_none_n": "2",
    "success_n": "26", "success_of": "26 ud af 43", "success_pct": "60 %", "success_words": "seks ud af ti",
    "success_target_met": "er opfyldt", "exit_job_n": "9", "exit_flexjob_n": "3", "exit_education_n": "14",
    "exit_education_share_words": "en tredjedel", "uu_guidance_share_words": "en tredjedel",
    "paired_n": "40", "who5_start": "49", "who5_end": "51", "who5_direction": "lå på niveau med starten",
    "mastery_start": "7,85", "mastery_end": "8,03", "loneliness_start": "2,83", "loneliness_end": "2,70",
    # Printed "3,22", but 40 answers give 129/40 = 3,225, which rounds half up
    # (and in binary) to 3,23: the printed value is not attainable.
    "burden_start": "3,10", "burden_end": "3,23",
    "any_mental_health_significant": "Ingen af ændringerne er",
    "who5_band_low_start_pct": "27,5 %", "who5_band_low_end_pct": "25 %",
    "who5_band_high_start_pct": "47,5 %", "who5_band_high_end_pct": "57,5 %",
    "regression_n": "34", "burden_p": "0,053",
    "min_cell": "ikke anvendt",
}


@pytest.mark.twin
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_synthetic_reference_values(name, ed):
    assert getattr(facts(ed), name) == REFERENCE[name]


@pytest.mark.twin
@pytest.mark.parametrize(("name", "key"), [("meaning_or", "regression.meaning.or"),
                                           ("mastery_or", "regression.mastery.or")])
def test_synthetic_odds_ratios_within_published_tolerance(name, key, ed, published):
    # Printed 2,12 and 2,24. The twin gives 2,24 exactly but 2,20 for the rating of the course, which
    # Bilag 7 reports as not reproduced (tolerance = rounding) with its reason; the twin is held to twin_tolerance.
    entry = published[key]
    slack = max(entry["tolerance"], entry.get("twin_tolerance", 0))
    assert abs(facts(ed).raw(name) - entry["value"]) <= slack
    assert re.fullmatch(r"\d,\d\d", getattr(facts(ed), name))


def test_module_exports():
    assert importlib.import_module("ipsreport.outputs.facts").__all__ == ["facts", "Facts"]


def chapter_fact_names() -> list[str]:
    """Every ``f.<name>`` written in the chapters (including ``f.share_words('<name>')``)."""
    from ipsreport.paths import REPORT_DIR

    names = set()
    for path in [*REPORT_DIR.glob("*.qmd"), PROJECT_DIR / "index.qmd"]:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"\bf\.([a-z_0-9]+)\b(?!\()", text))
        names.update(re.findall(r"\bf\.(?:share_words|raw|words)\(['\"]([a-z_0-9]+)['\"]", text))
    return sorted(names)


def test_every_fact_used_in_the_chapters_exists(fake):
    f = facts(fake)
    missing = [name for name in chapter_fact_names() if name not in f.names]
    assert missing == []


def test_change_phrases(make_edition):
    """Two pairs: the means differ, but no test shows a change, so none is claimed."""
    base = {"who5_1": 2, "who5_2": 2, "who5_3": 2, "who5_4": 2, "who5_5": 2,
            "mastery_1": 2, "mastery_2": 2, "mastery_3": 2, "loneliness": 3, "burden": 3}
    end = {**base, "who5_1": 4, "loneliness": 2}
    ed = make_edition(baseline=[{"id": "a", **base}, {"id": "b", **base}],
                      followup=[{"id": "a", "still_enrolled": 0, **end}, {"id": "b", "still_enrolled": 0, **base}])
    f = facts(ed)
    assert (f.who5_start, f.who5_end) == ("40", "44")  # (10*4=40) -> mean of 48 and 40
    assert (f.loneliness_start, f.loneliness_end) == ("3,00", "2,50")
    assert (f.mastery_start, f.mastery_end) == ("6,00", "6,00")
    assert f.who5_direction == "lå på niveau med starten" and direction(f, "mastery").text == "var uændret"
    assert f.mastery_change_sentence == "Ingen af de unge har ændret sig fra start til afslutning."


def test_settings_and_provenance_facts(make_edition, monkeypatch):
    ed = make_edition(municipality="Gladsaxe Kommune", alpha=0.01, success_target_pct=55,
                      evaluation_end="2025-05-01")
    f = facts(ed)
    assert f.municipality == "Gladsaxe Kommune"
    assert f.alpha == "0,01"
    assert f.success_target_pct == "55 %"
    assert f.evaluation_end == "1. maj 2025"
    assert f.edition_year == "2025"
    assert f.package_version
    assert isinstance(f.git_commit, str) and f.git_commit
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1746057600")  # 2025-05-01 00:00 UTC
    assert Facts(ed).render_date == "1. maj 2025"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # set by the render engine for SVGs: not a date
    assert Facts(ed).render_date != "1. januar 1970"
    # The setting render_date (the command line resolves it once per render) wins over the clock.
    assert Facts(make_edition(render_date="2026-03-02")).render_date == "2. marts 2026"


def test_synthetic_notice(make_edition):
    ed = make_edition()
    assert "syntetisk" in facts(ed).synthetic_notice
    ed = replace(ed, synthetic=False)
    assert Facts(ed).synthetic_notice == ""


@pytest.mark.twin
def test_synthetic_notice_claims_calibration_only_for_the_twin(make_edition):
    # ``twin`` is the verified verdict of ipsreport.inputs.manifest.check_manifest, not the manifest's say-so.
    ed = make_edition()
    ed = replace(ed, manifest={"synthetic": True, "generator": "ipsreport.synth.twin"})
    ed = replace(ed, twin=True)
    assert "genskaber de offentliggjorte tal" in Facts(ed).synthetic_notice
    ed = replace(ed, twin=False)
    ed = replace(ed, manifest={"synthetic": True, "generator": "ipsreport.synth.sample.write_cohort"})
    notice = Facts(ed).synthetic_notice
    assert "trukket tilfældigt" in notice and "genskaber" not in notice
    ed = replace(ed, manifest={"synthetic": True, "generator": "hand-made example"})
    example = Facts(ed).synthetic_notice
    assert "eksempeldata" in example and "trukket tilfældigt" not in example and "genskaber" not in example


# --------------------------------------------------------------------------- result-dependent wording


def _with_regression(ed, significant, model=True, n=30, events=15):
    """Facts whose Table 9 fit is replaced by one with the given significant terms.

    Significant terms get p = 0,01 and an interval that excludes 1; the others
    p = 0,5 and an interval around 1 (a consistent hand-made result).
    """
    import pandas as pd

    from ipsreport.analysis.models import RegressionResult

    terms = pd.DataFrame({
        "term": ["age", "mastery", "meaning"],
        "label": ["Alder", "Selvværd og mestring", "Vurdering af forløbets betydning"],
        "odds_ratio": [0.5, 2.0, 1.25],
    })
    shown = {"age": (0.3, 0.8), "mastery": (1.2, 3.3), "meaning": (1.05, 1.5)}
    sig = terms["term"].isin(significant)
    terms["p"] = sig.map({True: 0.01, False: 0.5})
    terms["ci_low"] = [shown[t][0] if s else 0.2 for t, s in zip(terms["term"], sig)]
    terms["ci_high"] = [shown[t][1] if s else 5.0 for t, s in zip(terms["term"], sig)]
    terms["significant"] = sig
    f = Facts(ed)
    f._summaries[REGRESSION] = RegressionResult(terms, n, events, [], object() if model else None)
    return f


def test_regression_that_could_not_be_fitted(make_edition):
    f = _with_regression(hand_made(make_edition), [], model=False)
    # Chapter 7 says it once, in regression_absent_sentence (tests/test_prose_context.py); no findings follow.
    assert f.regression_absent_sentence.startswith("Analysen kunne ikke gennemføres, fordi")
    assert f.regression_result_sentence == "" and f.regression_reading == "" and f.regression_causality == ""
    assert "kunne ikke gennemføres" in f.regression_summary
    assert f.regression_rest_sentence == ""


def test_who5_and_placement_comparisons(make_edition, monkeypatch):
    import pandas as pd

    f = Facts(hand_made(make_edition))
    pop = float(f.edition.codebook.scores["who5"]["population_mean"])
    for end, word in ((pop - 10, "under"), (pop + 0.4, "på niveau med"), (pop + 3, "over")):
        f = Facts(hand_made(make_edition))
        f._summaries[PAIRED] = pd.DataFrame(
            {"score": ["who5"], "mean_start": [50.0], "mean_end": [end], "significant": [False]})
        assert who5_vs_population(f).text == word
    # Registry: 10 of 10 still enrolled are in a placement, 20 of 30 ever were.
    f = Facts(hand_made(make_edition))
    assert f.placement_now_pct == "100 %" and f.placement_ever_pct == "67 %"
    assert f.placement_now_vs_ever == "højere blandt de aktive end blandt alle deltagere"


def test_share_phrase_is_true_at_the_ends():
    from ipsreport.outputs.facts.fact import share_phrase as _share_phrase

    assert _share_phrase(1 / 60, 1, 60) == "under én ud af ti"  # never "ingen" for one person
    assert _share_phrase(59 / 60, 59, 60) == "næsten alle"  # never "alle" when one is missing
    assert _share_phrase(0.95, 19, 20) == "næsten alle"
    assert _share_phrase(0.0, 0, 20) == "ingen" and _share_phrase(1.0, 20, 20) == "alle"
    assert _share_phrase(26 / 43, 26, 43) == "seks ud af ti"


@pytest.mark.twin
def test_audit_sentence(make_edition, ed):
    from ipsreport.analysis.disclosed.layer import disclosed

    status = disclosed(ed).audit["status"].value_counts()
    assert facts(ed).audit_result_sentence == (
        f"Af de {status.sum()} tal giver {status['exact']} præcist det trykte tal, {status['tolerance']} "
        f"ligger inden for en angivet tolerance, {status['correction']} retter en fejl i evalueringen fra 2025, og "
        f"{status['not_reproduced']} er ikke genskabt.")
    assert status["not_reproduced"] > 0  # Table 9's odds ratio for the rating of the course, among others
    f = facts(hand_made(make_edition))  # not the 2025 data: most numbers differ
    assert disclosed(f.edition).audit["within"].sum() < len(disclosed(f.edition).audit)
    assert "er ikke genskabt" in f.audit_result_sentence


def test_separation_is_not_summarised_as_no_association(make_edition):
    """Perfect separation makes every p-value large: that is no finding, and the prose must say so."""
    f = _with_regression(hand_made(make_edition), [])
    f._summaries[REGRESSION].separated = True
    assert "kunne ikke estimeres pålideligt" in f.regression_summary
    assert "ingen statistisk signifikant" not in f.regression_summary.lower()
    assert f.regression_rest_sentence == ""


def test_fit_logit_flags_separation():
    import numpy as np

    from ipsreport.analysis.models import fit_logit

    rng = np.random.default_rng(3)
    x = rng.normal(size=60)
    frame = pd.DataFrame({"y": (x > 0).astype(int), "x": x, "z": rng.normal(size=60)})
    result = fit_logit(frame, "y", ["x", "z"], ["X", "Z"])
    assert result.separated


def test_burden_sentence_degrades_without_an_estimate(make_edition):
    f = _with_regression(hand_made(make_edition), [])
    f._summaries[REGRESSION].terms = pd.DataFrame({
        "term": ["burden"], "label": ["Belastning"], "odds_ratio": [float("nan")], "ci_low": [float("nan")],
        "ci_high": [float("nan")], "p": [float("nan")], "significant": [False]})
    assert f.burden_or_sentence.startswith("I denne udgave kan sammenhængen med psykisk belastning ikke beregnes")
    assert "[" not in f.burden_or_sentence


def test_confidence_level_follows_alpha_and_the_intervals_do_too(make_fake):
    """The printed confidence level is 1 - alpha, and so are the intervals it describes."""
    import numpy as np

    from ipsreport.outputs import tables
    from ipsreport.analysis.models import fit_logit

    ed05, ed10 = make_fake(alpha=0.05), make_fake(alpha=0.1)
    assert Facts(ed05).confidence_level == "95 %" and Facts(ed10).confidence_level == "90 %"
    rng = np.random.default_rng(5)
    x = rng.normal(size=200)
    frame = pd.DataFrame({"y": (x + rng.normal(size=200) > 0).astype(int), "x": x})
    wide, narrow = (fit_logit(frame, "y", ["x"], ["X"], alpha=a).terms.iloc[0] for a in (0.05, 0.1))
    assert narrow["ci_high"] - narrow["ci_low"] < wide["ci_high"] - wide["ci_low"]
    assert "90\u00a0%-konfidens" in tables.tab_regression(ed10).as_raw_html()


def test_settings_definitions_are_facts(make_edition):
    import datetime as dt

    ed = make_edition()
    ed = replace(ed, settings=ed.settings.with_(implementation_start=dt.date(2024, 1, 1),
                                                implementation_end=dt.date(2025, 6, 30),
                                                project_start=dt.date(2023, 9, 1),
                                                project_end=dt.date(2025, 12, 31), partner_interviews_n=8))
    f = Facts(ed)
    assert f.project_period == "fra september 2023 til december 2025"
    assert f.implementation_period == "fra januar 2024 til juni 2025"
    assert f.implementation_length == "18 måneder"
    assert f.words("partner_interviews_n") == "otte"


def test_no_fact_is_shadowed_by_the_accessors_own_members():
    """A fact is read as ``f.<name>`` through ``__getattr__``: a member of :class:`Facts` by that name would hide it."""
    from ipsreport.outputs.facts.registry import REGISTRY

    members = {name for name in dir(Facts) if not name.startswith("__")} | {
        "edition", "layer", "cell_rule", "summary_of", "pool_of", "registry_row", "get_fact"}
    assert not members & set(REGISTRY)


def test_fact_definitions_use_only_the_accessors_public_members():
    """The registry modules read an edition through Facts' public members, never its private ones (issue 18)."""
    import re
    from pathlib import Path

    import ipsreport.outputs.facts as package

    private = {path.name: re.findall(r"\bf\._[a-z]\w*", path.read_text(encoding="utf-8"))
               for path in Path(package.__file__).parent.glob("*.py")}
    assert not {name: found for name, found in private.items() if found}

