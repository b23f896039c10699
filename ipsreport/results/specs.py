"""What the bundle publishes of each table and figure: frames, columns and their kinds.

Each :class:`DatasetSpec` names the chapter label, the chapter API function
that draws it and the frames of :class:`ipsreport.analysis.disclosed.layer.Disclosed` it is
drawn from. Of each frame only the columns listed are published, each with
its kind (:class:`~ipsreport.results.schema.ColumnKind`), so a helper column
the layer does not protect (the audit's raw ``counts``, a caseload's
``participants``) never reaches the bundle, and the ``count`` columns are the
ones :func:`ipsreport.results.build.check_disclosure` checks.

:data:`PRODUCERS` names, for every frame facts and datasets read, the
function that computed it (as ``module:function``) and the codebook variables
it rests on when the frame does not name them itself (a ``variable`` column).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ipsreport.results.schema import ColumnKind as K

__all__ = ["FrameSpec", "DatasetSpec", "Producer", "PRODUCERS", "TABLES", "FIGURES", "ELSEWHERE",
           "REGISTRY_ROW_VARIABLES"]


@dataclass(frozen=True)
class Producer:
    """The function behind a disclosed frame and the codebook variables it reads.

    Attributes
    ----------
    function : str
        ``module:function`` of the ``summarise_*`` / ``fit_*`` that computed it.
    variables : tuple of str
        Codebook variables it reads; empty when its frame's ``variable``
        column (or, for paired scores, the codebook's score items) says.
    """

    function: str
    variables: tuple[str, ...] = ()


_TG = "ipsreport.analysis.summaries.target_group"
_PW = "ipsreport.analysis.summaries.pathways"
_MH = "ipsreport.analysis.summaries.mental_health"
_SP = "ipsreport.analysis.summaries.supplementary"
_CL = "ipsreport.analysis.summaries.caseload"
_FR = "ipsreport.analysis.summaries.fidelity_reviews"
_DATES = ("start_date", "end_date", "exit_status")

#: ``Disclosed`` attribute -> the function that computed it (``tests/test_results_bundle.py`` imports each).
PRODUCERS: Mapping[str, Producer] = {
    "duration": Producer(f"{_TG}:summarise_duration"),
    "duration_months": Producer(f"{_TG}:summarise_duration_months", _DATES),
    "age": Producer(f"{_TG}:summarise_age", ("age",)),
    "background": Producer(f"{_TG}:summarise_background"),
    "work_experience_years": Producer(f"{_TG}:summarise_work_experience_years", ("work_experience_years",)),
    "status": Producer(f"{_TG}:summarise_status"),
    "supports": Producer(f"{_TG}:summarise_supports"),
    "goals": Producer(f"{_PW}:summarise_goals"),
    "motivation": Producer(f"{_PW}:summarise_motivation"),
    "resources": Producer(f"{_PW}:summarise_resources"),
    "evaluation": Producer(f"{_PW}:summarise_evaluation"),
    "psychiatry": Producer(f"{_PW}:summarise_psychiatry"),
    "placement": Producer(f"{_PW}:summarise_placement"),
    "placement_of_placed": Producer(f"{_PW}:summarise_placement_of_placed"),
    "no_placement_duration": Producer(f"{_PW}:summarise_no_placement_duration", ("had_placement", "duration")),
    "enrolled_duration": Producer(f"{_PW}:summarise_enrolled_duration", ("still_enrolled", "duration")),
    "exit": Producer(f"{_PW}:summarise_exit"),
    "registry_counts": Producer(f"{_PW}:summarise_registry_counts"),
    "paired": Producer(f"{_MH}:summarise_paired"),
    "paired_pairs": Producer(f"{_MH}:summarise_paired_long"),
    "who5_bands": Producer(f"{_MH}:summarise_who5_bands", ("who5_1", "who5_2", "who5_3", "who5_4", "who5_5")),
    "regression": Producer("ipsreport.analysis.models:fit_regression", (
        "in_job_education", "still_enrolled", "education", "duration", "age", "gender", "work_experience",
        "work_experience_years", "meaning_everyday", "meaning_social", "mastery_1", "mastery_2", "mastery_3",
        "who5_1", "who5_2", "who5_3", "who5_4", "who5_5", "loneliness", "burden")),
    "experience": Producer(f"{_SP}:summarise_experience"),
    "statements": Producer(f"{_SP}:summarise_statements"),
    "effect": Producer(f"{_SP}:summarise_effect"),
    "caseload": Producer(f"{_CL}:summarise_caseload", ("consultant", *_DATES)),
    "caseload_daily": Producer(f"{_CL}:summarise_caseload_daily", ("consultant", *_DATES)),
    "caseload_facts": Producer(f"{_CL}:summarise_caseload_facts", ("consultant", *_DATES)),
    "fidelity_reviews": Producer(f"{_FR}:summarise_fidelity_reviews", ("site", "review_date", "reviewer_type")),
    "fidelity_items": Producer(f"{_FR}:summarise_fidelity_items", ("site", "review_date")),
    "audit": Producer("ipsreport.analysis.audit:summarise_audit"),
    "nonresponse": Producer("ipsreport.analysis.summaries.nonresponse:summarise_nonresponse", (
        "id", "age", "gender", "referral_status", "education", "who5_1", "who5_2", "who5_3", "who5_4", "who5_5",
        "mastery_1", "mastery_2", "mastery_3")),
}

#: Row of the registry counts (``Disclosed.registry_counts``) -> the codebook variables it counts.
REGISTRY_ROW_VARIABLES: Mapping[str, tuple[str, ...]] = {
    "registry": ("id",),
    "finished": ("exit_status",),
    "active": ("exit_status",),
    "success": ("exit_status",),
    "placement_ever": ("placement_ever",),
    "placement_now": ("placement_now", "exit_status"),
    "psychiatry_contact": ("psychiatry_contact",),
    "uu_guidance": ("uu_guidance",),
    "aktivitetsparat": ("referral_status",),
    "uddannelsesparat": ("referral_status",),
    "baseline": ("id",),
    "followup": ("id",),
    "followup_of_baseline": ("id",),
    "followup_enrolled": ("still_enrolled",),
    "followup_finished": ("still_enrolled",),
}


@dataclass(frozen=True)
class FrameSpec:
    """One frame of a dataset: where it is read and which columns are published.

    Attributes
    ----------
    name : str
        The ``Disclosed`` attribute (a key of :data:`PRODUCERS`).
    read : callable
        ``Disclosed -> DataFrame``.
    columns : mapping
        Published column -> its kind; any other column is left out.
    withheld : str, optional
        A boolean column: in rows where it is true the layer withheld the
        statistic, so no ``count`` of that row is published either.
    """

    name: str
    read: Callable[[Any], Any]
    columns: Mapping[str, K]
    withheld: str | None = None


@dataclass(frozen=True)
class DatasetSpec:
    """A table or figure: its label, its chapter API function and its frames."""

    label: str
    function: str
    frames: tuple[FrameSpec, ...]


#: The columns of a tidy count frame (:func:`ipsreport.analysis.disclosed.rules.protect_counts`).
_COUNTS = {"variable": K.LABEL, "label": K.LABEL, "code": K.CODE, "category": K.LABEL,
           "n": K.COUNT, "base": K.COUNT, "pct": K.SHARE, "suppression": K.STATE}
_PAIRED = {"score": K.LABEL, "label": K.LABEL, "n": K.COUNT, "mean_start": K.STATISTIC, "mean_end": K.STATISTIC,
           "diff": K.STATISTIC, "ci_low": K.STATISTIC, "ci_high": K.STATISTIC, "t": K.STATISTIC,
           "p_ttest": K.STATISTIC, "w": K.STATISTIC, "p_wilcoxon": K.STATISTIC, "significant": K.FLAG,
           "scale_min": K.STATISTIC, "scale_max": K.STATISTIC, "reason": K.LABEL, "withheld": K.STATE,
           "sd_start": K.STATISTIC, "sd_end": K.STATISTIC}
_PAIRS = {"start": K.STATISTIC, "end": K.STATISTIC, "n": K.COUNT}
#: Table 9's terms (``RegressionResult.terms``).
TERMS = {"term": K.LABEL, "label": K.LABEL, "coef": K.STATISTIC, "se": K.STATISTIC, "odds_ratio": K.STATISTIC,
         "ci_low": K.STATISTIC, "ci_high": K.STATISTIC, "p": K.STATISTIC, "stars": K.LABEL, "significant": K.FLAG}
_AUDIT = {"key": K.LABEL, "where": K.LABEL, "table": K.LABEL, "printed": K.LABEL, "published": K.STATISTIC,
          "reproduced": K.STATISTIC, "difference": K.STATISTIC, "tolerance": K.STATISTIC, "rounding": K.STATISTIC,
          "within": K.FLAG, "status": K.LABEL, "reason": K.LABEL, "suppressed": K.STATE}
_CASELOAD = {"level": K.LABEL, "consultant": K.LABEL, "consultants": K.QUANTITY, "first_date": K.DATE,
             "last_date": K.DATE, "days": K.QUANTITY, "mean": K.STATISTIC, "peak": K.COUNT, "peak_date": K.DATE,
             "days_above": K.QUANTITY, "share_above_pct": K.SHARE, "first_above": K.DATE, "last_above": K.DATE,
             "limit": K.QUANTITY, "peak_suppressed": K.STATE}


def _paired(score: str) -> tuple[FrameSpec, FrameSpec]:
    """A paired figure's two frames: the comparison and the drawn trajectories."""
    return (FrameSpec("paired", lambda d: d.paired(score), _PAIRED, withheld="withheld"),
            FrameSpec("paired_pairs", lambda d: d.paired_pairs(score), _PAIRS))


#: Every table whose data the bundle holds, in report order.
TABLES: tuple[DatasetSpec, ...] = (
    DatasetSpec("tbl-duration", "tab_duration", (FrameSpec("duration", lambda d: d.duration, _COUNTS),)),
    DatasetSpec("tbl-background", "tab_background", (FrameSpec(
        "background", lambda d: d.background, {"section": K.LABEL, **_COUNTS, "value": K.STATISTIC}),)),
    DatasetSpec("tbl-status", "tab_status", (FrameSpec("status", lambda d: d.status, _COUNTS),)),
    DatasetSpec("tbl-supports", "tab_supports", (FrameSpec("supports", lambda d: d.supports, _COUNTS),)),
    DatasetSpec("tbl-motivation", "tab_motivation", (FrameSpec("motivation", lambda d: d.motivation, _COUNTS),)),
    DatasetSpec("tbl-resources", "tab_resources", (FrameSpec("resources", lambda d: d.resources, _COUNTS),)),
    DatasetSpec("tbl-evaluation", "tab_evaluation", (FrameSpec("evaluation", lambda d: d.evaluation, _COUNTS),)),
    DatasetSpec("tbl-exit", "tab_exit", (FrameSpec("exit", lambda d: d.exit, {**_COUNTS, "success": K.FLAG}),)),
    DatasetSpec("tbl-regression", "tab_regression",
                (FrameSpec("regression", lambda d: d.regression.result.terms, TERMS),)),
    DatasetSpec("tbl-nonresponse", "tab_nonresponse", (FrameSpec("nonresponse", lambda d: d.nonresponse, {
        "variable": K.LABEL, "label": K.LABEL, "kind": K.LABEL, "code": K.CODE, "category": K.LABEL,
        "group": K.LABEL, "n": K.COUNT, "base": K.COUNT, "pct": K.SHARE, "mean": K.STATISTIC, "sd": K.STATISTIC,
        "decimals": K.QUANTITY, "test": K.LABEL, "p": K.STATISTIC, "suppression": K.STATE}),)),
    DatasetSpec("tbl-audit", "tab_audit", (FrameSpec("audit", lambda d: d.audit, _AUDIT),)),
    DatasetSpec("tbl-caseload", "tab_caseload", (FrameSpec("caseload", lambda d: d.caseload, _CASELOAD),)),
    DatasetSpec("tbl-fidelity-reviews", "tab_fidelity_reviews", (
        FrameSpec("fidelity_reviews", lambda d: d.fidelity_reviews, {
            "review": K.CODE, "site": K.LABEL, "review_date": K.DATE, "reviewer_type": K.CODE, "reviewer": K.LABEL,
            "total": K.QUANTITY, "band": K.LABEL, "n_items": K.QUANTITY, "n_missing": K.QUANTITY,
            "lowest_score": K.QUANTITY}),
        FrameSpec("fidelity_items", lambda d: d.fidelity_items, {
            "review": K.CODE, "site": K.LABEL, "review_date": K.DATE, "number": K.CODE, "item": K.LABEL,
            "label": K.LABEL, "score": K.QUANTITY, "lowest": K.FLAG}),
    )),
)

#: Every figure whose data the bundle holds, in report order.
FIGURES: tuple[DatasetSpec, ...] = (
    DatasetSpec("fig-mastery", "fig_mastery", _paired("mastery")),
    DatasetSpec("fig-loneliness", "fig_loneliness", _paired("loneliness")),
    DatasetSpec("fig-who5", "fig_who5", (*_paired("who5"), FrameSpec("who5_bands", lambda d: d.who5_bands, {
        "band": K.CODE, "label": K.LABEL, "time": K.LABEL, "n": K.COUNT, "base": K.COUNT, "pct": K.SHARE,
        "suppression": K.STATE}))),
    DatasetSpec("fig-burden", "fig_burden", _paired("burden")),
    DatasetSpec("fig-experience", "fig_experience", (FrameSpec("experience", lambda d: d.experience, _COUNTS),)),
    DatasetSpec("fig-statements", "fig_statements", (FrameSpec("statements", lambda d: d.statements, _COUNTS),)),
    DatasetSpec("fig-effect", "fig_effect", (FrameSpec("effect", lambda d: d.effect, _COUNTS),)),
    DatasetSpec("fig-caseload", "fig_caseload", (FrameSpec("caseload_daily", lambda d: d.caseload_daily, {
        "consultant": K.LABEL, "date": K.DATE, "caseload": K.COUNT, "active": K.FLAG}),)),
)

#: Tables whose numbers are published elsewhere in the bundle, or that hold no data (function -> where).
ELSEWHERE: Mapping[str, str] = {
    "tab_regression_spec": "the factors and their codings are `ipsreport/analysis/spec.py`; the fit is `model.json`",
    "tab_codebook": "describes `data/codebook.yml`, not the data",
    "tab_sources": "`bundle.json`, `data_files`",
    "tab_audit_summary": "counts the rows of `tbl-audit.json` by `table` and `status`",
}
