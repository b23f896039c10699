"""Facts read from a disclosed frame by more than picking and pooling cells.

Each function takes the :class:`~ipsreport.outputs.facts.Facts` of an edition (for
its cached summaries and ``min_cell``) and returns a
:class:`~ipsreport.outputs.facts.fact.Fact`. The registry modules name them per
fact, e.g. ``computed("who5_start", lambda f: mean(f, "who5", "mean_start"), ...)``.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ipsreport.analysis.disclosed import disclosure
from ipsreport.analysis.disclosed.rules import PooledCell
from ipsreport.outputs import fmt
from ipsreport.outputs.facts.fact import HIDDEN_SHARE, NO_BASE_WORDS, Fact, from_pool, \
    share_phrase, small_people
from ipsreport.outputs.facts.sources import AGE, AUDIT, CASELOAD_FACTS, EXIT, PAIRED, REGRESSION, WHO5_BANDS

__all__ = [
    "protected_count", "short_without_placement", "age_over20", "words_of", "target_met", "exit_pool", "exit_fact", "paired", "decimals",
    "paired_n", "mean", "band", "term", "odds_ratio", "p_value", "regression_n", "regression_events", "caseload",
    "audit",
]


def protected_count(n) -> Fact:
    """A count the disclosure layer left missing or kept; a missing one reads "et skjult antal".

    The layer hides it when small or to protect another count, so "<3" would not always be true.
    """
    if n is None or pd.isna(n):
        return Fact(None, "count", suppression="secondary")
    return Fact(int(n), "count")


def short_without_placement(f, n) -> Fact:
    """Those without a placement who had been in the programme under four months (``n``, from the frame).

    Its base is those who answered the placement question: when nobody did, the count is unknown
    ("et ukendt antal"), not "ingen" (see :func:`ipsreport.outputs.facts.access._answered`).
    """
    fact = protected_count(n)
    return replace(fact, base=0) if f.get_fact("had_placement_of").nobody_answered else fact


def age_over20(f, kind: str) -> Fact:
    """Respondents over 20 years old (the disclosed age summary carries its own suppression)."""
    age = f.summary_of(AGE).iloc[0]
    # The number who gave their age as the layer lets it be printed (missing where it is hidden).
    base = age["over20_base"]
    return from_pool(PooledCell(age["over20_n"], pd.NA if pd.isna(base) else int(base),
                                float(age["over20_pct"]), age["over20_suppression"]), kind)


def words_of(f, p: PooledCell) -> Fact:
    """A pooled cell as a share in words ("seks ud af ti"); hidden cells read as their label."""
    suppression = p.suppression
    if suppression == "primary":
        return Fact(None, "text", text=small_people(f.cell_rule), suppression=suppression)
    if suppression:
        return Fact(None, "text", text=HIDDEN_SHARE, suppression=suppression)
    share = p.n / p.base if p.base else float("nan")
    text = share_phrase(share, p.n, p.base) if p.base else NO_BASE_WORDS
    return Fact(share, "text", n=p.n, base=p.base, text=text, share=share)


def target_met(f) -> Fact:
    """Whether the success rate meets the settings' target, in words."""
    met = f.layer.success_target_met()
    text = {True: "er opfyldt", False: "er ikke opfyldt", None: "kan ikke vurderes på så få afsluttede"}[met]
    return Fact(met, "text", text=text)


def exit_pool(f, code: int) -> dict:
    """The pooled cell of one exit status (Table 8)."""
    return f.pool_of(EXIT, "exit_status", (code,))


def exit_fact(f, code: int, kind: str) -> Fact:
    return from_pool(exit_pool(f, code), kind)


def paired(f, score: str):
    """The start/end row of one score (chapter 6)."""
    return f.summary_of(PAIRED).set_index("score").loc[score]


def decimals(score: str) -> int:
    """Decimals a score's means print with."""
    from ipsreport.analysis.summaries.mental_health import SCORES

    return int(SCORES[score].decimals)


def paired_n(f, score: str) -> Fact:
    n = paired(f, score)["n"]
    if pd.isna(n):  # hidden by the disclosure layer to protect another count
        return Fact(None, "count", suppression="secondary")
    n = int(n)
    return Fact(n, "count", suppression=f.layer.small_label if disclosure.is_small(n, f.cell_rule) else "")


def mean(f, score: str, column: str) -> Fact:
    return Fact(float(paired(f, score)[column]), "num", decimals=decimals(score))


def band(f, code: int, time: str) -> Fact:
    """Share of paired respondents in a WHO-5 band (1 low, 2 mid, 3 high) at ``"start"`` or ``"end"``."""
    frame = f.summary_of(WHO5_BANDS)
    row = frame[(frame["band"] == code) & (frame["time"] == time)].iloc[0]
    if row["suppression"]:
        return Fact(None, "pct", suppression=row["suppression"])
    return Fact(float(row["pct"]), "pct", n=int(row["n"]), base=int(row["base"]), decimals=1,
                strip_zeros=True, share=float(row["pct"]) / 100 if row["base"] else None)


def term(f, name: str):
    """One Table 9 row."""
    return f.summary_of(REGRESSION).terms.set_index("term").loc[name]


def odds_ratio(f, name: str) -> Fact:
    return Fact(term(f, name)["odds_ratio"], "num", decimals=2)


def p_value(f, name: str) -> Fact:
    p = term(f, name)["p"]
    return Fact(p, "text", text=fmt.pvalue(p))


def regression_n(f) -> Fact:
    n = f.summary_of(REGRESSION).n
    if disclosure.is_small(n, f.cell_rule):
        return Fact(None, "count", suppression=f.layer.small_label)
    if not f.layer.regression.n_shown:  # hidden to protect another count (a site book)
        return Fact(None, "count", suppression="secondary")
    return Fact(n, "count")


def regression_events(f) -> Fact:
    """Respondents in job or education at the end; hidden with the model when a group is small."""
    events = f.summary_of(REGRESSION).events
    if disclosure.is_small(events, f.cell_rule):
        return Fact(None, "count", suppression=f.layer.small_label)
    if f.layer.regression.withheld:
        return Fact(None, "count", suppression="secondary")
    return Fact(events, "count")


def caseload(f):
    """The caseload findings (:class:`ipsreport.analysis.summaries.caseload.CaseloadFacts`), disclosed."""
    return f.summary_of(CASELOAD_FACTS)


def audit(f):
    """The reproduction audit (Bilag 7)."""
    return f.summary_of(AUDIT)
