"""The case timelines against the registry's dates: one cohort, no contradictions.

The cases are young people of the cohort the registry counts, so a case
cannot start before the registry's first start or after its last: the
fidelity appendix counts "from the first start" and the case appendices
print their own start dates, and the two must agree.

A case's start is its first ``kind: start`` event. It is compared at the
precision the case gives: a start given as a month (``2023-03``) lies within
the period when that month does (a registry starting 24 March 2023 agrees
with a case starting "marts 2023"); a start given as a day is compared by
day. A case without a start event is not checked.

Used by the tests on the shipped cases and the shipped twin. It is not a
render-time rule: a report for one site (``--by site``) or a sampled cohort
holds only part of the registry, whose first start may well come after a
case's.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ipsreport.outputs import fmt
from ipsreport.outputs.cases.load import Case, danish_month

__all__ = ["registry_period", "check_cases_against_registry"]


def registry_period(registry: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """First and last ``start_date`` of the registry (``None`` when it has none)."""
    starts = pd.to_datetime(registry["start_date"]).dropna()
    if starts.empty:
        return None
    return starts.min().date(), starts.max().date()


def _case_start(case: Case) -> tuple[int, object] | None:
    for i, event in enumerate(case.timeline):
        if event.kind == "start":
            return i, event
    return None


def check_cases_against_registry(cases: dict[str, Case], registry: pd.DataFrame) -> list[str]:
    """Every case whose start lies outside the registry's enrolment period.

    Parameters
    ----------
    cases : dict of str to Case
        :func:`ipsreport.outputs.cases.load_cases`.
    registry : DataFrame
        The registry (``start_date``).

    Returns
    -------
    list of str
        One Danish line per contradiction, naming the case file, the field,
        the case's start and the registry's period (the format of
        :class:`~ipsreport.outputs.cases.CaseError`); empty when they agree.
    """
    period = registry_period(registry)
    if period is None:
        return []
    first, last = period
    lines = []
    for case in cases.values():
        found = _case_start(case)
        if found is None:
            continue
        i, event = found
        if event.day_known:
            key, low, high, shown = event.date, first, last, fmt.date(event.date)
        else:
            key, low, high = (event.date.year, event.date.month), (first.year, first.month), (last.year, last.month)
            shown = danish_month(event.date)
        if low <= key <= high:
            continue
        side = "før registrets første start" if key < low else "efter registrets sidste start"
        lines.append(
            f"{case.path.name}, feltet timeline[{i}].date: casen starter {shown}, {side}; registret har starter "
            f"fra {fmt.date(first)} til {fmt.date(last)}. Casestudiet og registret beskriver de samme unge, så "
            "en af datoerne er forkert: ret casen eller registret (regel: registrets_periode)."
        )
    return lines
