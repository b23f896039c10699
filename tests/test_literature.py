"""Every source the book cites is in Litteratur, and every entry there is cited.

Sources are cited in footnotes (``[^key]: Forfatter (år): *Titel*. …`` or a
footnote with the source's web address); the reference list is
``report/litteratur.qmd``, one paragraph per source: ``Forfatter (år):
*Titel* …`` with its address where it has one. A footnote that names no
source, or a source missing from the list, fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipsreport.paths import PROJECT_DIR, REPORT_DIR

LITERATURE = REPORT_DIR / "litteratur.qmd"
_ENTRY = re.compile(r"^(?P<author>[^*\n]+?)(?: \((?P<year>\d{4})\))?: \*(?P<title>[^*]+)\*")
_FOOTNOTE = re.compile(r"^\[\^(?P<key>[^\]]+)\]:\s*(?P<text>.+)$", re.M)
_URL = re.compile(r"<(https?://[^>\s]+)>")


def entries() -> list[dict]:
    """The reference list's paragraphs that name a source."""
    text = LITERATURE.read_text(encoding="utf-8")
    found = []
    for paragraph in re.split(r"\n\s*\n", text):
        match = _ENTRY.match(paragraph.strip())
        if match:
            found.append({**match.groupdict(), "urls": _URL.findall(paragraph), "text": paragraph.strip()})
    return found


def chapters() -> list[Path]:
    return sorted([PROJECT_DIR / "index.qmd", *REPORT_DIR.glob("*.qmd")])


def footnotes() -> list[tuple[str, str, str]]:
    """(file, key, text) of every footnote definition in the book."""
    out = []
    for path in chapters():
        for m in _FOOTNOTE.finditer(path.read_text(encoding="utf-8")):
            out.append((path.name, m.group("key"), m.group("text")))
    return out


def cited_entry(text: str, listed: list[dict]) -> dict | None:
    """The reference-list entry a footnote cites: by web address, or by author, year and title."""
    for url in _URL.findall(text):
        for entry in listed:
            if url in entry["urls"]:
                return entry
    match = re.match(r"(?P<author>[^:*]+?) \((?P<year>\d{4})\): \*(?P<title>[^*]+)\*", text)
    if match:
        for entry in listed:
            if (entry["year"] == match["year"] and entry["author"].strip() == match["author"].strip()
                    and entry["title"].startswith(match["title"].rstrip("."))):
                return entry
    return None


def test_the_reference_list_has_entries():
    listed = entries()
    assert len(listed) >= 4
    assert len({e["title"] for e in listed}) == len(listed)


@pytest.mark.parametrize(("where", "key", "text"), footnotes(), ids=[f"{w}:{k}" for w, k, _ in footnotes()])
def test_every_footnote_cites_a_source_in_the_reference_list(where, key, text):
    assert cited_entry(text, entries()) is not None, f"{where} [^{key}] cites no source listed in Litteratur: {text}"


def test_every_listed_source_is_cited():
    cited = [cited_entry(text, entries()) for _, _, text in footnotes()]
    uncited = [e["text"] for e in entries() if e not in cited]
    assert not uncited


def test_reconnect_is_cited_where_the_book_leans_on_it():
    """The introduction and the fidelity appendix rest on the Reconnect study: both cite it."""
    reconnect = [e for e in entries() if "Reconnect" in e["text"]]
    assert len(reconnect) == 1
    citing = {where for where, _, text in footnotes() if cited_entry(text, entries()) == reconnect[0]}
    assert {"01-indledning.qmd", "bilag-6-fidelitet.qmd"} <= citing


def test_the_reference_list_is_in_alphabetical_order():
    names = [e["text"].casefold() for e in entries()]
    assert names == sorted(names)
