"""Provenance of the prose's numbers: a tooltip in the HTML, plain text everywhere else.

``f.<name>`` returns a :class:`~ipsreport.outputs.facts.fact.FactText`: an ordinary
string that also names the fact, its base and its source. The engine's
inline path (:func:`ipsreport.render.kernel_helpers.inline_attrs`,
:func:`ipsreport.render.outputs.inline_span`) turns its ``_inline_attrs_()``
into a pandoc span: the HTML page gets ``<span class="fact" tabindex="0"
title="…">``, the Typst/PDF text is the value alone.
"""

from __future__ import annotations

import json
import re
import pickle

import pytest

from ipsreport.outputs.facts import facts
from ipsreport.outputs.facts.fact import FactText
from ipsreport.render.kernel_helpers import inline_attrs
from ipsreport.render.outputs import inline_span
from ipsreport.render.pandoc import run_pandoc

NBSP = "\u00a0"


def test_a_number_is_a_plain_string_that_knows_its_source(fake):
    f = facts(fake)
    value = f.duration_over12_pct
    assert isinstance(value, FactText) and value == str(value)
    assert json.dumps(value) == json.dumps(str(value)) and repr(value) == repr(str(value))
    assert type(value + "") is str and type(f"{value}") is str
    assert pickle.loads(pickle.dumps(value)).provenance == value.provenance
    base = int(facts(fake).get_fact("duration_over12_pct").base)
    assert value.provenance == (f"Forløbets varighed – Over 12 måneder · N{NBSP}={NBSP}{base} · "
                                "Kilde: spørgeskemaet ved afslutning")
    assert value.name == "duration_over12_pct"
    assert value._inline_attrs_()["data-fact"] == "duration_over12_pct"  # for a reviewer's grep, not for the reader
    assert "2025" not in value.provenance  # the registry's note of the published value is left out


def test_words_and_share_words_carry_the_provenance_too(fake):
    f = facts(fake)
    assert f.share_words("success_pct").name == "success_pct"
    assert f.share_words("success_pct").provenance.startswith("Andel af de afsluttede, der afsluttede til job")
    assert f.words("registry_n").provenance.startswith("Unge i forløb i projektperioden")
    assert not isinstance(f.words(3), FactText)


def test_sentences_without_numbers_stay_plain(fake):
    assert type(facts(fake).evaluation_summary) is str


def test_a_hidden_base_is_not_printed(make_edition):
    ed = make_edition(followup=[{"duration": 7}, {"duration": 7}], min_cell=3)
    value = facts(ed).duration_over12_pct
    # Neither its size nor "under 3": a hidden base says nothing (ipsreport.analysis.disclosed.plan.marks).
    assert "N\u00a0=" not in value.provenance and "N under" not in value.provenance


def test_inline_span():
    assert inline_span("62 %", None) == "62 %"
    assert inline_span("  ", {"class": "fact"}) == "  "
    attrs = {"class": "fact", "tabindex": "0", "title": 'a "b" [c]\nd', "on click": "x"}
    assert inline_span("[62 %]", attrs) == '[\\[62 %\\]]{.fact tabindex="0" title="a \\"b\\" [c] d"}'


@pytest.mark.parametrize("value", ["62 %", "<3 unge", "-0,36", "2,20*"])
def test_html_gets_the_tooltip_and_typst_the_text_alone(fake, value):
    text = FactText(value, 'Kilde: "x" · N\u00a0=\u00a043')
    md = f"Andelen er {inline_span(value, inline_attrs(text))} i alt."
    plain = f"Andelen er {value} i alt."
    html = run_pandoc(md, "markdown", "html5")
    assert '<span class="fact" tabindex="0" title="Kilde: &quot;x&quot; · N\u00a0=\u00a043">' in html
    assert run_pandoc(md, "markdown", "typst") == run_pandoc(plain, "markdown", "typst")


