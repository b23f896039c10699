"""Prepare great_tables (GT) HTML for the HTML page and for pandoc → Typst.

GT emits a ``<div>`` with a scoped ``<style>`` block and a ``<table>``. The
house style (``assets/style.css`` / ``assets/book.typ``) replaces GT's own
CSS so tables look the same in both outputs. For Typst, pandoc's HTML reader
keeps row/column spans, the ``<thead>`` (title, spanners, column labels) and
the ``<tfoot>`` (source notes, footnotes), but reads alignment only from
``align``/``style`` attributes, so the GT alignment classes are turned into
``style="text-align: …"`` first.
"""

from __future__ import annotations

import re

_STYLE = re.compile(r"<style\b.*?</style>", re.S | re.I)
_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_CELL = re.compile(r"<(?P<tag>td|th)\b(?P<attrs>[^>]*)>", re.I)
_TH = re.compile(r"(<th\b[^>]*>)(.*?)(</th>)", re.S | re.I)
_TEXT = re.compile(r">([^<]+)<")
_BREAK_AFTER = re.compile(r"(?<=[A-Za-z_])([._/])(?=[A-Za-z0-9])")
_MARKS = re.compile(r'<span class="gt_footnote_marks"[^>]*>(.*?)</span>', re.S)


def extract_table(html: str) -> str | None:
    """Return the first ``<table>…</table>`` without GT's style block, or None."""
    m = _TABLE.search(_STYLE.sub("", html))
    return m.group(0) if m else None


def _align(match: re.Match) -> str:
    attrs = match.group("attrs")
    if "text-align" in attrs or " align=" in attrs:
        return match.group(0)
    for cls, align in (("gt_right", "right"), ("gt_center", "center"), ("gt_left", "left"), ("gt_group_heading", "left")):
        if re.search(rf"\b{cls}\b", attrs):
            if "style=" in attrs:
                attrs = re.sub(r'style="', f'style="text-align: {align}; ', attrs, count=1)
            else:
                attrs += f' style="text-align: {align};"'
            break
    return f"<{match.group('tag')}{attrs}>"


def html_for_page(html: str) -> str:
    """GT HTML for the web page: the bare table (house CSS applies)."""
    table = extract_table(html)
    return table if table is not None else _STYLE.sub("", html)


def html_for_typst(html: str, caption: str | None, ident: str | None) -> str:
    """GT HTML ready for ``pandoc -f html -t typst``.

    Parameters
    ----------
    html : str
        GT output (``text/html``).
    caption : str, optional
        Caption with the number (``"Tabel 3: …"``), becomes ``<caption>``.
    ident : str, optional
        Label; the wrapper ``div`` gets it as id so ``@tbl-x`` links resolve.
    """
    table = extract_table(html)
    if table is None:
        table = _STYLE.sub("", html)
    table = _CELL.sub(_align, table)
    # Column labels bold (only in <thead>: GT also uses <th> for stub cells).
    table = re.sub(
        r"<thead\b.*?</thead>",
        lambda t: _TH.sub(lambda m: f"{m.group(1)}<strong>{m.group(2)}</strong>{m.group(3)}", t.group(0)),
        table,
        count=1,
        flags=re.S | re.I,
    )
    # Row-group headings: bold and left-aligned, as in style.css.
    table = re.sub(
        r'(<t[hd]\b[^>]*\bgt_group_heading\b[^>]*>)(.*?)(</t[hd]>)',
        lambda m: m.group(1).replace("text-align: center", "text-align: left") + f"<strong>{m.group(2)}</strong>" + m.group(3),
        table,
        flags=re.S,
    )
    table = _MARKS.sub(r"<sup>\1</sup>", table)
    # Typst never breaks inside a word: let long identifiers such as
    # `baseline.support_other.n.1` wrap after "." "_" "/" (zero-width space).
    table = _TEXT.sub(lambda m: ">" + _BREAK_AFTER.sub("\\1\u200b", m.group(1)) + "<", table)
    if caption:
        from html import escape

        table = re.sub(r"(<table\b[^>]*>)", lambda m: m.group(1) + f"<caption>{escape(caption)}</caption>", table, count=1)
    return f'<div id="{ident}">{table}</div>' if ident else table
