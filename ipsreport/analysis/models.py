"""Table 9: logistic regression of being in job or education at the end.

The specification (outcome, ten predictors, their coding, the sample of
finished respondents with complete data) lives in :mod:`ipsreport.analysis.spec` and is
shared with the synthetic generator. This module fits it with statsmodels
(``Logit`` with a constant, maximum likelihood) and reports odds ratios with
Wald 95 % confidence intervals, ``exp(coef ± 1.96 · se)``.

Two interval methods are offered (``ci_method``):

* ``"wald"`` (default) — ``exp(coef ± 1.96 · se)``, consistent with the Wald
  p-values and stars printed next to them;
* ``"profile"`` — profile-likelihood intervals (what R's ``confint()`` gives
  for a ``glm``), better behaved in small samples. The 2025 edition's Table 9
  looks like it used these: its burden row is "n.s." (p = 0,053) with an
  interval [0,22; 0,95] that excludes 1, which a Wald interval cannot do, and
  its intervals are asymmetric on the log scale.

Small samples are the rule here (34 respondents, ten predictors), so the
result carries Danish warnings for the reader when

* there are fewer than :data:`ipsreport.analysis.evidence.EPV_MIN` events per
  predictor (the smaller of the two outcome groups divided by the number of
  predictors): the warning is :func:`ipsreport.analysis.evidence.regression_caveat`'s
  ``full`` text, the same caveat the conclusion and chapter 7 print;
* the fit separates the outcome (perfect or quasi-perfect prediction, or
  huge coefficients / standard errors);
* the optimiser did not converge.
"""

from __future__ import annotations

import warnings as _warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ipsreport.analysis.evidence import EPV_MIN, regression_caveat
from ipsreport.analysis.spec import REGRESSION_OUTCOME, REGRESSION_TERMS, regression_frame

__all__ = ["RegressionResult", "fit_regression", "fit_logit", "newton_logit", "profile_ci", "stars", "EPV_MIN", "CI_METHODS"]

#: Confidence-interval methods of :func:`fit_logit`.
CI_METHODS = ("wald", "profile")

#: |coefficient| beyond which a logit fit is taken to separate the outcome.
_HUGE_COEF = 15.0
_TERM_COLUMNS = ["term", "label", "coef", "se", "odds_ratio", "ci_low", "ci_high", "p", "stars", "significant"]


@dataclass
class RegressionResult:
    """Result of :func:`fit_regression` (CONTRACT "fit_regression")."""

    terms: pd.DataFrame
    n: int
    events: int
    warnings: list[str] = field(default_factory=list)
    #: A model was fitted (the estimates exist); the statsmodels fit itself is not kept, so a
    #: saved run needs no statsmodels to be read (the chapters' kernels do not import it).
    fitted: bool = False
    alpha: float = 0.05
    ci_method: str = "wald"
    #: The outcome is (almost) perfectly predicted: estimates exist but say nothing.
    separated: bool = False

    @property
    def non_events(self) -> int:
        """Respondents not in job or education."""
        return self.n - self.events

    @property
    def events_per_predictor(self) -> float:
        """The smaller outcome group divided by the number of predictors."""
        k = len(self.terms)
        return min(self.events, self.non_events) / k if k else float("nan")


def stars(p) -> str:
    """Significance marks: ``*`` p < 0,05, ``**`` p < 0,01, ``***`` p < 0,001."""
    if p is None or pd.isna(p):
        return ""
    if p < 0.001:
        return "***"
    if p < 0.01:
        return "**"
    if p < 0.05:
        return "*"
    return ""


def _empty_terms(names, labels) -> pd.DataFrame:
    out = pd.DataFrame({"term": list(names), "label": list(labels)})
    for col in ["coef", "se", "odds_ratio", "ci_low", "ci_high", "p"]:
        out[col] = np.nan
    out["stars"] = ""
    out["significant"] = False
    return out[_TERM_COLUMNS]


def _max_loglik(y: np.ndarray, Z: np.ndarray, offset: np.ndarray, beta: np.ndarray) -> tuple[float, np.ndarray]:
    """Maximised logit log-likelihood with a fixed offset (damped Newton-Raphson).

    Written out rather than calling statsmodels' GLM so that the profile
    search (hundreds of small fits) is fast and can warm-start.
    """
    def loglik(b):
        eta = offset + Z @ b
        return float(np.sum(y * eta - np.logaddexp(0.0, eta)))

    current = loglik(beta)
    for _ in range(200):
        p = 1.0 / (1.0 + np.exp(-(offset + Z @ beta)))
        grad = Z.T @ (y - p)
        hess = Z.T @ (Z * (p * (1 - p))[:, None])
        step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        t = 1.0
        while True:  # halve the step until the likelihood does not drop
            candidate = beta + t * step
            value = loglik(candidate)
            if value >= current - 1e-12 or t < 1e-10:
                break
            t /= 2
        gain = value - current
        beta, current = candidate, value
        if abs(gain) < 1e-11:
            break
    return current, beta


