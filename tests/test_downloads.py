"""Table downloads: every numbered table's numbers as CSV and Excel beside the HTML book.

* unit: each chapter and fidelity table is a :class:`ReportTable` that shows
  the GT unchanged and carries its disclosure-controlled numbers (a hidden
  cell is empty, never the small count); the CSV and Excel writers;
* render: the engine, on a tiny book that knows nothing of the report,
  writes ``<label>.csv``/``.xlsx`` for a ``tbl-`` cell carrying a tabular
  data resource and links them under the table; the shipped report renders
  at least nine downloadable tables whose files open with their rows and
  Danish headers.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from IPython.core.formatters import DisplayFormatter

from ipsreport import api
from ipsreport.outputs import tables
from ipsreport.outputs.tables import fidelity as tables_fidelity
from ipsreport.outputs.items import TABLES
from ipsreport.paths import PROJECT_DIR, SYNTHETIC_DIR
from ipsreport.render.downloads import table_resources, write_csv, write_xlsx
from ipsreport.render.outputs import DATARESOURCE_MIME, reduce_outputs
from ipsreport.outputs.tables.download import ReportTable, downloadable

#: Tabel 1-9 and the fidelity appendix's tables, which carry their numbers for download.
CHAPTER_TABLES = [name for name, _ in TABLES
                  if getattr(api, name).__module__ in ("ipsreport.outputs.tables.chapters", "ipsreport.outputs.tables.fidelity")]


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the CSV starts with a BOM so Excel reads it as UTF-8"
    return list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))


def read_xlsx(path: Path) -> list[list[object]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [list(row) for row in wb.active.iter_rows(values_only=True)]


# --- the tables ---------------------------------------------------------------------


@pytest.mark.parametrize("name", CHAPTER_TABLES)
def test_every_chapter_table_shows_its_gt_and_carries_its_numbers(name, fake):
    module = tables if hasattr(tables, name) else tables_fidelity
    table = getattr(module, name)(fake)
    if name == "tab_fidelity_reviews":  # the fake edition has no reviews: no table, nothing to download
        assert DATARESOURCE_MIME not in DisplayFormatter().format(table)[0]
        return
    assert isinstance(table, ReportTable)
    bundle, _ = DisplayFormatter().format(table)
    alone, _ = DisplayFormatter().format(table.gt)
    # Every front end (this engine, Quarto, Jupyter) shows exactly what the GT shows.
    assert {k: v for k, v in bundle.items() if k != DATARESOURCE_MIME} == alone
    assert table.as_raw_html() == table.gt.as_raw_html()
    resource = bundle[DATARESOURCE_MIME]
    json.dumps(resource)  # JSON-able, as the kernel sends it
    fields = resource["schema"]["fields"]
    assert len(resource["data"]) > 0
    assert all(set(row) == {f["name"] for f in fields} for row in resource["data"])
    # Danish headers, not code names.
    titles = [f["title"] for f in fields]
    assert any(t in ("Antal", "Antal unge", "Odds ratio", "Unge ad gangen, højeste") for t in titles), titles
    assert not any(t in ("n", "pct", "base", "odds_ratio") for t in titles)


@pytest.mark.parametrize("name", ["tab_regression_spec", "tab_codebook", "tab_sources", "tab_audit_summary",
                                  "tab_audit"])
def test_every_appendix_table_is_downloadable(name, make_fake):
    # The audit tables are shown only for data meant to reproduce the publication (facts.editions).
    table = getattr(tables, name)(make_fake(reproduces_reference=True))
    assert isinstance(table, ReportTable) and table.data is not None
    assert len(table.data) > 0 or name == "tab_sources"  # a hand-made edition reads no files
    headers = [field["title"] for field in table.resource()["schema"]["fields"]]
    assert all(re.search(r"[A-Za-zÆØÅæøå]", h) and "_" not in h for h in headers), headers  # Danish words, not names


def test_codebook_download_holds_the_machine_names_the_appendix_leaves_out(fake):
    data = tables.tab_codebook(fake).data
    assert {"Datafil", "Kolonne", "Koder"} <= set(data.columns)
    assert "exit_status" in set(data["Kolonne"])  # the column names live in the download, not in the print
    assert "exit_status" not in tables.tab_codebook(fake).as_raw_html()


def test_audit_download_is_the_full_list(make_fake):
    from ipsreport.analysis.audit import load_published

    assert len(tables.tab_audit(make_fake(reproduces_reference=True)).data) == len(load_published())


def test_counts_are_unformatted_numbers(make_edition):
    ed = make_edition(followup=[{"duration": 1}, {"duration": 1}, {"duration": 2}, {"duration": 7}, {}])
    rows = tables.tab_duration(ed).resource()["data"]
    first = next(r for r in rows if r["category"] == "Under 2 måneder")
    assert first == {"category": "Under 2 måneder", "n": 2, "pct": 50.0, "base": 4}


def small_cohort(make_edition):
    """Seven finished young people, one of them in the smallest duration category."""
    followup = [{"duration": 1}] * 6 + [{"duration": 7}]
    return make_edition(followup=followup, min_cell=3)


def test_hidden_cells_stay_hidden_in_the_files(make_edition, tmp_path):
    table = tables.tab_duration(small_cohort(make_edition))
    resource = table.resource()
    hidden = next(r for r in resource["data"] if r["category"] == "Over 12 måneder")
    assert hidden["n"] is None and hidden["pct"] is None  # not the 1 it hides
    assert "&lt;3" in table.as_raw_html()  # the printed table says why
    # No count below the rule anywhere in the download.
    assert all(r["n"] is None or r["n"] == 0 or r["n"] >= 3 for r in resource["data"])
    rows = read_csv(write_csv(tmp_path / "t.csv", resource))
    header, body = rows[0], rows[1:]
    assert header == ["Varighed", "Antal", "Andel (%)", "I alt (N)"]
    line = next(r for r in body if r[0] == "Over 12 måneder")
    assert line[1:3] == ["", ""]
    sheet = read_xlsx(write_xlsx(tmp_path / "t.xlsx", resource))
    assert sheet[0] == header
    cell = next(r for r in sheet[1:] if r[0] == "Over 12 måneder")
    assert cell[1:3] == [None, None]


def test_withheld_table_offers_no_download(make_edition):
    ed = make_edition(followup=[{"duration": 1}, {"duration": 2}], min_cell=3)
    table = tables.tab_duration(ed)
    assert table.resource() is None
    assert DATARESOURCE_MIME not in table._repr_mimebundle_()


# --- the writers ----------------------------------------------------------------------


RESOURCE = {
    "name": "demo",
    "schema": {"fields": [
        {"name": "k", "title": "Kategori", "type": "string"},
        {"name": "n", "title": "Antal", "type": "integer"},
        {"name": "p", "title": "Andel (%)", "type": "number"},
        {"name": "d", "title": "Dato", "type": "date"},
    ]},
    "data": [
        {"k": "Æble", "n": 1234, "p": 16.2791, "d": "2025-03-01"},
        {"k": "Pære; og sæt", "n": None, "p": None, "d": None},
    ],
}


def test_csv_is_for_danish_excel(tmp_path):
    rows = read_csv(write_csv(tmp_path / "x.csv", RESOURCE))
    assert rows == [
        ["Kategori", "Antal", "Andel (%)", "Dato"],
        ["Æble", "1234", "16,2791", "2025-03-01"],
        ["Pære; og sæt", "", "", ""],
    ]


def test_xlsx_holds_numbers_and_is_reproducible(tmp_path):
    first = write_xlsx(tmp_path / "a.xlsx", RESOURCE, "Tabel 1: Demo").read_bytes()
    sheet = read_xlsx(tmp_path / "a.xlsx")
    assert sheet[0] == ["Kategori", "Antal", "Andel (%)", "Dato"]
    assert sheet[1][:3] == ["Æble", 1234, 16.2791]
    assert sheet[1][3].date().isoformat() == "2025-03-01"
    assert sheet[2] == ["Pære; og sæt", None, None, None]
    assert write_xlsx(tmp_path / "b.xlsx", RESOURCE, "Tabel 1: Demo").read_bytes() == first
    # Not only within one second: no date in the file comes from the clock (openpyxl's save() stamps "modified").
    import zipfile

    core = zipfile.ZipFile(tmp_path / "a.xlsx").read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z</dcterms:modified>" in core


def test_reduce_outputs_keeps_the_resource_beside_the_html():
    bundle = downloadable(tables.style.gt_table(__import__("pandas").DataFrame({"a": [1]}), "x"),
                          __import__("pandas").DataFrame({"a": [1]}), {"a": "Antal"})._repr_mimebundle_()
    out = reduce_outputs([{"output_type": "display_data", "data": bundle}], asis=False)
    assert [o["type"] for o in out] == ["html"]
    assert out[0]["resource"]["schema"]["fields"] == [{"name": "a", "title": "Antal", "type": "integer"}]
    blocks = [{"kind": "cell", "options": {"label": "tbl-x"}, "outputs": out},
              {"kind": "cell", "options": {"label": "fig-y"}, "outputs": out}]
    assert list(table_resources(blocks)) == ["tbl-x"]


# --- the engine, on a book that knows nothing of the report -------------------------------

TINY_QUARTO = """\
project:
  type: book
