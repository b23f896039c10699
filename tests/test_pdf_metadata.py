"""The PDF carries real metadata: title, author, subject, language and a creation date."""

from __future__ import annotations

import datetime as dt
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


def test_creation_timestamp_is_never_the_epoch(monkeypatch):
    from ipsreport.render.typst import creation_timestamp

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert creation_timestamp() > 1_700_000_000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748822400")
    assert creation_timestamp() == 1748822400