def newton_logit(X: np.ndarray, y: np.ndarray, beta0: np.ndarray | None = None):
    """Maximum-likelihood logit by plain Newton-Raphson: the model of
    :func:`fit_logit` without statsmodels' overhead.

    For loops that fit thousands of small models (the synthetic twin's
    calibration); the report's numbers come from :func:`fit_logit`. Tests
    check that both give the same estimates.

    Parameters
    ----------
    X : ndarray
        Design matrix, constant included (n x k).
    y : ndarray
        0/1 outcome (n).
    beta0 : ndarray, optional
        Starting values (warm start); default zeros.

    Returns
    -------
    tuple of ndarray or None
        ``(beta, se)`` — coefficients and their standard errors from the
        inverse information matrix — or ``None`` when the fit does not
        converge within 50 steps, a coefficient exceeds 30 in absolute value
        (separation) or the information matrix is singular.
    """
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




def profile_ci(y: pd.Series, X: pd.DataFrame, fitted, term: str, level: float = 0.95) -> tuple[float, float]:
    """Profile-likelihood confidence interval of one logit coefficient.

    The bounds are the values ``b`` of the coefficient where the likelihood
    ratio statistic ``2 · (llf_max - llf(b))`` equals the chi-square(1)
    quantile, ``llf(b)`` being the log-likelihood maximised over the other
    coefficients with this one fixed at ``b`` (the term enters as an offset).

    Returns
    -------
    tuple of float
        ``(low, high)`` on the coefficient scale; ``-inf``/``inf`` where the
        profile does not reach the critical value within 64 standard errors.
    """
    from scipy import optimize, stats

    crit = stats.chi2.ppf(level, 1)
    yv = np.asarray(y, dtype=float)
    others = [c for c in X.columns if c != term]
    Z = X[others].to_numpy(dtype=float)
    x = X[term].to_numpy(dtype=float)
    b_hat, se = float(fitted.params[term]), float(fitted.bse[term])
    start = fitted.params[others].to_numpy(dtype=float)
    llf_max = float(fitted.llf)

    def excess(b: float) -> float:
        with np.errstate(over="ignore"):
            value, _ = _max_loglik(yv, Z, b * x, start.copy())
        return 2 * (llf_max - value) - crit

    bounds = []
    for sign in (-1, 1):
        step = se
        while step <= 64 * se:
            far = b_hat + sign * step
            if excess(far) > 0:
                lo, hi = sorted((b_hat, far))
                bounds.append(optimize.brentq(excess, lo, hi, xtol=1e-9))
                break
            step *= 2
        else:
            bounds.append(sign * np.inf)
    return bounds[0], bounds[1]


