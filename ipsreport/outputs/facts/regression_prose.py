"""Table 9 in running Danish: the sentences chapters 2 and 7 print about the regression.

Table 9's labels are headings ("Højst gennemførte uddannelse", "Oplevet
psykisk belastning de seneste fire uger"); lower-cased and strung together
they do not read as Danish. This module holds, for every factor, a noun
phrase for lists and the two groups a significant factor singles out (the
higher and the lower values), and builds the sentences from a
disclosure-controlled :class:`ipsreport.analysis.models.RegressionResult`.

How strong a sentence is comes from :mod:`ipsreport.analysis.evidence` only: which
factors are shown to matter (p-value *and* interval), whether "klart" may be
said (the whole interval beyond a doubling), and the caveat the model's
events per explanatory variable call for. The caveat is the same object as
the note under Table 9, so the conclusion cannot print the finding without it.
"""

from __future__ import annotations

from ipsreport.outputs.facts.fact import TracedText

from ipsreport.analysis import evidence
from ipsreport.outputs import fmt

__all__ = ["PHRASES", "summary", "result_sentence", "rest_sentence", "noun", "split", "absent", "design",
           "absent_sentence", "reading", "causality", "causes_sentence"]

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
    "who5_change": ("trivslens udvikling", "unge, hvis trivsel er steget mest", "unge, hvis trivsel er steget mindst"),
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


def _listing(groups: list[str]) -> str:
    """Groups as a list after a colon; a relative clause ("unge, der ...") is closed by a comma before "og"."""
    text = groups[0]
    for i, group in enumerate(groups[1:], start=1):
        last = i == len(groups) - 1
        text += (", og " if ", der " in groups[i - 1] else " og ") if last else ", "
        text += group
    return text


def absent(result, withheld: bool = False) -> str | None:
    """Why Table 9 holds no model, as a clause after "fordi"; None when a model is shown.

    The one place the chapters learn the model's state: withheld by the small-number rule
    (:class:`ipsreport.analysis.disclosed.rules.DisclosedRegression`), or not fitted
    (:func:`ipsreport.analysis.models.fit_logit`: too few rows, no variation in the outcome, factors that
    cannot be told apart). A separated fit is shown, with its own note.
    """
    if result.n == 0:  # nothing to fit, whatever the rule would have hidden
        return "ingen af de afsluttede unge havde svaret på alle de relevante spørgsmål"
    if withheld:
        return ("en af de to grupper, den sammenligner – unge i job eller uddannelse og unge uden – er mindre, end "
                "reglen for små tal tillader at vise")
    if result.fitted or getattr(result, "separated", False):
        return None
    k = len(result.terms)
    if result.n <= k + 1:
        return f"de er for få til at vurdere {fmt.words(k)} faktorer på én gang"
    if result.events in (0, result.n):
        return "de alle havde samme udfald, så der er intet at sammenligne"
    return "nogle af faktorerne var ens for alle eller faldt helt sammen, så deres betydning ikke kan skilles ad"


def design(result, withheld: bool = False) -> str:
    """Chapter 7, before "de N unge": the analysis that was made, or the one that was planned."""
    if absent(result, withheld):
        return "var der planlagt en logistisk regressionsanalyse af"
    return "er der lavet en logistisk regressionsanalyse. Den bygger på"


def absent_sentence(result, withheld: bool = False) -> str:
    """Chapter 7: the one sentence that says there is no model and why ("" when there is one)."""
    why = absent(result, withheld)
    if not why:
        return ""
    verb = "kan ikke vises" if withheld and result.n else "kunne ikke gennemføres"
    return (f"Analysen {verb}, fordi {why}. Afsnittet har derfor ingen resultater af den, og fagpersonernes "
            "vurdering nedenfor står alene.")


def reading(result, withheld: bool, alpha: str) -> str:
    """Chapter 7: how to read Table 9's odds ratios ("" without a model).

    ``alpha`` is the printed fact (its tooltip kept: the sentence is a
    :class:`~ipsreport.outputs.facts.fact.TracedText`). The chapter's own prose
    points to the table, so the pointer is there whether or not it shows a model.
    """
    if absent(result, withheld):
        return ""
    return TracedText([
        "Resultaterne vises som odds ratioer. En odds ratio siger, hvor meget chancen for at "
        "være i job eller uddannelse ændrer sig, når én faktor ændres, og alle de andre holdes fast:\n\n"
        "- En odds ratio over 1 betyder, at faktoren øger chancen.\n"
        "- En odds ratio under 1 betyder, at faktoren mindsker chancen.\n"
        "- En odds ratio tæt på 1 betyder, at faktoren ikke gør nogen nævneværdig forskel.\n\n"
        "Kun statistisk signifikante resultater – her med en p-værdi under ", alpha, " og et konfidensinterval, "
        "der ikke rummer 1 – bør tolkes som sammenhænge frem for tilfældige udsving, og selv de skal læses "
        "varsomt, når analysen bygger på få unge. Hvordan hver faktor er målt, står i @sec-data-og-metode."])


