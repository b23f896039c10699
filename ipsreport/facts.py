"""Danish-formatted numbers for the report's prose.

Chapters write ``f = ips.facts(d)`` and then `` `{python} f.success_pct` ``.
Every fact is a name from the CONTRACT "Facts" table (plus a few systematic
extras, e.g. ``<term>_or`` for every Table 9 term); attribute access returns a
ready-to-print ``str`` and :meth:`Facts.raw` the number behind it.

Numbers come only from :mod:`ipsreport.disclosed` (the ``summarise_*`` /
``fit_*`` results with the small-number rule already applied); this module
picks cells, pools categories with :func:`ipsreport.disclosed.pool_cells` and
formats. Facts are
computed on first access and cached, and ``facts(ed)`` returns the same
object for the same edition.

With ``min_cell`` active (:mod:`ipsreport.disclosure`), a count below it
prints as ``"<3"`` and a share of it as ``"<3 unge"``. A value its table hides
as the complement of a small cell (secondary suppression), or a pool of
categories that includes a hidden one, prints as ``"et skjult antal"`` /
``"en skjult andel"``, so prose and tables cannot be combined to recover a
hidden count. ``raw`` returns the protected number (missing when hidden).
"""

from __future__ import annotations

import difflib
import sys
import types
import weakref
from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from ipsreport import disclosure, fmt
from ipsreport.disclosed import disclosed, pool_cells

__all__ = ["facts", "Facts"]


@dataclass(frozen=True)
class Fact:
    """One fact: its raw value and how to print it."""

    value: Any
    kind: str  # "count", "pct", "of", "num", "text"
    n: float | None = None  # the count behind a percentage (for suppression)
    base: float | None = None
    decimals: int = 0
    strip_zeros: bool = False
    text: str | None = None  # for kind "text"
    share: float | None = None  # fraction 0-1 for share_words
    #: How the disclosure layer hid the value: "primary" (a small count),
    #: "secondary"/"pooled" (hidden to protect another), "base" (its base is small).
    suppression: str = ""

    def render(self, min_cell: int) -> str:
        if self.kind == "count":
            if self.suppression == "primary":
                return _label(min_cell)
            return HIDDEN_COUNT if self.suppression else fmt.count(self.value)
        if self.kind == "pct":
            if self.suppression == "primary":
                return _small_people(min_cell)
            if self.suppression:
                return HIDDEN_SHARE
            if self.base is not None and not pd.isna(self.base) and self.base == 0:
                return "ingen"  # a share of nobody: no answers to count
            return fmt.pct(self.value, self.decimals, self.strip_zeros)
        if self.kind == "of":
            if self.suppression == "base" or (self.suppression and pd.isna(self.base)):
                return f"{HIDDEN_COUNT} ud af under {fmt.count(min_cell)}"
            if self.suppression == "primary":
                return f"{_label(min_cell)} ud af {fmt.count(self.base)}"
            if self.suppression:
                return f"{HIDDEN_COUNT} ud af {fmt.count(self.base)}"
            return f"{fmt.count(self.n)} ud af {fmt.count(self.base)}"
        if self.kind == "num":
            return fmt.num(self.value, self.decimals, self.strip_zeros)
        return str(self.text)


#: Prose for a value hidden as the complement of a small cell (secondary
#: suppression). A table shows "–" with a note; a sentence needs words.
HIDDEN_SHARE = "en skjult andel"
HIDDEN_COUNT = "et skjult antal"
#: Prose for a comparison that has nothing to compare (too few or no answers).
NOT_COMPUTED = "kunne ikke beregnes"
#: Prose for a start/end change without enough pairs: "Trivslen målt med WHO-5 {...}."
NOT_COMPARED = "kan ikke sammenlignes, fordi for få har svaret både ved start og afslutning"
#: Prose for a share of nobody: an optional question nobody answered.
NO_ANSWERS = "ingen svar"


def _label(min_cell: int) -> str:
    return f"<{fmt.count(min_cell)}"


def _small_people(min_cell: int) -> str:
    """Prose for a share whose count is below ``min_cell``: ``"<5 unge"``.

    The count label rather than "–", so the sentence still reads
    ("og <5 unge angiver et andet køn"); "unge" keeps it from being read
    as a percentage ("andelen var <5 unge").
    """
    return f"<{fmt.count(min_cell)} unge"


def _pooled(p: dict, kind: str) -> Fact:
    """A fact from a pooled cell of :func:`ipsreport.disclosed.pool_cells` (``n, base, pct, suppression``)."""
    suppression = p.get("suppression", "")
    share = p["pct"] / 100 if not suppression and p["base"] else None
    if kind == "pct":
        return Fact(p["pct"], "pct", n=p["n"], base=p["base"], share=share, suppression=suppression)
    if kind == "n":
        return Fact(p["n"], "count", n=p["n"], base=p["base"], share=share, suppression=suppression)
    return Fact(p["n"], "of", n=p["n"], base=p["base"], share=share, suppression=suppression)


