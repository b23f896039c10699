"""The pipeline's ``derive`` step is the input of ``summarise`` (issue 18): scores are computed once.

The summaries that need a respondent's score (chapter 6's paired
comparisons and WHO-5 bands, Bilag 6's non-response, Table 9) read it from
the :class:`~ipsreport.analysis.scoring.Derived` they are handed; they do not
score the surveys again. A :class:`Derived` with a known change shows it, and
a trace hands every later step the one :class:`Derived` its ``derive`` made.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ipsreport import pipeline
from ipsreport.analysis.disclosed.layer import Disclosed, disclosed
from ipsreport.analysis.scoring import Derived, edition_scores
from ipsreport.analysis.spec import regression_frame
from ipsreport.paths import PACKAGE_DIR


def _shifted(scores: Derived, survey: str, column: str, by: float) -> Derived:
    """``scores`` with ``column`` of ``survey`` moved by ``by`` (missing stays missing)."""
    frames = {"baseline": scores.baseline, "followup": scores.followup}
    frames[survey] = frames[survey].assign(**{column: frames[survey][column] + by})
    return Derived(**frames)


def test_derive_is_the_editions_one_computation(fake):
    scores = pipeline.derive(fake)
    assert pipeline.derive(fake) is scores is edition_scores(fake)
    assert disclosed(fake).derived is scores
    assert pipeline.summarise(fake, scores) is disclosed(fake)


def test_paired_summaries_read_the_scores_they_are_given(fake):
    scores = pipeline.derive(fake)
    given = pipeline.summarise(fake, _shifted(scores, "baseline", "who5", 4))
    assert given is not disclosed(fake)  # another Derived: other summaries, not the edition's
    own, moved = disclosed(fake).paired("who5").iloc[0], given.paired("who5").iloc[0]
    assert moved["n"] == own["n"] > 0
    assert moved["mean_start"] == pytest.approx(own["mean_start"] + 4)
    assert moved["mean_end"] == pytest.approx(own["mean_end"])
    long = given.paired_pairs("who5")
    assert long["start"].min() == pytest.approx(disclosed(fake).paired_pairs("who5")["start"].min() + 4)


def test_who5_bands_read_the_given_bands(fake):
    scores = pipeline.derive(fake)
    lowest = Derived(baseline=scores.baseline.assign(who5_band=scores.baseline["who5_band"].where(
        scores.baseline["who5_band"].isna(), 1)), followup=scores.followup)
    bands = Disclosed(fake, lowest).who5_bands
    start = bands[bands["time"] == "start"].set_index("band")
    assert start.loc[1, "n"] == start.loc[1, "base"] > 0
    assert start.loc[1, "pct"] == 100.0


def test_nonresponse_reads_the_given_start_scores(fake):
    scores = pipeline.derive(fake)
    own = disclosed(fake).nonresponse.set_index(["variable", "group"])
    moved = Disclosed(fake, _shifted(scores, "baseline", "mastery", 1)).nonresponse.set_index(["variable", "group"])
    for group in ("responded", "not_responded"):
        assert moved.loc[("mastery", group), "mean"] == pytest.approx(own.loc[("mastery", group), "mean"] + 1)
        assert moved.loc[("who5", group), "mean"] == pytest.approx(own.loc[("who5", group), "mean"])


def test_table_9_reads_the_given_scores(fake):
    scores = pipeline.derive(fake)
    frame = regression_frame(fake.baseline, fake.followup, scores)
    assert len(frame) > 0
    first = frame.index[0]
    followup = scores.followup.assign(who5=scores.followup["who5"].mask(scores.followup["id"] == first))
    fewer = Disclosed(fake, Derived(baseline=scores.baseline, followup=followup)).regression.result
    assert fewer.n == disclosed(fake).regression.result.n - 1 == len(frame) - 1
    # The change in well-being is the end score minus the start score the Derived holds.
    moved = regression_frame(fake.baseline, fake.followup, _shifted(scores, "followup", "who5", 8))
    assert (moved["who5_change"] - frame["who5_change"]).tolist() == [8.0] * len(frame)
    meaning = regression_frame(fake.baseline, fake.followup, _shifted(scores, "followup", "meaning", 1))
    assert (meaning["meaning"] - frame["meaning"]).tolist() == [1.0] * len(frame)


@pytest.mark.twin
def test_a_trace_hands_the_one_derived_to_every_step(valid_dir):
    traced = pipeline.trace(valid_dir)
    assert traced.derived is pipeline.derive(traced.edition)
    assert traced.disclosed.derived is traced.derived
    assert traced.disclosed is disclosed(traced.edition)
    # The paired and regression frames the plan was made from are those of that Derived.
    frames = traced.disclosed.unprotected
    assert frames[("paired", "who5")]["n"].iloc[0] == len(
        traced.derived.baseline[["id", "who5"]].merge(traced.derived.followup[["id", "who5"]], on="id").dropna())


#: The scoring functions; only the derive step (ipsreport.analysis.scoring.score_surveys) calls them.
_SCORE_CALL = re.compile(r"\b(who5_score|who5_band|mastery_index|meaning_index)\(")


def test_only_the_derive_step_scores_the_surveys():
    """Outside the scoring module (and the synthetic generators, which make data), no report code scores a survey."""
    callers = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(PACKAGE_DIR).as_posix()
        if relative == "analysis/scoring.py" or relative.startswith("synth/"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _SCORE_CALL.search(line) and not line.lstrip().startswith(("#", ":func:", "``")):
                callers.append(f"{relative}:{number}: {line.strip()}")
    assert callers == []
    scoring_text = (PACKAGE_DIR / "analysis" / "scoring.py").read_text(encoding="utf-8")
    assert len(re.findall(r"\bscore_surveys\(ed\.baseline", scoring_text)) == 1


def test_scores_of_other_rows_are_refused(fake):
    scores = pipeline.derive(fake)
    shuffled = Derived(baseline=scores.baseline, followup=scores.followup.iloc[::-1])
    with pytest.raises(ValueError, match="followup scores are not those"):
        regression_frame(fake.baseline, fake.followup, shuffled)
    with pytest.raises(ValueError, match="followup scores are not those"):
        Disclosed(fake, shuffled).paired("who5")


def test_derived_frames_align_with_the_surveys(fake):
    scores = pipeline.derive(fake)
    assert scores.baseline.index.equals(fake.baseline.index)
    assert scores.followup.index.equals(fake.followup.index)
    assert list(scores.baseline.columns) == ["id", "who5", "who5_band", "mastery"]
    assert list(scores.followup.columns) == ["id", "who5", "who5_band", "mastery", "meaning"]
    pd.testing.assert_series_equal(scores.followup["id"], fake.followup["id"])
