"""Write the HTML site: one page per chapter, sidebar, page TOC, prev/next (templates: ``assets/templates/``)."""

from __future__ import annotations

import base64
import hashlib
import html as htmlmod
import re
import shutil
from pathlib import Path

from markupsafe import Markup

from ipsreport.render.crossref import Book, Chapter, Float, fill_placeholders, with_index
from ipsreport.render.gtable import html_for_page, is_wide_table
from ipsreport.render.pandoc import ASSETS_DIR, CALLOUTS_LUA, NUMBERING_LUA, TYPOGRAPHY_LUA, Conversion, convert_all
from ipsreport.render.templates import render_template
from ipsreport.render.words import UI_WORDS

#: The Content-Security-Policy of every page (a ``<meta>`` first in its head): scripts only from the
#: book's own files (no inline script, no ``on*`` attribute, no ``javascript:`` URL runs, whatever
#: reached the text), nothing from other sites, no plug-ins, no ``<base>``, no forms. Inline
#: styles stay allowed: great-tables and pandoc align table cells with ``style`` attributes.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
))
_CSP_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content="[^"]*script-src \'self\')')


def allow_inline_script(page: str, script: str) -> str:
    """``page`` with its policy also allowing one inline script of the book's own, by its SHA-256.

    For a script added to a page as it is served (the preview's reload
    script): every other inline script stays blocked.

    Parameters
    ----------
    page : str
        A page written by :func:`write_page`.
    script : str
        The exact text between ``<script>`` and ``</script>``.
    """
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return _CSP_META.sub(lambda m: f"{m[1]} 'sha256-{digest}'", page, count=1)