#: Pooled categories of the degree5 scale (1 = i meget høj grad ... 5 = slet ikke).
_DEGREE5 = {
    "very_high": (1,),
    "high_only": (2,),
    "high": (1, 2),
    "some": (3,),
    "some_plus": (1, 2, 3),
    "low": (4, 5),
    "none": (5,),
}
#: The placement items add "i mindre grad" alone and the blanks (code 0) to the degree5 pools.
_PLACEMENT = {**_DEGREE5, "lesser": (4,), "noanswer": (0,)}
_FITS4 = {"top": (1,), "second": (2,), "rest": (3, 4)}
_EVAL = {"top": (1,), "second": (2,)}
_MH_SCORES = ("who5", "mastery", "loneliness", "burden")
_BANDS = {1: "low", 2: "mid", 3: "high"}
#: Summary name -> the disclosure-controlled frame it is read from.
_DISCLOSED = {
    "summarise_duration": lambda d: d.duration,
    "summarise_duration_months": lambda d: d.duration_months,
    "summarise_background": lambda d: d.background,
    "summarise_age": lambda d: d.age,
    "summarise_work_experience_years": lambda d: d.work_experience_years,
    "summarise_supports": lambda d: d.supports,
    "summarise_goals": lambda d: d.goals,
    "summarise_motivation": lambda d: d.motivation,
    "summarise_resources": lambda d: d.resources,
    "summarise_evaluation": lambda d: d.evaluation,
    "summarise_psychiatry": lambda d: d.psychiatry,
    "summarise_placement": lambda d: d.placement,
    "summarise_no_placement_duration": lambda d: d.no_placement_duration,
    "summarise_placement_of_placed": lambda d: d.placement_of_placed,
    "summarise_enrolled_duration": lambda d: d.enrolled_duration,
    "summarise_exit": lambda d: d.exit,
    "summarise_registry_counts": lambda d: d.registry_counts,
    "summarise_paired": lambda d: d.paired(),
    "summarise_who5_bands": lambda d: d.who5_bands,
    "summarise_effect": lambda d: d.effect,
    "summarise_experience": lambda d: d.experience,
    "fit_regression": lambda d: d.regression.result,
    "summarise_caseload_facts": lambda d: d.caseload_facts,
}


