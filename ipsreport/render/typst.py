"""Write the whole book as one Typst document and compile it to PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ipsreport.render.crossref import _PLACEHOLDER_RE, Book, Chapter, Float, fill_placeholders, resolve_refs
from ipsreport.render.gtable import html_for_typst
from ipsreport.render.html import _raw
from ipsreport.render.pandoc import ASSETS_DIR, CALLOUTS_LUA, TYPOGRAPHY_LUA, run_pandoc


#: A level-2 heading in pandoc markdown (the chapter's first section).
_FIRST_SECTION = re.compile(r"^## ", re.M)


class TypstCompileError(RuntimeError):
    """Typst could not compile the book."""


def typst_string(text: str) -> str:
    """Quote ``text`` as a Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def float_typst(fl: Float, figure_src: str | None, where: str, floating: bool = False) -> str:
    """Typst for one table or figure; tables go through pandoc's HTML reader.

    With ``floating``, a chart may move to the top or bottom of the page (or
    the next page) so that the text fills the page instead of leaving a gap.
    """
    cap = fl.caption_text
    label = f" <{fl.label}>" if fl.label else ""
    if fl.mime in ("svg", "png"):
        alt = fl.alt or fl.caption or ""
        kind = "table" if fl.kind == "table" else "image"
        caption = f", caption: [#{typst_string(cap)}]" if cap else ""
        placement = ", placement: auto" if floating else ""
        return (
            f'#figure(image({typst_string(figure_src)}, alt: {typst_string(alt)}, width: 100%), kind: {kind}{caption}{placement})'
            f"{label}"
        )
    typ = run_pandoc(html_for_typst(fl.data, cap, fl.label), "html", "typst", where=where)
    if floating and fl.data.lower().count("<tr") <= FLOAT_MAX_ROWS:
        typ = _floating_table(typ)
    return typ


#: Tables with at most this many rows may float like charts; longer ones
#: stay in the text and break across pages.
FLOAT_MAX_ROWS = 30
_WRAPPED_FIGURE = re.compile(r"\A\s*#block\[\s*(#figure\(.*\))\s*\]\s*(<[^>\s]+>)\s*\Z", re.S)


def _floating_table(typ: str) -> str:
    """Let a short table float: unwrap pandoc's ``#block[...]`` and add ``placement: auto``.

    A float inside a block would float within that block only, so the text
    after it could not fill the page; the label moves onto the figure.
    """
    m = _WRAPPED_FIGURE.match(typ)
    if not m or not m.group(1).rstrip().endswith(")"):
        return typ
    figure = m.group(1).rstrip()
    return f"{figure[:-1].rstrip()}\n  , placement: auto\n  ) {m.group(2)}\n"


def chapter_markdown_typst(book: Book, ch: Chapter, figure_files: dict[tuple[int, int], str], index: int) -> str:
    """The chapter's markdown with refs resolved and floats as raw Typst."""
    md = resolve_refs(ch.markdown, book, ch.page, "typst", where=str(ch.source))
    # Charts before the chapter's first section heading stay in the text:
    # on the opening page a float would go above the chapter title.
    first_section = _FIRST_SECTION.search(md)
    opening_end = first_section.start() if first_section else len(md)
    floating = {int(m.group(1)): m.start() > opening_end for m in _PLACEHOLDER_RE.finditer(md)}
    return fill_placeholders(
        md,
        lambda n: _raw(
            float_typst(ch.floats[n], figure_files.get((index, n)), str(ch.source), floating.get(n, False)), "typst"
        ),
    )


def convert_chapter(md: str, where: str) -> str:
    """pandoc markdown → Typst (no automatic ids: one document, many chapters)."""
    return run_pandoc(md, "markdown-auto_identifiers", "typst", ["--lua-filter", str(CALLOUTS_LUA), "--lua-filter", str(TYPOGRAPHY_LUA)], where=where)


def font_dir() -> Path:
    """DejaVu fonts shipped with matplotlib (same family as the HTML)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


#: Named parameters of ``book()`` in ``assets/book.typ``.
BOOK_PARAMS = ("title", "subtitle", "edition", "lines", "author", "show-author", "date", "lang",
               "toc-title", "lot-title", "lof-title", "notice", "keywords")


def typst_value(value: object) -> str:
    """A Python value as a Typst literal: strings, booleans and sequences of strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        # A trailing comma: `("one",)` is an array, `("one")` a string.
        return "(" + "".join(f"{typst_string(str(v))}, " for v in value) + ")"
    return typst_string(str(value))


def book_arguments(meta: dict[str, object]) -> dict[str, str]:
    """The book metadata as ``book()`` arguments (Typst literals).

    Python-style keys become Typst names (``show_author`` → ``show-author``);
    keys the template does not know are left out rather than failing the
    compile, so the engine may carry more metadata than the cover shows.
    """
    out = {}
    for key, value in meta.items():
        name = key.replace("_", "-")
        if name in BOOK_PARAMS and value is not None:
            out[name] = typst_value(value)
    return out


def creation_timestamp() -> int:
    """The PDF's creation date: ``SOURCE_DATE_EPOCH`` when set (a reproducible
    build), else now. Never 0: "1 January 1970" is no date a reader should see.

    The render engine sets ``SOURCE_DATE_EPOCH=0`` for the chart kernels
    (reproducible SVG metadata); that value means "unset" here.
    """
    import os
    import time

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.strip().isdigit() and int(epoch) > 0:
        return int(epoch)
    return int(time.time())


def compile_book(
    out_dir: Path, chapters_typ: list[str], meta: dict[str, str], pdf_name: str, keep_dir: Path | None = None
) -> Path:
    """Assemble ``main.typ`` in ``out_dir`` and compile it to ``pdf_name``.

    Parameters
    ----------
    out_dir : Path
        Folder that also holds ``figures/`` (the Typst root).
    chapters_typ : list of str
        Converted chapters in book order.
    meta : dict
        The ``book()`` parameters of ``assets/book.typ`` (:data:`BOOK_PARAMS`):
        cover texts, labels, language; see :func:`book_arguments`.
    pdf_name : str
        Output file name.
    keep_dir : Path, optional
        Where to keep a copy of ``main.typ`` for debugging (the cache).
    """
    import typst

    shutil.copy2(ASSETS_DIR / "book.typ", out_dir / "book.typ")
    args = ", ".join(f"{name}: {v}" for name, v in book_arguments(meta).items())
    # Figures still waiting for room (floats) are printed before the next
    # chapter starts, never on its opening page.
    main = '#import "book.typ": *\n' f"#show: book.with({args})\n\n" + "\n\n#place.flush()\n\n".join(chapters_typ)
    main_path = out_dir / "main.typ"
    main_path.write_text(main, encoding="utf-8")
    pdf = out_dir / pdf_name
    try:
        compiler = typst.Compiler(str(main_path), root=str(out_dir), font_paths=[str(font_dir())], ignore_system_fonts=True)
        compiler.compile(output=str(pdf), format="pdf", timestamp=creation_timestamp())
    except Exception as exc:  # typst.TypstError and friends
        msg = getattr(exc, "message", None) or str(exc)
        diag = getattr(exc, "diagnostic", "") or ""
        raise TypstCompileError(f"typst could not compile the PDF: {msg}\n{diag}".strip()) from None
    finally:
        # Keep the .typ sources out of the published folder.
        if keep_dir is not None and main_path.exists():
            keep_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(main_path, keep_dir / "main.typ")
        for p in (main_path, out_dir / "book.typ"):
            if p.exists():
                p.unlink()
    return pdf
