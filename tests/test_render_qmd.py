"""Unit tests for the .qmd parser, cell options and inline expressions."""

from __future__ import annotations

import pytest

from ipsreport.render.qmd import CELL_OPTIONS, Cell, Markdown, QmdError, parse_qmd, split_inline

SRC = """---
title: "Kapitel"
---

# Titel {#sec-titel}

Tekst med `{python} f.n` og `kode`.

```{python}
#| label: tbl-x
#| tbl-cap: "En tabel"
#| output: asis
x = 1
print(x)
```

```python
# not a cell: `{python} nope`
```

Slut `{python} 1 + 1`.
"""


def test_front_matter_and_blocks():
    doc = parse_qmd(SRC, "k.qmd")
    assert doc.front_matter == {"title": "Kapitel"}
    kinds = [type(b) for b in doc.blocks]
    assert kinds == [Markdown, Cell, Markdown]
    cell = doc.cells[0]
    assert cell.line == 9  # line of the opening fence
    assert cell.code_line == 13  # first line after the three option lines
    assert cell.source == "x = 1\nprint(x)"
    assert cell.options["label"] == "tbl-x"
    assert cell.options["tbl-cap"] == "En tabel"
    assert cell.options["output"] == "asis"


def test_default_options():
    doc = parse_qmd("```{python}\n1\n```\n")
    opts = doc.cells[0].options
    assert opts == CELL_OPTIONS
    assert opts["echo"] is False and opts["include"] is True and opts["warning"] is True


def test_markdown_line_numbers():
    doc = parse_qmd(SRC)
    assert doc.blocks[0].line == 4
    assert doc.blocks[2].line == 16


def test_plain_code_block_is_not_a_cell():
    doc = parse_qmd(SRC)
    assert len(doc.cells) == 1
    assert "```python" in doc.blocks[2].text


def test_inline_expressions():
    parts = split_inline("A `{python} f.n` B `kode` C `{python} g(1, 'x')`.")
    assert parts == ["A ", ("f.n",), " B `kode` C ", ("g(1, 'x')",), "."]


def test_inline_inside_fenced_code_is_left_alone():
    text = "```\n`{python} nope`\n```\nyes `{python} 2`\n"
    parts = split_inline(text)
    assert ("nope",) not in parts
    assert ("2",) in parts


def test_bad_options_are_reported_with_line():
    with pytest.raises(QmdError, match=r"k.qmd:2: output must be"):
        parse_qmd("\n```{python}\n#| output: sometimes\n1\n```\n", "k.qmd")


def test_unclosed_cell():
    with pytest.raises(QmdError, match="not closed"):
        parse_qmd("```{python}\n1\n", "k.qmd")


def test_other_languages_rejected():
    with pytest.raises(QmdError, match=r"only ```\{python\}"):
        parse_qmd("```{r}\n1\n```\n", "k.qmd")


def test_execute_defaults_from_project_and_front_matter():
    src = "---\nexecute:\n  echo: true\n---\n```{python}\n1\n```\n```{python}\n#| warning: true\n#| echo: false\n2\n```\n"
    doc = parse_qmd(src, "k.qmd", defaults={"warning": False, "echo": False, "freeze": False})
    first, second = doc.cells
    assert first.options["warning"] is False  # from the project
    assert first.options["echo"] is True  # the chapter's front matter wins over the project
    assert second.options["warning"] is True and second.options["echo"] is False  # the cell wins
    assert "freeze" not in first.options  # only cell-level keys are taken


def test_inline_value_opening_a_sentence_is_capitalised():
    from ipsreport.render.outputs import capitalise_at_sentence_start as cap

    assert cap("", "en skjult andel") == "En skjult andel"
    assert cap("Tabel 2 viser baggrunden. ", "en skjult andel") == "En skjult andel"
    assert cap("- ", "ingen svar") == "Ingen svar"
    assert cap("Første afsnit.\n\n", "ingen") == "Ingen"
    assert cap("mens ", "en skjult andel") == "en skjult andel"  # mid-sentence stays
    assert cap("", "<3 unge") == "<3 unge" and cap("", "62 %") == "62 %"


def test_typography_filter_keeps_numbers_with_their_unit_and_uses_a_real_minus():
    from ipsreport.render.pandoc import TYPOGRAPHY_LUA, run_pandoc

    html = run_pandoc("Det er 57 % og -0,36 point; WHO-5, 3-12 og (-2).", "markdown", "html5",
                      ["--lua-filter", str(TYPOGRAPHY_LUA)], where="test")
    assert "57\u00a0%" in html and "\u22120,36" in html and "(\u22122)" in html
    assert "WHO-5" in html and "3-12" in html  # hyphens inside words and ranges stay
