"""The records of loading: sources, raw and typed data (dataset names and file finding: :mod:`ipsreport.inputs.datafiles`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ipsreport.inputs.datafiles import (  # noqa: F401 (re-exported by ipsreport.inputs.load)
    ALL_DATASETS,
    DATASETS,
    FORMATS,
    OPTIONAL_DATASETS,
    Violation,
    _file_problem,
    file_sha256,
    find_data_files,
)

if TYPE_CHECKING:
    import pandas as pd


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
    #: Things the reader should know about the conversion (two spellings of one name: :mod:`ipsreport.inputs.load.names`).
    warnings: list[Violation] = field(default_factory=list)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.frames)

    def __len__(self) -> int:
        return len(self.frames)


# --------------------------------------------------------------------------- helpers


