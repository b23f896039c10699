"""One typography in every word a reader sees: minus signs, en dashes, one apostrophe, copyable checksums.

The rules (``ipsreport.outputs.fmt``): a negative number starts with U+2212, never a
hyphen; a range of numbers is joined by an en dash ("2–4 måneder"); the
apostrophe is ’ (U+2019) throughout ("IPS UNG’s", "Tobias’"); the 2025
edition's numbers quoted in Bilag 8 take the decimal comma; no zero-width
character reaches the text, so a checksum copied from the PDF matches the
file's.

Unit checks pin the sources (linter, data texts, the break points of PDF
tables); the render checks read the whole book as printed: the HTML's
visible text, alt texts, tooltips and labels, and the PDF's text as
``pdftotext`` extracts it (what a reader copies).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from html import unescape
from pathlib import Path

import pytest
import yaml

from ipsreport.paths import CASES_DIR, CODEBOOK_PATH, PROJECT_DIR, PUBLISHED_PATH, SYNTHETIC_DIR

#: What the typography rules forbid in printed text, by name.
DEFECTS = {
    "a hyphen as minus sign": re.compile(r"(?:^|(?<=[\s(\[:;/=]))-\d"),
    "a hyphen in a range of numbers": re.compile(r"(?<![\w.,-])\d+(?:,\d+)?\s?-\s?\d"),
    "a straight apostrophe": re.compile(r"(?<=\w)'"),
    "a zero-width character": re.compile("[\u200b\u200c\u200d\u2060\ufeff]"),
}


def defects(text: str) -> list[str]:
    """``"rule: »…context…«"`` for each place ``text`` breaks a typography rule."""
    found = []
    for rule, pattern in DEFECTS.items():
        for m in pattern.finditer(text):
            context = text[max(0, m.start() - 30): m.end() + 20].replace("\n", " ")
            found.append(f"{rule}: »{context}«")
    return found


# ---------------------------------------------------------------- sources (unit lane)


def test_defects_finds_what_the_rules_forbid_and_nothing_else():
    bad = ["fra -0,61 til 0,96", "2-4 måneder", "(0-35)", "IPS UNG's egne", "Tobias' forløb", "b1186aa2\u200bcb971d72"]
    good = ["fra \u22120,61 til 0,96", "2–4 måneder", "WHO-5", "15–29-årige", "IPS UNG’s egne", "Tobias’ forløb",
            "95 %-konfidensinterval", "bilag-6-data", "1. maj 2025", "»n.s.«"]
    assert all(defects(t) for t in bad), [t for t in bad if not defects(t)]
    assert not [d for t in good for d in defects(t)]


def _strings(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*path, str(i)))
    elif isinstance(node, str):
        yield ".".join(path), node


_ISO_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


def test_danish_texts_in_the_data_folder_keep_the_typography():
    """Case files, the published numbers' explanations and the codebook's Danish texts (printed in the book).

    The edition's own words (``printed`` in the published numbers) are quoted
    as printed and set by :func:`ipsreport.outputs.fmt.house_typography` instead; the
    codebook's English ``description`` of each file and its pandas
    expressions are not printed.
    """
    sources = [*sorted(CASES_DIR.glob("*.yml")), PUBLISHED_PATH, CODEBOOK_PATH]
    problems = []
    for path in sources:
        for where, text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            leaf = where.rsplit(".", 1)[-1]
            english = path == CODEBOOK_PATH and where.startswith("datasets.") and leaf == "description"
            if _ISO_DATE.fullmatch(text) or leaf in ("printed", "asked_if", "forbidden", "when_true") or english:
                continue
            problems += [f"{path.name} {where}: {d}" for d in defects(text)]
    assert not problems, "\n".join(problems)


@pytest.mark.twin
def test_quoted_edition_numbers_in_bilag_8_take_decimal_commas(ed):
    """Tabel 16 quotes the 2025 edition's Table 9 (printed there as "[0.48; 3.04]") with decimal commas."""
    from ipsreport.outputs.tables import tab_audit

    html = tab_audit(ed).as_raw_html()
    printed = [unescape(c) for c in re.findall(r'<td headers="[^"]*printed"[^>]*>(.*?)</td>', html, re.S)]
    assert printed, "no »Trykt 2025« cells found"
    assert not [p for p in printed if re.search(r"\d\.\d", p)], printed
    assert "[1,16; 5,27]" in printed and "2,12" in printed
    assert "mellemkategorien (36–50): 25 %" in printed or not [p for p in printed if "36" in p]


@pytest.mark.twin
def test_every_figure_of_the_book_keeps_the_typography(ed):
    """Labels, ticks, annotations and notes of every chart the chapters draw (ipsreport.api's fig_*), cases too."""
    from matplotlib.text import Text

    import ipsreport.api as ips

    from ipsreport.outputs.items import FIGURES

    # The edition series (ipsreport.outputs.items.EDITION_FIGURES) needs earlier editions: tests/test_editions_twin.py.
    figures = [(name, getattr(ips, name)(ed)) for name, _ in FIGURES]
    figures += [(case.stem, ips.fig_case_timeline(case.stem)) for case in sorted(CASES_DIR.glob("*.yml"))]
    assert len(figures) >= 12
    problems = []
    for name, fig in figures:
        fig.draw_without_rendering()  # resolves tick labels
        texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
        problems += [f"{name}: {d}" for text in texts for d in defects(text)]
    assert not problems, "\n".join(problems)


