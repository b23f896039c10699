"""What changed since the previous edition: each key indicator, its difference and the interval of the difference.

:func:`summarise_edition_change` compares two editions' key indicators
(:data:`ipsreport.results.editions.record.INDICATORS`), both read as published (a
value the small-number rule hid stays hidden, and is not compared):

* a **share** (success and its split): the difference in percentage points
  with Newcombe's hybrid-score interval for a difference of two independent
  proportions (``statsmodels.stats.proportion.confint_proportions_2indep``,
  ``method="newcomb"``);
* a **mean** (WHO-5, mastery, loneliness, burden at start and at end, over
  the respondents with both answers): the difference with Welch's interval
  (unequal variances, Welch–Satterthwaite degrees of freedom), from each
  edition's mean, standard deviation and N;
* a **count** (persons enrolled, finished) and the **caseload** (highest
  and mean): the exact difference of the printed values, no interval. They are not samples: a
  count is the whole cohort and the caseload is computed from every day of
  the register, so there is no sampling error to put an interval around.

Independent-sample intervals assume two cohorts without shared persons.
When ``shared`` persons are in both (a cumulative cohort), no interval is
computed and every estimate is ``untested``; the text says so.

:func:`summarise_edition_series` gives every indicator of three or more
editions with each edition's own interval (Wilson for a share, t for a
mean), for the figure over the editions.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ipsreport.results.editions.record import INDICATORS, EditionRecord, IndicatorKind, edition_indicators
from ipsreport.analysis.evidence import edition_change
from ipsreport.outputs.fmt import round_half_up
from ipsreport.results.schema import Results

__all__ = ["summarise_edition_change", "summarise_edition_series", "welch_interval", "newcombe_interval"]

CHANGE_COLUMNS = ["indicator", "label", "kind", "decimals", "previous_year", "current_year", "previous", "current",
                  "diff", "ci_low", "ci_high", "method", "verdict", "hidden"]


def _record(edition: EditionRecord | Results) -> EditionRecord:
    return edition if isinstance(edition, EditionRecord) else EditionRecord.from_results(edition)


def newcombe_interval(n1: int, base1: int, n0: int, base0: int, alpha: float = 0.05) -> tuple[float, float]:
    """Newcombe's interval for ``n1/base1 - n0/base0``, in percentage points."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(int(n1), int(base1), int(n0), int(base0), method="newcomb",
                                           compare="diff", alpha=alpha)
    return 100 * float(low), 100 * float(high)


def welch_interval(mean1: float, sd1: float, n1: int, mean0: float, sd0: float, n0: int,
                   alpha: float = 0.05) -> tuple[float, float]:
    """Welch's interval for ``mean1 - mean0`` from two groups' means, SDs and sizes (NaN below two in a group)."""
    if min(n1, n0) < 2 or any(math.isnan(float(x)) for x in (sd1, sd0)):
        return math.nan, math.nan
    v1, v0 = float(sd1) ** 2 / n1, float(sd0) ** 2 / n0
    se = math.sqrt(v1 + v0)
    if se == 0:
        return math.nan, math.nan
    df = (v1 + v0) ** 2 / (v1 ** 2 / (n1 - 1) + v0 ** 2 / (n0 - 1))
    half = float(stats.t.ppf(1 - alpha / 2, df)) * se
    diff = float(mean1) - float(mean0)
    return diff - half, diff + half


def _present(*values) -> bool:
    return all(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in values)


