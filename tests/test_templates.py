"""The HTML book's templates (``ipsreport/render/assets/templates/``) print text as text.

Every piece of text a page takes from the book (titles, captions, alt
texts, UI words, file names) is handed a hostile string here; the written
page is parsed back with :mod:`html.parser` and must hold that string as
text or as an attribute's value, with no element or attribute it smuggled
in. The rendered twin in a browser: ``tests/test_text_is_text_render.py``.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ipsreport.render.crossref import Book, Chapter, Float
from ipsreport.render.html import float_html, write_page
from ipsreport.render.words import UI_WORDS

HOSTILE = """<script>alert(1)</script>"'><img src=x onerror=alert(2)> & &amp; javascript:alert(3) {{ 7*7 }}"""

#: The elements a page is made of (the template's, the body's given here); a smuggled one would show.
PAGE_TAGS = {"html", "head", "meta", "title", "link", "body", "div", "aside", "a", "span", "input", "label", "ul",
             "nav", "ol", "li", "main", "h1", "h2", "strong", "small", "script", "p"}


class Parsed(HTMLParser):
    """Elements with their attributes, and the text, of an HTML document."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def values(self, tag: str, attribute: str) -> list[str | None]:
        return [a.get(attribute) for t, a in self.elements if t == tag and attribute in a]


def chapter(page: str, title: str, appendix: bool = False, number: str | None = None) -> Chapter:
    return Chapter(source=Path(page).with_suffix(".qmd"), page=page, appendix=appendix, markdown="", floats=[],
                   title=title, number=number)


def hostile_page(tmp_path: Path, title: str) -> Parsed:
    book = Book(chapters=[chapter("index.html", title), chapter("b.html", title),
                          chapter("c.html", title, appendix=True, number="Bilag 1")],
                index={}, words={}, warnings=[])
    # pandoc's HTML of a chapter whose headings hold the text (pandoc escapes it).
    body = (f'<h1 id="sec-a">{html.escape(title)}</h1>\n<h2 id="sec-b&amp;c">{html.escape(title)}</h2>\n'
            f'<h2 id="sec-d">{html.escape(title)}</h2>\n<p>{html.escape(title)}</p>')
    words = {key: title for key in UI_WORDS}
    path = write_page(tmp_path, book, 1, body, title, lang=title, pdf_name=title, words=words)
    return Parsed(path.read_text(encoding="utf-8"))


def test_a_page_holds_hostile_text_as_text(tmp_path):
    page = hostile_page(tmp_path, HOSTILE)
    tags = {t for t, _ in page.elements}
    assert tags <= PAGE_TAGS and "img" not in tags
    # The only scripts are the book's own files.
    assert [a for t, a in page.elements if t == "script"] == [
        {"src": f"assets/{name}", "defer": None}
        for name in ("vendor/minisearch-7.2.0.js", "search-docs.js", "search.js", "tables.js")]
    assert not [name for _, a in page.elements for name in a if name.startswith("on")]
    # Each place the text goes holds it as written.
    assert page.values("html", "lang") == [HOSTILE]
    assert page.values("input", "placeholder") == [HOSTILE]
    assert page.values("input", "data-no-results") == [HOSTILE]
    assert page.values("nav", "aria-label") == [HOSTILE, HOSTILE, HOSTILE]  # chapters, page TOC, prev/next
    assert page.values("a", "href")[1] == HOSTILE  # the PDF link (the book title's link first)
    # <title> 2, book title, PDF link, menu, search label, 3 chapter links, appendix heading, TOC heading
    # and its 2 entries, the body's 4, previous and next (word and title each): 21.
    assert "".join(page.text).count(HOSTILE) == 21
    assert f"{HOSTILE} – {HOSTILE}" in page.text  # <title>
    toc = [a["href"] for t, a in page.elements if t == "a" and a.get("href", "").startswith("#")]
    assert toc == ["#sec-b&c", "#sec-d"]


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
       .map(str.strip).filter(bool))  # the page TOC strips a heading's text
def test_any_text_reads_back_as_written_and_leaves_the_page_as_it_is(tmp_path_factory, title):
    page = hostile_page(tmp_path_factory.mktemp("page"), title)
    # The same elements with the same attributes as for harmless text with the same spaces (the PDF
    # link's word is split at its last space).
    plain = hostile_page(tmp_path_factory.mktemp("plain"), "".join(c if c == " " else "x" for c in title))
    assert [(t, sorted(a)) for t, a in page.elements] == [(t, sorted(a)) for t, a in plain.elements]
    assert page.values("html", "lang") == page.values("input", "placeholder") == [title]
    assert "".join(page.text).count(title) >= 21


def test_a_figure_holds_hostile_caption_and_alt_text_as_text():
    fig = Float(kind="figure", label="fig-a", caption=HOSTILE, alt=HOSTILE, mime="svg", data="", number=1,
                word="Figur")
    parsed = Parsed(float_html(fig, "figures/fig-a.svg", words={"open_figure": HOSTILE}))
    assert [t for t, _ in parsed.elements] == ["figure", "a", "img", "figcaption"]
    assert parsed.values("img", "alt") == [HOSTILE]
    assert parsed.values("a", "title") == [HOSTILE]
    assert parsed.text == [f"Figur 1: {HOSTILE}"]


def test_a_table_holds_hostile_caption_words_and_file_names_as_text():
    table = Float(kind="table", label="tbl-a", caption=HOSTILE, alt=None, mime="html",
                  data="<table><tbody><tr><td>1</td></tr></tbody></table>", number=2, word="Tabel")
    words = {"scroll_hint": HOSTILE, "download_table": HOSTILE, "download_csv": HOSTILE, "download_xlsx": HOSTILE}
    parsed = Parsed(float_html(table, None, downloads=(HOSTILE, HOSTILE), words=words))
    assert [t for t, _ in parsed.elements] == ["figure", "figcaption", "p", "div", "table", "tbody", "tr", "td", "p",
                                               "a", "a"]
    assert parsed.values("div", "aria-label") == [f"Tabel 2: {HOSTILE}"]
    assert parsed.values("a", "href") == [HOSTILE, HOSTILE]
    assert parsed.text == [f"Tabel 2: {HOSTILE}", HOSTILE, "1", f"{HOSTILE}: ", HOSTILE, " · ", HOSTILE]
