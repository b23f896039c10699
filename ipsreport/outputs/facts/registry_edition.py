"""Facts of the edition and the appendices: settings and provenance, the
fidelity appendix (caseloads, fidelity reviews), Bilag 5 and Bilag 7 (audit).

Every fact is written out by name.
"""

from __future__ import annotations

from ipsreport.analysis.disclosed import disclosure
from ipsreport.analysis import evidence
from ipsreport.outputs import fmt
from ipsreport.outputs.facts import editions, findings
from ipsreport.results import software
from ipsreport.outputs.facts import reading as rd
from ipsreport.outputs.facts import sentences as fs
from ipsreport.outputs.facts.definition import computed, written
from ipsreport.outputs.facts.fact import Fact
from ipsreport.outputs.facts.sources import AUDIT, CASELOAD_FACTS, FIDELITY_REVIEWS
from ipsreport.inputs.plaintext import inline_markdown

__all__ = ["FACTS"]

_SETTING = "none (a setting)"
#: Consultants, consultant-days and reviews are not counts of young people: no small-number rule.
_NOT_PEOPLE = "none (not a count of young people)"


def _text(value) -> Fact:
    """A text setting printed as it is written: markdown that pandoc reads as text (ipsreport.inputs.plaintext)."""
    return Fact(value, "text", text=inline_markdown(value))


def _count_text(value) -> Fact:
    """A number that is no count of young people, printed as a count ("1.234") without the rule."""
    return Fact(value, "text", text=fmt.count(value))


def _date(value) -> Fact:
    return Fact(value, "text", text=fmt.date(value))


def _caseload_met(f) -> Fact:
    met = rd.caseload(f).met
    return Fact(met, "text", text={True: "er opfyldt", False: "er ikke opfyldt", None: "kan ikke vurderes"}[met])


def _caseload_finding(f) -> Fact:
    from ipsreport.analysis.summaries.caseload import caseload_finding

    return Fact(rd.caseload(f).met, "text", text=caseload_finding(f.summary_of(CASELOAD_FACTS)))


def _caseload_detail_sentence(f) -> Fact:
    from ipsreport.analysis.summaries.caseload import caseload_detail_sentence

    detail = rd.caseload(f).detail
    return Fact(detail, "text", text=caseload_detail_sentence(detail))


def _fidelity_reviews_sentence(f) -> Fact:
    from ipsreport.analysis.summaries.fidelity_reviews import fidelity_reviews_sentence

    reviews = f.summary_of(FIDELITY_REVIEWS)
    return Fact(len(reviews), "text",
                text=fidelity_reviews_sentence(reviews, f.layer.fidelity_items, f.edition.codebook))


def _fidelity_bands(ed) -> str:
    from ipsreport.analysis.summaries.fidelity_reviews import fidelity_bands_text

    return fidelity_bands_text(ed.codebook)


def _regression_terms_n(f) -> Fact:
    from ipsreport.analysis.spec import TERM_NAMES

    return _count_text(len(TERM_NAMES))


