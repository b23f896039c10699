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
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Mapping

from ipsreport.render.base import STAMP_FILE, RenderError

__all__ = ["OutputRefused", "check_output", "owned_files", "write_stamp", "stamp_key", "swap"]

#: What an output written before the marker listed its files may hold.
_LEGACY_TOP = re.compile(r"^(?:[^/]+\.(?:html|pdf)|(?:assets|figures|media)/.+)$")
#: Temporary and backup folders of a render (``.<name>.tmp-*``, ``.<name>.old-*``).
_WORK_FOLDER = re.compile(r"^\..+\.(?:tmp|old)-[^/]+$")

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


def staging_dir(out: Path) -> Path:
    """A new private folder beside ``out`` to write the next book into (swapped in by :func:`swap`).

    Raises
    ------
    OutputRefused
        When the folder beside ``out`` cannot be written; nothing is changed.
    """
    import tempfile

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
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
    or is interrupted, the previous folder is put back.
    """
    check_output(out, **check)
    backup = None
    if out.exists():
        backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
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
    if backup is not None:
        try:
            shutil.rmtree(backup)
        except OSError:
            shutil.rmtree(backup, ignore_errors=True)
        except BaseException:  # interrupted: finish the removal, then stop
            shutil.rmtree(backup, ignore_errors=True)
            raise
