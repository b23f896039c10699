"""Text from files is text: the one gate between free text and the report.

The case files (``data/cases/*.yml``) and the text settings (``title``,
``subtitle``, ``evaluator``, ``funder``, ``municipality``) are plain text
with a small markdown subset, documented for their writers in
``docs/text.md``:

* ``*kursiv*`` (or ``_kursiv_``) and ``**fed**``;
* ``"citat"`` in straight double quotes, printed as »citat«;
* in a case text, a line starting with ``- `` is a bullet point (lines in a
  row make one list).

Everything else prints as written. Two parts, each used by every reader of
such text:

:func:`check`
    Run when a case file or a setting is read. Markup that would run in the
    HTML or the PDF, or that the subset does not know, is refused with a
    :class:`PlainTextError` (a Danish reason and a rule id; the caller names
    the file, the field and the value): HTML tags and comments, pandoc's raw
    attributes and raw blocks (``{=html}``, ``{=typst}``, ``{=latex}``),
    LaTeX commands, links and images, attribute lists (``{onclick=…}``),
    and ``javascript:`` / ``vbscript:`` / ``data:`` addresses.
:func:`inline_markdown`, :func:`block_markdown`
    The only way such text enters the pandoc markdown of a chapter. Every
    ASCII punctuation character outside the subset is escaped with a
    backslash, and line-start markers (lists, rules) are neutralised, so
    pandoc reads no raw HTML, Typst or LaTeX, no link, math, citation,
    heading or attribute from the text, whatever :func:`check` let through;
    pandoc's HTML and Typst writers then escape the characters for their own
    format (``#read(…)`` prints as ``#read(…)``).
:func:`plain`
    The text for places that are not markdown (the PDF cover, the page
    title, figure labels): the subset's markers removed, quotes as »…«.
"""

from __future__ import annotations

import re
import string

__all__ = ["PlainTextError", "check", "inline_markdown", "block_markdown", "plain", "danish_quotes"]


class PlainTextError(ValueError):
    """Text holds markup outside the subset.

    Attributes
    ----------
    rule : str
        Rule id (``html``, ``råt_format``, ``latex``, ``link``, ``attributter``, ``adresse``).
    reason : str
        Danish, naming the markup found; reads after "værdien …".
    """

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


_HELP = "skriv ren tekst (fremhæv med *kursiv* eller **fed**; se docs/text.md)"

#: (rule, pattern, what was found) in the order they are tried; the first match is reported.
_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # Raw blocks and dangerous addresses first: `<script>…</script>`{=html} is first of all a raw
    # block, [x](data:text/html,<script>…) first of all a data: address.
    ("råt_format", re.compile(r"\{\s*=\s*[A-Za-z]"), "rå kode til et bestemt format ({=html}, {=typst} eller {=latex})"),
    ("adresse", re.compile(r"\b(?:javascript|vbscript)\s*:|\]\s*\(\s*<?\s*(?:javascript|vbscript|data)\s*:", re.I),
     "en javascript:-, vbscript:- eller data:-adresse"),
    ("html", re.compile(r"<(?:[/?]?[A-Za-z]|!)"), "HTML-kode"),
    ("latex", re.compile(r"\\[A-Za-z]"), "en LaTeX-kommando"),
    ("link", re.compile(r"\][(\[]|^\s*\[[^\]\n]*\]:", re.M), "et link eller billede i markdown ([tekst](adresse))"),
    ("attributter", re.compile(r"[\]`]\s*\{|\{[^{}\n]*=[^{}\n]*\}|\{\s*[.#][A-Za-z]"),
     "en attributliste i krøllede parenteser ({...})"),
)


def check(text: str) -> str:
    """Return ``text`` unchanged, or raise :class:`PlainTextError` for markup outside the subset.

    Parameters
    ----------
    text : str
        A case-file text or a text setting, as written.

    Returns
    -------
    str

    Raises
    ------
    PlainTextError
        Naming what was found (``"<img src=x"``) and what to write instead.
    """
    for rule, pattern, what in _RULES:
        match = pattern.search(text)
        if match:
            # A long text is quoted around the markup only: the message must point at it.
            window = text if len(text) <= 60 else text[max(0, match.start() - 20):match.end() + 40]
            excerpt = " ".join(window.split())
            raise PlainTextError(rule, f"indeholder {what} (»{excerpt}«), og det er ikke tilladt i tekst; {_HELP}")
    return text


