"""Assemble executed chapters into a book model, numbered by ``numbering.lua``.

The book's numbering is defined once, in the pandoc Lua filter
``ipsreport/render/assets/numbering.lua``, which Quarto runs too (``filters:``
in ``_quarto.yml``). This module only hands the filter the executed book and
reads its answer:

* :func:`build_book` turns each executed chapter into markdown with float
  placeholders (:func:`chapter_markdown`) and runs the filter's index pass
  over the whole book: tables ``Tabel 1, 2, …`` and figures ``Figur 1, 2, …``
  through the book, chapters ``1, 2, …`` (not one whose title is
  ``.unnumbered`` or ``{-}``), sections ``N.M``, appendices ``Bilag 1, 2, …``;
* :func:`with_index` puts that index in front of a chapter's markdown, so the
  filter's chapter pass (``--lua-filter`` in the HTML and Typst conversions)
  writes the numbers into the headings and resolves ``@tbl-x``, ``@fig-x``,
  ``@sec-x`` ("Tabel 3", "afsnit 4.1", "Bilag 2"; ``@Sec-x`` capitalised,
  ``[-@x]`` the bare number).

A labelled cell that shows no table or figure (it printed a sentence instead,
for example because there are no data) takes no number and is in no list; a
parenthetical reference to it, ``(@tbl-x)``, is dropped with its brackets, so
the sentence around it still reads, and any other reference to it is dropped
with a warning. The words come from ``_quarto.yml``
(:mod:`ipsreport.render.words`; the report's are Danish: "Tabel", "kapitel").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipsreport.render.pandoc import NUMBERING_LUA, run_pandoc
from ipsreport.render.words import LABELS

# Markdown shapes the PDF's float placement reads (ipsreport.render.placement).
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*$")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_DIV_OPEN = re.compile(r"^(?P<colons>:{3,})\s*(?P<attrs>\{[^}]*\}|[\w-]+)\s*$")
_DIV_CLOSE = re.compile(r"^:{3,}\s*$")
_REF = re.compile(
    r"(?P<open>\[)?(?P<minus>-)?(?<![\w@.])@(?P<kind>[TtFfSs](?:bl|ig|ec))-(?P<name>[A-Za-z0-9_:-]*[A-Za-z0-9_])(?(open)\])"
)
PLACEHOLDER = "<!--ipsfloat:{n}-->"
_PLACEHOLDER_RE = re.compile(r"<!--ipsfloat:(\d+)-->")


@dataclass
class Float:
    """A table or figure produced by a cell (or an unnumbered output)."""

    kind: str  # "table" | "figure"
    label: str | None
    caption: str | None
    alt: str | None
    mime: str  # "svg" | "png" | "html"
    data: str
    number: int | None = None
    word: str | None = None  # "Tabel"/"Figur" from the project's labels

    @property
    def caption_text(self) -> str | None:
        """Caption with the number prefix, e.g. ``"Table 3: Status"``."""
        if self.number is None:
            return self.caption
        word = self.word or LABELS["tbl" if self.kind == "table" else "fig"]
        prefix = f"{word} {self.number}"
        return f"{prefix}: {self.caption}" if self.caption else prefix


@dataclass
class Chapter:
    """One chapter of the book model."""

    source: Path
    page: str  # HTML file name
    appendix: bool
    markdown: str  # with float placeholders; headings and refs as written (the filter numbers them)
    floats: list[Float]
    title: str = ""
    number: str | None = None  # "3" or "Bilag 2" or None
    ordinal: str | None = None  # the filter's number of the chapter or appendix: "3", "2"

    @property
    def display_title(self) -> str:
        """Title as shown in navigation: ``"3 Målgruppen"``, ``"Bilag 2: Katrine"``."""
        if self.number is None:
            return self.title
        if self.appendix:
            return f"{self.number}: {self.title}"
        return f"{self.number} {self.title}"


@dataclass
class Book:
    """All chapters, the filter's index of every label, the words, and the warnings.

    ``index`` maps a label to what ``numbering.lua`` found: ``kind`` (``tbl``,
    ``fig``, ``ch``, ``sec``, ``apx``, or ``absent`` for a cell that shows
    nothing), ``num`` (``"3"``, ``"4.1"``; none when unnumbered), ``page`` and
    ``title``.
    """

    chapters: list[Chapter]
    index: dict[str, dict[str, Any]]
    words: dict[str, str]
    warnings: list[str]


def _fence_len(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def chapter_markdown(executed: dict[str, Any], stem: str) -> tuple[str, list[Float]]:
    """Turn an executed chapter into markdown with float placeholders.

    Parameters
    ----------
    executed : dict
        ``ExecutedChapter.blocks`` wrapped as ``{"blocks": [...]}``.
    stem : str
        Chapter stem, used to name figure files.

    Returns
    -------
    (str, list of Float)
    """
    parts: list[str] = []
    floats: list[Float] = []
    for block in executed["blocks"]:
        if block["kind"] == "markdown":
            parts.append(block["text"])
            continue
        opts = block["options"]
        if not opts.get("include", True):
            continue
        if opts.get("echo"):
            fence = _fence_len(block["source"])
            parts.append(f"{fence} {{.python .cell-code}}\n{block['source']}\n{fence}")
        if opts.get("output") is False:
            continue
        label = opts.get("label")
        labelled_kind = None
        if isinstance(label, str) and label.startswith("tbl-"):
            labelled_kind = "table"
        elif isinstance(label, str) and label.startswith("fig-"):
            labelled_kind = "figure"
        used_label = False
        for out in block["outputs"]:
            t, data = out["type"], out["data"]
            if t == "markdown":
                parts.append(data)
            elif t in ("stdout", "text", "stderr"):
                if not data.strip():
                    continue
                fence = _fence_len(data)
                cls = ".cell-output-stderr" if t == "stderr" else ".cell-output"
                parts.append(f"{fence} {{{cls}}}\n{data.rstrip()}\n{fence}")
            elif t in ("svg", "png", "html"):
                kind = labelled_kind or ("table" if t == "html" else "figure")
                give = labelled_kind is not None and not used_label
                used_label = used_label or give
                cap = opts.get("tbl-cap") if kind == "table" else opts.get("fig-cap")
                fl = Float(
                    kind=kind,
                    label=label if give else None,
                    caption=str(cap) if (cap and (give or labelled_kind is None)) else None,
                    alt=str(opts["fig-alt"]) if opts.get("fig-alt") else None,
                    mime=t,
                    data=data,
                )
                floats.append(fl)
                parts.append(PLACEHOLDER.format(n=len(floats) - 1))
    return "\n\n".join(p.strip("\n") for p in parts) + "\n", floats


def _float_labels(executed: dict[str, Any]) -> list[str]:
    """The ``tbl-``/``fig-`` labels of the chapter's shown cells, in order."""
    labels = []
    for block in executed["blocks"]:
        if block["kind"] != "cell":
            continue
        opts = block["options"]
        label = opts.get("label")
        if (isinstance(label, str) and label.startswith(("tbl-", "fig-")) and opts.get("include", True)
                and opts.get("output") is not False):
            labels.append(label)
    return labels


