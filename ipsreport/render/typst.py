"""Write the whole book as one Typst document and compile it to PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ipsreport.render.crossref import Book, Chapter, Float, fill_placeholders, with_index
from ipsreport.render.gtable import header_rows, html_for_typst, split_notes
from ipsreport.render.html import _raw
from ipsreport.render.pandoc import (ASSETS_DIR, CALLOUTS_LUA, NUMBERING_LUA, TYPOGRAPHY_LUA, Conversion, convert_all,
                                     run_pandoc)
from ipsreport.render.placement import place_floats


class TypstCompileError(RuntimeError):
    """Typst could not compile the book."""


def typst_string(text: str) -> str:
    """Quote ``text`` as a Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def table_conversion(fl: Float, where: str) -> Conversion:
    """The pandoc conversion of a table float's HTML, its notes after a mark, to Typst (for :func:`float_typst`)."""
    table_html, notes_html = split_notes(html_for_typst(fl.data, None, None))
    return Conversion(table_html + _NOTES_MARK + "".join(f"<p>{n}</p>" for n in notes_html), "html", "typst", (),
                      where)


def convert_tables(book: Book, processes: int = 1) -> dict[tuple[int, int], str]:
    """Every table float of ``book`` converted to Typst in ``processes`` pandoc processes: (chapter, float) -> Typst."""
    places = [(ci, n) for ci, ch in enumerate(book.chapters) for n, fl in enumerate(ch.floats)
              if fl.mime not in ("svg", "png")]
    conversions = [table_conversion(book.chapters[ci].floats[n], str(book.chapters[ci].source)) for ci, n in places]
    return dict(zip(places, convert_all(conversions, processes)))


def float_typst(fl: Float, figure_src: str | None, where: str, converted: str | None = None) -> str:
    """Typst for one table or figure, in the flow of the text.

    Nothing floats: a table or figure stands where the chapter puts it (after
    the paragraph that cites it, see :func:`place_floats`), so it can never
    move above its section heading, into a case box or into a sentence.
    Charts are ``figure(image)``; great-tables HTML goes through pandoc's
    HTML reader and becomes ``ips-table(...)`` of ``assets/book.typ``, which
    keeps a short table whole and lets a long one break with its header rows
    repeated. The table's source notes are a plain block under the table,
    not table rows. ``converted``: the table's :func:`table_conversion`
    already made (:func:`convert_tables`), else it is made here.
    """
    cap = fl.caption_text
    label = f" <{fl.label}>" if fl.label else ""
    if fl.mime in ("svg", "png"):
        alt = fl.alt or fl.caption or ""
        kind = "table" if fl.kind == "table" else "image"
        caption = f", caption: [#{typst_string(cap)}]" if cap else ""
        return (
            f'#figure(image({typst_string(figure_src)}, alt: {typst_string(alt)}, width: 100%), kind: {kind}{caption})'
            f"{label}"
        )
    table_html, _notes = split_notes(html_for_typst(fl.data, None, None))
    typ = converted if converted is not None else convert_all([table_conversion(fl, where)])[0]
    table_typ, _, notes_typ = break_points(typ).partition(_NOTES_MARK_TYP)
    m = _PANDOC_TABLE.match(table_typ)
    if not m:  # not the shape pandoc writes for a bare table: its own figure, notes as rows
        return break_points(run_pandoc(html_for_typst(fl.data, cap, fl.label), "html", "typst", where=where))
    args = [f"header-rows: {header_rows(table_html)}"]
    if cap:
        args.append(f"caption: [#{typst_string(cap)}]")
    if notes_typ.strip():
        args.append(f"notes: [\n{notes_typ.strip()}\n]")
    return f"#ips-table({', '.join(args)}, {m.group('body')}){label}\n"


#: A line may break here, and no character is written: an empty inline box
#: (the ``;`` ends the embedded expression, whatever follows it).
BREAK_POINT = "#box();"


def break_points(typ: str) -> str:
    """Typst markup with each zero-width space (U+200B) as a break point that puts no character into the text.

    :func:`ipsreport.render.gtable.html_for_typst` marks where long tokens
    may wrap (``baseline.support_other``, ``n.s.``, a SHA-256 checksum in
    groups of eight) with zero-width spaces, the only break pandoc carries
    through. Left in the PDF, they are copied with the text: a checksum
    copied from the PDF would not match the file's, and ``n.s.`` would not
    be found by search. An empty box breaks the line just as well and has no
    text.
    """
    return typ.replace("\u200b", BREAK_POINT)


#: Separates a table from its notes in one pandoc call.
_NOTES_MARK = "<p>IPSREPORTNOTES</p>"
_NOTES_MARK_TYP = "IPSREPORTNOTES"
#: What pandoc writes for a table without caption: ``#figure(align(center)[#table(...)], kind: table)``.
_PANDOC_TABLE = re.compile(r"\A\s*#figure\(\s*(?P<body>align\(center\)\[#table\(.*\)\])\s*,\s*kind: table\s*\)\s*\Z", re.S)


def _sticky(paragraph: str) -> str:
    """A short lead-in paragraph that never parts from the float after it."""
    return f"{_raw('#block(sticky: true)[', 'typst')}{paragraph}{_raw(']', 'typst')}".strip("\n")


def chapter_markdown_typst(book: Book, ch: Chapter, figure_files: dict[tuple[int, int], str], index: int,
                           tables: dict[tuple[int, int], str] | None = None) -> str:
    """The chapter's markdown with floats after their citing paragraph, as raw Typst, and the book's index in front.

    ``tables``: the book's tables already converted (:func:`convert_tables`).
    """
    tables = tables or {}
    labels = {n: fl.label for n, fl in enumerate(ch.floats) if fl.label}
    md = place_floats(ch.markdown, labels, keep_with=_sticky)
    md = with_index(md, book, ch, "typst")
    return fill_placeholders(
        md, lambda n: _raw(float_typst(ch.floats[n], figure_files.get((index, n)), str(ch.source),
                                       tables.get((index, n))), "typst")
    )


def convert_chapter(md: str, where: str) -> str:
    """pandoc markdown → Typst (no automatic ids: one document, many chapters); filters as in HTML."""
    return convert_chapters([(md, where)])[0]


def convert_chapters(chapters: list[tuple[str, str]], processes: int = 1) -> list[str]:
    """:func:`convert_chapter` for every ``(markdown, where)`` of a book, in ``processes`` pandoc processes."""
    filters = ("--lua-filter", str(NUMBERING_LUA), "--lua-filter", str(CALLOUTS_LUA), "--lua-filter", str(TYPOGRAPHY_LUA))
    return convert_all([Conversion(md, "markdown-auto_identifiers", "typst", filters, where) for md, where in chapters],
                       processes)


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


#: The PDF is exported as PDF/UA-1 (ISO 14289-1, universally accessible): Typst
#: then refuses a document that breaks the standard (an image without alt
#: text, a missing title or language) instead of writing an inaccessible
#: PDF, identifies the file as PDF/UA and makes viewers show the title.
PDF_STANDARDS = ["ua-1"]


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
    main = '#import "book.typ": *\n' f"#show: book.with({args})\n\n" + "\n\n".join(chapters_typ)
    main_path = out_dir / "main.typ"
    main_path.write_text(main, encoding="utf-8")
    pdf = out_dir / pdf_name
    try:
        compiler = typst.Compiler(str(main_path), root=str(out_dir), font_paths=[str(font_dir())], ignore_system_fonts=True)
        compiler.compile(output=str(pdf), format="pdf", timestamp=creation_timestamp(), pdf_standards=PDF_STANDARDS)
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