FACTS = (
    # Fidelity appendix: consultants' caseloads (summaries/caseload.py); the peak caseload is a count of people.
    computed("caseload_limit", lambda f: _count_text(rd.caseload(f).limit), kind="text", source=CASELOAD_FACTS,
             rule=_SETTING,
             doc=("Det højeste antal unge, en konsulent bør have ad gangen (et kriterium for metodetroskab; en "
                  "indstilling i rapportsystemet)")),
    computed("caseload_consultants_n", lambda f: _count_text(rd.caseload(f).consultants), kind="text",
             source=CASELOAD_FACTS, rule=_NOT_PEOPLE,
             doc="Konsulenter, der har haft unge i forløb (projektets registreringer)"),
    computed("caseload_peak_n",
             lambda f: Fact(rd.caseload(f).peak, "count", suppression=rd.caseload(f).peak_suppression),
             kind="count", source=CASELOAD_FACTS, rule="min_cell",
             doc="Det højeste antal unge, en konsulent har haft på samme dag (projektets registreringer)"),
    computed("caseload_mean", lambda f: Fact(rd.caseload(f).mean, "num", decimals=1), kind="num",
             source=CASELOAD_FACTS, rule=_NOT_PEOPLE,
             doc="Gennemsnitligt antal unge pr. konsulent pr. dag (projektets registreringer)"),
    computed("caseload_met", _caseload_met, kind="text", source=CASELOAD_FACTS, rule=_NOT_PEOPLE,
             doc="Om kriteriet for antal unge pr. konsulent er opfyldt"),
    computed("caseload_finding", _caseload_finding, kind="text", source=CASELOAD_FACTS, rule=_NOT_PEOPLE,
             doc="Sætning om, hvor ofte og hvornår grænsen er overskredet"),
    computed("caseload_period_start", lambda f: _date(rd.caseload(f).period_start), kind="text",
             source=CASELOAD_FACTS, rule=_NOT_PEOPLE, doc="Den første startdato i projektets registreringer"),
    computed("caseload_detail_sentence", _caseload_detail_sentence, kind="text", source=CASELOAD_FACTS,
             rule=_SETTING, doc="Hvordan konsulenterne vises: samlet eller enkeltvis (en indstilling i rapportsystemet)"),
    computed("caseload_period_end", lambda f: _date(rd.caseload(f).period_end), kind="text",
             source=CASELOAD_FACTS, rule=_NOT_PEOPLE,
             doc="Den dag, evalueringen sluttede (en indstilling i rapportsystemet)"),

    # Fidelity appendix: the optional fidelity reviews (summaries/fidelity_reviews.py).
    computed("fidelity_reviews_sentence", _fidelity_reviews_sentence, kind="text", source=FIDELITY_REVIEWS,
             rule=_NOT_PEOPLE,
             doc="Afsnit om fidelitetsmålingerne (antal, periode, niveauer, manglende og lavest scorede punkter)"),
    written("fidelity_bands", _fidelity_bands,
            doc="Niveauerne på fidelitetsskalaen (fra kodebogen)"),

    # Bilag 7: the reproduction audit (read by the text of Bilag 8, ipsreport.outputs.facts.editions).
    computed("audit_result_sentence", findings.audit_sentence, kind="text", source=AUDIT,
             rule="none (counts published numbers)",
             doc="Sætning om resultatet af genberegningen af den trykte evaluerings tal"),

    # Settings and provenance, for the front matter and the appendices.
    computed("municipality", lambda f: _text(f.edition.settings.municipality), kind="text", rule=_SETTING,
             doc="Kommunen (en indstilling i rapportsystemet)"),
    computed("funder", lambda f: _text(f.edition.settings.funder), kind="text", rule=_SETTING,
             doc="Den, der har finansieret projektet (en indstilling i rapportsystemet)"),
    computed("evaluator", lambda f: _text(f.edition.settings.evaluator), kind="text", rule=_SETTING,
             doc="Den, der har evalueret projektet (en indstilling i rapportsystemet)"),
    computed("title", lambda f: _text(f.edition.settings.title), kind="text", rule=_SETTING,
             doc="Rapportens titel (en indstilling i rapportsystemet)"),
    computed("subtitle", lambda f: _text(f.edition.settings.subtitle), kind="text", rule=_SETTING,
             doc="Rapportens undertitel (en indstilling i rapportsystemet)"),
    computed("edition_year", lambda f: _text(int(f.edition.settings.edition_year)), kind="text", rule=_SETTING,
             doc="Udgavens år (en indstilling i rapportsystemet)"),
    # Which edition this is, and whom it covers (facts/editions.py).
    computed("reference_evaluation", editions.reference_evaluation, kind="text", rule=_SETTING,
             doc="Den trykte evaluering, teksten sammenligner med (en indstilling i rapportsystemet)"),
    computed("cohort_sentence", editions.cohort_sentence, kind="text", rule=_SETTING,
             doc="Hvilke unge udgaven omfatter (en indstilling i rapportsystemet)"),
    computed("reproduction_note", editions.reproduction_note, kind="text", rule=_SETTING,
             doc="Bemærkning om, at tallene ikke holdes op mod den trykte evaluering (tom, når de gør)"),
    computed("alpha", lambda f: Fact(float(f.edition.settings.alpha), "num", decimals=2, strip_zeros=True),
             kind="num", rule=_SETTING,
             doc=("Signifikansniveauet: grænsen for p-værdien, under hvilken en sammenhæng regnes som statistisk "
                  "signifikant (en indstilling i rapportsystemet)")),
    computed("success_target_pct", lambda f: Fact(float(f.edition.settings.success_target_pct), "pct"), kind="pct",
             rule=_SETTING,
             doc=("Projektets mål for andelen, der afslutter til job eller uddannelse (en indstilling i "
                  "rapportsystemet)")),
    computed("evaluation_end", lambda f: _date(f.edition.settings.evaluation_end), kind="text", rule=_SETTING,
             doc="Den dag, evalueringen sluttede (en indstilling i rapportsystemet)"),
    # Definitions the prose would otherwise type: the confidence level, periods, interview counts.
    computed("confidence_level",
             lambda f: Fact((1 - float(f.edition.settings.alpha)) * 100, "pct", decimals=1, strip_zeros=True),
             kind="pct", rule=_SETTING, doc="Konfidensintervallernes niveau, 100 % minus signifikansniveauet"),
    computed("project_period",
             lambda f: fs.period(f.edition.settings.project_start, f.edition.settings.project_end), kind="text",
             rule=_SETTING, doc="Projektperioden (en indstilling i rapportsystemet)"),
    computed("implementation_period",
             lambda f: fs.period(f.edition.settings.implementation_start, f.edition.settings.implementation_end),
             kind="text", rule=_SETTING, doc="Perioden med unge i forløb (en indstilling i rapportsystemet)"),
    computed("implementation_length",
             lambda f: fs.months_long(f.edition.settings.implementation_start, f.edition.settings.implementation_end),
             kind="text", rule=_SETTING, doc="Længden af perioden med unge i forløb"),
    computed("partner_interviews_n", lambda f: _count_text(int(f.edition.settings.partner_interviews_n)),
             kind="text", rule=_SETTING,
             doc="Interview med kommunale samarbejdspartnere (en indstilling i rapportsystemet)"),
    computed("servicedesign_interviews_n", lambda f: _count_text(int(f.edition.settings.servicedesign_interviews_n)),
             kind="text", rule=_SETTING,
             doc="Unge, som servicedesigneren har interviewet (en indstilling i rapportsystemet)"),
    computed("cases_n", lambda f: _count_text(fs.cases_count()), kind="text", rule="none (case files)",
             doc="Cases i bilagene (antal casefiler)"),
    computed("regression_epv_min", lambda f: _count_text(fs.epv_min()), kind="text", rule="none (a constant)",
             doc="Det mindste antal hændelser pr. forklarende variabel, som regressionsanalysen bør have"),
    computed("regression_epv_low", lambda f: _count_text(evidence.EPV_LOW), kind="text", rule="none (a constant)",
             doc="Antal hændelser pr. forklarende variabel, hvorunder Tabel 9 kun læses som tegn på sammenhænge"),
    computed("regression_terms_n", _regression_terms_n, kind="text", rule="none (a constant)",
             doc="Faktorer i regressionsanalysen i Tabel 9"),
    computed("synthetic_notice", findings.synthetic_notice, kind="text", rule="none",
             doc="Bemærkning om syntetiske data (tom for rigtige data)"),
    written("package_version", lambda ed: software.package_version(), rule="none", doc="Rapportsystemets version"),
    written("git_commit", lambda ed: software.git_commit(), rule="none",
            doc="Den version af rapportsystemets kode, rapporten er dannet med"),
    computed("render_date", lambda f: _date(software.render_date(f.edition.settings)), kind="text", rule="none",
             doc="Den dag, rapporten blev dannet"),
    computed("min_cell", lambda f: Fact(f.cell_rule, "text", text=disclosure.describe_rule(f.cell_rule)),
             kind="text", rule="the rule itself", doc="Reglen for små tal, der gælder i denne udgave"),
    computed("min_cell_sentence",
             lambda f: Fact(f.cell_rule, "text",
                            text=disclosure.rule_sentence(f.cell_rule, bool(getattr(f.edition, "twin", False)))),
             kind="text", rule="the rule itself",
             doc="Reglen for små tal i denne udgave, som en sætning (kolofon og bilaget om data og metode)"),
)
