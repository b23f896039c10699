"""Facts of chapter 6 (mental health, start against end) and Table 9 (the regression).

Every fact is written out by name; Table 9's terms are those of
:data:`ipsreport.analysis.spec.TERM_NAMES` (a test checks the two agree).
"""

from __future__ import annotations

from ipsreport.outputs.facts import changes as ch
from ipsreport.outputs.facts import findings
from ipsreport.outputs.facts import reading as rd
from ipsreport.outputs.facts import regression_prose as rp
from ipsreport.outputs.facts.definition import computed
from ipsreport.outputs.facts.fact import Fact
from ipsreport.outputs.facts.sources import PAIRED, REGRESSION, WHO5_BANDS

__all__ = ["FACTS"]

#: Table 9 is withheld as a whole when a group is below the rule (Disclosed.regression).
_MODEL = "model withheld when a group is small"

def _model_text(f, write) -> Fact:
    """A sentence about Table 9 written from the model and whether the small-number rule withholds it."""
    return Fact(None, "text", text=write(f.summary_of(REGRESSION), f.layer.regression.withheld))


FACTS = (
    # Chapter 6 (summaries/mental_health.py).
    computed("paired_n", lambda f: rd.paired_n(f, "who5"), kind="count", source=PAIRED, rule="min_cell",
             doc="Unge, der har svaret på spørgsmålene om trivsel (WHO-5) både ved opstart og afslutning"),
    # WHO-5 wellbeing
    computed("who5_start", lambda f: rd.mean(f, "who5", "mean_start"), kind="num", source=PAIRED,
             rule="none (a mean of paired answers)",
             doc="Gennemsnitlig trivsel (WHO-5) ved opstart blandt dem, der har svaret begge gange"),
    computed("who5_end", lambda f: rd.mean(f, "who5", "mean_end"), kind="num", source=PAIRED,
             rule="none (a mean of paired answers)",
             doc="Gennemsnitlig trivsel (WHO-5) ved afslutning blandt dem, der har svaret begge gange"),
    computed("who5_direction", lambda f: ch.direction(f, "who5"), kind="text", source=PAIRED,
             doc="Om trivslen (WHO-5) steg, faldt eller var uændret"),
    computed("who5_change_sentence", lambda f: ch.change_sentence(f, "who5"), kind="text", source=PAIRED,
             doc="Hvad den parrede test siger om ændringen i trivsel (WHO-5)"),
    # mastery and self-esteem
    computed("mastery_start", lambda f: rd.mean(f, "mastery", "mean_start"), kind="num", source=PAIRED,
             rule="none (a mean of paired answers)",
             doc="Gennemsnitlig mestring og selvværd ved opstart blandt dem, der har svaret begge gange"),
    computed("mastery_end", lambda f: rd.mean(f, "mastery", "mean_end"), kind="num", source=PAIRED,
             rule="none (a mean of paired answers)",
             doc="Gennemsnitlig mestring og selvværd ved afslutning blandt dem, der har svaret begge gange"),
    computed("mastery_change_sentence", lambda f: ch.change_sentence(f, "mastery"), kind="text", source=PAIRED,
             doc="Hvad den parrede test siger om ændringen i mestring og selvværd"),
    # loneliness
    computed("loneliness_start", lambda f: rd.mean(f, "loneliness", "mean_start"), kind="num", source=PAIRED,
             rule="none (a mean of paired answers)",
             doc="Gennemsnitlig ensomhed ved opstart blandt dem, der har svaret begge gange"),
    computed("loneliness_end", lambda f: rd.mean(f, "loneliness", "mean_end"), kind="num", source=PAIRED,
             rule="none (a mean of paired answers)",
             doc="Gennemsnitlig ensomhed ved afslutning blandt dem, der har svaret begge gange"),
    computed("loneliness_change_sentence", lambda f: ch.change_sentence(f, "loneliness"), kind="text", source=PAIRED,
             doc="Hvad den parrede test siger om ændringen i ensomhed"),
    # psychological burden
    computed("burden_start", lambda f: rd.mean(f, "burden", "mean_start"), kind="num", source=PAIRED,
             rule="none (a mean of paired answers)",
             doc="Gennemsnitlig psykisk belastning ved opstart blandt dem, der har svaret begge gange"),
    computed("burden_end", lambda f: rd.mean(f, "burden", "mean_end"), kind="num", source=PAIRED,
             rule="none (a mean of paired answers)",
             doc="Gennemsnitlig psykisk belastning ved afslutning blandt dem, der har svaret begge gange"),
    computed("burden_change_sentence", lambda f: ch.change_sentence(f, "burden"), kind="text", source=PAIRED,
             doc="Hvad den parrede test siger om ændringen i psykisk belastning"),
    computed("any_mental_health_significant", ch.any_change, kind="text", source=PAIRED,
             doc="Om nogen af ændringerne i mental sundhed er statistisk signifikante"),
    computed("mental_health_summary", ch.mental_health_summary, kind="text", source=PAIRED,
             doc="Sætning om den samlede retning for trivsel, mestring og ensomhed"),
    computed("mental_health_changes", ch.mental_health_changes, kind="text", source=PAIRED,
             doc="Sætning om de fire mål ved opstart og afslutning; en ændring nævnes kun, hvor testen viser den"),
    computed("burden_reading", ch.burden_reading, kind="text", source=PAIRED,
             doc="Hvad der skete med den psykiske belastning, og hvordan en stigning kan læses"),
    computed("who5_band_low_start_pct", lambda f: rd.band(f, 1, "start"), kind="pct", source=WHO5_BANDS,
             rule="min_cell",
             doc=("Andel i den laveste WHO-5-gruppe (meget lav trivsel) ved opstart, blandt dem, der har svaret "
                  "begge gange")),
    computed("who5_band_low_end_pct", lambda f: rd.band(f, 1, "end"), kind="pct", source=WHO5_BANDS,
             rule="min_cell",
             doc=("Andel i den laveste WHO-5-gruppe (meget lav trivsel) ved afslutning, blandt dem, der har svaret "
                  "begge gange")),
    computed("who5_band_mid_start_pct", lambda f: rd.band(f, 2, "start"), kind="pct", source=WHO5_BANDS,
             rule="min_cell",
             doc=("Andel i den mellemste WHO-5-gruppe (risiko for depression eller stress) ved opstart, blandt dem,"
                  " der har svaret begge gange")),
    computed("who5_band_mid_end_pct", lambda f: rd.band(f, 2, "end"), kind="pct", source=WHO5_BANDS,
             rule="min_cell",
             doc=("Andel i den mellemste WHO-5-gruppe (risiko for depression eller stress) ved afslutning, blandt "
                  "dem, der har svaret begge gange")),
    computed("who5_band_high_start_pct", lambda f: rd.band(f, 3, "start"), kind="pct", source=WHO5_BANDS,
             rule="min_cell",
             doc=("Andel i den højeste WHO-5-gruppe (over grænsen for risiko) ved opstart, blandt dem, der har "
                  "svaret begge gange")),
    computed("who5_band_high_end_pct", lambda f: rd.band(f, 3, "end"), kind="pct", source=WHO5_BANDS,
             rule="min_cell",
             doc=("Andel i den højeste WHO-5-gruppe (over grænsen for risiko) ved afslutning, blandt dem, der har "
                  "svaret begge gange")),
    computed("who5_population_mean",
             lambda f: Fact(float(f.edition.codebook.scores["who5"]["population_mean"]), "num"), kind="num",
             doc="Gennemsnitlig WHO-5-score i den danske befolkning (fra kodebogen)"),
    computed("who5_population_sentence", findings.who5_population_sentence, kind="text", source=PAIRED,
             doc="Sætning, der sammenligner de unges WHO-5-gennemsnit ved afslutning med befolkningens"),

    # Table 9.
    computed("regression_n", rd.regression_n, kind="count", source=REGRESSION, rule="min_cell",
             doc="Unge i regressionsanalysen i Tabel 9 (afsluttede med fuldstændige svar)"),
    computed("regression_events", rd.regression_events, kind="count", source=REGRESSION, rule=_MODEL,
             doc="Unge i regressionsanalysen, der var i job eller uddannelse ved afslutning"),
    computed("meaning_or", lambda f: rd.odds_ratio(f, "meaning"), kind="num", source=REGRESSION, rule=_MODEL,
             doc="Odds ratio for de unges vurdering af forløbets betydning (Tabel 9)"),
    computed("mastery_or", lambda f: rd.odds_ratio(f, "mastery"), kind="num", source=REGRESSION, rule=_MODEL,
             doc="Odds ratio for selvværd og mestring (Tabel 9)"),
    computed("burden_p", lambda f: rd.p_value(f, "burden"), kind="text", source=REGRESSION, rule=_MODEL,
             doc="p-værdi for psykisk belastning (Tabel 9)"),
    computed("burden_or_sentence", findings.burden_sentence, kind="text", source=REGRESSION, rule=_MODEL,
             doc="Sætning om psykisk belastning i Tabel 9, eller hvorfor der ikke er et estimat"),
    # The same findings in running Danish (regression_prose): what chapters 2 and 7 print. Each reads whether the
    # model is shown (rp.absent): without one, chapter 7 says so once and prints no reading of results.
    computed("regression_summary", lambda f: _model_text(f, rp.summary), kind="text", source=REGRESSION, rule=_MODEL,
             doc="Afsnit, der sammenfatter Tabel 9 med forbeholdet fra noten under tabellen"),
    computed("regression_result_sentence", lambda f: _model_text(f, rp.result_sentence), kind="text",
             source=REGRESSION, rule=_MODEL,
             doc="Sætning om de faktorer, analysen peger på, deres odds ratioer og forbeholdet"),
    computed("regression_rest_sentence", lambda f: _model_text(f, rp.rest_sentence), kind="text", source=REGRESSION,
             rule=_MODEL, doc="Sætning om de øvrige faktorer i Tabel 9 og om usikkerheden"),
    computed("regression_design", lambda f: _model_text(f, rp.design), kind="text", source=REGRESSION, rule=_MODEL,
             doc="Om regressionsanalysen er lavet eller kun var planlagt"),
    computed("regression_absent_sentence", lambda f: _model_text(f, rp.absent_sentence), kind="text",
             source=REGRESSION, rule=_MODEL, doc="Sætning om, hvorfor der ingen regressionsanalyse er (tom, når der er en)"),
    computed("regression_reading", lambda f: Fact(None, "text", text=rp.reading(
        f.summary_of(REGRESSION), f.layer.regression.withheld, f.alpha)), kind="text", source=REGRESSION,
             rule=_MODEL, doc="Hvordan odds ratioerne i Tabel 9 læses (tom uden en model)"),
    computed("regression_causality", lambda f: _model_text(f, rp.causality), kind="text", source=REGRESSION,
             rule=_MODEL, doc="Afsnit om, at en sammenhæng ikke nødvendigvis er en årsag (tom uden en model)"),
    computed("regression_causes_sentence", lambda f: _model_text(f, rp.causes_sentence), kind="text",
             source=REGRESSION, rule=_MODEL, doc="Sætning om, at sammenhængene ikke nødvendigvis er årsager (tom uden en model)"),
)
