"""Write the whole book as one Typst document and compile it to PDF."""

from __future__ import annotations

import shutil
from pathlib import Path

from ipsreport.render.crossref import Book, Chapter, Float, fill_placeholders, resolve_refs
from ipsreport.render.gtable import html_for_typst
from ipsreport.render.html import _raw
from ipsreport.render.pandoc import ASSETS_DIR, CALLOUTS_LUA, run_pandoc


class TypstCompileError(RuntimeError):
    """Typst could not compile the book."""


def typst_string(text: str) -> str:
    """Quote ``text`` as a Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def float_typst(fl: Float, figure_src: str | None, where: str) -> str:
    """Typst for one table or figure; tables go through pandoc's HTML reader."""
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
    return run_pandoc(html_for_typst(fl.data, cap, fl.label), "html", "typst", where=where)


def chapter_markdown_typst(book: Book, ch: Chapter, figure_files: dict[tuple[int, int], str], index: int) -> str:
    """The chapter's markdown with refs resolved and floats as raw Typst."""
    md = resolve_refs(ch.markdown, book, ch.page, "typst", where=str(ch.source))
    return fill_placeholders(
        md, lambda n: _raw(float_typst(ch.floats[n], figure_files.get((index, n)), str(ch.source)), "typst")
    )


def convert_chapter(md: str, where: str) -> str:
    """pandoc markdown → Typst (no automatic ids: one document, many chapters)."""
    return run_pandoc(md, "markdown-auto_identifiers", "typst", ["--lua-filter", str(CALLOUTS_LUA)], where=where)


def font_dir() -> Path:
    """DejaVu fonts shipped with matplotlib (same family as the HTML)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


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
        ``title, subtitle, edition, evaluator, funder, author, date, lang``.
    pdf_name : str
        Output file name.
    keep_dir : Path, optional
        Where to keep a copy of ``main.typ`` for debugging (the cache).
    """
    import typst

    shutil.copy2(ASSETS_DIR / "book.typ", out_dir / "book.typ")
    args = ", ".join(f"{k}: {typst_string(str(v))}" for k, v in meta.items())
    main = '#import "book.typ": *\n' f"#show: book.with({args})\n\n" + "\n\n".join(chapters_typ)
    main_path = out_dir / "main.typ"
    main_path.write_text(main, encoding="utf-8")
    pdf = out_dir / pdf_name
    try:
        compiler = typst.Compiler(str(main_path), root=str(out_dir), font_paths=[str(font_dir())], ignore_system_fonts=True)
        compiler.compile(output=str(pdf), format="pdf", timestamp=0)
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
