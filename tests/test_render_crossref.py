"""Cross-reference numbering, Danish labels and Bilag numbering.

The numbers come from ``ipsreport/render/assets/numbering.lua``, the filter
Quarto runs too: :func:`build_book` runs its index pass, and a chapter's
conversion (``--lua-filter``) its chapter pass. The tests read both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipsreport.render.crossref import LABELS, build_book, with_index
from ipsreport.render.gtable import html_for_page, html_for_typst


def md(text):
    return {"kind": "markdown", "text": text, "line": 1}


def cell(label=None, out_type="html", data="<table><tr><td>1</td></tr></table>", **opts):
    options = {"label": label, "include": True, "output": True, "echo": False, **opts}
    return {"kind": "cell", "line": 3, "source": "x", "options": options, "outputs": [{"type": out_type, "data": data}]}


def html(book, index: int, extra: str = "") -> str:
    """Chapter ``index`` converted to HTML (the filter's chapter pass), ``extra`` markdown appended."""
    from ipsreport.render.html import convert_chapter

    ch = book.chapters[index]
    return convert_chapter(with_index(ch.markdown + "\n\n" + extra, book, ch, "html"), str(ch.source))


def refs(book, *labels: str, index: int = 0) -> list[str]:
    """What each ``@label`` reads (the link texts), written on chapter ``index``."""
    out = html(book, index, " ".join(f"@{label}" for label in labels))
    return re.findall(r'<a href="[^"]*">([^<]*)</a>', out.rsplit("<p>", 1)[-1])


def headings(text: str) -> list[str]:
    """The text of the ``<h1>``-``<h6>`` of converted HTML, outside callouts (their titles are divs)."""
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h\d[^>]*>(.*?)</h\d>", text)]


def make_book():
    chapters = [
        (Path("index.qmd"), {"blocks": [md("# Forord {.unnumbered}\n\nSe @tbl-a, @fig-b og @sec-bilag-x.")]}, False, "index.html"),
        (
            Path("01.qmd"),
            {"blocks": [md("# Indledning {#sec-intro}\n\n## Baggrund {#sec-bag}\n\n::: {.callout-note}\n## Ikke et afsnit\n:::\n"), cell("tbl-a", **{"tbl-cap": "Status"})]},
            False,
            "01.html",
        ),
        (
            Path("02.qmd"),
            {"blocks": [md("# Resultater\n\n## Første\n\n### Under {#sec-under}"), cell("fig-b", "svg", "<svg/>", **{"fig-cap": "Søjler", "fig-alt": "alt"}), cell("tbl-c")]},
            False,
            "02.html",
        ),
        (Path("b1.qmd"), {"blocks": [md("# Frederik {#sec-bilag-x}\n\n## Forløb {#sec-forlob}")]}, True, "b1.html"),
        (Path("b2.qmd"), {"blocks": [md("# Katrine"), cell("tbl-d")]}, True, "b2.html"),
    ]
    return build_book(chapters, DANISH)


#: The report's words, set in its _quarto.yml (the engine's defaults are English).
DANISH = {"tbl": "Tabel", "fig": "Figur", "chapter": "kapitel", "section": "afsnit", "appendix": "Bilag"}


def test_default_labels_are_english():
    assert LABELS == {"tbl": "Table", "fig": "Figure", "chapter": "Chapter", "section": "Section",
                      "appendix": "Appendix"}


def test_numbering_in_document_order():
    book = make_book()
    assert refs(book, "tbl-a", "fig-b", "tbl-c", "tbl-d") == ["Tabel 1", "Figur 1", "Tabel 2", "Tabel 3"]  # report-wide
    assert refs(book, "sec-intro", "sec-bag", "sec-under") == ["kapitel 1", "afsnit 1.1", "afsnit 2.1.1"]
    assert refs(book, "sec-bilag-x", "sec-forlob") == ["Bilag 1", "Bilag 1"]  # a section names its appendix
    assert not book.warnings


def test_chapter_titles_and_bilag_numbers():
    book = make_book()
    titles = [c.display_title for c in book.chapters]
    assert titles == ["Forord", "1 Indledning", "2 Resultater", "Bilag 1: Frederik", "Bilag 2: Katrine"]
    assert headings(html(book, 4)) == ["Bilag 2: Katrine"]
    assert headings(html(book, 3)) == ["Bilag 1: Frederik", "Forløb"]  # appendix sections: no numbers
    chapter = html(book, 1)
    assert '<h2 id="sec-bag">1.1 Baggrund</h2>' in chapter
    # A heading inside a callout is the callout's title, not a section.
    assert headings(chapter) == ["1 Indledning", "1.1 Baggrund"]
    assert '<div class="callout-title">\nIkke et afsnit\n</div>' in chapter
    assert headings(html(book, 2)) == ["2 Resultater", "2.1 Første", "2.1.1 Under"]


def test_captions_carry_numbers():
    book = make_book()
    fl = book.chapters[1].floats[0]
    assert fl.caption_text == "Tabel 1: Status"
    assert book.chapters[2].floats[0].caption_text == "Figur 1: Søjler"
    assert book.chapters[2].floats[0].alt == "alt"


def test_resolve_refs_html_and_typst():
    from ipsreport.render.typst import convert_chapter

    book = make_book()
    assert ('<p>Se <a href="01.html#tbl-a">Tabel 1</a>, <a href="02.html#fig-b">Figur 1</a> og '
            '<a href="b1.html#sec-bilag-x">Bilag 1</a>.</p>') in html(book, 0)
    assert '<a href="#tbl-a">Tabel 1</a>' in html(book, 1, "@tbl-a")  # same page: the anchor only
    ch = book.chapters[0]
    typ = convert_chapter(with_index("@Sec-intro og [-@tbl-c] og `@tbl-a` og a@tbl-a.dk", book, ch, "typst"), "x")
    assert typ.strip() == "#link(<sec-intro>)[Kapitel 1] og #link(<tbl-c>)[2] og `@tbl-a` og a\\@tbl-a.dk"


def test_unknown_reference_is_flagged():
    chapters = [(Path("k.qmd"), {"blocks": [md("# K\n\nSe @tbl-findes-ikke og @smith2020.")]}, False, "k.html")]
    book = build_book(chapters, DANISH)
    out = html(book, 0)
    assert "<strong>?@tbl-findes-ikke</strong>" in out
    assert book.warnings == ["k.qmd: unknown cross-reference @tbl-findes-ikke"]
    assert "@smith2020" in out  # not a cross-reference: left alone


GT_HTML = """<div id="abc"><style>#abc table { color: red; }</style>
<table class="gt_table"><thead>
<tr><th class="gt_col_heading gt_left" rowspan="2">Kategori</th><th class="gt_center" colspan="2"><span class="gt_column_spanner">Deltagere</span></th></tr>
<tr><th class="gt_col_heading gt_right">Antal</th><th class="gt_col_heading gt_right">Andel</th></tr></thead>
<tbody><tr><td class="gt_row gt_left">A</td><td class="gt_row gt_right">8<span class="gt_footnote_marks">1</span></td><td class="gt_row gt_right">19 %</td></tr></tbody>
<tfoot><tr><td colspan="3">Kilde</td></tr></tfoot></table></div>"""


def test_gt_html_for_page_drops_gt_css():
    out = html_for_page(GT_HTML)
    assert out.startswith("<table") and "<style" not in out


def test_gt_html_to_typst_keeps_structure():
    from ipsreport.render.pandoc import run_pandoc

    typ = run_pandoc(html_for_typst(GT_HTML, "Tabel 4: Status", "tbl-x"), "html", "typst")
    assert "caption: [Tabel 4: Status]" in typ
    assert "<tbl-x>" in typ
    assert "colspan: 2" in typ and "rowspan: 2" in typ  # spanner survives
    assert "Kilde" in typ  # source note survives (float_typst moves it under the table)
    assert "align: (left,right,right,)" in typ  # alignment survives
    assert "#super[1]" in typ  # footnote mark


def test_long_identifiers_may_wrap_in_typst_tables():
    out = html_for_typst("<table><tr><td>baseline.support_other.n.1 og 1.234</td></tr></table>", None, None)
    assert "baseline.\u200bsupport_\u200bother.\u200bn.\u200b1" in out
    assert "1.234" in out  # numbers are left alone


def test_checksums_and_sums_may_wrap():
    sha = "b1186aa2cb971d725c6bd0db2a1cd4e677e38d5f59e3e460b5ae4d983ad602cb"
    out = html_for_typst(f"<table><tr><td>{sha}</td><td>n.21+22+23</td><td>2025</td></tr></table>", None, None)
    assert "b1186aa2\u200bcb971d72\u200b" in out and out.count("\u200b") >= 7 + 2
    assert "21+\u200b22+\u200b23" in out
    assert ">2025<" in out  # short numbers are left alone
    page = html_for_page(f"<table><tr><td>baseline.age.n</td><td>{sha}</td></tr></table>")
    assert "baseline.<wbr>age.<wbr>n" in page and "b1186aa2<wbr>cb971d72" in page
    assert "\u200b" not in page  # copying a key from the web page gives the key


def test_wide_reference_tables_are_recognised():
    from ipsreport.render.gtable import is_wide_table

    def table(columns: int, text: str, rows: int = 3) -> str:
        row = "<tr>" + "".join(f"<td>{text}</td>" for _ in range(columns)) + "</tr>"
        return f"<table><thead><tr><th>x</th></tr></thead><tbody>{row * rows}</tbody></table>"

    assert is_wide_table(table(5, "x" * 30))  # 5 × 30 characters per row
    assert not is_wide_table(table(5, "12 %"))  # a percentage grid fits a phone
    assert not is_wide_table(table(2, "x" * 80))  # two columns wrap well enough
    assert not is_wide_table("<table></table>")


def test_charts_stay_in_the_text():
    from ipsreport.render.crossref import Float
    from ipsreport.render.typst import book_arguments, float_typst

    fl = Float("figure", "fig-a", "Søjler", "alt", "svg", "<svg/>", number=2)
    assert "placement" not in float_typst(fl, "figures/a.svg", "x")
    book = make_book()
    from ipsreport.render.typst import chapter_markdown_typst

    typ = chapter_markdown_typst(book, book.chapters[2], {(2, 0): "figures/b.svg"}, 2)
    assert "figures/b.svg" in typ and "placement" not in typ
    assert book_arguments({"title": "T", "notice": 'Syntetiske "data"', "lines": ["a"], "show_author": False,
                           "unknown": "x"}) == {
        "title": '"T"',
        "notice": '"Syntetiske \\"data\\""',
        "lines": '("a", )',
        "show-author": "false",
    }


def test_narrow_pdf_columns_are_widened_for_their_longest_word():
    from ipsreport.render.gtable import fit_column_widths

    table = (
        '<table><colgroup><col style="width:10%;"/><col style="width:5%;"/><col style="width:85%;"/></colgroup>'
        "<tbody><tr><td>id</td><td>kategori</td><td>kort tekst</td></tr>"
        '<tr><td colspan="3">Projektregistreringens_meget_lange_gruppeoverskrift</td></tr></tbody></table>'
    )
    widths = [float(w) for w in re.findall(r"width:([\d.]+)%", fit_column_widths(table))]
    # "kategori" (8 letters at 8 pt, plus the cell insets) needs about 10 % of
    # the A4 text column; the room comes from the widest column; the total
    # stays 100 %; a heading spanning all columns does not count.
    assert 9.5 <= widths[1] <= 11.5
    assert widths[0] == 10.0
    assert sum(widths) == pytest.approx(100.0)
    assert widths[2] < 85.0
    # Tables without fixed widths, or already wide enough, are left alone.
    auto = "<table><colgroup><col/><col/></colgroup><tbody><tr><td>a</td><td>b</td></tr></tbody></table>"
    assert fit_column_widths(auto) == auto
    roomy = table.replace("width:5%", "width:20%").replace("width:85%", "width:70%")
    assert fit_column_widths(roomy) == roomy


def test_identifiers_after_brackets_may_wrap():
    out = html_for_typst("<table><tr><td>followup[still_enrolled==1].duration.min</td></tr></table>", None, None)
    assert "].\u200bduration.\u200bmin" in out


def test_tables_stay_in_the_text_with_notes_under_them():
    from ipsreport.render.crossref import Float
    from ipsreport.render.typst import float_typst

    typ = float_typst(Float("table", "tbl-x", "Status", None, "html", GT_HTML, number=4, word="Tabel"), None, "x")
    assert typ.startswith("#ips-table(") and typ.rstrip().endswith("<tbl-x>")
    assert "placement" not in typ
    assert 'caption: [#"Tabel 4: Status"]' in typ
    assert "header-rows: 2" in typ  # spanner row + column labels
    assert "table.footer" not in typ and "notes: [" in typ and "Kilde" in typ  # a note is no table row


# Keys Quarto (1.9–1.11, src/resources/schema/document-crossref.yml) accepts
# under `crossref:`; the object is closed, so any other key stops `quarto render`.
QUARTO_CROSSREF_KEYS = {
    "custom", "chapters", "title-delim", "labels", "subref-labels", "ref-hyperlink",
    "appendix-title", "appendix-delim", "lof-title", "lot-title", "lol-title",
    *(f"{k}-{part}" for k in ("fig", "tbl", "eq", "lst", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr")
      for part in ("title", "prefix", "labels")),
    "sec-prefix", "sec-labels",
}


def test_project_crossref_keys_are_in_quartos_schema():
    import yaml

    from ipsreport import paths

    config = yaml.safe_load((paths.PROJECT_DIR / "_quarto.yml").read_text(encoding="utf-8"))
    unknown = set(config.get("crossref") or {}) - QUARTO_CROSSREF_KEYS
    assert not unknown, f"_quarto.yml crossref keys Quarto rejects: {sorted(unknown)}"


def test_project_labels_come_from_quarto_keys():
    from ipsreport import paths
    from ipsreport.render.config import load_project

    assert load_project(paths.PROJECT_DIR).labels == DANISH


def test_labels_are_read_from_quarto_keys(tmp_path):
    from ipsreport.render.config import load_project

    (tmp_path / "a.qmd").write_text("# A\n", encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text(
        "project: {type: book}\nbook: {chapters: [a.qmd]}\n"
        "crossref: {tbl-title: Tab., fig-title: Fig., sec-prefix: sektion}\n"
        "language: {crossref-ch-prefix: kap., crossref-apx-prefix: Appendiks, crossref-sec-prefix: ignoreret}\n",
        encoding="utf-8",
    )
    labels = load_project(tmp_path).labels
    assert labels == {"tbl": "Tab.", "fig": "Fig.", "chapter": "kap.", "section": "sektion", "appendix": "Appendiks"}
    chapters = [
        (Path("01.qmd"), {"blocks": [md("# Ind {#sec-ind}\n\n## Del {#sec-del}"), cell("tbl-a", **{"tbl-cap": "S"})]}, False, "01.html"),
        (Path("b.qmd"), {"blocks": [md("# Fred {#sec-fred}"), cell("fig-f", "svg", "<svg/>", **{"fig-cap": "F"})]}, True, "b.html"),
    ]
    book = build_book(chapters, labels)
    assert refs(book, "tbl-a", "fig-f") == ["Tab. 1", "Fig. 1"]
    assert refs(book, "sec-ind", "sec-del", "sec-fred") == ["kap. 1", "sektion 1.1", "Appendiks 1"]
    assert book.chapters[0].floats[0].caption_text == "Tab. 1: S"
    assert book.chapters[1].display_title == "Appendiks 1: Fred"


def test_labels_default_to_english(tmp_path):
    from ipsreport.render.config import load_project

    (tmp_path / "a.qmd").write_text("# A\n", encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text("project: {type: book}\nbook: {chapters: [a.qmd]}\n", encoding="utf-8")
    assert load_project(tmp_path).labels == LABELS


def test_a_table_cell_without_a_table_is_not_numbered_and_its_parenthetical_reference_goes():
    """A ``tbl-`` cell that prints a sentence instead of a table (no data) takes no number, is in no
    list, and a parenthetical reference to it disappears; the next table keeps the count."""
    chapters = [
        (Path("a.qmd"), {"blocks": [
            md("# Bilag {#sec-a}\n\nMålingerne indgår, når de findes (@tbl-none). Se også @tbl-next."),
            cell("tbl-none", "markdown", "Der er ingen målinger.", **{"tbl-cap": "Målinger"}),
            cell("tbl-next", **{"tbl-cap": "Næste"}),
        ]}, True, "a.html"),
    ]
    book = build_book(chapters, DANISH)
    assert refs(book, "tbl-next") == ["Tabel 1"]
    assert [f.label for f in book.chapters[0].floats] == ["tbl-next"]
    text = html(book, 0)
    assert 'Målingerne indgår, når de findes. Se også <a href="#tbl-next">Tabel 1</a>.' in text
    assert "Der er ingen målinger." in text
    assert not book.warnings


def test_a_bare_reference_to_a_table_that_is_not_shown_is_reported():
    chapters = [(Path("a.qmd"), {"blocks": [md("# A\n\nSe @tbl-none."), cell("tbl-none", "markdown", "Ingen data.")]},
                 False, "a.html")]
    book = build_book(chapters, DANISH)
    text = html(book, 0)
    assert "<p>Se .</p>\n<p>Ingen data.</p>" in text
    assert "@tbl-none" not in text and "?" not in text
    assert any("tbl-none" in w and "not shown" in w for w in book.warnings)


def test_quarto_lists_the_filter_the_engine_runs():
    """One numbering: the filter in ``_quarto.yml`` is the file the engine passes to pandoc."""
    import yaml

    from ipsreport import paths
    from ipsreport.render.pandoc import NUMBERING_LUA

    config = yaml.safe_load((paths.PROJECT_DIR / "_quarto.yml").read_text(encoding="utf-8"))
    listed = [f["path"] if isinstance(f, dict) else f for f in config["filters"]]
    numbering = [(paths.PROJECT_DIR / f).resolve() for f in listed if f.endswith("numbering.lua")]
    assert numbering == [NUMBERING_LUA.resolve()]
    assert next(f for f in config["filters"] if isinstance(f, dict) and f["path"].endswith("numbering.lua"))["at"] \
        == "pre-quarto"


QUARTO_BOOK = {
    "_quarto.yml": "project: {type: book}\nbook:\n  chapters: [index.qmd, a.qmd, b.qmd]\n  appendices: [c.qmd]\n"
                   "crossref: {tbl-title: Tabel, fig-title: Figur, sec-prefix: afsnit, appendix-title: Bilag}\n"
                   "language: {crossref-ch-prefix: kapitel}\n",
    "index.qmd": "# Forord {.unnumbered}\n",
    "a.qmd": "# Alfa {#sec-alfa}\n\n```{python}\n#| label: tbl-x\n#| tbl-cap: X\n```\n\n"
             "![F](f.png){#fig-y}\n",
    "b.qmd": "# Beta\n\n## Første {#sec-forste}\n\n```{python}\n#| label: tbl-z\n```\n\n"
             "Se @tbl-x, @tbl-z, @fig-y, @Sec-alfa, [-@sec-forste] og @sec-cedric.\n",
    "c.qmd": "# Cedric {#sec-cedric}\n\n```{python}\n#| label: tbl-w\n```\n",
}


def _quarto_run(tmp_path, page: str, fmt: str) -> str:
    """``page`` converted by pandoc with numbering.lua as Quarto runs it: a stand-in ``quarto`` global
    (the parts of Quarto's Lua API the filter uses) makes the filter take its Quarto input."""
    import subprocess

    from ipsreport.render.pandoc import NUMBERING_LUA, pandoc_path

    for name, text in QUARTO_BOOK.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    wrapper = tmp_path / "as_quarto.lua"
    wrapper.write_text(
        f"quarto = {{ project = {{ directory = {str(tmp_path)!r} }},\n"
        f"  doc = {{ input_file = {str(tmp_path / page)!r}, is_format = function(f) return f == {fmt!r} end }},\n"
        "  json = pandoc.json }\n"
        f"return dofile({str(NUMBERING_LUA)!r})\n", encoding="utf-8")
    out = subprocess.run([pandoc_path(), str(tmp_path / page), "-f", "markdown", "-t", fmt, "--wrap=none", "--lua-filter",
                          str(wrapper)], capture_output=True, text=True, check=True)
    return out.stdout


def test_the_filter_numbers_quartos_book_from_the_sources(tmp_path):
    """Under Quarto the same filter reads the chapter sources: tables through the book, "Bilag 1",
    references as links to the other pages (no-break space after the word, as Quarto's own)."""
    out = _quarto_run(tmp_path, "b.qmd", "html")
    nb = "\u00a0"
    assert (f'Se <a href="a.qmd#tbl-x">Tabel{nb}1</a>, <a href="#tbl-z">Tabel{nb}2</a>, '
            f'<a href="a.qmd#fig-y">Figur{nb}1</a>, <a href="a.qmd#sec-alfa">Kapitel{nb}1</a>, '
            f'<a href="#sec-forste">2.1</a> og <a href="c.qmd#sec-cedric">Bilag{nb}1</a>.') in out
    assert f"Bilag{nb}1: Cedric" in _quarto_run(tmp_path, "c.qmd", "html")
    typ = _quarto_run(tmp_path, "b.qmd", "typst")
    assert "[2 Beta]" in typ and "[2.1 Første]" in typ  # the house template numbers no headings


def test_a_callouts_heading_is_no_section_in_the_index_either():
    """The index pass counts sections as the chapter pass numbers them: a callout's title is skipped."""
    chapters = [(Path("a.qmd"), {"blocks": [md("# A\n\n## Før {#sec-for}\n\n::: {.callout-note}\n## Boks\n:::\n\n"
                                               "## Efter {#sec-efter}\n\n::: {.case}\n## I en kasse {#sec-kasse}\n:::\n")]},
                 False, "a.html")]
    book = build_book(chapters, DANISH)
    assert refs(book, "sec-for", "sec-efter", "sec-kasse") == ["afsnit 1.1", "afsnit 1.2", "afsnit 1.3"]
    assert headings(html(book, 0)) == ["1 A", "1.1 Før", "1.2 Efter", "1.3 I en kasse"]


def test_a_label_used_twice_is_reported():
    chapters = [(Path("a.qmd"), {"blocks": [md("# A {#sec-x}"), cell("tbl-t")]}, False, "a.html"),
                (Path("b.qmd"), {"blocks": [md("# B {#sec-x}"), cell("tbl-t")]}, False, "b.html")]
    book = build_book(chapters, DANISH)
    assert sorted(book.warnings) == ["b.qmd: duplicate label 'sec-x'", "b.qmd: duplicate label 'tbl-t'"]


def test_a_chapter_that_leaves_a_div_open_is_named():
    chapters = [(Path("a.qmd"), {"blocks": [md("# A\n\n::: {.callout-note}\nIkke lukket")]}, False, "a.html"),
                (Path("b.qmd"), {"blocks": [md("# B")]}, False, "b.html")]
    with pytest.raises(RuntimeError, match=r"^a\.qmd: a code block .* is not closed"):
        build_book(chapters, DANISH)
