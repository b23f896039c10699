"""Chapter 3 and Bilag 6 in words: do the end-survey answers represent everyone who answered at the start?

The sentence is as strong as the tests behind Bilag 6's non-response table
(:attr:`ipsreport.analysis.disclosed.layer.Disclosed.nonresponse`): a difference is named
only where :func:`ipsreport.analysis.evidence.difference` finds one, and "no
difference" is read as representativeness only where the comparison could
have found a large one (:func:`ipsreport.analysis.evidence.detects_large_difference`).
"""

from __future__ import annotations

import pandas as pd

from ipsreport.analysis import evidence
from ipsreport.outputs import fmt
from ipsreport.outputs.facts.fact import Fact
from ipsreport.outputs.facts.sources import NONRESPONSE
from ipsreport.analysis.summaries.nonresponse import AGE_SPLIT

__all__ = ["NOUNS", "PREDICATES", "nonresponse_n", "representativeness", "versus_reference"]

#: variable -> noun in a list ("i alder, køn, ... eller mestring og selvværd").
NOUNS = {
    "age_group": "alder", "gender": "køn", "referral_status": "status ved opstart", "education": "uddannelse",
    "who5": "trivsel (WHO-5)", "mastery": "mestring og selvværd",
}
#: (variable, code) -> what "en større andel af dem ..." were or had.
PREDICATES = {
    ("age_group", 1): f"var {AGE_SPLIT} år eller yngre", ("age_group", 2): f"var over {AGE_SPLIT} år",
    ("gender", 1): "var kvinder", ("gender", 2): "var mænd eller af andet køn",
    ("referral_status", 1): "var aktivitetsparate", ("referral_status", 2): "var uddannelsesparate",
    ("education", 1): "havde højst folkeskolen", ("education", 2): "havde mere end folkeskolen",
}
#: score -> (noun after "lavere"/"højere", what its mean is called).
SCORE_NOUNS = {"who5": ("trivsel", "WHO-5-gennemsnit"), "mastery": ("mestring og selvværd", "gennemsnit")}


def _sizes(frame: pd.DataFrame) -> dict[str, object]:
    """Group sizes (``<NA>`` when hidden), read from the score rows' bases."""
    rows = frame[frame["kind"] == "score"].drop_duplicates("group").set_index("group")
    return {g: rows.loc[g, "base"] for g in ("responded", "not_responded")}


def nonresponse_n(f) -> Fact:
    """Start respondents who did not answer at the end (hidden below the rule)."""
    n = _sizes(f.summary_of(NONRESPONSE))["not_responded"]
    if pd.isna(n):
        return Fact(None, "count", suppression="primary")
    return Fact(int(n), "count")


def _describe(part: pd.DataFrame) -> tuple[str, str]:
    """What a difference is ("en større andel af dem var over 20 år (92 % mod 58 %)"); for a score, its side."""
    variable = str(part["variable"].iloc[0])
    by = part.set_index(["code", "group"]) if part["kind"].iloc[0] == "category" else part.set_index("group")
    if part["kind"].iloc[0] == "score":
        places = int(part["decimals"].iloc[0])
        a, b = by.loc["not_responded", "mean"], by.loc["responded", "mean"]
        noun, mean_name = SCORE_NOUNS[variable]
        side = "lavere" if a < b else "højere"
        return f"de havde {side} {noun} ({mean_name} {fmt.num(a, places)} mod {fmt.num(b, places)})", side
    codes = list(dict.fromkeys(part["code"]))
    code = max(codes, key=lambda c: by.loc[(c, "not_responded"), "pct"] - by.loc[(c, "responded"), "pct"])
    a, b = by.loc[(code, "not_responded"), "pct"], by.loc[(code, "responded"), "pct"]
    return f"en større andel af dem {PREDICATES[(variable, int(code))]} ({fmt.pct(a)} mod {fmt.pct(b)})", ""


