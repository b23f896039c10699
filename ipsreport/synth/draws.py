"""Drawing values with fixed margins: the twin's first assignment (steps 1-2).

Helpers that turn published counts and sums into values (multisets shuffled
onto people, scores moved one step at a time until their sum is exact) and
:func:`initial_state`, the first assignment of every margin to the person
layout of :mod:`ipsreport.synth.targets`. All randomness comes from the
caller's ``numpy.random.Generator``, in a fixed order.
"""

from __future__ import annotations

import numpy as np

from ipsreport.synth.targets import (
    AGE_MAX,
    AGE_MIN,
    AGE_OVER20,
    AGE_SUM,
    BASELINE,
    BURDEN_SUM_END,
    BURDEN_SUM_START,
    DURATION_COUNTS,
    EDUCATION_COUNTS,
    FOLLOWUP,
    FOLLOWUP_EVENTS,
    GENDER_COUNTS,
    HAD_PLACEMENT,
    LONELINESS_SUM_END,
    LONELINESS_SUM_START,
    MASTERY_SUM_END,
    MASTERY_SUM_START,
    N_FOLLOWUP,
    N_PAIRED,
    N_REGISTRY,
    NO_PLACEMENT_SHORT,
    PAIRED,
    PLACEMENT_COUNTS,
    SE,
    WHO5_BANDS_END,
    WHO5_BANDS_START,
    WHO5_SUM_END,
    WHO5_SUM_START,
    WORK_EXPERIENCE_YES,
    WORK_YEARS_SUM,
    F,
)

__all__ = ["multiset", "fixed_sum", "split_items", "choose", "edu_ok", "years_ok", "initial_state"]


def multiset(counts: dict[int, int]) -> np.ndarray:
    """The values of a published margin: each code repeated its count times (float)."""
    return np.repeat(np.array(list(counts), dtype=float), list(counts.values()))


def fixed_sum(rng, values: np.ndarray, target: float, lo, hi, step: float = 1.0) -> np.ndarray:
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
    return fixed_sum(rng, draw, total, lo, hi, step=4.0)


def _bounded_scores(rng, n: int, total: float, lo: float, hi: float, sd: float) -> np.ndarray:
    draw = np.clip(np.round(rng.normal(total / n, sd, n)), lo, hi)
    return fixed_sum(rng, draw, total, lo, hi)


def _correlated_order(rng, reference: np.ndarray, values: np.ndarray, noise: float) -> np.ndarray:
    """Arrange ``values`` so that they correlate with ``reference`` (rank
    matching with noise); the multiset of values is unchanged."""
    ref = reference + rng.normal(0, noise * (np.nanstd(reference) or 1.0), len(reference))
    out = np.empty(len(values))
    out[np.argsort(ref, kind="stable")] = np.sort(values, kind="stable")
    return out


def split_items(rng, total: int, n_items: int, lo: int, hi: int) -> np.ndarray:
    """Random item answers within [lo, hi] that add up to ``total``."""
    items = np.full(n_items, lo)
    for _ in range(total - lo * n_items):
        free = np.flatnonzero(items < hi)
        items[rng.choice(free)] += 1
    return items



def edu_ok(edu: float, age: float) -> bool:
    """Whether an education code is possible at this age (missing is always possible)."""
    if np.isnan(edu):
        return True
    return age >= {5: 20, 3: 18, 4: 18}.get(int(edu), 0)


def years_ok(years: float, age: float) -> bool:
    """Whether years of work experience fit the age (work from 15; missing fits)."""
    return np.isnan(years) or years <= max(age - 15, 0.5)



def choose(rng, pool: np.ndarray, k: int, weights=None) -> np.ndarray:
    """``k`` distinct members of ``pool`` (none for ``k <= 0``), optionally weighted."""
    pool = np.asarray(pool)
    if k <= 0:
        return pool[:0]
    p = None if weights is None else np.asarray(weights, float) / np.sum(weights)
    return rng.choice(pool, size=k, replace=False, p=p)



# ---------------------------------------------------------------------------
# Step 1-2: margins and a first assignment
# ---------------------------------------------------------------------------
def initial_state(rng) -> dict[str, np.ndarray]:
    """Steps 1-2: every margin the calibration works on, assigned to the person layout.

    Returns
    -------
    dict of str to ndarray
        One float array per variable (``NaN`` = not asked or not answered),
        indexed by the internal person order of :mod:`ipsreport.synth.targets`.
    """
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
    young = fixed_sum(rng, young, round(young.sum()), young_lo, young_hi)
    old = fixed_sum(rng, old, AGE_SUM - young.sum(), old_lo, old_hi)
    age = nan()
    age[BASELINE] = rng.permutation(np.concatenate([young, old]))
    s["age"] = age

    gender = nan()
    gender[BASELINE] = rng.permutation(multiset(GENDER_COUNTS))
    s["gender"] = gender

    # Education: the most age-restricted values are placed first; the six
    # missing answers go to people outside the regression sample.
    edu = nan()
    values = multiset(EDUCATION_COUNTS)
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
                if p not in F and p not in free and not np.isnan(edu[p]) and edu_ok(edu[p], age[person])
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
    years[yes] = fixed_sum(rng, draw, WORK_YEARS_SUM, 0.5, cap, step=0.5)
    s["work_experience_years"] = years

    # --- follow-up: duration and placement bundle ---------------------------
    # 8 short (< 4 months) answers: 5 of them without a placement.
    dur_values = multiset(DURATION_COUNTS)
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
        vals = multiset(counts)
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


