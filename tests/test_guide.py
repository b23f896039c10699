"""The reading guide lists every chapter after the introduction and every appendix, from _quarto.yml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipsreport.book.guide import GuideError, book_files, heading, outline_key, reading_guide
from ipsreport.paths import PROJECT_DIR


def ids(markdown: str) -> list[str]:
    return [m.lower() for m in re.findall(r"^- @(Sec-[\w-]+):", markdown, re.M)]


def test_every_chapter_after_the_introduction_and_every_appendix_is_listed_in_book_order():
    chapters, appendices = book_files()
    after = chapters[chapters.index("report/01-indledning.qmd") + 1:]
    assert ids(reading_guide("chapters")) == [heading(PROJECT_DIR / rel)[1] for rel in after]
    assert ids(reading_guide("appendices")) == [heading(PROJECT_DIR / rel)[1] for rel in appendices]
    # Bilag 6 of the book (the fidelity appendix) was the one the hand-written guide skipped.
    assert "sec-fidelitet" in ids(reading_guide("appendices"))


def test_a_case_appendix_is_described_by_its_case_file():
    assert "- @Sec-case-katrine: Case Katrine (afklaring gennem virksomhedspraktik" in reading_guide("appendices")


def tiny_project(tmp_path: Path, appendix_title: str = "# Nyt bilag {#sec-nyt}") -> Path:
    (tmp_path / "report").mkdir()
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  title: T\n  chapters:\n    - report/01-indledning.qmd\n"
        "    - report/02-konklusion.qmd\n  appendices:\n    - report/bilag-nyt.qmd\n", encoding="utf-8")
    (tmp_path / "report/01-indledning.qmd").write_text("# Indledning {#sec-indledning}\n", encoding="utf-8")
    (tmp_path / "report/02-konklusion.qmd").write_text("# Konklusion {#sec-konklusion}\n", encoding="utf-8")
    (tmp_path / "report/bilag-nyt.qmd").write_text(appendix_title + "\n", encoding="utf-8")
    return tmp_path


def test_a_chapter_without_a_line_in_the_guide_stops_the_render_naming_it(tmp_path):
    root = tiny_project(tmp_path)
    assert reading_guide("chapters", project_dir=root).startswith("- @Sec-konklusion: ")
    with pytest.raises(GuideError, match="report/bilag-nyt.qmd is in _quarto.yml but has no line"):
        reading_guide("appendices", project_dir=root)


def test_a_chapter_without_a_heading_id_is_reported(tmp_path):
    root = tiny_project(tmp_path, appendix_title="# Nyt bilag")
    with pytest.raises(GuideError, match="has no id"):
        reading_guide("appendices", project_dir=root)


def test_the_outline_key_changes_with_the_chapter_list_and_the_headings(tmp_path):
    root = tiny_project(tmp_path)
    first = outline_key(root)
    assert first == outline_key(root)
    (root / "report/02-konklusion.qmd").write_text("# Konklusionen {#sec-konklusion}\n\nTekst.\n", encoding="utf-8")
    second = outline_key(root)
    assert second != first
    (root / "report/02-konklusion.qmd").write_text("# Konklusionen {#sec-konklusion}\n\nAnden tekst.\n",
                                                   encoding="utf-8")
    assert outline_key(root) == second  # prose below the heading does not matter
    config = root / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    - report/bilag-nyt.qmd\n", ""),
                      encoding="utf-8")
    assert outline_key(root) != second


def test_the_introduction_prints_the_guide_and_types_no_chapter_list():
    text = (PROJECT_DIR / "report/01-indledning.qmd").read_text(encoding="utf-8")
    assert 'ips.reading_guide("chapters")' in text and 'ips.reading_guide("appendices")' in text
    guide = text[text.index("# Læsevejledning"):] if "# Læsevejledning" in text else text
    assert not re.search(r"@Sec-(maalgruppen|job-uddannelse|mental-sundhed|udbytte)", guide)
