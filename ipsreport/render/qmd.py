"""Parse Quarto markdown (``.qmd``) into markdown blocks and code cells.

Supported subset (see ``report/README.md``): YAML front matter, fenced
```` ```{python} ```` cells whose options are ``#| key: value`` lines at the
top of the cell, and inline expressions `` `{python} expr` `` in prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ipsreport.render.fences import fences

#: Options a cell may carry, with the engine's defaults (``echo`` is off for
#: this report, as set in ``_quarto.yml``).
CELL_OPTIONS: dict[str, Any] = {
    "label": None,
    "tbl-cap": None,
    "fig-cap": None,
    "fig-alt": None,
    "echo": False,
    "output": True,
    "include": True,
    "warning": True,
}

_CELL_OPEN = re.compile(r"^(?P<fence>`{3,})\s*\{(?P<lang>[A-Za-z0-9_-]+)(?P<rest>[^}]*)\}\s*$")
_OPTION = re.compile(r"^#\|\s?(?P<text>.*)$")
#: Inline expression: `{python} expr` (expr may not contain a backtick).
INLINE_RE = re.compile(r"`\{python\}\s+(?P<expr>[^`]+?)\s*`")


class QmdError(ValueError):
    """A ``.qmd`` file cannot be parsed; the message names file and line."""


@dataclass
class Cell:
    """A ```` ```{python} ```` cell.

    Attributes
    ----------
    source : str
        Code without the ``#|`` option lines.
    options : dict
        Options merged over :data:`CELL_OPTIONS`.
    line : int
        1-based line of the opening fence in the ``.qmd``.
    code_line : int
        1-based line of the first code line (after the options).
    """

    source: str
    options: dict[str, Any]
    line: int
    code_line: int


@dataclass
class Markdown:
    """A run of prose between cells; ``line`` is its first line (1-based)."""

    text: str
    line: int


@dataclass
class QmdDoc:
    """A parsed chapter."""

    path: Path
    front_matter: dict[str, Any] = field(default_factory=dict)
    blocks: list[Cell | Markdown] = field(default_factory=list)

    @property
    def cells(self) -> list[Cell]:
        """The code cells, in order."""
        return [b for b in self.blocks if isinstance(b, Cell)]


_EXECUTE_KEYS = ("echo", "output", "include", "warning")


def parse_options(lines: list[str], where: str, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    """Parse ``#| key: value`` lines (without the ``#|``) as YAML.

    Parameters
    ----------
    lines : list of str
        Option lines with the ``#|`` prefix already removed.
    where : str
        ``file:line`` used in error messages.
    defaults : dict, optional
        Defaults to use instead of :data:`CELL_OPTIONS`.

    Returns
    -------
    dict
        The options merged over the defaults.
    """
    options = dict(defaults or CELL_OPTIONS)
    if not lines:
        return options
    try:
        parsed = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise QmdError(f"{where}: invalid cell options: {exc}") from exc
    if not isinstance(parsed, dict):
        raise QmdError(f"{where}: cell options must be `#| key: value` lines")
    output = parsed.get("output", True)
    if output not in (True, False, "asis"):
        raise QmdError(f"{where}: output must be true, false or asis, got {output!r}")
    options.update(parsed)
    return options


def execute_defaults(*layers: dict[str, Any] | None) -> dict[str, Any]:
    """Cell defaults: :data:`CELL_OPTIONS` ⊕ each ``execute:`` mapping given.

    Quarto takes ``echo``, ``output``, ``include`` and ``warning`` defaults
    from ``execute:`` in ``_quarto.yml`` and in a chapter's front matter.
    """
    out = dict(CELL_OPTIONS)
    for layer in layers:
        for key in _EXECUTE_KEYS:
            if layer and key in layer:
                out[key] = layer[key]
    return out