def _outline(chapters: list[Chapter], absent: list[list[str]]) -> str:
    """The whole book as one markdown document for the filter's index pass.

    Each chapter follows a raw ``ipsreport-file`` block; each numbered float
    is an empty div with its label, each labelled cell that shows nothing an
    ``.ipsreport-absent`` div (see ``numbering.lua``).
    """
    parts = []
    for ch, missing in zip(chapters, absent):
        head = json.dumps({"path": str(ch.source), "page": ch.page, "appendix": ch.appendix}, ensure_ascii=False)
        parts.append(f"```{{=ipsreport-file}}\n{head}\n```")
        parts.extend(f"::: {{#{label} .ipsreport-absent}}\n:::" for label in missing)

        def div(m: re.Match, ch: Chapter = ch) -> str:
            fl = ch.floats[int(m.group(1))]
            return f"\n\n::: {{#{fl.label} .ipsreport-float}}\n:::\n\n" if fl.label else ""

        parts.append(_PLACEHOLDER_RE.sub(div, ch.markdown))
    return "\n\n".join(parts) + "\n"


def build_book(chapters: list[tuple[Path, dict[str, Any], bool, str]], labels: dict[str, str] | None = None) -> Book:
    """Number chapters, sections, tables and figures across the book.

    The numbers come from ``numbering.lua`` (:data:`NUMBERING_LUA`), the
    filter Quarto runs too, in its index pass: one pandoc run over the whole
    book. The chapters' headings and references get their numbers in the
    chapter pass, when each chapter is converted (:func:`with_index`).

    Parameters
    ----------
    chapters : list of (source path, executed blocks dict, is_appendix, html page name)
    labels : dict, optional
        Words for tables, figures, chapters, sections and appendices
        (``Project.labels``); missing words fall back to :data:`LABELS`.

    Returns
    -------
    Book
        Chapters with their numbers and titles, floats with theirs, the
        filter's index of every label, and its warnings.
    """
    words = {**LABELS, **(labels or {})}
    out: list[Chapter] = []
    absent: list[list[str]] = []
    for source, executed, appendix, page in chapters:
        md, floats = chapter_markdown(executed, source.stem)
        out.append(Chapter(source=source, page=page, appendix=appendix, markdown=md, floats=floats))
        shown = {fl.label for fl in floats if fl.label}
        # A cell that printed no table or figure (e.g. a sentence for no data): no number, no list entry.
        absent.append([label for label in _float_labels(executed) if label not in shown])
    found = json.loads(run_pandoc(_outline(out, absent), "markdown-auto_identifiers", "plain",
                                  ["--lua-filter", str(NUMBERING_LUA)], where="the book's numbering"))
    seen = [entry["path"] for entry in found["files"]]
    if len(seen) != len(out):
        # A chapter that leaves a code fence or a div open swallows the markers of the chapters after it.
        lost = next(i for i, ch in enumerate(out) if i >= len(seen) or seen[i] != str(ch.source))
        raise RuntimeError(f"{out[lost - 1].source if lost else out[0].source}: a code block (```) or a div (:::) "
                           "is not closed, so the chapters after it could not be numbered")
    index = found["index"] or {}
    for ch, entry in zip(out, found["files"]):
        ch.title = entry.get("title") or ""
        num = ch.ordinal = entry.get("num")
        ch.number = (f"{words['appendix']} {num}" if ch.appendix else num) if num and ch.title else None
        for fl in ch.floats:
            if fl.label and fl.label in index:
                fl.word = words["tbl" if fl.kind == "table" else "fig"]
                fl.number = int(index[fl.label]["num"])
    return Book(out, index, words, list(found["warnings"] or []))


