"""What a preview watches, and how it sees a change: file modification times, polled.

Polling (``stat`` of a few hundred files, every 0.2 s) needs no platform
watcher and sees edits made by any editor, including those that replace a
file rather than write it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable

__all__ = ["snapshot", "watched_paths"]

#: Names never watched (caches, editor and VCS files, the outputs).
_SKIP = {"__pycache__", ".git", ".ipsreport-cache", ".quarto", ".pytest_cache", "_book", "_freeze"}


def _skipped(name: str) -> bool:
    return name in _SKIP or name.startswith(".") or name.endswith(("~", ".swp", ".tmp"))


def _walk(folder: str, out: dict[str, tuple[int, int]]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # removed, or not a folder
        return
    for entry in entries:
        if _skipped(entry.name):
            continue
        try:
            if entry.is_dir():
                _walk(entry.path, out)
            else:
                st = entry.stat()
                out[entry.path] = (st.st_mtime_ns, st.st_size)
        except OSError:  # removed while walking
            continue


def snapshot(roots: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """``{file: (mtime_ns, size)}`` for every file under ``roots``.

    Parameters
    ----------
    roots : iterable of Path
        Files or folders; folders are walked (:func:`os.scandir`, a few
        milliseconds for the report's few hundred files), skipping caches,
        hidden and editor files and output folders.
    """
    out: dict[str, tuple[int, int]] = {}
    for root in roots:
        root = str(root)
        try:
            st = os.stat(root)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(root, out)
        else:
            out[root] = (st.st_mtime_ns, st.st_size)
    return out


def watched_paths(project_root: Path, chapters: Iterable[Path], extra: Iterable[Path] = ()) -> list[Path]:
    """What a preview watches: ``_quarto.yml``, the chapters and their folders, and ``extra`` (the hooks' ``watch``).

    A chapter's folder (``report/``) is watched as a whole, so a chapter
    added to ``_quarto.yml`` later is seen too; chapters directly in the
    project folder (``index.qmd``) are watched one by one.

    Parameters
    ----------
    project_root : Path
    chapters : iterable of Path
        The book's chapter files (from ``_quarto.yml``).
    extra : iterable of Path
        Further files and folders (data, code).
    """
    root = Path(project_root).resolve()
    chapters = [Path(p).resolve() for p in chapters]
    folders = [p.parent for p in chapters if p.parent != root and p.parent.is_relative_to(root)]
    found = [root / "_quarto.yml", root / "index.qmd", *folders, *chapters, *extra]
    out: list[Path] = []
    for p in found:
        p = Path(p).resolve()
        if p.exists() and p not in out and not any(p.is_relative_to(d) for d in out if d.is_dir()):
            out.append(p)
    return out
