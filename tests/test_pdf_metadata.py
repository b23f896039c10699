"""The PDF carries real metadata: title, author, subject, language and a creation date; it is PDF/UA-1.

PDF/UA-1 (ISO 14289-1) is what Typst exports (``render.typst.PDF_STANDARDS``);
Typst refuses a document that breaks it, so a render that succeeds is
conforming as far as Typst checks. The checks here read what a validator or
screen reader first looks at: the identification in the XMP metadata, the
tags, and that viewers display the title.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from ipsreport.paths import FIXTURES_DIR

pytestmark = pytest.mark.render


def test_pdf_metadata_is_real_and_reproducible(tmp_path, monkeypatch):
    from pypdf import PdfReader

    from ipsreport.render.engine import render_book

    root = tmp_path / "minibook"
    shutil.copytree(FIXTURES_DIR / "minibook", root)
    epoch = int(dt.datetime(2025, 6, 2, tzinfo=dt.timezone.utc).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = render_book(root, to="pdf", cache_dir=tmp_path / "cache")  # the minibook needs no hooks for a PDF
    reader = PdfReader(result.pdf)
    meta = reader.metadata
    assert meta.title and meta.author
    assert meta.creation_date.date() == dt.date(2025, 6, 2)
    assert str(reader.trailer["/Root"].get("/Lang", "")).startswith("da")
    assert_pdf_ua(reader)


def assert_pdf_ua(reader) -> None:
    """The PDF identifies itself as PDF/UA-1, is tagged, and a viewer shows its title, not its file name."""
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>|pdfuaid:part=\"1\"", xmp), "no PDF/UA-1 identification in the XMP"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root, "the PDF is not tagged"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]), "a viewer would show the file name, not the title"
    title = reader.metadata.title
    assert title and re.search(rf"<dc:title>.*{re.escape(title)}.*</dc:title>", xmp, re.S), "the title is not in the XMP"


def test_creation_timestamp_is_never_the_epoch(monkeypatch):
    from ipsreport.render.typst import creation_timestamp

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert creation_timestamp() > 1_700_000_000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748822400")
    assert creation_timestamp() == 1748822400


def test_typst_refuses_a_pdf_that_is_not_pdf_ua(tmp_path):
    """Under PDF/UA-1 an image without alt text stops the render with Typst's message, instead of an inaccessible PDF."""
    from ipsreport.render.typst import TypstCompileError, compile_book

    (tmp_path / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
        encoding="utf-8")
    meta = {"title": "Prøve", "lang": "da"}
    ok = compile_book(tmp_path, ['= Kapitel\n\n#image("chart.svg", alt: "Et sort kvadrat")'], meta, "ok.pdf")
    assert ok.exists()
    with pytest.raises(TypstCompileError, match="(?i)alt"):
        compile_book(tmp_path, ['= Kapitel\n\n#image("chart.svg")'], meta, "bad.pdf")
    assert not (tmp_path / "bad.pdf").exists()
