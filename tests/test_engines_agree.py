"""Real Quarto renders the same book as ipsreport's own engine.

Runs only when a ``quarto`` command is on PATH (Quarto >= 1.9); otherwise
every test here is skipped and says so. The whole report is rendered once by
each engine (``ipsreport render --engine quarto`` and ``ipsreport render``)
from a copy of the project, on the synthetic twin. Quarto takes minutes.

Checked: Quarto exits 0 and prints no warning; the HTML and the PDF of both
engines carry the same "Tabel N", "Figur N", "Bilag N", "kapitel N" and
"afsnit N.M" numbers and the same cover; Quarto's output has no escaped
entities, raw markdown or doubled periods after a reference.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ipsreport.paths import PROJECT_DIR

pytestmark = pytest.mark.render

QUARTO = shutil.which("quarto")

#: A warning line of Quarto, its Lua filters, Typst, pandoc or a kernel.
_WARNING = re.compile(r"\bWARN(ING)?\b|^\s*warning:|^\(W\)|\[WARNING\]", re.IGNORECASE)
#: A Quarto run from its source tree (not a release build) lacks the bundled
#: typst-gather helper and says so; that says nothing about the project.
_NOT_OURS = re.compile(r"typst-gather binary not found|Run \./configure\.sh")
_NUMBER = re.compile(r"\b(?:Tabel|Figur|Bilag|kapitel|afsnit)\s[0-9A-Z](?:[0-9]*)(?:\.[0-9]+)*")
#: What the project copy leaves out (outputs, caches, the environment).
_SKIP = shutil.ignore_patterns(".git", ".venv", "_book", ".ipsreport-cache", ".quarto", "__pycache__", "*.quarto_ipynb",
                               ".pytest_cache", "*.egg-info", "_freeze", "benchmarks", "notebooks")


def _html_text(html: str) -> str:
    """The page's own text: its ``<main>`` without navigation (each engine's chrome differs)."""
    main = re.search(r"<main\b.*?</main>", html, flags=re.S)
    html = main.group(0) if main else html
    html = re.sub(r"<script.*?</script>|<style.*?</style>|<nav\b.*?</nav>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("\xa0", " ")
    return " ".join(text.split())


def _pdf_pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((p.extract_text() or "").replace("\xa0", " ").split()) for p in PdfReader(pdf).pages]


def _numbers(text: str) -> set[str]:
    return {" ".join(m.split()) for m in _NUMBER.findall(text)}


def _render(root: Path, out: Path, *engine: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "ipsreport", "render", "--project", str(root), "--data", str(root / "data" / "synthetic"),
           "--output", str(out), *engine]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=1800, cwd=root)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """``(quarto_proc, quarto_out, own_out, project_copy)``: the report rendered by both engines."""
    if QUARTO is None:
        print("\nSKIPPED: quarto is not on PATH, so the Quarto engine was not compared with the own engine.")
        pytest.skip("quarto is not on PATH: the engines were not compared (install Quarto >= 1.9 to run this)")
    base = tmp_path_factory.mktemp("engines")
    root = base / "project"
    shutil.copytree(PROJECT_DIR, root, ignore=_SKIP)
    quarto = _render(root, base / "quarto", "--engine", "quarto")
    own = _render(root, base / "own")
    assert own.returncode == 0, own.stderr[-3000:]
    return quarto, base / "quarto", base / "own", root


def test_quarto_exits_0_without_warnings(books):
    proc, _, _, root = books
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    log = (proc.stdout + "\n" + proc.stderr).splitlines()
    warnings = [line for line in log if _WARNING.search(line) and not _NOT_OURS.search(line)]
    assert not warnings, "\n".join(warnings)
    # Quarto appends to .gitignore what it misses there; the project lists it already.
    assert (root / ".gitignore").read_bytes() == (PROJECT_DIR / ".gitignore").read_bytes()


def test_html_numbers_agree(books):
    proc, quarto, own, _ = books
    assert proc.returncode == 0
    ours = {p.relative_to(own).stem: _html_text(p.read_text(encoding="utf-8")) for p in own.rglob("*.html")}
    theirs = {p.stem: _html_text(p.read_text(encoding="utf-8")) for p in quarto.rglob("*.html")}
    assert set(ours) == set(theirs)
    for page, text in ours.items():
        assert _numbers(theirs[page]) == _numbers(text), page
    everything = " ".join(ours.values())
    for expected in [f"Tabel {n}" for n in range(1, 10)] + [f"Figur {n}" for n in range(1, 5)] + \
            [f"Bilag {n}" for n in range(1, 9)]:
        assert expected in everything, expected  # the 2025 edition's numbering
    assert not re.search(r"\b(?:Tabel|Figur) \d+\.\d+|\bBilag [A-H]\b", " ".join(theirs.values()))
    for page in quarto.rglob("*.html"):  # Quarto's chapter list: appendices numbered, not lettered
        assert not re.search(r'class="chapter-number">[A-Z]<', page.read_text(encoding="utf-8")), page.name


def test_pdf_numbers_and_cover_agree(books):
    proc, quarto, own, _ = books
    assert proc.returncode == 0
    (q_pdf,), (o_pdf,) = list(quarto.glob("*.pdf")), list(own.glob("*.pdf"))
    q_pages, o_pages = _pdf_pages(q_pdf), _pdf_pages(o_pdf)
    assert q_pages[0] == o_pages[0]  # the cover: title, edition, evaluator, funder, notice
    for fact in ("Udgave 2025", "Evaluering: DEFACTUM", "Finansieret af:", "Syntetiske data"):
        assert fact in q_pages[0], fact
    assert "januar" not in q_pages[0]
    q_text, o_text = " ".join(q_pages), " ".join(o_pages)
    assert _numbers(q_text) == _numbers(o_text)
    assert "&lt;" not in q_text and "&amp;" not in q_text
    assert q_text.count("**") == o_text.count("**")  # significance stars, no raw markdown
    assert not re.search(r"\b(?:Tabel|Figur|Bilag|kapitel|afsnit) [0-9.]*[0-9]\.\.", q_text)
