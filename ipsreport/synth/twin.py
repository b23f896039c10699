"""The synthetic twin of the 2025 cohort.

The real microdata of the 2025 evaluation are confidential. This module builds
a *synthetic* data set with the same structure (``data/codebook.yml``) whose
tables, figures and running-text numbers reproduce the published 2025 report
(``tests/fixtures/published.yml`` lists every published number and what the
twin gives). The twin is fully synthetic: no row describes a real person.

Method
------
The published report only gives margins (counts, percentages, means) plus a
regression table, so the twin is built as a constraint problem in three steps,
all driven by one ``numpy.random.Generator`` seeded with ``seed``:

1. **Exact integer counts per margin and the joint cells that link files.**
   The published percentages are turned into whole counts on their base (for
   example Table 5's 62/29/9 % of 55 -> 34/16/5). Where no whole counts give
   the printed percentages (Table 6, the placement items, some means) the
   closest attainable counts are used and the reason is recorded in
   ``published.yml``. The people are laid out in fixed blocks so that the
   cross-file facts hold by construction: 66 enrolled; 55 answered at start,
   43 at the end (34 finished + 9 still enrolled, i.e. exactly the follow-up
   respondents whose registry ``exit_status`` is 5); 40 of the 43 have every
   mental-health score at both times (the other 3 are still enrolled and
   skipped the end block), so the 34 finished respondents of Table 9 all
   have complete data.
2. **Assignment of values to persons.** Each margin is a multiset of values
   that is shuffled onto the eligible persons with the seeded generator,
   subject to the codebook's ``asked_if`` rules and to plausibility
   constraints (education and work experience possible for the age, registry
   placement/psychiatry flags consistent with the survey answers, the five of
   the fifteen without a placement who had been enrolled under four months).
   Scores with published means (WHO-5, mastery, loneliness, burden on the 40
   paired respondents) are drawn within their bands and then moved one step
   at a time until the sums equal the published means exactly.
3. **Calibration of the joint distribution for Table 9.** A seeded simulated
   annealing search permutes values *within* their margins (swapping
   education, age, gender, work experience, the duration/placement answers,
   end-of-programme scores and the outcome between persons; moving single
   units between two paired respondents; editing the unpublished meaning
   items), so every published margin stays exact while the search moves the
   logistic regression of :func:`ipsreport.spec.regression_frame` towards the
   published odds ratios, Wald confidence intervals and significance marks,
   and keeps every paired change non-significant. The fit inside the loop is
   a small Newton-Raphson logit (the same model statsmodels ``Logit`` fits);
   tests check the final fit with statsmodels. The objective also keeps the
   paired changes non-significant with realistic start-end correlations
   (r >= 0.4) and the unpublished meaning items mostly positive. The last
   30 % of the steps polish the best state at low temperature with the exact
   p = 0.053 target for burden.

Finally registry dates are drawn so that each follow-up respondent's months in
the programme (start to end, or to the evaluation end 2025-05-01 for those
still enrolled) fall in the duration category they reported, and the mean over
all 66 is about nine months. Identifiers are numbered in order of start date.

The three charts of Bilag 5 (experience, statements, overall effect) have no
published values; the twin fills them with plausible, mostly positive answers
(listed under ``unpublished`` in ``manifest.yml``).

The same seed always gives byte-identical files (:func:`write_twin`); the
test suite rebuilds the shipped files and compares them byte for byte. (The
search compares floating-point losses, so a different BLAS or numpy release
could in principle take another path; the published values would still be
met, but the files would differ and the seed should then be re-run and the
files re-shipped.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ipsreport.codebook import load_codebook
from ipsreport.paths import SYNTHETIC_DIR

__all__ = [
    "build_twin",
    "write_twin",
    "months_enrolled",
    "duration_code",
    "GENERATOR_VERSION",
    "DEFAULT_SEED",
    "EVALUATION_END",
]

GENERATOR_VERSION = "1.0.0"
DEFAULT_SEED = 2025

#: The implementation period (first and last possible start date).
PERIOD_START = dt.date(2023, 3, 1)
PERIOD_END = dt.date(2025, 2, 28)
#: The evaluation closed on this date; the still enrolled are counted to it.
EVALUATION_END = dt.date(2025, 5, 1)
LAST_END = EVALUATION_END - dt.timedelta(days=1)
DAYS_PER_MONTH = 365.25 / 12
#: Upper bounds (exclusive, months) of duration codes 1-6; code 7 is 12+.
DURATION_BOUNDS = (2, 4, 6, 8, 10, 12)

# ---------------------------------------------------------------------------
# Published margins (the generator's targets; see tests/fixtures/published.yml)
# ---------------------------------------------------------------------------
N_REGISTRY, N_BASELINE, N_FOLLOWUP = 66, 55, 43
EXIT_COUNTS = {1: 9, 2: 3, 3: 14, 4: 17, 5: 23}
REFERRAL_COUNTS = {1: 28, 2: 38}
PLACEMENT_EVER, PLACEMENT_NOW, PSYCHIATRY_CONTACT, UU_GUIDANCE = 48, 19, 33, 22
#: Events (in job or education) among the 34 finished follow-up respondents.
#: Not published; 20 of 34 keeps the registry's 26 of 43 for the rest (6 of 9).
FOLLOWUP_EVENTS = 20

DURATION_COUNTS = {1: 2, 2: 6, 3: 9, 4: 7, 5: 6, 6: 3, 7: 10}
GENDER_COUNTS = {1: 24, 2: 29, 3: 2}
EDUCATION_COUNTS = {1: 4, 2: 27, 3: 15, 4: 1, 5: 2, 6: 0, 7: 0}  # + 6 missing
WORK_EXPERIENCE_YES = 47
WORK_YEARS_SUM = 150.5  # 47 answers in half years, mean 3.20 ("lidt over tre")
AGE_MIN, AGE_MAX, AGE_SUM, AGE_OVER20 = 16, 29, 22 * 55, 36
SUPPORT_COUNTS = {
    "support_psychiatry": 13,
    "support_mentor": 11,
    "support_psychologist": 8,
    "support_assessment": 7,
    "support_home_guide": 3,
    "support_other": 12,
}
GOAL_COUNTS = {"goal_job": 44, "goal_everyday": 31, "goal_education": 22, "goal_understood": 21, "goal_social": 15}
MOTIVATION_COUNTS = {
    "motivation_change": {1: 34, 2: 16, 3: 5, 4: 0},
    "motivation_effort": {1: 43, 2: 12, 3: 0, 4: 0},
    "motivation_influence": {1: 38, 2: 16, 3: 1, 4: 0},
}
# Table 6: no whole counts on 55 give the printed 7/17/45/18/12 and
# 18/29/26/22/4 %; these are the closest (least squares) attainable counts.
RESOURCE_COUNTS = {
    "surplus": {1: 4, 2: 9, 3: 25, 4: 10, 5: 7},
    "belief_work": {1: 10, 2: 16, 3: 15, 4: 12, 5: 2},
}
EVALUATION_COUNTS = {
    "eval_support": {1: 29, 2: 12, 3: 1, 4: 1, 5: 0},
    "eval_influence": {1: 32, 2: 10, 3: 0, 4: 1, 5: 0},
    "eval_needs": {1: 30, 2: 10, 3: 2, 4: 1, 5: 0},
}
PSYCH_CONTACT = 16
# Of those with contact: 9 of 14 / 9 of 16 / 8 of 14 answered "høj" or "meget høj".
PSYCH_COUNTS = {
    "psych_dialogue": {1: 4, 2: 5, 3: 3, 4: 1, 5: 1},
    "psych_support": {1: 4, 2: 5, 3: 4, 4: 2, 5: 1},
    "psych_positive": {1: 3, 2: 5, 3: 4, 4: 1, 5: 1},
}
HAD_PLACEMENT = 28
NO_PLACEMENT_SHORT = 5  # of the 15 without a placement, enrolled < 4 months
# Placement items among the 28 (see published.yml for the readings used).
PLACEMENT_COUNTS = {
    "placement_welcome": {1: 6, 2: 8, 3: 6, 4: 4, 5: 4},
    "placement_needs": {1: 7, 2: 9, 3: 7, 4: 3, 5: 2},
    "placement_belonging": {1: 5, 2: 7, 3: 7, 4: 3, 5: 2},  # + 4 not answered
    "placement_clarity": {1: 4, 2: 5, 3: 6, 4: 6, 5: 7},
}

#: Chapter 6: the 40 respondents with both measurements.
N_PAIRED = 40
WHO5_BANDS_START = (11, 10, 19)  # 27.5 / 25 / 47.5 %
WHO5_BANDS_END = (10, 7, 23)  # 25 / 17.5 / 57.5 %
WHO5_SUM_START, WHO5_SUM_END = 49 * 40, 51 * 40
MASTERY_SUM_START, MASTERY_SUM_END = 314, 321  # 7.85 and 8.025 (printed 8,03)
LONELINESS_SUM_START, LONELINESS_SUM_END = 113, 108  # 2.825 (2,83) and 2.70
BURDEN_SUM_START, BURDEN_SUM_END = 124, 129  # 3.10 and 3.225 (printed 3,22)

#: Table 9 targets on the log-odds scale: (coefficient, standard error).
#: Non-significant terms are printed only as CIs: centre = geometric mean of
#: the bounds, se = half-width / 1.96. Meaning and mastery use the printed
#: odds ratios with a se that gives their printed significance level; burden
#: uses the printed p = 0.053 with the se closest to the printed CI.
REGRESSION_TARGETS = {
    "education": (math.log(math.sqrt(0.48 * 3.04)), math.log(3.04 / 0.48) / 3.92),
    "duration": (math.log(math.sqrt(0.84 * 2.11)), math.log(2.11 / 0.84) / 3.92),
    "age": (math.log(math.sqrt(0.78 * 1.18)), math.log(1.18 / 0.78) / 3.92),
    "gender": (math.log(math.sqrt(0.18 * 3.27)), math.log(3.27 / 0.18) / 3.92),
    "work_experience": (math.log(math.sqrt(0.66 * 1.24)), math.log(1.24 / 0.66) / 3.92),
    "meaning": (math.log(2.12), 0.28),
    "mastery": (math.log(2.24), 0.36),
    "who5_change": (math.log(math.sqrt(0.99 * 1.08)), math.log(1.08 / 0.99) / 3.92),
    "loneliness": (math.log(math.sqrt(0.25 * 1.75)), math.log(1.75 / 0.25) / 3.92),
    "burden": (-0.752, 0.389),
}
TERMS = tuple(REGRESSION_TARGETS)

#: Variables whose values the 2025 report does not publish (Bilag 5 charts
#: without numbers); the twin's answers are plausible, not reproduced.
UNPUBLISHED = (
    "experience_overall",
    "statement_clarity",
    "statement_belief",
    "statement_hope",
    "overall_effect",
    "meaning_everyday",
    "meaning_social",
)

SITES = ("Ungeenheden", "Jobcenter")
CONSULTANTS = ("August", "Inga", "Mette", "Jonas")

# Person layout (positions in the internal person order; see module docstring).
F = np.arange(0, 34)  # finished, answered at start and end
SE = np.arange(34, 43)  # still enrolled, answered at start and end
SE_PAIRED, SE_UNPAIRED = np.arange(34, 40), np.arange(40, 43)
PAIRED = np.arange(0, 40)
BASELINE = np.arange(0, 55)
FOLLOWUP = np.arange(0, 43)
BL_ONLY_FINISHED, BL_ONLY_ACTIVE = np.arange(43, 48), np.arange(48, 55)
REG_ONLY_FINISHED, REG_ONLY_ACTIVE = np.arange(55, 59), np.arange(59, 66)
ACTIVE = np.concatenate([SE, BL_ONLY_ACTIVE, REG_ONLY_ACTIVE])
FINISHED_NON_RESPONDENTS = np.concatenate([BL_ONLY_FINISHED, REG_ONLY_FINISHED])

_PLACEMENT_BUNDLE = ("duration", "had_placement", *PLACEMENT_COUNTS)


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------
def months_enrolled(start, end, evaluation_end=EVALUATION_END):
    """Months in the programme: start to end, or to the evaluation end.

    Parameters
    ----------
    start, end : Series of datetime64 (``end`` may hold ``NaT``)
    evaluation_end : date
        Cut-off used for those still enrolled (``end`` missing).

    Returns
    -------
    Series of float
        Days divided by the mean month length (365.25 / 12).
    """
    start = pd.to_datetime(pd.Series(start))
    end = pd.to_datetime(pd.Series(end)).fillna(pd.Timestamp(evaluation_end))
    return (end - start).dt.days.astype(float) / DAYS_PER_MONTH


def duration_code(months: float) -> int:
    """Duration category (codebook scale ``duration``) for months enrolled."""
    for code, upper in enumerate(DURATION_BOUNDS, start=1):
        if months < upper:
            return code
    return len(DURATION_BOUNDS) + 1


def _multiset(counts: dict[int, int]) -> np.ndarray:
    return np.repeat(np.array(list(counts), dtype=float), list(counts.values()))


def _fixed_sum(rng, values: np.ndarray, target: float, lo, hi, step: float = 1.0) -> np.ndarray:
    """Move single elements by ``step`` (within per-element bounds) until the
    sum equals ``target``; bounds may be scalars or arrays."""
    v = values.astype(float).copy()
    lo = np.broadcast_to(np.asarray(lo, dtype=float), v.shape)
    hi = np.broadcast_to(np.asarray(hi, dtype=float), v.shape)
    for _ in range(100_000):
        gap = target - v.sum()
        if abs(gap) < step / 2:
            return v
        movable = np.flatnonzero(v + step <= hi + 1e-9) if gap > 0 else np.flatnonzero(v - step >= lo - 1e-9)
        if movable.size == 0:
            break
        v[rng.choice(movable)] += step if gap > 0 else -step
    raise ValueError(f"cannot reach sum {target} within the bounds")


def _band_scores(rng, bands: tuple[int, int, int], total: float) -> np.ndarray:
    """WHO-5 scores (multiples of 4) with the given counts per band and sum."""
    lo = np.repeat([4.0, 36.0, 52.0], bands)
    hi = np.repeat([32.0, 48.0, 96.0], bands)
    centre = np.repeat([22.0, 42.0, 66.0], bands)
    draw = np.clip(np.round((centre + rng.normal(0, [6.0] * bands[0] + [4.0] * bands[1] + [11.0] * bands[2])) / 4) * 4, lo, hi)
    return _fixed_sum(rng, draw, total, lo, hi, step=4.0)


def _bounded_scores(rng, n: int, total: float, lo: float, hi: float, sd: float) -> np.ndarray:
    draw = np.clip(np.round(rng.normal(total / n, sd, n)), lo, hi)
    return _fixed_sum(rng, draw, total, lo, hi)


def _correlated_order(rng, reference: np.ndarray, values: np.ndarray, noise: float) -> np.ndarray:
    """Arrange ``values`` so that they correlate with ``reference`` (rank
    matching with noise); the multiset of values is unchanged."""
    ref = reference + rng.normal(0, noise * (np.nanstd(reference) or 1.0), len(reference))
    out = np.empty(len(values))
    out[np.argsort(ref, kind="stable")] = np.sort(values, kind="stable")
    return out


def _split_items(rng, total: int, n_items: int, lo: int, hi: int) -> np.ndarray:
    """Random item answers within [lo, hi] that add up to ``total``."""
    items = np.full(n_items, lo)
    for _ in range(total - lo * n_items):
        free = np.flatnonzero(items < hi)
        items[rng.choice(free)] += 1
    return items


# ---------------------------------------------------------------------------
# Step 1-2: margins and a first assignment
# ---------------------------------------------------------------------------
def _initial_state(rng) -> dict[str, np.ndarray]:
    n = N_REGISTRY
    s: dict[str, np.ndarray] = {}
    nan = lambda: np.full(n, np.nan)  # noqa: E731

    # --- baseline demographics -------------------------------------------
    young = np.clip(np.round(rng.normal(18.7, 1.3, 55 - AGE_OVER20)), 16, 20)
    old = np.clip(np.round(rng.normal(24.0, 2.4, AGE_OVER20)), 21, 29)
    young[0], old[0] = AGE_MIN, AGE_MAX
    young_lo = np.full(young.shape, 16.0)
    young_hi = np.full(young.shape, 20.0)
    young_lo[0] = young_hi[0] = AGE_MIN
    old_lo = np.full(old.shape, 21.0)
    old_hi = np.full(old.shape, 29.0)
    old_lo[0] = old_hi[0] = AGE_MAX
    young = _fixed_sum(rng, young, round(young.sum()), young_lo, young_hi)
    old = _fixed_sum(rng, old, AGE_SUM - young.sum(), old_lo, old_hi)
    age = nan()
    age[BASELINE] = rng.permutation(np.concatenate([young, old]))
    s["age"] = age

    gender = nan()
    gender[BASELINE] = rng.permutation(_multiset(GENDER_COUNTS))
    s["gender"] = gender

    # Education: the most age-restricted values are placed first; the six
    # missing answers go to people outside the regression sample.
    edu = nan()
    values = _multiset(EDUCATION_COUNTS)
    order = rng.permutation(BASELINE)
    free = list(order)
    min_age = {5: 20, 3: 18, 4: 18}
    for value in sorted(values, key=lambda v: -min_age.get(int(v), 0)):
        for person in free:
            if age[person] >= min_age.get(int(value), 0):
                edu[person] = value
                free.remove(person)
                break
    # Six left: they must not be finished follow-up respondents.
    for person in free:
        if person in F:
            swap = next(
                p
                for p in rng.permutation(BASELINE)
                if p not in F and p not in free and not np.isnan(edu[p]) and _edu_ok(edu[p], age[person])
            )
            edu[person], edu[swap] = edu[swap], np.nan
    s["education"] = edu

    # Work experience: the eight without are mostly among the youngest.
    wexp = nan()
    weights = np.where(age[BASELINE] <= 20, 3.0, 1.0)
    no = rng.choice(BASELINE, size=55 - WORK_EXPERIENCE_YES, replace=False, p=weights / weights.sum())
    wexp[BASELINE] = 1.0
    wexp[no] = 0.0
    s["work_experience"] = wexp
    years = nan()
    yes = np.flatnonzero(wexp == 1)
    cap = np.maximum(age[yes] - 15, 0.5)
    draw = np.clip(np.round(rng.gamma(2.0, 1.6, len(yes)) * 2) / 2, 0.5, cap)
    years[yes] = _fixed_sum(rng, draw, WORK_YEARS_SUM, 0.5, cap, step=0.5)
    s["work_experience_years"] = years

    # --- follow-up: duration and placement bundle ---------------------------
    # 8 short (< 4 months) answers: 5 of them without a placement.
    dur_values = _multiset(DURATION_COUNTS)
    short = dur_values[dur_values <= 2]
    long_ = rng.permutation(dur_values[dur_values > 2])
    had = np.concatenate([np.zeros(NO_PLACEMENT_SHORT), np.ones(len(short) - NO_PLACEMENT_SHORT)])
    n_no_long = (N_FOLLOWUP - HAD_PLACEMENT) - NO_PLACEMENT_SHORT
    had_long = np.concatenate([np.zeros(n_no_long), np.ones(len(long_) - n_no_long)])
    dur_all = np.concatenate([short, long_])
    had_all = np.concatenate([had, had_long])
    perm = rng.permutation(len(dur_all))
    dur_all, had_all = dur_all[perm], had_all[perm]
    # Those still enrolled answered after at least two months: no code 1.
    code1 = np.flatnonzero(dur_all == 1)
    for i in code1:
        if i in SE:
            j = next(j for j in F if dur_all[j] != 1)
            dur_all[[i, j]] = dur_all[[j, i]]
            had_all[[i, j]] = had_all[[j, i]]
    s["duration"] = nan()
    s["duration"][FOLLOWUP] = dur_all
    s["had_placement"] = nan()
    s["had_placement"][FOLLOWUP] = had_all
    placed = np.flatnonzero(s["had_placement"] == 1)
    for name, counts in PLACEMENT_COUNTS.items():
        col = nan()
        vals = _multiset(counts)
        vals = np.concatenate([vals, np.full(HAD_PLACEMENT - len(vals), np.nan)])
        col[placed] = rng.permutation(vals)
        s[name] = col

    # --- paired mental-health scores ------------------------------------------
    def paired_pair(start_total, end_total, lo, hi, sd):
        start = _bounded_scores(rng, N_PAIRED, start_total, lo, hi, sd)
        end = _bounded_scores(rng, N_PAIRED, end_total, lo, hi, sd)
        return start, _correlated_order(rng, start, end, noise=1.0)

    w_start = _band_scores(rng, WHO5_BANDS_START, WHO5_SUM_START)
    w_end = _correlated_order(rng, w_start, _band_scores(rng, WHO5_BANDS_END, WHO5_SUM_END), noise=1.0)
    m_start, m_end = paired_pair(MASTERY_SUM_START, MASTERY_SUM_END, 3, 12, 2.0)
    l_start, l_end = paired_pair(LONELINESS_SUM_START, LONELINESS_SUM_END, 1, 5, 1.1)
    b_start, b_end = paired_pair(BURDEN_SUM_START, BURDEN_SUM_END, 1, 5, 1.1)
    rest = BASELINE[N_PAIRED:]
    for name, start, end, gen in (
        ("who5", w_start, w_end, lambda k: np.clip(np.round(rng.normal(49, 18, k) / 4) * 4, 4, 96)),
        ("mastery", m_start, m_end, lambda k: np.clip(np.round(rng.normal(7.8, 2.0, k)), 3, 12)),
        ("loneliness", l_start, l_end, lambda k: np.clip(np.round(rng.normal(2.8, 1.1, k)), 1, 5)),
        ("burden", b_start, b_end, lambda k: np.clip(np.round(rng.normal(3.1, 1.1, k)), 1, 5)),
    ):
        col_s, col_e = nan(), nan()
        col_s[PAIRED], col_e[PAIRED] = start, end
        col_s[rest] = gen(len(rest))
        s[f"{name}_start"], s[f"{name}_end"] = col_s, col_e

    # --- outcome and the meaning items ------------------------------------
    y = nan()
    # A first guess in the direction of Table 9: higher mastery -> more often in job/education.
    order = np.argsort(-(s["mastery_end"][F] + rng.normal(0, 2.0, len(F))), kind="stable")
    y[F] = 0.0
    y[F[order[:FOLLOWUP_EVENTS]]] = 1.0
    s["in_job_education"] = y
    me, ms = nan(), nan()
    base = np.where(np.isnan(y[FOLLOWUP]), 2.0, np.where(y[FOLLOWUP] == 1, 1.7, 2.7))
    me[FOLLOWUP] = np.clip(np.round(base + rng.normal(0, 0.8, N_FOLLOWUP)), 1, 5)
    ms[FOLLOWUP] = np.clip(np.round(base + rng.normal(0.2, 0.8, N_FOLLOWUP)), 1, 5)
    s["meaning_everyday"], s["meaning_social"] = me, ms
    return s


# ---------------------------------------------------------------------------
# Step 3: calibration of Table 9 and the paired tests
# ---------------------------------------------------------------------------
_TARGET_B = np.array([REGRESSION_TARGETS[t][0] for t in TERMS])
_TARGET_SE = np.array([REGRESSION_TARGETS[t][1] for t in TERMS])
_IDX = {t: i for i, t in enumerate(TERMS)}
_TARGET_LO = _TARGET_B - 1.96 * _TARGET_SE
_TARGET_HI = _TARGET_B + 1.96 * _TARGET_SE
#: Accepted error of a log confidence bound: a tenth of the half-width, within limits.
_CI_SCALE = np.clip(0.1 * 1.96 * _TARGET_SE, 0.005, 0.05)
#: Terms calibrated on their confidence bounds (all but the two printed ORs).
_CI_TERMS = np.array([t not in ("meaning", "mastery") for t in TERMS])


def _design(s: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The Table 9 design on the finished respondents (same coding as
    :func:`ipsreport.spec.regression_frame`)."""
    years = np.where(s["work_experience"][F] == 0, 0.0, s["work_experience_years"][F])
    meaning = 6 - (s["meaning_everyday"][F] + s["meaning_social"][F]) / 2
    cols = [
        s["education"][F],
        s["duration"][F],
        s["age"][F],
        (s["gender"][F] == 2).astype(float),
        years,
        meaning,
        s["mastery_end"][F],
        s["who5_end"][F] - s["who5_start"][F],
        s["loneliness_end"][F],
        s["burden_end"][F],
    ]
    X = np.column_stack([np.ones(len(F)), *cols])
    return X, s["in_job_education"][F]


