"""With another cohort's data the whole report stays true, number by number.

Draws a different valid cohort with the sampler (another seed and size) and
renders the report from it. Then, in this one process, every chapter is run
as a kernel runs it (its cells in order, each inline expression evaluated
after the cells before it) on that cohort and on the twin, and:

* each inline value must appear in the rendered page *at its expression's
  position*: between the same neighbouring words as in the chapter's prose
  (up to :data:`CONTEXT` words either side, stopping at markup that renders
  differently, such as a cross-reference), so a wrong value cannot hide
  behind a coincidental substring elsewhere on the page ("29" in "15–29 år");
* most values must differ from the twin's, so the prose cannot be typed by hand.
"""

from __future__ import annotations

import ast
import html
import os
import re
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from ipsreport.paths import PROJECT_DIR, SYNTHETIC_DIR
from ipsreport.render.qmd import Markdown, read_qmd, split_inline

#: Words of context required on each side of a value (fewer where the
#: paragraph or a piece of markup ends first).
CONTEXT = 3

#: Markdown whose rendered text differs from its source: context stops there.
_BOUNDARY = re.compile(
    r"!\[[^\]]*\]\([^)]*\)"            # image
    r"|\[\^[^\]]*\]"                   # footnote reference
    r"|\[?-?@[\w:.-]+\]?"              # cross-reference, citation
    r"|\{[^}]*\}"                      # attributes ({#sec-x .unnumbered}, ::: {.callout})
    r"|<!--.*?-->|<[^>]+>"             # HTML comment or tag
    r"|^[ \t]*#+[ \t]"                 # heading marker (the page adds a number)
    r"|^[ \t]*(?:\d+[.)]|[-*+])[ \t]"  # list marker (an ordered list's number is not text)
    r"|^[ \t]*:::[^\n]*$"               # div fence
    r"|\n[ \t]*\n",                    # paragraph break
    re.M | re.S,
)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
#: A word: letters and digits (``_`` is markdown emphasis, punctuation is typography).
_WORD = re.compile(r"[^\W_]+")
#: Characters a page may carry inside words (hyphenation hints).
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060"), None)


def _tokens(markdown: str, line_start: bool = True) -> list[str | None]:
    """The words of a piece of markdown as they read on the page; ``None`` marks a boundary.

    ``line_start`` says whether the piece begins a line (a value in mid-line
    that begins "1. maj" is a date, not a list item).
    """
    out: list[str | None] = []
    text = _LINK_TARGET.sub("] ", markdown if line_start else "\x01" + markdown)
    pos = 0
    for m in _BOUNDARY.finditer(text):
        out += [w.lower() for w in _WORD.findall(text[pos:m.start()])]
        out.append(None)
        pos = m.end()
    out += [w.lower() for w in _WORD.findall(text[pos:])]
    return out


