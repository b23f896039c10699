"""The disclosure-controlled frames facts read, one constant per frame.

Each :class:`Source` reads one attribute of
:class:`ipsreport.analysis.disclosed.layer.Disclosed` directly (``d.placement_of_placed``),
so ``grep placement_of_placed`` finds every fact built on it. A
:class:`~ipsreport.outputs.facts.Facts` object reads each source once and keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

__all__ = [
    "Source", "DURATION", "DURATION_MONTHS", "BACKGROUND", "AGE", "WORK_EXPERIENCE_YEARS", "SUPPORTS",
    "GOALS", "MOTIVATION", "RESOURCES", "EVALUATION", "PSYCHIATRY", "PLACEMENT", "NO_PLACEMENT_DURATION",
    "PLACEMENT_OF_PLACED", "ENROLLED_DURATION", "EXIT", "REGISTRY_COUNTS", "PAIRED", "WHO5_BANDS", "EFFECT",
    "EXPERIENCE", "REGRESSION", "CASELOAD_FACTS", "FIDELITY_REVIEWS", "AUDIT", "NONRESPONSE", "SOURCES",
]


@dataclass(frozen=True, eq=False)
class Source:
    """A frame of :class:`ipsreport.analysis.disclosed.layer.Disclosed`.

    Attributes
    ----------
    name : str
        The attribute's name, for CONTRACT.md and error messages only.
    read : callable
        ``Disclosed -> frame``; reads the attribute directly.
    survey : bool
        Its bases count the respondents who answered a survey item, so a base
        of 0 means nobody answered it (an optional item left blank by all, or
        asked of nobody) and its share is unknown, not "ingen". A registry
        base of 0 is an empty group (nobody finished), which is no gap in the data.
    """

    name: str
    read: Callable[[Any], Any]
    survey: bool = False

    def __repr__(self) -> str:
        return f"Source({self.name})"


DURATION = Source("duration", lambda d: d.duration, survey=True)
DURATION_MONTHS = Source("duration_months", lambda d: d.duration_months)
BACKGROUND = Source("background", lambda d: d.background, survey=True)
AGE = Source("age", lambda d: d.age, survey=True)
WORK_EXPERIENCE_YEARS = Source("work_experience_years", lambda d: d.work_experience_years, survey=True)
SUPPORTS = Source("supports", lambda d: d.supports, survey=True)
GOALS = Source("goals", lambda d: d.goals, survey=True)
MOTIVATION = Source("motivation", lambda d: d.motivation, survey=True)
RESOURCES = Source("resources", lambda d: d.resources, survey=True)
EVALUATION = Source("evaluation", lambda d: d.evaluation, survey=True)
PSYCHIATRY = Source("psychiatry", lambda d: d.psychiatry, survey=True)
PLACEMENT = Source("placement", lambda d: d.placement, survey=True)
NO_PLACEMENT_DURATION = Source("no_placement_duration", lambda d: d.no_placement_duration, survey=True)
#: Section 5.4 gives the four placement items as shares of all with a placement, blanks included (as 2025).
PLACEMENT_OF_PLACED = Source("placement_of_placed", lambda d: d.placement_of_placed, survey=True)
ENROLLED_DURATION = Source("enrolled_duration", lambda d: d.enrolled_duration, survey=True)
EXIT = Source("exit", lambda d: d.exit)
REGISTRY_COUNTS = Source("registry_counts", lambda d: d.registry_counts)
#: Start respondents who answered at the end against those who did not (chapter 3, Bilag 6).
NONRESPONSE = Source("nonresponse", lambda d: d.nonresponse, survey=True)
PAIRED = Source("paired", lambda d: d.paired(), survey=True)
WHO5_BANDS = Source("who5_bands", lambda d: d.who5_bands, survey=True)
EFFECT = Source("effect", lambda d: d.effect, survey=True)
EXPERIENCE = Source("experience", lambda d: d.experience, survey=True)
REGRESSION = Source("regression", lambda d: d.regression.result)
#: Consultants and consultant-days are not counts of young people (no small-number rule); the peak caseload is.
CASELOAD_FACTS = Source("caseload_facts", lambda d: d.caseload_facts)
#: Reviews score a site's practice, not persons: no small-number rule (see Disclosed.fidelity_reviews).
FIDELITY_REVIEWS = Source("fidelity_reviews", lambda d: d.fidelity_reviews)
AUDIT = Source("audit", lambda d: d.audit)


#: Frame name -> source: how ``data/codebook_facts.csv`` names the frame it pools (:mod:`ipsreport.outputs.facts.pooled`).
SOURCES: dict[str, Source] = {source.name: source for source in (
    DURATION, DURATION_MONTHS, BACKGROUND, AGE, WORK_EXPERIENCE_YEARS, SUPPORTS, GOALS, MOTIVATION, RESOURCES,
    EVALUATION, PSYCHIATRY, PLACEMENT, NO_PLACEMENT_DURATION, PLACEMENT_OF_PLACED, ENROLLED_DURATION, EXIT,
    REGISTRY_COUNTS, NONRESPONSE, PAIRED, WHO5_BANDS, EFFECT, EXPERIENCE, REGRESSION, CASELOAD_FACTS,
    FIDELITY_REVIEWS, AUDIT)}
