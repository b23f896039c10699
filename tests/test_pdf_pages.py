"""The PDF's pages as a funder turns them: no gaps, floats where they are cited, plain notes.

One render of the shipped (synthetic) edition to PDF, then, page by page:

* no page but the book's last is less than ~40 % full (a chapter whose last
  page would be short is followed on that page by the next chapter);
* a table that breaks across pages starts with at least a quarter of a page
  (never its caption, header and one row at the foot of a page);
* every table and figure stands after its own section heading and after the
  first paragraph of its section that cites it, and never splits a sentence;
* the notes under a table are not zebra-striped like its data rows.

Page images come from poppler's ``pdftoppm`` and positions from
``pdftotext -bbox-layout``; the checks skip on a machine without poppler, but
never in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

from ipsreport.paths import PROJECT_DIR, SYNTHETIC_DIR
from test_pdf_metadata import assert_pdf_ua  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.render

#: The body area of an A4 page in points (book.typ: 2.6 cm top, 2.4 cm bottom margin).
PT_PER_CM = 72 / 2.54
TOP, BOTTOM = 2.6 * PT_PER_CM, 2.4 * PT_PER_CM
#: A page whose ink ends above this fraction of the body height is near-empty.
MIN_FULL = 0.40
#: The zebra fill of data rows (book.typ `ips-zebra`).
ZEBRA = (0xF3, 0xF6, 0xF9)
#: How notes under a table begin (GT source notes written by ipsreport.outputs.tables).
NOTE_START = re.compile(r"^(Anm\.|Note:|Kilde:|Bemærk:)")


@dataclass
class Line:
    page: int  # 0-based
    y: float  # top, points from the top of the page
    x: float
    text: str


def _poppler() -> None:
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        if os.environ.get("CI"):
            pytest.fail("poppler-utils (pdftoppm, pdftotext) are missing in CI")
        pytest.skip("poppler-utils (pdftoppm, pdftotext) not installed")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    _poppler()
    out = tmp_path_factory.mktemp("pdfbook")
    cmd = [sys.executable, "-m", "ipsreport", "render", "--data", str(SYNTHETIC_DIR), "--to", "pdf", "--output", str(out)]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, capture_output=True, text=True)
    assert proc.returncode == 0, f"render failed:\n{proc.stdout}\n{proc.stderr}"
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 1, pdfs
    return pdfs[0]


# ---------------------------------------------------------------- reading the PDF


def pdf_lines(pdf: Path) -> list[Line]:
    """Every text line of the body (running header and page number left out)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = []
    for page_no, page in enumerate(re.findall(r"<page\b(.*?)</page>", xml, re.S)):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        for attrs, body in re.findall(r"<line\b([^>]*)>(.*?)</line>", page, re.S):
            y = float(re.search(r'yMin="([\d.]+)"', attrs).group(1))
            x = float(re.search(r'xMin="([\d.]+)"', attrs).group(1))
            if y < TOP - 4 or y > height - BOTTOM:
                continue
            text = " ".join(unescape(w) for w in re.findall(r"<word\b[^>]*>(.*?)</word>", body, re.S))
            lines.append(Line(page_no, y, x, text))
    return lines


def page_images(pdf: Path, dest: Path, dpi: int = 40) -> list[Path]:
    """One PNG per page."""
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(dest / "p")], check=True)
    return sorted(dest.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))


def fullness(png: Path) -> float:
    """How far down the body area the ink reaches (0 = blank, 1 = to the bottom margin)."""
    import numpy as np
    from PIL import Image

    img = np.asarray(Image.open(png).convert("L"))
    height = img.shape[0]
    scale = height / 841.89
    top, bottom = int(TOP * scale), int(height - BOTTOM * scale)
    inked = np.nonzero((img[top:bottom] < 200).any(axis=1))[0]
    return 0.0 if inked.size == 0 else (inked[-1] + 1) / (bottom - top)


