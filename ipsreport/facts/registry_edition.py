"""Facts of the edition and the appendices: settings and provenance, the
fidelity appendix (caseloads, fidelity reviews), Bilag 5 and Bilag 7 (audit).

Every fact is written out by name.
"""

from __future__ import annotations

from ipsreport import disclosure, fmt
from ipsreport.facts import findings, provenance
from ipsreport.facts import reading as rd
from ipsreport.facts import sentences as fs
from ipsreport.facts.definition import computed, pooled
from ipsreport.facts.fact import Fact
from ipsreport.facts.sources import AUDIT, CASELOAD_FACTS, EFFECT, EXPERIENCE, FIDELITY_REVIEWS

__all__ = ["FACTS"]

_SETTING = "none (a setting)"
#: Consultants, consultant-days and reviews are not counts of young people: no small-number rule.
_NOT_PEOPLE = "none (not a count of young people)"


def _text(value) -> Fact:
    """A setting printed as it is."""
    return Fact(value, "text", text=str(value))


def _count_text(value) -> Fact:
    """A number that is no count of young people, printed as a count ("1.234") without the rule."""
    return Fact(value, "text", text=fmt.count(value))


def _date(value) -> Fact:
    return Fact(value, "text", text=fmt.date(value))


def _caseload_met(f) -> Fact:
    met = rd.caseload(f, "met")
    return Fact(met, "text", text={True: "er opfyldt", False: "er ikke opfyldt", None: "kan ikke vurderes"}[met])


def _caseload_finding(f) -> Fact:
    from ipsreport.summaries.caseload import caseload_finding

    return Fact(rd.caseload(f, "met"), "text", text=caseload_finding(f._summary(CASELOAD_FACTS)))


def _fidelity_reviews_sentence(f) -> Fact:
    from ipsreport.summaries.fidelity_reviews import fidelity_reviews_sentence

    reviews = f._summary(FIDELITY_REVIEWS)
    return Fact(len(reviews), "text",
                text=fidelity_reviews_sentence(reviews, f._disclosed.fidelity_items, f._ed.codebook))


def _fidelity_bands(f) -> Fact:
    from ipsreport.summaries.fidelity_reviews import fidelity_bands_text

    return Fact(None, "text", text=fidelity_bands_text(f._ed.codebook))


def _regression_terms_n(f) -> Fact:
    from ipsreport.spec import TERM_NAMES

    return _count_text(len(TERM_NAMES))


