"""Chapter 6 in words: the change from start to end of the four mental-health scores.

Whether a sentence says "steg" or "faldt" is decided by
:func:`ipsreport.analysis.evidence.change` alone (the paired t-test's p-value below
``alpha`` *and* a confidence interval of the change that excludes 0). A
change the test does not support is described as what it is: two means on a
level with each other, never as a rise or a fall with "ikke signifikant"
tacked on. Every function takes the :class:`~ipsreport.outputs.facts.Facts` of an
edition and returns a :class:`~ipsreport.outputs.facts.fact.Fact` of kind ``"text"``.
"""

from __future__ import annotations

import pandas as pd

from ipsreport.analysis import evidence
from ipsreport.outputs import fmt
from ipsreport.outputs.facts.fact import NOT_COMPARED, Fact, join
from ipsreport.outputs.facts.reading import decimals, paired

__all__ = [
    "SCORE_WORDS", "verdict", "direction", "change_sentence", "any_change", "mental_health_changes",
    "mental_health_summary", "burden_reading",
]

#: score -> (subject in a summary, noun after "for", the direction that is an improvement, subject in its
#: own section of chapter 6, where the instrument is already named).
SCORE_WORDS: dict[str, tuple[str, str, str, str]] = {
    "who5": ("trivslen (WHO-5)", "trivsel (WHO-5)", "up", "trivslen"),
    "mastery": ("mestring og selvværd", "mestring og selvværd", "up", "mestring og selvværd"),
    "loneliness": ("ensomheden", "ensomhed", "down", "ensomheden"),
    "burden": ("den oplevede psykiske belastning", "oplevet psykisk belastning", "down", "belastningen"),
}

_VERB = {"up": "steg", "down": "faldt"}

#: The sections of chapter 6 in the order report/06-mental-sundhed.qmd prints them. Read aloud, four
#: sections with the same three sentences sound like a form; a section whose interval, like an earlier
#: one's, spans both a fall and a rise says so more briefly and in its own words.
CHAPTER_ORDER = ("mastery", "loneliness", "who5", "burden")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def verdict(f, score: str) -> str:
    """``"up"``, ``"down"``, ``"same"`` or ``"untested"`` for one score (:func:`ipsreport.analysis.evidence.change`)."""
    row = paired(f, score)
    if pd.isna(row["mean_start"]) or pd.isna(row["mean_end"]):
        return "untested"
    return evidence.change(row["diff"], row["ci_low"], row["ci_high"], row["p_ttest"], float(f.edition.settings.alpha))


def _means(f, score: str) -> tuple[str, str]:
    row = paired(f, score)
    places = decimals(score)
    return fmt.num(row["mean_start"], places), fmt.num(row["mean_end"], places)


def direction(f, score: str) -> Fact:
    """ "steg" / "faldt" when the test supports it, else "lå på niveau med starten"."""
    found = verdict(f, score)
    if found == "untested":
        row = paired(f, score)
        if pd.isna(row["mean_start"]):
            return Fact(found, "text", text=NOT_COMPARED)
        start, end = _means(f, score)
        return Fact(found, "text", text="var uændret" if start == end else "kunne ikke testes")
    text = {"up": "steg", "down": "faldt", "same": "lå på niveau med starten"}[found]
    return Fact(found, "text", text=text)


def change_sentence(f, score: str) -> Fact:
    """Chapter 6, one section: what the paired test says about the change (the chapter prints the two means).

    Examples
    --------
    "Forskellen er ikke statistisk signifikant: 95 %-konfidensintervallet for ændringen går fra -0,61 til 0,96
    og rummer både et fald og en stigning. Mestring og selvværd ligger dermed på niveau med starten."
    """
    row = paired(f, score)
    subject = SCORE_WORDS[score][3]
    if pd.isna(row["mean_start"]) or pd.isna(row["mean_end"]):
        return Fact(None, "text", text=f"Udviklingen i {SCORE_WORDS[score][1]} {NOT_COMPARED}.")
    found = verdict(f, score)
    # A change is smaller than the means: one decimal more for whole-number scores (WHO-5), so "0" is not "-0,4".
    places = max(decimals(score), 1)
    low, high = fmt.num(row["ci_low"], places), fmt.num(row["ci_high"], places)
    interval = f"{f.confidence_level}-konfidensintervallet for ændringen går fra {low} til {high}"
    if found in _VERB:
        kind = "en statistisk signifikant stigning" if found == "up" else "et statistisk signifikant fald"
        text = f"Det er {kind}: {interval}. {_capital(subject)} {_VERB[found]} altså fra start til afslutning."
    elif found == "untested" and row["diff"] == 0 and row["ci_low"] == 0 and row["ci_high"] == 0:
        text = "Ingen af de unge har ændret sig fra start til afslutning."
    elif found == "untested":
        reason = str(row.get("reason", "") or "der er ingen test")
        text = f"Om forskellen er statistisk signifikant, kan ikke afgøres ({reason[:1].lower() + reason[1:]})."
    elif _spans_zero(row) and (earlier := _earlier_spanning(f, score)):
        text = _again(earlier, low, high, subject, f.confidence_level)
    else:
        text = "Forskellen er ikke statistisk signifikant"
        if _spans_zero(row):
            text += f": {interval} og rummer både et fald og en stigning."
        else:
            text += f" (p-værdi {fmt.pvalue(row['p_ttest'])})."
        text += f" {_capital(subject)} ligger dermed på niveau med starten."
    return Fact(found, "text", text=text)