def causes_sentence(result, withheld: bool = False) -> str:
    """Chapter 2, after the summary: associations are not causes ("" without a model)."""
    return "" if absent(result, withheld) else "Der er tale om statistiske sammenhænge og ikke nødvendigvis om årsager."


def causality(result, withheld: bool = False) -> str:
    """Chapter 7 after the findings: why an association need not be a cause ("" without a model)."""
    if absent(result, withheld):
        return ""
    return (f"{causes_sentence(result)} Hænger for eksempel selvværd sammen med udfaldet, kan det være, fordi "
            "forløbet har styrket de unges selvværd og tro på sig selv, og at det har hjulpet dem i job eller "
            "uddannelse. Men det kan også være de unge, der i forvejen havde mest overskud og selvtillid, der har "
            "fået mest ud af forløbet. Analysen kan ikke skille de to ad, og sandsynligvis påvirker de hinanden.")


def _unusable(result, withheld: bool = False) -> str | None:
    """Why the model says nothing (withheld, separation, no fit), or None."""
    if withheld:
        return "kan ikke vises efter reglen for små tal"
    if getattr(result, "separated", False):
        return ("kunne ikke estimeres pålideligt, fordi de målte forhold (næsten) perfekt forudsiger, hvem der er i "
                "job eller uddannelse (se noten under Tabel 9)")
    if not result.fitted:
        return "kunne ikke gennemføres på disse data"
    return None


def split(result):
    """Table 9's terms as ``(shown, others, verdicts)``: associations the evidence supports, and the rest."""
    terms = result.terms
    verdicts = evidence.associations(terms, result.alpha)
    shown = verdicts.isin(["higher", "lower"])
    return terms[shown], terms[~shown], verdicts


def _nouns(frame) -> str:
    nouns = [noun(t, lab) for t, lab in zip(frame["term"], frame["label"])]
    # A phrase with its own "og" ("selvværd og mestring") goes first, where commas set it off; at the end
    # of the list it would need a "samt" to stay one item.
    return fmt.join_words(sorted(nouns, key=lambda n: " og " not in n))


def _named_list(named: list[str]) -> str:
    """Factors with their odds ratios in one list: "dels A, dels B" for two, "A, B og C" for more.

    A factor's phrase may itself contain "og" ("selvværd og mestring"); "dels ..., dels ..." keeps two
    such phrases apart without the officialese "samt", and the odds ratio in brackets closes each item.
    """
    if len(named) == 2:
        return f"dels {named[0]}, dels {named[1]}"
    return fmt.join_words(named)


def _strength(odds: list[float]) -> str:
    """ "over" when every estimate more than doubles the odds, "under" when every one more than halves them."""
    if odds and all(o > 2 for o in odds):
        return "over"
    if odds and all(o < 0.5 for o in odds):
        return "under"
    return ""


