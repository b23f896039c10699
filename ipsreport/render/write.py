"""Number, cross-reference and write a book: HTML pages and the Typst PDF, then swap it in.

:func:`finish` turns a :class:`~ipsreport.render.plan.Plan` whose chapters
have all been executed into the output folder: it writes into a temporary
folder beside the output and swaps that in only when everything succeeded
(:mod:`ipsreport.render.outdir`).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ipsreport.render import html as html_writer
from ipsreport.render import downloads as table_downloads
from ipsreport.render import typst as typst_writer
from ipsreport.render.base import STAMP_FILE, Progress, RenderError, RenderResult
from ipsreport.render.config import Project
from ipsreport.render.crossref import build_book
from ipsreport.render.hooks import Cover
from ipsreport.render.outdir import staging_dir, swap, write_stamp
from ipsreport.render.pandoc import PandocError, set_store
from ipsreport.render.plan import Plan
from ipsreport.render.store import Store, open_store
from ipsreport.render.words import UI_WORDS

__all__ = ["book_meta", "finish"]


def _page_name(path: Path, index: int) -> str:
    if index == 0:
        return "index.html"
    return re.sub(r"[^A-Za-z0-9_.-]", "-", path.stem) + ".html"


def book_meta(project: Project, cover: Cover, label: str | None = None) -> dict[str, object]:
    """The ``book()`` arguments of the Typst template: title block, cover, words, language.

    The project's ``book: author`` is not printed a second time when a cover
    line already says it (the PDF metadata keeps the author). When the cover
    names the edition, that is the book's date: ``book: date`` is not printed
    beside it (a render of next year's edition would otherwise show two years).
    """
    said = " ".join([cover.edition, *cover.lines])
    title = project.title or cover.title
    return {
        "title": f"{title} – {label}" if label else title,
        "subtitle": project.subtitle or cover.subtitle,
        "edition": cover.edition,
        "lines": list(cover.lines),
        "notice": cover.notice,
        "author": project.author,
        "show_author": not (project.author and project.author in said),
        "date": "" if cover.edition or (project.date and project.date in said) else project.date,
        "lang": project.lang,
        "toc_title": project.words["contents"],
        "lot_title": project.words["list_of_tables"],
        "lof_title": project.words["list_of_figures"],
        "keywords": list(project.keywords),
    }


def finish(plan: Plan, say: Progress) -> RenderResult:
    """Number, cross-reference and write the book; swap it into place."""
    project, result, out, to, cache = plan.project, plan.result, plan.out, plan.to, plan.cache
    meta = book_meta(project, plan.hooks.cover, plan.label)
    # Private (0o700) until swap() puts it in place: a render killed outright leaves nothing readable.
    tmp = staging_dir(out)
    try:
        if to != "all" and out.exists():
            # Partial render: keep the other target's files (copied in entry by entry, so the
            # staging folder keeps its own private mode).
            _copy_into(out, tmp)
            (tmp / STAMP_FILE).unlink(missing_ok=True)
            if to == "html":
                for f in tmp.glob("*.html"):
                    f.unlink()
                shutil.rmtree(tmp / "assets", ignore_errors=True)
            else:
                for f in tmp.glob("*.pdf"):
                    f.unlink()
        # The pandoc memo is content-addressed, so books written at the same
        # time may share one store.
        with _PANDOC_CACHE_LOCK:
            _PANDOC_CACHE_USERS.append(open_store(cache))
            set_store(_PANDOC_CACHE_USERS[0])
        try:
            # Numbered by numbering.lua through pandoc, so within the pandoc memo.
            book = build_book(
                [
                    (p, {"blocks": plan.executed[p].blocks}, project.is_appendix(p), _page_name(p, i))
                    for i, p in enumerate(project.files)
                ],
                project.labels,
            )
            resources = {}
            for p in project.files:
                resources.update(table_downloads.table_resources(plan.executed[p].blocks))
            _write(book, project, tmp, to, meta, cache, result, say, resources)
        finally:
            with _PANDOC_CACHE_LOCK:
                _PANDOC_CACHE_USERS.remove(open_store(cache))
                set_store(_PANDOC_CACHE_USERS[0] if _PANDOC_CACHE_USERS else None)
        result.warnings = list(dict.fromkeys(book.warnings))
        if plan.hooks.attachment is not None:
            plan.hooks.attachment.write(tmp)
        write_stamp(tmp, plan.book_key)
        if plan.cancel is not None and plan.cancel.is_set():
            raise RenderError("stopped before this book was put in place")
        swap(tmp, out, **plan.guard)
    except (PandocError, RuntimeError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, RenderError):
            raise
        raise RenderError(str(exc)) from None
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RenderError(
            f"Kunne ikke skrive rapporten i {tmp.parent} ({exc.filename or out}: {exc.strerror or exc}). "
            f"Det tidligere output i {out} er uændret. Tjek at der er plads på disken og skriveadgang til mappen."
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.html_pages = [out / p.name for p in result.html_pages]
    result.pdf = out / result.pdf.name if result.pdf else None
    return result


def _copy_into(src: Path, dst: Path) -> None:
    """Copy the contents of ``src`` into the existing folder ``dst``, leaving ``dst``'s own mode alone."""
    for entry in src.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, dst / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, dst / entry.name, follow_symlinks=False)