def with_index(markdown: str, book: Book, ch: Chapter, target: str) -> str:
    """The chapter's markdown for the filter's chapter pass: the book's index in front.

    Converted with ``--lua-filter`` :data:`NUMBERING_LUA`, the chapter's
    headings get their numbers ("4.1 …", "Bilag 2: …") and every ``@tbl-``,
    ``@fig-``, ``@sec-`` reference its text and link ("Tabel 3").

    Parameters
    ----------
    markdown : str
        Chapter markdown (from :func:`build_book`, floats placed or filled).
    book : Book
    ch : Chapter
        The chapter (its page, whether it is an appendix, its number).
    target : {"html", "typst"}
        Links go to other pages in HTML, within the one document in Typst.
    """
    here = {"page": ch.page, "appendix": ch.appendix, **({"num": ch.ordinal} if ch.ordinal else {})}
    # Only the labels the chapter's text contains (``@Sec-x`` contains "ec-x"): no other can be referred
    # to from it. The input stays small, and the chapter's memoised conversion stays valid as long as
    # the numbers it refers to do.
    index = {label: entry for label, entry in book.index.items() if label[1:] in markdown}
    job = json.dumps({"index": index, "here": here, "words": book.words, "target": target},
                     ensure_ascii=False, sort_keys=True)
    fence = _fence_len(job)
    return f"{fence}{{=ipsreport-index}}\n{job}\n{fence}\n\n{markdown}"


def fill_placeholders(markdown: str, render) -> str:
    """Replace float placeholders with ``render(index)`` (raw blocks)."""
    return _PLACEHOLDER_RE.sub(lambda m: render(int(m.group(1))), markdown)
