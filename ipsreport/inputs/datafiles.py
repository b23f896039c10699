"""Which files make up a data folder: dataset names, formats, checksums, and finding the files.

Kept free of pandas so that cheap questions about a folder (is it the
verified twin? which files does it hold?) cost no heavy import.
:mod:`ipsreport.inputs.load` reads the files these functions find.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DATASETS", "OPTIONAL_DATASETS", "ALL_DATASETS", "FORMATS", "Violation", "file_sha256", "find_data_files"]

#: Dataset base names every data folder must hold, in the order they are reported.
DATASETS = ("registry", "baseline", "followup")
#: Datasets a folder may leave out (``optional: true`` in the codebook): absent
#: means "not supplied", not an error.
OPTIONAL_DATASETS = ("fidelity",)
#: Datasets whose file may hold only its header row: a survey nobody has
#: answered yet (a new site) or optional reviews not yet made. The registry
#: defines the cohort, so an empty registry stays an error.
MAY_BE_EMPTY = ("baseline", "followup", *OPTIONAL_DATASETS)
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