_PANDOC_CACHE_LOCK = threading.Lock()
_PANDOC_CACHE_USERS: list[Store] = []


def _figure_files(book, tmp: Path) -> dict[tuple[int, int], str]:
    """Write one SVG/PNG file per figure, shared by HTML and Typst."""
    fig_dir = tmp / "figures"
    shutil.rmtree(fig_dir, ignore_errors=True)
    figure_files: dict[tuple[int, int], str] = {}
    for ci, ch in enumerate(book.chapters):
        for fi, fl in enumerate(ch.floats):
            if fl.mime not in ("svg", "png"):
                continue
            fig_dir.mkdir(parents=True, exist_ok=True)
            name = f"{Path(ch.page).stem}-{fl.label or f'fig{fi + 1}'}.{fl.mime}"
            target = fig_dir / name
            if fl.mime == "svg":
                target.write_text(fl.data, encoding="utf-8")
            else:
                target.write_bytes(base64.b64decode(fl.data))
            figure_files[(ci, fi)] = f"figures/{name}"
    return figure_files


def _downloads(book, project: Project, tmp: Path, resources: dict, pool: ThreadPoolExecutor):
    """Each table's CSV and Excel file (:mod:`ipsreport.render.downloads`): label -> links, and the job writing them."""
    folder = project.words.get("download_folder") or UI_WORDS["download_folder"]
    shutil.rmtree(tmp / folder, ignore_errors=True)
    captions = {fl.label: fl.caption_text for ch in book.chapters for fl in ch.floats if fl.label in resources}
    tables = {k: v for k, v in resources.items() if k in captions}
    return (table_downloads.download_links(folder, tables),
            pool.submit(table_downloads.write_downloads, tmp, folder, tables, captions))


def _write(book, project: Project, tmp: Path, to: str, meta: dict, cache: Path, result: RenderResult, say,
           resources: dict | None = None) -> None:
    figure_files = _figure_files(book, tmp)
    _copy_local_images(book, tmp)
    workers = max(1, os.cpu_count() or 1)
    with _pool(workers) as pool:
        pdf_name = f"{project.output_file}.pdf"
        pdf_job = None
        if to in ("pdf", "all"):
            # The PDF is the longest path (its tables, then its chapters, then Typst): its conversions run in
            # as many pandoc processes as there are cores, beside the HTML pages' one.
            def pdf() -> Path:
                tables = typst_writer.convert_tables(book, workers)
                chapters = typst_writer.convert_chapters([
                    (typst_writer.chapter_markdown_typst(book, ch, figure_files, ci, tables), str(ch.source))
                    for ci, ch in enumerate(book.chapters)], workers)
                return typst_writer.compile_book(tmp, chapters, meta, pdf_name, keep_dir=cache / "typst")

            pdf_job = pool.submit(pdf)
        # Every page links to the PDF when the book has one (a partial HTML render keeps the old PDF).
        has_pdf = to in ("pdf", "all") or (tmp / pdf_name).exists()
        bodies, downloads = [], None
        if to in ("html", "all"):
            say("write", "HTML")
            html_writer.copy_assets(tmp)
            links, downloads = _downloads(book, project, tmp, resources or {}, pool)
            pages = [(html_writer.chapter_markdown_html(book, ch, figure_files, ci, links, project.words), str(ch.source))
                     for ci, ch in enumerate(book.chapters)]
            bodies = html_writer.convert_chapters(pages)  # here, beside the pool's PDF work
        for ci, body in enumerate(bodies):
            result.html_pages.append(
                html_writer.write_page(tmp, book, ci, body, str(meta["title"]), project.lang,
                                       pdf_name=pdf_name if has_pdf else None, words=project.words)
            )
        if bodies:
            html_writer.write_search_index(tmp, result.html_pages)
        if downloads is not None:
            downloads.result()
        if pdf_job is not None:
            say("write", "PDF")
            result.pdf = pdf_job.result()
    if to == "pdf" and not any(tmp.glob("*.html")):
        # PDF only: the figure files were needed for Typst only.
        shutil.rmtree(tmp / "figures", ignore_errors=True)


@contextmanager
def _pool(workers: int) -> Iterator[ThreadPoolExecutor]:
    """A thread pool that drops its queued jobs when the block fails or is interrupted."""
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


_LOCAL_IMG = re.compile(r"(!\[[^\]]*\]\()(?P<src>[^)\s]+)")


def _copy_local_images(book, tmp: Path) -> None:
    """Copy images referenced from prose (relative to the chapter) into media/."""
    for ch in book.chapters:
        def sub(m: re.Match) -> str:
            src = m.group("src")
            if re.match(r"^[a-z]+:", src) or src.startswith(("/", "figures/", "media/")):
                return m.group(0)
            path = (ch.source.parent / src).resolve()
            if not path.exists():
                book.warnings.append(f"{ch.source}: image not found: {src}")
                return m.group(0)
            media = tmp / "media"
            media.mkdir(exist_ok=True)
            name = f"{Path(ch.page).stem}-{path.name}"
            shutil.copy2(path, media / name)
            return f"{m.group(1)}media/{name}"

        ch.markdown = _LOCAL_IMG.sub(sub, ch.markdown)
