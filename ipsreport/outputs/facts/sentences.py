"""Sentences of the report whose wording follows the data (declared in the facts registry).

Each function takes the :class:`~ipsreport.outputs.facts.Facts` of an edition and
returns a :class:`~ipsreport.outputs.facts.fact.Fact` of kind ``"text"``: a Danish
sentence computed from the disclosure-controlled summaries, so that a
conclusion the 2025 edition drew ("beskeden, men positiv", "langt de
fleste") is printed only where this edition's numbers support it.
Definitions taken from the settings (periods) live here too.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.outputs import fmt
from ipsreport.outputs.facts.fact import HIDDEN_COUNT, Fact, TracedText, join, label
from ipsreport.outputs.facts.reading import exit_pool
from ipsreport.outputs.facts.sources import ENROLLED_DURATION, EVALUATION, PLACEMENT_OF_PLACED

__all__ = [
    "edu_higher_sentence", "evaluation_summary", "education_choice_sentence",
    "enrolled_sentence", "no_placement_sentence", "placement_noanswer_sentence", "period", "months_long", "epv_min", "cases_count",
]

#: What each placement item asks about, for "... der ikke besvarede spørgsmålet om {topic}".
PLACEMENT_TOPICS = {
    "placement_welcome": "modtagelsen",
    "placement_needs": "hensynet til deres behov",
    "placement_belonging": "arbejdsfællesskabet",
    "placement_clarity": "afklaringen",
}


def edu_higher_sentence(f) -> Fact:
    """Chapter 4: how many have a medium or long higher education, as a sentence ("Ingen har ...")."""
    fact = f.get_fact("edu_higher_mvu_lvu_n")
    if fact.nobody_answered:  # "Ingen har ..." would say everyone answered and none has one
        return Fact(None, "text", text="Det vides ikke, hvor mange der har en mellemlang eller lang videregående "
                                       "uddannelse, for ingen har svaret på spørgsmålet.")
    if fact.suppression:
        who = fact.render(f.cell_rule)
    elif fact.value == 0:
        who = "ingen"
    else:
        who = "én" if fact.value == 1 else fmt.words(fact.value)
    return Fact(fact.value, "text", text=f"{who[:1].upper()}{who[1:]} har en mellemlang eller lang videregående "
                                         "uddannelse.")

def evaluation_summary(f) -> Fact:
    """Chapter 5: what Table 7 says overall, in words that follow the shares (høj + meget høj grad)."""
    shares = []
    for var in f.edition.codebook["followup"].group("evaluation"):
        cell = f.pool_of(EVALUATION, var.name, (1, 2))
        if cell.suppression or not cell.base:
            return Fact(None, "text", text="")
        shares.append(cell.n / cell.base)
    lowest = min(shares)
    if lowest >= 0.75:
        text = ("Langt de fleste oplever altså IPS UNG som støttende og inddragende og som en indsats, der tager "
                "udgangspunkt i dem selv: de føler sig taget alvorligt og er med til at bestemme, hvad der skal "
                "ske på vejen mod job eller uddannelse.")
    elif lowest >= 0.5:
        text = ("Flertallet oplever altså IPS UNG som støttende og inddragende, men en betydelig del svarer kun "
                "i nogen grad eller mindre.")
    else:
        text = ("Under halvdelen svarer i høj eller meget høj grad på mindst ét af de tre punkter, så mange unge "
                "oplever ikke indsatsen som tydeligt støttende og inddragende.")
    return Fact(lowest, "text", text=text)

def education_choice_sentence(f) -> Fact:
    """Chapter 5: the edition's reading of the many who choose education, when the share supports it."""
    pool = exit_pool(f, 3)
    if pool.suppression or not pool.base or pool.n / pool.base < 0.25:
        return Fact(None, "text", text="")
    # The chapter's sentence before this one calls education "et stort skridt"; no second "skridt" here.
    text = ("At så mange alligevel vælger uddannelse, kan tyde på, at IPS UNG har været med til at ændre de unges "
            "syn på uddannelse.")
    return Fact(pool.n / pool.base, "text", text=text)

