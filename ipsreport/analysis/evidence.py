"""How strong a sentence about a statistical result may be: one verdict per kind of result.

Every sentence of the report that states a result – a change from start to
end, an association in Table 9, a difference between those who answered the
end survey and those who did not – takes its strength from the verdicts
here, and only from them:

* :func:`change` – did a paired mean go up, down, or is it on a level with
  the start? "steg"/"faldt" only when the test says so;
* :func:`association` – is an odds ratio above or below 1, or not shown to
  differ from it? :func:`clearly` – does the whole interval at least double
  (or halve) the odds?
* :func:`support` and :func:`regression_caveat` – how far Table 9 can be
  trusted at all, from its events per explanatory variable; the caveat is
  *one* object whose ``full`` text is the note under Table 9 (through
  :func:`ipsreport.analysis.models.fit_logit`'s warnings) and whose ``short`` text the
  conclusion and chapter 7 print, so the caveat cannot be lost between them;
* :func:`difference` and :func:`detects_large_difference` – the
  non-response comparison (Bilag 6);
* :func:`edition_change` – has an indicator risen or fallen since the
  previous edition, or is it on a level with it? Decided by the interval
  of the difference alone ("steget"/"faldet" only when it excludes 0).

A result is claimed only when the p-value is below ``alpha`` *and* the
interval excludes the null value (0 for a change, 1 for an odds ratio): at
``p == alpha`` or with an interval touching the null value nothing is
claimed. For a t-test and its own t-interval, and for a Wald test and its
Wald interval, the two conditions are the same; they can differ for a
profile-likelihood interval, and then the weaker reading wins.

This module imports nothing of the report but :mod:`ipsreport.outputs.fmt`, so the
model, the tables and the facts can all use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ipsreport.outputs import fmt

__all__ = [
    "EPV_MIN", "EPV_LOW", "CLEAR_OR", "LARGE_EFFECT", "TARGET_POWER", "significant", "change", "association",
    "associations", "clearly", "support", "Caveat", "regression_caveat", "difference", "detects_large_difference",
    "edition_change", "EDITION_WORDS",
]

#: Events per explanatory variable below which logistic estimates are flagged as uncertain: Peduzzi et al.
#: (1996, J Clin Epidemiol 49:1373) found bias and unreliable intervals below ten.
EPV_MIN = 10
#: Below this, problems are the rule rather than the exception (Vittinghoff & McCulloch 2007, Am J Epidemiol
#: 165:710: between five and nine they are uncommon), so the report reads the estimates as signs only.
EPV_LOW = 5
#: "klart" større sandsynlighed only when the whole interval at least doubles (or halves) the odds: the
#: doubling chapter 7 uses to explain an odds ratio, and a bound a reader can check in Table 9.
CLEAR_OR = 2.0
#: Cohen's d of a "large" difference between two means (Cohen 1988), for the non-response comparison.
LARGE_EFFECT = 0.8
#: The usual target power: a comparison that finds a large difference less often than this could miss one.
TARGET_POWER = 0.8


def _missing(x) -> bool:
    return x is None or pd.isna(x)


def significant(p, alpha: float) -> bool:
    """``p < alpha`` (a missing p-value is not significant; ``p == alpha`` is not)."""
    return not _missing(p) and float(p) < float(alpha)


def _excludes(low, high, null: float) -> bool:
    """The interval lies strictly on one side of ``null``; an unknown interval leaves the p-value alone."""
    if _missing(low) or _missing(high):
        return True
    return float(low) > null or float(high) < null


def change(diff, ci_low, ci_high, p, alpha: float) -> str:
    """Verdict on a paired change: ``"up"``, ``"down"``, ``"same"`` (on a level with the start) or ``"untested"``.

    Parameters
    ----------
    diff : float
        Mean of end minus start.
    ci_low, ci_high : float
        Confidence interval of ``diff`` (at ``1 - alpha``).
    p : float
        The test's p-value; missing when no test was possible.
    alpha : float
        Significance level (setting ``alpha``).
    """
    if _missing(diff) or _missing(p):
        return "untested"
    if significant(p, alpha) and _excludes(ci_low, ci_high, 0.0) and float(diff) != 0:
        return "up" if float(diff) > 0 else "down"
    return "same"


def association(odds_ratio, ci_low, ci_high, p, alpha: float) -> str:
    """Verdict on one odds ratio: ``"higher"``, ``"lower"``, ``"none"`` (not shown) or ``"untested"``."""
    if _missing(odds_ratio) or _missing(p):
        return "untested"
    if significant(p, alpha) and _excludes(ci_low, ci_high, 1.0) and float(odds_ratio) != 1:
        return "higher" if float(odds_ratio) > 1 else "lower"
    return "none"


def associations(terms: pd.DataFrame, alpha: float) -> pd.Series:
    """:func:`association` for every row of a Table 9 terms frame (``ci_low``/``ci_high`` optional)."""
    low = terms["ci_low"] if "ci_low" in terms else pd.Series(float("nan"), index=terms.index)
    high = terms["ci_high"] if "ci_high" in terms else pd.Series(float("nan"), index=terms.index)
    verdicts = [association(o, lo, hi, p, alpha)
                for o, lo, hi, p in zip(terms["odds_ratio"], low, high, terms["p"])]
    return pd.Series(verdicts, index=terms.index, dtype=object)


def clearly(verdict: str, ci_low, ci_high) -> bool:
    """The whole interval at least doubles (``"higher"``) or halves (``"lower"``) the odds (:data:`CLEAR_OR`)."""
    if verdict == "higher":
        return not _missing(ci_low) and float(ci_low) >= CLEAR_OR
    if verdict == "lower":
        return not _missing(ci_high) and float(ci_high) <= 1 / CLEAR_OR
    return False


def support(events: int, n: int, k: int) -> tuple[str, float]:
    """How far a logistic model with ``k`` explanatory variables can be trusted.

    Returns
    -------
    tuple
        ``(level, epv)``: ``level`` is ``"adequate"`` (``epv >= EPV_MIN``),
        ``"uncertain"`` (``EPV_LOW <= epv < EPV_MIN``) or ``"weak"``
        (``epv < EPV_LOW``); ``epv`` is the smaller outcome group divided by ``k``.
    """
    epv = min(events, n - events) / k if k else float("nan")
    if math.isnan(epv) or epv < EPV_LOW:
        return "weak", epv
    return ("uncertain" if epv < EPV_MIN else "adequate"), epv


@dataclass(frozen=True)
class Caveat:
    """What a reader must know before trusting Table 9.

    Attributes
    ----------
    level : str
        ``"adequate"``, ``"uncertain"`` or ``"weak"`` (:func:`support`).
    full : str
        The note under Table 9 (``""`` when ``level == "adequate"``).
    short : str
        The same caveat in a sentence for the conclusion and chapter 7.
    """

    level: str
    full: str = ""
    short: str = ""

    def __bool__(self) -> bool:
        return self.level != "adequate"


def _smaller_group(result) -> tuple[int, str]:
    """The smaller outcome group and what it is ("ikke i job eller uddannelse")."""
    events, non_events = int(result.events), int(result.n) - int(result.events)
    if non_events <= events:
        return non_events, "ikke i job eller uddannelse"
    return events, "i job eller uddannelse"


def regression_caveat(result) -> Caveat:
    """The caveat Table 9 needs, from its events per explanatory variable and its intervals.

    One function for the note under the table, the conclusion and chapter 7.
    A model that could not be fitted or that separates the outcome has its
    own, stronger notes (:func:`ipsreport.analysis.models.fit_logit`) and no caveat here.

    Parameters
    ----------
    result : RegressionResult
        Needs ``n``, ``events``, ``terms`` (``odds_ratio, ci_low, ci_high, p``),
        ``alpha``, ``model`` and ``separated``.
    """
    k = len(result.terms)
    if not result.fitted or getattr(result, "separated", False) or not k or not result.n:
        return Caveat("adequate")
    level, epv = support(int(result.events), int(result.n), k)
    if level == "adequate":
        return Caveat(level)
    smaller, who = _smaller_group(result)
    rule = fmt.words(EPV_MIN)
    if level == "uncertain":
        full = (f"I analysen var {fmt.count(smaller)} af de {fmt.count(result.n)} unge {who} ved afslutningen. "
                f"Det giver {fmt.num(epv, 1)} unge i den mindste af de to grupper pr. forklarende variabel, hvor en "
                f"tommelfingerregel siger mindst {rule}, så estimaterne er usikre og skal tolkes med forsigtighed.")
        short = (f"Estimaterne er dog usikre: {fmt.count(smaller)} af de {fmt.count(result.n)} var {who} ved "
                 f"afslutningen, og det er få til {fmt.words(k)} faktorer på én gang.")
        return Caveat(level, full, short)
    verdicts = associations(result.terms, result.alpha)
    shown = result.terms[verdicts.isin(["higher", "lower"])]
    # Can an association be much weaker than its estimate? Yes when its interval reaches below a doubling.
    weaker = any(not clearly(v, lo, hi) for v, lo, hi in
                 zip(verdicts[shown.index], shown["ci_low"], shown["ci_high"]))
    full = (f"Kun {fmt.count(smaller)} af de {fmt.count(result.n)} unge i analysen var {who} ved afslutningen. "
            f"Det giver {fmt.num(epv, 1)} unge i den mindste af de to grupper pr. forklarende variabel, hvor en "
            f"tommelfingerregel siger mindst {rule}. Med så få kan odds ratioerne være overvurderede")
    full += (", og konfidensintervallerne viser, at de signifikante sammenhænge kan være langt svagere, end "
             "estimaterne siger." if weaker else ".")
    full += " Resultaterne skal læses som tegn på sammenhænge, ikke som sikre effekter."
    short = (f"Tallene bygger dog på få unge: kun {fmt.count(smaller)} af de {fmt.count(result.n)} var {who} "
             f"ved afslutningen, og det er for få til sikre estimater for {fmt.words(k)} faktorer på én gang. "
             "Sammenhængene kan derfor være overvurderede og skal læses som tegn, ikke som sikre effekter.")
    return Caveat(level, full, short)


def difference(p, alpha: float) -> str:
    """Verdict on a two-group comparison: ``"differs"``, ``"same"`` (not shown) or ``"untested"``."""
    if _missing(p):
        return "untested"
    return "differs" if significant(p, alpha) else "same"


def detects_large_difference(n1: int, n2: int, alpha: float) -> bool:
    """Whether a two-sided t-test with groups of ``n1`` and ``n2`` finds a large difference reliably.

    True when its power against Cohen's d = :data:`LARGE_EFFECT` at level
    ``alpha`` is at least :data:`TARGET_POWER` (statsmodels'
    ``TTestIndPower``). When False, "no difference was found" says little:
    even a large one could have been missed.
    """
    if min(n1, n2) < 2:
        return False
    from statsmodels.stats.power import TTestIndPower

    power = TTestIndPower().power(effect_size=LARGE_EFFECT, nobs1=n1, ratio=n2 / n1, alpha=alpha)
    return bool(power >= TARGET_POWER)


#: The Danish verb of each :func:`edition_change` verdict ("er steget", "er faldet", "ligger på niveau med").
EDITION_WORDS = {"up": "steget", "down": "faldet", "same": "på niveau med"}


def edition_change(diff, ci_low, ci_high, exact: bool = False) -> str:
    """Verdict on an indicator's change since the previous edition: ``"up"``, ``"down"``, ``"same"``, ``"untested"``.

    Parameters
    ----------
    diff : float
        This edition's value minus the previous edition's.
    ci_low, ci_high : float
        The 95 % confidence interval of ``diff`` (Newcombe for shares, Welch
        for means). A change is claimed only when the interval lies strictly
        on one side of 0; an interval touching 0 is "on a level with".
    exact : bool, default False
        ``diff`` is exact, not an estimate (a count of the whole cohort, a
        caseload computed from every day of the register): its sign decides.

    Returns
    -------
    str
        ``"untested"`` when ``diff`` is missing, or when an estimate has no
        interval (no test could be made, e.g. the cohorts share persons).
    """
    if _missing(diff):
        return "untested"
    if exact:
        return "up" if float(diff) > 0 else "down" if float(diff) < 0 else "same"
    if _missing(ci_low) or _missing(ci_high):
        return "untested"
    if float(ci_low) > 0:
        return "up"
    if float(ci_high) < 0:
        return "down"
    return "same"
