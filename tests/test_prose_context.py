"""A fact printed as a phrase still reads where the chapter puts it.

A hidden count prints "et skjult antal", a count of an item nobody answered
"et ukendt antal", its share "en ukendt andel (ingen har svaret)". Written
after a definite determiner ("Af de `{python} f.no_placement_n`, der ...")
or beside a bracketed companion ("… (`{python} f.psych_dialogue_of`)"),
these read "Af de et ukendt antal" or "en ukendt andel (ingen har svaret)
(et ukendt antal)". The printed fact offers the forms a sentence needs
(:class:`ipsreport.outputs.facts.fact.FactText`): ``.definite("de")``,
``.aside(other)`` and ``.in_brackets()``; the chapters use them, and every
chapter's prose is read here with hidden and unknown counts.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from ipsreport.outputs.facts import facts
from ipsreport.outputs.facts.fact import HIDDEN_COUNT, HIDDEN_SHARE, NO_ANSWERS, NO_ANSWERS_COUNT, FactText, TracedText
from ipsreport.paths import REPORT_DIR
from ipsreport.render.qmd import Markdown, read_qmd, split_inline
from test_facts import hand_made
from test_facts_unanswered import _nobody_asked

#: Every chapter: a count printed after a determiner is not only a chapter 4-7 habit.
CHAPTERS = tuple(sorted(p.stem for p in REPORT_DIR.glob("*.qmd")))
#: A definite determiner before an indefinite phrase: "Af de et ukendt antal", "alle et skjult antal".
DETERMINER_BEFORE_PHRASE = re.compile(r"\b(?:de|alle)\s+(?:et|en)\s+(?:skjult|ukendt)", re.IGNORECASE)
#: A bracket inside a bracket, or two brackets side by side: "(et ukendt antal (en ukendt andel (…)))".
NESTED = re.compile(r"\([^()]*\(")
ADJACENT = re.compile(r"\)\s*\(")
#: A count of nobody as the group a sentence speaks of: "Af ingen, der ikke havde været det, havde ingen ...".
NOBODY_AS_GROUP = re.compile(r"\b(?:af|blandt) ingen\b", re.IGNORECASE)
#: A share printed as a count of people: "Andelen med meget lav trivsel var ... <3 unge ved afslutning".
SHARE_AS_PEOPLE = re.compile(r"\bandel(?:en|ene)?\b[^.]*?(?<!svarende til )<\d+ unge", re.IGNORECASE)


def chapter_prose(chapter: str, f) -> list[str]:
    """The paragraphs of a chapter whose inline expressions read only the facts, filled in with ``f``."""
    out = []
    for block in read_qmd(REPORT_DIR / f"{chapter}.qmd").blocks:
        if not isinstance(block, Markdown):
            continue
        pieces = split_inline(block.text)
        exprs = [p[0] for p in pieces if isinstance(p, tuple)]
        if not exprs or not all(e.startswith("f.") for e in exprs):
            continue
        values = iter([str(eval(e, {"f": f})) for e in exprs])
        text = "".join(p if isinstance(p, str) else next(values) for p in pieces)
        out += [para.strip() for para in text.split("\n\n") if "{python}" not in para]
    return out


def _no_placement_answers(make_edition, min_cell=0):
    """hand_made (its follow-up asks nothing about placements) with nobody reporting contact with psychiatry."""
    return _nobody_asked(make_edition, min_cell)


def _placement_hidden(make_edition):
    """Follow-up with placements answered, few without one: the counts of the paragraph are hidden."""
    ed = hand_made(make_edition, min_cell=3)
    followup = ed.followup.copy()
    followup["had_placement"] = pd.array([1] * 8 + [0] * 2, dtype="Int64")
    return replace(ed, followup=followup)


def _everyone_placed(make_edition):
    """Follow-up where every respondent had a placement: nobody is without one (``no_placement_n`` is 0)."""
    ed = hand_made(make_edition)
    followup = ed.followup.copy()
    followup["had_placement"] = pd.array([1] * len(followup), dtype="Int64")
    return replace(ed, followup=followup)


def _who5_small(make_edition):
    """WHO-5 at start and end: 6 of 20 with very low well-being at start, 1 of 10 at the end (below the rule 3)."""
    ed = hand_made(make_edition, min_cell=3)
    baseline, followup = ed.baseline.copy(), ed.followup.copy()
    for i in range(1, 6):  # every item answered 1 (score 20: very low) or 4 (score 80)
        baseline[f"who5_{i}"] = pd.array([1] * 6 + [4] * 14, dtype="Int64")
        followup[f"who5_{i}"] = pd.array([1] * 1 + [4] * 9, dtype="Int64")
    return replace(ed, baseline=baseline, followup=followup)


VARIANTS = {
    "nobody-answered": _no_placement_answers,
    "nobody-answered-min3": lambda make_edition: _no_placement_answers(make_edition, 3),
    "hidden": _placement_hidden,
    "everyone-placed": _everyone_placed,
    "who5-small": _who5_small,
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_chapter_prose_reads_with_phrases_for_numbers(make_edition, variant):
    f = facts(VARIANTS[variant](make_edition))
    bad = [para for chapter in CHAPTERS for para in chapter_prose(chapter, f)
           if DETERMINER_BEFORE_PHRASE.search(para) or NESTED.search(para) or ADJACENT.search(para)
           or NOBODY_AS_GROUP.search(para) or SHARE_AS_PEOPLE.search(para)]
    assert not bad, "\n\n".join(bad)


def test_section_5_4_opening_when_everyone_had_a_placement(make_edition):
    """Nobody without a placement: no sentence about them ("Af ingen, der ikke havde været det, ...")."""
    f = facts(_everyone_placed(make_edition))
    assert f.raw("no_placement_n") == 0 and f.had_placement_of == "10 ud af 10"
    (para,) = [p for p in chapter_prose("05-job-og-uddannelse", f) if p.startswith("Blandt dem, der svarede")]
    assert para == ("Blandt dem, der svarede ved afslutning, har 10 ud af 10 været i et virksomhedsforløb – "
                    "praktik, hybridpraktik, lønnede timer eller ordinært job.")


def test_a_share_below_the_rule_reads_as_a_share(make_edition):
    """"Andelen med meget lav trivsel var 60 % ved start og en andel svarende til <3 unge ved afslutning"."""
    f = facts(_who5_small(make_edition))
    assert f.who5_band_low_end_pct == "<3 unge" and f.fact("who5_band_low_end_pct").suppression == "primary"
    (para,) = [p for p in chapter_prose("06-mental-sundhed", f) if p.startswith("Figuren viser også")]
    assert ("Andelen med meget lav trivsel var 60 % ved start og en andel svarende til <3 unge ved afslutning."
            in para), para


def test_section_5_4_opening_when_nobody_answered_the_placement_question(make_edition):
    f = facts(_no_placement_answers(make_edition))
    assert f.fact("had_placement_of").nobody_answered and f.fact("no_placement_n").nobody_answered
    (para,) = [p for p in chapter_prose("05-job-og-uddannelse", f) if p.startswith("Blandt dem, der svarede")]
    assert para == ("Blandt dem, der svarede ved afslutning, har et ukendt antal været i et virksomhedsforløb – "
                    "praktik, hybridpraktik, lønnede timer eller ordinært job. Af dem, der ikke havde været det, havde et ukendt antal været i indsatsen i under fire måneder "
                    "og dermed haft kort tid til at få en fod inden for på en arbejdsplads.")


def _text(text, name="x"):
    return FactText(text, "tooltip", name)


@pytest.mark.parametrize(("text", "alone", "expected"), [
    ("15", None, "de 15"), ("15", "dem", "de 15"), ("<3", None, "de <3"), ("0", None, "de 0"),
    (HIDDEN_COUNT, None, "de"), (HIDDEN_COUNT, "dem", "dem"), (NO_ANSWERS_COUNT, "dem", "dem"),
    (f"{HIDDEN_COUNT} ud af {HIDDEN_COUNT}", None, "de"), ("ingen", None, "ingen"), ("ingen", "dem", "ingen"),
])
def test_definite_keeps_the_number_only_when_there_is_one(text, alone, expected):
    out = _text(text).definite("de", alone)
    assert out == expected
    # The number, or the word standing for it, keeps the fact's tooltip.
    parts = out._inline_parts_() if hasattr(out, "_inline_parts_") else [out]
    assert [getattr(p, "provenance", None) for p in parts][-1] == "tooltip"


@pytest.mark.parametrize(("text", "expected"), [("ingen", "de"), ("15", "de 15"), (HIDDEN_COUNT, "de")])
def test_definite_reads_a_word_for_a_count_of_nobody_where_asked(text, expected):
    """"en analyse af de unge, der ...", never "af ingen unge, der ..."; the word keeps the tooltip."""
    out = _text(text).definite("de", nobody="de")
    assert out == expected
    parts = out._inline_parts_() if hasattr(out, "_inline_parts_") else [out]
    assert parts[-1].provenance == "tooltip"


@pytest.mark.parametrize(("text", "expected"), [
    ("<3 unge", "en andel svarende til <3 unge"), ("<5 unge", "en andel svarende til <5 unge"),
    ("23 %", "23 %"), ("0 %", "0 %"), (HIDDEN_SHARE, HIDDEN_SHARE), (NO_ANSWERS, NO_ANSWERS), ("<3", "<3"),
])
def test_as_share_names_a_share_below_the_rule_a_share(text, expected):
    out = _text(text).as_share()
    assert out == expected
    parts = out._inline_parts_() if hasattr(out, "_inline_parts_") else [out]
    assert [p for p in parts if getattr(p, "provenance", None) == "tooltip"] == [text]  # the label keeps it


def test_a_sentence_of_traced_pieces_keeps_each_number_traced():
    """A piece built by definite() inside a sentence fact gives its own parts, the number still a FactText."""
    sentence = TracedText(["Af ", _text("15", "a").definite("de"), ", havde ", _text("fem", "b"), "."])
    assert sentence == "Af de 15, havde fem."
    assert [p.name for p in sentence.parts if isinstance(p, FactText)] == ["a", "b"]
    assert not [p for p in sentence.parts if isinstance(p, TracedText)]


@pytest.mark.parametrize(("main", "other", "unit", "expected"), [
    ("40 %", "2 ud af 5", "", "40 % (2 ud af 5)"),
    ("50 %", "4", "unge", "50 % (4 unge)"),
    (HIDDEN_SHARE, f"{HIDDEN_COUNT} ud af {HIDDEN_COUNT}", "", f"{HIDDEN_SHARE} ({HIDDEN_COUNT} ud af {HIDDEN_COUNT})"),
    (NO_ANSWERS, NO_ANSWERS_COUNT, "", NO_ANSWERS),
    (NO_ANSWERS, NO_ANSWERS_COUNT, "unge", NO_ANSWERS),
    (NO_ANSWERS_COUNT, NO_ANSWERS, "", f"{NO_ANSWERS_COUNT} (ingen har svaret)"),
    ("8 ud af 28", "29 %", "", "8 ud af 28 (29 %)"),
])
def test_aside_says_why_once(main, other, unit, expected):
    out = _text(main).aside(_text(other, "y"), unit)
    assert out == expected
    assert out.count("(") == out.count(")") <= 1


@pytest.mark.parametrize(("text", "expected"), [
    ("0 %", "0 %"), (HIDDEN_SHARE, HIDDEN_SHARE), ("<3 unge", "<3 unge"),
    (NO_ANSWERS, "en ukendt andel"), (NO_ANSWERS_COUNT, NO_ANSWERS_COUNT),
])
def test_in_brackets_drops_the_bracketed_reason(text, expected):
    assert _text(text).in_brackets() == expected


def test_words_of_a_count_of_nobody_is_ingen(make_edition):
    """"havde ingen været i indsatsen", never "havde nul været"; the digits elsewhere are unchanged."""
    f = facts(hand_made(make_edition))
    assert f.followup_enrolled_n == "ingen" and f.words("followup_enrolled_n") == "ingen"
    assert f.words("followup_n") == "ti" and f.words(0) == "nul"  # a plain number keeps its word


@pytest.mark.twin
def test_the_mean_duration_is_whole_months_in_words(ed):
    """"omkring ni måneder", as the 2025 edition prints it (published.yml registry.months_enrolled.mean):
    the fact declares decimals=0, and words() rounds to it (9,00 once printed as "9", 9,70 as "9,7")."""
    f = facts(ed)
    assert f.raw("duration_mean_months") == pytest.approx(8.998, abs=1e-3)
    assert f.fact("duration_mean_months").decimals == 0
    assert f.words("duration_mean_months") == "ni" and f.duration_mean_months == "9"
    chapter = (REPORT_DIR / "04-maalgruppen.qmd").read_text(encoding="utf-8")
    assert "i gennemsnit omkring `{python} f.words('duration_mean_months')` måneder" in chapter


# -- Table 9 without a model: the chapter says so once and describes no results -----------------------------

#: What only a shown model may be followed by: its reading, its table, its findings.
#: Words of a model's results. The section cites Table 9 in every case (the linter's rule: a table is cited
#: before it stands); without a model the table itself says why it shows none (withheld, or "–" with its notes).
RESULT_WORDS = ("odds ratio", "Den bygger på", "Der er tale om statistiske sammenhænge", "konfidensinterval")
NO_MODEL = re.compile(r"kunne ikke gennemføres|ikke vises|vises ikke|ikke beregnes|ingen analyse", re.IGNORECASE)


def _section(chapter: str, f, heading: str) -> list[str]:
    """The paragraphs of ``chapter`` from the one starting with ``heading`` up to the next ``###`` heading."""
    paras = chapter_prose(chapter, f)
    start = next(i for i, p in enumerate(paras) if p.startswith(heading))
    section = []
    for para in paras[start + 1:]:
        if para.startswith("#"):
            break
        section.append(para)
    return section


