"""Derived variables: values computed from the raw columns of the data files.

One definition each, used by the summaries, the audit (Bilag 7), the Table 9
model and the synthetic generators, so that the report, its audit and the
data made to reproduce it cannot drift apart.

* months enrolled (registry start and end dates; those still enrolled count
  up to the evaluation end) and the follow-up duration category they fall in;
* the exit codes: success (job, flexjob, education), still enrolled, finished;
* the meaning index (two follow-up items, reversed and averaged);
* the ten Table 9 predictors from the respondents' answers and scores (the
  scores as the pipeline's ``derive`` step made them).

The functions work on numpy arrays and on pandas Series alike where noted;
they hold the coding only. Item scores (WHO-5, mastery) are in
:mod:`ipsreport.analysis.scoring`; the Table 9 sample (finished respondents with
complete data) is :func:`ipsreport.analysis.spec.regression_frame`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = [
    "DAYS_PER_MONTH",
    "DURATION_BOUNDS",
    "SUCCESS_CODES",
    "ACTIVE_CODE",
    "WOMAN_CODE",
    "months_enrolled",
    "duration_code",
    "is_success",
    "is_finished",
    "meaning_score",
    "regression_terms",
]

#: Mean month length in days (365.25 / 12): months enrolled are days / this.
DAYS_PER_MONTH = 365.25 / 12
#: Upper bounds (exclusive, months) of the follow-up ``duration`` codes 1-6;
#: code 7 is "over 12 months".
DURATION_BOUNDS = (2, 4, 6, 8, 10, 12)
#: Registry ``exit_status`` codes that count as success: job, flexjob, education.
SUCCESS_CODES = (1, 2, 3)
#: Registry ``exit_status`` of those still enrolled when the evaluation closed.
ACTIVE_CODE = 5
#: Baseline ``gender`` code of women (Table 9 codes gender as woman = 1).
WOMAN_CODE = 2


def months_enrolled(start, end, evaluation_end) -> pd.Series:
    """Months in the programme: start to end, or to the evaluation end.

    Parameters
    ----------
    start, end : Series or sequence of datetime64
        Registry ``start_date`` and ``end_date``; ``end`` is missing (``NaT``)
        for those still enrolled.
    evaluation_end : date or Timestamp
        The day the evaluation closed (``settings.evaluation_end``): those
        still enrolled are counted up to it.

    Returns
    -------
    Series of float
        Days divided by :data:`DAYS_PER_MONTH`, aligned with ``start``;
        ``NaN`` where the start date is missing.
    """
    start = pd.to_datetime(pd.Series(start))
    end = pd.to_datetime(pd.Series(end)).fillna(pd.Timestamp(evaluation_end))
    return (end - start).dt.days.astype(float) / DAYS_PER_MONTH


def duration_code(months: float) -> int:
    """The follow-up ``duration`` code (1-7) that ``months`` enrolled fall in.

    Codes 1-6 are two-month bands (under 2, 2-4, ..., 10-12 months); code 7
    is 12 months or more. A band includes its lower bound.
    """
    for code, upper in enumerate(DURATION_BOUNDS, start=1):
        if months < upper:
            return code
    return len(DURATION_BOUNDS) + 1


def is_success(exit_status):
    """True where ``exit_status`` is a success code (job, flexjob, education).

    Works on Series (missing -> False) and numpy arrays.
    """
    if isinstance(exit_status, pd.Series):
        return exit_status.isin(SUCCESS_CODES)
    return np.isin(exit_status, SUCCESS_CODES)


def is_finished(exit_status):
    """True where the programme ended: an exit code other than "still enrolled".

    Works on Series (missing -> False) and numpy arrays (``NaN`` -> False).
    """
    if isinstance(exit_status, pd.Series):
        return exit_status.notna() & (exit_status != ACTIVE_CODE)
    status = np.asarray(exit_status, dtype=float)
    return ~np.isnan(status) & (status != ACTIVE_CODE)


def meaning_score(everyday, social):
    """Perceived meaning of the programme, 1-5 (5 = "i meget høj grad").

    The follow-up items ``meaning_everyday`` and ``meaning_social`` are coded
    1 = "I meget høj grad" ... 5 = "Slet ikke"; they are reversed (6 - code)
    so that higher means more benefit, and averaged. Missing in either item
    gives a missing score (arrays and Series alike).
    """
    return 6 - (everyday + social) / 2


def regression_terms(c: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The ten Table 9 predictors, coded as documented in :mod:`ipsreport.analysis.spec`.

    Parameters
    ----------
    c : mapping of str to float arrays
        One value per respondent (``NaN`` = missing), all aligned:
        ``education``, ``age``, ``gender``, ``work_experience``,
        ``work_experience_years`` (baseline); ``duration``,
        ``loneliness_end``, ``burden_end`` (follow-up); ``meaning``
        (:func:`meaning_score` of the follow-up items), ``mastery_end``,
        ``who5_start``, ``who5_end`` (the scores, WHO-5 0-100 at start and end).

    Returns
    -------
    dict of str to ndarray
        The terms in the order of :data:`ipsreport.analysis.spec.TERM_NAMES`. Years of
        work experience are 0 for those without work experience; gender is
        1 for women, 0 otherwise (missing stays missing).
    """
    gender = c["gender"]
    return {
        "education": c["education"],
        "duration": c["duration"],
        "age": c["age"],
        "gender": np.where(np.isnan(gender), np.nan, (gender == WOMAN_CODE).astype(float)),
        "work_experience": np.where(c["work_experience"] == 0, 0.0, c["work_experience_years"]),
        "meaning": c["meaning"],
        "mastery": c["mastery_end"],
        "who5_change": c["who5_end"] - c["who5_start"],
        "loneliness": c["loneliness_end"],
        "burden": c["burden_end"],
    }
