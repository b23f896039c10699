"""Assemble executed chapters into a book model with report-wide numbering.

Numbering follows document order across the whole book:

* tables ``Table 1, 2, …`` and figures ``Figure 1, 2, …`` (labelled cells
  ``tbl-*`` / ``fig-*``, and markdown images with ``{#fig-*}``);
* main chapters ``1, 2, …`` (a chapter whose title carries ``.unnumbered``
  or ``{-}`` is not numbered), sections ``N.M`` and ``N.M.K``;
* appendices ``Appendix 1, Appendix 2, …`` (numbers, not letters).

References ``@tbl-x`` → "Table 3", ``@fig-x`` → "Figure 2", ``@sec-x`` →
"Chapter 4" / "Section 4.1" / "Appendix 2"; ``@Sec-x`` capitalises, and
``[-@x]`` gives the bare number.

A labelled cell that shows no table or figure (it printed a sentence instead,
for example because there are no data) takes no number and is in no list; a
parenthetical reference to it, ``(@tbl-x)``, is dropped with its brackets, so
the sentence around it still reads, and any other reference to it is dropped
with a warning. The words come from ``_quarto.yml``
(:mod:`ipsreport.render.words`; the report's are Danish: "Tabel", "kapitel").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipsreport.render.words import LABELS

_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*$")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_DIV_OPEN = re.compile(r"^(?P<colons>:{3,})\s*(?P<attrs>\{[^}]*\}|[\w-]+)\s*$")
_DIV_CLOSE = re.compile(r"^:{3,}\s*$")
_MD_FIGURE = re.compile(r"^!\[(?P<cap>[^\]]*)\]\((?P<src>[^)\s]+)\)\{(?P<attrs>[^}]*#fig-[^}]*)\}\s*$")
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
    chapter: int = 0
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
class Heading:
    """A section heading of a chapter."""

    level: int
    title: str
    ident: str | None
    number: str | None
    classes: list[str] = field(default_factory=list)


@dataclass
class Chapter:
    """One chapter of the book model."""

    source: Path
    page: str  # HTML file name
    appendix: bool
    markdown: str  # with float placeholders, numbered headings, refs unresolved
    floats: list[Float]
    title: str = ""
    number: str | None = None  # "3" or "Bilag 2" or None
    headings: list[Heading] = field(default_factory=list)

    @property
    def display_title(self) -> str:
        """Title as shown in navigation: ``"3 Målgruppen"``, ``"Bilag 2: Katrine"``."""
        if self.number is None:
            return self.title
        if self.appendix:
            return f"{self.number}: {self.title}"
        return f"{self.number} {self.title}"


@dataclass
class Target:
    """Where a label points: display text and anchor."""

    kind: str
    text: str
    page: str
    anchor: str


@dataclass
class Book:
    """All chapters plus the label registry and collected warnings."""

    chapters: list[Chapter]
    targets: dict[str, Target]
    warnings: list[str] = field(default_factory=list)


def _attrs(attrs: str | None) -> tuple[str | None, list[str], dict[str, str]]:
    ident, classes, kv = None, [], {}
    for tok in re.findall(r'[^\s=]+="[^"]*"|[^\s=]+=\S+|\S+', attrs or ""):
        if tok.startswith("#"):
            ident = tok[1:]
        elif tok.startswith("."):
            classes.append(tok[1:])
        elif tok == "-":
            classes.append("unnumbered")
        elif "=" in tok:
            k, v = tok.split("=", 1)
            kv[k] = v.strip('"')
    return ident, classes, kv


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


def _scan(markdown: str):
    """Yield (line_index, line, in_structure) skipping fenced code and callouts."""
    fence: str | None = None
    div_stack: list[bool] = []  # True when the div is a callout
    for i, line in enumerate(markdown.split("\n")):
        s = line.strip()
        if fence is not None:
            if s.startswith(fence) and s.strip(fence[0]) == "":
                fence = None
            yield i, line, False
            continue
        m = _FENCE.match(s)
        if m:
            fence = m.group(1)
            yield i, line, False
            continue
        if _DIV_CLOSE.match(s) and div_stack:
            div_stack.pop()
            yield i, line, False
            continue
        d = _DIV_OPEN.match(s)
        if d:
            div_stack.append("callout" in d.group("attrs"))
            yield i, line, False
            continue
        yield i, line, not any(div_stack)


def build_book(chapters: list[tuple[Path, dict[str, Any], bool, str]], labels: dict[str, str] | None = None) -> Book:
    """Number chapters, sections, tables and figures across the book.

    Parameters
    ----------
    chapters : list of (source path, executed blocks dict, is_appendix, html page name)
    labels : dict, optional
        Words for tables, figures, chapters, sections and appendices
        (``Project.labels``); missing words fall back to :data:`LABELS`.

    Returns
    -------
    Book
        Chapters with numbered headings (numbers written into the markdown)
        and a registry of every label.
    """
    words = {**LABELS, **(labels or {})}
    targets: dict[str, Target] = {}
    warnings: list[str] = []
    out: list[Chapter] = []
    chap_no = 0
    apx_no = 0
    n_tbl = 0
    n_fig = 0

    def register(label: str, target: Target, where: str) -> None:
        if label in targets:
            warnings.append(f"{where}: duplicate label {label!r}")
        targets[label] = target

    for source, executed, appendix, page in chapters:
        stem = source.stem
        md, floats = chapter_markdown(executed, stem)
        ch = Chapter(source=source, page=page, appendix=appendix, markdown=md, floats=floats)
        shown = {fl.label for fl in floats if fl.label}
        for label in _float_labels(executed):
            if label not in shown:
                # The cell printed no table or figure (e.g. a sentence for no data): no number, no list entry.
                register(label, Target("absent", "", page, label), str(source))
        lines = md.split("\n")
        counters = [0, 0, 0, 0, 0, 0]
        chapter_numbered = False
        seen_title = False
        float_iter = 0
        for i, line, structural in _scan(md):
            for m in _PLACEHOLDER_RE.finditer(line):
                fl = floats[int(m.group(1))]
                float_iter += 1
                if fl.label:
                    fl.word = words["tbl" if fl.kind == "table" else "fig"]
                    if fl.kind == "table":
                        n_tbl += 1
                        fl.number = n_tbl
                    else:
                        n_fig += 1
                        fl.number = n_fig
                    register(
                        fl.label,
                        Target(fl.kind, f"{words['tbl' if fl.kind == 'table' else 'fig']} {fl.number}", page, fl.label),
                        str(source),
                    )
            if not structural:
                continue
            fm = _MD_FIGURE.match(line.strip())
            if fm:
                ident, _, _ = _attrs(fm.group("attrs"))
                n_fig += 1
                register(ident, Target("figure", f"{words['fig']} {n_fig}", page, ident), str(source))
                cap = fm.group("cap")
                lines[i] = line.replace(f"[{cap}]", f"[{words['fig']} {n_fig}: {cap}]", 1)
                continue
            hm = _HEADING.match(line)
            if not hm:
                continue
            level = len(hm.group("hashes"))
            title = hm.group("text").strip()
            ident, classes, _ = _attrs(hm.group("attrs"))
            number: str | None = None
            if level == 1 and not seen_title:
                seen_title = True
                ch.title = title
                if "unnumbered" in classes:
                    number = None
                elif appendix:
                    apx_no += 1
                    number = f"{words['appendix']} {apx_no}"
                    chapter_numbered = True
                else:
                    chap_no += 1
                    number = str(chap_no)
                    chapter_numbered = True
                ch.number = number
                shown = (f"{number}: {title}" if appendix else f"{number} {title}") if number else title
                if ident:
                    text = f"{words['appendix']} {apx_no}" if appendix else f"{words['chapter']} {chap_no}"
                    if number is None:
                        text = title
                    register(ident, Target("chapter", text, page, ident), str(source))
            else:
                shown = title
                if chapter_numbered and not appendix and "unnumbered" not in classes and level >= 2:
                    counters[level - 1] += 1
                    for k in range(level, 6):
                        counters[k] = 0
                    number = ".".join([str(chap_no), *[str(c) for c in counters[1:level]]])
                    shown = f"{number} {title}"
                if ident:
                    if number is not None:
                        text = f"{words['section']} {number}"
                    elif appendix and chapter_numbered:
                        text = f"{words['appendix']} {apx_no}"
                    else:
                        text = f"«{title}»"
                    register(ident, Target("section", text, page, ident), str(source))
            attrs = hm.group("attrs")
            lines[i] = f"{hm.group('hashes')} {shown}" + (f" {{{attrs}}}" if attrs else "")
            ch.headings.append(Heading(level, title, ident, number, classes))
        ch.markdown = "\n".join(lines)
        out.append(ch)
    return Book(out, targets, warnings)


def resolve_refs(markdown: str, book: Book, page: str, target: str, where: str = "") -> str:
    """Replace ``@tbl-x`` etc. with link text in the book's words.

    Parameters
    ----------
    markdown : str
        Chapter markdown (after :func:`build_book`).
    book : Book
    page : str
        HTML page of the chapter (links within it stay page-local).
    target : {"html", "typst"}
    where : str
        Chapter name for warnings about unknown labels.
    """

    def sub(m: re.Match) -> str:
        kind = m.group("kind")
        label = f"{kind.lower()}-{m.group('name')}"
        t = book.targets.get(label)
        if t is None:
            book.warnings.append(f"{where}: unknown cross-reference @{label}")
            return f"**?\\@{label}**"
        if t.kind == "absent":
            book.warnings.append(f"{where}: @{label} refers to a table or figure that is not shown; "
                                 "write the reference in brackets, (@label), so it can be left out")
            return ""
        text = t.text
        if m.group("minus"):
            text = text.split(" ")[-1]
        elif kind[0].isupper():
            text = text[0].upper() + text[1:]
        if target == "html":
            href = f"#{t.anchor}" if t.page == page else f"{t.page}#{t.anchor}"
        else:
            href = f"#{t.anchor}"
        return f"[{text}]({href})"

    absent = [label for label, t in book.targets.items() if t.kind == "absent"]
    gone = re.compile(r"[ \t]*\(\s*\[?-?@(?:" + "|".join(re.escape(a) for a in absent) + r")\]?\s*\)",
                      re.IGNORECASE) if absent else None
    # Leave code alone: only substitute outside fenced blocks and inline code.
    lines = markdown.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        s = line.strip()
        if fence is not None:
            if s.startswith(fence) and s.strip(fence[0]) == "":
                fence = None
            continue
        m = _FENCE.match(s)
        if m:
            fence = m.group(1)
            continue
        if "@" in line:
            pieces = re.split(r"(`[^`]*`)", line)
            if gone is not None:
                pieces = [p if p.startswith("`") else gone.sub("", p) for p in pieces]
            lines[i] = "".join(p if p.startswith("`") else _REF.sub(sub, p) for p in pieces)
    return "\n".join(lines)


def fill_placeholders(markdown: str, render) -> str:
    """Replace float placeholders with ``render(index)`` (raw blocks)."""
    return _PLACEHOLDER_RE.sub(lambda m: render(int(m.group(1))), markdown)
