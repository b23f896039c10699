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
from html import unescape

_STYLE = re.compile(r"<style\b.*?</style>", re.S | re.I)
_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_CELL = re.compile(r"<(?P<tag>td|th)\b(?P<attrs>[^>]*)>", re.I)
_TH = re.compile(r"(<th\b[^>]*>)(.*?)(</th>)", re.S | re.I)
_TEXT = re.compile(r">([^<]+)<")
_BREAK_AFTER = re.compile(r"(?<=[A-Za-z_\])])([._/])(?=[A-Za-z0-9])|(?<=[0-9])(\+)(?=[0-9])")
#: Long hexadecimal strings (checksums): break points every 8 digits.
_HEX_RUN = re.compile(r"\b[0-9a-f]{24,}\b")
_MARKS = re.compile(r'<span class="gt_footnote_marks"[^>]*>(.*?)</span>', re.S)

#: Text column of the A4 page in points (21 cm minus 2 × 2.2 cm margins) and
#: the table font size in book.typ; used to check that each column of a
#: fixed-width table can hold its longest unbreakable word.
_TEXT_WIDTH_PT = (21.0 - 4.4) / 2.54 * 72
_TABLE_FONT_PT = 8.0
_CELL_INSET_PT = 10.0
#: Average DejaVu Sans advance per character (em); bold is wider.
_CHAR_EM, _BOLD_CHAR_EM = 0.62, 0.70
_COL = re.compile(r'<col\b[^>]*style="width:\s*([\d.]+)%;?"[^>]*/?>', re.I)
_ROW = re.compile(r"<tr\b.*?</tr>", re.S | re.I)
_ROW_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1>", re.S | re.I)
_WORD_SPLIT = re.compile(r"[\s\u200b]+")


def fit_column_widths(table: str) -> str:
    """Widen columns whose longest word would not fit, taking room from the widest.

    GT's ``cols_width`` percentages are chosen for the screen; in the PDF a
    narrow column (``Type`` in the codebook) would otherwise split
    ``kategori`` into ``katego-ri``. Only tables whose columns all have a
    percentage width are changed; the widths still add up to the same total.
    """
    widths = [float(w) for w in _COL.findall(table)]
    if not widths or len(widths) != len(re.findall(r"<col\b", table, re.I)):
        return table
    need = [0.0] * len(widths)
    for row in _ROW.findall(table):
        col = 0
        for tag, attrs, content in _ROW_CELL.findall(row):
            span = re.search(r'colspan="(\d+)"', attrs)
            n = int(span.group(1)) if span else 1
            if n == 1 and col < len(widths):
                # Words split where _breakable lets them wrap.
                text = _breakable(unescape(re.sub(r"<[^>]+>", "", content)), " ")
                longest = max((len(w) for w in _WORD_SPLIT.split(text)), default=0)
                em = _BOLD_CHAR_EM if tag.lower() == "th" else _CHAR_EM
                pt = longest * em * _TABLE_FONT_PT + _CELL_INSET_PT
                need[col] = max(need[col], min(100.0 * pt / _TEXT_WIDTH_PT, 30.0))
            col += n
    new = list(widths)
    for i, w in enumerate(widths):
        if need[i] > new[i]:
            extra = need[i] - new[i]
            donor = max((j for j in range(len(new)) if j != i), key=lambda j: new[j] - need[j])
            if new[donor] - extra >= need[donor]:
                new[i] += extra
                new[donor] -= extra
    if new == widths:
        return table
    it = iter(new)
    return _COL.sub(lambda m: re.sub(r"width:\s*[\d.]+%", f"width:{round(next(it), 1)}%", m.group(0)), table)


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


def _breakable(text: str, mark: str = "\u200b") -> str:
    """Insert ``mark`` where a long token may wrap.

    Typst only breaks lines at spaces, and a browser does not break inside
    ``baseline.support_other.n.1`` either; ``mark`` is a zero-width space
    for Typst and ``<wbr>`` for HTML (which copies as nothing).
    """
    text = _BREAK_AFTER.sub(lambda m: m.group(0) + mark, text)
    # A SHA-256 checksum is 64 characters without a break: wrap it in groups.
    return _HEX_RUN.sub(lambda m: mark.join(m.group(0)[i : i + 8] for i in range(0, len(m.group(0)), 8)), text)


def html_for_page(html: str) -> str:
    """GT HTML for the web page: the bare table (house CSS applies).

    Long identifiers and checksums get ``<wbr>`` break points so a narrow
    screen can wrap them.
    """
    table = extract_table(html)
    if table is None:
        return _STYLE.sub("", html)
    return _TEXT.sub(lambda m: ">" + _breakable(m.group(1), "<wbr>") + "<", table)


def is_wide_table(table_html: str) -> bool:
    """True for reference tables too wide to squeeze onto a phone screen.

    Four or more columns and, on average, more than 100 characters of text
    per body row (the codebook, the audit table, the checksums). A phone
    shows these at a readable width and scrolls them inside their box.
    """
    body = re.search(r"<tbody\b.*?</tbody>", table_html, re.S | re.I)
    if not body:
        return False
    rows = re.findall(r"<tr\b.*?</tr>", body.group(0), re.S | re.I)
    if not rows:
        return False
    columns = max(len(re.findall(r"<t[dh]\b", r, re.I)) for r in rows)
    lengths = [len(" ".join(unescape(re.sub(r"<[^>]+>", " ", r)).split())) for r in rows]
    return columns >= 4 and sum(lengths) / len(lengths) > 100


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
    table = fit_column_widths(table)
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
    table = _TEXT.sub(lambda m: ">" + _breakable(m.group(1)) + "<", table)
    if caption:
        from html import escape

        table = re.sub(r"(<table\b[^>]*>)", lambda m: m.group(1) + f"<caption>{escape(caption)}</caption>", table, count=1)
    return f'<div id="{ident}">{table}</div>' if ident else table


_TFOOT = re.compile(r"<tfoot\b.*?</tfoot>", re.S | re.I)
_THEAD = re.compile(r"<thead\b.*?</thead>", re.S | re.I)


def split_notes(table_html: str) -> tuple[str, list[str]]:
    """The table without its ``<tfoot>``, and the inner HTML of each footer cell.

    great-tables writes source notes and footnotes as rows of ``<tfoot>``;
    in the PDF they are a plain block under the table (not striped, not
    repeated), so they are taken out of the table.
    """
    notes: list[str] = []
    for foot in _TFOOT.findall(table_html):
        for _, _, content in _ROW_CELL.findall(foot):
            if re.sub(r"<[^>]+>", "", content).strip():
                notes.append(content.strip())
    return _TFOOT.sub("", table_html), notes


def header_rows(table_html: str) -> int:
    """Number of rows in the table's ``<thead>`` (column labels and spanners)."""
    head = _THEAD.search(table_html)
    return len(_ROW.findall(head.group(0))) if head else 0
