"""The records of loading: datasets, formats, violations, sources, raw and typed data; finding the files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


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