def summary(result, withheld: bool = False) -> str:
    """Chapter 2 and the summary of chapter 7: who is more often in job or education, and what does not matter.

    The wording follows :func:`ipsreport.analysis.evidence.support`: with enough
    events per variable the finding is stated ("har en større
    sandsynlighed", "klart" only where every interval at least doubles the
    odds); with fewer it is stated with the caveat, and with very few the
    analysis only "peger på" it. The caveat is
    :func:`ipsreport.analysis.evidence.regression_caveat`'s ``short`` text.

    Examples
    --------
    "Analysen peger på, at to grupper oftere er i job eller uddannelse ved afslutningen: unge, der selv
    vurderer, at forløbet har gjort dem bedre til ..., og unge med højere selvværd og mestring. Analysen bygger dog på
    få unge: ... Uddannelsesniveau, forløbets længde, alder, ... hænger derimod ikke påviseligt sammen med ..."
    """
    why = _unusable(result, withheld)
    if why:
        return f"Den statistiske analyse af, hvem der er i job eller uddannelse ved afslutningen, {why}."
    shown, others, verdicts = split(result)
    caveat = evidence.regression_caveat(result)
    if shown.empty:
        text = (f"Ingen af de målte forhold – {_nouns(others)} – hænger statistisk signifikant sammen med, om de "
                "unge er i job eller uddannelse ved afslutningen.")
        return f"{text} {caveat.short}" if caveat else text
    groups = [_group(t, o, lab) for t, o, lab in zip(shown["term"], shown["odds_ratio"], shown["label"])]
    # Several groups, each perhaps with a relative clause, would push the verb far from "at"; read aloud,
    # the sentence says what it finds first and lists the groups after a colon.
    several = len(groups) > 1
    subject = f"{fmt.words(len(groups))} grupper" if several else _subject(groups)
    listing = f": {_listing(groups)}." if several else "."
    if caveat.level == "weak":
        text = (f"Analysen peger på, at {subject} oftere er i job eller uddannelse ved afslutningen{listing} "
                f"{caveat.short}")
    else:
        clear = all(evidence.clearly(verdicts[i], shown.at[i, "ci_low"], shown.at[i, "ci_high"])
                    for i in shown.index) and not caveat
        strength = "en klart større" if clear else "en større"
        text = (f"{_capital(subject)} har {strength} sandsynlighed for at være i job eller uddannelse ved "
                f"afslutningen{listing}")
        if caveat:
            text += f" {caveat.short}"
    if not others.empty:
        text += (f" {_capital(_nouns(others))} hænger derimod ikke påviseligt sammen med, om de unge er i job "
                 "eller uddannelse.")
    return text


def result_sentence(result, withheld: bool = False) -> str:
    """Chapter 7 after Table 9: which factors matter, their odds ratios in words, and the caveat.

    Without a model "": the chapter said so once (:func:`absent_sentence`).
    """
    if absent(result, withheld):
        return ""
    why = _unusable(result)
    if why:
        return f"Analysen {why}."
    shown, _, _ = split(result)
    caveat = evidence.regression_caveat(result)
    total = fmt.words(len(result.terms))
    if shown.empty:
        text = (f"Ingen af de {total} faktorer hænger statistisk signifikant sammen med, om de unge er i job eller "
                "uddannelse ved afslutningen.")
        return f"{text} {caveat.short}" if caveat else text
    odds = [float(o) for o in shown["odds_ratio"]]
    named = [f"{noun(t, lab)} (odds ratio {fmt.num(o, 2)})" for t, o, lab in zip(shown["term"], odds, shown["label"])]
    count = "Én" if len(shown) == 1 else _capital(fmt.words(len(shown)))
    text = (f"{count} af de {total} faktorer hænger statistisk signifikant sammen med, om de unge er i job eller "
            f"uddannelse ved afslutningen: {_named_list(named)}.")
    side = _strength(odds)
    subject = "den" if len(odds) == 1 else "begge" if len(odds) == 2 else "alle"
    # The estimate's size is a fact about the estimate; the caveat says how far to trust it.
    if side == "over":
        text += (f" Ifølge estimaterne gælder det for {subject}, at oddsene for at være i job eller uddannelse mere "
                 "end fordobles for hvert trin op ad skalaen.")
    elif side == "under":
        text += (f" Ifølge estimaterne gælder det for {subject}, at oddsene for at være i job eller uddannelse mere "
                 "end halveres for hvert trin op ad skalaen.")
    else:
        text += (" En odds ratio på for eksempel 2 betyder, at oddsene for at være i job eller uddannelse "
                 "fordobles for hvert trin op ad skalaen.")
    return f"{text} {caveat.short}" if caveat else text


def rest_sentence(result, withheld: bool = False) -> str:
    """Chapter 7: the factors without a shown association, and what a missing one means ("" without estimates)."""
    if _unusable(result, withheld):
        return ""
    shown, others, _ = split(result)
    uncertain = ("At en sammenhæng ikke er signifikant, betyder dog ikke, at den ikke findes: konfidensintervallernes "
                 "bredde viser, hvor usikre estimaterne er, og usikkerheden vokser, når analysen bygger på få unge.")
    if shown.empty or others.empty:
        return uncertain
    return (f"For de øvrige faktorer – {_nouns(others)} – viser analysen ingen statistisk signifikant sammenhæng. "
            f"{uncertain}")