def test_lint_flags_straight_apostrophes_and_hyphen_ranges(tmp_path):
    from ipsreport.book.lint import lint_chapters

    path = tmp_path / "kapitel.qmd"
    path.write_text(textwrap.dedent("""\
        # Kapitel {#sec-kapitel}

        Her står IPS UNG's egne tal, og forløbet varer 2-4 måneder for mange.

        Her står IPS UNG’s egne tal, og forløbet varer 2–4 måneder; WHO-5 og 15–29-årige er i orden.

        ```{python}
        #| label: fig-x
        #| fig-cap: "Tobias' forløb"
        #| fig-alt: "Tobias’ forløb på en tidslinje"
        ips.fig_x(d)
        ```

        @fig-x viser det.
        """), encoding="utf-8")
    problems = [(p.line, p.rule) for p in lint_chapters([path]) if p.rule in ("apostrophe", "range-dash")]
    assert sorted(problems) == [(3, "apostrophe"), (3, "range-dash"), (7, "apostrophe")]


def test_spss_labels_with_hyphens_match_the_codebooks_en_dashes():
    """An SPSS file labelling code 2 "2-4 måneder" agrees with the codebook's "2–4 måneder": no warning."""
    from ipsreport.inputs.codebook.codebook import load_codebook
    from ipsreport.inputs.load import Source
    from ipsreport.inputs.validate.file_warnings import label_warnings

    followup = load_codebook()["followup"]
    assert followup["duration"].values[2] == "2–4 måneder"
    same = Source("followup", Path("followup.sav"), None, "sav", value_labels={"duration": {2: "2-4 måneder"}})
    other = Source("followup", Path("followup.sav"), None, "sav", value_labels={"duration": {2: "4-6 måneder"}})
    assert label_warnings(same, followup) == []
    assert [w.rule for w in label_warnings(other, followup)] == ["værdimærker"]


def test_pdf_table_break_points_put_no_character_into_the_text():
    from ipsreport.render.typst import BREAK_POINT, break_points

    typ = break_points("table.cell[b1186aa2\u200bcb971d72], table.cell[n.\u200bs.], ci\\_\u200bmethod")
    assert "\u200b" not in typ
    assert typ == f"table.cell[b1186aa2{BREAK_POINT}cb971d72], table.cell[n.{BREAK_POINT}s.], ci\\_{BREAK_POINT}method"


# ---------------------------------------------------------------- the rendered book


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    if not shutil.which("pdftotext"):
        if os.environ.get("CI"):
            pytest.fail("poppler-utils (pdftotext) are missing in CI")
        pytest.skip("poppler-utils (pdftotext) not installed")
    out = tmp_path_factory.mktemp("typography")
    cmd = [sys.executable, "-m", "ipsreport", "render", "--data", str(SYNTHETIC_DIR), "--output", str(out)]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, capture_output=True, text=True)
    assert proc.returncode == 0, f"render failed:\n{proc.stdout}\n{proc.stderr}"
    return out


_NOT_TEXT = re.compile(r"<(script|style|code|pre)\b.*?</\1>", re.S | re.I)
_ATTRIBUTE = re.compile(r'\b(alt|title|aria-label)="([^"]*)"')


def visible_texts(html: str) -> list[tuple[str, str]]:
    """``(where, text)`` of what a reader sees or hears: body text (not code), alt texts, tooltips, labels."""
    html = _NOT_TEXT.sub(" ", html)
    out = [(name, unescape(value)) for name, value in _ATTRIBUTE.findall(html)]
    body = html[html.find("<body"):]
    out.append(("text", unescape(re.sub(r"<[^>]+>", "", body))))
    return out


def pdf_text(book: Path) -> str:
    pdf = next(book.glob("*.pdf"))
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.render
def test_html_text_keeps_the_typography(book):
    pages = sorted(book.glob("*.html"))
    assert len(pages) >= 15
    problems = [f"{page.name} ({where}): {d}" for page in pages
                for where, text in visible_texts(page.read_text(encoding="utf-8")) for d in defects(text)]
    assert not problems, "\n".join(problems)


#: Typst's contents and lists join the dot leader to the page number with a
#: WORD JOINER (U+2060), so the number never wraps alone; it is not in any
#: word a reader copies.
_LEADER_JOINER = re.compile(r"(?<=\. )\u2060(?=\d+\b|[ivxl]+\b)")


@pytest.mark.render
def test_pdf_text_keeps_the_typography(book):
    text = pdf_text(book)
    assert "Tabel 16" in text
    problems = defects(_LEADER_JOINER.sub("", text))
    assert not problems, "\n".join(problems)


@pytest.mark.render
def test_checksums_copied_from_the_pdf_and_the_html_match_the_files(book):
    """The data files' SHA-256 as a reader copies them: from the PDF (line by line) and from the web page."""
    sums = {hashlib.sha256(p.read_bytes()).hexdigest() for p in SYNTHETIC_DIR.glob("*.csv")}
    assert len(sums) == 3
    # pdftotext writes each printed line of a table cell on a line of its own; a
    # checksum wrapped over two or three lines is copied as those lines.
    copied = "".join(re.findall(r"^([0-9a-f]{8,64})$", pdf_text(book), re.M))
    assert {s for s in sums if s not in copied} == set()
    html = " ".join(text for page in book.glob("*.html") for _, text in visible_texts(page.read_text(encoding="utf-8")))
    assert {s for s in sums if s not in html} == set()