class Facts:
    """Lazily computed, cached facts of one edition (see module docstring)."""

    def __init__(self, ed):
        self._ed = ed
        self._disclosed = disclosed(ed)
        self._min_cell = self._disclosed.min_cell
        self._facts: dict[str, Fact] = {}
        self._summaries: dict[str, Any] = {}
        self._defs: dict[str, Callable[[], Fact]] = self._definitions()

    # -- public API ---------------------------------------------------------

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._get(name).render(self._min_cell)

    def __dir__(self):
        return sorted({*super().__dir__(), *self._defs})

    def __repr__(self) -> str:
        return f"<Facts: {len(self._defs)} names, min_cell={self._min_cell}>"

    @property
    def names(self) -> list[str]:
        """All fact names, sorted."""
        return sorted(self._defs)

    def raw(self, name: str):
        """The number behind a fact (a count for ``*_n``/``*_of``, 0-100 for ``*_pct``)."""
        return self._get(name).value

    def words(self, n) -> str:
        """Danish word for a number or a count fact: ``f.words(1) == "én"``, ``f.words("edu_vocational_n")``."""
        if isinstance(n, str):
            fact = self._get(n)
            if fact.suppression:
                # "<3", or "et skjult antal": never a number in words.
                return fact.render(self._min_cell) if fact.kind == "count" else (
                    _label(self._min_cell) if fact.suppression == "primary" else HIDDEN_COUNT)
            n = fact.n if fact.kind == "of" else fact.value
        return fmt.words(n)

    def share_words(self, name: str, **kwargs) -> str:
        """A share fact in words: ``f.share_words("success_pct") == "seks ud af ti"``.

        A share of no answers reads ``"ingen svar"``; a hidden one as its fact renders.
        """
        fact = self._get(name)
        if fact.kind not in ("pct", "of", "text") and fact.share is None:
            raise ValueError(f"fact {name!r} is not a share")
        if fact.suppression == "primary":
            return _small_people(self._min_cell)
        if fact.suppression:
            return HIDDEN_SHARE
        if fact.share is None or fact.share != fact.share:
            return NO_ANSWERS
        return _share_phrase(fact.share, fact.n, fact.base, **kwargs)

    def as_dict(self) -> dict[str, str]:
        """Every fact formatted (computes them all)."""
        return {name: getattr(self, name) for name in self.names}

    # -- internals ----------------------------------------------------------

    def _get(self, name: str) -> Fact:
        if name not in self._facts:
            if name not in self._defs:
                close = difflib.get_close_matches(name, self._defs, n=5, cutoff=0.6)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise AttributeError(f"unknown fact {name!r}{hint}")
            self._facts[name] = self._defs[name]()
        return self._facts[name]

    def _summary(self, key: str, compute: Callable[[], Any]):
        if key not in self._summaries:
            self._summaries[key] = compute()
        return self._summaries[key]

    def _s(self, func_name: str):
        """A disclosure-controlled summary (see :data:`_DISCLOSED`)."""
        return self._summary(func_name + "()", lambda: _DISCLOSED[func_name](self._disclosed))

    def _pool(self, func_name: str, variable: str, codes) -> dict:
        return pool_cells(self._s(func_name), variable, codes)

    def _rc(self, measure: str) -> dict:
        row = self._s("summarise_registry_counts").loc[measure]
        return {"n": row["n"], "base": row["base"], "pct": float(row["pct"]), "suppression": row["suppression"]}

    def _definitions(self) -> dict[str, Callable[[], Fact]]:
        from ipsreport import facts_sentences as fs

        d: dict[str, Callable[[], Fact]] = {}
        cb = self._ed.codebook

        def pooled(name, func, variable, codes, kind):
            d[name] = lambda: _pooled(self._pool(func, variable, codes), kind)

        # Head counts (registry and surveys).
        for measure in ("registry", "finished", "active", "baseline", "followup", "followup_enrolled",
                        "followup_finished", "placement_ever", "placement_now", "aktivitetsparat",
                        "uddannelsesparat", "success", "uu_guidance"):
            d[f"{measure}_n"] = (lambda m=measure: _pooled(self._rc(m), "n"))
        for measure in ("placement_ever", "placement_now", "success", "uu_guidance", "aktivitetsparat",
                        "uddannelsesparat"):
            d[f"{measure}_pct"] = (lambda m=measure: _pooled(self._rc(m), "pct"))
            d[f"{measure}_of"] = (lambda m=measure: _pooled(self._rc(m), "of"))
        d["followup_share_of_registry_pct"] = lambda: _pooled(self._rc("followup"), "pct")
        d["followup_share_of_registry_of"] = lambda: _pooled(self._rc("followup"), "of")
        d["followup_share_of_baseline_pct"] = lambda: _pooled(self._rc("followup_of_baseline"), "pct")
        d["followup_share_of_baseline_of"] = lambda: _pooled(self._rc("followup_of_baseline"), "of")
        d["psychiatry_registry_of"] = lambda: _pooled(self._rc("psychiatry_contact"), "of")
        d["psychiatry_registry_n"] = lambda: _pooled(self._rc("psychiatry_contact"), "n")
        d["psychiatry_registry_pct"] = lambda: _pooled(self._rc("psychiatry_contact"), "pct")

        # Table 1 and months enrolled.
        for name, codes in (("over6", (4, 5, 6, 7)), ("over12", (7,)), ("under4", (1, 2))):
            pooled(f"duration_{name}_pct", "summarise_duration", "duration", codes, "pct")
            pooled(f"duration_{name}_n", "summarise_duration", "duration", codes, "n")
        d["duration_mean_months"] = lambda: Fact(
            float(self._s("summarise_duration_months")["mean"].iloc[0]), "num", decimals=0)

        # Table 2.
        for name, code in (("male", 1), ("female", 2), ("other_gender", 3)):
            pooled(f"{name}_pct", "summarise_background", "gender", (code,), "pct")
            pooled(f"{name}_n", "summarise_background", "gender", (code,), "n")
        for stat in ("mean", "min", "max"):
            d[f"age_{stat}"] = (lambda s=stat: Fact(float(self._s("summarise_age")[s].iloc[0]), "num"))
        d["age_over20_n"] = lambda: self._age_over20("n")
        d["age_over20_of"] = lambda: self._age_over20("of")
        d["age_over20_pct"] = lambda: self._age_over20("pct")
        for name, codes in (("not_primary", (1,)), ("primary", (2,)), ("upper_secondary", (3,)),
                            ("vocational", (4,)), ("short_higher", (5,)), ("higher_mvu_lvu", (6, 7))):
            for kind in ("pct", "n", "of"):
                pooled(f"edu_{name}_{kind}", "summarise_background", "education", codes, kind)
        for kind in ("pct", "n", "of"):
            pooled(f"work_experience_{kind}", "summarise_background", "work_experience", (1,), kind)
        d["edu_higher_mvu_lvu_sentence"] = lambda: fs.edu_higher_sentence(self)
        d["work_experience_years_mean"] = lambda: Fact(
            float(self._s("summarise_work_experience_years")["mean"].iloc[0]), "num", decimals=1)

        # Table 4 and goals (multi-select: one row per item, code 1).
        for var in cb["baseline"].group("supports"):
            for kind in ("n", "pct", "of"):
                pooled(f"{var.name}_{kind}", "summarise_supports", var.name, (1,), kind)
        for var in cb["baseline"].group("goals"):
            for kind in ("n", "pct", "of"):
                pooled(f"{var.name}_{kind}", "summarise_goals", var.name, (1,), kind)

        # Tables 5-7.
        for var in cb["baseline"].group("motivation"):
            for suffix, codes in _FITS4.items():
                for kind in ("pct", "n"):
                    pooled(f"{var.name}_{suffix}_{kind}", "summarise_motivation", var.name, codes, kind)
        for var, prefix in (("surplus", "surplus"), ("belief_work", "belief")):
            for suffix, codes in _DEGREE5.items():
                for kind in ("pct", "n"):
                    pooled(f"{prefix}_{suffix}_{kind}", "summarise_resources", var, codes, kind)
        for var in cb["followup"].group("evaluation"):
            for suffix, codes in _EVAL.items():
                for kind in ("pct", "n"):
                    pooled(f"{var.name}_{suffix}_{kind}", "summarise_evaluation", var.name, codes, kind)

        d["evaluation_summary"] = lambda: fs.evaluation_summary(self)

        # Psychiatry (follow-up).
        for kind in ("n", "pct", "of"):
            pooled(f"psych_contact_{kind}", "summarise_psychiatry", "psych_contact", (1,), kind)
        for var in cb["followup"].group("psychiatry"):
            for kind in ("pct", "of", "n"):
                pooled(f"{var.name}_{kind}", "summarise_psychiatry", var.name, (1, 2), kind)

        # Placements.
        for kind in ("of", "n", "pct"):
            pooled(f"had_placement_{kind}", "summarise_placement", "had_placement", (1,), kind)
        pooled("no_placement_n", "summarise_placement", "had_placement", (0,), "n")
        d["no_placement_short_n"] = lambda: self._protected_count(
            self._s("summarise_no_placement_duration")["short_n"].iloc[0])
        # Section 5.4 gives the four items as shares of all with a placement, blanks included (as 2025).
        for var in cb["followup"].group("placement"):
            for suffix, codes in _PLACEMENT.items():
                for kind in ("pct", "n", "of"):
                    pooled(f"{var.name}_{suffix}_{kind}", "summarise_placement_of_placed", var.name, codes, kind)
        d["placement_noanswer_sentence"] = lambda: fs.placement_noanswer_sentence(self)
        d["followup_enrolled_sentence"] = lambda: fs.enrolled_sentence(self)

        # Table 8 and the success rate.
        d["success_words"] = lambda: self._words_of(self._rc("success"))
        d["success_target_met"] = self._target_met
        for name, code in (("job", 1), ("flexjob", 2), ("education", 3), ("other", 4)):
            d[f"exit_{name}_n"] = (lambda c=code: self._exit(c, "n"))
            d[f"exit_{name}_pct"] = (lambda c=code: self._exit(c, "pct"))
            d[f"exit_{name}_share_words"] = (lambda c=code: self._words_of(self._exit_pool(c)))
        d["uu_guidance_share_words"] = lambda: self._words_of(self._rc("uu_guidance"))
        d["education_choice_sentence"] = lambda: fs.education_choice_sentence(self)

        # Chapter 6 (summaries/mental_health.py).
        d["paired_n"] = lambda: self._paired_n("who5")
        for score in _MH_SCORES:
            d[f"{score}_paired_n"] = (lambda s=score: self._paired_n(s))
            d[f"{score}_start"] = (lambda s=score: self._mean(s, "mean_start"))
            d[f"{score}_end"] = (lambda s=score: self._mean(s, "mean_end"))
            d[f"{score}_direction"] = (lambda s=score: self._direction(s))
            d[f"{score}_significance"] = (lambda s=score: self._significance(s))
            d[f"{score}_change"] = (lambda s=score: self._change(s))
            d[f"{score}_p_ttest"] = (lambda s=score: Fact(float(self._paired(s)["p_ttest"]), "text",
                                                           text=fmt.pvalue(self._paired(s)["p_ttest"])))
        d["any_mental_health_significant"] = self._any_significant
        d["mental_health_summary"] = lambda: fs.mental_health_summary(self)
        for band, word in _BANDS.items():
            for time in ("start", "end"):
                d[f"who5_band_{word}_{time}_pct"] = (lambda b=band, t=time: self._band(b, t))
        d["who5_population_mean"] = lambda: Fact(
            float(self._ed.codebook.scores["who5"]["population_mean"]), "num")

        # Table 9.
        d["regression_n"] = self._regression_n
        d["regression_events"] = self._regression_events
        d["regression_significant_terms"] = self._significant_terms
        d["regression_significant_n"] = lambda: Fact(
            int(self._s("fit_regression").terms["significant"].sum()), "count")
        from ipsreport.spec import TERM_NAMES

        for term in TERM_NAMES:
            d[f"{term}_or"] = (lambda t=term: Fact(self._term(t)["odds_ratio"], "num", decimals=2))
            d[f"{term}_p"] = (lambda t=term: Fact(self._term(t)["p"], "text", text=fmt.pvalue(self._term(t)["p"])))
            d[f"{term}_ci"] = (lambda t=term: self._ci(t))

        d["regression_nonsignificant_terms"] = lambda: self._terms_text(significant=False)
        d["regression_finding"] = self._regression_finding
        d["regression_others_sentence"] = self._regression_others
        d["regression_significant_or_sentence"] = self._significant_or_sentence
        d["burden_or_sentence"] = self._burden_sentence
        # The same findings in running Danish (ipsreport.regression_prose): what chapters 2 and 7 print.
        from ipsreport import regression_prose as rp

        d["regression_summary"] = lambda: Fact(None, "text", text=rp.summary(self._regression()))
        d["regression_result_sentence"] = lambda: Fact(None, "text", text=rp.result_sentence(self._regression()))
        d["regression_rest_sentence"] = lambda: Fact(None, "text", text=rp.rest_sentence(self._regression()))
        d["who5_end_vs_population"] = self._who5_vs_population
        d["who5_population_sentence"] = self._who5_population_sentence
        d["placement_now_vs_ever"] = self._placement_now_vs_ever

        # Fidelity appendix: consultants' caseloads (summaries/caseload.py). Consultants and
        # consultant-days are not counts of young people (no small-number rule); the peak caseload is.
        def caseload(key=None):
            from ipsreport.summaries.caseload import caseload_finding

            values = self._s("summarise_caseload_facts")
            return caseload_finding(values) if key is None else values[key]

        d["caseload_limit"] = lambda: Fact(caseload("limit"), "text", text=fmt.count(caseload("limit")))
        d["caseload_consultants_n"] = lambda: Fact(caseload("consultants"), "text",
                                                   text=fmt.count(caseload("consultants")))
        d["caseload_consultants_above_n"] = lambda: Fact(caseload("consultants_above"), "text",
                                                         text=fmt.count(caseload("consultants_above")))
        d["caseload_peak_n"] = lambda: Fact(caseload("peak"), "count", suppression=caseload("peak_suppression"))
        d["caseload_mean"] = lambda: Fact(caseload("mean"), "num", decimals=1)
        d["caseload_above_pct"] = lambda: Fact(caseload("share_above_pct"), "pct", decimals=1, strip_zeros=True)
        d["caseload_met"] = lambda: Fact(caseload("met"), "text", text={
            True: "er opfyldt", False: "er ikke opfyldt", None: "kan ikke vurderes"}[caseload("met")])
        d["caseload_finding"] = lambda: Fact(caseload("met"), "text", text=caseload())
        d["caseload_period_start"] = lambda: Fact(caseload("period_start"), "text",
                                                  text=fmt.date(caseload("period_start")))
        d["caseload_period_end"] = lambda: Fact(caseload("period_end"), "text", text=fmt.date(caseload("period_end")))

        # Fidelity appendix: the optional fidelity reviews (summaries/fidelity_reviews.py). Reviews
        # score a site's practice, not persons: no small-number rule (see Disclosed.fidelity_reviews).
        def fidelity_reviews():
            return self._summary("fidelity_reviews", lambda: self._disclosed.fidelity_reviews)

        def fidelity_sentence() -> str:
            from ipsreport.summaries.fidelity_reviews import fidelity_reviews_sentence

            return fidelity_reviews_sentence(fidelity_reviews(), self._disclosed.fidelity_items, cb)

        def fidelity_bands() -> str:
            from ipsreport.summaries.fidelity_reviews import fidelity_bands_text

            return fidelity_bands_text(cb)

        d["fidelity_reviews_n"] = lambda: Fact(len(fidelity_reviews()), "count")
        d["fidelity_sites_n"] = lambda: Fact(int(fidelity_reviews()["site"].nunique()), "count")
        d["fidelity_reviews_sentence"] = lambda: Fact(len(fidelity_reviews()), "text", text=fidelity_sentence())
        d["fidelity_bands"] = lambda: Fact(None, "text", text=fidelity_bands())

        # Bilag 7: the reproduction audit.
        d["audit_total_n"] = lambda: Fact(len(self._audit()), "count")
        d["audit_within_n"] = lambda: Fact(int(self._audit()["within"].sum()), "count")
        d["audit_result_sentence"] = self._audit_sentence

        # Bilag 5 (summaries/supplementary.py).
        for kind in ("pct", "n", "of"):
            pooled(f"effect_positive_{kind}", "summarise_effect", "overall_effect", (1, 2), kind)
            pooled(f"experience_good_{kind}", "summarise_experience", "experience_overall", (1, 2), kind)

        # Settings and provenance, for the front matter and the appendices.
        st = self._ed.settings
        for key in ("municipality", "funder", "evaluator", "title", "subtitle"):
            d[key] = (lambda k=key: Fact(getattr(st, k), "text", text=str(getattr(st, k))))
        d["edition_year"] = lambda: Fact(int(st.edition_year), "text", text=str(int(st.edition_year)))
        d["alpha"] = lambda: Fact(float(st.alpha), "num", decimals=2, strip_zeros=True)
        d["success_target_pct"] = lambda: Fact(float(st.success_target_pct), "pct")
        d["evaluation_end"] = lambda: Fact(st.evaluation_end, "text", text=fmt.date(st.evaluation_end))
        # Definitions the prose would otherwise type: the confidence level, periods, interview counts.
        d["confidence_level"] = lambda: Fact((1 - float(st.alpha)) * 100, "pct", decimals=1, strip_zeros=True)
        d["project_period"] = lambda: fs.period(st.project_start, st.project_end)
        d["implementation_period"] = lambda: fs.period(st.implementation_start, st.implementation_end)
        d["implementation_length"] = lambda: fs.months_long(st.implementation_start, st.implementation_end)
        d["partner_interviews_n"] = lambda: Fact(int(st.partner_interviews_n), "text",
                                                 text=fmt.count(st.partner_interviews_n))
        d["servicedesign_interviews_n"] = lambda: Fact(int(st.servicedesign_interviews_n), "text",
                                                       text=fmt.count(st.servicedesign_interviews_n))
        d["cases_n"] = lambda: Fact(fs.cases_count(), "text", text=fmt.count(fs.cases_count()))
        d["regression_epv_min"] = lambda: Fact(fs.epv_min(), "text", text=fmt.count(fs.epv_min()))
        d["regression_terms_n"] = lambda: Fact(len(TERM_NAMES), "text", text=fmt.count(len(TERM_NAMES)))
        d["synthetic_notice"] = self._synthetic_notice
        d["package_version"] = lambda: Fact(None, "text", text=_package_version())
        d["git_commit"] = lambda: Fact(None, "text", text=_git_commit())
        d["render_date"] = lambda: Fact(_render_date(), "text", text=fmt.date(_render_date()))
        d["min_cell"] = lambda: Fact(self._min_cell, "text", text=disclosure.describe_rule(self._min_cell))
        return d

    # -- helpers for composite facts -----------------------------------------

    def _protected_count(self, n) -> Fact:
        """A count the disclosure layer left missing (small) or kept."""
        if n is None or pd.isna(n):
            return Fact(None, "count", suppression="primary")
        return Fact(int(n), "count")

    def _age_over20(self, kind: str) -> Fact:
        age = self._s("summarise_age").iloc[0]
        return _pooled({"n": age["over20_n"], "base": int(age["n"]), "pct": float(age["over20_pct"]),
                        "suppression": age["over20_suppression"]}, kind)

    def _words_of(self, p: dict) -> Fact:
        suppression = p.get("suppression", "")
        if suppression == "primary":
            return Fact(None, "text", text=_small_people(self._min_cell), suppression=suppression)
        if suppression:
            return Fact(None, "text", text=HIDDEN_SHARE, suppression=suppression)
        share = p["n"] / p["base"] if p["base"] else float("nan")
        text = _share_phrase(share, p["n"], p["base"]) if p["base"] else NO_ANSWERS
        return Fact(share, "text", n=p["n"], base=p["base"], text=text, share=share)

    def _target_met(self) -> Fact:
        met = self._disclosed.success_target_met()
        text = {True: "er opfyldt", False: "er ikke opfyldt", None: "kan ikke vurderes på så få afsluttede"}[met]
        return Fact(met, "text", text=text)

    def _exit_pool(self, code: int) -> dict:
        return self._pool("summarise_exit", "exit_status", (code,))

    def _exit(self, code: int, kind: str) -> Fact:
        return _pooled(self._exit_pool(code), kind)

    def _paired_n(self, score: str) -> Fact:
        n = int(self._paired(score)["n"])
        return Fact(n, "count", suppression="primary" if disclosure.is_small(n, self._min_cell) else "")

    def _paired(self, score: str):
        frame = self._s("summarise_paired")
        return frame.set_index("score").loc[score]

    def _decimals(self, score: str) -> int:
        from ipsreport.summaries.mental_health import SCORES

        return int(SCORES[score].decimals)

    def _mean(self, score: str, column: str) -> Fact:
        return Fact(float(self._paired(score)[column]), "num", decimals=self._decimals(score))

    def _direction(self, score: str) -> Fact:
        row = self._paired(score)
        text = fmt.direction(row["mean_start"], row["mean_end"], self._decimals(score))
        return Fact(float(row["mean_end"] - row["mean_start"]), "text", text=text)

    def _significance(self, score: str) -> Fact:
        row = self._paired(score)
        sig = bool(row["significant"])
        return Fact(sig, "text", text="statistisk signifikant" if sig else "ikke statistisk signifikant")

    def _any_significant(self) -> Fact:
        frame = self._s("summarise_paired")
        sig = bool(frame["significant"].any())
        return Fact(sig, "text", text="Nogle af ændringerne er" if sig else "Ingen af ændringerne er")

    def _band(self, band: int, time: str) -> Fact:
        frame = self._s("summarise_who5_bands")
        row = frame[(frame["band"] == band) & (frame["time"] == time)].iloc[0]
        if row["suppression"]:
            return Fact(None, "pct", suppression=row["suppression"])
        return Fact(float(row["pct"]), "pct", n=int(row["n"]), base=int(row["base"]), decimals=1,
                    strip_zeros=True, share=float(row["pct"]) / 100 if row["base"] else None)

    def _term(self, term: str):
        terms = self._s("fit_regression").terms
        return terms.set_index("term").loc[term]

    def _terms_text(self, significant: bool) -> Fact:
        terms = self._s("fit_regression").terms
        chosen = terms[terms["significant"] == significant]
        # In-sentence form: lower-case first letter unless it starts an acronym (WHO-5).
        labels = [_in_sentence(lab) for lab in chosen["label"]]
        text = _join(labels) if labels else "ingen"
        return Fact(list(chosen["term"]), "text", text=text)

    def _significant_terms(self) -> Fact:
        return self._terms_text(significant=True)

    def _change(self, score: str) -> Fact:
        """ "steg fra 49 til 51" / "faldt fra 2,83 til 2,70" / "var uændret på 3,10"."""
        row = self._paired(score)
        decimals = self._decimals(score)
        if pd.isna(row["mean_start"]) or pd.isna(row["mean_end"]):
            return Fact(None, "text", text=NOT_COMPARED)
        start, end = fmt.num(row["mean_start"], decimals), fmt.num(row["mean_end"], decimals)
        verb = fmt.direction(row["mean_start"], row["mean_end"], decimals)
        text = f"var uændret på {start}" if verb == "var uændret" else f"{verb} fra {start} til {end}"
        return Fact(float(row["mean_end"] - row["mean_start"]), "text", text=text)

    # -- result-dependent wording (the prose must hold for any data) --------

    def _regression(self):
        return self._s("fit_regression")

    def _regression_n(self) -> Fact:
        n = self._s("fit_regression").n
        return Fact(n, "count", suppression="primary" if disclosure.is_small(n, self._min_cell) else "")

    def _regression_events(self) -> Fact:
        """Respondents in job or education at the end; hidden with the model when a group is small."""
        events = self._s("fit_regression").events
        if disclosure.is_small(events, self._min_cell):
            return Fact(None, "count", suppression="primary")
        if self._disclosed.regression.withheld:
            return Fact(None, "count", suppression="secondary")
        return Fact(events, "count")

    def _regression_finding(self) -> Fact:
        """Verb phrase after "Analysen ...": which factors are significant, if any.

        The chapter sentence says what the association is with (being in job
        or education at the end); this phrase only says with which factors.
        """
        result = self._regression()
        chosen = result.terms[result.terms["significant"]]
        if getattr(result, "separated", False):
            # Huge standard errors make every term "not significant": that is no finding.
            text = ("kunne ikke estimeres pålideligt, fordi de målte faktorer (næsten) perfekt forudsiger, hvem der "
                    "er i job eller uddannelse (separation; se noten under tabellen)")
        elif result.model is None:
            text = "kunne ikke gennemføres på disse data (se noten under tabellen)"
        elif chosen.empty:
            text = "finder ingen statistisk signifikant sammenhæng med nogen af de målte faktorer"
        else:
            text = f"finder en statistisk signifikant sammenhæng med følgende faktorer: {self._terms_text(True).text}"
        return Fact(list(chosen["term"]), "text", text=text)

    def _regression_others(self) -> Fact:
        """Sentence on the factors without a significant association."""
        result = self._regression()
        others = self._terms_text(significant=False)
        n_sig = int(result.terms["significant"].sum())
        if result.model is None or getattr(result, "separated", False):
            text = ""
        elif n_sig == 0:
            text = f"De målte faktorer er {others.text}."
        elif not others.value:
            text = "Alle de målte faktorer har altså en påviselig sammenhæng med udfaldet."
        else:
            text = f"For de øvrige faktorer – {others.text} – er der ingen påviselig sammenhæng."
        return Fact(others.value, "text", text=text)

    def _ci(self, term: str) -> Fact:
        low, high = self._term(term)["ci_low"], self._term(term)["ci_high"]
        text = NOT_COMPUTED if pd.isna(low) or pd.isna(high) else fmt.ci(low, high)
        return Fact((low, high), "text", text=text)

    def _burden_sentence(self) -> Fact:
        """Chapter 7: psychological burden in Table 9, or why it has no estimate here."""
        row = self._term("burden")
        result = self._regression()
        if result.model is None or getattr(result, "separated", False) or pd.isna(row["odds_ratio"]):
            text = ("I denne udgave kan sammenhængen med psykisk belastning ikke beregnes pålideligt "
                    "(se noten under tabellen).")
        else:
            text = (f"I denne udgave er odds ratioen for psykisk belastning {fmt.num(row['odds_ratio'], 2)} med et "
                    f"{self.confidence_level}-konfidensinterval på {fmt.ci(row['ci_low'], row['ci_high'])} "
                    f"(p-værdi {fmt.pvalue(row['p'])}).")
        return Fact(row["odds_ratio"], "text", text=text)

    def _significant_or_sentence(self) -> Fact:
        """ "Odds ratioen er 2,12 for ... og 0,55 for ..." over the significant terms (empty if none)."""
        terms = self._regression().terms
        chosen = terms[terms["significant"]]
        parts = [f"{fmt.num(row['odds_ratio'], 2)} for {_in_sentence(row['label'])}" for _, row in chosen.iterrows()]
        text = f"Odds ratioen er {_join(parts)}." if parts else ""
        return Fact(list(chosen["term"]), "text", text=text)

    def _who5_vs_population(self) -> Fact:
        """ "under" / "over" / "på niveau med": the end mean against the population mean (whole points)."""
        end = float(self._paired("who5")["mean_end"])
        if end != end:
            return Fact(None, "text", text=NOT_COMPUTED)
        end = round(end)
        population = round(float(self._ed.codebook.scores["who5"]["population_mean"]))
        text = "under" if end < population else "over" if end > population else "på niveau med"
        return Fact(end - population, "text", text=text)

    def _who5_population_sentence(self) -> Fact:
        """Chapter 6: the WHO-5 end mean against the population's, or why it cannot be compared."""
        population = self.who5_population_mean
        where = self._who5_vs_population()
        if where.value is None:
            text = (f"De unges gennemsnitlige WHO-5-score ved afslutning kan ikke sammenlignes med gennemsnittet "
                    f"for den danske befolkning ({population}), fordi for få har svaret både ved start og afslutning.")
        else:
            text = (f"De unges gennemsnitlige WHO-5-score ved afslutning ({self.who5_end}) ligger {where.text} "
                    f"gennemsnittet for den danske befolkning ({population}).")
        return Fact(where.value, "text", text=text)

    def _placement_now_vs_ever(self) -> Fact:
        """Share in a placement among the still enrolled compared with all enrolled (whole percent)."""
        now, ever = self._rc("placement_now"), self._rc("placement_ever")
        if now["suppression"] or ever["suppression"]:
            return Fact(None, "text", text="ikke til at sammenligne, fordi tallene er for små")
        if not now["base"] or not ever["base"]:
            return Fact(None, "text", text="ikke til at sammenligne, fordi ingen var i forløb ved afslutningen")
        a, b = fmt.round_half_up(now["pct"]), fmt.round_half_up(ever["pct"])
        if a > b:
            text = "højere blandt de aktive end blandt alle deltagere"
        elif a < b:
            text = "lavere blandt de aktive end blandt alle deltagere"
        else:
            text = "den samme blandt de aktive som blandt alle deltagere"
        return Fact(a - b, "text", text=text)

    def _audit(self):
        return self._disclosed.audit

    def _audit_sentence(self) -> Fact:
        audit = self._audit()
        within, total = int(audit["within"].sum()), len(audit)
        if within == total:
            text = (f"Alle {fmt.count(total)} tal er genskabt inden for tolerancen. Hvor tolerancen er større "
                    "end afrundingen, er årsagen forklaret i tabellen.")
        else:
            text = (f"{fmt.count(within)} af de {fmt.count(total)} tal er genskabt inden for tolerancen. "
                    "Tal, der ikke er genskabt, er markeret med »Nej«. Er rapporten dannet på andre data end "
                    "dem bag 2025-udgaven, er afvigelser ventede: så viser tabellen blot, hvordan tallene "
                    "adskiller sig fra 2025-udgaven. Hvor tolerancen er større end afrundingen, er årsagen "
                    "forklaret i tabellen.")
        return Fact(within, "text", text=text)

    def _synthetic_notice(self) -> Fact:
        # The twin is calibrated to the 2025 figures; a cohort drawn by the
        # sampler is not, and the notice must not claim it is.
        # ed.synthetic and ed.twin are verified against the files' checksums
        # (ipsreport.manifest), never taken from the manifest's say-so.
        # Plain text: Quarto prints an inline value as text, so markdown here
        # would show as literal asterisks (both engines must read alike).
        synthetic = bool(getattr(self._ed, "synthetic", False))
        if not synthetic:
            text = ""
        elif getattr(self._ed, "twin", False):
            text = (
                "Bemærk: Tallene i denne udgave er beregnet på et syntetisk datasæt, der er konstrueret, så det "
                "genskaber de offentliggjorte tal fra 2025-evalueringen. Ingen rækker i datasættet beskriver "
                "virkelige personer."
            )
        elif str((getattr(self._ed, "manifest", None) or {}).get("generator", "")).startswith("ipsreport.synth.sample"):
            text = (
                "Bemærk: Tallene i denne udgave er beregnet på et syntetisk datasæt, der er trukket tilfældigt "
                "efter kodebogen. Tallene beskriver ingen virkelige personer og kan ikke sammenlignes med "
                "offentliggjorte resultater."
            )
        else:
            # Another verified synthetic folder, e.g. the fidelity example (data/examples/).
            text = (
                "Bemærk: Tallene i denne udgave er beregnet på syntetiske eksempeldata. Tallene beskriver ingen "
                "virkelige personer og kan ikke sammenlignes med offentliggjorte resultater."
            )
        return Fact(synthetic, "text", text=text)


