"""The text knows which edition it is (issue 19): a 2026 edition never claims to be the 2025 one.

"Denne udgave" is the book being rendered; the published evaluation is
"evalueringen fra <reference_year>". The prose of a made 2026 edition (the
twin's files with every date a year later, no manifest, so real-looking data
under the small-number rule) is built the way the chapters build it: every
inline expression of every chapter evaluated against the edition's facts.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml

from ipsreport.paths import PROJECT_DIR, REPORT_DIR, SYNTHETIC_DIR

pytestmark = pytest.mark.twin

#: Settings of the made 2026 edition: the 2025 edition's dates a year later.
SETTINGS_2026 = {"edition_year": 2026, "evaluation_end": "2026-05-01", "project_end": "2026-05-31",
                 "implementation_end": "2026-02-28"}
INLINE = re.compile(r"`\{python\} ([^`]+)`")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("IPSREPORT_SETTINGS", raising=False)
    monkeypatch.delenv("IPSREPORT_DATA", raising=False)


@pytest.fixture(scope="module")
def edition_2026(tmp_path_factory):
    from ipsreport.inputs.edition import edition
    from ipsreport.config.settings import get_settings

    folder = tmp_path_factory.mktemp("e2026") / "data"
    folder.mkdir()
    for name in ("registry", "baseline", "followup"):
        frame = pd.read_csv(SYNTHETIC_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        for column in ("start_date", "end_date"):
            if column in frame:
                days = pd.to_datetime(frame[column].replace("", None))
                frame[column] = (days + pd.DateOffset(years=1)).dt.strftime("%Y-%m-%d").fillna("")
        frame.to_csv(folder / f"{name}.csv", index=False)
    ed = edition(folder, get_settings(SETTINGS_2026))
    assert not ed.twin and ed.settings.edition_year == 2026
    return ed


def chapters() -> list:
    book = yaml.safe_load((PROJECT_DIR / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    return [PROJECT_DIR / path for path in [*book["chapters"], *book.get("appendices", [])]]


def prose(ed) -> dict[str, str]:
    """Each chapter's markdown with every inline expression replaced by what it prints, and Bilag 8's text."""
    import ipsreport.api as ips

    f = ips.facts(ed)
    out = {}
    for path in chapters():
        text = path.read_text(encoding="utf-8")
        text = INLINE.sub(lambda m: str(eval(m[1], {"f": f, "d": ed, "ips": ips})), text)  # noqa: S307 - our own chapters
        out[path.name] = text
    out["bilag-8 (cells)"] = ips.audit_method(f) + ips.audit_detail(f)
    return out


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n\n", text) if s.strip()]


def test_no_chapter_names_the_published_evaluation_as_an_edition():
    """The published report is never "2025-udgaven": in a 2025 book that reads as the book itself."""
    sources = {p.name: p.read_text(encoding="utf-8") for p in [*chapters(), *sorted(REPORT_DIR.glob("*.qmd"))]}
    assert not {name for name, text in sources.items() if re.search(r"\b20\d\d-udgave", text)}


def test_the_2026_edition_says_it_is_the_2026_edition_and_never_the_2025_one(edition_2026):
    texts = prose(edition_2026)
    assert "Dette er 2026-udgaven af rapporten." in texts["index.qmd"]
    claims = [s for text in texts.values() for s in sentences(text)
              if re.search(r"2025-udgave|[Uu]dgave:? 2025|udgaven fra 2025", s)]
    assert claims == []


def test_every_2025_in_the_2026_prose_names_the_published_evaluation(edition_2026):
    """A sentence about 2025 says so ("evalueringen fra 2025"); "denne udgave" is never the 2025 report."""
    loose = []
    for name, text in prose(edition_2026).items():
        if name == "litteratur.qmd":
            continue  # the bibliography's years are publication years
        for sentence in sentences(text):
            rest = re.sub(r"evalueringen fra 2025|Trykt 2025|published/2025\.yml", "", sentence)
            if "2025" in rest:
                loose.append((name, sentence))
    assert loose == []


def test_the_2026_edition_does_not_recompute_the_2025_numbers(edition_2026):
    import ipsreport.api as ips
    from ipsreport.outputs.tables.absent import AbsentTable

    f = ips.facts(edition_2026)
    assert "bygger ikke på de data, der ligger bag evalueringen fra 2025" in f.reproduction_note
    assert ips.audit_method(f) == "" and ips.audit_detail(f) == ""
    assert isinstance(ips.tab_audit(edition_2026), AbsentTable)


def test_the_twin_names_the_published_evaluation_by_its_year(ed):
    texts = prose(ed)
    assert "Dette er 2025-udgaven af rapporten." in texts["index.qmd"]
    assert "Tabellen nedenfor viser vurderingerne for hver tabel og hvert afsnit i evalueringen fra 2025" \
        in texts["bilag-8 (cells)"]
    for text in texts.values():
        assert not re.search(r"[Dd]enne udgave[^.]*2025-udgave", text)
