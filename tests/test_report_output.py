"""The rendered report, checked as its readers would check it.

One render of the shipped (synthetic) edition with the pandoc engine, then:

* the PDF a funder receives: A4, text-searchable, fonts embedded, every
  chapter and Bilag in the outline, every table caption present;
* the HTML a reviewer reads, opened in a real browser (Playwright driving
  Debian's Chromium): pages load without console errors, no request leaves
  the machine, the 2025 edition's tables and figures are present and numbered
  as there (Tabel 1-9, Figur 1-4), internal links resolve, every image has
  alt text, and a phone-width viewport needs no horizontal scrolling.

Browser checks skip on a machine without Chromium, but never in CI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from ipsreport.paths import PROJECT_DIR, SYNTHETIC_DIR

pytestmark = pytest.mark.render


#: The 2025 edition's numbered tables, in order, by label.
TABLES = [
    "tbl-duration",
    "tbl-background",
    "tbl-status",
    "tbl-supports",
    "tbl-motivation",
    "tbl-resources",
    "tbl-evaluation",
    "tbl-exit",
    "tbl-regression",
]
FIGURES = ["fig-mastery", "fig-loneliness", "fig-who5", "fig-burden"]
CHAPTER_TITLES = [
    "Indledning",
    "Konklusion",
    "Evalueringen",
    "målgruppen",
    "arbejde og uddannelse",
    "mentale sundhed",
    "virksomme elementer",
]


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book")
    cmd = [sys.executable, "-m", "ipsreport", "render", "--data", str(SYNTHETIC_DIR), "--output", str(out)]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, capture_output=True, text=True, env={**os.environ, "CI": "true"})
    assert proc.returncode == 0, f"render failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.fixture(scope="module")
def pdf_path(book) -> Path:
    pdfs = sorted(book.glob("*.pdf"))
    assert len(pdfs) == 1, f"expected one PDF in {book}, found {pdfs}"
    return pdfs[0]


@pytest.fixture(scope="module")
def pages(book) -> list[Path]:
    found = sorted(book.glob("**/*.html"))
    assert (book / "index.html").exists()
    return found


# ---------------------------------------------------------------- PDF


def test_pdf_is_a4_and_text_searchable(pdf_path):
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    assert len(reader.pages) > 20
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, (width, height)
    text = "".join(page.extract_text() or "" for page in reader.pages[:5])
    assert "IPS UNG" in text
    assert any(ch in text for ch in "æøå")


def test_pdf_cover_says_the_data_are_synthetic(pdf_path):
    from pypdf import PdfReader

    cover = PdfReader(pdf_path).pages[0].extract_text() or ""
    assert "Syntetiske data" in cover
    assert "udfyldes" not in cover  # no placeholder reaches a funder


def test_pdf_fonts_are_embedded(pdf_path):
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    unembedded = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for desc in font.get("/DescendantFonts") or []:
                descriptors.append(desc.get_object().get("/FontDescriptor"))
            descriptors = [d.get_object() for d in descriptors if d is not None]
            if descriptors and not any(
                k in d for d in descriptors for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                unembedded.add(str(font.get("/BaseFont")))
    assert not unembedded


def _outline_titles(reader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def test_pdf_outline_lists_every_chapter_and_bilag(pdf_path):
    from pypdf import PdfReader

    titles = " | ".join(_outline_titles(PdfReader(pdf_path)))
    for word in CHAPTER_TITLES:
        assert word.lower() in titles.lower(), f"{word!r} missing from PDF outline: {titles}"
    for n in range(1, 8):
        assert f"Bilag {n}" in titles, f"Bilag {n} missing from PDF outline: {titles}"


def test_pdf_has_every_table_and_figure_caption(pdf_path):
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf_path).pages)
    for n in range(1, len(TABLES) + 1):
        assert re.search(rf"Tabel {n}\s*:", text), f"Tabel {n} caption missing in PDF"
    for n in range(1, len(FIGURES) + 1):
        assert re.search(rf"Figur {n}\s*:", text), f"Figur {n} caption missing in PDF"


def test_pdf_lists_tables_and_figures_after_the_contents_and_has_a_colophon(pdf_path):
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    front = "\n".join(page.extract_text() or "" for page in reader.pages[:4])
    assert "Tabeller" in front and "Figurer" in front
    # The first table and figure stand far later in the book: here they are list entries.
    assert "Tabel 1:" in front and "Figur 1:" in front
    text = "\n".join(page.extract_text() or "" for page in reader.pages[:8])
    assert "Kolofon" in text and "Sådan henvises til rapporten" in text
    meta = reader.metadata
    assert meta.author and meta.title and meta.creation_date.year > 1970


# ---------------------------------------------------------------- HTML


def test_html_pages_declare_danish_and_need_nothing_external(pages):
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<html[^>]*lang="da"', html), page.name
        for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
            if attr.startswith(("http://", "https://", "//")):
                # Links a reader may follow are fine; resources loaded by the page are not.
                tag = html[: html.find(attr)].rsplit("<", 1)[-1]
                assert tag.startswith("a "), f"{page.name} loads external resource {attr}"


def test_html_internal_links_resolve(pages, book):
    ids_by_page = {
        p.resolve(): set(re.findall(r'\bid="([^"]+)"', p.read_text(encoding="utf-8"))) for p in pages
    }
    broken = []
    for page in pages:
        for href in re.findall(r'<a[^>]+href="([^"]+)"', page.read_text(encoding="utf-8")):
            url = urlparse(href)
            if url.scheme or href.startswith("mailto:"):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page.resolve()
            if not target.exists():
                broken.append(f"{page.name}: {href} (no such file)")
            elif url.fragment and target.suffix == ".html" and url.fragment not in ids_by_page.get(target, set()):
                broken.append(f"{page.name}: {href} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_html_numbers_tables_and_figures_as_the_2025_edition(pages):
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    for n, label in enumerate(TABLES, start=1):
        block = re.search(rf'id="{label}".{{0,6000}}', text, flags=re.S)
        assert block, f"{label} missing from the HTML"
        assert re.search(rf"Tabel&nbsp;{n}|Tabel {n}", block.group(0)), f"{label} is not Tabel {n}"
    for n, label in enumerate(FIGURES, start=1):
        block = re.search(rf'id="{label}".{{0,200000}}', text, flags=re.S)
        assert block, f"{label} missing from the HTML"
        assert re.search(rf"Figur&nbsp;{n}|Figur {n}", block.group(0)), f"{label} is not Figur {n}"


# ---------------------------------------------------------------- browser



@pytest.mark.browser
def test_pages_load_cleanly_offline_with_alt_text(browser, pages):
    context = browser.new_context()
    external = []
    context.route(
        "**/*",
        lambda route: (route.continue_() if route.request.url.startswith("file:") else (external.append(route.request.url), route.abort())),
    )
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        missing_alt = page.eval_on_selector_all("img", "els => els.filter(e => !(e.getAttribute('alt') || '').trim()).map(e => e.src)")
        problems += [f"{path.name}: image without alt text: {src}" for src in missing_alt]
        # Images below the fold load lazily; ask for all of them as a reader scrolling would.
        broken_img = page.evaluate(
            """() => Promise.all([...document.images].map(img => {
                   img.loading = 'eager';
                   return img.decode().then(() => null, () => img.src);
               })).then(r => r.filter(Boolean))"""
        )
        problems += [f"{path.name}: image did not load: {src}" for src in broken_img]
    context.close()
    assert not external, f"requests to other sites: {external}"
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_phone_width_needs_no_horizontal_scroll(browser, pages):
    context = browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    wide = []
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client + 1:
            wide.append(f"{path.name}: page is {scroll}px wide at a {client}px viewport")
    context.close()
    assert not wide, "\n".join(wide)


def test_every_html_page_links_to_the_pdf(pages, book, pdf_path):
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'href="{pdf_path.name}"' in html, f"{page.name} has no link to the PDF"


@pytest.mark.browser
def test_search_finds_sections_offline(browser, pages):
    """Typing in the search box lists matching sections, from files opened directly (no server)."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    index = next(p for p in pages if p.name == "index.html")
    page.goto(index.as_uri())
    page.wait_for_load_state("load")
    page.fill("#search-input", "WHO-5")
    page.wait_for_selector("#search-results li a", timeout=5000)
    links = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    assert any(link.startswith("06-") for link in links), links
    page.fill("#search-input", "qzxqzx")
    page.wait_for_function("document.querySelector('#search-results').textContent.includes('Ingen resultater')")
    assert not errors, errors
    page.close()


