"""Which folders a render may replace, and the swap that replaces them.

A render writes its book into a temporary folder next to the output folder
and then swaps it into place, which removes the previous folder. That is
safe only for a folder ipsreport itself made, so before any write every
render (:func:`ipsreport.render.engine.render_book` and
:func:`~ipsreport.render.engine.render_variants`) calls :func:`check_output`, and the swap calls it again
just before the old folder goes. Accepted are:

* a folder that does not exist yet (its parents are created);
* an empty folder;
* a previous ipsreport output: a folder holding the marker file
  ``.ipsreport-stamp`` and nothing but the files that marker lists.

The marker's first line is the book's cache key; every further line is the
path (``/``-separated, relative to the folder) of one file the render wrote.
Outputs of versions before the list was added have a one-line marker; they
are trusted to hold the standard layout (``*.html``, ``*.pdf`` and the
folders ``assets/``, ``figures/``, ``media/``), nothing else.

Refused, with a Danish one-paragraph :class:`OutputRefused` and nothing
touched, are a file, a protected folder such as the data (or a folder inside
it or holding it),
the project folder (or a folder holding it), a folder with any other file,
and a place this process cannot write to. The folder holding the output
folders of several variants (``collection=True``, e.g. the report's
``render --by site``) may hold previous outputs and nothing else.

Nothing of a failed render stays readable. The staging folder
(:func:`staging_dir`) is private (mode 0o700, as :func:`tempfile.mkdtemp`
makes it) until :func:`swap` has put it in place and opened it (0o755): a
render killed outright (SIGKILL, a power cut) leaves a folder no one else
can list. Its name says who made it, ``.<output>.tmp-<host>-<pid>-<random>``
(``.old-`` for the previous book while it is removed), so the next render
beside that output removes the ones whose process is gone
(:func:`remove_stale`). Only folders with exactly that shape, made on this
machine by a process that no longer runs, are removed: never a live
render's folder, a folder of another machine sharing the drive, or
anything else.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Iterable, Mapping

from ipsreport.render.base import STAMP_FILE, RenderError

__all__ = ["OutputRefused", "check_output", "owned_files", "remove_stale", "staging_dir", "stamp_key", "swap",
           "work_folder_owner", "write_stamp"]

#: What an output written before the marker listed its files may hold.
_LEGACY_TOP = re.compile(r"^(?:[^/]+\.(?:html|pdf)|(?:assets|figures|media)/.+)$")
#: Temporary and backup folders of a render (``.<name>.tmp-*``, ``.<name>.old-*``).
_WORK_FOLDER = re.compile(r"^\..+\.(?:tmp|old)-[^/]+$")
#: This machine in a work folder's name: a process id means nothing on another machine sharing the drive.
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8")).hexdigest()[:6]
#: Mode of the published book once swapped in (the staging folder is 0o700 until then).
_PUBLISHED = 0o755

_RULE = (
    "ipsreport skriver kun i en mappe, der ikke findes endnu, er tom eller er et tidligere "
    "ipsreport-output, fordi hele mappen erstattes ved hver kørsel. Intet er ændret."
)


class OutputRefused(RenderError):
    """The output folder may not be written; nothing was touched (CLI exit 5)."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _relation(out: Path, folder: Path, name: str) -> str | None:
    """How ``out`` overlaps ``folder`` in words, or None when it does not."""
    if out == folder:
        return f"er selve {name} {folder}"
    if out.is_relative_to(folder):
        return f"ligger inde i {name} {folder}"
    if folder.is_relative_to(out):
        return f"indeholder {name} {folder}"
    return None


def _files(folder: Path) -> Iterable[str]:
    """Every file (and symlink, not followed) under ``folder``, ``/``-separated."""
    for top, dirs, files in os.walk(folder):
        rel = Path(top).relative_to(folder)
        links = [d for d in dirs if os.path.islink(os.path.join(top, d))]
        dirs[:] = [d for d in dirs if d not in links]
        for name in [*files, *links]:
            yield (rel / name).as_posix()
        if not files and not dirs and not links and top != str(folder):
            yield rel.as_posix() + "/"  # an empty folder is content too


