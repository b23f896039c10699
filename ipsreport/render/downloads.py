"""Table downloads of the HTML book: a CSV and an Excel file per numbered table.

Generic: a cell labelled ``tbl-…`` whose output carries a tabular data
resource (:data:`~ipsreport.render.outputs.DATARESOURCE_MIME`, kept by
:func:`~ipsreport.render.outputs.reduce_outputs` as ``output["resource"]``)
gets ``<folder>/<label>.csv`` and ``<folder>/<label>.xlsx`` beside the
pages, and the HTML writer links them under the table. The engine does not
know what the numbers are; the headers are the resource's field titles.

The CSV is written for spreadsheet programs set to a comma-decimal locale
(Danish Excel opens it with a double click): UTF-8 with a byte-order mark,
``;`` between fields, a decimal comma, no thousands separator, ISO dates, an
empty field for a missing (or hidden) value. The Excel file holds real
numbers in one sheet, the header row bold and frozen, and is byte for byte
the same for the same numbers (fixed timestamps).

Downloads hold data, never formulas. Text from the data (a site named
``=HYPERLINK(…)``) reaches both files through :func:`safe_text` only: every
Excel cell is typed as a string or a number (openpyxl would store a text
starting with ``=`` as a live formula), a text a spreadsheet would read as a
formula is marked ``quotePrefix`` (Excel keeps it text even when edited), and
in the CSV such a field gets a leading single quote, as OWASP recommends
against CSV injection: a field starting with ``=``, ``+``, ``@``, a tab, a
carriage return, or ``-`` unless the field is a number. Numbers are written
as numbers and are never quoted.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

__all__ = ["FORMULA_STARTS", "download_links", "safe_text", "table_resources", "write_csv", "write_xlsx",
           "write_downloads"]

#: The fixed timestamp of the Excel files (their zip entries and properties).
_EPOCH = datetime(2000, 1, 1)
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")
#: First characters that make a spreadsheet read a field as a formula (OWASP's CSV-injection list).
FORMULA_STARTS = frozenset("=+-@\t\r")
#: A number as the CSV writes it (decimal comma or point): a leading minus is then data, not a formula.
_NUMBER = re.compile(r"-[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _runs(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (a negative number is data)."""
    return text[:1] in FORMULA_STARTS and not _NUMBER.fullmatch(text)


def safe_text(text: str) -> str:
    """``text`` as a CSV field no spreadsheet runs: a leading ``'`` where it would be read as a formula.

    >>> safe_text('=HYPERLINK("http://x","klik")')
    '\'=HYPERLINK("http://x","klik")'
    >>> safe_text("-2,5"), safe_text("-x")
    ('-2,5', "'-x")
    """
    return "'" + text if _runs(text) else text


def table_resources(blocks: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Label -> tabular data resource, for each ``tbl-`` cell whose output carries one.

    Parameters
    ----------
    blocks : iterable of dict
        An executed chapter's blocks (:class:`~ipsreport.render.outputs.ExecutedChapter`).
    """
    found: dict[str, dict[str, Any]] = {}
    for block in blocks:
        label = (block.get("options") or {}).get("label")
        if block.get("kind") != "cell" or not isinstance(label, str) or not label.startswith("tbl-"):
            continue
        for output in block.get("outputs", ()):
            resource = output.get("resource")
            if _valid(resource):
                found[label] = resource
                break
    return found


def _valid(resource: Any) -> bool:
    return (isinstance(resource, dict) and isinstance(resource.get("data"), list)
            and isinstance((resource.get("schema") or {}).get("fields"), list))


def _fields(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in resource["schema"]["fields"] if isinstance(f, dict) and "name" in f]


def _header(field: dict[str, Any]) -> str:
    return str(field.get("title") or field["name"])


def _rows(resource: dict[str, Any]) -> list[list[Any]]:
    names = [f["name"] for f in _fields(resource)]
    rows = []
    for row in resource["data"]:
        if isinstance(row, dict):
            rows.append([row.get(n) for n in names])
        elif isinstance(row, (list, tuple)):
            rows.append(list(row)[: len(names)])
    return rows


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return (text[:-2] if text.endswith(".0") else text).replace(".", ",")
    return str(value)


def _csv_field(value: Any) -> str:
    # Numbers are formatted by _csv_value and never quoted; any text goes through safe_text.
    text = _csv_value(value)
    return text if isinstance(value, (bool, int, float)) else safe_text(text)


def write_csv(path: Path, resource: dict[str, Any]) -> Path:
    """Write the resource as a semicolon CSV with a decimal comma and a BOM (see the module)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_text(_header(f)) for f in _fields(resource)])
    for row in _rows(resource):
        writer.writerow([_csv_field(v) for v in row])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    return path