def test_inline_attrs_ignores_plain_values_and_broken_hooks():
    class Broken(str):
        def _inline_attrs_(self):
            raise RuntimeError("no")

    assert inline_attrs("62 %") is None
    assert inline_attrs(62) is None
    assert inline_attrs(Broken("x")) is None
    assert inline_attrs(FactText("x")) is None  # no provenance, no span


TINY_QUARTO = """\
project:
  type: book
book:
  title: "Tiny"
  output-file: tiny
  chapters:
    - index.qmd
execute:
  echo: false
"""

TINY_CHAPTER = '''\
# Tal

```{python}
class Traced(str):
    def _inline_attrs_(self):
        return {"class": "fact", "tabindex": "0", "title": "Fakta: demo"}
v = Traced("62 %")
```

Andelen er `{python} v`, og `{python} "plain"` er plain.
'''


@pytest.mark.render
def test_engine_writes_the_span_in_html_only(tmp_path):
    from ipsreport.render.engine import render_book

    root = tmp_path / "tiny"
    root.mkdir()
    (root / "_quarto.yml").write_text(TINY_QUARTO, encoding="utf-8")
    (root / "index.qmd").write_text(TINY_CHAPTER, encoding="utf-8")
    out = tmp_path / "out"
    render_book(root, out, to="html")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<span class="fact" tabindex="0" title="Fakta: demo">62' in page
    assert "plain</span>" not in page and "er plain" in page


# --- Danish tooltips, numbers inside sentences ------------------------------------------------------------------

#: Words of English (or code) that have no place in a Danish tooltip; Danish homographs ("at", "for", "to") excluded.
ENGLISH = re.compile(r"\b(the|of|and|with|from|into|mean|survey|registry|setting|respondents|finished|enrolled|"
                     r"share|words|sentence|answer|base|still|who|which|number|rate|consultants?|caseload|"
                     r"wellbeing|loneliness|burden|psychological|mastery|placement|change)\b")
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def english_in(line: str) -> list[str]:
    """What makes a tooltip line not Danish: English words, internal keys, code marks."""
    return [*ENGLISH.findall(line), *SNAKE.findall(line), *(["`"] if "`" in line else [])]


def test_the_check_finds_what_the_2025_review_found():
    """The issue's examples fail the check; Danish lines pass."""
    assert english_in("finished into job, flexjob or education (registry); base: the finished · "
                      "Kilde: registry_counts (success)")
    assert english_in("setting `alpha`")
    assert not english_in("Andel af de afsluttede, der afsluttede til job · N\u00a0=\u00a043 · Kilde: projektets "
                          "registreringer og spørgeskemaerne")
    assert not english_in("Om de to andre er fulgt, kan vi ikke vide for 4 unge")


def test_every_fact_is_described_in_danish():
    """The registry's descriptions are the tooltips (and CONTRACT.md's meanings): Danish, no keys, no code."""
    from ipsreport.outputs.facts.registry import REGISTRY

    bad = {name: d.doc for name, d in REGISTRY.items() if english_in(re.sub(r"\(\d{4}: [^()]*\)$", "", d.doc))}
    assert not bad


def every_tooltip(f) -> dict[str, str]:
    lines = {}
    for name in f.names:
        value = getattr(f, name)
        if isinstance(value, FactText):
            lines[name] = value.provenance
        for part in getattr(value, "parts", ()):
            if isinstance(part, FactText):
                lines[f"{name}: {part}"] = part.provenance
    return lines


@pytest.mark.twin
@pytest.mark.parametrize("which", ["fake", "ed"])
def test_every_tooltip_is_danish(which, request):
    lines = every_tooltip(facts(request.getfixturevalue(which)))
    assert len(lines) > 100
    bad = {name: line for name, line in lines.items() if english_in(line)}
    assert not bad


def test_every_source_has_a_danish_label():
    from ipsreport.outputs.facts import sources
    from ipsreport.outputs.facts.provenance import SOURCE_LABELS

    constants = {getattr(sources, n) for n in sources.__all__ if n not in ("Source", "SOURCES")}
    assert constants == set(sources.SOURCES.values())  # the table's frame names reach every source
    assert set(sources.SOURCES) <= set(SOURCE_LABELS)
    assert not [label for label in SOURCE_LABELS.values() if english_in(label)]