#: Punctuation pandoc reads only as typography (apostrophes, dashes, ellipsis) or never as markup;
#: every other ASCII punctuation mark is escaped, ``*`` and ``_`` unless they mark emphasis, and
#: a ``"`` left over when the pairs have become »…«.
_KEPT = set("'-.,;?!()/")
_ESCAPE = re.compile("([" + re.escape("".join(c for c in string.punctuation if c not in _KEPT)) + "])")
#: Emphasis of the subset: ``**fed**``, ``__fed__``, ``*kursiv*``, ``_kursiv_``, whole words, in one value.
_EMPHASIS = re.compile(r"(?<![\w*_])(\*\*|__|\*|_)(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*_])")
#: A line start pandoc would read as a list item: ``- x``, ``1. x``, ``1) x``, ``(a) x``, ``iv. x``
#: (pandoc's fancy lists); ``*``, ``+``, ``#`` and ``@`` are escaped anyway.
_LIST_START = re.compile(r"^(-|\(?(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)])(?=\s|$)")
#: A line of dashes only (``---``, ``- - -``): a horizontal rule to pandoc.
_RULE_LINE = re.compile(r"^[\s-]+$")
#: A bullet line of a case text: ``- punkt`` (or ``* punkt``).
_BULLET = re.compile(r"^[-*]\s+(\S.*)$")


def danish_quotes(text: str) -> str:
    """Typeset straight double quotes as Danish guillemets: ``"x"`` → ``»x«``."""
    return re.sub(r'"([^"\n]+)"', "\u00bb\\1\u00ab", text)


def _emphasis(line: str, markdown: bool, depth: int = 0) -> str:
    """``line`` with its emphasis kept (``markdown``) or dropped, every other character literal.

    Markers pair only within the value: a stray ``*`` is escaped, so it can
    never pair with one in the text around the value. One level of nesting
    (``**fed med *kursiv***`` is not, ``**fed med *kursiv* i**`` is).
    """
    out: list[str] = []
    pos = 0
    for match in _EMPHASIS.finditer(line) if depth < 2 else ():
        out.append(_literal(line[pos:match.start()], markdown))
        inner = _emphasis(match[2], markdown, depth + 1)
        out.append(f"{match[1]}{inner}{match[1]}" if markdown else inner)
        pos = match.end()
    out.append(_literal(line[pos:], markdown))
    return "".join(out)


def _literal(text: str, markdown: bool) -> str:
    return _ESCAPE.sub(r"\\\1", text) if markdown else text


def inline_markdown(text: str) -> str:
    """Plain text as pandoc markdown for one line (a sentence, a heading, a list item).

    Line breaks become spaces; the subset's emphasis is kept, quotes become
    »…«, every other markup character prints as written.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    line = _emphasis(danish_quotes(" ".join(str(text).split())), markdown=True)
    if _RULE_LINE.match(line):
        return line.replace("-", "\\-")
    return _LIST_START.sub(lambda m: m[1][:-1] + "\\" + m[1][-1], line)


def block_markdown(text: str) -> str:
    """Plain text as pandoc markdown blocks: one paragraph per line, ``- `` lines as one list.

    Parameters
    ----------
    text : str
        A case text; folded YAML (``>-``) keeps its blank lines as single line breaks.

    Returns
    -------
    str
        Paragraphs and lists separated by blank lines.
    """
    blocks: list[str] = []
    in_list = False
    for raw in str(text).splitlines():
        line = raw.strip()
        if not line:
            continue
        bullet = _BULLET.match(line)
        if bullet:
            item = "- " + inline_markdown(bullet[1])
            if in_list:
                blocks[-1] += "\n" + item
            else:
                blocks.append(item)
            in_list = True
        else:
            blocks.append(inline_markdown(line))
            in_list = False
    return "\n\n".join(blocks)


def plain(text: str) -> str:
    """The text as a reader sees it, for places that are not markdown (cover, page title, figures).

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        One line, emphasis markers removed, quotes as »…«.
    """
    return _emphasis(danish_quotes(" ".join(str(text).split())), markdown=False)