_H = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def _raw(content: str, fmt: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"\n\n{fence}{{={fmt}}}\n{content}\n{fence}\n\n"


_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def float_html(fl: Float, figure_src: str | None, downloads: tuple[str, str] | None = None,
               words: dict[str, str] | None = None) -> str:
    """HTML for one table or figure (``assets/templates/float.html.jinja``).

    ``downloads``: the table's (CSV, Excel) files, linked under it
    (:func:`ipsreport.render.downloads.write_downloads`). ``words``: the
    page's UI words (English when not given). A table box that overflows
    its column gets a swipe hint (``assets/tables.js`` shows it).
    """
    image = fl.mime in ("svg", "png")
    # great-tables' HTML, cleaned by gtable: markup the engine made, not text from a file.
    table = None if image else Markup(html_for_page(fl.data))
    return render_template(
        "float.html.jinja", image=image, src=figure_src, alt=fl.alt or fl.caption or "", label=fl.label,
        caption=fl.caption_text, kind=fl.kind, table=table, downloads=downloads, xlsx_mime=_XLSX_MIME,
        scroll="table-scroll table-wide" if table is not None and is_wide_table(table) else "table-scroll",
        words={**UI_WORDS, **(words or {})},
    )


def chapter_markdown_html(book: Book, ch: Chapter, figure_files: dict[tuple[int, int], str], index: int,
                          downloads: dict[str, tuple[str, str]] | None = None,
                          words: dict[str, str] | None = None) -> str:
    """The chapter's markdown with floats as raw HTML and the book's index in front (:func:`convert_chapter`).

    ``downloads``: table label -> (CSV, Excel) links; ``words``: UI words.
    """
    md = with_index(ch.markdown, book, ch, "html")
    downloads = downloads or {}

    def one(n: int) -> str:
        fl = ch.floats[n]
        return _raw(float_html(fl, figure_files.get((index, n)), downloads.get(fl.label or ""), words), "html")

    return fill_placeholders(md, one)


def convert_chapter(md: str, where: str) -> str:
    """pandoc markdown → HTML fragment: numbers and references (numbering.lua, first, while callouts
    are still divs), callouts, typography."""
    return convert_chapters([(md, where)])[0]


def convert_chapters(chapters: list[tuple[str, str]]) -> list[str]:
    """:func:`convert_chapter` for every ``(markdown, where)`` of a book, in one pandoc process."""
    filters = ("--lua-filter", str(NUMBERING_LUA), "--lua-filter", str(CALLOUTS_LUA), "--lua-filter", str(TYPOGRAPHY_LUA))
    return convert_all([Conversion(md, "markdown", "html5", (*filters, "--mathml"), where) for md, where in chapters])


def _toc(body: str, title: str) -> str:
    """The page's table of contents from its h2/h3 headings; empty for fewer than two."""
    entries = [(int(level), htmlmod.unescape(ident), htmlmod.unescape(_TAGS.sub("", text)).strip())
               for level, ident, text in _H.findall(body)]
    if len(entries) < 2:
        return ""
    return render_template("toc.html.jinja", entries=entries, title=title)


def _with_toc(body: str, title: str) -> str:
    """Place the page TOC right after the chapter title."""
    toc = _toc(body, title)
    if not toc:
        return body
    head, sep, rest = body.partition("</h1>")
    return f"{head}{sep}\n{toc}{rest}" if sep else toc + body


def write_page(
    out_dir: Path, book: Book, index: int, body: str, book_title: str, lang: str, pdf_name: str | None = None,
    words: dict[str, str] | None = None,
) -> Path:
    """Wrap a converted chapter in the page template and write it.

    ``pdf_name``: the book's PDF beside the pages; every page links to it.
    ``words``: the page's UI words (:func:`ipsreport.render.words.ui_words`;
    English when not given).
    """
    w = {**UI_WORDS, **(words or {})}
    pdf_long, _, pdf_short = w["download_pdf"].rpartition(" ")
    ch = book.chapters[index]
    page = render_template(
        "page.html.jinja",
        lang=lang,
        csp=Markup(CONTENT_SECURITY_POLICY),  # our constant, and its quotes must stay quotes
        page_title=f"{ch.display_title} – {book_title}" if ch.title else book_title,
        book_title=book_title,
        pdf_name=pdf_name, pdf_long=pdf_long, pdf_short=pdf_short,
        chapters=book.chapters, current=index,
        previous=book.chapters[index - 1] if index > 0 else None,
        next=book.chapters[index + 1] if index + 1 < len(book.chapters) else None,
        # pandoc's HTML of the chapter: pandoc escaped its text, and text from files reached the
        # markdown only through ipsreport.inputs.plaintext.
        body=Markup(_with_toc(body, w["on_this_page"])),
        words=w,
    )
    path = out_dir / ch.page
    path.write_text(page + "\n", encoding="utf-8")  # Jinja drops the template's last newline
    return path


_SECTION = re.compile(r'<h([123]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_MAIN = re.compile(r"<main[^>]*>(.*?)</main>", re.S)
_SKIP = re.compile(r"<(script|style|nav)\b.*?</\1>|<p class=\"(?:scroll-hint|table-downloads)\".*?</p>", re.S)


def search_documents(pages: list[Path]) -> list[dict[str, str]]:
    """One search document per section (h1-h3) of the written pages.

    Parameters
    ----------
    pages : list of Path
        The book's HTML pages, in book order.

    Returns
    -------
    list of dict
        ``id, page`` (``page.html#anchor``), ``chapter``, ``title`` and
        ``text`` (the section's visible text, tables and captions included).
    """
    docs: list[dict[str, str]] = []
    for page in pages:
        main = _MAIN.search(page.read_text(encoding="utf-8"))
        if main is None:
            continue
        body = _SKIP.sub(" ", main.group(1))
        heads = list(_SECTION.finditer(body))
        chapter = htmlmod.unescape(_TAGS.sub("", heads[0].group(3))).strip() if heads else page.stem
        for i, head in enumerate(heads):
            end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
            text = htmlmod.unescape(_TAGS.sub(" ", body[head.end():end]))
            docs.append({
                "id": f"{page.name}#{head.group(2)}",
                "page": f"{page.name}#{head.group(2)}",
                "chapter": chapter,
                "title": htmlmod.unescape(_TAGS.sub("", head.group(3))).strip(),
                "text": " ".join(text.split()),
            })
    return docs


def write_search_index(out_dir: Path, pages: list[Path]) -> Path:
    """Write ``assets/search-docs.js``: the sections the page search indexes.

    A script (not JSON) so the search also works from pages opened as files,
    where browsers refuse ``fetch``. MiniSearch builds the index in the page.
    """
    import json

    path = out_dir / "assets" / "search-docs.js"
    path.parent.mkdir(parents=True, exist_ok=True)
    docs = json.dumps(search_documents(pages), ensure_ascii=False, separators=(",", ":"))
    path.write_text(f"window.IPS_SEARCH_DOCS = {docs};\n", encoding="utf-8")
    return path


def copy_assets(out_dir: Path) -> None:
    """Copy the stylesheet and the DejaVu fonts (shipped with matplotlib)."""
    import matplotlib

    dst = out_dir / "assets"
    (dst / "fonts").mkdir(parents=True, exist_ok=True)
    shutil.copy2(ASSETS_DIR / "style.css", dst / "style.css")
    shutil.copy2(ASSETS_DIR / "search.js", dst / "search.js")
    shutil.copy2(ASSETS_DIR / "tables.js", dst / "tables.js")
    (dst / "vendor").mkdir(exist_ok=True)
    for vendored in (ASSETS_DIR / "vendor").iterdir():
        shutil.copy2(vendored, dst / "vendor" / vendored.name)
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSansMono.ttf"):
        shutil.copy2(ttf / name, dst / "fonts" / name)
    shutil.copy2(ttf / "LICENSE_DEJAVU", dst / "fonts" / "LICENSE_DEJAVU")
