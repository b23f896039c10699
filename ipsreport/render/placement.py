"""Where a table or figure stands in the PDF: after the paragraph that first cites it.

The book is one flow of text (nothing floats in the Typst output), so the
place of a float in the chapter's markdown is its place on the page. The
chapter source may put a float before the paragraph that cites it; here it
moves down to just after that paragraph, within its own section, and after
a callout or case box rather than inside it.
"""

from __future__ import annotations

import re

from ipsreport.render.crossref import _DIV_CLOSE, _DIV_OPEN, _HEADING, _PLACEHOLDER_RE, _REF, PLACEHOLDER
from ipsreport.render.fences import fences


def _blocks(markdown: str) -> list[str]:
    """Split markdown into top-level blocks; a fenced code block or a div is one block.

    Headings are blocks of their own even without a blank line after them.
    """
    blocks: list[str] = []
    current: list[str] = []
    depth = 0

    def flush() -> None:
        if current:
            blocks.append("\n".join(current))
            current.clear()

    lines = markdown.split("\n")
    opened = {fence.start: fence.end for fence in fences(lines)}
    i = 0
    while i < len(lines):
        if i in opened:  # a fenced block, whole
            current.extend(lines[i : opened[i]])
            i = opened[i]
            continue
        line = lines[i]
        s = line.strip()
        i += 1
        if _DIV_OPEN.match(s):
            depth += 1
        elif _DIV_CLOSE.match(s) and depth:
            depth -= 1
            current.append(line)
            if depth == 0:
                flush()
            continue
        if depth == 0 and not s:
            flush()
            continue
        if depth == 0 and _HEADING.match(line):
            flush()
            blocks.append(line)
            continue
        current.append(line)
    flush()
    return blocks


def _cites(block: str) -> set[str]:
    """Labels a block cross-references (``@tbl-x``, ``[-@fig-y]``, ``@Tbl-x``)."""
    return {f"{m.group('kind').lower()}-{m.group('name')}" for m in _REF.finditer(block)}


#: A citing paragraph at most this long is kept on the page of its float.
LEADIN_MAX_CHARS = 400


def place_floats(markdown: str, labels: dict[int, str], keep_with=None) -> str:
    """Move each table or figure to just after the paragraph that first cites it.

    A float the source puts inside a callout or case box comes out, to just
    after the box. A float (a placeholder block) whose first citation in the chapter comes
    after it, in the same section, moves to just after the citing block; a
    citation inside a callout or case box counts as that whole box, so the
    float lands after the box, never in it. A float cited before it stands,
    not cited at all, or first cited in a later section stays where the
    source puts it: it never moves into another section.

    Parameters
    ----------
    markdown : str
        Chapter markdown with float placeholders, refs unresolved.
    labels : dict
        Placeholder index → label (``tbl-x``) of the labelled floats.
    keep_with : callable, optional
        ``keep_with(block) -> str`` wraps a short paragraph (a lead-in of at
        most :data:`LEADIN_MAX_CHARS` characters) that cites the float right
        after it, so the output format can keep the two on one page: a
        figure never stands alone on a page its own sentence left behind.
    """
    original = _blocks(markdown)
    blocks = _out_of_boxes(original)
    target: dict[int, int] = {}  # block index of a float → block index it follows
    for i, block in enumerate(blocks):
        m = _PLACEHOLDER_RE.fullmatch(block.strip())
        label = labels.get(int(m.group(1))) if m else None
        if not label:
            continue
        if any(label in _cites(b) for b in blocks[:i]):
            continue
        for j in range(i + 1, len(blocks)):
            if _HEADING.match(blocks[j]):
                break
            if label in _cites(blocks[j]):
                target[i] = j
                break
    if not target and keep_with is None and blocks == original:
        return markdown
    out: list[str] = []
    for j, block in enumerate(blocks):
        if j not in target:
            out.append(block)
        out.extend(blocks[i] for i in sorted(target) if target[i] == j)
    if keep_with is not None:
        for k in range(len(out) - 1):
            m = _PLACEHOLDER_RE.fullmatch(out[k + 1].strip())
            label = labels.get(int(m.group(1))) if m else None
            lead = out[k]
            if label and label in _cites(lead) and len(lead) <= LEADIN_MAX_CHARS and _is_paragraph(lead):
                out[k] = keep_with(lead)
    return "\n\n".join(out) + "\n"


def _out_of_boxes(blocks: list[str]) -> list[str]:
    """Take floats out of callouts and case boxes: each goes right after its box."""
    out: list[str] = []
    for block in blocks:
        first = block.lstrip().split("\n", 1)[0]
        found = _PLACEHOLDER_RE.findall(block) if first.startswith(":::") and "callout" in first else []
        if not found:
            out.append(block)
            continue
        out.append(re.sub(r"\n[ \t]*<!--ipsfloat:\d+-->[ \t]*(?=\n)", "", block))
        out.extend(PLACEHOLDER.format(n=n) for n in found)
    return out


def _is_paragraph(block: str) -> bool:
    """A plain paragraph: not a heading, list, fence, div, table or placeholder."""
    first = block.lstrip()
    return not (
        _HEADING.match(first) or any(fence.start == 0 for fence in fences(first.split("\n")))
        or first.startswith((":::", "|", "<!--", "- ", "* ", "> "))
        or re.match(r"\d+[.)] ", first)
    )
