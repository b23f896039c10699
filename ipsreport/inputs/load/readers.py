"""Readers of one data file each: CSV (encoding and delimiter detected), XLSX and SPSS ``.sav``, all as text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ipsreport.inputs.load.records import _DELIMITERS, _MAGIC, Violation, _file_problem


def _decode(data: bytes, file: str) -> tuple[str | None, str | None, Violation | None]:
    """Decode CSV bytes: BOM first, then strict UTF-8, then Windows-1252.

    Strict UTF-8 almost never succeeds on Windows-1252 text containing Danish
    letters (æ, ø, å are single high bytes, invalid as UTF-8), so trying UTF-8
    first cannot silently mis-read a Windows-1252 file with those letters.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig", None
        except UnicodeDecodeError as exc:
            return None, None, _file_problem(file, "tegnkodning", f"filen starter som UTF-8 men indeholder ugyldige tegn (byte {exc.start + 3})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", None
        except UnicodeDecodeError:
            return None, None, _file_problem(file, "tegnkodning", "filen starter som UTF-16 men kan ikke læses")
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252", None
    except UnicodeDecodeError:
        return None, None, _file_problem(file, "tegnkodning", "tegnkodningen kan ikke genkendes (hverken UTF-8 eller Windows-1252)")


def _sniff_delimiter(text: str, file: str) -> tuple[str | None, Violation | None]:
    """Pick the delimiter that splits the header and the first rows consistently."""
    first_line = text.split("\n", 1)[0]
    candidates = [d for d in _DELIMITERS if d in first_line]
    if not candidates:
        return None, _file_problem(
            file, "skilletegn",
            "kan ikke finde skilletegnet (komma, semikolon eller tabulator) i første linje; er det en CSV-fil med overskrift?",
        )
    if len(candidates) == 1:
        return candidates[0], None
    consistent = []
    sample = text[:200_000]
    for delim in candidates:
        records = [r for r in csv.reader(io.StringIO(sample), delimiter=delim) if r]
        records = records[:-1] if len(records) > 1 else records  # the sample may cut the last row
        width = len(records[0])
        if width > 1 and all(len(r) == width for r in records):
            consistent.append(delim)
    if len(consistent) == 1:
        return consistent[0], None
    names = " og ".join(_DELIMITERS[d] for d in (consistent or candidates))
    return None, _file_problem(file, "skilletegn", f"skilletegnet er tvetydigt ({names} passer begge); brug ét skilletegn")


def _read_csv(path: Path, data: bytes) -> tuple[list[str] | None, list[list[str]], list[int], dict[str, Any], list[Violation]]:
    file = path.name
    head = data[:8192]
    if any(head.startswith(magic) for magic, _ in _MAGIC):
        return None, [], [], {}, [_file_problem(file, "ulæselig_fil", f"filen er ikke en CSV-fil (den ligner {_looks_like(head)})")]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [], [], {}, [_file_problem(file, "ulæselig_fil", "filen er ikke en CSV-fil (den indeholder binære data)")]
    text, encoding, problem = _decode(data, file)
    if problem:
        return None, [], [], {}, [problem]
    if not text.strip():
        return None, [], [], {"encoding": encoding}, [_file_problem(file, "tom_fil", "filen er tom")]
    first_line = text.split("\n", 1)[0].rstrip("\r")
    hint = re.fullmatch(r"sep=(.)", first_line)
    if hint:
        # Excel's "sep=;" line names the delimiter; Excel hides it, so the
        # header is still row 1 for the user.
        delimiter = hint.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter, problem = _sniff_delimiter(text, file)
        if problem:
            return None, [], [], {"encoding": encoding}, [problem]
    info = {"encoding": encoding, "delimiter": delimiter}
    problems: list[Violation] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    # Records are counted as spreadsheet rows: the header is row 1, and a
    # blank line still occupies a row number, as it would in Excel.
    try:
        for number, record in enumerate(reader, start=1):
            if header is None:
                if not any(f.strip() for f in record):
                    continue
                header = record
                header_row = number
                continue
            if not "".join(record).strip():
                continue
            if len(record) != len(header):
                hint = ""
                if len(record) > len(header) and delimiter == ",":
                    hint = "; bruger filen decimalkomma uden anførselstegn?"
                problems.append(
                    Violation(file, number, None, None, "antal_felter",
                              f"{file}, række {number}: rækken har {len(record)} felter, men overskriften har "
                              f"{len(header)}{hint} (regel: antal_felter)")
                )
                continue
            rows.append(record)
            numbers.append(number)
    except csv.Error as exc:
        problems.append(_file_problem(file, "ulæselig_fil", f"filen kan ikke læses som CSV ({exc})"))
        return None, [], [], info, problems
    if header is None:
        return None, [], [], info, [_file_problem(file, "tom_fil", "filen er tom")]
    if header_row != 1:
        # Keep the promise "the header is row 1": blank lines above it would
        # shift every row number the user looks up.
        problems.append(_file_problem(file, "overskrift", f"overskriften skal stå i række 1 (den står i række {header_row})"))
    return header, rows, numbers, info, problems


# --------------------------------------------------------------------------- XLSX


def _cell_text(value: Any) -> str:
    """Text of one spreadsheet/SPSS cell, losslessly."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()  # TRUE/FALSE: fails conversion visibly
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))  # shortest round-trip text
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        if pd.isna(value):
            return ""
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def _looks_like(head: bytes) -> str:
    """Danish guess at what a file is, from its first bytes."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if b"\x00" in head[:1024]:
        return "en binær fil af ukendt type"
    return "en tekstfil"


def _read_xlsx(path: Path) -> tuple[list[str] | None, list[list[str]], list[int], dict[str, Any], list[Violation], list[Violation]]:
    file = path.name
    with open(path, "rb") as handle:
        head = handle.read(8)
    if not head.startswith(b"PK\x03\x04"):
        return None, [], [], {}, [
            _file_problem(file, "ulæselig_fil", f"filen er ikke en Excel-fil (.xlsx) (den ligner {_looks_like(head)})")
        ], []
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for broken files
        return None, [], [], {}, [
            _file_problem(file, "ulæselig_fil", "filen kan ikke læses som Excel-fil (.xlsx); den er beskadiget eller "
                          "gemt i et andet format")
        ], []
    warnings: list[Violation] = []
    try:
        if not workbook.worksheets:
            return None, [], [], {}, [_file_problem(file, "tom_fil", "projektmappen har ingen ark")], []
        sheet = workbook.worksheets[0]
        if len(workbook.worksheets) > 1:
            warnings.append(
                _file_problem(file, "flere_ark", f"projektmappen har {len(workbook.worksheets)} ark; kun det første ark ({sheet.title}) læses")
            )
        header: list[str] | None = None
        rows: list[list[str]] = []
        numbers: list[int] = []
        problems: list[Violation] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            texts = [_cell_text(v) for v in values]
            if not any(t.strip() for t in texts):
                continue
            if header is None:
                header = texts
                if number != 1:
                    problems.append(_file_problem(file, "overskrift", f"overskriften skal stå i række 1 (den står i række {number})"))
                continue
            if len(texts) < len(header):
                texts = texts + [""] * (len(header) - len(texts))
            elif len(texts) > len(header):
                extra = texts[len(header):]
                if any(t.strip() for t in extra):
                    problems.append(
                        Violation(file, number, None, None, "antal_felter",
                                  f"{file}, række {number}: rækken har værdier i kolonner uden overskrift (regel: antal_felter)")
                    )
                    continue
                texts = texts[: len(header)]
            rows.append(texts)
            numbers.append(number)
    finally:
        workbook.close()
    if header is None:
        return None, [], [], {"sheet": sheet.title}, [_file_problem(file, "tom_fil", "filen er tom")], warnings
    # Trailing formatted-but-empty header cells come back as "".
    while header and header[-1] == "" and all(r[len(header) - 1] == "" for r in rows):
        header = header[:-1]
        rows = [r[: len(header)] for r in rows]
    return header, rows, numbers, {"sheet": sheet.title}, problems, warnings


# --------------------------------------------------------------------------- SAV


def _read_sav(path: Path) -> tuple[list[str] | None, list[list[str]], list[int], dict[str, Any], list[Violation]]:
    file = path.name
    with open(path, "rb") as handle:
        head = handle.read(8)
    if not head.startswith(b"$FL2"):
        return None, [], [], {}, [
            _file_problem(file, "ulæselig_fil", f"filen er ikke en SPSS-fil (.sav) (den ligner {_looks_like(head)})")
        ]
    try:
        import pyreadstat

        # Codes, not labels: the codebook maps codes to labels; applying the
        # file's value labels here would turn codes into text we cannot check.
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        return None, [], [], {}, [_file_problem(file, "ulæselig_fil", f"filen kan ikke læses som SPSS-fil (.sav) ({exc})")]
    header = [str(c) for c in frame.columns]
    columns = [[_cell_text(v) for v in frame[c].tolist()] for c in frame.columns]
    rows = [list(r) for r in zip(*columns)] if columns else []
    numbers = list(range(1, len(frame) + 1))
    labels = {
        str(var): {int(k): str(v) for k, v in mapping.items() if float(k).is_integer()}
        for var, mapping in (meta.variable_value_labels or {}).items()
    }
    if not header:
        return None, [], [], {}, [_file_problem(file, "tom_fil", "filen er tom")]
    return header, rows, numbers, {"value_labels": labels}, []


# --------------------------------------------------------------------------- detect decimals


