"""Validated data kept on disk, so the same bytes are not validated twice.

:func:`validate_shared` keeps the whole validation report of a valid data
folder as a pickle in ``<cache>/editions/`` (:func:`shared_path`), keyed on
the folder, its bytes, the codebook, the package source and the environment
(:func:`ipsreport.bookkeys.validation_key`); invalid data are never kept. The
CLI (and ``render --by site`` for every site's part) validates once and hands
the report to the pipeline (:func:`ipsreport.pipeline.validate`); a re-render
of the same bytes reads it back instead of validating again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from ipsreport import paths
from ipsreport.bookkeys import validation_key

__all__ = ["shared_path", "validate_shared"]


_KEEP_EDITIONS = 8


def shared_path(data_dir: Path, cache_dir: Path) -> Path:
    """Where the validation report of ``data_dir`` is (or will be) kept."""
    folder = Path(data_dir).expanduser().resolve()
    key = hashlib.sha256(f"{validation_key(folder)}|{folder}".encode()).hexdigest()
    return Path(cache_dir) / "editions" / f"{key}.pickle"


def _fingerprint(folder: Path) -> tuple:
    """The data files of ``folder`` with their checksums, as :func:`ipsreport.edition.edition` sees them."""
    from ipsreport.load import file_sha256, find_data_files

    files, _ = find_data_files(folder)
    return tuple(sorted((name, str(path), file_sha256(path)) for name, path in files.items()))


def validate_shared(data_dir: Path, cache_dir: Path):
    """Validate ``data_dir`` once and keep the report for the chapter kernels.

    Reads the report back when :func:`shared_path` holds it; otherwise
    validates and, when the data are valid, writes it there (atomically). A
    cache folder that cannot be written only costs the kernels a validation
    of their own.

    Returns
    -------
    ipsreport.validate.ValidationReport
    """
    from ipsreport.validate import validate_dir  # heavy: pandas + pandera

    folder = Path(data_dir).expanduser().resolve()
    target = shared_path(folder, cache_dir)
    report = _load(target, folder)
    if report is not None:
        return report
    report = validate_dir(folder)
    if report.ok:
        entry = {"folder": str(folder), "files": _fingerprint(folder),
                 "codebook": str(paths.CODEBOOK_PATH), "report": report}
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(target)
            _prune(target.parent, _KEEP_EDITIONS)
        except OSError:  # a read-only cache: the kernels validate for themselves
            pass
    return report


def _load(target: Path, folder: Path, files: tuple | None = None, codebook: str | None = None) -> Any:
    """The report pickled at ``target`` if it is of ``folder`` with exactly these files, else None."""
    try:
        entry = pickle.loads(target.read_bytes())
    except FileNotFoundError:
        return None
    if not isinstance(entry, dict) or entry.get("folder") != str(folder):
        return None
    if entry.get("files") != (files if files is not None else _fingerprint(folder)):
        return None
    if entry.get("codebook") != (codebook or str(paths.CODEBOOK_PATH)):
        return None
    return entry["report"]


def _prune(folder: Path, keep: int) -> None:
    """Delete all but the ``keep`` newest files of ``folder`` (each code or data change adds one)."""
    stamped = []
    for p in folder.iterdir():
        try:
            stamped.append((p.stat().st_mtime, p))
        except OSError:  # removed meanwhile by another render
            continue
    for _, p in sorted(stamped, reverse=True)[keep:]:
        p.unlink(missing_ok=True)