def enrolled_sentence(f) -> Fact:
    """Chapter 3: why the still enrolled respondents are included, with the shortest time they had been in."""
    row = f.summary_of(ENROLLED_DURATION).iloc[0]
    months = row["min_months"]
    if not row["n"]:
        return Fact(None, "text", text="")
    if months is None or pd.isna(months) or int(months) < 1:
        return Fact(None, "text", text="De er taget med for at styrke datagrundlaget.")
    months = int(months)
    unit = "måned" if months == 1 else "måneder"
    text = (f"De er taget med for at styrke datagrundlaget: alle havde været i forløb i mindst "
            f"{'én' if months == 1 else fmt.words(months)} {unit}, da de svarede.")
    return Fact(months, "text", text=text)

def placement_noanswer_sentence(f) -> Fact:
    """Section 5.4: the blanks the shares count in their base (as the 2025 edition); "" if none."""
    parts, blank_total = [], 0
    for var in f.edition.codebook["followup"].group("placement"):
        cell = f.pool_of(PLACEMENT_OF_PLACED, var.name, (0,))
        if cell.suppression == "base":
            return Fact(None, "text", text="")
        if not cell.suppression and not cell.n:
            continue
        if cell.suppression == "primary":
            who = f"de {label(f.cell_rule)} unge"
        elif cell.suppression:
            who = HIDDEN_COUNT
        else:
            who = "den ene" if cell.n == 1 else f"de {fmt.words(cell.n)}"
            blank_total += int(cell.n)
        topic = PLACEMENT_TOPICS.get(var.name, f"»{var.label}«")
        parts.append(f"{who}, der ikke besvarede spørgsmålet om {topic}")
    if not parts:
        return Fact(0, "text", text="")
    # "af alle 28 med ...", or "af alle med ..." when the count is hidden (never "alle et skjult antal").
    text = (f"Andelene er regnet af {f.had_placement_n.definite('alle')} med et virksomhedsforløb, også "
            f"{join(parts)}.")
    return Fact(blank_total, "text", text=text)


def no_placement_sentence(f) -> Fact:
    """Section 5.4: how many of those without a placement had been in for under four months.

    Empty when every respondent had a placement ("Af ingen, der ikke havde været det, havde ingen ..." says
    nothing the count before it did not: "10 ud af 10"). The two counts keep their tooltips (a
    :class:`~ipsreport.outputs.facts.fact.TracedText` of the printed facts).
    """
    fact = f.get_fact("no_placement_n")
    if not fact.suppression and not fact.nobody_answered and fact.value == 0:
        return Fact(0, "text", text="")
    text = TracedText(["Af ", f.no_placement_n.definite("de", alone="dem"), ", der ikke havde været det, havde ",
                       f.words("no_placement_short_n"), " været i indsatsen i under fire måneder og dermed haft "
                       "kort tid til at få en fod inden for på en arbejdsplads."])
    return Fact(fact.value, "text", text=text)


def epv_min() -> int:
    from ipsreport.analysis.evidence import EPV_MIN

    return int(EPV_MIN)


def cases_count() -> int:
    """Number of case files (Bilag 1-4)."""
    from ipsreport.outputs.cases import load_cases

    return len(load_cases())


def period(start, end) -> Fact:
    """ "fra december 2022 til maj 2025" from two settings dates (only year and month are printed)."""
    from ipsreport.outputs.cases import danish_month

    return Fact((start, end), "text", text=f"fra {danish_month(start)} til {danish_month(end)}")


def months_long(start, end) -> Fact:
    """Length of a period counted in whole months, both end months included: "to år", "18 måneder"."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months % 12 == 0:
        years = months // 12
        text = "ét år" if years == 1 else f"{fmt.words(years)} år"
    else:
        text = "én måned" if months == 1 else f"{fmt.words(months)} måneder"
    return Fact(months, "text", text=text)