@pytest.mark.browser
def test_phone_tables_scroll_with_a_cue_and_charts_keep_legible_text(browser, book):
    """At 390 px the grids of chapter 5 (Tabel 5-7) scroll inside their box with a swipe hint and a
    faded edge; at 1280 px they fit and say nothing. Charts keep a width where their text is legible."""
    seen = {}
    for width in (390, 1280):
        page = browser.new_page(viewport={"width": width, "height": 844})
        page.goto((book / "05-job-og-uddannelse.html").as_uri())
        page.wait_for_load_state("load")
        for label in ("tbl-motivation", "tbl-resources", "tbl-evaluation"):
            seen[label, width] = page.evaluate(
                """id => { const f = document.getElementById(id), box = f.querySelector('.table-scroll'),
                           hint = f.querySelector('.scroll-hint');
                     return {overflows: box.scrollWidth > box.clientWidth + 1, hint: !!hint && !hint.hidden,
                             mask: getComputedStyle(box).webkitMaskImage || getComputedStyle(box).maskImage,
                             page: document.documentElement.scrollWidth}; }""", label)
        page.goto((book / "06-mental-sundhed.html").as_uri())
        page.wait_for_load_state("load")
        chart = page.evaluate("() => document.querySelector('figure a.figure-link img').getBoundingClientRect().width")
        if width == 390:
            assert chart >= 500, f"a chart is squeezed to {chart}px on a phone (its text would be 5-6 px)"
        page.close()
    for (label, width), s in seen.items():
        assert s["page"] <= width, (label, width, s)  # the box scrolls, not the page
        if width == 390 and s["overflows"]:
            assert s["hint"] and s["mask"] not in ("none", ""), (label, s)
        if width == 1280:
            assert not s["overflows"] and not s["hint"], (label, s)
    assert any(s["overflows"] for (label, width), s in seen.items() if width == 390)


