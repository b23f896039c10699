"""Where the previous editions are: ``ipsreport render --previous DIR``, checked and handed to the chapters.

``DIR`` is one of three things (:func:`find_bundles`):

* a previous edition's results bundle, the folder ``resultater/`` itself;
* a previous edition's output folder, holding ``resultater/``;
* a folder of several earlier editions, each a bundle or an output folder
  (``editions/2024/``, ``editions/2025/``).

:func:`resolve_previous` reads every bundle once, in the CLI, so a damaged or
newer bundle, or one that is not earlier than this edition, stops the render
before anything runs, with a Danish message (exit 8,
:data:`ipsreport.cli_args.EXIT_PREVIOUS`). The checked folders are settings
(``previous``, ``previous_data``), so the pipeline finds them where it finds
every other input: its compare step (:func:`ipsreport.pipeline.compare`) reads
:func:`previous_of` of the edition's settings, once per run; the chapters
read the run's comparison.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PreviousError", "Previous", "find_bundles", "resolve_previous", "previous_of", "previous_for_render"]

_MANIFEST = "bundle.json"
_BUNDLE_DIR = "resultater"
_EXPECTED = ("en tidligere udgaves resultatsæt (mappen resultater/ med bundle.json), den udgaves output-mappe "
             "eller en mappe med flere tidligere udgaver (f.eks. editions/2024/ og editions/2025/)")


class PreviousError(ValueError):
    """``--previous`` names no usable earlier edition (the message is Danish and names the path)."""


@dataclass(frozen=True)
class Previous:
    """The earlier editions a render compares itself with.

    Attributes
    ----------
    bundles : tuple of Path
        Their results bundles (``resultater/`` folders), oldest first.
    data : Path or None
        The previous edition's data folder (``--previous-data``), used only
        to count the persons both editions include; never published.
    root : Path or None
        The folder they were found in (``--previous``, absolute): the
        setting ``previous`` of this render.
    """

    bundles: tuple[Path, ...]
    data: Path | None = None
    root: Path | None = None

    def key(self) -> str:
        """What the chapters' cache key must change with: every bundle's ``bundle.json`` and the data folder."""
        digest = hashlib.sha256()
        for folder in self.bundles:
            digest.update(str(folder).encode() + b"\0" + (folder / _MANIFEST).read_bytes())
        if self.data is not None:
            for path in sorted(p for p in self.data.iterdir() if p.is_file()):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()


def _bundle_in(folder: Path) -> Path | None:
    if (folder / _MANIFEST).is_file():
        return folder
    if (folder / _BUNDLE_DIR / _MANIFEST).is_file():
        return folder / _BUNDLE_DIR
    return None


def find_bundles(path: str | Path) -> tuple[Path, ...]:
    """The results bundles ``path`` holds: itself, its ``resultater/``, or one per sub-folder.

    Raises
    ------
    PreviousError
        When ``path`` does not exist, is a file, or holds no bundle.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise PreviousError(f"--previous {path}: mappen findes ikke. Forventet: {_EXPECTED}.")
    if not path.is_dir():
        raise PreviousError(f"--previous {path}: det er en fil, ikke en mappe. Forventet: {_EXPECTED}.")
    own = _bundle_in(path)
    if own is not None:
        return (own.resolve(),)
    found = tuple(b.resolve() for b in (_bundle_in(child) for child in sorted(path.iterdir()) if child.is_dir())
                  if b is not None)
    if not found:
        raise PreviousError(f"--previous {path}: mappen indeholder intet resultatsæt fra ipsreport (hverken "
                            f"{_MANIFEST}, {_BUNDLE_DIR}/{_MANIFEST} eller undermapper med dem). Forventet: "
                            f"{_EXPECTED}.")
    return found


def resolve_previous(path: str | Path, edition_year: int, data: str | Path | None = None) -> Previous:
    """Find and read the previous editions of ``path``, checked against this edition's year.

    Parameters
    ----------
    path : str or Path
        The ``--previous`` folder (see :func:`find_bundles`).
    edition_year : int
        This edition's year: every previous edition must be earlier.
    data : str or Path, optional
        The previous edition's data folder (``--previous-data``).

    Returns
    -------
    Previous
        The bundles, oldest first.

    Raises
    ------
    PreviousError
        A bundle that cannot be read (damaged, newer schema), two bundles of
        one year, an edition not earlier than this one, or a data folder that
        does not exist.
    """
    from ipsreport.results import BundleError, read_bundle

    years: dict[int, Path] = {}
    for folder in find_bundles(path):
        try:
            year = read_bundle(folder).edition.edition_year
        except BundleError as exc:
            raise PreviousError(f"--previous {path}: {exc}") from None
        if year >= int(edition_year):
            raise PreviousError(f"--previous {path}: resultatsættet {folder} er udgaven fra {year}, men denne udgave "
                                f"er fra {edition_year} (indstillingen edition_year). En tidligere udgave skal være "
                                "fra et tidligere år.")
        if year in years:
            raise PreviousError(f"--previous {path}: to resultatsæt er begge udgaven fra {year}: {years[year]} og "
                                f"{folder}. Behold ét resultatsæt pr. udgave.")
        years[year] = folder
    folder_data = None
    if data is not None:
        folder_data = Path(data).expanduser().resolve()
        if not folder_data.is_dir():
            raise PreviousError(f"--previous-data {data}: mappen findes ikke. Forventet: den tidligere udgaves "
                                "datamappe (registry, baseline og followup).")
    return Previous(tuple(years[y] for y in sorted(years)), folder_data, Path(path).expanduser().resolve())


def previous_for_render(folder: str | Path | None, data: str | Path | None, by_site: bool,
                        edition_year: int) -> Previous | None:
    """The previous editions a render compares with: ``--previous`` (or the ``previous`` setting), checked.

    Raises
    ------
    UsageError
        ``--previous-data`` without a previous edition, or a previous edition
        with ``--by site`` (a bundle describes the whole project, not one site).
    PreviousError
        See :func:`resolve_previous`.
    """
    from ipsreport.cli_args import UsageError

    if folder is None:
        if data is not None:
            raise UsageError("--previous-data kræver --previous (den tidligere udgaves resultatsæt).")
        return None
    if by_site:
        raise UsageError("--previous kan ikke bruges sammen med --by site: et resultatsæt beskriver hele projektet, "
                         "ikke ét jobcenter.")
    return resolve_previous(folder, edition_year, data)


def previous_of(settings) -> Previous | None:
    """The previous editions the settings name (``previous``, ``previous_data``); ``None`` without any.

    The command line checked them before anything ran (:func:`previous_for_render`).
    """
    if settings.previous is None:
        return None
    return resolve_previous(settings.previous, int(settings.edition_year), settings.previous_data)