@pytest.mark.twin
def test_every_number_in_a_generated_sentence_has_its_tooltip(ed):
    """Odds ratios, means, counts: a number inside a sentence fact is a traced part, never bare text."""
    from ipsreport.outputs.facts.traced import NUMBER, TracedText

    f = facts(ed)
    bare = {}
    for name in f.names:
        if f._defs[name].kind != "text":
            continue
        value = getattr(f, name)
        if isinstance(value, FactText):
            continue
        plain = "".join(str(p) for p in value.parts if not isinstance(p, FactText)) \
            if isinstance(value, TracedText) else value
        if NUMBER.search(plain):
            bare[name] = NUMBER.findall(plain)
    assert not bare
    odds = f.regression_result_sentence
    assert isinstance(odds, TracedText)
    traced = {str(p): p.provenance for p in odds.parts if isinstance(p, FactText)}
    assert traced[f.meaning_or].startswith("Odds ratio for vurdering af forløbets betydning (Tabel 9)")


def test_a_number_two_quantities_share_gets_no_tooltip():
    from ipsreport.outputs.facts.traced import TracedText, trace

    text = trace("Odds ratioen er 0,47 og grænsen 1,01.", {"0,47": None, "1,01": "Øvre grænse"})
    assert isinstance(text, TracedText) and text == "Odds ratioen er 0,47 og grænsen 1,01."
    assert [p.provenance for p in text.parts if isinstance(p, FactText)] == ["Øvre grænse"]
    assert trace("Ingen tal her.", {"1": "x"}) == "Ingen tal her."
    assert trace("WHO-5 i 2025-udgaven", {"5": "x", "2025": "y"}) == "WHO-5 i 2025-udgaven"  # names, not numbers


def test_each_number_of_a_sentence_gets_its_own_span_in_html_only():
    from ipsreport.outputs.facts.traced import TracedText
    from ipsreport.render.kernel import fill_inline

    value = TracedText(["odds ratioen er ", FactText("2,20", "Odds ratio for a", "a_or"), " og ",
                        FactText("2,24", "Odds ratio for b"), "."])
    attrs = inline_attrs(value)
    assert [t for t, _ in attrs] == ["odds ratioen er ", "2,20", " og ", "2,24", "."]
    md = fill_inline(["Her: ", ("x",)], [str(value)], [attrs])
    # A value that opens a sentence keeps its capital letter, in the first piece.
    assert fill_inline([("x",)], [str(value)], [attrs]).startswith("Odds ratioen er [2,20]{.fact")
    html = run_pandoc(md, "markdown", "html5")
    assert 'title="Odds ratio for a" data-fact="a_or">2,20</span>' in html
    assert 'title="Odds ratio for b">2,24</span>' in html
    assert run_pandoc(md, "markdown", "typst") == run_pandoc(f"Her: {value}", "markdown", "typst")


def test_the_words_before_a_shared_number_say_which_quantity_it_is():
    """'2,24' as an odds ratio and as another factor's upper bound: the cue before it decides; no cue, no tooltip."""
    from ipsreport.outputs.facts.traced import CUE_BOUND, CUE_ODDS_RATIO, TracedText, trace

    shared = {"2,24": (("Odds ratio for mestring", CUE_ODDS_RATIO), ("Øvre grænse for varighed", CUE_BOUND))}
    text = trace("mestring (odds ratio 2,24) og et interval fra 0,80 til 2,24.", shared)
    assert isinstance(text, TracedText)
    assert [p.provenance for p in text.parts if isinstance(p, FactText)] == [
        "Odds ratio for mestring", "Øvre grænse for varighed"]
    assert trace("Tallet 2,24 står alene.", shared) == "Tallet 2,24 står alene."
    assert not isinstance(trace("Tallet 2,24 står alene.", shared), TracedText)