def chapter_starts(pdf: Path) -> list[int]:
    """0-based pages where a chapter or appendix (a level-1 outline entry) begins."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    return sorted({reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)})


def near_empty_pages(pdf: Path, work: Path) -> list[str]:
    """Pages less than :data:`MIN_FULL` full, the book's last page apart.

    The last page of a chapter counts too: a reader turning to a page with a
    few lines and a quotation on it sees a near-empty page, whatever the
    chapter structure. The book's last page may be short if it carries text;
    a page holding nothing but a table or figure (a float pushed past its
    text) never may.
    """
    images = page_images(pdf, work)
    lines = pdf_lines(pdf)
    bad = []
    for i, png in enumerate(images):
        full = fullness(png)
        if full >= MIN_FULL:
            continue
        prose = [ln for ln in lines if ln.page == i and _is_prose(ln)]
        if i == len(images) - 1 and prose:
            continue
        bad.append(f"page {i + 1} (PDF page) is {full:.0%} full" + ("" if prose else ", with no text of its own"))
    return bad


#: A table that breaks across pages has at least this share of the body height on its first page.
MIN_FIRST_PART = 0.25


def tables_starting_at_a_page_foot(lines: list[Line]) -> list[str]:
    """Tables that continue on the next page but have less than :data:`MIN_FIRST_PART` of a page on the first.

    A table continues when the next page opens with its header row again
    (the header repeats). Its first part runs from the caption to the foot
    of the page.
    """
    body = 841.89 - TOP - BOTTOM
    bad = []
    for i, line in enumerate(lines[:-1]):
        if not re.match(r"^Tabel \d+: ", line.text) or ". . ." in line.text:
            continue
        header = lines[i + 1]
        next_page = [ln for ln in lines if ln.page == line.page + 1]
        if header.page != line.page or not next_page or next_page[0].text != header.text:
            continue
        first_part = (841.89 - BOTTOM - line.y) / body
        if first_part < MIN_FIRST_PART:
            rows = sum(1 for ln in lines if ln.page == line.page and ln.y > header.y)
            bad.append(f"{line.text.split(':')[0]} starts at the foot of page {line.page + 1} "
                       f"({first_part:.0%} of the page, {rows} line(s) under its header) and goes on overleaf")
    return bad


_CAPTION = re.compile(r"^(Tabel|Figur) \d+: ")


def _is_prose(line: Line) -> bool:
    """A full-width line of running text (not a caption, a note or a label in a chart)."""
    return len(line.text) >= 50 and not _CAPTION.match(line.text) and not NOTE_START.match(line.text)


# ---------------------------------------------------------------- the source


@dataclass
class SourceFloat:
    kind: str  # "Tabel" | "Figur"
    caption: str
    section: str  # title of the heading the float stands under in the source


_HEADING = re.compile(r"^(#{1,4})\s+(.*?)\s*(\{[^}]*\})?\s*$")
_CAP = re.compile(r'^#\|\s*(tbl|fig)-cap:\s*"(.*)"\s*$')


def source_floats() -> list[SourceFloat]:
    """Captions of the report's tables and figures with the section they stand in."""
    out = []
    for qmd in sorted((PROJECT_DIR / "report").glob("*.qmd")):
        section, fence = None, False
        for line in qmd.read_text(encoding="utf-8").splitlines():
            if line.startswith("```"):
                fence = not fence
                continue
            m = _CAP.match(line) if fence else None
            if m and section:
                out.append(SourceFloat("Tabel" if m.group(1) == "tbl" else "Figur", m.group(2), section))
            h = None if fence else _HEADING.match(line)
            if h:
                section = h.group(2)
    return out


def _position(lines: list[Line], pattern: re.Pattern, after: int = 0) -> int | None:
    """Index of the first line from ``after`` on that matches (contents entries left out)."""
    for i in range(after, len(lines)):
        if ". . ." not in lines[i].text and pattern.match(lines[i].text):
            return i
    return None


def misplaced_floats(lines: list[Line], floats: list[SourceFloat], body_page: int) -> list[str]:
    """Floats before their section heading, before their first citation in it, or inside a sentence.

    ``body_page`` is the first page after the contents and the lists of
    tables and figures (0-based).
    """
    bad = []
    start = next(i for i, ln in enumerate(lines) if ln.page >= body_page)
    for fl in floats:
        cap = _position(lines, re.compile(rf"^{fl.kind} (\d+): {re.escape(fl.caption[:40])}"), after=start)
        if cap is None:
            bad.append(f"{fl.kind} »{fl.caption}«: caption not found in the PDF")
            continue
        number = re.match(rf"{fl.kind} (\d+)", lines[cap].text).group(1)
        title = re.escape(fl.section[:50]) + (r"\s*$" if len(fl.section) <= 50 else "")
        head = _position(lines, re.compile(rf"^((\d+(\.\d+)*|Bilag \d+:)\s+)?{title}"), after=start)
        if head is None:
            bad.append(f"{fl.kind} {number}: its section »{fl.section}« not found in the PDF")
            continue
        where = f"{fl.kind} {number} (page {lines[cap].page + 1})"
        if cap < head:
            bad.append(f"{where} stands before its section heading »{fl.section}« (page {lines[head].page + 1})")
            continue
        # The first citation within the float's section must come before the float.
        cite = re.compile(rf".*\b{fl.kind} {number}\b(?!:)")
        first = _position(lines, cite, after=head + 1)
        next_head = _position(lines, re.compile(r"^\d+(\.\d+)+\s+\S"), after=head + 1)
        if first is not None and first > cap and (next_head is None or first < next_head):
            bad.append(f"{where} stands before the paragraph that first cites it (page {lines[first].page + 1})")
        # The text just before the float ends a sentence (or is a heading/lead-in).
        prev = lines[cap - 1].text.rstrip() if cap > 0 else ""
        if prev and not (re.search(r"[.:!?»)\]](\s*\d{1,2})?$|^(\d+(\.\d+)*|Bilag \d+:)\s", prev) or _CAPTION.match(prev)):
            bad.append(f"{where} splits a sentence after »…{prev[-40:]}«")
    return bad