def write_xlsx(path: Path, resource: dict[str, Any], title: str | None = None) -> Path:
    """Write the resource as one Excel sheet: bold frozen header, numbers as numbers, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    fields = _fields(resource)
    wb = Workbook()
    ws = wb.active
    ws.title = _SAFE.sub("-", str(resource.get("name") or "data"))[:31] or "data"
    _append(ws, [_header(f) for f in fields])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    dates = [f.get("type") == "date" for f in fields]
    for row in _rows(resource):
        _append(ws, [_xlsx_value(v, d) for v, d in zip(row, dates)])
    for i, f in enumerate(fields, start=1):
        width = max([len(_header(f)), *(len(_csv_value(r[i - 1])) for r in _rows(resource))], default=8)
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(max(width + 2, 8), 60)
        if dates[i - 1]:
            for cell in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell[0].number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    wb.properties.creator = "ipsreport"
    wb.properties.title = title or None
    wb.properties.created = wb.properties.modified = _EPOCH
    raw = io.BytesIO()
    # openpyxl's save() stamps "modified" with the clock; its writer keeps the date set above.
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    path.write_bytes(_fixed_zip(raw.getvalue()))
    return path


def _append(ws, values: list[Any]) -> None:
    """Append a row whose text cells are text, never formulas (openpyxl types ``=…`` as a formula)."""
    ws.append(values)
    for cell, value in zip(ws[ws.max_row], values):
        if isinstance(value, str):
            cell.data_type = "s"
            if _runs(value):
                cell.quotePrefix = True  # Excel keeps it text if the reader edits the cell


def _xlsx_value(value: Any, is_date: bool) -> Any:
    if is_date and isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated :data:`_EPOCH` (reproducible bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_EPOCH.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def download_links(folder: str, resources: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Label -> (CSV link, Excel link), relative to the pages, of the files :func:`write_downloads` writes."""
    folder = _SAFE.sub("-", folder) or "tables"
    return {label: (f"{folder}/{_SAFE.sub('-', label)}.csv", f"{folder}/{_SAFE.sub('-', label)}.xlsx")
            for label in resources}


def write_downloads(out_dir: Path, folder: str, resources: dict[str, dict[str, Any]],
                    titles: dict[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """Write ``<folder>/<label>.csv`` and ``.xlsx`` for every resource.

    Parameters
    ----------
    out_dir : Path
        The book's (staging) output folder.
    folder : str
        Sub-folder of the downloads (e.g. ``"tabeller"``).
    resources : dict
        Label -> resource (:func:`table_resources`).
    titles : dict, optional
        Label -> the table's caption, stored as the Excel file's title.

    Returns
    -------
    dict
        Label -> (CSV link, Excel link), relative to the pages (:func:`download_links`).
    """
    links = download_links(folder, resources)
    target = out_dir / (_SAFE.sub("-", folder) or "tables")
    for label, resource in resources.items():
        target.mkdir(parents=True, exist_ok=True)
        csv_link, xlsx_link = links[label]
        write_csv(out_dir / csv_link, resource)
        write_xlsx(out_dir / xlsx_link, resource, (titles or {}).get(label))
    return links
