"""convert_all: a book's conversions in one pandoc process give what the pandoc command gives, one by one."""

from __future__ import annotations

import subprocess

import pytest

from ipsreport.render.pandoc import (CALLOUTS_LUA, NUMBERING_LUA, TYPOGRAPHY_LUA, Conversion, PandocError, convert_all,
                                     pandoc_path)

FILTERS = ("--lua-filter", str(NUMBERING_LUA), "--lua-filter", str(CALLOUTS_LUA), "--lua-filter", str(TYPOGRAPHY_LUA))

CHAPTER = """# Kapitel {#sec-a}

Tekst med 12 % og $x^2$ og -3.

::: {.callout-note}
## Opsummering
En boks.
:::

| a | b |
|---|---|
| 1 | 2 |
"""

CONVERSIONS = [
    Conversion(CHAPTER, "markdown", "html5", (*FILTERS, "--mathml"), "kapitel.qmd"),
    Conversion(CHAPTER, "markdown-auto_identifiers", "typst", FILTERS, "kapitel.qmd"),
    Conversion("<table><tr><th>a</th></tr><tr><td>1</td></tr></table><p>Note</p>", "html", "typst"),
    Conversion("Kort tekst uden filtre.", "markdown", "plain"),
]


def _command(c: Conversion) -> str:
    """The pandoc command's output for one conversion (the oracle)."""
    cmd = [pandoc_path(), "-f", c.src, "-t", c.dst, "--wrap=none", *c.args]
    return subprocess.run(cmd, input=c.text, capture_output=True, text=True, encoding="utf-8", check=True).stdout


def test_one_process_gives_what_the_command_gives():
    assert convert_all(CONVERSIONS) == [_command(c) for c in CONVERSIONS]


def test_a_failing_conversion_names_its_chapter():
    bad = Conversion("tekst", "markdown", "html5", ("--lua-filter", "/no/such/filter.lua"), "bilag-9.qmd")
    with pytest.raises(PandocError, match="bilag-9.qmd"):
        convert_all([CONVERSIONS[3], bad])


def test_an_option_the_batch_cannot_run_is_refused():
    with pytest.raises(ValueError, match="--standalone"):
        convert_all([Conversion("x", "markdown", "html5", ("--standalone",))])


def test_shared_out_over_processes_the_order_is_kept():
    """processes=2 deals the conversions out over two pandoc processes; the outputs come back in order."""
    many = [Conversion(f"Afsnit {i}.", "markdown", "html5") for i in range(7)]
    assert convert_all(many, processes=2) == convert_all(many) == [f"<p>Afsnit {i}.</p>\n" for i in range(7)]
