"""Sentences whose wording depends on a result: Table 9's burden term, WHO-5, placements, audit, data notice.

The prose must hold for any data, so each function chooses its wording from
the disclosure-controlled result and returns a
:class:`~ipsreport.outputs.facts.fact.Fact` of kind ``"text"``. Numbers inside the
sentences are formatted with :mod:`ipsreport.outputs.fmt`, as everywhere else.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.analysis import evidence
from ipsreport.outputs import fmt
from ipsreport.outputs.facts.fact import NOT_COMPUTED, Fact
from ipsreport.outputs.facts.reading import audit, paired, term
from ipsreport.outputs.facts.sources import REGRESSION

__all__ = [
    "burden_sentence", "who5_vs_population", "who5_population_sentence", "placement_now_vs_ever", "audit_sentence",
    "synthetic_notice",
]


def burden_sentence(f) -> Fact:
    """Chapter 7: psychological burden in Table 9 (after the 2025 edition's near-significant finding).

    Whether the association is shown follows :func:`ipsreport.analysis.evidence.association`
    (p-value below ``alpha`` and an interval that excludes 1); the caveat of
    the whole model is printed with the main finding.
    """
    row = term(f, "burden")
    result = f.summary_of(REGRESSION)
    if not result.fitted and not getattr(result, "separated", False):
        # No model at all: chapter 7 said why once (regression_absent_sentence); no second reason, no table.
        return Fact(None, "text", text="Om det gælder igen i denne udgave, kan ikke afgøres.")
    if getattr(result, "separated", False) or pd.isna(row["odds_ratio"]):
        text = ("I denne udgave kan sammenhængen med psykisk belastning ikke beregnes pålideligt "
                "(se noten under tabellen).")
        return Fact(None, "text", text=text)
    verdict = evidence.association(row["odds_ratio"], row["ci_low"], row["ci_high"], row["p"], result.alpha)
    odds, p = fmt.num(row["odds_ratio"], 2), fmt.pvalue(row["p"])
    interval = (f"{f.confidence_level}-konfidensintervallet går fra {fmt.num(row['ci_low'], 2)} til "
                f"{fmt.num(row['ci_high'], 2)}")
    if verdict in ("lower", "higher"):
        text = f"I denne udgave er sammenhængen statistisk signifikant: odds ratioen er {odds} (p-værdi {p}), og {interval}."
        if verdict == "higher":
            text += " Den går altså den modsatte vej: unge med mere belastning er oftere i job eller uddannelse."
    elif row["ci_low"] <= 1 <= row["ci_high"]:
        text = (f"Heller ikke i denne udgave er sammenhængen statistisk signifikant: odds ratioen er {odds} "
                f"(p-værdi {p}), og {interval}. Intervallet rummer altså 1, som svarer til ingen sammenhæng.")
    else:
        # A profile interval may exclude 1 while the Wald p-value does not pass alpha: not shown either way.
        text = (f"Heller ikke i denne udgave er sammenhængen statistisk signifikant: odds ratioen er {odds}, men "
                f"p-værdien er {p}, selv om {interval}.")
    return Fact(row["odds_ratio"], "text", text=text)


def who5_vs_population(f) -> Fact:
    """ "under" / "over" / "på niveau med": the end mean against the population mean (whole points)."""
    end = float(paired(f, "who5")["mean_end"])
    if end != end:
        return Fact(None, "text", text=NOT_COMPUTED)
    end = round(end)
    population = round(float(f.edition.codebook.scores["who5"]["population_mean"]))
    text = "under" if end < population else "over" if end > population else "på niveau med"
    return Fact(end - population, "text", text=text)


def who5_population_sentence(f) -> Fact:
    """Chapter 6: the WHO-5 end mean against the population's, or why it cannot be compared."""
    population = f.who5_population_mean
    where = who5_vs_population(f)
    if where.value is None:
        text = (f"De unges gennemsnitlige WHO-5-score ved afslutning kan ikke sammenlignes med gennemsnittet "
                f"for den danske befolkning ({population}), fordi for få har svaret både ved start og afslutning.")
    else:
        text = (f"De unges gennemsnitlige WHO-5-score ved afslutning ({f.who5_end}) ligger {where.text} "
                f"gennemsnittet for den danske befolkning ({population}).")
    return Fact(where.value, "text", text=text)


def placement_now_vs_ever(f) -> Fact:
    """Share in a placement among the still enrolled compared with all enrolled (whole percent)."""
    now, ever = f.registry_row("placement_now"), f.registry_row("placement_ever")
    if now.suppression or ever.suppression:
        return Fact(None, "text", text="ikke til at sammenligne, fordi tallene er for små")
    if not now.base or not ever.base:
        return Fact(None, "text", text="ikke til at sammenligne, fordi ingen var i forløb ved afslutningen")
    a, b = fmt.round_half_up(now.pct), fmt.round_half_up(ever.pct)
    if a > b:
        text = "højere blandt de aktive end blandt alle deltagere"
    elif a < b:
        text = "lavere blandt de aktive end blandt alle deltagere"
    else:
        text = "den samme blandt de aktive som blandt alle deltagere"
    return Fact(a - b, "text", text=text)


def audit_sentence(f) -> Fact:
    """Bilag 7: how many published numbers the data reproduce exactly, within a stated tolerance, as a
    correction of the edition, or not at all."""
    frame = audit(f)
    total = len(frame)
    hidden = frame["suppressed"] if "suppressed" in frame else pd.Series(False, index=frame.index)
    status = frame["status"].where(~hidden, "hidden")
    exact, tolerance = int((status == "exact").sum()), int((status == "tolerance").sum())
    missing, n_hidden = int((status == "not_reproduced").sum()), int((status == "hidden").sum())
    corrected = int((status == "correction").sum())
    parts = [f"giver {fmt.count(exact)} præcist det trykte tal",
             f"{fmt.count(tolerance)} ligger inden for en angivet tolerance"]
    if corrected:
        parts.append(f"{fmt.count(corrected)} retter en fejl i evalueringen fra {int(f.edition.settings.reference_year)}")
    if missing:
        parts.append(f"{fmt.count(missing)} er ikke genskabt")
    if n_hidden:
        parts.append(f"{fmt.count(n_hidden)} vises ikke efter reglen for små tal")
    # Main clauses: a comma before the last "og" as well.
    text = f"Af de {fmt.count(total)} tal {', '.join(parts[:-1])}, og {parts[-1]}."
    return Fact(exact + tolerance, "text", text=text)


def synthetic_notice(f) -> Fact:
    """The front-matter notice for synthetic data ("" for real data)."""
    # The twin is calibrated to the 2025 figures; a cohort drawn by the
    # sampler is not, and the notice must not claim it is.
    # ed.synthetic and ed.twin are verified against the files' checksums
    # (ipsreport.inputs.manifest), never taken from the manifest's say-so.
    # Plain text: Quarto prints an inline value as text, so markdown here
    # would show as literal asterisks (both engines must read alike).
    ed = f.edition
    synthetic = bool(ed.synthetic)
    if not synthetic:
        text = ""
    elif ed.twin:
        text = (
            "Bemærk: Tallene i denne udgave er beregnet på et syntetisk datasæt, der er konstrueret, så det "
            f"genskaber de offentliggjorte tal i evalueringen fra {int(ed.settings.reference_year)}. Ingen "
            "rækker i datasættet beskriver "
            "virkelige personer."
        )
    elif str(ed.manifest.get("generator", "")).startswith("ipsreport.synth.sample"):
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