@pytest.mark.parametrize("min_cell", [0, 3])  # not fitted (too few), and withheld by the small-number rule
def test_chapter_7_without_a_model_says_so_once_and_shows_no_results(make_edition, min_cell):
    f = facts(hand_made(make_edition, min_cell=min_cell))
    assert not f.layer.regression.result.fitted
    section = _section("07-udbytte", f, "## Hvilke unge får mest ud af IPS UNG?")
    text = "\n\n".join(section)
    assert len(NO_MODEL.findall(text)) == 1, text
    assert not [w for w in RESULT_WORDS if w.lower() in text.lower()], text
    conclusion = "\n\n".join(chapter_prose("02-konklusion", f))
    assert "Der er tale om statistiske sammenhænge" not in conclusion


# -- a count of nobody in running text reads "ingen" ("Ingen er under udredning", never "0 er under udredning") ---

#: A bare zero as a count before a word: not part of a number ("10", "0,5"), a share ("0 %"), "0 ud af 5",
#: nor a scale's end ("fra 0 til 100", "0 (på intet tidspunkt)", "min_cell = 0").
ZERO_COUNT = re.compile(r"(?<![\d,.\w=–-])(?<!fra )0 (?!til\b|ud af\b|%)[a-zæøå]")


@pytest.mark.parametrize("min_cell", [0, 3])
def test_a_count_of_nobody_reads_ingen_in_every_chapter(make_edition, min_cell):
    f = facts(hand_made(make_edition, min_cell=min_cell))
    assert f.raw("followup_enrolled_n") == 0  # the value, for tables and the results bundle, stays a number
    bad = [para for chapter in CHAPTERS for para in chapter_prose(chapter, f) if ZERO_COUNT.search(para)]
    assert not bad, "\n\n".join(bad)