def _in_sentence(label: str) -> str:
    """A Table 9 label inside a sentence: lower-case first letter unless it starts an acronym (WHO-5)."""
    return label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label


def _join(items) -> str:
    """Danish list; "samt" before the last item when one of the last two
    contains "og" ("vurdering af forløbets betydning samt selvværd og mestring")."""
    items = list(items)
    last = "samt" if len(items) > 1 and any(" og " in x for x in items[-2:]) else "og"
    return fmt.join_words(items, last=last)


def _share_phrase(share, n=None, base=None, **kwargs) -> str:
    """:func:`ipsreport.fmt.share_words`, kept true at the ends of the scale.

    The named fractions are matched within a tolerance, so 1 of 60 would
    read "ingen" and 59 of 60 "alle"; with the count at hand those become
    "under én ud af ti" and "næsten alle". Shares of 0.95 and more that are
    not all read "næsten alle" too.
    """
    if share is None or share != share:
        return fmt.MISSING
    some = n is not None and n > 0
    all_ = n is not None and base is not None and n >= base
    if share >= 0.95 and not all_ and (n is not None or share < 1):
        return "næsten alle"
    phrase = fmt.share_words(share, **kwargs)
    if phrase == "ingen" and some:
        return "under én ud af ti"
    if phrase == "alle" and n is not None and not all_:
        return "næsten alle"
    return phrase


