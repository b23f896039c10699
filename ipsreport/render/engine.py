"""Orchestrate a render: parse → execute (cached, parallel) → number → write.

The pandoc engine (:func:`render_book`) needs no Quarto. The Quarto engine
(:func:`quarto_command` / :func:`render_with_quarto`) runs ``quarto render``
with the same environment. Output is written to a temporary folder next to
the output folder and swapped in only when everything succeeded, so a failed
render leaves the previous output untouched. Only a folder that is absent,
empty or a previous ipsreport output is ever replaced
(:mod:`ipsreport.render.outdir`), and SIGTERM/SIGINT stop a render cleanly
(:mod:`ipsreport.render.signals`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ipsreport import paths
from ipsreport.render.config import Project, ProjectError, load_project
from ipsreport.render.crossref import build_book
from ipsreport.render.pandoc import ASSETS_DIR, PandocError, pandoc_version, set_cache_dir
from ipsreport.render.qmd import QmdError, read_qmd
from ipsreport.render.verdicts import (  # noqa: F401 - re-exported: the CLI and kernels use them from here
    EDITION_CACHE_ENV,
    validate_cached,
    validate_dir_cached,
    validation_key,
)

if TYPE_CHECKING:  # the kernel machinery (nbclient) is imported only when needed
    from ipsreport.render.execute import CellError, ExecutedChapter

#: Bump when the engine's output format changes (invalidates caches).
ENGINE_VERSION = "1"
STAMP_FILE = ".ipsreport-stamp"
TARGETS = ("html", "pdf", "all")

Progress = Callable[[str, str], None]


class RenderError(RuntimeError):
    """A render failed; the message is a one-paragraph explanation."""


class ToolMissingError(RenderError):
    """A required external tool (quarto) is not installed."""


@dataclass
class RenderResult:
    """What a render did.

    Attributes
    ----------
    output_dir : Path
    html_pages : list of Path
    pdf : Path or None
    executed : list of Path
        Chapters whose cells ran in this render.
    cached : list of Path
        Chapters whose outputs came from the cache.
    unchanged : bool
        True when nothing changed since the last render and the output
        folder was left as it was.
    warnings : list of str
    """

    output_dir: Path
    html_pages: list[Path] = field(default_factory=list)
    pdf: Path | None = None
    executed: list[Path] = field(default_factory=list)
    cached: list[Path] = field(default_factory=list)
    unchanged: bool = False
    warnings: list[str] = field(default_factory=list)


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def kernel_env(data_dir: Path | None, overrides: dict[str, Any] | None) -> dict[str, str]:
    """Environment variables every engine passes to chapter code."""
    env: dict[str, str] = {}
    if data_dir is not None:
        env["IPSREPORT_DATA"] = str(Path(data_dir).expanduser().resolve())
    elif os.environ.get("IPSREPORT_DATA"):
        env["IPSREPORT_DATA"] = os.environ["IPSREPORT_DATA"]
    if overrides:
        env["IPSREPORT_SETTINGS"] = json.dumps(overrides, sort_keys=True, default=str)
    elif os.environ.get("IPSREPORT_SETTINGS"):
        env["IPSREPORT_SETTINGS"] = os.environ["IPSREPORT_SETTINGS"]
    return env


def _hash_tree(h: "hashlib._Hash", root: Path, pattern: str = "*") -> None:
    if not root.exists():
        h.update(f"missing:{root}".encode())
        return
    files = [root] if root.is_file() else sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    for p in files:
        h.update(str(p.relative_to(root) if p != root else p.name).encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())


def environment_key(lock_file: Path | None = None) -> str:
    """Hash of the libraries the code runs on: the lock file and every installed version.

    A dependency upgrade can change a number or a picture without any source
    changing, so cached chapters and validated frames must not outlive it.
    The lock file says what should be installed, the installed versions what
    is (a hand-run ``pip install`` counts too).
    """
    h = hashlib.sha256()
    h.update(b"lock")
    _hash_tree(h, lock_file or paths.PROJECT_DIR / "requirements.lock")
    h.update(_installed_versions().encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def _installed_versions() -> str:
    """Every installed distribution with its version, as named by its metadata folder.

    ``pandas-2.2.3.dist-info`` carries name and version; listing the
    ``site-packages`` folders takes about a millisecond, where reading each
    distribution's metadata (``importlib.metadata``) takes 0.2 s.
    """
    import sys

    names = []
    for entry in sys.path:
        folder = Path(entry)
        if folder.is_dir():
            names += [p.name for p in folder.iterdir() if p.name.endswith((".dist-info", ".egg-info"))]
    return "\n".join(sorted(names))


def code_key(package_dir: Path | None = None) -> str:
    """Hash of every ``*.py`` source under the ipsreport package and of its environment.

    See :func:`environment_key`: part of every chapter and validation key.
    """
    h = hashlib.sha256()
    _hash_tree(h, package_dir or paths.PACKAGE_DIR, "*.py")
    h.update(environment_key().encode())
    return h.hexdigest()


def inputs_key(data_dir: Path, settings_json: str) -> str:
    """Hash of everything a chapter's outputs depend on besides its source.

    Covers the data folder's bytes, ``data/codebook.yml``, ``data/cases/**``,
    ``data/published/2025.yml`` (read by the audit appendix),
    every ``ipsreport/**/*.py`` source (:func:`code_key`), the resolved
    settings and the engine version.
    """
    h = hashlib.sha256()
    h.update(f"engine:{ENGINE_VERSION}".encode())
    h.update(b"data")
    _hash_tree(h, data_dir)
    h.update(b"codebook")
    _hash_tree(h, paths.CODEBOOK_PATH)
    h.update(b"cases")
    _hash_tree(h, paths.CASES_DIR)
    # The reproduction appendix compares the data with the published 2025 numbers.
    h.update(b"published")
    _hash_tree(h, paths.PUBLISHED_PATH)
    h.update(b"code")
    h.update(code_key().encode())
    h.update(settings_json.encode())
    return h.hexdigest()


def chapter_key(inputs: str, project: Project, path: Path) -> str:
    """Cache key of one chapter: shared inputs + its path + its source."""
    h = hashlib.sha256()
    h.update(inputs.encode())
    h.update(str(path.relative_to(project.root)).encode())
    h.update(json.dumps(project.config.get("execute") or {}, sort_keys=True, default=str).encode())
    h.update(path.read_bytes())
    return h.hexdigest()


def _page_name(project: Project, path: Path, index: int) -> str:
    if index == 0:
        return "index.html"
    return re.sub(r"[^A-Za-z0-9_.-]", "-", path.stem) + ".html"


def _settings_for(env: dict[str, str], overrides: dict[str, Any] | None):
    from ipsreport.settings import get_settings

    with _environ(env):
        return get_settings(overrides)


@dataclass
class _Plan:
    """One render prepared: keys computed, cached chapters loaded, the rest parsed."""

    project: Project
    out: Path
    to: str
    cache: Path
    env: dict[str, str]
    settings: Any
    keys: dict[Path, str]
    book_key: str
    result: RenderResult
    label: str | None = None
    executed: dict[Path, ExecutedChapter] = field(default_factory=dict)
    todo: list = field(default_factory=list)
    #: Folders the output must keep clear of (see :func:`outdir.check_output`).
    guard: dict[str, Path] = field(default_factory=dict)
    #: Set when a render of several books is stopped: no book is swapped in.
    cancel: threading.Event | None = None


def _plan(
    project_dir: Path | None,
    output_dir: Path | None,
    to: str,
    data_dir: Path | None,
    overrides: dict[str, Any] | None,
    cache_dir: Path | None,
    say: Progress,
    label: str | None = None,
) -> _Plan:
    """Everything before execution; ``plan.result.unchanged`` short-cuts the rest."""
    identity = _book_identity(project_dir, output_dir, to, data_dir, overrides, cache_dir, label)
    project, out, cache, env, settings, guard, keys, book_key = identity
    result = RenderResult(output_dir=out)
    files = project.files
    plan = _Plan(project, out, to, cache, env, settings, keys, book_key, result, label=label, guard=guard)
    from ipsreport.render.outdir import stamp_key

    if stamp_key(out) == book_key:
        result.unchanged = True
        result.cached = list(files)
        result.html_pages = sorted(out.glob("*.html"))
        pdfs = sorted(out.glob("*.pdf"))
        result.pdf = pdfs[0] if pdfs else None
        say("unchanged", str(out))
        return plan
    return _load_cached_chapters(plan, say)


def book_is_current(
    project_dir: Path | None,
    output_dir: Path | None,
    to: str = "all",
    data_dir: Path | None = None,
    overrides: dict[str, Any] | None = None,
    cache_dir: Path | None = None,
) -> bool:
    """True when the output was rendered from exactly these inputs (data, code, settings, sources).

    The output's stamp holds the book key, which covers the data bytes,
    codebook, package source, environment and settings (:func:`inputs_key`):
    a current book was rendered from data that validated, so the CLI can
    say "unchanged" without loading pandas to validate again.
    """
    try:
        _, out, *_, book_key = _book_identity(project_dir, output_dir, to, data_dir, overrides, cache_dir, None)
    except (RenderError, OSError):  # a refused output folder, an unreadable file: the render itself says why
        return False
    from ipsreport.render.outdir import stamp_key

    return stamp_key(out) == book_key


def _book_identity(project_dir, output_dir, to, data_dir, overrides, cache_dir, label):
    """Project, output, cache, kernel environment, settings, guard, chapter keys and the book key."""
    if to not in TARGETS:
        raise ValueError(f"to must be one of {TARGETS}, got {to!r}")
    try:
        project = load_project(Path(project_dir or paths.PROJECT_DIR))
    except ProjectError as exc:
        raise RenderError(str(exc)) from None
    out = Path(output_dir).resolve() if output_dir else project.output_dir
    cache = Path(cache_dir) if cache_dir else project.root / ".ipsreport-cache"
    env = kernel_env(data_dir, overrides)
    settings = _settings_for(env, overrides)
    env[EDITION_CACHE_ENV] = str(cache / "editions")
    from ipsreport.render.outdir import check_output

    guard = {"data_dir": Path(env.get("IPSREPORT_DATA") or settings.data_dir), "project_dir": project.root}
    check_output(out, **guard)  # before anything is written
    from ipsreport.settings import settings_to_json

    settings_json = settings_to_json(settings)
    inputs = inputs_key(settings.data_dir, settings_json)
    files = project.files
    keys = {p: chapter_key(inputs, project, p) for p in files}

    # Whole-book short cut: nothing changed since the output was written.
    h = hashlib.sha256()
    for p in files:
        h.update(keys[p].encode())
    h.update((project.root / "_quarto.yml").read_bytes())
    _hash_tree(h, ASSETS_DIR)
    h.update(f"{to}|{pandoc_version()}|{_typst_version()}|{label or ''}".encode())
    return project, out, cache, env, settings, guard, keys, h.hexdigest()


def _load_cached_chapters(plan: _Plan, say: Progress) -> _Plan:
    """Load the chapters the cache holds; parse the others for execution."""
    project, keys, cache, result = plan.project, plan.keys, plan.cache, plan.result
    files = project.files
    from ipsreport.render.execute import ExecutedChapter as _Executed

    chapter_cache = cache / "chapters"
    for p in files:
        cpath = chapter_cache / f"{p.stem}-{keys[p][:20]}.json"
        if cpath.exists():
            plan.executed[p] = _Executed.from_json(cpath.read_text(encoding="utf-8"))
            result.cached.append(p)
            say("cached", str(p.relative_to(project.root)))
        else:
            try:
                plan.todo.append(read_qmd(p, project.config.get("execute") or None))
            except QmdError as exc:
                raise RenderError(str(exc)) from None
    return plan


def _store(plan: _Plan, doc, res: "ExecutedChapter", say: Progress) -> None:
    """Write one executed chapter to the cache (atomically) and report it."""
    chapter_cache = plan.cache / "chapters"
    chapter_cache.mkdir(parents=True, exist_ok=True)
    target = chapter_cache / f"{doc.path.stem}-{plan.keys[doc.path][:20]}.json"
    tmp = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_text(res.to_json(), encoding="utf-8")
    tmp.replace(target)
    # Drop older cache entries of the same chapter.
    for old in chapter_cache.glob(f"{doc.path.stem}-*.json"):
        if old != target:
            old.unlink(missing_ok=True)
    say("executed", str(doc.path.relative_to(plan.project.root)))


def _cell_error(plan: _Plan, exc: "CellError") -> RenderError:
    root = plan.project.root
    rel = exc.path.relative_to(root) if exc.path.is_relative_to(root) else exc.path
    return RenderError(
        f"Cell failed in {rel} at line {exc.line} (cell starting at line {exc.cell_line}): "
        f"{exc.ename}: {exc.evalue}\n\n{exc.traceback}"
    )


def render_book(
    project_dir: Path | None = None,
    output_dir: Path | None = None,
    to: str = "all",
    data_dir: Path | None = None,
    overrides: dict[str, Any] | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    execute: Callable[..., dict[Path, Any]] | None = None,
) -> RenderResult:
    """Render a Quarto book project to HTML and/or PDF without Quarto.

    Parameters
    ----------
    project_dir : Path, optional
        Folder with ``_quarto.yml``; default: the ipsreport project.
    output_dir : Path, optional
        Default: ``project: output-dir`` (``_book``).
    to : {"all", "html", "pdf"}
    data_dir : Path, optional
        Passed to chapter kernels as ``IPSREPORT_DATA``.
    overrides : dict, optional
        Settings overrides, passed as ``IPSREPORT_SETTINGS`` (JSON).
    cache_dir : Path, optional
        Default: ``<project>/.ipsreport-cache``.
    workers : int, optional
        Kernels run in parallel; default: number of cores.
    progress : callable, optional
        ``progress(event, detail)`` with events ``"cached"``, ``"executed"``,
        ``"write"``, ``"unchanged"``.
    execute : callable, optional
        Runs the chapters that are not cached; same signature as
        :func:`ipsreport.render.execute.execute_chapters` (the default).
        ``ipsreport preview`` passes one that keeps a kernel warm.

    Returns
    -------
    RenderResult

    Raises
    ------
    RenderError
        On any failure (cell error, pandoc or Typst error); the previous
        output folder is left untouched.
    ipsreport.render.outdir.OutputRefused
        If ``output_dir`` may not be replaced (see :mod:`ipsreport.render.outdir`);
        raised before anything is written.
    ipsreport.render.signals.Interrupted
        On SIGTERM/SIGINT (when called from the main thread): the kernels
        are killed, the temporary folder removed, the previous output kept.
    """
    from ipsreport.render.signals import stop_on_signals

    say = progress or (lambda event, detail: None)
    with stop_on_signals():
        plan = _plan(project_dir, output_dir, to, data_dir, overrides, cache_dir, say)
        if plan.result.unchanged:
            return plan.result
        from ipsreport.render.execute import CellError, execute_chapters

        try:
            ran = (execute or execute_chapters)(
                plan.todo, plan.env, workers=workers, on_done=lambda doc, res: _store(plan, doc, res, say)
            )
        except CellError as exc:
            raise _cell_error(plan, exc) from None
        plan.executed.update(ran)
        plan.result.executed = [d.path for d in plan.todo]
        return _finish(plan, say)


@dataclass
class BookSpec:
    """One book of a :func:`render_books` call (see :func:`render_book` for the fields)."""

    output_dir: Path
    data_dir: Path | None = None
    overrides: dict[str, Any] | None = None
    cache_dir: Path | None = None
    #: Shown after the title (e.g. the site's name); part of the book's key.
    label: str | None = None


def render_books(
    specs: list[BookSpec],
    project_dir: Path | None = None,
    to: str = "all",
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[RenderResult]:
    """Render the same project several times (e.g. one report per site) at once.

    All chapters of all books run on one pool of ``workers`` kernels, so the
    kernel start and the report's imports are paid once per kernel rather than
    once per book; the books are then written (pandoc, Typst) in parallel.
    Each book keeps its own output folder, stamp and chapter cache, exactly as
    if :func:`render_book` had rendered it alone.

    Parameters
    ----------
    specs : list of BookSpec
    project_dir : Path, optional
    to : {"all", "html", "pdf"}
    workers : int, optional
        Kernels (and parallel writers); default: number of cores.
    progress : callable, optional
        As for :func:`render_book`; the detail is prefixed with the output
        folder's name.

    Returns
    -------
    list of RenderResult
        In the order of ``specs``.

    Raises
    ------
    RenderError
        On the first failure; books already written stay written, the failing
        one keeps its previous output. :class:`~ipsreport.render.outdir.OutputRefused`
        (any book's folder may not be replaced) is raised before anything is
        written, and :class:`~ipsreport.render.signals.Interrupted` on
        SIGTERM/SIGINT, after which no further book is swapped in.
    """
    from ipsreport.render.signals import stop_on_signals

    with stop_on_signals():
        return _render_books(specs, project_dir, to, workers, progress or (lambda event, detail: None))


def _render_books(specs, project_dir, to, workers, say: Progress) -> list[RenderResult]:
    cancel = threading.Event()
    plans = []
    for spec in specs:
        name = Path(spec.output_dir).name

        def tagged(event: str, detail: str, name=name) -> None:
            say(event, f"{name}: {detail}")

        plans.append(
            (
                _plan(project_dir, spec.output_dir, to, spec.data_dir, spec.overrides, spec.cache_dir, tagged, spec.label),
                tagged,
            )
        )
        plans[-1][0].cancel = cancel
    from ipsreport.render.execute import CellError, Job, execute_jobs

    jobs = []
    for i, (plan, _) in enumerate(plans):
        if plan.result.unchanged:
            continue
        # Every variable is given (None clears it) so no book inherits another's.
        env = {"IPSREPORT_DATA": plan.env.get("IPSREPORT_DATA"), "IPSREPORT_SETTINGS": plan.env.get("IPSREPORT_SETTINGS")}
        jobs.extend(Job((i, doc.path), doc, env) for doc in plan.todo)
    base_env = plans[0][0].env if plans else {}
    try:
        ran = execute_jobs(
            jobs, base_env, workers=workers,
            on_done=lambda job, res: _store(plans[job.key[0]][0], job.doc, res, plans[job.key[0]][1]),
        )
    except CellError as exc:
        failed = plans[exc.job_key[0]][0] if exc.job_key is not None else plans[0][0]
        err = _cell_error(failed, exc)
        if failed.label:
            err = RenderError(f"[{failed.label}] {err}")
        raise err from None
    for (i, path), res in ran.items():
        plans[i][0].executed[path] = res
    for plan, _ in plans:
        plan.result.executed = [d.path for d in plan.todo]
    pending = [(plan, tagged) for plan, tagged in plans if not plan.result.unchanged]
    n = max(1, min(workers or os.cpu_count() or 1, len(pending) or 1))
    pool = ThreadPoolExecutor(max_workers=n)
    try:
        for fut in [pool.submit(_finish, plan, tagged) for plan, tagged in pending]:
            fut.result()
    except Exception:
        pool.shutdown(wait=True)  # one book failed: the others are still written
        raise
    except BaseException:
        # Stopped by a signal: books not yet swapped in stay as they were.
        cancel.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [plan.result for plan, _ in plans]


def _data_note(data_dir: Path) -> str:
    """The cover line a funder must not miss: the numbers rest on synthetic data.

    Only when :func:`ipsreport.manifest.check_manifest` verifies the folder's
    ``manifest.yml`` against the data files (the same check behind
    ``Edition.synthetic``), so a manifest copied next to real data never
    puts "synthetic" on a report about real people.
    """
    from ipsreport.manifest import check_manifest

    if not check_manifest(data_dir).synthetic:
        return ""
    return "Syntetiske data: tallene i denne udgave beskriver ingen virkelige personer."


def _finish(plan: _Plan, say: Progress) -> RenderResult:
    """Number, cross-reference and write the book; swap it into place."""
    project, settings, result, out, to, cache = plan.project, plan.settings, plan.result, plan.out, plan.to, plan.cache
    files = project.files
    executed = plan.executed
    book = build_book(
        [
            (p, {"blocks": executed[p].blocks}, project.is_appendix(p), _page_name(project, p, i))
            for i, p in enumerate(files)
        ],
        project.labels,
    )
    meta = {
        "title": project.title or settings.title,
        "subtitle": project.subtitle or settings.subtitle,
        "edition": str(settings.edition_year),
        "evaluator": settings.evaluator,
        "funder": settings.funder,
        "author": project.author,
        "date": project.date,
        "lang": project.lang,
    }
    meta["data_note"] = _data_note(Path(plan.env.get("IPSREPORT_DATA") or settings.data_dir))
    # Avoid saying the same thing twice on the cover.
    if meta["date"] == meta["edition"]:
        meta["date"] = ""
    if meta["author"] in (meta["evaluator"], meta["funder"]):
        meta["author"] = ""
    if plan.label:
        meta["title"] = f"{meta['title']} – {plan.label}"

    from ipsreport.render.outdir import staging_dir, swap, write_stamp

    tmp = staging_dir(out)
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the output is meant to be published
        if to != "all" and out.exists():
            # Partial render: keep the other target's files.
            shutil.rmtree(tmp)
            shutil.copytree(out, tmp)
            (tmp / STAMP_FILE).unlink(missing_ok=True)
            if to == "html":
                for f in tmp.glob("*.html"):
                    f.unlink()
                shutil.rmtree(tmp / "assets", ignore_errors=True)
            else:
                for f in tmp.glob("*.pdf"):
                    f.unlink()
        # The pandoc memo is content-addressed, so books written at the same
        # time may share one folder.
        with _PANDOC_CACHE_LOCK:
            _PANDOC_CACHE_USERS.append(cache / "pandoc")
            set_cache_dir(_PANDOC_CACHE_USERS[0])
        try:
            _write(book, project, tmp, to, meta, cache, result, say)
        finally:
            with _PANDOC_CACHE_LOCK:
                _PANDOC_CACHE_USERS.remove(cache / "pandoc")
                set_cache_dir(_PANDOC_CACHE_USERS[0] if _PANDOC_CACHE_USERS else None)
        result.warnings = list(dict.fromkeys(book.warnings))
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


_PANDOC_CACHE_LOCK = threading.Lock()
_PANDOC_CACHE_USERS: list[Path] = []


def _typst_version() -> str:
    try:
        from importlib.metadata import version

        return version("typst")
    except Exception:  # noqa: BLE001
        return "?"


def _write(book, project: Project, tmp: Path, to: str, meta: dict[str, str], cache: Path, result: RenderResult, say) -> None:
    from ipsreport.render import html as html_writer
    from ipsreport.render import typst as typst_writer

    # Figures: one SVG/PNG file per figure, shared by HTML and Typst.
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
                import base64

                target.write_bytes(base64.b64decode(fl.data))
            figure_files[(ci, fi)] = f"figures/{name}"
    _copy_local_images(book, project, tmp)

    workers = max(1, os.cpu_count() or 1)
    with _pool(workers) as pool:
        html_jobs = []
        if to in ("html", "all"):
            say("write", "HTML")
            html_writer.copy_assets(tmp)
            for ci, ch in enumerate(book.chapters):
                md = html_writer.chapter_markdown_html(book, ch, figure_files, ci)
                html_jobs.append(pool.submit(html_writer.convert_chapter, md, str(ch.source)))
        typ_jobs = []
        if to in ("pdf", "all"):
            for ci, ch in enumerate(book.chapters):
                typ_jobs.append(
                    pool.submit(
                        lambda ci=ci, ch=ch: typst_writer.convert_chapter(
                            typst_writer.chapter_markdown_typst(book, ch, figure_files, ci), str(ch.source)
                        )
                    )
                )
        # Every page links to the PDF when the book has one (a partial HTML render keeps the old PDF).
        pdf_name = f"{project.output_file}.pdf"
        has_pdf = to in ("pdf", "all") or (tmp / pdf_name).exists()
        for ci, job in enumerate(html_jobs):
            body = job.result()
            result.html_pages.append(
                html_writer.write_page(tmp, book, ci, body, meta["title"], project.lang,
                                       pdf_name=pdf_name if has_pdf else None)
            )
        if html_jobs:
            html_writer.write_search_index(tmp, result.html_pages)
        if typ_jobs:
            chapters_typ = [j.result() for j in typ_jobs]
            say("write", "PDF")
            result.pdf = typst_writer.compile_book(
                tmp, chapters_typ, meta, f"{project.output_file}.pdf", keep_dir=cache / "typst"
            )
    if to == "pdf" and not any(tmp.glob("*.html")):
        # PDF only: the figure files were needed for Typst only.
        shutil.rmtree(fig_dir, ignore_errors=True)


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


def _copy_local_images(book, project: Project, tmp: Path) -> None:
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


# --- Quarto engine -----------------------------------------------------------


def quarto_available() -> str | None:
    """Path of ``quarto`` on PATH, or None."""
    return shutil.which("quarto")


def quarto_command(
    project_dir: Path, to: str = "all", output_dir: Path | None = None, quarto: str = "quarto"
) -> list[str]:
    """Build the ``quarto render`` command line.

    ``to="pdf"`` maps to Quarto's ``typst`` format; ``"all"`` renders every
    format listed in ``_quarto.yml``.
    """
    cmd = [quarto, "render", str(project_dir)]
    if to == "html":
        cmd += ["--to", "html"]
    elif to == "pdf":
        cmd += ["--to", "typst"]
    if output_dir is not None:
        cmd += ["--output-dir", str(output_dir)]
    return cmd


def render_with_quarto(
    project_dir: Path | None = None,
    output_dir: Path | None = None,
    to: str = "all",
    data_dir: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> int:
    """Run ``quarto render`` with ``IPSREPORT_DATA`` / ``IPSREPORT_SETTINGS`` set.

    Quarto writes into a temporary folder beside the output folder; only
    when it exits 0 is that folder swapped into place (the same
    :func:`ipsreport.render.outdir.check_output` / ``swap`` as the pandoc
    engine), so a failed or interrupted render leaves the previous book.

    Returns
    -------
    int
        Quarto's exit code.

    Raises
    ------
    ToolMissingError
        If quarto is not on PATH.
    OutputRefused
        If the output folder may not be replaced (nothing is run).
    """
    from ipsreport.render.outdir import check_output, staging_dir, swap, write_stamp

    quarto = quarto_available()
    if quarto is None:
        raise ToolMissingError("quarto was requested but is not installed (not found on PATH).")
    project = load_project(Path(project_dir or paths.PROJECT_DIR))
    out = Path(output_dir).expanduser().resolve() if output_dir is not None else project.output_dir
    env = {**os.environ, **kernel_env(data_dir, overrides)}
    guard = {"project_dir": project.root}
    if env.get("IPSREPORT_DATA"):
        guard["data_dir"] = Path(env["IPSREPORT_DATA"])
    check_output(out, **guard)
    tmp = staging_dir(out)
    try:
        code = subprocess.run(quarto_command(project.root, to, tmp, quarto), env=env, cwd=project.root).returncode
        if code == 0:
            write_stamp(tmp, "quarto")
            swap(tmp, out, **guard)
        return code
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