def _logit(X: np.ndarray, y: np.ndarray, beta0: np.ndarray | None = None):
    """Newton-Raphson maximum likelihood logit; returns (beta, se) or None
    when the fit does not converge or separates the outcome."""
    beta = np.zeros(X.shape[1]) if beta0 is None else beta0.copy()
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ beta, -35, 35)))
        w = p * (1 - p)
        hess = X.T @ (X * w[:, None])
        try:
            step = np.linalg.solve(hess, X.T @ (y - p))
        except np.linalg.LinAlgError:
            return None
        beta = beta + step
        if not np.all(np.isfinite(beta)) or np.abs(beta).max() > 30:
            return None
        if np.abs(step).max() < 1e-8:
            p = 1.0 / (1.0 + np.exp(-np.clip(X @ beta, -35, 35)))
            w = p * (1 - p)
            hess = X.T @ (X * w[:, None])
            try:
                cov = np.linalg.inv(hess)
            except np.linalg.LinAlgError:
                return None
            return beta, np.sqrt(np.diag(cov))
    return None


_SCORES = ("who5", "mastery", "loneliness", "burden")


def _paired_stats(s: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Paired t statistics and start-end correlations of the four scores."""
    a = np.stack([s[f"{n}_start"][PAIRED] for n in _SCORES])
    b = np.stack([s[f"{n}_end"][PAIRED] for n in _SCORES])
    d = b - a
    sd = d.std(axis=1, ddof=1)
    t_stat = np.where(sd > 0, d.mean(axis=1) / np.where(sd > 0, sd, 1) * math.sqrt(a.shape[1]), 99.0)
    ac = a - a.mean(axis=1, keepdims=True)
    bc = b - b.mean(axis=1, keepdims=True)
    r = (ac * bc).sum(axis=1) / np.sqrt((ac**2).sum(axis=1) * (bc**2).sum(axis=1))
    return t_stat, r


def _loss(s: dict[str, np.ndarray], beta0=None, strict: bool = True):
    """Calibration objective (0 = every Table 9 and chapter 6 target met).

    Returns ``(loss, beta)``; ``beta`` warm-starts the next fit. ``strict``
    switches the burden p-value target from loose to exact.
    """
    X, y = _design(s)
    fit = _logit(X, y, beta0)
    if fit is None:
        return 1e9, None
    beta, se = fit
    b, e = beta[1:], se[1:]
    z = b / e
    # Confidence bounds on the log scale, each within a tenth of the printed
    # half-width (at most 5 %) of the printed bound.
    lo, hi = b - 1.96 * e, b + 1.96 * e
    loss = float(np.sum((((lo - _TARGET_LO) / _CI_SCALE) ** 2 + ((hi - _TARGET_HI) / _CI_SCALE) ** 2)[_CI_TERMS]))
    # The printed odds ratios of the two significant terms (tolerance 0.10),
    # with the precision their significance marks call for.
    for term in ("meaning", "mastery"):
        i = _IDX[term]
        loss += ((math.exp(b[i]) - math.exp(_TARGET_B[i])) / 0.03) ** 2
        loss += (math.log(e[i] / _TARGET_SE[i]) / 0.10) ** 2
    # Significance marks: ** for meaning, * (not **) for mastery, p = 0.053
    # for burden, n.s. for the rest.
    zi = {t: z[_IDX[t]] for t in TERMS}
    loss += 1000 * max(0.0, 2.75 - zi["meaning"]) ** 2
    loss += 500 * max(0.0, 2.15 - zi["mastery"]) ** 2 + 500 * max(0.0, zi["mastery"] - 2.45) ** 2
    p_burden = math.erfc(abs(zi["burden"]) / math.sqrt(2))
    # Printed p = 0.053 (three decimals); loosely at first, exactly at the end.
    loss += ((p_burden - 0.053) / (0.0002 if strict else 0.002)) ** 2 + 1000 * max(0.0, zi["burden"]) ** 2
    for t in TERMS:
        if t not in ("meaning", "mastery", "burden"):
            loss += 50 * max(0.0, abs(zi[t]) - 1.80) ** 2
    # The meaning items also appear in Bilag 5 ("mostly positive"): at most a
    # quarter "i mindre grad"/"slet ikke" and at least half "høj"/"meget høj".
    for col in ("meaning_everyday", "meaning_social"):
        v = s[col][FOLLOWUP]
        loss += 2000 * max(0.0, np.mean(v >= 4) - 0.25) ** 2 + 2000 * max(0.0, 0.50 - np.mean(v <= 2)) ** 2
        loss += 2000 * max(0.0, np.mean(v == 5) - 0.12) ** 2
    # Chapter 6: no paired change may be significant (margin: |t| < 1.6), and
    # start and end should correlate as repeated measures do (r >= 0.4).
    t_stat, r = _paired_stats(s)
    loss += 50 * float(np.sum(np.maximum(0.0, np.abs(t_stat) - 1.6) ** 2))
    loss += 100 * float(np.sum(np.maximum(0.0, 0.4 - r) ** 2))
    return loss, beta


def _propose(rng, s: dict[str, np.ndarray]):
    """One random move that keeps every published margin. Returns a list of
    (column, index, old value) for undoing, or None if the move is invalid."""
    kind = rng.integers(0, 12)
    undo: list[tuple[str, int, float]] = []

    def swap(cols, i, j):
        for c in cols:
            undo.append((c, i, s[c][i]))
            undo.append((c, j, s[c][j]))
            s[c][i], s[c][j] = s[c][j], s[c][i]

    def pick(pool, k=2):
        return rng.choice(pool, size=k, replace=False)

    if kind == 0:  # outcome
        ones = F[s["in_job_education"][F] == 1]
        zeros = F[s["in_job_education"][F] == 0]
        swap(["in_job_education"], rng.choice(ones), rng.choice(zeros))
    elif kind == 1:  # education
        i, j = pick(BASELINE)
        ei, ej = s["education"][i], s["education"][j]
        if (np.isnan(ei) and j in F) or (np.isnan(ej) and i in F):
            return None
        if not (_edu_ok(ej, s["age"][i]) and _edu_ok(ei, s["age"][j])):
            return None
        swap(["education"], i, j)
    elif kind == 2:  # age
        i, j = pick(BASELINE)
        ai, aj = s["age"][i], s["age"][j]
        if not (_edu_ok(s["education"][i], aj) and _edu_ok(s["education"][j], ai)):
            return None
        if not (_years_ok(s["work_experience_years"][i], aj) and _years_ok(s["work_experience_years"][j], ai)):
            return None
        swap(["age"], i, j)
    elif kind == 3:  # gender
        i, j = pick(BASELINE)
        swap(["gender"], i, j)
    elif kind == 4:  # work experience (flag and years together)
        i, j = pick(BASELINE)
        if not (_years_ok(s["work_experience_years"][j], s["age"][i]) and _years_ok(s["work_experience_years"][i], s["age"][j])):
            return None
        swap(["work_experience", "work_experience_years"], i, j)
    elif kind == 5:  # duration with the placement answers
        i, j = pick(FOLLOWUP)
        if (i in SE and s["duration"][j] == 1) or (j in SE and s["duration"][i] == 1):
            return None
        swap(list(_PLACEMENT_BUNDLE), i, j)
    elif kind == 6:  # meaning items (unpublished)
        i = rng.choice(F)
        col = "meaning_everyday" if rng.random() < 0.5 else "meaning_social"
        undo.append((col, i, s[col][i]))
        s[col][i] = float(rng.integers(1, 6))
    elif kind in (7, 8, 9, 10):  # end (or start) scores among the paired
        name = ("mastery", "who5", "loneliness", "burden")[kind - 7]
        when = "end" if rng.random() < 0.75 else "start"
        col = f"{name}_{when}"
        i, j = pick(PAIRED)
        if rng.random() < 0.5:
            swap([col], i, j)
        else:  # move one unit from j to i, staying in range (and WHO-5 band)
            step = 4.0 if name == "who5" else 1.0
            lo, hi = {"mastery": (3, 12), "who5": (0, 100), "loneliness": (1, 5), "burden": (1, 5)}[name]
            vi, vj = s[col][i] + step, s[col][j] - step
            if not (lo <= vi <= hi and lo <= vj <= hi):
                return None
            if name == "who5" and (_band(vi) != _band(s[col][i]) or _band(vj) != _band(s[col][j])):
                return None
            undo.append((col, i, s[col][i]))
            undo.append((col, j, s[col][j]))
            s[col][i], s[col][j] = vi, vj
    else:  # swap meaning answers between two finished respondents
        i, j = pick(F)
        swap(["meaning_everyday", "meaning_social"], i, j)
    return undo


def _edu_ok(edu: float, age: float) -> bool:
    if np.isnan(edu):
        return True
    return age >= {5: 20, 3: 18, 4: 18}.get(int(edu), 0)


def _years_ok(years: float, age: float) -> bool:
    return np.isnan(years) or years <= max(age - 15, 0.5)


def _band(score: float) -> int:
    return 1 if score <= 35 else 2 if score <= 50 else 3


def _calibrate(rng, s: dict[str, np.ndarray], iterations: int = 40_000) -> dict[str, np.ndarray]:
    """Simulated annealing over margin-preserving moves (see module docstring)."""
    # Phase 1 (70 %): annealing with a loose burden p-value; phase 2: the
    # best state so far, polished at low temperature with the exact target.
    switch = int(iterations * 0.7)
    loss, beta = _loss(s, strict=False)
    best, best_state = loss, {k: v.copy() for k, v in s.items()}
    t0, t1 = 20.0, 0.01
    strict = False
    for it in range(iterations):
        if it == switch:
            strict = True
            s = {k: v.copy() for k, v in best_state.items()}
            loss, beta = _loss(s, strict=True)
            best, best_state = loss, {k: v.copy() for k, v in s.items()}
        temp = t0 * (t1 / t0) ** (it / iterations) if not strict else 0.05
        undo = _propose(rng, s)
        if undo is None:
            continue
        new, new_beta = _loss(s, beta if beta is not None else None, strict=strict)
        if new <= loss or rng.random() < math.exp(-(new - loss) / temp):
            loss, beta = new, new_beta
            if loss < best:
                best, best_state = loss, {k: v.copy() for k, v in s.items()}
        else:
            for col, i, old in reversed(undo):
                s[col][i] = old
    return best_state


# ---------------------------------------------------------------------------
# Registry and the remaining answers
# ---------------------------------------------------------------------------
def _months(rng, s) -> np.ndarray:
    """Months enrolled per person, consistent with the reported categories."""
    months = np.full(N_REGISTRY, np.nan)
    lower = (0.7, *DURATION_BOUNDS)
    upper = (*DURATION_BOUNDS, 22.0)
    for p in FOLLOWUP:
        code = int(s["duration"][p])
        lo, hi = lower[code - 1] + 0.15, upper[code - 1] - 0.15
        if p in SE:
            lo = max(lo, 2.2)
        months[p] = rng.uniform(lo, hi)
    others = np.concatenate([FINISHED_NON_RESPONDENTS, BL_ONLY_ACTIVE, REG_ONLY_ACTIVE])
    raw = rng.gamma(2.2, 4.6, len(others))
    floor = np.where(np.isin(others, ACTIVE), 2.2, 0.7)
    target = 9.0 * N_REGISTRY - months[FOLLOWUP].sum()
    # Scale the non-respondents' months so the overall mean is nine months.
    lo_f, hi_f = 0.05, 20.0
    for _ in range(100):
        mid = (lo_f + hi_f) / 2
        if np.clip(raw * mid, floor, 24.0).sum() < target:
            lo_f = mid
        else:
            hi_f = mid
    months[others] = np.clip(raw * lo_f, floor, 24.0)
    return months


def _dates(rng, months: np.ndarray, active: np.ndarray):
    start = [None] * N_REGISTRY
    end = [None] * N_REGISTRY
    for p in range(N_REGISTRY):
        days = int(round(months[p] * DAYS_PER_MONTH))
        if active[p]:
            end[p] = None
            start[p] = EVALUATION_END - dt.timedelta(days=days)
        else:
            first_end = PERIOD_START + dt.timedelta(days=days)
            last_end = min(LAST_END, PERIOD_END + dt.timedelta(days=days))
            span = (last_end - first_end).days
            end[p] = first_end + dt.timedelta(days=int(rng.integers(0, span + 1)))
            start[p] = end[p] - dt.timedelta(days=days)
    return start, end


def _choose(rng, pool: np.ndarray, k: int, weights=None) -> np.ndarray:
    pool = np.asarray(pool)
    if k <= 0:
        return pool[:0]
    p = None if weights is None else np.asarray(weights, float) / np.sum(weights)
    return rng.choice(pool, size=k, replace=False, p=p)


def _finish(rng, s: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    n = N_REGISTRY
    nan = lambda: np.full(n, np.nan)  # noqa: E731

    # Exit status: successes of the finished respondents follow the outcome.
    success_codes = rng.permutation(np.concatenate([np.full(EXIT_COUNTS[c], float(c)) for c in (1, 2, 3)]))
    exit_ = nan()
    exit_[ACTIVE] = 5.0
    winners = F[s["in_job_education"][F] == 1]
    exit_[winners] = success_codes[: len(winners)]
    exit_[F[s["in_job_education"][F] == 0]] = 4.0
    rest_success = success_codes[len(winners):]
    order = rng.permutation(FINISHED_NON_RESPONDENTS)
    exit_[order[: len(rest_success)]] = rest_success
    exit_[order[len(rest_success):]] = 4.0
    s["exit_status"] = exit_

    s["still_enrolled"] = nan()
    s["still_enrolled"][FOLLOWUP] = (exit_[FOLLOWUP] == 5).astype(float)

    # Registry flags consistent with the survey answers.
    placed_fu = FOLLOWUP[s["had_placement"][FOLLOWUP] == 1]
    non_fu = np.arange(N_FOLLOWUP, n)
    ever = nan()
    ever[:] = 0.0
    ever[placed_fu] = 1.0
    # The active non-respondents first: most of the active are in a placement now.
    active_non_fu = np.intersect1d(non_fu, ACTIVE)
    finished_non_fu = np.setdiff1d(non_fu, ACTIVE)
    k = PLACEMENT_EVER - len(placed_fu)
    ever[active_non_fu[: min(k, len(active_non_fu))]] = 1.0
    ever[_choose(rng, finished_non_fu, k - min(k, len(active_non_fu)))] = 1.0
    s["placement_ever"] = ever
    now = nan()
    now[ACTIVE] = 0.0
    # Now in a placement: active with a registered placement; survey answers
    # "no placement" are avoided unless there are too few others.
    candidates = ACTIVE[ever[ACTIVE] == 1]
    if len(candidates) < PLACEMENT_NOW:
        extra = ACTIVE[ever[ACTIVE] == 0][: PLACEMENT_NOW - len(candidates)]
        ever[extra] = 1.0
        candidates = np.concatenate([candidates, extra])
    now[_choose(rng, candidates, PLACEMENT_NOW)] = 1.0
    s["placement_now"] = now

    # Baseline supports, psychiatry contact (survey) and registry contact.
    for name, count in SUPPORT_COUNTS.items():
        col = nan()
        col[BASELINE] = 0.0
        col[_choose(rng, BASELINE, count)] = 1.0
        s[name] = col
    psych = nan()
    psych[FOLLOWUP] = 0.0
    w = np.where(s["support_psychiatry"][FOLLOWUP] == 1, 4.0, 1.0) + np.where(s["support_assessment"][FOLLOWUP] == 1, 2.0, 0.0)
    with_contact = _choose(rng, FOLLOWUP, PSYCH_CONTACT, w)
    psych[with_contact] = 1.0
    s["psych_contact"] = psych
    for name, counts in PSYCH_COUNTS.items():
        col = nan()
        vals = _multiset(counts)
        vals = np.concatenate([vals, np.full(PSYCH_CONTACT - len(vals), np.nan)])
        col[with_contact] = rng.permutation(vals)
        s[name] = col
    contact = np.zeros(n)
    must = np.union1d(with_contact, np.flatnonzero(s["support_psychiatry"] == 1))
    contact[must] = 1.0
    others = np.setdiff1d(np.arange(n), must)
    contact[_choose(rng, others, PSYCHIATRY_CONTACT - len(must))] = 1.0
    s["psychiatry_contact"] = contact

    # UU guidance in a third of all programmes, more often for education exits.
    uu = np.zeros(n)
    uu[_choose(rng, np.arange(n), UU_GUIDANCE, np.where(exit_ == 3, 4.0, 1.0))] = 1.0
    s["uu_guidance"] = uu
    # Referral status: uddannelsesparate somewhat more often succeed.
    ref = np.full(n, 2.0)
    ref[_choose(rng, np.arange(n), REFERRAL_COUNTS[1], np.where(np.isin(exit_, (1, 2, 3)), 1.0, 2.0))] = 1.0
    s["referral_status"] = ref

    # Baseline motivation, goals and resources.
    for name, counts in {**MOTIVATION_COUNTS, **RESOURCE_COUNTS}.items():
        col = nan()
        col[BASELINE] = rng.permutation(_multiset(counts))
        s[name] = col
    for name, count in GOAL_COUNTS.items():
        col = nan()
        col[BASELINE] = 0.0
        col[_choose(rng, BASELINE, count)] = 1.0
        s[name] = col

    # Table 7 and the unpublished Bilag 5 items (mostly positive).
    for name, counts in EVALUATION_COUNTS.items():
        col = nan()
        col[FOLLOWUP] = rng.permutation(_multiset(counts))
        s[name] = col
    benefit = 6 - (s["meaning_everyday"] + s["meaning_social"]) / 2  # 1..5, higher = more
    for name, centre in (("experience_overall", 1.9), ("overall_effect", 1.9), ("statement_clarity", 2.3), ("statement_belief", 2.4), ("statement_hope", 2.3)):
        col = nan()
        noise = rng.normal(0, 0.75, N_FOLLOWUP)
        col[FOLLOWUP] = np.clip(np.round(centre + 0.45 * (3.5 - benefit[FOLLOWUP]) + noise), 1, 5)
        s[name] = col
    return s


# ---------------------------------------------------------------------------
# Frames
# ---------------------------------------------------------------------------
def _frames(rng, s: dict[str, np.ndarray]) -> dict[str, pd.DataFrame]:
    cb = load_codebook()
    active = s["exit_status"] == 5
    months = _months(rng, s)
    start, end = _dates(rng, months, active)
    # Identifiers in order of start date.
    order = sorted(range(N_REGISTRY), key=lambda p: (start[p], p))
    ids = np.empty(N_REGISTRY, dtype=object)
    for rank, p in enumerate(order, start=1):
        ids[p] = f"U{rank:03d}"

    # Item-level answers for the scores.
    items: dict[str, np.ndarray] = {}
    for when in ("start", "end"):
        who = np.full((N_REGISTRY, 5), np.nan)
        mas = np.full((N_REGISTRY, 3), np.nan)
        for p in range(N_REGISTRY):
            if not np.isnan(s[f"who5_{when}"][p]):
                who[p] = _split_items(rng, int(s[f"who5_{when}"][p] // 4), 5, 0, 5)
            if not np.isnan(s[f"mastery_{when}"][p]):
                mas[p] = _split_items(rng, int(s[f"mastery_{when}"][p]), 3, 1, 4)
        for k in range(5):
            items[f"who5_{k + 1}_{when}"] = who[:, k]
        for k in range(3):
            items[f"mastery_{k + 1}_{when}"] = mas[:, k]

    site = np.where(rng.random(N_REGISTRY) < 0.8, SITES[0], SITES[1])
    consultant = rng.choice(CONSULTANTS, size=N_REGISTRY)

    def column(ds: str, var, rows: np.ndarray):
        name = var.name
        when = "start" if ds == "baseline" else "end"
        if name == "id":
            return pd.array(list(ids[rows]), dtype="string")
        if name == "site":
            return pd.array(list(site[rows]), dtype="string")
        if name == "consultant":
            return pd.array(list(consultant[rows]), dtype="string")
        if name in ("start_date", "end_date"):
            dates = start if name == "start_date" else end
            return pd.to_datetime(pd.Series([dates[p] for p in rows])).astype("datetime64[ns]").to_numpy()
        if name.startswith(("who5_", "mastery_")):
            values = items[f"{name}_{when}"][rows]
        elif name in ("loneliness", "burden"):
            values = s[f"{name}_{when}"][rows]
        else:
            values = s[name][rows]
        if var.type == "number":
            return pd.array([None if np.isnan(v) else float(v) for v in values], dtype="Float64")
        return pd.array([None if np.isnan(v) else int(v) for v in values], dtype="Int64")

    frames = {}
    for ds, rows in (("registry", np.arange(N_REGISTRY)), ("baseline", BASELINE), ("followup", FOLLOWUP)):
        rows = np.array(sorted(rows, key=lambda p: ids[p]))
        data = {v.name: column(ds, v, rows) for v in cb[ds].variables}
        frames[ds] = pd.DataFrame(data)
    # Registry placement_now is only asked of the active; already NaN elsewhere.
    return frames


def build_twin(seed: int = DEFAULT_SEED, iterations: int = 40_000) -> dict[str, pd.DataFrame]:
    """Build the synthetic twin of the 2025 cohort.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed gives the same data.
    iterations : int
        Steps of the Table 9 calibration (see the module docstring).

    Returns
    -------
    dict of DataFrame
        ``registry``, ``baseline``, ``followup`` with codebook columns in
        codebook order: categories ``Int64``, numbers ``Float64``, dates
        ``datetime64[ns]``, ids and strings ``string``.
    """
    rng = np.random.default_rng(seed)
    state = _initial_state(rng)
    state = _calibrate(rng, state, iterations=iterations)
    state = _finish(rng, state)
    return _frames(rng, state)


def _csv_text(frame: pd.DataFrame) -> str:
    def cell(v) -> str:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
            return ""
        if isinstance(v, pd.Timestamp):
            return v.date().isoformat()
        if isinstance(v, float):
            return f"{v:g}"
        return str(v)

    out = pd.DataFrame({c: [cell(v) for v in frame[c].astype(object)] for c in frame.columns})
    return out.to_csv(index=False, lineterminator="\n")


def write_twin(out_dir: str | Path = SYNTHETIC_DIR, seed: int = DEFAULT_SEED, iterations: int = 40_000) -> dict[str, Path]:
    """Build the twin and write it as CSV files plus ``manifest.yml``.

    Parameters
    ----------
    out_dir : str or Path
        Target folder (created if needed); defaults to ``data/synthetic``.
    seed : int
        Seed passed to :func:`build_twin`.
    iterations : int
        Calibration steps passed to :func:`build_twin`.

    Returns
    -------
    dict
        File name -> written path. The same seed gives byte-identical files.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = build_twin(seed, iterations=iterations)
    written: dict[str, Path] = {}
    files = {}
    for name, frame in frames.items():
        text = _csv_text(frame)
        path = out / f"{name}.csv"
        path.write_bytes(text.encode("utf-8"))
        written[path.name] = path
        files[path.name] = {"rows": len(frame), "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    manifest = {
        "synthetic": True,
        "description": (
            "Syntetiske data (ikke rigtige personer), der genskaber de offentliggjorte tal i "
            "evalueringen af IPS UNG 2025. / Synthetic data (no real persons) reproducing the "
            "published figures of the 2025 IPS UNG evaluation."
        ),
        "generator": "ipsreport.synth.twin",
        "generator_version": GENERATOR_VERSION,
        "seed": int(seed),
        "calibration_iterations": int(iterations),
        "reference_edition": 2025,
        "evaluation_end": EVALUATION_END.isoformat(),
        "files": files,
        "unpublished": list(UNPUBLISHED),
        "published_values": "tests/fixtures/published.yml",
    }
    path = out / "manifest.yml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), encoding="utf-8")
    written[path.name] = path
    return written