def _spans_zero(row) -> bool:
    return bool(row["ci_low"] <= 0 <= row["ci_high"])


def _earlier_spanning(f, score: str) -> int:
    """How many sections before this one in chapter 6 found no change with an interval spanning zero."""
    if score not in CHAPTER_ORDER:
        return 0
    before = CHAPTER_ORDER[:CHAPTER_ORDER.index(score)]
    return sum(verdict(f, s) == "same" and _spans_zero(paired(f, s)) for s in before)


def _again(earlier: int, low: str, high: str, subject: str, level: str) -> str:
    """The no-change sentence for a section after one that said the same (``earlier`` such sections)."""
    if earlier == 1:
        return (f"Heller ikke her er forskellen statistisk signifikant: intervallet for ændringen går fra {low} til "
                f"{high}, så {subject} ligger på niveau med starten.")
    if earlier == 2:
        return (f"Også her rummer {level}-konfidensintervallet for ændringen både et fald og en stigning (fra {low} "
                f"til {high}); forskellen er ikke statistisk signifikant, og {subject} ligger på niveau med starten.")
    return (f"Ændringen er heller ikke her statistisk signifikant ({level}-konfidensinterval fra {low} til {high}), "
            f"så {subject} ligger på niveau med starten.")


def any_change(f) -> Fact:
    """ "Nogle af ændringerne er" when a test shows a change in any of the four scores, else "Ingen af ændringerne er"."""
    shown = any(verdict(f, score) in _VERB for score in SCORE_WORDS)
    return Fact(shown, "text", text="Nogle af ændringerne er" if shown else "Ingen af ændringerne er")


def mental_health_changes(f) -> Fact:
    """Chapters 2 and 6, summary: the four scores at start and end, a change named only where it is shown.

    Examples
    --------
    "Gennemsnittet gik fra 49 ved start til 51 ved afslutning for trivsel (WHO-5), fra 7,85 til 8,03 for
    mestring og selvværd, ... men ingen af forskellene er statistisk signifikante."
    """
    moved, level, missing = [], [], []
    for score, (subject, noun, _, _) in SCORE_WORDS.items():
        found = verdict(f, score)
        if found == "untested" and pd.isna(paired(f, score)["mean_start"]):
            missing.append(noun)
            continue
        start, end = _means(f, score)
        if found in _VERB:
            moved.append(f"{subject} {_VERB[found]} fra {start} til {end}")
        else:
            level.append((start, end, noun))
    parts = []
    if moved:
        # Main clauses, so a comma before the last "og"; the phrases carry their own "og"
        # ("mestring og selvværd"), and a "samt" would read as officialese.
        clauses = moved[0] if len(moved) == 1 else f"{', '.join(moved[:-1])}, og {moved[-1]}"
        shown = "Ændringen er statistisk signifikant" if len(moved) == 1 else "Ændringerne er statistisk signifikante"
        parts.append(f"{_capital(clauses)}. {shown}.")
    if level:
        parts.append(_level_sentence(level, after_moved=bool(moved)))
    if missing:
        parts.append(f"Udviklingen i {fmt.join_words(missing)} {NOT_COMPARED}.")
    return Fact(len(moved), "text", text=" ".join(parts))


