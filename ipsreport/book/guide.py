"""The reading guide of the introduction, written from the book's chapter list.

The introduction lists what follows it: every chapter after it and every
appendix, in the order of ``_quarto.yml``, each as a cross-reference
(``@Sec-konklusion``) and one line on what it holds. The list is made here
from the chapter list, so a chapter or appendix added to the book cannot be
left out of the guide: one without a description stops the render with a
message naming it. A case appendix (heading id ``sec-case-<name>``) is
described by its case file's ``focus``.

The chapter list and the chapters' headings are part of the report's cache
key (:func:`outline_key`, used by :func:`ipsreport.book.keys.inputs_key`), so
the guide is written again when either changes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ipsreport import paths

__all__ = ["DESCRIPTIONS", "GuideError", "book_files", "heading", "reading_guide", "outline_key"]

#: What each chapter and appendix holds (Danish, one sentence without its full stop), keyed by the file as
#: ``_quarto.yml`` lists it. Case appendices are described by their case file instead.
DESCRIPTIONS: dict[str, str] = {
    "report/02-konklusion.qmd": "Hovedresultaterne samlet; kapitlet kan læses for sig",
    "report/03-evalueringen.qmd": ("De fire evalueringsspørgsmål, hvilke data evalueringen bygger på, og hvilke "
                                   "forbehold resultaterne skal læses med"),
    "report/04-maalgruppen.qmd": "Hvad indsatsen består af, og hvor de unge stod i livet, da de begyndte",
    "report/05-job-og-uddannelse.qmd": ("De unges motivation og vurdering af indsatsen, samarbejdet med "
                                        "behandlingspsykiatrien, virksomhedsforløbene og hvor mange der kom i job "
                                        "eller uddannelse"),
    "report/06-mental-sundhed.qmd": "Hvordan de unges trivsel, mestring, ensomhed og belastning har udviklet sig",
    "report/07-udbytte.qmd": "Hvilke unge der får mest ud af indsatsen, og hvad der ser ud til at virke",
    "report/litteratur.qmd": "De kilder, rapporten henviser til",
    "report/bilag-5-supplerende.qmd": ("Flere af de unges svar ved afslutningen, blandt andet om hverdagen og om "
                                       "afklaringen af job og arbejdsliv"),
    "report/bilag-6-fidelitet.qmd": ("Hvor tro indsatsen har været mod IPS-metoden, målt på hvor mange unge hver "
                                   "konsulent havde ad gangen"),
    "report/bilag-7-data-og-metode.qmd": ("Hvordan data er indsamlet, hvordan hvert indeks og hver analyse er "
                                          "opgjort, og hvordan små tal skjules"),
    "report/bilag-8-reproduktion.qmd": ("Hvilke datafiler og hvilken version af rapportsystemet rapporten er dannet "
                                        "af, og om tallene holdes op mod en trykt evaluering"),
}

_HEADING = re.compile(r"^#\s+(?P<title>.*?)\s*\{(?P<attrs>[^}]*)\}\s*$", re.M)
_ID = re.compile(r"#(sec-[\w-]+)")


class GuideError(RuntimeError):
    """A chapter of the book has no line in the reading guide, or no heading id to refer to."""


def book_files(project_dir: Path | None = None) -> tuple[list[str], list[str]]:
    """The chapters and appendices of ``_quarto.yml``, as listed there (``report/04-maalgruppen.qmd``)."""
    from ipsreport.render.config import load_project

    root = Path(project_dir or paths.PROJECT_DIR)
    project = load_project(root)
    rel = [str(p.relative_to(project.root)) for p in project.chapters]
    return rel, [str(p.relative_to(project.root)) for p in project.appendices]


def heading(path: Path) -> tuple[str, str]:
    """The title and ``sec-`` id of a chapter's first level-1 heading."""
    match = _HEADING.search(Path(path).read_text(encoding="utf-8"))
    ident = _ID.search(match.group("attrs")) if match else None
    if ident is None:
        raise GuideError(f"{path}: the first heading has no id ({{#sec-...}}), so the reading guide cannot refer to it")
    return match.group("title").strip(), ident.group(1)


def _case_focus(ident: str) -> str | None:
    """The ``focus`` of the case behind a ``sec-case-<name>`` appendix, or None."""
    if not ident.startswith("sec-case-"):
        return None
    from ipsreport.outputs.cases.load import get_case

    focus = str(get_case(ident.removeprefix("sec-case-")).focus).strip()
    return focus[:1].lower() + focus[1:] if focus[1:2].islower() else focus


def reading_guide(part: str = "chapters", after: str = "report/01-indledning.qmd",
                  project_dir: Path | None = None) -> str:
    """The guide as markdown: one list item per chapter after ``after``, or per appendix.

    Parameters
    ----------
    part : {"chapters", "appendices"}
        The chapters after ``after``, or every appendix.
    after : str
        The chapter that holds the guide (as listed in ``_quarto.yml``).
    project_dir : Path, optional
        The project folder (``_quarto.yml``); the package's project by default.

    Returns
    -------
    str
        Markdown: ``- @Sec-konklusion: Hovedresultaterne samlet; …`` per line.

    Raises
    ------
    GuideError
        For a chapter with no description and no case file, or without a heading id.
    ValueError
        For an unknown ``part``.
    """
    root = Path(project_dir or paths.PROJECT_DIR)
    chapters, appendices = book_files(root)
    if after not in chapters:
        raise GuideError(f"_quarto.yml: {after} is not among the chapters")
    if part not in ("chapters", "appendices"):
        raise ValueError(f"part must be 'chapters' or 'appendices', not {part!r}")
    listed = chapters[chapters.index(after) + 1:] if part == "chapters" else appendices
    lines = []
    for rel in listed:
        title, ident = heading(root / rel)
        focus = _case_focus(ident)
        if focus is not None:
            text = f"{title} ({focus})"
        elif rel in DESCRIPTIONS:
            text = DESCRIPTIONS[rel]
        else:
            raise GuideError(f"{rel} is in _quarto.yml but has no line in the reading guide: "
                             "add one to ipsreport.book.guide.DESCRIPTIONS")
        lines.append(f"- @{ident[:1].upper()}{ident[1:]}: {text}.")
    return "\n".join(lines) + "\n"


def outline_key(project_dir: Path | None = None) -> str:
    """Hash of ``_quarto.yml`` and each listed chapter's first heading: what the guide is written from."""
    root = Path(project_dir or paths.PROJECT_DIR)
    h = hashlib.sha256()
    config = root / "_quarto.yml"
    if not config.is_file():
        return ""
    h.update(config.read_bytes())
    try:
        chapters, appendices = book_files(root)
    except Exception:  # a broken _quarto.yml is reported by the render itself
        return h.hexdigest()
    for rel in [*chapters, *appendices]:
        match = _HEADING.search((root / rel).read_text(encoding="utf-8"))
        h.update(rel.encode())
        h.update((match.group(0) if match else "").encode())
    return h.hexdigest()