def _page_words(path: Path) -> str:
    """The words of a rendered HTML page, lower-cased, space-separated and padded."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw)).translate(_INVISIBLE)
    return " " + " ".join(w.lower() for w in _WORD.findall(text)) + " "


@dataclass
class Inline:
    """One inline expression of a chapter, its value and the words around it."""

    chapter: str
    line: int
    expr: str
    value: str
    #: Words before, of, and after the value as the page should read them.
    before: list[str]
    words: list[str]
    after: list[str]

    @property
    def needle(self) -> str:
        return " " + " ".join([*self.before, *self.words, *self.after]) + " "

    @property
    def weak(self) -> bool:
        """Too few words to pin the value to one place on a page."""
        return len(self.before) + len(self.words) + len(self.after) <= CONTEXT

    def found_in(self, page: str) -> bool:
        """True when the page reads the value between the same neighbouring words."""
        return self.needle in page


def _context(stream: list[str | None], start: int, step: int) -> list[str]:
    """Up to :data:`CONTEXT` words from ``start`` in direction ``step``, stopping at a boundary."""
    got: list[str] = []
    i = start
    while 0 <= i < len(stream) and len(got) < CONTEXT and stream[i] is not None:
        got.append(stream[i])
        i += step
    return got if step > 0 else got[::-1]


def inline_values(pieces: list, values: list[str], chapter: str = "", line: int = 0) -> list[Inline]:
    """Pair each inline expression of a block with its value and the words either side.

    Parameters
    ----------
    pieces : list
        :func:`ipsreport.render.qmd.split_inline` of one markdown block.
    values : list of str
        The value of each expression, in order.
    """
    stream: list[str | None] = []
    spans = []
    it = iter(values)
    text = ""  # the block so far, values filled in
    for piece in pieces:
        line_start = text == "" or text.endswith("\n")
        if isinstance(piece, str):
            stream += _tokens(piece, line_start)
            text += piece
            continue
        value = next(it)
        start = len(stream)
        stream += _tokens(value, line_start)
        text += value
        spans.append((piece[0], value, start, len(stream)))
    out = []
    for expr, value, a, b in spans:
        own = stream[a:b]
        if None in own:  # the value holds markup of its own: check its words up to it
            own = own[: own.index(None)]
            after: list[str] = []
        else:
            after = _context(stream, b, +1)
        out.append(Inline(chapter, line, expr, value, _context(stream, a - 1, -1), own, after))
    return out


def _binds_names(source: str) -> bool:
    """False for a cell of bare expressions (a table, a figure): it shows output but defines nothing prose reads."""
    tree = ast.parse(source)
    return not all(isinstance(node, ast.Expr) for node in tree.body) or any(
        isinstance(node, ast.NamedExpr) for node in ast.walk(tree))


def _saved_run(data_dir: Path) -> dict[str, str]:
    """The chapters' parameters for a book of ``data_dir``: its run made once and saved, as a render does."""
    import tempfile

    from ipsreport.book.hooks import book_hooks
    from ipsreport.results.build import book_chapters

    hooks = book_hooks(data_dir, None, cache_dir=Path(tempfile.gettempdir()) / "ipsreport-prose-test-cache")
    hooks.attachment.start(book_chapters())
    return dict(hooks.parameters)


def evaluate_chapter(path: Path, data_dir: Path) -> list[Inline]:
    """Run a chapter as its kernel does, on ``data_dir``, and collect its inline values.

    Cells run in order in one namespace (except those that only show a table
    or figure); each markdown block's expressions are evaluated after the
    cells before it and printed with ``str``, as the render engine prints them.
    """
    import matplotlib.pyplot as plt

    from ipsreport.render.kernel import injected_parameters, is_parameters_cell

    namespace: dict = {"__name__": "__main__"}
    found: list[Inline] = []
    with pytest.MonkeyPatch.context() as env, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        env.chdir(path.parent)  # as the engine runs a chapter
        for block in read_qmd(path).blocks:
            if not isinstance(block, Markdown):
                if _binds_names(block.source):
                    exec(compile(block.source, f"{path}:{block.code_line}", "exec"), namespace)
                if is_parameters_cell(block):  # the run of this data, handed as the engine hands it
                    exec(injected_parameters(_saved_run(data_dir)), namespace)
                continue
            pieces = split_inline(block.text)
            exprs = [p[0] for p in pieces if isinstance(p, tuple)]
            if exprs:
                values = [str(eval(compile(e, f"{path}:{block.line}", "eval"), namespace)) for e in exprs]
                found += inline_values(pieces, values, path.name, block.line)
        plt.close("all")
    return found


def _chapters() -> list[Path]:
    """The book's chapters in order, from the one reader of ``_quarto.yml``."""
    from ipsreport.render.config import load_project

    return [Path(p) for p in load_project(PROJECT_DIR).files]


# --------------------------------------------------------------------------- the check itself


