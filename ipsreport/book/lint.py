"""Chapter linter: house rules for the report's Quarto chapters.

The chapters only *call* the package; every number in the prose must come
from data. This module checks the ``.qmd`` files for the rules that keep it
that way and that keep the book accessible:

``fig-alt`` / ``fig-cap``
    every figure cell has a caption and Danish alt text;
``tbl-cap``
    every table cell has a caption;
``label-kind``
    a cell calling ``ips.fig_*`` has a ``fig-`` label, ``ips.tab_*`` a ``tbl-`` label;
``unreferenced`` / ``referenced-late``
    every ``tbl-``/``fig-`` label is cross-referenced with ``@label``, and
    (within its chapter) before the cell, unless an earlier chapter did so;
``unknown-ref`` / ``duplicate-label``
    every ``@tbl-``/``@fig-``/``@sec-`` reference points to exactly one label;
``long-cell``
    a code cell holds at most three lines of code (chapters call, the
    package computes);
``typed-number``
    no hand-typed data numbers in prose, captions or alt text (a heuristic).
    Besides digits with units it catches counts in words ("seks af
    indsatsens samarbejdspartnere", "fire unge", "i to år") and periods typed
    as months ("fra marts til februar"). Numbers that have a setting or a
    source in the data are *not* allowed: the fidelity limit
    (``f.caseload_limit``), the confidence level (``f.confidence_level``,
    from ``alpha``), the project periods, and the counts of interviews and
    cases. :data:`ALLOWED_PATTERNS` lists the few true definitions that may be
    typed: scale ranges and end points, category thresholds ("mere end seks
    måneder"), years and dates, chapter/table numbers, the 15–29-year target
    group, the age of majority, significance levels and instrument names;
``markup``
    only the Quarto markdown subset the render engine supports (no raw
    HTML/LaTeX, shortcodes or tabsets);
``apostrophe`` / ``range-dash``
    one typography in prose, captions and alt text: the apostrophe is ’
    (U+2019, "IPS UNG’s", "Tobias’"), never the straight ``'`` (captions
    and alt text are not set by pandoc's smart punctuation, so a straight
    one would be printed); a range of numbers takes an en dash ("2–4
    måneder"), as :func:`ipsreport.outputs.fmt.span` writes it.

The chapters are read with the render engine's parser
(:mod:`ipsreport.render.qmd`), so the linter sees exactly the cells, options
(YAML, multi-line values included) and inline expressions that get rendered;
a file that parser rejects is reported as a ``parse`` problem.

Run ``python -m ipsreport.book.lint [FILES]``; without files it checks the
chapters listed in ``_quarto.yml`` (read by
:func:`ipsreport.render.config.load_project`), in book order. The exit status
is 1 when problems are found.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.dates import get_month_names

from ipsreport.render.fences import fences
from ipsreport.render.qmd import Cell, Markdown, QmdError, parse_qmd, split_inline

__all__ = ["Problem", "Chapter", "parse_chapter", "lint_chapters", "typed_numbers", "default_paths", "main"]

MAX_CELL_LINES = 3

_HEADING_ID = re.compile(r"\{[^}]*#(?P<id>(?:sec|fig|tbl)-[\w-]+)[^}]*\}")
#: ``@Sec-x`` (capitalised link text) refers to the label ``sec-x``.
_REF = re.compile(r"(?<![\w.@])@(?P<id>(?:[Ss]ec|[Ff]ig|[Tt]bl)-[\w-]*\w)")
#: Chapter API calls whose printed text (an ``output: asis`` cell) cross-references these labels: lint
#: cannot run them, so a cell calling one counts as referencing them there. ``tests/test_editions_twin.py``
#: checks that the text really holds each reference.
GENERATED_REFERENCES = {
    "ips.edition_change_section(": ("tbl-edition-change", "tbl-edition-series", "fig-edition-series"),
}
#: Ordinary inline code (inline expressions are split off by :func:`split_inline` first).
_INLINE_CODE = re.compile(r"`[^`\n]*`")

#: Danish month names ("januar|februar|...") from Babel's CLDR data.
_MONTHS = "|".join(get_month_names("wide", locale="da").values())
_NUMBER_WORDS_DEF = "en|én|et|ét|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tyve"

#: Definitions that may be typed by hand. They are removed from the text
#: before the number patterns are applied, so keep them narrow.
ALLOWED_PATTERNS: tuple[str, ...] = (
    # the target group and the age rule of the method: "15–29 år", "mellem 15 og 29 år"
    r"\b(?:mellem\s+)?1[58]\s*(?:–|-|og|til)\s*29(?:\s*-?\s*årige|\s+år)?",
    # scale ranges and category bounds: "1–5", "0–100", "36–50", "2-4 måneder"
    r"\b\d+\s*(?:–|-)\s*\d+\b",
    # scale definitions: "en skala fra 0 til 100"
    r"(?i)\bskala\s+fra\s+\d+(?:\s*\([^)]*\))?\s+til\s+\d+",
    # scale end points: "fra 1 (aldrig) til 5 (meget ofte)"
    r"\b\d+\s*\([^)]*\)",
    # years and full dates: "2025", "1. maj 2025", "marts 2023"
    r"\b\d{1,2}\.\s*(?:" + _MONTHS + r")\b",
    r"\b(?:19|20)\d{2}\b",
    # chapter, section, table, figure, appendix and question numbers
    r"(?i)\b(?:kapitel|kapitlerne|afsnit|bilag|tabel|figur|spørgsmål|fase)\s+\d+(?:\.\d+)*(?:\s*(?:–|-|og)\s*\d+(?:\.\d+)*)?",
    # the age of majority: "unge under 18 år"
    r"(?i)\b(?:under|over|fyldt|fylder|fyldte)\s+18(?:\s+år)?",
    # thresholds of a category or question: "i mere end seks måneder", "over tyve år", "de seneste fire uger"
    r"(?i)\b(?:mere end|mindre end|over|under|mindst|højst|de seneste)\s+(?:" + _NUMBER_WORDS_DEF + r"|\d+)\s+"
    r"(?:måneder|måned|år|uger|uge)\b",
    # significance levels: "p < 0,05"
    r"(?i)\bp\s*[<>≤≥=]\s*0,\d+",
    # instrument names: WHO-5
    r"WHO-5",
    # footnote markers
    r"\[\^[^\]]+\]",
)


def _union(patterns) -> re.Pattern:
    # A leading "(?i)" applies to that alternative only (scoped flag group).
    parts = [f"(?i:{p[4:]})" if p.startswith("(?i)") else f"(?:{p})" for p in patterns]
    return re.compile("|".join(parts))


_ALLOWED = _union(ALLOWED_PATTERNS)

_NUMBER_WORDS = "en|én|et|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv"
#: Number words that count something from the data or the fieldwork ("en"/"et" are articles).
_COUNT_WORDS = "to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tyve"
#: What such a count counts: people, interviews, cases, programme months and years.
_COUNTED = (
    "unge|deltagere|samarbejdspartnere|fagpersoner|informanter|interview\\w*|cases|caseanalyser|forløb|"
    "konsulenter|respondenter|personer|besvarelser|måneder|år"
)
_UNITS = (
    "%|procent|pct\\.?|procentpoint|ud af|unge|deltagere|respondenter|personer|"
    "besvarelser|svarpersoner|borgere|forløb|kvinder|mænd|år|måneder|point"
)
#: What a hand-typed data number looks like in running text.
TYPED_NUMBER_PATTERNS: tuple[str, ...] = (
    rf"\b\d[\d.,]*\s*(?:{_UNITS})(?![\wæøå])",
    rf"(?i)\b(?:{_NUMBER_WORDS})\s+ud\s+af\s+(?:\d+|{_NUMBER_WORDS})\b",
    r"\b\d+,\d+\b",
    r"(?i)\b(?:steg|faldt|øgedes|voksede|ændrede\s+sig|gik\s+(?:op|ned))\s+(?:\w+\s+){0,3}fra\s+\d",
    r"\b[Nn]\s*[:=]\s*\d+",
    # a count in words: "seks af indsatsens kommunale samarbejdspartnere", "fire unge", "i to år"
    rf"(?i)\b(?:{_COUNT_WORDS})\s+(?:[\wæøå]+\s+){{0,3}}?(?:{_COUNTED})(?![\wæøå])",
    # a period typed as months (the years are definitions, the span is a setting): "fra marts til februar"
    rf"(?i)\b(?:{_MONTHS})\s*(?:–|-|til)\s*(?:{_MONTHS})\b",
)
_TYPED_NUMBER = _union(TYPED_NUMBER_PATTERNS)
#: In alt text and captions any free-standing number is suspect.
_ANY_NUMBER = re.compile(r"(?<![\w-])\d[\d.,]*(?![\w-])")

_MARKUP = (
    (re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?>"), "raw HTML"),
    (re.compile(r"\\(?:begin|end|textbf|emph|newpage|pagebreak|vspace|hspace)\b"), "raw LaTeX"),
    (re.compile(r"\{\{<.*?>\}\}"), "shortcode"),
    (re.compile(r"\.panel-tabset|\.tabset"), "tabset"),
    (re.compile(r"^```\{=(?:html|latex|typst|tex)\}"), "raw block"),
)
_RAW_BLOCK = _MARKUP[-1][0]

#: Typography rules for prose, captions and alt text: (pattern, rule, message).
_TYPOGRAPHY = (
    (re.compile(r"(?<=\w)'"), "apostrophe", "a straight apostrophe; write ’ (U+2019), as in »IPS UNG’s« and »Tobias’«"),
    (re.compile(r"(?<![\w.])\d+\s?-\s?\d+(?![\w.])"), "range-dash", "a range with a hyphen; write an en dash (–), as in »2–4 måneder«"),
)


def _typography(text: str) -> list[tuple[str, str]]:
    """``(rule, message)`` for each typography rule one text breaks (inline code and expressions left out)."""
    literal = _literal(text)
    return [(rule, f"{message}: {m.group(0)!r}") for pattern, rule, message in _TYPOGRAPHY for m in pattern.finditer(literal)]


@dataclass(frozen=True)
class Problem:
    """One rule violation, printable as ``path:line: rule: message``."""

    path: Path
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


@dataclass
class Chapter:
    """A ``.qmd`` file as the render engine parses it, plus what the rules need.

    Attributes
    ----------
    path : Path
        The file.
    cells : list of ipsreport.render.qmd.Cell
        The ``{python}`` cells, options parsed as YAML (as the renderer does).
    prose : list of (int, str)
        Line number and text of every prose line outside fenced code blocks
        and HTML comments (a raw-block fence line is kept for the markup rule).
    labels : dict
        Label -> line of definition (cell labels and heading ids).
    refs : list of (int, str)
        Line and label of every ``@ref`` in prose.
    duplicate_labels : list of (int, str)
        Labels defined a second time in this file.
    """

    path: Path
    cells: list[Cell] = field(default_factory=list)
    prose: list[tuple[int, str]] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)
    refs: list[tuple[int, str]] = field(default_factory=list)
    duplicate_labels: list[tuple[int, str]] = field(default_factory=list)


def _option(cell: Cell, key: str) -> str:
    """A cell option as text ("" when unset); YAML may have typed it as a number."""
    value = cell.options.get(key)
    return "" if value is None else str(value)


def _literal(text: str) -> str:
    """Prose without inline ``{python}`` expressions and inline code."""
    parts = split_inline(text)
    return _INLINE_CODE.sub(" ", "".join(p if isinstance(p, str) else " " for p in parts))


def _prose_lines(block: Markdown):
    """Yield ``(line, text)`` of the prose lines of one markdown block.

    Fenced code blocks and HTML comments are not prose: their lines are
    skipped, except a raw-block fence line (e.g. ```` ```{=html} ````), which
    the markup rule must see.
    """
    lines = block.text.split("\n")
    fenced = {line: fence.start for fence in fences(lines) for line in range(fence.start, fence.end)}
    in_comment = False
    for offset, line in enumerate(lines):
        line_no = block.line + offset
        if offset in fenced:
            if fenced[offset] == offset and _RAW_BLOCK.match(line.strip()):
                yield line_no, line
            continue
        if "<!--" in line:
            in_comment = "-->" not in line.split("<!--", 1)[1]
            line = re.sub(r"<!--.*?(-->|$)", "", line)
        elif in_comment:
            if "-->" not in line:
                continue
            in_comment = False
            line = line.split("-->", 1)[1]
        yield line_no, line


def parse_chapter(path: Path | str, text: str | None = None) -> Chapter:
    """Read a ``.qmd`` file with the render engine's parser.

    Parameters
    ----------
    path : Path or str
        File to read (also used in messages).
    text : str, optional
        The file's content; read from ``path`` when omitted.

    Returns
    -------
    Chapter

    Raises
    ------
    ipsreport.render.qmd.QmdError
        When the renderer could not parse the file either.
    """
    path = Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8")
    doc = parse_qmd(text, path)
    chapter = Chapter(path=path, cells=doc.cells)
    for block in doc.blocks:
        if isinstance(block, Cell):
            label = _option(block, "label")
            if label:
                _add_label(chapter, label, block.line)
            for call, labels in GENERATED_REFERENCES.items():
                if call in block.source:
                    chapter.refs.extend((block.line, generated) for generated in labels)
            continue
        for line_no, line in _prose_lines(block):
            for m in _HEADING_ID.finditer(line):
                _add_label(chapter, m["id"], line_no)
            chapter.prose.append((line_no, line))
            for m in _REF.finditer(_literal(line)):
                chapter.refs.append((line_no, m["id"][0].lower() + m["id"][1:]))
    return chapter


def _add_label(chapter: Chapter, label: str, line: int) -> None:
    if label in chapter.labels:
        chapter.duplicate_labels.append((line, label))
    else:
        chapter.labels[label] = line


def _strip_prose(text: str) -> str:
    """Remove what the number rule must not see: inline code, ids, links, allowed definitions."""
    text = _literal(text)
    text = re.sub(r"\{[^}]*#[\w-]+[^}]*\}", " ", text)  # heading attributes
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"https?://\S+", " ", text)
    text = _REF.sub(" ", text)
    return _ALLOWED.sub(" ", text)


def typed_numbers(text: str) -> list[str]:
    """Return the suspected hand-typed data numbers in one line of prose."""
    return [m.group(0).strip() for m in _TYPED_NUMBER.finditer(_strip_prose(text))]


def _numbers_in_caption(text: str) -> list[str]:
    stripped = _strip_prose(text)
    return [m.group(0) for m in _ANY_NUMBER.finditer(stripped)]


def _is_figure(cell: Cell) -> bool:
    return _option(cell, "label").startswith("fig-") or cell.options.get("fig-cap") is not None


def _is_table(cell: Cell) -> bool:
    return _option(cell, "label").startswith("tbl-") or cell.options.get("tbl-cap") is not None


def _lint_cells(chapter: Chapter) -> list[Problem]:
    problems: list[Problem] = []
    for cell in chapter.cells:
        where = (chapter.path, cell.line)
        label = _option(cell, "label")
        code = [c for c in cell.source.splitlines() if c.strip() and not c.strip().startswith("#")]
        if len(code) > MAX_CELL_LINES:
            problems.append(
                Problem(*where, "long-cell", f"cell has {len(code)} lines of code (at most {MAX_CELL_LINES}); move the logic into the package")
            )
        joined = "\n".join(code)
        if re.search(r"\bips\.fig_", joined) and not label.startswith("fig-"):
            problems.append(Problem(*where, "label-kind", "a cell calling ips.fig_* needs a 'fig-' label"))
        if re.search(r"\bips\.tab_", joined) and not label.startswith("tbl-"):
            problems.append(Problem(*where, "label-kind", "a cell calling ips.tab_* needs a 'tbl-' label"))
        if _is_figure(cell):
            for key in ("fig-cap", "fig-alt"):
                if not _option(cell, key).strip():
                    problems.append(Problem(*where, key, f"figure cell {label or '(no label)'} has no {key}"))
            for key in ("fig-cap", "fig-alt"):
                nums = _numbers_in_caption(_option(cell, key))
                if nums:
                    problems.append(Problem(*where, "typed-number", f"{key} of {label} contains number(s) {nums}; describe the shape, put numbers in the prose"))
        for key in ("fig-cap", "fig-alt", "tbl-cap"):
            problems += [Problem(*where, rule, f"{key} of {label}: {msg}") for rule, msg in _typography(_option(cell, key))]
        if _is_table(cell):
            if not _option(cell, "tbl-cap").strip():
                problems.append(Problem(*where, "tbl-cap", f"table cell {label or '(no label)'} has no tbl-cap"))
            nums = _numbers_in_caption(_option(cell, "tbl-cap"))
            if nums:
                problems.append(Problem(*where, "typed-number", f"tbl-cap of {label} contains number(s) {nums}"))
    return problems


def _lint_prose(chapter: Chapter) -> list[Problem]:
    problems: list[Problem] = []
    for line_no, text in chapter.prose:
        for pattern, what in _MARKUP:
            if pattern.search(text):
                problems.append(Problem(chapter.path, line_no, "markup", f"{what} is not supported by the render engine: {text.strip()[:60]!r}"))
        problems += [Problem(chapter.path, line_no, rule, msg) for rule, msg in _typography(text)]
        found = typed_numbers(text)
        if found:
            problems.append(
                Problem(chapter.path, line_no, "typed-number", f"hand-typed data number(s) {found}; use an inline `{{python}} f.<fact>` expression")
            )
    return problems


def lint_chapters(paths) -> list[Problem]:
    """Check chapters against the house rules.

    Parameters
    ----------
    paths : iterable of Path or str
        ``.qmd`` files in book order (order matters for ``referenced-late``:
        a reference in an earlier chapter counts as "before").

    Returns
    -------
    list of Problem
        Sorted by file order, then line. Empty when all rules hold.
    """
    paths = [Path(p) for p in paths]
    chapters: list[Chapter] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            chapters.append(parse_chapter(path))
        except QmdError as exc:
            problems.append(_parse_problem(path, exc))
    defined: dict[str, tuple[int, Chapter, int]] = {}
    for index, chapter in enumerate(chapters):
        for line, label in chapter.duplicate_labels:
            problems.append(Problem(chapter.path, line, "duplicate-label", f"label {label!r} is defined twice in this file"))
        for label, line in chapter.labels.items():
            if label in defined:
                other = defined[label][1]
                problems.append(Problem(chapter.path, line, "duplicate-label", f"label {label!r} is also defined in {other.path}"))
            else:
                defined[label] = (index, chapter, line)
        problems += _lint_cells(chapter)
        problems += _lint_prose(chapter)
    refs_by_label: dict[str, list[tuple[int, int]]] = {}
    for index, chapter in enumerate(chapters):
        for line, label in chapter.refs:
            refs_by_label.setdefault(label, []).append((index, line))
            if label not in defined:
                problems.append(Problem(chapter.path, line, "unknown-ref", f"@{label} does not match any label"))
    for label, (index, chapter, line) in defined.items():
        if not label.startswith(("fig-", "tbl-")):
            continue
        refs = refs_by_label.get(label, [])
        if not refs:
            problems.append(Problem(chapter.path, line, "unreferenced", f"{label} is never cross-referenced with @{label}"))
            continue
        earlier_file = any(i < index for i, _ in refs)
        before = any(i == index and ln < line for i, ln in refs)
        if not (earlier_file or before):
            problems.append(Problem(chapter.path, line, "referenced-late", f"@{label} first appears after the {label.split('-')[0]} itself; mention it before"))
    order = {path: k for k, path in enumerate(paths)}
    return sorted(problems, key=lambda p: (order.get(p.path, 0), p.line, p.rule))


def _parse_problem(path: Path, exc: QmdError) -> Problem:
    """A file the renderer cannot parse, as a ``parse`` problem at the line its parser names."""
    match = re.match(re.escape(str(path)) + r":(\d+): (.*)", str(exc), re.S)
    line, message = (int(match[1]), match[2]) if match else (1, str(exc))
    return Problem(path, line, "parse", message)


def default_paths() -> list[Path]:
    """The book's chapter files in book order (chapters, then appendices), from ``_quarto.yml``."""
    from ipsreport.paths import PROJECT_DIR
    from ipsreport.render.config import load_project

    return load_project(PROJECT_DIR).files


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in argv] or default_paths()
    problems = lint_chapters(paths)
    for problem in problems:
        print(problem)
    print(f"{len(paths)} file(s) checked, {len(problems)} problem(s).", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
