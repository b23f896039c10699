"""Read the three data files of an edition as text, then convert per codebook.

Loading happens in two explicit steps so that nothing is silently coerced or
dropped:

1. :func:`load_raw` finds ``registry``, ``baseline`` and ``followup`` (and the
   optional ``fidelity`` reviews, when present) in a data
   folder (CSV, XLSX or SPSS ``.sav``), detects the CSV dialect (encoding,
   delimiter, decimal mark) and returns every cell as *text*, indexed by the
   row number the user sees in the file. Problems that stop a file from being
   read at all (missing file, two candidate files, empty or non-data file,
   rows with the wrong number of fields, ...) are collected as
   :class:`Violation` records instead of raised, so the user sees all of them
   at once.
2. :func:`convert` turns the text into typed frames following the codebook
   (categories and integers -> ``Int64``, numbers -> ``Float64``, dates ->
   ``datetime64[ns]``, ids and strings -> ``string``). A cell that does not
   convert becomes missing *and* is reported as a violation (rule
   ``datatype``); :mod:`ipsreport.validate` turns those into errors.

Row numbers follow the file as the user sees it: in CSV and Excel files the
header is row 1, so the first data row is row 2; in SPSS files row 1 is the
first case (as in SPSS' Data View).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ipsreport.codebook import Codebook, load_codebook

__all__ = [
    "DATASETS",
    "OPTIONAL_DATASETS",
    "ALL_DATASETS",
    "FORMATS",
    "Violation",
    "Source",
    "RawData",
    "TypedData",
    "load_raw",
    "raw_from_frames",
    "convert",
    "file_sha256",
    "find_data_files",
]

#: Dataset base names every data folder must hold, in the order they are reported.
DATASETS = ("registry", "baseline", "followup")
#: Datasets a folder may leave out (``optional: true`` in the codebook): absent
#: means "not supplied", not an error.
OPTIONAL_DATASETS = ("fidelity",)
#: Every dataset a folder may hold, in the order they are reported.
ALL_DATASETS = DATASETS + OPTIONAL_DATASETS
#: Supported file suffixes and their format names.
FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".sav": "sav"}
#: Suffixes that look like data but are not supported, with a Danish hint.
_UNSUPPORTED = {
    ".xls": "gem filen som .xlsx (Excel-projektmappe) eller .csv",
    ".xlsm": "gem filen som .xlsx uden makroer eller som .csv",
    ".ods": "gem filen som .xlsx eller .csv",
    ".txt": "omdøb filen til .csv, hvis den er kommasepareret",
    ".tsv": "gem filen som .csv",
    ".por": "gem filen som .sav",
    ".zsav": "gem filen som ukomprimeret .sav",
}
_FORMAT_LABEL = {"csv": "CSV-fil", "xlsx": "Excel-fil (.xlsx)", "sav": "SPSS-fil (.sav)", "frame": "tabel i hukommelsen"}
_ENCODING_LABEL = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 med BOM", "cp1252": "Windows-1252", "utf-16": "UTF-16"}
#: Leading bytes of common non-CSV files, so a renamed file gets a clear message.
_MAGIC = (
    (b"%PDF", "en PDF-fil"),
    (b"PK\x03\x04", "en komprimeret fil (fx Excel .xlsx eller Word .docx)"),
    (b"\xd0\xcf\x11\xe0", "en gammel Office-fil (fx Excel .xls)"),
    (b"$FL2", "en SPSS-fil (.sav)"),
    (b"$FL3", "en SPSS-fil (.zsav)"),
    (b"\x89PNG", "et PNG-billede"),
    (b"\xff\xd8\xff", "et JPEG-billede"),
)
_DELIMITERS = {";": "semikolon", ",": "komma", "\t": "tabulator"}


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Violation:
    """One broken rule, located as precisely as possible.

    Attributes
    ----------
    file : str
        File name as the user knows it (``baseline.csv``), or the dataset name
        when the data did not come from a file.
    row : int or None
        Row number as numbered in the source file (see the module docstring);
        ``None`` for problems with the whole file or a whole column.
    column : str or None
        Column name, or ``None`` for file- or row-level problems.
    value : str or None
        The offending cell exactly as written in the file (text).
    rule : str
        Rule id: a codebook rule (``unique_ids``, ``asked_if``, ...) or one of
        the column rules (``tilladte_værdier``, ``interval``, ``påkrævet``, ...).
    message : str
        Complete Danish sentence naming file, row, column, value and rule.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Source:
    """Where one dataset came from, and how it was read.

    ``name, path, sha256, format`` are the fields named in ``docs/CONTRACT.md``;
    the rest document the detected CSV dialect.
    """

    name: str
    path: Path | None
    sha256: str | None
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    sheet: str | None = None
    value_labels: dict[str, dict[int, str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def file(self) -> str:
        """File name used in messages (the dataset name for in-memory frames)."""
        return self.path.name if self.path is not None else self.name

    @property
    def row_convention(self) -> str:
        """Danish sentence explaining how rows of this file are numbered."""
        if self.format == "sav":
            return f"{self.file}: række 1 er første sag (som i SPSS' datavisning)."
        if self.format == "frame":
            return f"{self.file}: rækkenumre svarer til en CSV-fil med overskrift i række 1 (første datarække er række 2)."
        return f"{self.file}: overskriften er række 1, så første datarække er række 2 (som i regnearket)."

    def describe(self) -> str:
        """Short Danish description of the detected format, for logs and appendices."""
        parts = [_FORMAT_LABEL.get(self.format, self.format)]
        if self.encoding:
            parts.append(_ENCODING_LABEL.get(self.encoding, self.encoding))
        if self.delimiter:
            parts.append(f"skilletegn {_DELIMITERS.get(self.delimiter, repr(self.delimiter))}")
        if self.decimal:
            parts.append("decimalkomma" if self.decimal == "," else "decimalpunktum")
        return ", ".join(parts)


@dataclass
class RawData:
    """Text frames of an edition plus how each file was read.

    Attributes
    ----------
    data_dir : Path or None
        The folder read (``None`` for in-memory frames).
    frames : dict
        Dataset name -> DataFrame of text (``object`` dtype holding ``str``,
        empty cells as ``""``), index named ``row`` = source row number.
        Datasets that could not be read are absent.
    sources : dict
        Dataset name -> :class:`Source` (present whenever a file was found).
    errors : list of Violation
        Problems that stopped a file from being read, or rows from being split.
    warnings : list of Violation
        Things the user should know but that do not stop the report.
    """

    data_dir: Path | None
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    errors: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)


@dataclass
class TypedData(Mapping):
    """Typed frames produced by :func:`convert`; behaves as ``{name: frame}``.

    Frames are indexed by source row number (index ``row``) and hold the
    codebook's columns in codebook order (extra columns are dropped; missing
    ones are left out so validation can report them).
    """

    frames: dict[str, pd.DataFrame]
    raw: RawData
    failures: list[Violation] = field(default_factory=list)
    #: (dataset, row, column) of every cell that failed to convert.
    failed_cells: set[tuple[str, int, str]] = field(default_factory=set)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.frames)

    def __len__(self) -> int:
        return len(self.frames)


