"""Table 9 in running Danish: the sentences chapters 2 and 7 print about the regression.

Table 9's labels are headings ("Højst gennemførte uddannelse", "Oplevet
psykisk belastning de seneste fire uger"); lower-cased and strung together
they do not read as Danish. This module holds, for every factor, a noun
phrase for lists and the two groups a significant factor singles out (the
higher and the lower values), and builds the sentences from a
disclosure-controlled :class:`ipsreport.models.RegressionResult`. Every
wording that depends on the result (which factors, which direction, whether
the odds ratios exceed 2) is computed here, so it holds for any data.
"""

from __future__ import annotations

from ipsreport import fmt
from ipsreport.facts.fact import join as _join

__all__ = ["PHRASES", "summary", "result_sentence", "rest_sentence", "noun"]

#: term -> (noun phrase in a list, group with higher values, group with lower values).
PHRASES: dict[str, tuple[str, str, str]] = {
    "education": ("uddannelsesniveau", "unge med en længere uddannelse", "unge med en kortere uddannelse"),
    "duration": ("forløbets længde", "unge med længere forløb", "unge med kortere forløb"),
    "age": ("alder", "de ældre unge", "de yngre unge"),
    "gender": ("køn", "kvinderne", "mændene og de unge af andet køn"),
    "work_experience": ("tidligere erhvervserfaring", "unge med mere erhvervserfaring",
                        "unge med mindre erhvervserfaring"),
    "meaning": ("de unges vurdering af forløbets betydning",
                "unge, der selv vurderer, at forløbet har gjort dem bedre til at klare hverdagen og være sammen "
                "med andre",
                "unge, der selv vurderer, at forløbet kun i ringe grad har gjort dem bedre til at klare hverdagen "
                "og være sammen med andre"),
    "mastery": ("selvværd og mestring", "unge med højere selvværd og mestring", "unge med lavere selvværd og mestring"),
    "who5_change": ("udviklingen i trivsel", "unge, hvis trivsel er steget mest", "unge, hvis trivsel er steget mindst"),
    "loneliness": ("ensomhed", "unge, der oftere føler sig ensomme", "unge, der sjældnere føler sig ensomme"),
    "burden": ("psykisk belastning", "unge med mere psykisk belastning", "unge med mindre psykisk belastning"),
}


def noun(term: str, label: str = "") -> str:
    """A factor as a noun phrase inside a sentence (the table label, lower-cased, for an unknown term)."""
    if term in PHRASES:
        return PHRASES[term][0]
    return label[:1].lower() + label[1:] if label[:2] != label[:2].upper() else label


def _group(term: str, odds_ratio: float, label: str = "") -> str:
    if term in PHRASES:
        return PHRASES[term][1 if odds_ratio > 1 else 2]
    return f"unge med {'højere' if odds_ratio > 1 else 'lavere'} værdi af {noun(term, label)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _subject(groups: list[str]) -> str:
    """Groups joined as the subject of a sentence; a relative clause ("unge, der ...") is closed by a comma."""
    def relative(g: str) -> bool:
        return ", der " in g

    text = groups[0]
    for i, group in enumerate(groups[1:], start=1):
        last = i == len(groups) - 1
        previous = groups[i - 1]
        text += (", og " if relative(previous) else " og ") if last else ", "
        text += group
    return text + ("," if relative(groups[-1]) else "")


def _unusable(result) -> str | None:
    """Why the model says nothing (separation, no fit), or None."""
    if getattr(result, "separated", False):
        return ("kunne ikke estimeres pålideligt, fordi de målte forhold (næsten) perfekt forudsiger, hvem der er i "
                "job eller uddannelse (se noten under Tabel 9)")
    if result.model is None:
        return "kunne ikke gennemføres på disse data (se noten under Tabel 9)"
    return None


def _split(result):
    terms = result.terms
    chosen = terms[terms["significant"].astype(bool)]
    others = terms[~terms["significant"].astype(bool)]
    return chosen, others


