"""Provenance of the prose's numbers: a tooltip in the HTML, plain text everywhere else.

``f.<name>`` returns a :class:`~ipsreport.facts.fact.FactText`: an ordinary
string that also names the fact, its base and its source. The engine's
inline path (:func:`ipsreport.render.kernel_helpers.inline_attrs`,
:func:`ipsreport.render.outputs.inline_span`) turns its ``_inline_attrs_()``
into a pandoc span: the HTML page gets ``<span class="fact" tabindex="0"
title="…">``, the Typst/PDF text is the value alone.
"""

from __future__ import annotations

import json
import pickle

import pytest

from ipsreport.facts import facts
from ipsreport.facts.fact import FactText
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
    base = int(facts(fake)._get("duration_over12_pct").base)
    assert value.provenance == (f"Forløbets varighed – Over 12 måneder · N{NBSP}={NBSP}{base} · "
                                f"Kilde: duration (duration = 7) · Fakta:{NBSP}duration_over12_pct")
    assert "2025" not in value.provenance  # the registry's note of the published value is left out


def test_words_and_share_words_carry_the_provenance_too(fake):
    f = facts(fake)
    assert "Fakta:\u00a0success_pct" in f.share_words("success_pct").provenance
    assert "Fakta:\u00a0registry_n" in f.words("registry_n").provenance
    assert not isinstance(f.words(3), FactText)


def test_sentences_stay_plain(fake):
    assert type(facts(fake).evaluation_summary) is str


def test_a_hidden_base_is_not_printed(make_edition):
    ed = make_edition(followup=[{"duration": 7}, {"duration": 7}], min_cell=3)
    value = facts(ed).duration_over12_pct
    # Neither its size nor "under 3": a hidden base says nothing (ipsreport.disclosed.plan.marks).
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