def stamp_key(folder: Path) -> str | None:
    """The cache key in ``folder``'s marker, or None when it has none."""
    try:
        lines = (Path(folder) / STAMP_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return lines[0].strip() if lines else ""


def owned_files(folder: Path) -> set[str] | None:
    """Files ``folder``'s marker says ipsreport wrote; None for a one-line (older) marker."""
    lines = (Path(folder) / STAMP_FILE).read_text(encoding="utf-8").splitlines()
    listed = {line for line in lines[1:] if line.strip()}
    return listed or None


def write_stamp(folder: Path, key: str) -> None:
    """Write the marker: the book's key, then every file now in ``folder``."""
    names = sorted(n for n in _files(folder) if n != STAMP_FILE)
    (Path(folder) / STAMP_FILE).write_text("\n".join([key, *names]) + "\n", encoding="utf-8")


def _foreign(folder: Path) -> list[str]:
    """Files in ``folder`` that ipsreport did not write (all of them without a marker)."""
    present = [n for n in _files(folder) if n != STAMP_FILE]
    if not (folder / STAMP_FILE).is_file():
        return present
    try:
        owned = owned_files(folder)
    except (OSError, UnicodeDecodeError):
        return present
    if owned is None:
        return [n for n in present if not _LEGACY_TOP.match(n)]
    return [n for n in present if n not in owned]


def _name_some(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" og {len(names) - 3} til" if len(names) > 3 else "")


def _writable(out: Path) -> str | None:
    """None when a folder can be made beside ``out``; else the system's reason."""
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} er en fil, ikke en mappe"
    try:
        probe = tempfile.mkdtemp(prefix=f".{out.name}.tmp-probe-", dir=parent)
    except OSError as exc:
        return exc.strerror or str(exc)
    os.rmdir(probe)
    return None


def check_output(
    out: Path,
    *,
    protected: Mapping[str, Path] | None = None,
    project_dir: Path | None = None,
    collection: bool = False,
) -> None:
    """Raise :class:`OutputRefused` unless a render may replace ``out``.

    Parameters
    ----------
    out : Path
        The output folder (resolved).
    protected : mapping of str to Path, optional
        Folders (by the name messages call them, e.g. ``"datamappen"``) that
        are never an output, nor inside or around one.
    project_dir : Path, optional
        The project folder (``_quarto.yml``); never an output, nor inside one.
    collection : bool, default False
        ``out`` holds one output folder per variant (``render --by site``): it
        may contain previous outputs (and a render's temporary folders) only.

    Raises
    ------
    OutputRefused
        With a Danish one-paragraph message naming the folder and the rule.
    """
    out = Path(out).expanduser().resolve()
    what = "Outputmappen" if not collection else "Mappen til stedernes rapporter"
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{what} {out} er en fil, ikke en mappe. {_RULE} Vælg en anden mappe med --output.")
    for name, folder in (protected or {}).items():
        overlap = _relation(out, Path(folder).expanduser().resolve(), name)
        if overlap:
            raise OutputRefused(
                f"{what} {out} {overlap}. {_RULE} {name[:1].upper()}{name[1:]} må aldrig overskrives: "
                f"vælg en mappe uden for {name} med --output."
            )
    if project_dir is not None:
        project = Path(project_dir).expanduser().resolve()
        if _inside(project, out):
            overlap = _relation(out, project, "projektmappen")
            raise OutputRefused(
                f"{what} {out} {overlap}. {_RULE} Vælg en mappe som {project / '_book'} med --output."
            )
    if out.is_dir():
        if collection and (out / STAMP_FILE).is_file():
            raise OutputRefused(
                f"{what} {out} rummer allerede en samlet rapport (den har ipsreport's mærkefil "
                f"{STAMP_FILE}), ikke rapporter pr. sted. {_RULE} Vælg en anden mappe til "
                "rapporterne pr. sted med --output, fx _sites."
            )
        if collection:
            foreign = [
                e.name + ("/" if e.is_dir() else "")
                for e in sorted(out.iterdir())
                if not _WORK_FOLDER.match(e.name)
                and not (e.is_dir() and not e.is_symlink() and (e / STAMP_FILE).is_file() and not _foreign(e))
            ]
        else:
            foreign = _foreign(out)
        if foreign:
            raise OutputRefused(
                f"{what} {out} indeholder {len(foreign)} {'fil' if len(foreign) == 1 else 'filer'}, "
                "som ipsreport ikke har lavet "
                f"({_name_some(sorted(foreign))}). {_RULE} Flyt filerne et andet sted hen, "
                "eller vælg en ny eller tom mappe med --output."
            )
    reason = _writable(out)
    if reason is not None:
        raise OutputRefused(
            f"Kan ikke skrive til {what.lower()} {out} (systemets besked: {reason}). Intet er ændret. "
            "Vælg en mappe, du har skriveadgang til, med --output, eller bed om adgang til mappen."
        )