book:
  title: "Tiny"
  output-file: tiny
  chapters:
    - index.qmd
execute:
  echo: false
language:
  download-table: "Hent tallene"
  download-folder: "tabeller"
"""

TINY_CHAPTER = '''\
# Tal

```{python}
#| label: tbl-demo
#| tbl-cap: "Demo"
class Demo:
    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
                "application/vnd.dataresource+json": RESOURCE}
Demo()
```

```{python}
#| label: tbl-plain
#| tbl-cap: "Uden tal"
from IPython.display import HTML
HTML("<table><tbody><tr><td>2</td></tr></tbody></table>")
```
'''


@pytest.mark.render
def test_engine_writes_and_links_the_downloads(tmp_path):
    from ipsreport.render.engine import render_book

    root = tmp_path / "tiny"
    root.mkdir()
    (root / "_quarto.yml").write_text(TINY_QUARTO, encoding="utf-8")
    chapter = TINY_CHAPTER.replace("RESOURCE}", json.dumps(RESOURCE, ensure_ascii=False) + "}")
    (root / "index.qmd").write_text(chapter.replace(": null", ": None"), encoding="utf-8")
    out = tmp_path / "out"
    render_book(root, out, to="html")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="tabeller/tbl-demo.csv"' in page and 'href="tabeller/tbl-demo.xlsx"' in page
    assert "Hent tallene" in page
    assert sorted(p.name for p in (out / "tabeller").iterdir()) == ["tbl-demo.csv", "tbl-demo.xlsx"]
    assert read_csv(out / "tabeller" / "tbl-demo.csv")[1] == ["Æble", "1234", "16,2791", "2025-03-01"]
    assert read_xlsx(out / "tabeller" / "tbl-demo.xlsx")[0] == ["Kategori", "Antal", "Andel (%)", "Dato"]
    # A table without numbers gets no links; the PDF is not written by an HTML render.
    plain = page[page.index('id="tbl-plain"'):]
    assert "tabeller/" not in plain
    assert not list(out.glob("*.pdf"))


# --- the shipped report ----------------------------------------------------------------

_LINK = re.compile(r'<figure class="table" id="(tbl-[^"]+)">.*?<p class="table-downloads">.*?'
                   r'href="(tabeller/[^"]+\.csv)".*?href="(tabeller/[^"]+\.xlsx)"', re.S)


@pytest.mark.render
def test_report_tables_download_with_rows_and_danish_headers(tmp_path):
    out = tmp_path / "book"
    cmd = [sys.executable, "-m", "ipsreport", "render", "--data", str(SYNTHETIC_DIR), "--output", str(out),
           "--to", "html"]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, capture_output=True, text=True, env={**os.environ, "CI": "true"})
    assert proc.returncode == 0, f"render failed:\n{proc.stdout}\n{proc.stderr}"
    found = {}
    for page in sorted(out.glob("*.html")):
        for label, csv_link, xlsx_link in _LINK.findall(page.read_text(encoding="utf-8")):
            found[label] = (out / csv_link, out / xlsx_link)
    assert len(found) >= 9, sorted(found)
    assert {"tbl-duration", "tbl-motivation", "tbl-exit", "tbl-regression"} <= set(found)
    for label, (csv_file, xlsx_file) in found.items():
        rows, sheet = read_csv(csv_file), read_xlsx(xlsx_file)
        assert len(rows) > 1 and len(sheet) == len(rows), label
        assert rows[0] == [str(h) for h in sheet[0]], label
        assert not any(h in ("n", "pct", "base", "category", "label") for h in rows[0]), (label, rows[0])
    assert read_csv(found["tbl-duration"][0])[0] == ["Varighed", "Antal", "Andel (%)", "I alt (N)"]