def fit_logit(frame: pd.DataFrame, outcome: str, terms, labels=None, alpha: float = 0.05,
              ci_method: str = "wald") -> RegressionResult:
    """Fit a logistic regression with a constant and summarise it.

    Parameters
    ----------
    frame : DataFrame
        Complete cases: the 0/1 ``outcome`` and one numeric column per term.
    outcome : str
        Outcome column.
    terms : sequence of str
        Predictor columns, in print order.
    labels : sequence of str, optional
        Danish labels of the terms (default: the names).
    alpha : float
        Significance level for ``significant``.
    ci_method : {"wald", "profile"}
        Method of the 95 % confidence intervals (see the module docstring).

    Returns
    -------
    RegressionResult
        When the model cannot be estimated (too few rows, a constant or
        collinear predictor, an outcome without variation) the terms are
        NaN and ``warnings`` says why; the report still renders.
    """
    # The two names from their modules: statsmodels.api imports all of statsmodels (a third of a second).
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.tools import add_constant

    if ci_method not in CI_METHODS:
        raise ValueError(f"ci_method must be one of {CI_METHODS}, got {ci_method!r}")
    terms = list(terms)
    labels = list(labels) if labels is not None else terms
    y = frame[outcome].astype(float)
    n = int(len(frame))
    events = int((y == 1).sum())
    k = len(terms)
    notes: list[str] = []
    result = RegressionResult(_empty_terms(terms, labels), n, events, notes, None, alpha, ci_method)

    if n <= k + 1 or events == 0 or events == n:
        notes.append(
            f"Modellen kunne ikke estimeres: {n} besvarelser og {events} i job eller uddannelse "
            f"er for få til {k} forklarende variable."
        )
        return result

    X = add_constant(frame[terms].astype(float), has_constant="add")
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        try:
            fitted = Logit(y, X).fit(disp=0, maxiter=200)
        except np.linalg.LinAlgError:
            notes.append("Modellen kunne ikke estimeres, fordi to eller flere forklarende variable er "
                         "konstante eller fuldstændigt sammenfaldende (singulær matrix).")
            return result
        except Exception as exc:  # PerfectSeparationError in older statsmodels
            if "separation" in type(exc).__name__.lower() or "separation" in str(exc).lower():
                notes.append("Modellen kunne ikke estimeres: udfaldet forudsiges perfekt af de "
                             "forklarende variable (fuldstændig separation).")
                result.separated = True
                return result
            raise
    messages = " ".join(str(w.message) for w in caught).lower()
    params, bse = fitted.params[terms], fitted.bse[terms]
    separated = (
        "separation" in messages
        or bool((params.abs() > _HUGE_COEF).any())
        or not bool(np.isfinite(bse).all())
        or bool((bse > 1e3).any())
    )
    if separated:
        result.separated = True
        notes.append("Der er tegn på (kvasi-)separation: udfaldet forudsiges (næsten) perfekt, og "
                     "enkelte koefficienter eller standardfejl er meget store. Odds ratioerne er ikke pålidelige.")
    if not fitted.mle_retvals.get("converged", True):
        notes.append("Estimationen konvergerede ikke; resultaterne er ikke pålidelige.")

    conf = fitted.conf_int(alpha=alpha).loc[terms]  # the confidence level is 1 - alpha (settings)
    if ci_method == "profile" and not separated:
        conf = pd.DataFrame([profile_ci(y, X, fitted, t, level=1 - alpha) for t in terms], index=terms, columns=[0, 1])
    pvalues = fitted.pvalues[terms]
    with np.errstate(over="ignore"):  # separated fits: exp of huge coefficients is inf, flagged above
        out = _terms_frame(terms, labels, params, bse, conf, pvalues)
    out["stars"] = out["p"].map(stars)
    out["significant"] = out["p"] < alpha
    result.terms = out[_TERM_COLUMNS]
    result.fitted = True
    # The note under Table 9 is the caveat the prose prints too (one function, ipsreport.analysis.evidence).
    caveat = regression_caveat(result)
    if caveat:
        notes.insert(0, caveat.full)
    return result


def _terms_frame(terms, labels, params, bse, conf, pvalues) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": terms,
            "label": labels,
            "coef": params.to_numpy(dtype=float),
            "se": bse.to_numpy(dtype=float),
            "odds_ratio": np.exp(params.to_numpy(dtype=float)),
            "ci_low": np.exp(conf[0].to_numpy(dtype=float)),
            "ci_high": np.exp(conf[1].to_numpy(dtype=float)),
            "p": pvalues.to_numpy(dtype=float),
        }
    )


def fit_regression(ed, derived, ci_method: str | None = None) -> RegressionResult:
    """Fit the Table 9 model on an edition.

    Parameters
    ----------
    ed : Edition
        Uses ``ed.baseline``, ``ed.followup`` and ``ed.settings.alpha``.
    derived : Derived
        The respondents' scores (:func:`ipsreport.pipeline.derive`), as
        :func:`ipsreport.analysis.spec.regression_frame` reads them.
    ci_method : {"wald", "profile"}, optional
        Confidence-interval method (see the module docstring); default the
        setting ``ci_method`` when the settings have it, else ``"wald"``.

    Returns
    -------
    RegressionResult
        ``terms`` (``term, label, coef, se, odds_ratio, ci_low, ci_high, p,
        stars, significant``) in the order of :data:`ipsreport.analysis.spec.REGRESSION_TERMS`,
        ``n``, ``events`` (in job or education), ``warnings`` (Danish),
        ``model`` (the statsmodels result, or ``None``).
    """
    frame = regression_frame(ed.baseline, ed.followup, derived)
    alpha = float(ed.settings.alpha)
    if ci_method is None:
        ci_method = str(ed.settings.ci_method)
    return fit_logit(
        frame,
        REGRESSION_OUTCOME,
        [t.name for t in REGRESSION_TERMS],
        [t.label for t in REGRESSION_TERMS],
        alpha=alpha,
        ci_method=ci_method,
    )
