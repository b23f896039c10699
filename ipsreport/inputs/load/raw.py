"""Step 1 of loading: every file of a data folder as text, with the problems that stop a file from being read."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ipsreport.inputs.codebook.codebook import Codebook, load_codebook
from ipsreport.inputs.load.convert import _column_text
from ipsreport.inputs.load.readers import _read_csv, _read_sav, _read_xlsx
from ipsreport.inputs.datafiles import MAY_BE_EMPTY
from ipsreport.inputs.load.records import (
    ALL_DATASETS,
    FORMATS,
    OPTIONAL_DATASETS,
    RawData,
    Source,
    Violation,
    _file_problem,
    find_data_files,
)

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


#: How far down a header pushed below a title is looked for.
_HEADER_SEARCH_ROWS = 20


def _header_below(file: str, header: list[str] | None, rows: list[list[str]], numbers: list[int],
                  codebook: Codebook, name: str) -> Violation | None:
    """The one message for a header that is not the first row (a title or notes above it), or None.

    The first row read is taken as the header. When one of the next rows
    names more of the dataset's codebook columns than it does (and at least
    two), that row is the real header and everything read would be wrong.
    """
    if header is None or name not in codebook.datasets:
        return None
    known = set(codebook.datasets[name].names)

    def hits(cells: list[str]) -> list[str]:
        return [c.strip() for c in cells if c.strip() in known]

    found = hits(header)
    for cells, number in zip(rows[:_HEADER_SEARCH_ROWS], numbers):
        names = hits(cells)
        if len(names) >= 2 and len(names) > len(found):
            shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
            return _file_problem(
                file, "overskrift",
                f"overskriften skal stå i række 1, men kolonnenavnene ({shown}) står i række {number}; slet "
                f"rækkerne over dem (fx en titel eller en note), så overskriften bliver række 1",
            )
    return None


# --------------------------------------------------------------------------- CSV


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
    if frame.empty and name not in MAY_BE_EMPTY:
        raw.errors.append(_file_problem(file, "tom_fil", "filen indeholder ingen datarækker (kun en overskrift)"))
        return
    if frame.empty and name not in OPTIONAL_DATASETS:
        # A survey nobody has answered yet: valid, but the reader must know why its chapters show no numbers.
        raw.warnings.append(_file_problem(file, "ingen_svar", "filen har endnu ingen besvarelser (kun en overskrift); "
                                          "rapportens tal fra dette spørgeskema vises derfor ikke"))
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
        moved = _header_below(path.name, header, rows, numbers, codebook, name)
        if moved is not None:
            # A title above the header: one message instead of one per column the header seems to lack.
            errs = [*(e for e in errs if e.rule != "overskrift"), moved]
            header = None
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
        if out.empty and name not in MAY_BE_EMPTY:
            raw.errors.append(_file_problem(name, "tom_fil", "datasættet indeholder ingen rækker"))
            continue
        raw.frames[name] = out
    return raw


