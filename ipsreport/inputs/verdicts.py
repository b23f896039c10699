"""Validated data kept in the render's store, so the same bytes are not validated twice.

:func:`validate_shared` keeps the whole validation report of a valid data
folder as an entry of kind ``validation`` in the render's one disk cache
(:mod:`ipsreport.render.store`), keyed on the folder and what a validation
depends on (:func:`ipsreport.book.keys.validation_key`: its bytes, the
codebook, the package source and the environment); invalid data are never
kept, and old entries age out by the store's one pruning policy. The CLI
(and ``render --by site`` for every site's part) validates once and hands
the report to the pipeline (:func:`ipsreport.pipeline.validate`); a re-render
of the same bytes reads it back instead of validating again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ipsreport import paths
from ipsreport.book.keys import validation_key
from ipsreport.render.store import VALIDATION, entry_key, open_store

__all__ = ["shared_path", "validate_shared"]


def shared_path(data_dir: Path, cache_dir: Path) -> Path:
    """Where the validation report of ``data_dir`` is (or will be) kept.

    The store's folder joined with the entry's key (kind ``validation``):
    a name in the store, not a file of its own.
    """
    folder = Path(data_dir).expanduser().resolve()
    return Path(cache_dir) / entry_key(VALIDATION, folder=str(folder), inputs=validation_key(folder))


def _fingerprint(folder: Path) -> tuple:
    """The data files of ``folder`` with their checksums, as :func:`ipsreport.inputs.edition.edition` sees them."""
    from ipsreport.inputs.load import file_sha256, find_data_files

    files, _ = find_data_files(folder)
    return tuple(sorted((name, str(path), file_sha256(path)) for name, path in files.items()))


def validate_shared(data_dir: Path, cache_dir: Path):
    """Validate ``data_dir`` once and keep the report for the chapter kernels.

    Reads the report back when the store holds it (:func:`shared_path`);
    otherwise validates and, when the data are valid, keeps it there. A
    store that cannot be written only costs the kernels a validation of
    their own.

    Returns
    -------
    ipsreport.inputs.validate.ValidationReport
    """
    from ipsreport.inputs.validate import validate_dir  # heavy: pandas + pandera

    folder = Path(data_dir).expanduser().resolve()
    target = shared_path(folder, cache_dir)
    store = open_store(target.parent)
    report = _checked(store.get(target.name), folder)
    if report is not None:
        return report
    report = validate_dir(folder)
    if report.ok:  # a store that cannot be written only costs the kernels a validation of their own
        store.put(target.name, {"folder": str(folder), "files": _fingerprint(folder),
                                "codebook": str(paths.CODEBOOK_PATH), "report": report})
    return report


def _checked(entry: Any, folder: Path, files: tuple | None = None, codebook: str | None = None) -> Any:
    """The report of a kept ``entry`` if it is of ``folder`` with exactly these files, else None."""
    if not isinstance(entry, dict) or entry.get("folder") != str(folder):
        return None
    if entry.get("files") != (files if files is not None else _fingerprint(folder)):
        return None
    if entry.get("codebook") != (codebook or str(paths.CODEBOOK_PATH)):
        return None
    return entry.get("report")