def test_a_value_is_found_only_at_its_position():
    pieces = split_inline("Deltagerne er mellem 15 og 29 år. I alt `{python} n` unge har været i forløb.")
    page = _page_words_of("<p>Deltagerne er mellem 15 og 29 år. I alt 31 unge har været i forløb.</p>")
    (right,) = inline_values(pieces, ["31"])
    assert right.before == ["år", "i", "alt"] and right.after == ["unge", "har", "været"]
    assert right.found_in(page)
    # "29" is on the page, but not where the expression is.
    (wrong,) = inline_values(pieces, ["29"])
    assert "29" in page and not wrong.found_in(page)


def test_context_stops_at_markup_that_renders_differently():
    pieces = split_inline("Se @tbl-status: `{python} n` var aktivitetsparate[^1] i alt.\n\nNyt afsnit.")
    (one,) = inline_values(pieces, ["12"])
    assert one.before == [] and one.after == ["var", "aktivitetsparate"]
    # Adjacent expressions serve as each other's context; emphasis is not a word.
    pieces = split_inline("**`{python} a`** af `{python} b` unge")
    first, second = inline_values(pieces, ["**Bemærk:** 5", "40"])
    assert first.words == ["bemærk", "5"] and first.after == ["af", "40", "unge"]
    assert second.before == ["bemærk", "5", "af"]
    # A date in mid-line is not a numbered list item; at the start of a line "1." is.
    (date,) = inline_values(split_inline("sluttede den `{python} end`."), ["1. maj 2025"])
    assert date.before == ["sluttede", "den"] and date.words == ["1", "maj", "2025"]
    assert _tokens("1. Hvad kendetegner de unge?") == [None, "hvad", "kendetegner", "de", "unge"]


def _page_words_of(markup: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return " " + " ".join(w.lower() for w in _WORD.findall(text)) + " "


# --------------------------------------------------------------------------- the report


@pytest.fixture(scope="module")
def other_cohort(tmp_path_factory) -> Path:
    from ipsreport.synth.sample import write_cohort

    out = tmp_path_factory.mktemp("cohort")
    write_cohort(out, n=240, sites=2, seed=11)
    return out


@pytest.fixture(scope="module")
def other_book(other_cohort, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book-other")
    cmd = [
        sys.executable, "-m", "ipsreport", "render",
        "--data", str(other_cohort), "--output", str(out), "--to", "html",
    ]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, capture_output=True, text=True, env={**os.environ, "CI": "true"})
    assert proc.returncode == 0, f"render failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.mark.render
def test_every_inline_number_follows_the_data(other_cohort, other_book):
    pages = {p.stem: p for p in other_book.glob("**/*.html")}
    checked, changed, weak, missing = 0, 0, [], []
    for chapter in _chapters():
        values = evaluate_chapter(chapter, other_cohort)
        if not values:
            continue
        reference = evaluate_chapter(chapter, SYNTHETIC_DIR)
        assert [v.expr for v in values] == [r.expr for r in reference]
        page = pages.get(chapter.stem)
        assert page is not None, f"no HTML page for {chapter.name}: {sorted(pages)}"
        words = _page_words(page)
        for value, ref in zip(values, reference):
            checked += 1
            changed += value.value != ref.value
            if value.weak:
                weak.append(f"{chapter.name}:{value.line}: {value.expr}")
            if not value.found_in(words):
                missing.append(f"{chapter.name}:{value.line}: `{value.expr}` -> {value.value!r}: "
                               f"{value.needle.strip()!r} is not in {page.name}")
    assert checked > 50, "expected the chapters to draw many numbers from the data"
    assert not missing, f"{len(missing)} of {checked} inline values are not where their expression is:\n" + "\n".join(
        missing[:30])
    # A value with (almost) no words around it is pinned to no particular place on the page.
    assert len(weak) <= checked // 20, "too many inline values without words around them:\n" + "\n".join(weak)
    # A different cohort must move most numbers; only constants may stay.
    assert changed / checked > 0.5, f"only {changed} of {checked} inline values changed with the data"