def parse_qmd(text: str, path: Path | str = "<qmd>", defaults: dict[str, Any] | None = None) -> QmdDoc:
    """Split a ``.qmd`` source into front matter, markdown blocks and cells.

    Parameters
    ----------
    text : str
        File contents.
    path : Path or str
        Used in error messages and kept on the result.
    defaults : dict, optional
        Cell option defaults (project ``execute:``); the chapter's own
        front-matter ``execute:`` is layered over them.

    Returns
    -------
    QmdDoc
    """
    path = Path(path)
    lines = text.splitlines()
    doc = QmdDoc(path=path)
    i = 0
    if lines and lines[0].strip() == "---":
        for j in range(1, len(lines)):
            if lines[j].strip() in ("---", "..."):
                try:
                    doc.front_matter = yaml.safe_load("\n".join(lines[1:j])) or {}
                except yaml.YAMLError as exc:
                    raise QmdError(f"{path}:1: invalid YAML front matter: {exc}") from exc
                i = j + 1
                break
        else:
            raise QmdError(f"{path}:1: front matter is not closed with ---")
    cell_defaults = execute_defaults(defaults, doc.front_matter.get("execute") if isinstance(doc.front_matter, dict) else None)
    prose: list[str] = []
    prose_start = i + 1
    # Fenced blocks of the body (after the front matter), by the line that opens them.
    body_start = i
    opened = {body_start + f.start: f for f in fences(lines[body_start:])}

    def flush(next_line: int) -> None:
        nonlocal prose, prose_start
        if any(p.strip() for p in prose):
            doc.blocks.append(Markdown("\n".join(prose), prose_start))
        prose = []
        prose_start = next_line

    while i < len(lines):
        line = lines[i]
        fence = opened.get(i)
        if fence is None:
            prose.append(line)
            i += 1
            continue
        end = body_start + fence.end
        m = _CELL_OPEN.match(line.strip()) if not line.startswith(" ") else None
        if m and m.group("lang") != "python":
            raise QmdError(
                f"{path}:{i + 1}: only ```{{python}} cells are supported, found ```{{{m.group('lang')}}}"
            )
        if not m:  # a markdown code block: prose, fence lines included
            prose.extend(lines[i:end])
            i = end
            continue
        flush(i + 1)
        start = i + 1
        if not fence.closed:
            raise QmdError(f"{path}:{start}: code cell is not closed with {m.group('fence')}")
        body = lines[i + 1 : end - 1]
        opt_lines: list[str] = []
        k = 0
        while k < len(body) and _OPTION.match(body[k]):
            opt_lines.append(_OPTION.match(body[k]).group("text"))
            k += 1
        options = parse_options(opt_lines, f"{path}:{start}", cell_defaults)
        doc.blocks.append(Cell("\n".join(body[k:]), options, start, start + 1 + k))
        i = end
        prose_start = i + 1
    flush(i + 1)
    return doc


def read_qmd(path: Path, defaults: dict[str, Any] | None = None) -> QmdDoc:
    """Read and parse a ``.qmd`` file (UTF-8); see :func:`parse_qmd`."""
    return parse_qmd(Path(path).read_text(encoding="utf-8"), path, defaults)


def split_inline(text: str) -> list[str | tuple[str]]:
    """Split prose into literal strings and inline expressions.

    Expressions inside fenced code blocks or ordinary inline code are left
    alone. Returns a list whose items are ``str`` (literal text) or a
    1-tuple ``(expr,)``.
    """
    out: list[str | tuple[str]] = []
    buf: list[str] = []
    fenced = {line for fence in fences(text.splitlines()) for line in range(fence.start, fence.end)}
    for number, line in enumerate(text.splitlines(keepends=True)):
        if number in fenced:
            buf.append(line)
            continue
        pos = 0
        for m in INLINE_RE.finditer(line):
            buf.append(line[pos : m.start()])
            out.append("".join(buf))
            buf = []
            out.append((m.group("expr"),))
            pos = m.end()
        buf.append(line[pos:])
    out.append("".join(buf))
    return [p for p in out if p != ""]