# --------------------------------------------------------------------------- helpers


def file_sha256(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_problem(file: str, rule: str, text: str) -> Violation:
    return Violation(file, None, None, None, rule, f"{file}: {text} (regel: {rule})")


def find_data_files(data_dir: str | Path) -> tuple[dict[str, Path], list[Violation]]:
    """Find the one file per dataset in ``data_dir``.

    Parameters
    ----------
    data_dir : str or Path
        Folder holding ``registry``, ``baseline`` and ``followup`` files, and
        optionally a ``fidelity`` file.

    Returns
    -------
    files : dict
        Dataset name -> path, for datasets with exactly one supported file.
    problems : list of Violation
        Missing folder, missing file, two candidate files or an unsupported
        format (rules ``fil_mangler``, ``entydig_fil``, ``filformat``). An
        absent optional dataset (:data:`OPTIONAL_DATASETS`) is no problem;
        two candidates or an unsupported format of it are.
    """
    folder = Path(data_dir)
    if not folder.is_dir():
        return {}, [
            Violation(str(folder), None, None, None, "fil_mangler",
                      f"{folder}: datamappen findes ikke (regel: fil_mangler)")
        ]
    entries = sorted(p for p in folder.iterdir() if p.is_file())
    files: dict[str, Path] = {}
    problems: list[Violation] = []
    for name in ALL_DATASETS:
        # Case-insensitive: Windows users often save "Baseline.CSV".
        same_stem = [p for p in entries if p.stem.casefold() == name and not p.name.startswith(("~$", "."))]
        candidates = [p for p in same_stem if p.suffix.lower() in FORMATS]
        if len(candidates) == 1:
            files[name] = candidates[0]
        elif len(candidates) > 1:
            listed = " og ".join(p.name for p in candidates)
            problems.append(
                Violation(name, None, None, None, "entydig_fil",
                          f"{name}: der er flere mulige datafiler ({listed}); behold kun én (regel: entydig_fil)")
            )
        else:
            unsupported = [p for p in same_stem if p.suffix.lower() in _UNSUPPORTED]
            if unsupported:
                p = unsupported[0]
                problems.append(
                    _file_problem(p.name, "filformat",
                                  f"formatet {p.suffix} understøttes ikke; {_UNSUPPORTED[p.suffix.lower()]}")
                )
            elif name not in OPTIONAL_DATASETS:
                problems.append(
                    Violation(name, None, None, None, "fil_mangler",
                              f"{name}: ingen datafil fundet i {folder} "
                              f"(forventet {name}.csv, {name}.xlsx eller {name}.sav) (regel: fil_mangler)")
                )
    return files, problems


def _check_header(file: str, header: list[str], frame: pd.DataFrame) -> tuple[list[str], list[int], list[Violation]]:
    """Return cleaned header names, positions of columns to keep, and problems.

    ``frame`` holds the data with positional column labels. A trailing
    delimiter (common in Excel exports) yields an unnamed column; it is
    dropped only when it holds no values, otherwise it is an error.
    """
    problems: list[Violation] = []
    names = [h.strip() for h in header]
    keep: list[int] = []
    for i, name in enumerate(names):
        if name == "":
            if len(frame) and frame[i].astype(str).str.strip().ne("").any():
                problems.append(
                    _file_problem(file, "kolonnenavn", f"kolonne nr. {i + 1} har værdier men intet navn i overskriften")
                )
            continue
        keep.append(i)
    seen: dict[str, int] = {}
    for i in keep:
        seen[names[i]] = seen.get(names[i], 0) + 1
    for name, count in seen.items():
        if count > 1:
            problems.append(
                _file_problem(file, "dobbelt_kolonne", f"kolonnen {name} forekommer {count} gange i overskriften")
            )
    return names, keep, problems


# --------------------------------------------------------------------------- CSV


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


_COMMA_DECIMAL = re.compile(r"^\s*[+-]?\d*,\d+\s*$")
_POINT_DECIMAL = re.compile(r"^\s*[+-]?\d*\.\d+\s*$")


def _detect_decimal(frame: pd.DataFrame, numeric_columns: list[str], file: str) -> tuple[str | None, Violation | None]:
    """Decide the decimal mark from the file's numeric columns.

    Evidence is a value with digits after a ``,`` or a ``.``. Both marks in
    one file is an error (it would otherwise be read silently wrong); no
    evidence means the file has no decimal numbers and the mark is moot.
    """
    comma = point = None
    for col in numeric_columns:
        if col not in frame.columns:
            continue
        values = frame[col].astype(str)
        c = values.str.match(_COMMA_DECIMAL)
        p = values.str.match(_POINT_DECIMAL)
        if comma is None and c.any():
            comma = (col, values[c].index[0], values[c].iloc[0])
        if point is None and p.any():
            point = (col, values[p].index[0], values[p].iloc[0])
    if comma and point:
        return None, _file_problem(
            file, "decimaltegn",
            f"blandede decimaltegn: \"{comma[2]}\" (række {comma[1]}, kolonne {comma[0]}) og "
            f"\"{point[2]}\" (række {point[1]}, kolonne {point[0]})",
        )
    if comma:
        return ",", None
    if point:
        return ".", None
    return None, None


# --------------------------------------------------------------------------- load_raw


def _numeric_columns(codebook: Codebook, name: str) -> list[str]:
    if name not in codebook.datasets:
        return []
    return [v.name for v in codebook.datasets[name].variables if v.type in ("number", "integer")]


def _finish_frame(raw: RawData, name: str, source: Source, header: list[str], rows: list[list[str]],
                  numbers: list[int], codebook: Codebook) -> None:
    """Clean the header, store the text frame and detect the decimal mark."""
    file = source.file
    positional = pd.DataFrame(rows, columns=range(len(header)), dtype=object) if rows else pd.DataFrame(
        {i: pd.Series([], dtype=object) for i in range(len(header))})
    names, keep, problems = _check_header(file, header, positional)
    raw.errors.extend(problems)
    if any(p.rule == "dobbelt_kolonne" for p in problems):
        return
    frame = positional[keep].copy()
    frame.columns = [names[i] for i in keep]
    frame.index = pd.Index(numbers, name="row", dtype="int64")
    if frame.empty and name not in OPTIONAL_DATASETS:
        # An optional file with only its header row is a template with no rows yet.
        raw.errors.append(_file_problem(file, "tom_fil", "filen indeholder ingen datarækker (kun en overskrift)"))
        return
    decimal = None
    if source.format in ("csv", "xlsx"):
        decimal, problem = _detect_decimal(frame, _numeric_columns(codebook, name), file)
        if problem:
            raw.errors.append(problem)
            raw.sources[name] = source
            return
    elif source.format == "sav":
        decimal = "."
    raw.sources[name] = Source(
        name=source.name, path=source.path, sha256=source.sha256, format=source.format,
        encoding=source.encoding, delimiter=source.delimiter, decimal=decimal,
        sheet=source.sheet, value_labels=source.value_labels,
    )
    raw.frames[name] = frame


def load_raw(data_dir: str | Path, codebook: Codebook | None = None) -> RawData:
    """Read every dataset of a data folder as text.

    Parameters
    ----------
    data_dir : str or Path
        Folder with one ``registry``, ``baseline`` and ``followup`` file each
        (``.csv``, ``.xlsx`` or ``.sav``), and optionally a ``fidelity`` file.
    codebook : Codebook, optional
        Used only to know which columns hold decimal numbers (for detecting
        the decimal mark); defaults to the project codebook.

    Returns
    -------
    RawData
        Text frames (index = source row number), source info (path, format,
        encoding, delimiter, decimal mark, SHA-256) and the problems that kept
        any file or row from being read. Nothing is raised for bad data.
    """
    codebook = codebook or load_codebook()
    folder = Path(data_dir).expanduser().resolve()
    raw = RawData(data_dir=folder)
    files, problems = find_data_files(folder)
    raw.errors.extend(problems)
    for name in ALL_DATASETS:
        if name not in files:
            continue
        path = files[name]
        fmt = FORMATS[path.suffix.lower()]
        try:
            data = path.read_bytes()
        except OSError as exc:  # no read permission, locked by Excel on Windows, vanished, ...
            raw.sources[name] = Source(name, path, None, fmt)
            raw.errors.append(_file_problem(
                path.name, "ulæselig_fil",
                f"filen kan ikke åbnes ({exc.strerror or exc}); luk den, hvis den er åben i et andet program, "
                "og tjek at du har adgang til at læse den"))
            continue
        sha = hashlib.sha256(data).hexdigest()
        if not data:
            raw.sources[name] = Source(name, path, sha, fmt)
            raw.errors.append(_file_problem(path.name, "tom_fil", "filen er tom"))
            continue
        if fmt == "csv":
            header, rows, numbers, info, errs = _read_csv(path, data)
            warns: list[Violation] = []
        elif fmt == "xlsx":
            header, rows, numbers, info, errs, warns = _read_xlsx(path)
        else:
            header, rows, numbers, info, errs = _read_sav(path)
            warns = []
        raw.errors.extend(errs)
        raw.warnings.extend(warns)
        source = Source(
            name=name, path=path, sha256=sha, format=fmt,
            encoding=info.get("encoding"), delimiter=info.get("delimiter"),
            sheet=info.get("sheet"), value_labels=info.get("value_labels", {}),
        )
        raw.sources[name] = source
        if header is None or any(e.rule in ("ulæselig_fil", "tom_fil") for e in errs):
            continue
        _finish_frame(raw, name, source, header, rows, numbers, codebook)
    return raw


def raw_from_frames(frames: Mapping[str, pd.DataFrame]) -> RawData:
    """Render in-memory frames as text so they take the same path as files.

    Parameters
    ----------
    frames : mapping
        Dataset name -> DataFrame of any dtypes (e.g. hand-made test frames or
        generator output). Missing values become empty cells, dates ISO text,
        numbers their shortest exact text with a decimal point.

    Returns
    -------
    RawData
        Row numbers are taken from an index named ``row`` if present;
        otherwise row ``i`` (0-based position) is numbered ``i + 2``, as if the
        frame had been saved to CSV with a header row.
    """
    raw = RawData(data_dir=None)
    for name, frame in frames.items():
        if frame.index.name == "row":
            numbers = [int(i) for i in frame.index]
        else:
            numbers = list(range(2, len(frame) + 2))
        text = {str(col): _column_text(frame[col]) for col in frame.columns}
        out = pd.DataFrame(text, dtype=object)
        out.index = pd.Index(numbers, name="row", dtype="int64")
        source = Source(name=name, path=None, sha256=None, format="frame", decimal=".")
        raw.sources[name] = source
        if out.empty and name not in OPTIONAL_DATASETS:
            raw.errors.append(_file_problem(name, "tom_fil", "datasættet indeholder ingen rækker"))
            continue
        raw.frames[name] = out
    return raw


def _column_text(column: pd.Series) -> list[str]:
    """Text of a column as a file would hold it (fast paths for common dtypes)."""
    dtype = column.dtype
    if pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return column.astype("string").fillna("").tolist()
    if pd.api.types.is_datetime64_dtype(dtype):
        at_midnight = column.isna() | (column == column.dt.normalize())
        if at_midnight.all():
            return column.dt.strftime("%Y-%m-%d").fillna("").tolist()
    return [_cell_text(None if _is_na(v) else v) for v in column.tolist()]


def _is_na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------- convert


_INT_RE = re.compile(r"^[+-]?\d+(?:[.,]0+)?$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DATE_DK = re.compile(r"^(\d{1,2})[-.](\d{1,2})[-.](\d{4})$")
_NUMBER_RE = {
    mark: re.compile(rf"^[+-]?(?:\d+(?:[{re.escape(mark)}]\d*)?|[{re.escape(mark)}]\d+)$")
    for mark in (".", ",", ".,")
}
_TYPE_TEXT = {
    "integer": "et heltal",
    "category": "en talkode",
    "number": "et tal",
    "date": "en gyldig dato (brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)",
}


def _parse_int(text: str) -> int | None:
    if not _INT_RE.match(text):
        return None
    return int(re.sub(r"[.,]0+$", "", text))


def _parse_date(text: str) -> np.datetime64 | None:
    m = _DATE_ISO.match(text)
    if m:
        year, month, day = m.groups()
    else:
        m = _DATE_DK.match(text)
        if not m:
            return None
        day, month, year = m.groups()
    try:
        # Impossible dates such as 31-02-2024 are reported, not rolled over.
        return np.datetime64(dt.date(int(year), int(month), int(day)), "ns")
    except ValueError:
        return None


def _convert_column(original: pd.Series, var_type: str, decimal: str | None) -> tuple[pd.Series, np.ndarray]:
    """Convert one text column; return typed values and a mask of failed cells.

    Survey columns hold a handful of distinct answers, so each distinct text
    is parsed once (``factorize``) and the result spread back with numpy:
    fast for 100,000-row files without a compiled string engine.
    """
    codes, uniques = pd.factorize(original.to_numpy(dtype=object), use_na_sentinel=True)
    n_unique = len(uniques)
    # Slot n_unique stands for a true missing value in the input (None/NaN).
    take = np.where(codes < 0, n_unique, codes)
    present = np.zeros(n_unique + 1, dtype=bool)
    bad = np.zeros(n_unique + 1, dtype=bool)
    texts: list[str] = []
    for i, value in enumerate(uniques):
        # Whitespace-only cells look empty to the user, so they count as missing.
        text = value.strip() if isinstance(value, str) else ""
        texts.append(text)
        present[i] = text != ""
    texts.append("")
    if var_type in ("id", "string"):
        values = np.array([t if t else None for t in texts], dtype=object)[take]
        return pd.Series(pd.array(values, dtype="string"), index=original.index), bad[take]
    if var_type in ("integer", "category"):
        numbers = np.zeros(n_unique + 1, dtype=np.int64)
        for i, text in enumerate(texts):
            if present[i]:
                parsed = _parse_int(text)
                if parsed is None:
                    bad[i] = True
                else:
                    numbers[i] = parsed
        mask = ~present | bad
        array = pd.arrays.IntegerArray(numbers[take], mask[take])
    elif var_type == "number":
        pattern = _NUMBER_RE[decimal or ".,"]
        numbers = np.zeros(n_unique + 1, dtype=np.float64)
        for i, text in enumerate(texts):
            if present[i]:
                if pattern.match(text):
                    numbers[i] = float(text.replace(",", "."))
                else:
                    bad[i] = True
        mask = ~present | bad
        array = pd.arrays.FloatingArray(numbers[take], mask[take])
    else:
        stamps = np.full(n_unique + 1, np.datetime64("NaT", "ns"))
        for i, text in enumerate(texts):
            if present[i]:
                parsed = _parse_date(text)
                if parsed is None:
                    bad[i] = True
                else:
                    stamps[i] = parsed
        array = stamps[take]
    return pd.Series(array, index=original.index), bad[take]


def convert(raw: RawData, codebook: Codebook | None = None) -> TypedData:
    """Convert text frames to typed frames following the codebook.

    Parameters
    ----------
    raw : RawData
        Output of :func:`load_raw` or :func:`raw_from_frames`.
    codebook : Codebook, optional
        Defaults to the project codebook.

    Returns
    -------
    TypedData
        Mapping dataset name -> typed frame (index ``row`` = source row
        number; codebook columns in codebook order; unknown columns dropped).
        Cells that do not convert are missing in the frame and listed in
        ``.failures`` as :class:`Violation` with rule ``datatype``.
    """
    codebook = codebook or load_codebook()
    out = TypedData(frames={}, raw=raw)
    for name in ALL_DATASETS:
        if name not in raw.frames or name not in codebook.datasets:
            continue
        text_frame = raw.frames[name]
        source = raw.sources[name]
        file = source.file
        columns: dict[str, pd.Series] = {}
        for var in codebook.datasets[name].variables:
            if var.name not in text_frame.columns:
                continue
            original = text_frame[var.name]
            values, bad = _convert_column(original, var.type, source.decimal)
            if bad.any():
                for row, value in original[bad].items():
                    out.failures.append(
                        Violation(file, int(row), var.name, str(value), "datatype",
                                  f"{file}, række {row}, kolonne {var.name}: værdien \"{value}\" er ikke "
                                  f"{_TYPE_TEXT[var.type]} (regel: datatype)")
                    )
                    out.failed_cells.add((name, int(row), var.name))
            columns[var.name] = values
        frame = pd.DataFrame(columns, index=text_frame.index)
        out.frames[name] = frame
    return out
