"""``ipsreport new-edition YEAR``: start next year's edition in one command.

It

1. reads the results bundle of the last render (``_book/resultater/``, or
   ``--results DIR``) and checks it (:func:`ipsreport.results.read_bundle`);
2. copies it into the project as ``editions/<its year>/`` together with that
   edition's ``ipsreport.yml``, so the settings and the published numbers of
   the edition stay beside the project (the bundle holds only
   disclosure-controlled numbers, so the folder may be committed);
3. writes the next ``ipsreport.yml``: ``edition_year`` and
   ``evaluation_end`` and the periods moved forward, each moved line marked
   ``# tjek mig`` (check me), ``previous: editions/<year>`` so the next
   render compares with it, every other setting kept as it was.

Nothing of the user's is deleted or overwritten without ``--force``: an
``editions/<year>/`` that already exists, or an ``ipsreport.yml`` that is not
the archived edition's (its ``edition_year`` is not the bundle's year: a new
edition already started) stops the command with a Danish message and exit
:data:`EXIT_REFUSED`, and nothing is written. With ``--force`` the folder or
file in the way is kept under a new name (``….gammel-1``), never removed.

With ``cohort: cumulative`` (everyone enrolled since the programme began) the
starts of the project and implementation periods stay where they are and only
their ends move; with ``cohort: period`` the whole period moves a year.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["EDITIONS_DIR", "EXIT_REFUSED", "NewEditionError", "NewEditionRefused", "new_edition", "run_new_edition",
           "shift_years"]

#: Folder of the project holding one folder per earlier edition.
EDITIONS_DIR = "editions"
#: Exit code of a refusal (an editions folder or settings file in the way): as an output folder refused.
EXIT_REFUSED = 5
#: Settings moved forward with the edition; the rest are kept as written.
_END_KEYS = ("evaluation_end", "project_end", "implementation_end")
_START_KEYS = ("project_start", "implementation_start")
#: The words after each moved line.
_CHECK = "# tjek mig (check me): flyttet {years} år frem af ipsreport new-edition"


class NewEditionError(ValueError):
    """The command cannot run (no bundle, a bad year); the Danish message says why. Exit 2."""


class NewEditionRefused(NewEditionError):
    """Something of the user's is in the way and ``--force`` was not given. Exit :data:`EXIT_REFUSED`."""


@dataclass(frozen=True)
class NewEdition:
    """What :func:`new_edition` wrote.

    Attributes
    ----------
    settings : Path
        The new ``ipsreport.yml``.
    archive : Path
        ``editions/<previous year>/``: the bundle and the previous ``ipsreport.yml``.
    kept : tuple of Path
        Files or folders moved aside under ``--force`` (never deleted).
    """

    settings: Path
    archive: Path
    kept: tuple[Path, ...]


