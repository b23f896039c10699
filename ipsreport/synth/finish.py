"""Registry dates and the answers the calibration leaves free.

After the calibration (:mod:`ipsreport.synth.calibrate`): months enrolled
consistent with each respondent's reported duration, start and end dates,
exit codes that follow the outcome, registry flags consistent with the
survey answers, and the remaining baseline and follow-up items.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ipsreport.analysis.derived import ACTIVE_CODE, DAYS_PER_MONTH, DURATION_BOUNDS, SUCCESS_CODES, is_success, meaning_score
from ipsreport.synth.draws import choose, multiset
from ipsreport.synth.targets import (
    ACTIVE,
    BASELINE,
    BL_ONLY_ACTIVE,
    EVALUATION_COUNTS,
    EVALUATION_END,
    EXIT_COUNTS,
    FINISHED_NON_RESPONDENTS,
    FIRST_DOCUMENTED_START,
    FOLLOWUP,
    GOAL_COUNTS,
    LAST_END,
    MOTIVATION_COUNTS,
    N_FOLLOWUP,
    N_REGISTRY,
    PERIOD_END,
    PERIOD_START,
    PLACEMENT_EVER,
    PLACEMENT_NOW,
    PSYCH_CONTACT,
    PSYCH_COUNTS,
    PSYCHIATRY_CONTACT,
    REFERRAL_COUNTS,
    REG_ONLY_ACTIVE,
    RESOURCE_COUNTS,
    SE,
    SUPPORT_COUNTS,
    UU_GUIDANCE,
    F,
)

__all__ = ["draw_months", "draw_dates", "finish"]


def draw_months(rng, s) -> np.ndarray:
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


def draw_dates(rng, months: np.ndarray, active: np.ndarray):
    """Start and end dates (``datetime.date``; end ``None`` for the active) with
    the given months enrolled: the active counted back from the evaluation end,
    the others placed at random within the implementation period, and the
    first start no later than ``FIRST_DOCUMENTED_START`` (the case study's)."""
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
    # The case appendices document starts from FIRST_DOCUMENTED_START; a first
    # start drawn later would contradict them (the fidelity appendix counts
    # "from the first start"). The earliest finished spell is moved back to
    # that day with its length kept; no random number is drawn, so every
    # other value of the twin stays as it was.
    if min(start) > FIRST_DOCUMENTED_START:
        first = min((p for p in range(N_REGISTRY) if not active[p]), key=lambda p: (start[p], p))
        shift = start[first] - FIRST_DOCUMENTED_START
        start[first] -= shift
        end[first] -= shift
    return start, end



def finish(rng, s: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Exit codes, registry flags and the answers the calibration leaves free,
    added to the calibrated state ``s`` (changed in place and returned)."""
    n = N_REGISTRY
    nan = lambda: np.full(n, np.nan)  # noqa: E731

    # Exit status: successes of the finished respondents follow the outcome.
    success_codes = rng.permutation(np.concatenate([np.full(EXIT_COUNTS[c], float(c)) for c in SUCCESS_CODES]))
    exit_ = nan()
    exit_[ACTIVE] = float(ACTIVE_CODE)
    winners = F[s["in_job_education"][F] == 1]
    exit_[winners] = success_codes[: len(winners)]
    exit_[F[s["in_job_education"][F] == 0]] = 4.0
    rest_success = success_codes[len(winners):]
    order = rng.permutation(FINISHED_NON_RESPONDENTS)
    exit_[order[: len(rest_success)]] = rest_success
    exit_[order[len(rest_success):]] = 4.0
    s["exit_status"] = exit_

    s["still_enrolled"] = nan()
    s["still_enrolled"][FOLLOWUP] = (exit_[FOLLOWUP] == ACTIVE_CODE).astype(float)

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
    ever[choose(rng, finished_non_fu, k - min(k, len(active_non_fu)))] = 1.0
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
    now[choose(rng, candidates, PLACEMENT_NOW)] = 1.0
    s["placement_now"] = now

    # Baseline supports, psychiatry contact (survey) and registry contact.
    for name, count in SUPPORT_COUNTS.items():
        col = nan()
        col[BASELINE] = 0.0
        col[choose(rng, BASELINE, count)] = 1.0
        s[name] = col
    psych = nan()
    psych[FOLLOWUP] = 0.0
    w = np.where(s["support_psychiatry"][FOLLOWUP] == 1, 4.0, 1.0) + np.where(s["support_assessment"][FOLLOWUP] == 1, 2.0, 0.0)
    with_contact = choose(rng, FOLLOWUP, PSYCH_CONTACT, w)
    psych[with_contact] = 1.0
    s["psych_contact"] = psych
    for name, counts in PSYCH_COUNTS.items():
        col = nan()
        vals = multiset(counts)
        vals = np.concatenate([vals, np.full(PSYCH_CONTACT - len(vals), np.nan)])
        col[with_contact] = rng.permutation(vals)
        s[name] = col
    contact = np.zeros(n)
    must = np.union1d(with_contact, np.flatnonzero(s["support_psychiatry"] == 1))
    contact[must] = 1.0
    others = np.setdiff1d(np.arange(n), must)
    contact[choose(rng, others, PSYCHIATRY_CONTACT - len(must))] = 1.0
    s["psychiatry_contact"] = contact

    # UU guidance in a third of all programmes, more often for education exits.
    uu = np.zeros(n)
    uu[choose(rng, np.arange(n), UU_GUIDANCE, np.where(exit_ == 3, 4.0, 1.0))] = 1.0
    s["uu_guidance"] = uu
    # Referral status: uddannelsesparate somewhat more often succeed.
    ref = np.full(n, 2.0)
    ref[choose(rng, np.arange(n), REFERRAL_COUNTS[1], np.where(is_success(exit_), 1.0, 2.0))] = 1.0
    s["referral_status"] = ref

    # Baseline motivation, goals and resources.
    for name, counts in {**MOTIVATION_COUNTS, **RESOURCE_COUNTS}.items():
        col = nan()
        col[BASELINE] = rng.permutation(multiset(counts))
        s[name] = col
    for name, count in GOAL_COUNTS.items():
        col = nan()
        col[BASELINE] = 0.0
        col[choose(rng, BASELINE, count)] = 1.0
        s[name] = col

    # Table 7 and the unpublished Bilag 5 items (mostly positive).
    for name, counts in EVALUATION_COUNTS.items():
        col = nan()
        col[FOLLOWUP] = rng.permutation(multiset(counts))
        s[name] = col
    benefit = meaning_score(s["meaning_everyday"], s["meaning_social"])  # 1..5, higher = more
    for name, centre in (("experience_overall", 1.9), ("overall_effect", 1.9), ("statement_clarity", 2.3), ("statement_belief", 2.4), ("statement_hope", 2.3)):
        col = nan()
        noise = rng.normal(0, 0.75, N_FOLLOWUP)
        col[FOLLOWUP] = np.clip(np.round(centre + 0.45 * (3.5 - benefit[FOLLOWUP]) + noise), 1, 5)
        s[name] = col
    return s