def _package_version() -> str:
    import ipsreport

    return str(getattr(ipsreport, "__version__", "ukendt"))


def _git_commit() -> str:
    """Short commit of the project checkout, read-only; says so when unknown or modified."""
    import subprocess

    from ipsreport.paths import PROJECT_DIR

    def git(*args):
        return subprocess.run(["git", "-C", str(PROJECT_DIR), *args], capture_output=True, text=True, timeout=10)

    try:
        head = git("rev-parse", "--short", "HEAD")
        if head.returncode != 0:
            return "ikke tilgængelig"
        dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "ikke tilgængelig"
    return head.stdout.strip() + (" (med ændringer, der ikke er committet)" if dirty else "")


def _render_date():
    """The render date: ``IPSREPORT_RENDER_DATE`` (ISO date) when set, for byte-identical
    re-renders; else a non-zero ``SOURCE_DATE_EPOCH``; else today.

    ``SOURCE_DATE_EPOCH=0`` is ignored: the render engine sets it for
    reproducible SVG metadata, and "1. januar 1970" is not a render date.
    """
    import datetime as dt
    import os

    fixed = os.environ.get("IPSREPORT_RENDER_DATE")
    if fixed:
        return dt.date.fromisoformat(fixed)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and int(epoch) > 0:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


_CACHE: dict[int, tuple[weakref.ref | Any, Facts]] = {}


def facts(ed) -> Facts:
    """The :class:`Facts` of an edition; computed lazily, one object per edition.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Facts
        ``f.<name>`` → Danish string, ``f.raw(name)`` → number,
        ``f.words(n)``, ``f.share_words(name)``.
    """
    key = id(ed)
    hit = _CACHE.get(key)
    if hit is not None:
        ref, cached = hit
        target = ref() if isinstance(ref, weakref.ref) else ref
        if target is ed:
            return cached
    made = Facts(ed)
    try:
        ref = weakref.ref(ed, lambda _r, k=key: _CACHE.pop(k, None))
    except TypeError:  # objects without weakref support: keep a strong reference
        ref = ed
    _CACHE[key] = (ref, made)
    return made


class _CallableModule(types.ModuleType):
    """``ipsreport.facts`` is both this module and the function :func:`facts`.

    Once the submodule is imported, ``ipsreport.facts`` names the module (the
    import system sets it on the package), so chapters calling
    ``ips.facts(d)`` would get a module. Making the module callable keeps
    ``ips.facts(d)`` working however the name was resolved.
    """

    def __call__(self, ed) -> Facts:
        return facts(ed)


sys.modules[__name__].__class__ = _CallableModule
