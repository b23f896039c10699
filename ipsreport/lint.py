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
    HTML/LaTeX, shortcodes or tabsets).

Run ``python -m ipsreport.lint [FILES]``; without files it checks
``index.qmd`` and ``report/*.qmd``. The exit status is 1 when problems are found.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Problem", "Chapter", "Cell", "parse_chapter", "lint_chapters", "default_paths", "main"]

MAX_CELL_LINES = 3

_FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<info>\{?[^`]*?\}?)\s*$")
_OPTION = re.compile(r"^#\|\s*(?P<key>[\w-]+)\s*:\s*(?P<value>.*?)\s*$")
_HEADING_ID = re.compile(r"\{[^}]*#(?P<id>(?:sec|fig|tbl)-[\w-]+)[^}]*\}")
#: ``@Sec-x`` (capitalised link text) refers to the label ``sec-x``.
_REF = re.compile(r"(?<![\w.@])@(?P<id>(?:[Ss]ec|[Ff]ig|[Tt]bl)-[\w-]*\w)")
_INLINE_CODE = re.compile(r"`\{python\}[^`]*`|`[^`\n]*`")

_MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
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
class Cell:
    """An executable ``{python}`` cell (other fenced blocks are kept as code too)."""

    line: int  # 1-based line of the opening fence
    language: str
    options: dict[str, str]
    code: list[str]  # code lines without cell options


@dataclass
class Chapter:
    """A parsed ``.qmd`` file: its cells, prose lines and labels."""

    path: Path
    cells: list[Cell] = field(default_factory=list)
    #: (line number, text) of prose with front matter and code removed.
    prose: list[tuple[int, str]] = field(default_factory=list)
    #: label -> line of definition (cell labels and heading ids).
    labels: dict[str, int] = field(default_factory=dict)
    #: (line, label) of every ``@ref`` in prose.
    refs: list[tuple[int, str]] = field(default_factory=list)
    duplicate_labels: list[tuple[int, str]] = field(default_factory=list)


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_chapter(path: Path | str, text: str | None = None) -> Chapter:
    """Split a ``.qmd`` file into cells and prose.

    Parameters
    ----------
    path : Path or str
        File to read (also used in messages).
    text : str, optional
        The file's content; read from ``path`` when omitted.

    Returns
    -------
    Chapter
    """
    path = Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    chapter = Chapter(path=path)
    i = 0
    # YAML front matter is metadata, not prose.
    if lines and lines[0].strip() == "---":
        for j in range(1, len(lines)):
            if lines[j].strip() in ("---", "..."):
                i = j + 1
                break
    in_comment = False
    while i < len(lines):
        line = lines[i]
        match = _FENCE_OPEN.match(line)
        if match and not in_comment:
            fence, info = match["fence"], match["info"].strip()
            start = i
            body: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i])
                i += 1
            language = info.strip("{}").split(",")[0].split()[0].lower() if info.strip("{}") else ""
            options: dict[str, str] = {}
            code: list[str] = []
            for raw in body:
                opt = _OPTION.match(raw.strip())
                if opt and not code:
                    options[opt["key"]] = _unquote(opt["value"])
                else:
                    code.append(raw)
            cell = Cell(line=start + 1, language=language, options=options, code=code)
            chapter.cells.append(cell)
            label = options.get("label")
            if label:
                _add_label(chapter, label, start + 1)
            for msg_pattern, what in _MARKUP[-1:]:
                if msg_pattern.match(line):
                    chapter.prose.append((start + 1, line))  # let the markup rule see it
            i += 1
            continue
        # HTML comments are neither prose nor allowed markup; skip them.
        if "<!--" in line:
            in_comment = "-->" not in line.split("<!--", 1)[1]
            line = re.sub(r"<!--.*?(-->|$)", "", line)
        elif in_comment:
            if "-->" in line:
                in_comment = False
                line = line.split("-->", 1)[1]
            else:
                i += 1
                continue
        for m in _HEADING_ID.finditer(line):
            _add_label(chapter, m["id"], i + 1)
        chapter.prose.append((i + 1, line))
        for m in _REF.finditer(_INLINE_CODE.sub("", line)):
            chapter.refs.append((i + 1, m["id"][0].lower() + m["id"][1:]))
        i += 1
    return chapter


def _add_label(chapter: Chapter, label: str, line: int) -> None:
    if label in chapter.labels:
        chapter.duplicate_labels.append((line, label))
    else:
        chapter.labels[label] = line


def _strip_prose(text: str) -> str:
    """Remove what the number rule must not see: inline code, ids, links, allowed definitions."""
    text = _INLINE_CODE.sub(" ", text)
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
    return cell.options.get("label", "").startswith("fig-") or "fig-cap" in cell.options


def _is_table(cell: Cell) -> bool:
    return cell.options.get("label", "").startswith("tbl-") or "tbl-cap" in cell.options


def _lint_cells(chapter: Chapter) -> list[Problem]:
    problems: list[Problem] = []
    for cell in chapter.cells:
        where = (chapter.path, cell.line)
        if cell.language != "python":
            continue
        label = cell.options.get("label", "")
        code = [c for c in cell.code if c.strip() and not c.strip().startswith("#")]
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
                if not cell.options.get(key, "").strip():
                    problems.append(Problem(*where, key, f"figure cell {label or '(no label)'} has no {key}"))
            for key in ("fig-cap", "fig-alt"):
                nums = _numbers_in_caption(cell.options.get(key, ""))
                if nums:
                    problems.append(Problem(*where, "typed-number", f"{key} of {label} contains number(s) {nums}; describe the shape, put numbers in the prose"))
        if _is_table(cell):
            if not cell.options.get("tbl-cap", "").strip():
                problems.append(Problem(*where, "tbl-cap", f"table cell {label or '(no label)'} has no tbl-cap"))
            nums = _numbers_in_caption(cell.options.get("tbl-cap", ""))
            if nums:
                problems.append(Problem(*where, "typed-number", f"tbl-cap of {label} contains number(s) {nums}"))
    return problems


def _lint_prose(chapter: Chapter) -> list[Problem]:
    problems: list[Problem] = []
    for line_no, text in chapter.prose:
        for pattern, what in _MARKUP:
            if pattern.search(text):
                problems.append(Problem(chapter.path, line_no, "markup", f"{what} is not supported by the render engine: {text.strip()[:60]!r}"))
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
    chapters = [parse_chapter(p) for p in paths]
    problems: list[Problem] = []
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
    order = {c.path: k for k, c in enumerate(chapters)}
    return sorted(problems, key=lambda p: (order.get(p.path, 0), p.line, p.rule))


def default_paths() -> list[Path]:
    """``index.qmd`` and ``report/*.qmd`` in book order (chapters, then appendices)."""
    from ipsreport.paths import PROJECT_DIR, REPORT_DIR

    files = sorted(REPORT_DIR.glob("*.qmd"), key=lambda p: (p.name.startswith("bilag"), _natural(p.name)))
    index = PROJECT_DIR / "index.qmd"
    return ([index] if index.exists() else []) + files


def _natural(name: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


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
