"""Scores and indices built from questionnaire items, and the report's one scoring of its respondents.

Each scoring function takes a survey frame (baseline or follow-up, codebook
column names, integer codes) and returns a ``Float64`` Series aligned with
it. A respondent missing any item gets no score (``<NA>``): partial sums
would not be comparable across respondents.

The report scores its respondents once: :func:`score_surveys` makes the
:class:`Derived` scores of two surveys, and :func:`edition_scores` does so
once per edition (the pipeline's ``derive`` step,
:func:`ipsreport.pipeline.derive`). Every summary that needs a score reads it
from the :class:`Derived` it is handed; only the synthetic generators
(:mod:`ipsreport.synth`), which make data, call the scoring functions too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipsreport.analysis.derived import meaning_score
from ipsreport.analysis.memo import remember

__all__ = [
    "WHO5_ITEMS", "MASTERY_ITEMS", "MEANING_ITEMS", "WHO5_BANDS", "WHO5_BAND_LABELS", "WHO5_POPULATION_MEAN",
    "MASTERY_RANGE", "Derived", "score_surveys", "edition_scores", "who5_score", "who5_band", "mastery_index",
    "meaning_index",
]

WHO5_ITEMS = ["who5_1", "who5_2", "who5_3", "who5_4", "who5_5"]
MASTERY_ITEMS = ["mastery_1", "mastery_2", "mastery_3"]
MEANING_ITEMS = ["meaning_everyday", "meaning_social"]

#: Upper bounds (inclusive) of the three WHO-5 bands used in the report.
WHO5_BANDS = (35, 50, 100)
WHO5_BAND_LABELS = ("Under 36", "36–50", "Over 50")
WHO5_POPULATION_MEAN = 68

#: Possible range of the mastery index (three items scored 1-4).
MASTERY_RANGE = (3, 12)


def _complete_sum(frame: pd.DataFrame, items: list[str]) -> pd.Series:
    values = frame[items].astype("Float64")
    total = values.sum(axis=1, skipna=True)
    return total.where(values.notna().all(axis=1)).astype("Float64")


def who5_score(frame: pd.DataFrame) -> pd.Series:
    """WHO-5 well-being index, 0-100.

    Parameters
    ----------
    frame : DataFrame
        Must hold ``who5_1`` ... ``who5_5`` coded 0-5.

    Returns
    -------
    Series
        Raw sum times 4; ``<NA>`` where any item is missing.
    """
    return (_complete_sum(frame, WHO5_ITEMS) * 4).rename("who5")


def who5_band(score: pd.Series) -> pd.Series:
    """Band 1 (0-35), 2 (36-50) or 3 (over 50) for WHO-5 scores; ``<NA>`` stays."""
    out = pd.Series(pd.NA, index=score.index, dtype="Int64", name="who5_band")
    s = score.astype("Float64")
    out = out.mask(s.notna() & (s <= WHO5_BANDS[0]), 1)
    out = out.mask(s.notna() & (s > WHO5_BANDS[0]) & (s <= WHO5_BANDS[1]), 2)
    out = out.mask(s.notna() & (s > WHO5_BANDS[1]), 3)
    return out.astype("Int64")


def mastery_index(frame: pd.DataFrame) -> pd.Series:
    """Mastery/self-esteem index: sum of three items scored 1-4 (range 3-12)."""
    return _complete_sum(frame, MASTERY_ITEMS).rename("mastery")


def meaning_index(frame: pd.DataFrame) -> pd.Series:
    """Perceived meaning of the programme, 1-5 (5 = "i meget høj grad").

    The two items are coded 1 = "I meget høj grad" ... 5 = "Slet ikke"; they
    are reversed (6 - code) so that higher means more benefit, then averaged.
    """
    items = frame[MEANING_ITEMS].astype("Float64")
    return meaning_score(items["meaning_everyday"], items["meaning_social"]).astype("Float64").rename("meaning")


@dataclass(frozen=True)
class Derived:
    """Per-person scores of the two surveys: the pipeline's ``derive`` step, read by every summary that needs one.

    Attributes
    ----------
    baseline, followup : DataFrame
        One row per respondent, with the survey's index, and the columns
        ``id``, ``who5`` (0-100), ``who5_band`` (1-3), ``mastery`` (3-12)
        and, at follow-up, ``meaning`` (1-5); ``<NA>`` where an item is missing.
    """

    baseline: pd.DataFrame
    followup: pd.DataFrame

    def of(self, baseline: pd.DataFrame, followup: pd.DataFrame) -> "Derived":
        """These scores, checked to be those of the surveys ``baseline`` and ``followup`` (their rows, in order).

        Raises
        ------
        ValueError
            When a frame's index differs from its survey's: the scores
            would be matched to the wrong respondents.
        """
        for name, scores, survey in (("baseline", self.baseline, baseline), ("followup", self.followup, followup)):
            if not scores.index.equals(survey.index):
                raise ValueError(f"the {name} scores are not those of this {name} survey (rows differ)")
        return self


def score_surveys(baseline: pd.DataFrame, followup: pd.DataFrame) -> Derived:
    """Score every respondent of the two surveys (:func:`who5_score`, :func:`who5_band`, :func:`mastery_index`,
    :func:`meaning_index`).

    The report calls it once per edition, through :func:`edition_scores`;
    tests and the model's checks call it on hand-made frames.
    """
    frames = {}
    for name, survey in (("baseline", baseline), ("followup", followup)):
        who5 = who5_score(survey)
        columns = {"id": survey["id"], "who5": who5, "who5_band": who5_band(who5), "mastery": mastery_index(survey)}
        if name == "followup":
            columns["meaning"] = meaning_index(survey)
        frames[name] = pd.DataFrame(columns, index=survey.index)
    return Derived(baseline=frames["baseline"], followup=frames["followup"])


def edition_scores(ed, saved: Derived | None = None) -> Derived:
    """The :class:`Derived` scores of ``ed``'s respondents, computed once per edition.

    The pipeline's ``derive`` step (:func:`ipsreport.pipeline.derive`) and the
    edition's summaries (:func:`ipsreport.analysis.disclosed.layer.disclosed`)
    both get them here, so the scores a book prints are scored once.

    Parameters
    ----------
    ed : Edition
    saved : Derived, optional
        The scores a saved run holds for ``ed`` (:func:`ipsreport.results.saved.open_run`),
        taken as ed's instead of scoring again.
    """
    frames = (ed.baseline, ed.followup)
    return remember("scores", ed, lambda: saved if saved is not None else score_surveys(ed.baseline, ed.followup),
                    inputs=frames)
