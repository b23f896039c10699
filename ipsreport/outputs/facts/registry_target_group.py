"""Facts of the target group: head counts (registry counts), non-response, ages and means.

Every fact is written out by name. The shares and counts of codebook items
(Tables 1-6: duration, background, supports, goals, motivation, resources)
are declared as data in ``data/codebook_facts.csv`` (:mod:`ipsreport.outputs.facts.pooled`).
"""

from __future__ import annotations

from ipsreport.outputs.facts import nonresponse_prose as nr
from ipsreport.outputs.facts import reading as rd
from ipsreport.outputs.facts.definition import computed, counted
from ipsreport.outputs.facts.fact import Fact
from ipsreport.outputs.facts.sources import (AGE, BACKGROUND, DURATION_MONTHS, NONRESPONSE,
                                     WORK_EXPERIENCE_YEARS)
from ipsreport.outputs.facts.sentences import edu_higher_sentence

__all__ = ["FACTS"]

FACTS = (
    # Head counts (registry and surveys).
    counted("registry_n", measure="registry", kind="n",
            doc="Unge i forløb i projektperioden (projektets registreringer)"),
    counted("finished_n", measure="finished", kind="n",
            doc="Unge, der afsluttede forløbet i perioden (projektets registreringer)"),
    counted("active_n", measure="active", kind="n",
            doc="Unge, der stadig var i forløb, da evalueringen sluttede (projektets registreringer)"),
    counted("baseline_n", measure="baseline", kind="n",
            doc="Unge, der besvarede spørgeskemaet ved opstart"),
    counted("followup_n", measure="followup", kind="n",
            doc="Unge, der besvarede spørgeskemaet ved afslutning"),
    counted("followup_enrolled_n", measure="followup_enrolled", kind="n",
            doc="Unge, der besvarede spørgeskemaet ved afslutning, men stadig var i forløb"),
    counted("followup_finished_n", measure="followup_finished", kind="n",
            doc="Unge, der besvarede spørgeskemaet ved afslutning og havde afsluttet forløbet"),
    counted("placement_ever_n", measure="placement_ever", kind="n",
            doc="Unge, der har været i et virksomhedsforløb (projektets registreringer)"),
    counted("placement_now_n", measure="placement_now", kind="n",
            doc="Unge, der stadig var i forløb og var i gang med et virksomhedsforløb (projektets registreringer)"),
    counted("aktivitetsparat_n", measure="aktivitetsparat", kind="n",
            doc="Unge, der var aktivitetsparate ved visitationen (projektets registreringer)"),
    counted("uddannelsesparat_n", measure="uddannelsesparat", kind="n",
            doc="Unge, der var uddannelsesparate ved visitationen (projektets registreringer)"),
    counted("success_n", measure="success", kind="n",
            doc="Unge, der afsluttede til job, fleksjob eller uddannelse (projektets registreringer)"),
    counted("placement_ever_pct", measure="placement_ever", kind="pct",
            doc="Andel af alle unge i forløb, der har været i et virksomhedsforløb (projektets registreringer)"),
    counted("placement_now_pct", measure="placement_now", kind="pct",
            doc=("Andel af de unge, der stadig var i forløb, som var i gang med et virksomhedsforløb (projektets "
                 "registreringer)")),
    counted("success_pct", measure="success", kind="pct",
            doc=("Andel af de afsluttede, der afsluttede til job, fleksjob eller uddannelse (projektets "
                 "registreringer)")),
    counted("success_of", measure="success", kind="of",
            doc="Afsluttede til job, fleksjob eller uddannelse ud af alle afsluttede (projektets registreringer)"),
    counted("followup_share_of_registry_pct", measure="followup", kind="pct",
            doc="Andel af alle unge i forløb, der besvarede spørgeskemaet ved afslutning"),
    counted("followup_share_of_registry_of", measure="followup", kind="of",
            doc="Unge med svar ved afslutning ud af alle unge i forløb"),
    counted("followup_share_of_baseline_pct", measure="followup_of_baseline", kind="pct",
            doc="Andel af dem, der svarede ved opstart, som også svarede ved afslutning"),
    counted("followup_share_of_baseline_of", measure="followup_of_baseline", kind="of",
            doc="Unge med svar ved afslutning ud af dem, der svarede ved opstart"),
    # Non-response (chapter 3, Bilag 6): summaries/nonresponse.py.
    computed("nonresponse_n", nr.nonresponse_n, kind="count", source=NONRESPONSE, rule="min_cell (a group size)",
             doc="Unge, der svarede ved opstart, men ikke ved afslutning"),
    computed("nonresponse_sentence", nr.representativeness, kind="text", source=NONRESPONSE,
             rule="min_cell; a variable with a hidden cell is not tested",
             doc="Sætning om, hvorvidt svarene ved afslutning ligner hele gruppen (bortfaldsanalysen)"),
    computed("nonresponse_vs_reference", nr.versus_reference, kind="text", source=NONRESPONSE,
             rule="min_cell; a variable with a hidden cell is not tested",
             doc="Sætning om bortfaldsanalysen sammenlignet med den trykte evaluering"),
    counted("psychiatry_registry_of", measure="psychiatry_contact", kind="of",
            doc=("Unge, der har været i kontakt med psykiatrien under forløbet, ud af alle unge i forløb "
                 "(projektets registreringer)")),
    counted("psychiatry_registry_pct", measure="psychiatry_contact", kind="pct",
            doc=("Andel af alle unge i forløb, der har været i kontakt med psykiatrien under forløbet (projektets "
                 "registreringer)")),

    # Table 1 and months enrolled.
    # Whole months: the chapter says "omkring ni måneder" (in words, as the 2025 edition prints it);
    # "omkring 9,71 måneder" would claim a precision "omkring" denies.
    computed("duration_mean_months",
             lambda f: Fact(float(f.summary_of(DURATION_MONTHS)["mean"].iloc[0]), "num", decimals=0),
             kind="num", source=DURATION_MONTHS, rule="none (a mean)",
             doc="Gennemsnitligt antal måneder i forløb, regnet fra start- og slutdato i projektets registreringer"),

    # Table 2.
    computed("age_mean", lambda f: Fact(float(f.summary_of(AGE)["mean"].iloc[0]), "num"),
             kind="num", source=AGE, rule="none (a mean)", doc="Gennemsnitsalder ved opstart"),
    computed("age_min", lambda f: Fact(float(f.summary_of(AGE)["min"].iloc[0]), "num"),
             kind="num", source=AGE, rule="shown only with 2·min_cell answers",
             doc="Den yngste deltagers alder ved opstart"),
    computed("age_max", lambda f: Fact(float(f.summary_of(AGE)["max"].iloc[0]), "num"),
             kind="num", source=AGE, rule="shown only with 2·min_cell answers",
             doc="Den ældste deltagers alder ved opstart"),
    computed("age_over20_of", lambda f: rd.age_over20(f, "of"), kind="of", source=AGE, rule="min_cell",
             doc="Unge over 20 år ud af alle, der svarede ved opstart"),
    computed("edu_higher_mvu_lvu_sentence", edu_higher_sentence, kind="text", source=BACKGROUND,
             rule="as edu_higher_mvu_lvu_n",
             doc="Sætning om, hvor mange der har en mellemlang eller lang videregående uddannelse"),
    computed("work_experience_years_mean",
             lambda f: Fact(float(f.summary_of(WORK_EXPERIENCE_YEARS)["mean"].iloc[0]), "num", decimals=1),
             kind="num", source=WORK_EXPERIENCE_YEARS, rule="none (a mean)",
             doc="Gennemsnitligt antal års erhvervserfaring før opstart"),
)