def striped_notes(pdf: Path, lines: list[Line], work: Path, dpi: int = 50) -> list[str]:
    """Note lines under tables that sit on a zebra-striped background."""
    import numpy as np
    from PIL import Image

    notes = [ln for ln in lines if NOTE_START.match(ln.text)]
    if not notes:
        return []
    images = page_images(pdf, work, dpi)
    bad = []
    for ln in notes:
        img = np.asarray(Image.open(images[ln.page]).convert("RGB")).astype(int)
        scale = img.shape[0] / 841.89
        y0, y1 = int(ln.y * scale), int((ln.y + 8) * scale)
        x0 = int(max(ln.x - 4, 0) * scale)
        band = img[y0:y1, x0 : x0 + int(40 * scale)]
        zebra = (np.abs(band - np.array(ZEBRA)).sum(axis=2) <= 6).mean() if band.size else 0.0
        if zebra > 0.3:
            bad.append(f"page {ln.page + 1}: the note »{ln.text[:40]}…« is striped like a data row")
    return bad


# ---------------------------------------------------------------- tests


def test_no_near_empty_page_inside_a_chapter(pdf, tmp_path):
    bad = near_empty_pages(pdf, tmp_path / "pages")
    assert not bad, "\n".join(bad)


def test_the_book_is_pdf_ua_and_shows_its_title(pdf):
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert_pdf_ua(reader)
    assert reader.metadata.title == "Evaluering af IPS UNG"


def test_no_table_starts_with_a_row_or_two_at_a_page_foot(pdf):
    lines = pdf_lines(pdf)
    assert any(re.match(r"^Tabel \d+: ", ln.text) for ln in lines)
    bad = tables_starting_at_a_page_foot(lines)
    assert not bad, "\n".join(bad)


def absent_captions() -> set[str]:
    """Captions of the table and figure cells that show nothing on the twin (an AbsentTable takes no number).

    A table without data, and the edition comparison's table and figure without an earlier edition.
    """
    import ipsreport.api as ips
    from ipsreport.outputs.tables.absent import AbsentTable

    ed = ips.edition(SYNTHETIC_DIR)
    found = set()
    for qmd in sorted((PROJECT_DIR / "report").glob("*.qmd")):
        for cell in re.findall(r"```\{python\}\n(.*?)```", qmd.read_text(encoding="utf-8"), re.S):
            cap = re.search(r'^#\|\s*(?:tbl|fig)-cap:\s*"(.*)"\s*$', cell, re.M)
            call = re.search(r"^ips\.((?:tab|fig)_\w+)\((d|r\.comparison)\)\s*$", cell, re.M)
            # The edition comparison's outputs take the run's comparison: None for the twin (no --previous).
            argument = ed if call is not None and call.group(2) == "d" else None
            if cap and call and isinstance(getattr(ips, call.group(1))(argument), AbsentTable):
                found.add(cap.group(1))
    return found


def test_tables_and_figures_stand_where_their_section_cites_them(pdf):
    absent = absent_captions()
    floats = [fl for fl in source_floats() if fl.caption not in absent]
    assert len(floats) >= 13, "the report's captions were not found in report/*.qmd"
    bad = misplaced_floats(pdf_lines(pdf), floats, chapter_starts(pdf)[0])
    assert not bad, "\n".join(bad)


def test_notes_under_tables_are_not_striped(pdf, tmp_path):
    lines = pdf_lines(pdf)
    assert any(NOTE_START.match(ln.text) for ln in lines), "no table note found (Tabel 9 has one)"
    bad = striped_notes(pdf, lines, tmp_path / "colour")
    assert not bad, "\n".join(bad)


def test_tables_and_figures_share_one_caption_style(pdf):
    """Captions of tables and figures have the same size and weight."""
    from pypdf import PdfReader

    styles: dict[str, set[tuple[float, bool]]] = {"Tabel": set(), "Figur": set()}

    def visit(text, cm, tm, font, size):
        m = re.match(r"(Tabel|Figur) \d+:", text.strip())
        if m and font:
            bold = "Bold" in str(font.get("/BaseFont", ""))
            styles[m.group(1)].add((round(size * tm[0] * cm[0], 1), bold))

    reader = PdfReader(pdf)
    for page in reader.pages[chapter_starts(pdf)[0] :]:
        page.extract_text(visitor_text=visit)
    assert styles["Tabel"] and styles["Figur"], styles
    assert styles["Tabel"] == styles["Figur"], f"caption styles (size, bold) differ: {styles}"
