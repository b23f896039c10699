"""Where the fenced code blocks of a markdown text are: the one fence scanner of the house.

``qmd`` (code cells, inline expressions), ``placement`` (a fenced block is one
block) and ``ipsreport.book.lint`` (prose lines) all ask this module which lines
are fenced code, so they cannot disagree about it. The scanning is
markdown-it-py's CommonMark block parser with only the rules that decide
where a fence starts and ends: fences (```` ``` ```` and ``~~~``), lists (a
fence inside a list item is indented) and HTML blocks (a fence inside an
HTML comment is commented out). Everything else is read as paragraphs, so
no inline parsing is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from markdown_it import MarkdownIt

__all__ = ["Fence", "fences"]

# The parser is stateless between parse() calls; one instance serves every scan.
_PARSER = MarkdownIt("zero", {"html": True}).enable(["fence", "list", "html_block"])


@dataclass(frozen=True)
class Fence:
    """One fenced code block.

    Attributes
    ----------
    start : int
        0-based index of the opening fence line.
    end : int
        Index one past the closing fence line (past the last line of the
        text, or of the list item holding it, when it is not closed).
    info : str
        The info string after the opening fence (``"{python}"``), stripped.
    marker : str
        The opening fence itself (``"```"``, ``"~~~~"``).
    closed : bool
        Whether a closing fence ends it.
    """

    start: int
    end: int
    info: str
    marker: str
    closed: bool

    def __contains__(self, line: int) -> bool:
        return self.start <= line < self.end


def _closes(line: str, marker: str) -> bool:
    """Whether ``line`` is a closing fence for ``marker`` (the same character, at least as many)."""
    text = line.strip()
    return text.startswith(marker) and text.strip(marker[0]) == ""


def fences(lines: Sequence[str]) -> list[Fence]:
    """The fenced code blocks of a text given as its lines, in order.

    Parameters
    ----------
    lines : sequence of str
        The text's lines without line endings; indices in the result refer
        to this sequence.

    Returns
    -------
    list of Fence
    """
    if not any("```" in line or "~~~" in line for line in lines):
        return []  # no fence can open: most prose blocks, scanned without parsing
    found = []
    for token in _PARSER.parse("\n".join(lines)):
        if token.type != "fence" or token.map is None:
            continue
        start, end = token.map
        closed = end - 1 > start and _closes(lines[end - 1], token.markup)
        found.append(Fence(start, end, token.info.strip(), token.markup, closed))
    return found