def _level_sentence(level: list[tuple[str, str, str]], after_moved: bool) -> str:
    """The means of the scores the tests do not show to have changed, as a description, never as a rise or fall.

    Each item carries its verb only where it differs from the item before ("gik fra ... til ..." or
    "var ... både ved start og afslutning"), so the list reads as one Danish sentence.
    """
    items, previous = [], None
    for i, (start, end, noun) in enumerate(level):
        if start == end:
            verb, rest = "var", f"{start} både ved start og afslutning for {noun}"
        elif i == 0 and not after_moved:
            verb, rest = "gik", f"fra {start} ved start til {end} ved afslutning for {noun}"
        else:
            verb, rest = "gik", f"fra {start} til {end} for {noun}"
        items.append(rest if verb == previous else f"{verb} {rest}")
        previous = verb
    first, *others = items
    verb, rest = first.split(" ", 1)
    lead = f"For de øvrige mål {verb} gennemsnittet {rest}" if after_moved else f"Gennemsnittet {first}"
    tail = ("men forskellen er ikke statistisk signifikant" if len(level) == 1
            else "men ingen af forskellene er statistisk signifikante")
    return f"{fmt.join_words([lead, *others])}, {tail}."


def mental_health_summary(f) -> Fact:
    """Chapters 2 and 6: the overall direction of wellbeing, mastery and loneliness, as strong as the tests.

    "udviklet sig positivt" only when all three improved significantly; when
    none changed significantly, the mental health is "på niveau med starten"
    (saying that all three means moved a little the good way, when they did).
    """
    scores = ("who5", "mastery", "loneliness")
    found = {s: verdict(f, s) for s in scores}
    if "untested" in found.values():
        return Fact(None, "text", text="")
    better = [SCORE_WORDS[s][1] for s in scores if found[s] == SCORE_WORDS[s][2]]
    worse = [SCORE_WORDS[s][1] for s in scores if found[s] not in ("same", SCORE_WORDS[s][2])]
    same = [SCORE_WORDS[s][1] for s in scores if found[s] == "same"]
    if len(better) == len(scores):
        text = ("Målt på trivsel, mestring og ensomhed har de unges mentale sundhed udviklet sig positivt fra start "
                "til afslutning: alle tre mål er forbedret, og forbedringerne er statistisk signifikante.")
    elif len(same) == len(scores):
        text = "Målt på trivsel, mestring og ensomhed er de unges mentale sundhed ved afslutning på niveau med starten."
        if all(_moved_well(f, s) for s in scores):
            # A description of the sample; whether it is more than chance is mental_health_changes' to say.
            text += " Alle tre gennemsnit har dog flyttet sig lidt i den gode retning."
    else:
        pieces = []
        if better:
            pieces.append(f"{join(better)} er forbedret")
        if worse:
            pieces.append(f"{join(worse)} er forværret")
        if same:
            pieces.append(f"{join(same)} ligger på niveau med starten")
        if len(pieces) == 1:  # all three worse
            text = f"Målt på trivsel, mestring og ensomhed har de unges mentale sundhed udviklet sig negativt: {pieces[0]}."
        else:
            text = f"Udviklingen er blandet: {', '.join(pieces[:-1])}, mens {pieces[-1]}."
    return Fact(len(better), "text", text=text)


def _moved_well(f, score: str) -> bool:
    """The printed means moved the good way (a description of the sample, not a finding)."""
    row = paired(f, score)
    places = decimals(score)
    start, end = fmt.round_half_up(row["mean_start"], places), fmt.round_half_up(row["mean_end"], places)
    return end > start if SCORE_WORDS[score][2] == "up" else end < start


def burden_reading(f) -> Fact:
    """Chapter 6: what happened to the burden, and how a rise can be read (the rise named only if shown)."""
    found = verdict(f, "burden")
    if found == "untested":
        return Fact(None, "text", text="")
    if found == "up":
        text = ("Belastningen er altså steget, men det er ikke nødvendigvis en forværring. Forløbet kan have gjort de "
                "unge mere bevidste om deres udfordringer eller stillet krav, som har været hårde at leve op til, så "
                "stigningen kan også være udtryk for refleksion og selvindsigt.")
    elif found == "down":
        text = ("Belastningen er altså faldet: de unge oplever deres psykiske sårbarhed som mindre belastende ved "
                "afslutning end ved start.")
    else:
        row = paired(f, "burden")
        places = decimals("burden")
        start, end = fmt.round_half_up(row["mean_start"], places), fmt.round_half_up(row["mean_end"], places)
        moved = ("steget en smule" if end > start else "faldet en smule" if end < start else "det samme")
        if moved == "det samme":
            text = "Data viser altså hverken en forværring eller en forbedring."
        else:
            text = (f"Gennemsnittet er {moved}, men ikke mere, end tilfældigheder kan forklare, så data viser hverken "
                    "en forværring eller en forbedring.")
    return Fact(found, "text", text=text)
