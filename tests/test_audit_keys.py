"""ipsreport.analysis.audit's key grammar (``compute_key``) on hand-made frames, worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from ipsreport.analysis.scoring import edition_scores
from ipsreport.analysis import audit

PUBLISHED = audit.load_published()


# --------------------------------------------------------------------------- hand-made frames


@pytest.fixture
def small(make_edition):
    """Four enrolled, three at start, three at the end (answers worked out by hand)."""
    registry = [
        {"id": "a", "start_date": "2024-01-01", "end_date": "2024-07-01", "exit_status": 1, "referral_status": 1},
        {"id": "b", "start_date": "2024-03-01", "end_date": "2024-05-01", "exit_status": 4, "referral_status": 2},
        {"id": "c", "start_date": "2024-11-01", "end_date": None, "exit_status": 5, "referral_status": 2},
        {"id": "d", "start_date": "2024-02-01", "end_date": "2024-12-01", "exit_status": 3, "referral_status": 2},
    ]
    who = lambda v: {f"who5_{i}": v for i in range(1, 6)}  # noqa: E731  (score = 20 * v)
    mas = lambda v: {f"mastery_{i}": v for i in range(1, 4)}  # noqa: E731  (index = 3 * v)
    baseline = [
        {"id": "a", "age": 18, "gender": 1, "education": 2, **who(2), **mas(2), "loneliness": 3, "burden": 4},
        {"id": "b", "age": 25, "gender": 2, "education": None, **who(3), **mas(3), "loneliness": 2, "burden": 2},
        {"id": "c", "age": 29, "gender": 2, "education": 3, **who(1), **mas(1), "loneliness": 5, "burden": 5},
    ]
    followup = [
        {"id": "a", "still_enrolled": 0, "duration": 3, "had_placement": 0, **who(3), **mas(2), "loneliness": 2, "burden": 4},
        {"id": "b", "still_enrolled": 0, "duration": 1, "had_placement": 1, **who(2), **mas(4), "loneliness": 1, "burden": 3},
        {"id": "c", "still_enrolled": 1, "duration": 2, "had_placement": 0, "who5_1": None, **mas(2), "loneliness": 4, "burden": 4},
    ]
    return make_edition(registry, baseline, followup)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("registry.n", 4),
        ("baseline.n", 3),
        ("followup.n", 3),
        ("baseline.education.base", 2),
        ("baseline.gender.n.2", 2),
        ("baseline.gender.pct.2", 100 * 2 / 3),
        ("baseline.education.pct.2", 50),
        ("baseline.education.pct.2+3", 100),
        ("baseline.education.n.5", 0),
        ("baseline.age.mean", 24),
        ("baseline.age.min", 18),
        ("baseline.age.max", 29),
        ("baseline.age.n.25+26+27+28+29", 2),
        ("registry.referral_status.pct.2", 75),
        ("registry.finished.n", 3),
        ("registry.success.n", 2),
        ("registry.success.pct", 100 * 2 / 3),
        ("registry[exit_status!=5].exit_status.pct.3", 100 / 3),
        ("followup[had_placement==0].duration.n.1+2", 1),
        ("followup[still_enrolled==1].duration.min", 2),
        ("followup[had_placement==0].n", 2),
        # pct_all: percent of all (filtered) rows, blank answers in the base ("b" has no who5_1 blank).
        ("followup.still_enrolled.pct_all.1", 100 / 3),
        ("followup.who5_1.pct_all.3", 100 / 3),  # a answered 3, c left it blank: 1 of 3 rows
        ("followup.who5_1.pct.3", 50),  # ... but 1 of the 2 who answered
        ("followup.share_of.baseline", 100),
        ("baseline.share_of.registry", 75),
        ("paired.who5.n", 2),
        ("paired.who5.mean_start", 50),  # a: 40, b: 60
        ("paired.who5.mean_end", 50),  # a: 60, b: 40
        ("paired.who5.band_pct_start.2", 50),  # 40 is in 36-50
        ("paired.who5.band_pct_end.3", 50),  # 60 is over 50
        ("paired.who5.band_pct_end.1", 0),
        ("paired.mastery.n", 3),
        ("paired.mastery.mean_start", 6),  # 6, 9, 3
        ("paired.mastery.mean_end", 8),  # 6, 12, 6
        ("paired.loneliness.mean_end", 7 / 3),
    ],
)
def test_compute_key_by_hand(small, key, expected):
    assert audit.compute_key(small, edition_scores(small), key) == pytest.approx(expected)


def test_months_enrolled_mean_by_hand(small):
    # a: 182 days, b: 61, c: 181 (to 2025-05-01), d: 304.
    expected = (182 + 61 + 181 + 304) / 4 / (365.25 / 12)
    assert audit.compute_key(small, edition_scores(small), "registry.months_enrolled.mean") == pytest.approx(expected)


def test_percentage_of_no_answers_is_nan(small):
    assert math.isnan(audit.compute_key(small, edition_scores(small), "followup.eval_support.pct.1"))


def test_paired_tests_match_scipy(small):
    start, end = np.array([6.0, 9.0, 3.0]), np.array([6.0, 12.0, 6.0])
    assert audit.compute_key(small, edition_scores(small), "paired.mastery.p_ttest") == pytest.approx(stats.ttest_rel(end, start).pvalue)
    assert audit.compute_key(small, edition_scores(small), "paired.mastery.p_wilcoxon") == pytest.approx(stats.wilcoxon(end, start).pvalue)


@pytest.mark.parametrize(
    "key",
    ["nonsense.n", "registry.nonexistent.mean", "registry.exit_status.pct.x", "paired.foo.n", "regression.foo.or",
     "registry.exit_status.median", "paired.who5.band_pct_start"],
)
def test_bad_keys_raise(small, key):
    with pytest.raises(KeyError):
        audit.compute_key(small, edition_scores(small), key)


def test_regression_matches_statsmodels(make_fake):
    import statsmodels.api as sm

    # Large enough for the ten-predictor model to converge without separation.
    fake = make_fake(seed=5, n_registry=400, n_baseline=400, n_followup=400)

    from ipsreport.analysis.spec import REGRESSION_OUTCOME, TERM_NAMES, regression_frame

    data = regression_frame(fake.baseline, fake.followup, edition_scores(fake))
    fit = sm.Logit(data[REGRESSION_OUTCOME], sm.add_constant(data[list(TERM_NAMES)])).fit(disp=0)
    ci = fit.conf_int()
    assert audit.compute_key(fake, edition_scores(fake), "regression.n") == len(data)
    assert audit.compute_key(fake, edition_scores(fake), "regression.events") == data[REGRESSION_OUTCOME].sum()
    for term in TERM_NAMES:
        assert audit.compute_key(fake, edition_scores(fake), f"regression.{term}.or") == pytest.approx(np.exp(fit.params[term]))
        assert audit.compute_key(fake, edition_scores(fake), f"regression.{term}.ci_low") == pytest.approx(np.exp(ci.loc[term, 0]))
        assert audit.compute_key(fake, edition_scores(fake), f"regression.{term}.ci_high") == pytest.approx(np.exp(ci.loc[term, 1]))
        assert audit.compute_key(fake, edition_scores(fake), f"regression.{term}.p") == pytest.approx(fit.pvalues[term])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # tests on three rows warn about precision
def test_every_key_parses(small, make_fake):
    """Every published key follows the grammar: it evaluates to a number, and to NaN
    only where the hand-made edition gives it nothing to compute from (no answers
    to the variable, or paired differences without variation)."""
    fake = make_fake(seed=5, n_registry=400, n_baseline=400, n_followup=400)
    unexplained = []
    for entry in PUBLISHED:
        key = entry["key"]
        if key.startswith("regression."):  # a 3-row edition cannot be fitted
            value = audit.compute_key(fake, edition_scores(fake), key)
            assert isinstance(value, float) and math.isfinite(value), key
            continue
        value = audit.compute_key(small, edition_scores(small), key)
        assert isinstance(value, float), key
        if not math.isnan(value):
            continue
        head, var = key.split(".")[:2]
        if head == "paired":
            start = small.baseline.set_index("id")[var].astype(float)
            end = small.followup.set_index("id")[var].astype(float)
            explained = (end - start).dropna().std() == 0
        else:
            explained = getattr(small, head.split("[")[0])[var].isna().all()
        if not explained:
            unexplained.append(key)
    assert not unexplained