FACTS = (
    # Fidelity appendix: consultants' caseloads (summaries/caseload.py); the peak caseload is a count of people.
    computed("caseload_limit", lambda f: _count_text(rd.caseload(f, "limit")), kind="text", source=CASELOAD_FACTS,
             rule=_SETTING, doc="the setting `fidelity_caseload_max`"),
    computed("caseload_consultants_n", lambda f: _count_text(rd.caseload(f, "consultants")), kind="text",
             source=CASELOAD_FACTS, rule=_NOT_PEOPLE, doc="consultants with young people"),
    computed("caseload_consultants_above_n", lambda f: _count_text(rd.caseload(f, "consultants_above")),
             kind="text", source=CASELOAD_FACTS, rule=_NOT_PEOPLE,
             doc="consultants above the limit on some day"),
    computed("caseload_peak_n",
             lambda f: Fact(rd.caseload(f, "peak"), "count", suppression=rd.caseload(f, "peak_suppression")),
             kind="count", source=CASELOAD_FACTS, rule="min_cell",
             doc="highest caseload of any consultant on any day"),
    computed("caseload_mean", lambda f: Fact(rd.caseload(f, "mean"), "num", decimals=1), kind="num",
             source=CASELOAD_FACTS, rule=_NOT_PEOPLE, doc="mean caseload over consultant-days"),
    computed("caseload_above_pct",
             lambda f: Fact(rd.caseload(f, "share_above_pct"), "pct", decimals=1, strip_zeros=True), kind="pct",
             source=CASELOAD_FACTS, rule=_NOT_PEOPLE, doc="share of consultant-days above the limit"),
    computed("caseload_met", _caseload_met, kind="text", source=CASELOAD_FACTS, rule=_NOT_PEOPLE,
             doc="\"er opfyldt\" / \"er ikke opfyldt\" / \"kan ikke vurderes\""),
    computed("caseload_finding", _caseload_finding, kind="text", source=CASELOAD_FACTS, rule=_NOT_PEOPLE,
             doc="sentence on how often and when the limit was exceeded"),
    computed("caseload_period_start", lambda f: _date(rd.caseload(f, "period_start")), kind="text",
             source=CASELOAD_FACTS, rule=_NOT_PEOPLE, doc="first start in the registry"),
    computed("caseload_period_end", lambda f: _date(rd.caseload(f, "period_end")), kind="text",
             source=CASELOAD_FACTS, rule=_NOT_PEOPLE, doc="`evaluation_end`"),

    # Fidelity appendix: the optional fidelity reviews (summaries/fidelity_reviews.py).
    computed("fidelity_reviews_n", lambda f: Fact(len(f._summary(FIDELITY_REVIEWS)), "count"), kind="count",
             source=FIDELITY_REVIEWS, rule=_NOT_PEOPLE, doc="fidelity reviews supplied (0 for the twin)"),
    computed("fidelity_sites_n", lambda f: Fact(int(f._summary(FIDELITY_REVIEWS)["site"].nunique()), "count"),
             kind="count", source=FIDELITY_REVIEWS, rule=_NOT_PEOPLE, doc="sites the fidelity reviews cover"),
    computed("fidelity_reviews_sentence", _fidelity_reviews_sentence, kind="text", source=FIDELITY_REVIEWS,
             rule=_NOT_PEOPLE, doc="paragraph on the reviews (count, period, bands, missing and lowest items)"),
    computed("fidelity_bands", _fidelity_bands, kind="text",
             doc="the bands from the codebook (\"115–125 »eksemplarisk«, …\")"),

    # Bilag 7: the reproduction audit.
    computed("audit_total_n", lambda f: Fact(len(rd.audit(f)), "count"), kind="count", source=AUDIT,
             rule="none (counts published numbers)", doc="published numbers the audit checks"),
    computed("audit_within_n", lambda f: Fact(int(rd.audit(f)["within"].sum()), "count"), kind="count",
             source=AUDIT, rule="none (counts published numbers)", doc="of them reproduced within tolerance"),
    computed("audit_result_sentence", findings.audit_sentence, kind="text", source=AUDIT,
             rule="none (counts published numbers)", doc="sentence on the audit's result"),

    # Bilag 5 (summaries/supplementary.py).
    pooled("effect_positive_pct", source=EFFECT, variable="overall_effect", codes=(1, 2), kind="pct",
           doc="Hvordan har det samlet set påvirket dig at deltage i forløbet? – Meget positivt, Positivt"),
    pooled("experience_good_pct", source=EXPERIENCE, variable="experience_overall", codes=(1, 2), kind="pct",
           doc="Hvordan har du oplevet dit forløb? – Meget godt, Godt"),
    pooled("effect_positive_n", source=EFFECT, variable="overall_effect", codes=(1, 2), kind="n",
           doc="Hvordan har det samlet set påvirket dig at deltage i forløbet? – Meget positivt, Positivt"),
    pooled("experience_good_n", source=EXPERIENCE, variable="experience_overall", codes=(1, 2), kind="n",
           doc="Hvordan har du oplevet dit forløb? – Meget godt, Godt"),
    pooled("effect_positive_of", source=EFFECT, variable="overall_effect", codes=(1, 2), kind="of",
           doc="Hvordan har det samlet set påvirket dig at deltage i forløbet? – Meget positivt, Positivt"),
    pooled("experience_good_of", source=EXPERIENCE, variable="experience_overall", codes=(1, 2), kind="of",
           doc="Hvordan har du oplevet dit forløb? – Meget godt, Godt"),

    # Settings and provenance, for the front matter and the appendices.
    computed("municipality", lambda f: _text(f._ed.settings.municipality), kind="text", rule=_SETTING,
             doc="setting `municipality`"),
    computed("funder", lambda f: _text(f._ed.settings.funder), kind="text", rule=_SETTING,
             doc="setting `funder`"),
    computed("evaluator", lambda f: _text(f._ed.settings.evaluator), kind="text", rule=_SETTING,
             doc="setting `evaluator`"),
    computed("title", lambda f: _text(f._ed.settings.title), kind="text", rule=_SETTING, doc="setting `title`"),
    computed("subtitle", lambda f: _text(f._ed.settings.subtitle), kind="text", rule=_SETTING,
             doc="setting `subtitle`"),
    computed("edition_year", lambda f: _text(int(f._ed.settings.edition_year)), kind="text", rule=_SETTING,
             doc="setting `edition_year`"),
    computed("alpha", lambda f: Fact(float(f._ed.settings.alpha), "num", decimals=2, strip_zeros=True),
             kind="num", rule=_SETTING, doc="setting `alpha` (significance level)"),
    computed("success_target_pct", lambda f: Fact(float(f._ed.settings.success_target_pct), "pct"), kind="pct",
             rule=_SETTING, doc="setting `success_target_pct`"),
    computed("evaluation_end", lambda f: _date(f._ed.settings.evaluation_end), kind="text", rule=_SETTING,
             doc="setting `evaluation_end`"),
    # Definitions the prose would otherwise type: the confidence level, periods, interview counts.
    computed("confidence_level",
             lambda f: Fact((1 - float(f._ed.settings.alpha)) * 100, "pct", decimals=1, strip_zeros=True),
             kind="pct", rule=_SETTING, doc="confidence level of the intervals, 1 - `alpha` (\"95 %\")"),
    computed("project_period",
             lambda f: fs.period(f._ed.settings.project_start, f._ed.settings.project_end), kind="text",
             rule=_SETTING, doc="\"fra december 2022 til maj 2025\" from `project_start`, `project_end`"),
    computed("implementation_period",
             lambda f: fs.period(f._ed.settings.implementation_start, f._ed.settings.implementation_end),
             kind="text", rule=_SETTING, doc="the period from `implementation_start` to `implementation_end`"),
    computed("implementation_length",
             lambda f: fs.months_long(f._ed.settings.implementation_start, f._ed.settings.implementation_end),
             kind="text", rule=_SETTING, doc="its length in words (\"to år\", \"18 måneder\")"),
    computed("partner_interviews_n", lambda f: _count_text(int(f._ed.settings.partner_interviews_n)),
             kind="text", rule=_SETTING, doc="setting `partner_interviews_n`"),
    computed("servicedesign_interviews_n", lambda f: _count_text(int(f._ed.settings.servicedesign_interviews_n)),
             kind="text", rule=_SETTING, doc="setting `servicedesign_interviews_n`"),
    computed("cases_n", lambda f: _count_text(fs.cases_count()), kind="text", rule="none (case files)",
             doc="number of case files (Bilag 1-4)"),
    computed("regression_epv_min", lambda f: _count_text(fs.epv_min()), kind="text", rule="none (a constant)",
             doc="minimum events per variable for Table 9 (`ipsreport.models.EPV_MIN`)"),
    computed("regression_terms_n", _regression_terms_n, kind="text", rule="none (a constant)",
             doc="number of factors in Table 9"),
    computed("synthetic_notice", findings.synthetic_notice, kind="text", rule="none",
             doc="front-matter notice for synthetic data (\"\" for real data)"),
    computed("package_version", lambda f: Fact(None, "text", text=provenance.package_version()), kind="text",
             rule="none", doc="`ipsreport.__version__`"),
    computed("git_commit", lambda f: Fact(None, "text", text=provenance.git_commit()), kind="text", rule="none",
             doc="short commit of the checkout (and whether it has changes)"),
    computed("render_date", lambda f: _date(provenance.render_date()), kind="text", rule="none",
             doc="render date (`IPSREPORT_RENDER_DATE`, `SOURCE_DATE_EPOCH` or today)"),
    computed("min_cell", lambda f: Fact(f._min_cell, "text", text=disclosure.describe_rule(f._min_cell)),
             kind="text", rule="the rule itself", doc="the small-number rule in force (\"ikke anvendt\" or \"3\")"),
    computed("min_cell_sentence",
             lambda f: Fact(f._min_cell, "text",
                            text=disclosure.rule_sentence(f._min_cell, bool(getattr(f._ed, "twin", False)))),
             kind="text", rule="the rule itself",
             doc="the small-number rule in force as a sentence (colophon, data appendix)"),
)