def summarise_edition_change(previous: EditionRecord | Results, current: EditionRecord | Results,
                             shared: int = 0, alpha: float = 0.05) -> pd.DataFrame:
    """Each key indicator in the previous and this edition, the difference and its interval.

    Parameters
    ----------
    previous, current : EditionRecord or Results
        The two editions (a bundle read by :func:`ipsreport.results.read_bundle`,
        or :func:`ipsreport.results.editions.record.current_record`).
    shared : int, default 0
        Persons in both editions. Above 0 no interval is computed (the
        cohorts are not independent) and estimates are ``untested``.
    alpha : float, default 0.05
        The intervals are at ``1 - alpha``.

    Returns
    -------
    DataFrame
        One row per indicator: ``indicator, label, kind, decimals,
        previous_year, current_year, previous, current, diff`` (current minus
        previous; percentage points for a share), ``ci_low, ci_high``,
        ``method`` (``newcombe``, ``welch``, ``exact``, or ``none`` when not
        compared or not tested), ``verdict`` (:func:`ipsreport.analysis.evidence.edition_change`:
        ``up``, ``down``, ``same``, ``untested``; ``hidden`` when either
        value is hidden by the small-number rule) and ``hidden``.
    """
    prev, cur = _record(previous), _record(current)
    a = edition_indicators(prev).set_index("indicator")
    b = edition_indicators(cur).set_index("indicator")
    rows = []
    for ind in INDICATORS:
        p, c = a.loc[ind.key], b.loc[ind.key]
        row = {"indicator": ind.key, "label": ind.label, "kind": ind.kind.value, "decimals": ind.decimals,
               "previous_year": prev.year, "current_year": cur.year, "previous": p["value"], "current": c["value"],
               "diff": math.nan, "ci_low": math.nan, "ci_high": math.nan, "method": "none",
               "verdict": "untested", "hidden": bool(p["hidden"] or c["hidden"])}
        if row["hidden"]:
            row["verdict"] = "hidden"
        elif _present(p["value"], c["value"]):
            exact = ind.kind in (IndicatorKind.COUNT, IndicatorKind.LEVEL)
            if ind.kind is IndicatorKind.SHARE and _present(p["n"], p["base"], c["n"], c["base"]) \
                    and p["base"] > 0 and c["base"] > 0:
                row["diff"] = 100 * (c["n"] / c["base"] - p["n"] / p["base"])
                if not shared:
                    row["ci_low"], row["ci_high"] = newcombe_interval(c["n"], c["base"], p["n"], p["base"], alpha)
                    row["method"] = "newcombe"
            elif ind.kind is IndicatorKind.MEAN:
                row["diff"] = float(c["value"]) - float(p["value"])
                if not shared and _present(p["sd"], c["sd"], p["n"], c["n"]):
                    row["ci_low"], row["ci_high"] = welch_interval(c["value"], c["sd"], int(c["n"]), p["value"],
                                                                   p["sd"], int(p["n"]), alpha)
                    row["method"] = "welch" if _present(row["ci_low"]) else "none"
            elif exact:
                # As printed: a caseload mean of 6.0153 against 6.0133 is the same 6,0, not a fall.
                row["diff"] = (round_half_up(float(c["value"]), ind.decimals)
                               - round_half_up(float(p["value"]), ind.decimals))
                row["method"] = "exact"
            row["verdict"] = edition_change(row["diff"], row["ci_low"], row["ci_high"], exact=exact)
        rows.append(row)
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _own_interval(kind: IndicatorKind, value, n, base, sd, alpha: float) -> tuple[float, float]:
    """One edition's interval: Wilson for a share, t for a mean, none for an exact value."""
    if kind is IndicatorKind.SHARE and _present(n, base) and base > 0:
        from statsmodels.stats.proportion import proportion_confint

        low, high = proportion_confint(int(n), int(base), alpha=alpha, method="wilson")
        return 100 * float(low), 100 * float(high)
    if kind is IndicatorKind.MEAN and _present(value, n, sd) and n >= 2:
        half = float(stats.t.ppf(1 - alpha / 2, n - 1)) * float(sd) / math.sqrt(n)
        return float(value) - half, float(value) + half
    return math.nan, math.nan


def summarise_edition_series(editions, alpha: float = 0.05) -> pd.DataFrame:
    """Every key indicator of each edition with its own interval, oldest edition first.

    Parameters
    ----------
    editions : iterable of EditionRecord or Results
        Any number of editions (the figure over the editions wants three or more).
    alpha : float, default 0.05

    Returns
    -------
    DataFrame
        Long: ``indicator, label, kind, decimals, year, value, ci_low,
        ci_high, hidden`` (an interval only for shares, Wilson, and means, t).
    """
    rows = []
    for record in sorted((_record(e) for e in editions), key=lambda r: r.year):
        values = edition_indicators(record).set_index("indicator")
        for ind in INDICATORS:
            v = values.loc[ind.key]
            low, high = _own_interval(ind.kind, v["value"], v["n"], v["base"], v["sd"], alpha)
            rows.append({"indicator": ind.key, "label": ind.label, "kind": ind.kind.value,
                         "decimals": ind.decimals, "year": record.year, "value": v["value"], "ci_low": low,
                         "ci_high": high, "hidden": bool(v["hidden"])})
    frame = pd.DataFrame(rows, columns=["indicator", "label", "kind", "decimals", "year", "value", "ci_low",
                                        "ci_high", "hidden"])
    frame["value"] = frame["value"].astype(float)
    return frame.replace({np.nan: math.nan})
