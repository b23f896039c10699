"""Validation verdicts kept on disk, so the same bytes are not validated twice.

:func:`validate_cached` remembers that a data folder is valid (for the CLI and
``render --by site``); :func:`validate_dir_cached` keeps whole validation
reports for the kernels of a render. Both are keyed on the data bytes, the
codebook and the package source (:func:`validation_key`); invalid data are
never cached. Re-exported by :mod:`ipsreport.render.engine`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ipsreport import paths

__all__ = ["EDITION_CACHE_ENV", "validate_cached", "validate_dir_cached", "validation_key"]


class _CachedReport:
    """A validation outcome read back from the cache (only valid data are cached).

    The cache holds the report's text with the validated folder's path taken
    out (:data:`_FOLDER`); :meth:`format` puts in the folder validated now, so
    a byte-identical copy of a data folder is reported under its own name.
    """

    ok = True

    def __init__(self, template: str, data_dir: Path) -> None:
        self._template = template
        self._data_dir = data_dir

    def format(self) -> str:
        return self._template.replace(_FOLDER, str(self._data_dir))


#: Stands for the validated folder's path in a cached report text.
_FOLDER = "\x00folder\x00"


def validation_key(data_dir: Path) -> str:
    """Hash of what a validation depends on: the data, the codebook, the code."""
    from ipsreport.render.engine import ENGINE_VERSION, _hash_tree, code_key

    h = hashlib.sha256()
    h.update(f"engine:{ENGINE_VERSION}".encode())
    _hash_tree(h, Path(data_dir))
    h.update(b"codebook")
    _hash_tree(h, paths.CODEBOOK_PATH)
    h.update(code_key().encode())
    return h.hexdigest()


def validate_cached(data_dir: Path, cache_dir: Path):
    """Validate ``data_dir``, or reuse the verdict on the very same bytes.

    Only successful validations are remembered (in ``cache_dir/validated``),
    keyed by :func:`validation_key`; invalid data are validated every time so
    the full report is always printed.

    Returns
    -------
    ValidationReport or an object with ``ok`` (True) and ``format()``.
    """
    folder = Path(data_dir).expanduser().resolve()  # as ValidationReport.data_dir
    stamp = Path(cache_dir) / "validated" / validation_key(data_dir)
    try:
        cached = json.loads(stamp.read_text(encoding="utf-8"))
        return _CachedReport(cached["template"], folder)
    except (OSError, ValueError, KeyError, TypeError):  # absent, or written by an older version
        pass
    from ipsreport.validate import validate_dir  # heavy: pandas + pandera

    report = validate_dir(Path(data_dir))
    if report.ok:
        text = report.format()
        where = str(report.data_dir or folder)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        tmp = stamp.with_name(f"{stamp.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"template": text.replace(where, _FOLDER)}), encoding="utf-8")
        tmp.replace(stamp)
        _prune(stamp.parent, _KEEP_VERDICTS)
    return report


_KEEP_VERDICTS = 32
_KEEP_EDITIONS = 8

#: Environment variable naming the folder where kernels keep validated data.
EDITION_CACHE_ENV = "IPSREPORT_EDITION_CACHE"


def validate_dir_cached(data_dir=None, codebook=None, *, cache_dir):
    """:func:`ipsreport.validate.validate_dir` that keeps valid results on disk.

    Every kernel of a render (and of the renders after it) would otherwise
    load and validate the same files again; with this, the first one pickles
    its :class:`~ipsreport.validate.ValidationReport` and the others read it
    back. The key covers the folder's path, the data bytes, the codebook and
    the package source (:func:`validation_key`), so any change revalidates.
    Invalid data are never cached. Installed in each kernel by the engine.
    """
    import pickle

    from ipsreport.validate import validate_dir

    if data_dir is None or (codebook is not None and Path(getattr(codebook, "path", "")) != paths.CODEBOOK_PATH):
        return validate_dir(data_dir, codebook)
    folder = Path(data_dir).expanduser().resolve()
    key = hashlib.sha256(f"{validation_key(folder)}|{folder}".encode()).hexdigest()
    target = Path(cache_dir) / f"{key}.pickle"
    if target.exists():
        try:
            return pickle.loads(target.read_bytes())
        except Exception:  # noqa: BLE001 - a damaged or outdated pickle: validate again
            pass
    report = validate_dir(folder, codebook)
    if report.ok:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(target)
            _prune(target.parent, _KEEP_EDITIONS)
        except OSError:
            pass
    return report


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
