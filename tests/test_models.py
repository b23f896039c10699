"""Table 9 model: oracle tests against direct statsmodels calls and a
hand-made frame with a closed-form answer."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ipsreport.analysis.scoring import edition_scores
from ipsreport.analysis.models import EPV_MIN, RegressionResult, fit_logit, fit_regression, newton_logit, stars
from ipsreport.analysis.spec import REGRESSION_OUTCOME, TERM_NAMES, regression_frame


def two_by_two(a, b, c, d) -> pd.DataFrame:
    """x = 0: a events, b non-events; x = 1: c events, d non-events."""
    rows = [(0, 1)] * a + [(0, 0)] * b + [(1, 1)] * c + [(1, 0)] * d
    return pd.DataFrame(rows, columns=["x", "y"], dtype=float)


def test_known_answer_two_by_two():
    # One binary predictor: the MLE odds ratio is the cross-product ratio and
    # its standard error on the log scale is sqrt(1/a + 1/b + 1/c + 1/d).
    a, b, c, d = 10, 10, 15, 5
    res = fit_logit(two_by_two(a, b, c, d), "y", ["x"])
    row = res.terms.iloc[0]
    assert row["odds_ratio"] == pytest.approx((c / d) / (a / b), rel=1e-6)  # 3
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    assert row["se"] == pytest.approx(se, rel=1e-5)
    z = 1.959963984540054
    assert row["ci_low"] == pytest.approx(3 * math.exp(-z * se), rel=1e-5)
    assert row["ci_high"] == pytest.approx(3 * math.exp(z * se), rel=1e-5)
    assert (res.n, res.events) == (40, 25)


@pytest.fixture(scope="module")
def simulated():
    rng = np.random.default_rng(42)
    n = 400
    x = rng.normal(size=(n, 3))
    eta = -0.3 + 0.9 * x[:, 0] - 0.5 * x[:, 1]
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    return pd.DataFrame({"y": y, "a": x[:, 0], "b": x[:, 1], "c": x[:, 2]})


def test_oracle_direct_statsmodels(simulated):
    res = fit_logit(simulated, "y", ["a", "b", "c"], labels=["A", "B", "C"])
    direct = sm.Logit(simulated["y"], sm.add_constant(simulated[["a", "b", "c"]])).fit(disp=0)
    terms = res.terms.set_index("term")
    np.testing.assert_allclose(terms["coef"], direct.params[["a", "b", "c"]], rtol=1e-8)
    np.testing.assert_allclose(terms["se"], direct.bse[["a", "b", "c"]], rtol=1e-8)
    np.testing.assert_allclose(terms["odds_ratio"], np.exp(direct.params[["a", "b", "c"]]), rtol=1e-8)
    ci = np.exp(direct.conf_int().loc[["a", "b", "c"]])
    np.testing.assert_allclose(terms["ci_low"], ci[0], rtol=1e-8)
    np.testing.assert_allclose(terms["ci_high"], ci[1], rtol=1e-8)
    np.testing.assert_allclose(terms["p"], direct.pvalues[["a", "b", "c"]], rtol=1e-8)
    assert terms["label"].tolist() == ["A", "B", "C"]
    # a and b are real effects with n = 400; c is noise.
    assert terms.loc["a", "significant"] and terms.loc["b", "significant"]
    assert terms.loc["a", "stars"] == "***"
    assert res.warnings == []  # 400 rows, 3 predictors: plenty of events
    assert list(res.terms.columns) == ["term", "label", "coef", "se", "odds_ratio", "ci_low", "ci_high", "p",
                                       "stars", "significant"]


def lr_statistic(frame, term, b):
    """Independent check: LR statistic with ``term`` fixed at ``b`` (statsmodels GLM with offset)."""
    X = sm.add_constant(frame.drop(columns="y"))
    full = sm.Logit(frame["y"], X).fit(disp=0)
    others = X.drop(columns=[term])
    constrained = sm.GLM(frame["y"], others, family=sm.families.Binomial(), offset=b * X[term]).fit()
    return 2 * (full.llf - constrained.llf)


def test_profile_ci_bounds_hit_the_chi_square_quantile():
    frame = two_by_two(10, 10, 15, 5)
    res = fit_logit(frame, "y", ["x"], ci_method="profile")
    row = res.terms.iloc[0]
    assert res.ci_method == "profile"
    for bound in (row["ci_low"], row["ci_high"]):
        assert lr_statistic(frame, "x", math.log(bound)) == pytest.approx(3.841458820694124, abs=1e-5)
    assert row["ci_low"] < row["odds_ratio"] < row["ci_high"]
    # Point estimate, se and p do not depend on the interval method.
    wald = fit_logit(frame, "y", ["x"]).terms.iloc[0]
    assert (row["odds_ratio"], row["p"]) == pytest.approx((wald["odds_ratio"], wald["p"]))


def test_profile_ci_close_to_wald_in_large_samples(simulated):
    wald = fit_logit(simulated, "y", ["a", "b", "c"]).terms
    prof = fit_logit(simulated, "y", ["a", "b", "c"], ci_method="profile").terms
    np.testing.assert_allclose(np.log(prof["ci_low"]), np.log(wald["ci_low"]), atol=0.03)
    np.testing.assert_allclose(np.log(prof["ci_high"]), np.log(wald["ci_high"]), atol=0.03)


def test_fit_regression_profile_ci_argument(make_fake):
    """``fit_regression(ci_method="profile")``: the same estimates as Wald, and each
    bound is where the likelihood-ratio statistic of the profile reaches chi2(1, 0.95)."""
    from scipy import stats

    ed = make_fake(seed=7, n_registry=260, n_baseline=240, n_followup=220)
    wald = fit_regression(ed, edition_scores(ed), ci_method="wald")
    prof = fit_regression(ed, edition_scores(ed), ci_method="profile")
    assert (wald.ci_method, prof.ci_method) == ("wald", "profile")
    np.testing.assert_allclose(prof.terms["odds_ratio"], wald.terms["odds_ratio"])
    np.testing.assert_allclose(prof.terms["p"], wald.terms["p"])
    assert not np.allclose(prof.terms["ci_low"], wald.terms["ci_low"])

    frame = regression_frame(ed.baseline, ed.followup, edition_scores(ed))
    y = frame[REGRESSION_OUTCOME]
    X = sm.add_constant(frame[list(TERM_NAMES)])
    llf_max = sm.Logit(y, X).fit(disp=0).llf
    crit = stats.chi2.ppf(0.95, 1)
    for term in ("age", "burden"):
        row = prof.terms.set_index("term").loc[term]
        for bound in (row["ci_low"], row["ci_high"]):
            # The log-likelihood with this coefficient fixed at the bound (an offset).
            others = X.drop(columns=term)
            fixed = sm.GLM(y, others, family=sm.families.Binomial(), offset=math.log(bound) * X[term]).fit()
            assert 2 * (llf_max - fixed.llf) == pytest.approx(crit, abs=1e-4)


def test_newton_logit_matches_statsmodels():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(60, 2))
    y = (rng.random(60) < 1 / (1 + np.exp(-(0.3 + x @ [1.0, -0.5])))).astype(float)
    X = sm.add_constant(x)
    beta, se = newton_logit(X, y)
    ref = sm.Logit(y, X).fit(disp=0)
    np.testing.assert_allclose(beta, ref.params, rtol=1e-6)
    np.testing.assert_allclose(se, ref.bse, rtol=1e-6)


def test_newton_logit_reports_separation():
    x = np.arange(10.0)
    X = np.column_stack([np.ones(10), x])
    assert newton_logit(X, (x > 4.5).astype(float)) is None


@pytest.mark.twin
def test_newton_logit_fits_table9_as_fit_logit(ed):
    """On the shipped twin the calibration's logit gives Table 9's estimates."""
    frame = regression_frame(ed.baseline, ed.followup, edition_scores(ed))
    X = np.column_stack([np.ones(len(frame)), frame[list(TERM_NAMES)].to_numpy()])
    beta, se = newton_logit(X, frame[REGRESSION_OUTCOME].to_numpy())
    terms = fit_logit(frame, REGRESSION_OUTCOME, TERM_NAMES).terms
    np.testing.assert_allclose(beta[1:], terms["coef"], rtol=1e-6)
    np.testing.assert_allclose(se[1:], terms["se"], rtol=1e-6)


def test_unknown_ci_method(simulated):
    with pytest.raises(ValueError):
        fit_logit(simulated, "y", ["a"], ci_method="bootstrap")


def test_stars():
    assert [stars(p) for p in (0.0005, 0.001, 0.005, 0.01, 0.03, 0.05, 0.2, float("nan"))] == [
        "***", "**", "**", "*", "*", "", "", ""]


def test_significance_follows_alpha(simulated):
    for alpha in (1e-30, 0.05, 0.99):
        terms = fit_logit(simulated, "y", ["a", "b", "c"], alpha=alpha).terms
        assert terms["significant"].tolist() == (terms["p"] < alpha).tolist()
    assert not fit_logit(simulated, "y", ["a", "b", "c"], alpha=1e-30).terms["significant"].any()


def test_few_events_per_predictor_warns(simulated):
    small = simulated.iloc[:60]
    res = fit_logit(small, "y", ["a", "b", "c"])
    assert res.events_per_predictor < EPV_MIN
    # The warning is the caveat the prose prints too (ipsreport.analysis.evidence), not a text of its own.
    from ipsreport.analysis.evidence import regression_caveat

    caveat = regression_caveat(res)
    assert caveat and caveat.full in res.warnings
    assert "pr. forklarende variabel" in caveat.full


def test_perfect_separation_warns():
    frame = pd.DataFrame({"x": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9.0], "y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1.0]})
    res = fit_logit(frame, "y", ["x"])
    assert any("separation" in w for w in res.warnings)


def test_not_estimable_returns_nan_terms_with_reason():
    frame = pd.DataFrame({"x": [1.0, 2.0], "y": [0.0, 1.0]})
    res = fit_logit(frame, "y", ["x"])
    assert res.terms["odds_ratio"].isna().all() and not res.terms["significant"].any()
    assert any("kunne ikke estimeres" in w for w in res.warnings)
    assert not res.fitted


def test_outcome_without_variation():
    frame = pd.DataFrame({"x": np.arange(20.0), "y": np.ones(20)})
    res = fit_logit(frame, "y", ["x"])
    assert any("kunne ikke estimeres" in w for w in res.warnings)


def test_singular_design():
    rng = np.random.default_rng(0)
    x = rng.normal(size=50)
    frame = pd.DataFrame({"a": x, "b": 2 * x, "y": (rng.random(50) < 0.5).astype(float)})
    res = fit_logit(frame, "y", ["a", "b"])
    assert res.warnings  # either singular or separated/unstable: never silent


def test_fit_regression_matches_direct_call_on_edition(make_fake):
    ed = make_fake(seed=7, n_registry=260, n_baseline=240, n_followup=220)
    res = fit_regression(ed, edition_scores(ed))
    assert isinstance(res, RegressionResult)
    frame = regression_frame(ed.baseline, ed.followup, edition_scores(ed))
    direct = sm.Logit(frame[REGRESSION_OUTCOME], sm.add_constant(frame[list(TERM_NAMES)])).fit(disp=0, maxiter=200)
    assert res.n == len(frame)
    assert res.events == int(frame[REGRESSION_OUTCOME].sum())
    assert res.terms["term"].tolist() == list(TERM_NAMES)
    np.testing.assert_allclose(res.terms["coef"], direct.params[list(TERM_NAMES)], rtol=1e-6)
    np.testing.assert_allclose(res.terms["p"], direct.pvalues[list(TERM_NAMES)], rtol=1e-6)
    assert res.terms["label"].iloc[5] == "Vurdering af forløbets betydning"


@pytest.mark.twin
def test_synthetic_table_9(ed, published):
    """The twin's Table 9 against every ``regression.*`` entry of published.yml (Wald CIs)."""
    res = fit_regression(ed, edition_scores(ed))
    terms = res.terms.set_index("term")
    columns = {"or": "odds_ratio", "ci_low": "ci_low", "ci_high": "ci_high", "p": "p"}
    checked = 0
    for key, entry in published.items():
        parts = key.split(".")
        if parts[0] != "regression":
            continue
        if parts[1] == "n":
            computed = res.n
        elif parts[1] == "events":
            computed = res.events
        else:
            computed = terms.loc[parts[1], columns[parts[2]]]
        # Held to the published tolerance, or to the distance the twin was built to (twin_tolerance).
        slack = max(entry["tolerance"], entry.get("twin_tolerance", 0))
        assert abs(computed - entry["value"]) <= slack + 1e-9, (key, computed, entry)
        checked += 1
    assert checked >= 30
    assert res.n == 34
    assert set(terms.index[terms["significant"]]) == {"meaning", "mastery"}
    # The 2025 table prints no significance stars ("**" after the row name marks a footnote), only that both
    # are significant (p < 0.05); the twin's meaning has p = 0.013.
    assert terms.loc["meaning", "stars"] == "*" and terms.loc["mastery", "stars"] == "*"


def test_fitted_result_is_read_without_statsmodels(simulated):
    """The chapters' kernels read the saved run: a fitted result names no statsmodels class to unpickle."""
    import pickle
    import pickletools

    res = fit_logit(simulated, "y", ["a", "b", "c"], labels=["A", "B", "C"])
    assert res.fitted
    data = pickle.dumps(res)
    names = [str(arg) for op, arg, _ in pickletools.genops(data) if isinstance(arg, str)]
    assert not [n for n in names if n.startswith("statsmodels")]