def _work_prefix(out: Path, kind: str) -> str:
    return f".{out.name}.{kind}-{_HOST}-{os.getpid()}-"


def work_folder_owner(name: str, output_name: str) -> int | None:
    """The process id in a work folder's name, if this machine's render of ``output_name`` made it.

    Parameters
    ----------
    name : str
        A folder name, e.g. ``.ud.tmp-3fa2c1-4711-k2j3h4g5``.
    output_name : str
        The output folder's name (``ud``).

    Returns
    -------
    int or None
        None for any other name (another output, another machine, an older
        style without a process id, a user's folder).
    """
    match = re.fullmatch(rf"\.{re.escape(output_name)}\.(?:tmp|old)-([0-9a-f]{{6}})-([0-9]+)-[A-Za-z0-9_]+", name)
    if match is None or match.group(1) != _HOST:
        return None
    return int(match.group(2))


def _alive(pid: int) -> bool:
    """False only when ``pid`` surely runs no more (when unsure: alive, so nothing is removed)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":
        try:
            import psutil
        except ImportError:
            return True
        return psutil.pid_exists(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, as another user
        return True
    return True


def remove_stale(parent: Path, output_name: str | None = None) -> list[Path]:
    """Remove the work folders killed renders left in ``parent``.

    Parameters
    ----------
    parent : Path
        The folder holding the output folder(s).
    output_name : str, optional
        Only the work folders of this output; default: of every output in
        ``parent`` (the folder of the site books, which only ipsreport writes).

    Returns
    -------
    list of Path
        The folders removed: directories named by :func:`work_folder_owner`
        for this machine whose process no longer runs.
    """
    parent = Path(parent)
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return []
    removed = []
    for entry in entries:
        name = output_name
        if name is None:
            match = re.fullmatch(r"\.(.+)\.(?:tmp|old)-.+", entry.name)
            name = match.group(1) if match else ""
        pid = work_folder_owner(entry.name, name)
        if pid is None or entry.is_symlink() or not entry.is_dir() or _alive(pid):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed.append(entry)
    return removed


def staging_dir(out: Path) -> Path:
    """A new private folder beside ``out`` to write the next book into (swapped in by :func:`swap`).

    Work folders that killed renders of ``out`` left are removed first
    (:func:`remove_stale`). The folder is mode 0o700 until :func:`swap`.

    Raises
    ------
    OutputRefused
        When the folder beside ``out`` cannot be written; nothing is changed.
    """
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(out.parent, out.name)
        return Path(tempfile.mkdtemp(prefix=_work_prefix(out, "tmp"), dir=out.parent))
    except OSError as exc:
        raise OutputRefused(
            f"Kan ikke oprette en mappe ved siden af outputmappen {out} (systemets besked: "
            f"{exc.strerror or exc}). Intet er ændret. Vælg en mappe, du har skriveadgang til, med --output."
        ) from None


def swap(tmp: Path, out: Path, **check) -> None:
    """Put the finished ``tmp`` in place of ``out``; the previous ``out`` is removed last.

    ``out`` is checked again first (``check`` as for :func:`check_output`): a
    file saved into it during the render makes this raise
    :class:`OutputRefused` rather than delete it. If the second rename fails
    or is interrupted, the previous folder is put back. The private staging
    folder is opened (0o755) once it is the output: a crash before that
    leaves nothing readable.
    """
    check_output(out, **check)
    backup = None
    if out.exists():
        backup = Path(tempfile.mkdtemp(prefix=_work_prefix(out, "old"), dir=out.parent))
        try:
            os.replace(out, backup)  # an empty folder is replaced by a rename
            os.replace(tmp, out)
        except BaseException:
            if not out.exists() and backup.exists():
                os.replace(backup, out)
            shutil.rmtree(backup, ignore_errors=True)
            raise
    else:
        os.replace(tmp, out)
    out.chmod(_PUBLISHED)
    if backup is not None:
        try:
            shutil.rmtree(backup)
        except OSError:
            shutil.rmtree(backup, ignore_errors=True)
        except BaseException:  # interrupted: finish the removal, then stop
            shutil.rmtree(backup, ignore_errors=True)
            raise