def shift_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` forward; the last day of a month stays the last day (28 Feb -> 29 Feb)."""
    year = day.year + years
    last_old = calendar.monthrange(day.year, day.month)[1]
    last_new = calendar.monthrange(year, day.month)[1]
    return dt.date(year, day.month, last_new if day.day == last_old else min(day.day, last_new))


def _aside(path: Path) -> Path:
    """A free name beside ``path`` to keep it under (``ipsreport.yml.gammel-1``)."""
    n = 1
    while (path.parent / f"{path.name}.gammel-{n}").exists():
        n += 1
    return path.parent / f"{path.name}.gammel-{n}"


def _read_settings_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise NewEditionError(f"{path}: filen kan ikke læses som YAML ({' '.join(str(exc).split())}); ret den "
                              "først.") from None
    if not isinstance(data, dict):
        raise NewEditionError(f"{path}: filen skal bestå af linjer på formen nøgle: værdi.")
    return data


def _line(key: str, value: Any, comment: str = "") -> str:
    text = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=False, width=10_000).strip()
    return f"{text}  {comment}" if comment else text


def _settings_text(year: int, previous_year: int, old: dict[str, Any], resolved: Any, archive: str) -> str:
    years = year - previous_year
    moved = {"edition_year": year, "previous": archive}
    check = _CHECK.format(years=years)
    lines = [
        f"# Settings of the {year} edition, written by `ipsreport new-edition {year}` from the {previous_year} "
        "edition's",
        f"# ipsreport.yml (kept in {archive}/ipsreport.yml). Lines marked \"tjek mig\" (check me) were moved "
        f"{years} year(s)",
        "# forward: check each against the programme's real dates, and point data_dir at the new data",
        "# (every key: docs/settings.md).",
        _line("edition_year", year),
    ]
    for key in (*_START_KEYS, *_END_KEYS):
        day = getattr(resolved, key)
        if key in _START_KEYS and resolved.cohort == "cumulative":
            lines.append(_line(key, day, "# tjek mig (check me): uændret, da cohort er cumulative (alle siden "
                                         "start)"))
        else:
            lines.append(_line(key, shift_years(day, years), check))
        moved[key] = None
    for key, value in old.items():
        if key in moved:
            continue
        if isinstance(value, dt.datetime):
            value = value.date()
        comment = "# tjek mig (check me): mappen med det nye års data" if key == "data_dir" else ""
        lines.append(_line(key, value, comment))
    lines.append(_line("previous", archive, "# the previous edition's results (ipsreport render compares with "
                                             "them)"))
    return "\n".join(lines) + "\n"


def new_edition(year: int, project: Path, results: Path | None = None, force: bool = False) -> NewEdition:
    """Start the edition of ``year`` in ``project`` (see the module docstring).

    Parameters
    ----------
    year : int
        The new edition's year; later than the bundle's edition.
    project : Path
        The project folder (holding ``ipsreport.yml``).
    results : Path, optional
        The last render's bundle (``resultater/``) or its output folder;
        default ``project/_book``.
    force : bool
        Keep what is in the way under a new name instead of refusing.

    Returns
    -------
    NewEdition

    Raises
    ------
    NewEditionError
        No readable bundle, or ``year`` not after the bundle's edition.
    NewEditionRefused
        ``editions/<year>/`` exists, or ``ipsreport.yml`` is not the archived
        edition's, and ``force`` is false. Nothing was written.
    """
    from ipsreport.results import read_bundle
    from ipsreport.results.bundle import BUNDLE_DIR, MANIFEST, BundleError
    from ipsreport.config.settings import SettingsError, get_settings

    project = Path(project).resolve()
    source = Path(results) if results is not None else project / "_book"
    try:
        bundle = read_bundle(source)
    except BundleError as exc:
        raise NewEditionError(f"{exc} Dan den sidste udgave med ipsreport render først, eller angiv dens "
                              "resultater med --results DIR.") from None
    # read_bundle took the folder itself or the output folder holding resultater/.
    bundle_dir = source if (source / MANIFEST).is_file() else source / BUNDLE_DIR
    previous_year = int(bundle.edition.edition_year)
    if year <= previous_year:
        raise NewEditionError(f"den nye udgave skal ligge efter den sidste: resultaterne i {bundle_dir} er fra "
                              f"udgaven {previous_year}, men du bad om udgaven {year}. Skriv fx "
                              f"ipsreport new-edition {previous_year + 1}.")
    settings_path = project / "ipsreport.yml"
    old = _read_settings_file(settings_path)
    archive = project / EDITIONS_DIR / str(previous_year)
    in_way: list[Path] = []
    problems = []
    if archive.exists():
        problems.append(f"mappen {archive} findes allerede (en tidligere kørsel af new-edition?)")
        in_way.append(archive)
    written_year = old.get("edition_year")
    if settings_path.exists() and written_year != previous_year:
        problems.append(f"{settings_path} har edition_year = {written_year}, ikke {previous_year} som de "
                        "seneste resultater; den er måske allerede skrevet til den nye udgave og rettet i hånden")
        in_way.append(settings_path)
    if problems and not force:
        raise NewEditionRefused("intet er ændret: " + "; og ".join(problems) + ". Kør igen med --force for at "
                                "gemme det eksisterende under et nyt navn (…gammel-1) og skrive det nye.")
    try:
        resolved = get_settings(edition_file=settings_path)
    except SettingsError as exc:
        raise NewEditionError(f"indstillingerne kan ikke læses, så den nye udgave kan ikke skrives: {exc}") from None
    kept = []
    for path in in_way:
        if path == archive:
            target = _aside(path)
            path.rename(target)
            kept.append(target)
        else:
            target = _aside(path)
            shutil.copy2(path, target)
            kept.append(target)
    # The archive first, through a temporary name, so an interrupted copy never looks like a finished one.
    temporary = archive.parent / f".{archive.name}.tmp"
    shutil.rmtree(temporary, ignore_errors=True)  # only our own temporary folder from a killed run
    shutil.copytree(bundle_dir, temporary)
    if settings_path.exists():
        shutil.copy2(settings_path, temporary / "ipsreport.yml")
    temporary.rename(archive)
    text = _settings_text(year, previous_year, old, resolved, f"{EDITIONS_DIR}/{previous_year}")
    fresh = settings_path.parent / f".{settings_path.name}.tmp"
    fresh.write_text(text, encoding="utf-8")
    fresh.replace(settings_path)
    return NewEdition(settings=settings_path, archive=archive, kept=tuple(kept))


def run_new_edition(args: argparse.Namespace) -> int:
    """``ipsreport new-edition YEAR [--project DIR] [--results DIR] [--force]``; returns the exit code.

    0 done; 2 no readable bundle or a year not after it; :data:`EXIT_REFUSED`
    something of the user's in the way. Messages are Danish, on stderr.
    """
    from ipsreport.paths import PROJECT_DIR

    try:
        done = new_edition(args.year, args.project or PROJECT_DIR, args.results, force=args.force)
    except NewEditionRefused as exc:
        print(f"ipsreport: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except NewEditionError as exc:
        print(f"ipsreport: {exc}", file=sys.stderr)
        return 2
    for kept in done.kept:
        print(f"gemte det eksisterende som {kept}")
    print(f"gemte den sidste udgaves resultater i {done.archive}")
    print(f"skrev {done.settings}: tjek linjerne markeret »tjek mig«, og peg data_dir på det nye års data")
    return 0