def _strength(odds: list[float]) -> str:
    """ "over 2" when every significant odds ratio doubles the odds (or halves them), else ""."""
    if odds and all(o > 2 for o in odds):
        return "over"
    if odds and all(o < 0.5 for o in odds):
        return "under"
    return ""


def summary(result) -> str:
    """Chapter 2 and the summary of chapter 7: who is more often in job or education, and what does not matter.

    Examples
    --------
    "Unge, der selv vurderer, at forløbet har gjort dem bedre til ..., og unge med højere selvværd og
    mestring har en klart større sandsynlighed for at være i job eller uddannelse ved afslutningen.
    Uddannelsesniveau, forløbets længde, alder, ... hænger derimod ikke påviseligt sammen med udfaldet."
    """
    why = _unusable(result)
    if why:
        return f"Den statistiske analyse af, hvem der er i job eller uddannelse ved afslutningen, {why}."
    chosen, others = _split(result)
    if chosen.empty:
        nouns = _join(noun(t, lab) for t, lab in zip(others["term"], others["label"]))
        return (f"Ingen af de målte forhold – {nouns} – hænger statistisk signifikant sammen med, om de unge er i "
                "job eller uddannelse ved afslutningen.")
    odds = [float(o) for o in chosen["odds_ratio"]]
    groups = [_group(t, o, lab) for t, o, lab in zip(chosen["term"], odds, chosen["label"])]
    subject = _subject(groups)
    # "klart" only where every association at least doubles (or halves) the odds.
    clearly = "en klart" if _strength(odds) else "en"
    text = (f"{_capital(subject)} har {clearly} større sandsynlighed for at være i job eller uddannelse ved "
            "afslutningen.")
    if not others.empty:
        nouns = _join(noun(t, lab) for t, lab in zip(others["term"], others["label"]))
        text += f" {_capital(nouns)} hænger derimod ikke påviseligt sammen med, om de unge er i job eller uddannelse."
    return text


def result_sentence(result) -> str:
    """Chapter 7 after Table 9: which factors are significant, their odds ratios and what they mean."""
    why = _unusable(result)
    if why:
        return f"Analysen {why}."
    chosen, _ = _split(result)
    total = fmt.words(len(result.terms))
    if chosen.empty:
        return (f"Ingen af de {total} faktorer hænger statistisk signifikant sammen med, om de unge er i job eller "
                "uddannelse ved afslutningen.")
    odds = [float(o) for o in chosen["odds_ratio"]]
    nouns = [noun(t, lab) for t, lab in zip(chosen["term"], chosen["label"])]
    count = "Én" if len(chosen) == 1 else _capital(fmt.words(len(chosen)))
    text = (f"{count} af de {total} faktorer hænger statistisk signifikant sammen med, om de unge er i job eller "
            f"uddannelse ved afslutningen: {_join(nouns)}. ")
    parts = [f"{fmt.num(o, 2)} for {n}" for o, n in zip(odds, nouns)]
    text += f"Odds ratioen er {_join(parts)}."
    side = _strength(odds)
    subject = "Den" if len(odds) == 1 else "Begge" if len(odds) == 2 else "Alle"
    if side == "over":
        text += (f" {subject} ligger over 2: for hvert trin op ad skalaen er oddsene for at være i job eller "
                 "uddannelse mere end dobbelt så store.")
    elif side == "under":
        text += (f" {subject} ligger under 0,5: for hvert trin op ad skalaen er oddsene for at være i job eller "
                 "uddannelse mindre end halvt så store.")
    else:
        text += (" En odds ratio på for eksempel 2 betyder, at oddsene for at være i job eller uddannelse "
                 "fordobles for hvert trin op ad skalaen.")
    return text


def rest_sentence(result) -> str:
    """Chapter 7: the factors without a significant association ("" when there are none or no model)."""
    if _unusable(result):
        return ""
    chosen, others = _split(result)
    if chosen.empty or others.empty:
        return ""
    nouns = _join(noun(t, lab) for t, lab in zip(others["term"], others["label"]))
    return f"For de øvrige faktorer – {nouns} – viser analysen ingen statistisk signifikant sammenhæng."

