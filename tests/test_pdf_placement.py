"""Where a table or figure stands in the PDF's flow of text (render/placement.py)."""

from __future__ import annotations

import pytest

from ipsreport.render.crossref import PLACEHOLDER
from ipsreport.render.gtable import header_rows, split_notes
from ipsreport.render.placement import place_floats

pytestmark = pytest.mark.unit

F0, F1 = PLACEHOLDER.format(n=0), PLACEHOLDER.format(n=1)


def order(md: str, *needles: str) -> list[int]:
    return [md.index(n) for n in needles]


def test_a_float_before_its_citation_moves_after_the_citing_paragraph():
    md = f"## A\n\nIntro.\n\n{F0}\n\nSom @tbl-x viser, er det sådan.\n\nSlut.\n"
    out = place_floats(md, {0: "tbl-x"})
    a, b, c = order(out, "Som @tbl-x", F0, "Slut.")
    assert a < b < c


def test_a_float_never_moves_into_another_section_or_a_box():
    # Cited first in the next section: it stays in its own section.
    md = f"## A\n\nIntro.\n\n{F0}\n\n## B\n\nSe @fig-y.\n"
    assert place_floats(md, {0: "fig-y"}) == md
    # Cited inside a case box: it lands after the whole box.
    md = f"## A\n\n{F0}\n\n::: {{.callout-note}}\n## Case\n\nSe @fig-y.\n\nMere.\n:::\n\nEfter.\n"
    out = place_floats(md, {0: "fig-y"})
    box_end = out.index(":::\n", out.index("Mere."))
    assert box_end < out.index(F0) < out.index("Efter.")


def test_a_float_inside_a_case_box_comes_out_after_the_box():
    md = f"## A\n\n::: {{.callout-note}}\n## Case\n\nTekst.\n\n{F0}\n\nMere.\n:::\n\nEfter.\n"
    out = place_floats(md, {})
    box_end = out.index(":::", out.index("Mere."))
    assert out.count(F0) == 1 and box_end < out.index(F0) < out.index("Efter.")


def test_a_float_cited_before_it_stays_where_the_source_puts_it():
    md = f"## A\n\nSe @tbl-x og @tbl-z.\n\nMere tekst.\n\n{F0}\n\n{F1}\n\nSlut.\n"
    assert place_floats(md, {0: "tbl-x", 1: "tbl-z"}) == md


def test_a_short_lead_in_is_kept_with_its_float():
    md = f"## A\n\nSe @fig-y.\n\n{F0}\n\nLang tekst.\n"
    out = place_floats(md, {0: "fig-y"}, keep_with=lambda p: f"[[{p}]]")
    assert f"[[Se @fig-y.]]\n\n{F0}" in out and "[[Lang" not in out
    # A list or a long paragraph is not wrapped.
    md = f"## A\n\n- Se @fig-y.\n\n{F0}\n"
    assert "[[" not in place_floats(md, {0: "fig-y"}, keep_with=lambda p: f"[[{p}]]")


def test_table_notes_are_taken_out_of_the_table():
    html = (
        "<table><thead><tr><th>a</th></tr><tr><th>b</th></tr></thead><tbody><tr><td>1</td></tr></tbody>"
        '<tfoot><tr><td class="gt_sourcenote">Anm.: <em>n</em> er små.</td></tr><tr><td> </td></tr></tfoot></table>'
    )
    table, notes = split_notes(html)
    assert "<tfoot" not in table and "Anm." not in table
    assert notes == ["Anm.: <em>n</em> er små."]
    assert header_rows(table) == 2
