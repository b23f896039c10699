"""Read a Quarto book project (``_quarto.yml``) into a :class:`Project`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ipsreport.render.words import crossref_labels, ui_words


class ProjectError(ValueError):
    """The project folder or its ``_quarto.yml`` is not usable."""


@dataclass(frozen=True)
class Project:
    """A book project as the engine needs it.

    Attributes
    ----------
    root : Path
        Folder holding ``_quarto.yml``.
    title, subtitle, author, date : str
        Book metadata (``book:`` keys).
    lang : str
        Document language (``lang:``), default ``"en"``.
    chapters : list of Path
        Main chapters, in order (absolute paths).
    appendices : list of Path
        Appendix chapters, in order (absolute paths).
    output_dir : Path
        ``project: output-dir`` (absolute), default ``_book``.
    output_file : str
        Stem of the PDF file (``book: output-file``).
    labels : dict
        Cross-reference words (see :func:`ipsreport.render.words.crossref_labels`).
    words : dict
        Page UI words (see :func:`ipsreport.render.words.ui_words`).
    keywords : list of str
        ``keywords:`` (PDF metadata).
    config : dict
        The whole parsed ``_quarto.yml``.
    """

    root: Path
    title: str
    subtitle: str
    author: str
    date: str
    lang: str
    chapters: list[Path]
    appendices: list[Path]
    output_dir: Path
    output_file: str
    labels: dict[str, str] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def files(self) -> list[Path]:
        """All chapter files, main chapters first, then appendices."""
        return [*self.chapters, *self.appendices]

    def is_appendix(self, path: Path) -> bool:
        """Return whether ``path`` is one of the appendices."""
        return path in self.appendices


def _chapter_list(items: Any, root: Path, key: str) -> list[Path]:
    out: list[Path] = []
    for item in items or []:
        # Quarto allows `- part: "Title"\n  chapters: [...]`; flatten parts.
        if isinstance(item, dict):
            if "chapters" in item:
                out.extend(_chapter_list(item["chapters"], root, key))
                continue
            item = item.get("href") or item.get("file")
        if not isinstance(item, str):
            raise ProjectError(f"_quarto.yml: book.{key} entries must be file names, got {item!r}")
        out.append((root / item).resolve())
    return out


def load_project(root: Path) -> Project:
    """Parse ``root/_quarto.yml``.

    Parameters
    ----------
    root : Path
        Project folder.

    Returns
    -------
    Project

    Raises
    ------
    ProjectError
        If the file is missing, is not a book project, or lists chapters
        that do not exist.
    """
    root = Path(root).resolve()
    path = root / "_quarto.yml"
    if not path.exists():
        raise ProjectError(f"{root}: no _quarto.yml (is this the project folder?)")
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ProjectError(f"{path}: invalid YAML: {exc}") from exc
    project = config.get("project") or {}
    if project.get("type") != "book":
        raise ProjectError(f"{path}: expected `project: type: book`")
    book = config.get("book") or {}
    chapters = _chapter_list(book.get("chapters"), root, "chapters")
    appendices = _chapter_list(book.get("appendices"), root, "appendices")
    if not chapters:
        raise ProjectError(f"{path}: book.chapters is empty")
    missing = [str(p.relative_to(root)) for p in [*chapters, *appendices] if not p.exists()]
    if missing:
        raise ProjectError(f"{path}: chapter files not found: {', '.join(missing)}")
    author = book.get("author", "")
    if isinstance(author, list):
        author = ", ".join(a if isinstance(a, str) else a.get("name", "") for a in author)
    elif isinstance(author, dict):
        author = author.get("name", "")
    return Project(
        root=root,
        title=str(book.get("title", "")),
        subtitle=str(book.get("subtitle", "")),
        author=str(author),
        date=str(book.get("date", "")),
        lang=str(config.get("lang", "en")),
        chapters=chapters,
        appendices=appendices,
        output_dir=(root / project.get("output-dir", "_book")).resolve(),
        output_file=str(book.get("output-file", "book")),
        labels=crossref_labels(config),
        words=ui_words(config),
        keywords=[str(k) for k in (config.get("keywords") or [])],
        config=config,
    )
