"""Step 2 of loading: text to typed frames following the codebook; cells that do not convert are reported."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd

from ipsreport.inputs.codebook.codebook import Codebook, load_codebook
from ipsreport.inputs.load.readers import _cell_text
from ipsreport.inputs.load.names import unify_names
from ipsreport.inputs.load.records import ALL_DATASETS, RawData, TypedData, Violation

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
        ``.failures`` as :class:`Violation` with rule ``datatype``. Names
        (``string`` columns) have one spelling each; two spellings of one
        name are listed in ``.warnings`` (:mod:`ipsreport.inputs.load.names`).
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
    # One spelling per name (site, consultant) in every frame, so every table counts one site once.
    files = {name: raw.sources[name].file for name in out.frames}
    out.warnings.extend(unify_names(out.frames, files, codebook))
    return out