def _clauses(items: list[str]) -> str:
    """Main clauses joined the Danish way: a comma before the last "og"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])}, og {items[-1]}"


def _verdicts(f) -> dict[str, str]:
    frame = f.summary_of(NONRESPONSE)
    alpha = float(f.edition.settings.alpha)
    return {v: evidence.difference(part["p"].iloc[0], alpha) for v, part in frame.groupby("variable", sort=False)}


def representativeness(f) -> Fact:
    """The sentence on whether the end survey represents everyone who answered at the start."""
    frame = f.summary_of(NONRESPONSE)
    sizes = _sizes(frame)
    if pd.isna(sizes["not_responded"]) or pd.isna(sizes["responded"]):
        return Fact(None, "text", text=(
            f"Om de unge, der ikke svarede ved afslutning, adskiller sig fra dem, der svarede, kan ikke vises, fordi "
            f"en af grupperne er mindre end {fmt.count(f.cell_rule)}."))
    missing, answered = int(sizes["not_responded"]), int(sizes["responded"])
    if not missing:
        return Fact(None, "text", text="Alle, der svarede ved start, svarede også ved afslutning.")
    verdicts = _verdicts(f)
    differs = [v for v, d in verdicts.items() if d == "differs"]
    same = [NOUNS[v] for v, d in verdicts.items() if d == "same"]
    untested = [NOUNS[v] for v, d in verdicts.items() if d == "untested"]
    who = f"De {fmt.count(missing)}, der ikke svarede ved afslutning,"
    if differs:
        described = [_describe(frame[frame["variable"] == v]) for v in differs]
        text = f"{who} adskilte sig ved start fra dem, der svarede: {_clauses([d for d, _ in described])}."
        if same:
            # After a negation Danish lists with "eller", which also keeps "mestring og selvværd" one item
            # (a "samt" before it reads as officialese).
            text += f" Der er ingen statistisk signifikant forskel i {fmt.join_words(same, last='eller')}."
        sides = {side for _, side in described if side}
        if sides == {"lavere"}:
            text += (" Svarene ved afslutning kommer altså især fra de unge, der havde det bedre ved start, og kan "
                     "give et for lyst billede af hele gruppen.")
        elif sides == {"højere"}:
            text += (" Svarene ved afslutning kommer altså især fra de unge, der havde det sværere ved start, og kan "
                     "give et for mørkt billede af hele gruppen.")
        else:
            text += " Svarene ved afslutning repræsenterer altså ikke alle, der begyndte, lige godt."
    elif same:
        text = (f"{who} adskilte sig ved start ikke statistisk signifikant fra dem, der svarede, i "
                f"{fmt.join_words(same, last='eller')}.")
        if evidence.detects_large_difference(answered, missing, float(f.edition.settings.alpha)):
            text += " Svarene ved afslutning ser derfor ud til at repræsentere alle, der begyndte, på de målte forhold."
        else:
            text += (" Gruppen er dog så lille, at selv store forskelle kunne være overset: der er ingen tegn på, at "
                     "svarene ved afslutning er skæve, men heller ikke et bevis for, at de repræsenterer alle, der "
                     "begyndte.")
    else:
        text = ""
    if untested:
        text += (f" En eventuel forskel i {fmt.join_words(untested, last='eller')} kan ikke vises, fordi tallene "
                 "er for små.")
    return Fact(len(differs), "text", text=text.strip())


def versus_reference(f) -> Fact:
    """The result against the published evaluation's (setting ``reference_year``), which found no
    systematic differences at the start."""
    sizes = _sizes(f.summary_of(NONRESPONSE))
    found = set() if any(pd.isna(v) for v in sizes.values()) else set(_verdicts(f).values())
    reference = f"evalueringen fra {int(f.edition.settings.reference_year)}"
    if "differs" in found:
        text = (f"Denne udgave kommer dermed til et andet resultat end {reference}, hvor evaluator ikke fandt "
                "systematiske forskelle i baggrund og trivsel ved start.")
    elif "same" in found:
        text = (f"Det svarer til resultatet i {reference}, hvor evaluator heller ikke fandt systematiske forskelle "
                "i baggrund og trivsel ved start.")
    else:
        text = ""
    return Fact(None, "text", text=text)