@pytest.mark.browser
def test_prose_numbers_show_their_provenance_on_focus(browser, book):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((book / "05-job-og-uddannelse.html").as_uri())
    page.wait_for_load_state("load")
    facts = page.locator("main span.fact")
    assert facts.count() >= 10
    first = facts.first
    title = first.get_attribute("title")
    assert "Kilde:" in title and first.get_attribute("tabindex") == "0"
    assert first.get_attribute("data-fact")  # the fact's name, for a reviewer; not in the reader's tooltip
    first.focus()
    shown = page.evaluate("() => getComputedStyle(document.activeElement, '::after').content")
    assert "Kilde:" in shown
    page.close()


def test_pdf_prints_the_numbers_without_their_tooltips(pdf_path):
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(pdf_path)).pages)
    assert "Kilde:" not in text and "tabindex" not in text and "{.fact" not in text


def _tooltips(pages) -> dict[str, str]:
    """Tooltip line -> the number it belongs to, over every page."""
    import html as htmlmod

    found = {}
    for page in pages:
        for m in re.finditer(r'<span class="fact" tabindex="0" title="([^"]*)"[^>]*>([^<]*)</span>',
                             page.read_text(encoding="utf-8")):
            found[htmlmod.unescape(m.group(1))] = htmlmod.unescape(m.group(2))
    return found


def test_every_tooltip_on_the_pages_is_danish(pages):
    from test_provenance import english_in

    lines = _tooltips(pages)
    assert len(lines) > 100
    assert not {line: number for line, number in lines.items() if english_in(line)}


def test_odds_ratios_in_chapter_7_carry_their_tooltips(book):
    text = (book / "07-udbytte.html").read_text(encoding="utf-8")
    traced = re.findall(r'title="Odds ratio for ([^"(]+)\(Tabel 9\)[^"]*"[^>]*>([\d,]+)</span>', text)
    assert len(traced) >= 2, traced


def test_the_reading_guide_names_every_chapter_and_appendix(book):
    from ipsreport.book.guide import book_files

    chapters, appendices = book_files()
    page = re.sub(r"<[^>]+>", " ", (book / "01-indledning.html").read_text(encoding="utf-8"))
    for n in range(1, len(appendices) + 1):
        assert re.search(rf"Bilag\s+{n}\s*:", page), n
    for n in range(2, 8):
        assert re.search(rf"Kapitel\s+{n}\s*:", page), n


def test_a_table_without_data_has_no_number(book, pdf_path):
    """The twin has no fidelity reviews: no table in their place, and the tables after keep a gapless count."""
    from pypdf import PdfReader

    page = (book / "bilag-6-fidelitet.html").read_text(encoding="utf-8")
    assert "gt-fidelity-reviews" not in page and "Fidelitetsmålinger: samlet score" not in page
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(pdf_path)).pages)
    numbers = sorted({int(n) for n in re.findall(r"Tabel (\d+):", text)})
    assert numbers == list(range(1, len(numbers) + 1))
    assert "Fidelitetsmålinger: samlet score" not in text
