"""What a preview watches, and how it hears of a change: the operating system's file events.

:class:`Watcher` asks `watchfiles <https://watchfiles.helpmanual.io/>`_ (the
Rust ``notify`` crate: inotify, FSEvents, ReadDirectoryChangesW) to report
changes as they happen; nothing is polled. Folders are watched one by one
(each watched folder and the folders below it, and the folder of each
watched file), not the file itself: editors often save by writing a new file
and renaming it over the old one, which ends a watch on the old file, while
a watch on its folder sees the new one. Caches, hidden and editor files and
output folders are never watched.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterable, Iterator

from watchfiles import Change
# The documented low-level interface of watchfiles (its API reference, "Rust backend"): unlike
# ``watchfiles.watch``, it starts watching when it is made, so no change right after
# ``Preview.start`` is missed.
from watchfiles._rust_notify import RustNotify

__all__ = ["Watcher", "watched_paths"]

#: Names never watched (caches, editor and VCS files, the outputs).
_SKIP = {"__pycache__", ".git", ".ipsreport-cache", ".quarto", ".pytest_cache", "_book", "_freeze"}

#: At most this many ``settle`` periods are grouped into one change (an editor that keeps writing).
_MOST_STEPS = 20


def _skipped(name: str) -> bool:
    return name in _SKIP or name.startswith(".") or name.endswith(("~", ".swp", ".tmp"))


def _under(folder: Path, files: bool) -> Iterator[str]:
    """``folder`` and the folders below it (``files=False``), or the files below it, skipping what is never watched."""
    if not files:
        yield str(folder)
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _skipped(d))
        for name in dirs if not files else sorted(n for n in names if not _skipped(n)):
            yield os.path.join(here, name)


class Watcher:
    """The files that change under the watched paths.

    Watching starts when the watcher is made; changes wait there until
    :meth:`changes` is asked for them.

    Parameters
    ----------
    paths : iterable of Path
        Files and folders (:func:`watched_paths`); a folder with everything
        below it, a folder made later included.
    """

    def __init__(self, paths: Iterable[Path]) -> None:
        paths = [Path(p).resolve() for p in paths]
        self.folders = [p for p in paths if p.is_dir()]
        self.files = {str(p) for p in paths if not p.is_dir()}
        self._notify = self._start()

    def _start(self) -> RustNotify:
        folders = {str(Path(f).parent) for f in self.files}
        for folder in self.folders:
            folders.update(_under(folder, files=False))
        # Not recursive: a watched file's folder is often the project folder, which holds the
        # outputs, caches and a virtual environment. A folder gone meanwhile is not watched.
        return RustNotify(sorted(f for f in folders if os.path.isdir(f)), False, False, 0, False, True)

    def watched(self, path: str) -> bool:
        """True for a watched file, or a path below a watched folder that is not skipped."""
        if path in self.files:
            return True
        p = Path(path)
        return any(p.is_relative_to(d) and not any(_skipped(n) for n in p.relative_to(d).parts) for d in self.folders)

    def changes(self, stop: threading.Event, settle: float) -> Iterator[set[str]]:
        """Yield each set of changed files (as absolute paths) until ``stop`` is set.

        A set is yielded once no further change came for ``settle`` seconds
        (an editor may write a file in parts), after at most
        ``20 * settle`` seconds. Changes made while the caller handles a set
        make the next one.

        Parameters
        ----------
        stop : threading.Event
            Ends the iteration (looked at every ``settle`` seconds).
        settle : float
            Seconds without a further change.
        """
        step = max(1, round(settle * 1000))
        while True:
            raw = self._notify.watch(_MOST_STEPS * step, step, 0, stop)
            if not isinstance(raw, set):  # "stop", or "signal" (Ctrl+C; the main thread handles it)
                return
            changed = self._files(raw)
            if changed:
                yield changed

    def _files(self, raw: set[tuple[int, str]]) -> set[str]:
        """The watched files among ``raw`` changes; a new folder is watched from now on and its files count."""
        raw = {(Change(c), p) for c, p in raw if self.watched(p)}
        added = {p for c, p in raw if c == Change.added}
        new_folders = [p for p in added if os.path.isdir(p)]
        in_new = {f for d in new_folders for f in _under(Path(d), files=True)}
        if new_folders:
            self._notify.close()
            self._notify = self._start()
        # A file made and removed before we looked (an editor's probe or temporary file) changed nothing.
        probes = {p for c, p in raw if c == Change.deleted} & added
        return {p for _, p in raw if not os.path.isdir(p) and not (p in probes and not os.path.exists(p))} | in_new

    def close(self) -> None:
        """Stop watching."""
        self._notify.close()


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
