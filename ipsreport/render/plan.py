"""Prepare a render: keys, the unchanged-book short cut, cached chapters, the rest parsed.

A :class:`Plan` is everything a render knows before any chapter runs. The
book key (:func:`book_key`) decides the whole-book short cut: an output
folder whose stamp holds it was rendered from exactly these sources,
settings, hooks and tools, and is left as it is.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from ipsreport.render.base import TARGETS, Progress, RenderError, RenderResult
from ipsreport.render.config import Project, ProjectError, load_project
from ipsreport.render.hooks import BookHooks
from ipsreport.render.keys import chapter_key, environment_key, hash_tree
from ipsreport.render.outdir import check_output, stamp_key
from ipsreport.render.pandoc import ASSETS_DIR, pandoc_version
from ipsreport.render.qmd import QmdError, read_qmd

if TYPE_CHECKING:  # the kernel machinery (nbclient) is imported only when needed
    from ipsreport.render.execute import CellError
    from ipsreport.render.outputs import ExecutedChapter

__all__ = ["Plan", "book_key", "cell_error", "make_plan", "store"]


@dataclass
class Plan:
    """One render prepared: keys computed, cached chapters loaded, the rest parsed."""

    project: Project
    out: Path
    to: str
    cache: Path
    hooks: BookHooks
    keys: dict[Path, str]
    book_key: str
    result: RenderResult
    label: str | None = None
    executed: dict[Path, "ExecutedChapter"] = field(default_factory=dict)
    todo: list = field(default_factory=list)
    #: Set when a render of several books is stopped: no book is swapped in.
    cancel: threading.Event | None = None
    #: Folder of the pandoc memo; default ``<cache>/pandoc``. Books rendered together share one
    #: (:func:`ipsreport.render.engine.render_variants`): conversions are content-addressed.
    pandoc_memo: Path | None = None

    @property
    def guard(self) -> dict:
        """What :func:`~ipsreport.render.outdir.check_output` is given for this output."""
        return {"protected": dict(self.hooks.protected_paths), "project_dir": self.project.root}


def _typst_version() -> str:
    try:
        return version("typst")
    except PackageNotFoundError:
        return "?"


def book_key(project: Project, to: str, hooks: BookHooks, keys: dict[Path, str], label: str | None) -> str:
    """The whole book's key: its chapters' keys, ``_quarto.yml``, cover, assets and tools."""
    h = hashlib.sha256()
    for p in project.files:
        h.update(keys[p].encode())
    h.update((project.root / "_quarto.yml").read_bytes())
    h.update(repr(hooks.cover).encode())
    hash_tree(h, ASSETS_DIR)
    h.update(f"{to}|{pandoc_version()}|{_typst_version()}|{label or ''}".encode())
    return h.hexdigest()


def identify(project_dir: Path, output_dir: Path | None, to: str, hooks: BookHooks | None,
             cache_dir: Path | None, label: str | None) -> Plan:
    """Project, output, cache and keys of one book; the output folder is checked first."""
    if to not in TARGETS:
        raise ValueError(f"to must be one of {TARGETS}, got {to!r}")
    try:
        project = load_project(Path(project_dir))
    except ProjectError as exc:
        raise RenderError(str(exc)) from None
    hooks = hooks or BookHooks()
    out = Path(output_dir).resolve() if output_dir else project.output_dir
    cache = Path(cache_dir) if cache_dir else project.root / ".ipsreport-cache"
    check_output(out, protected=dict(hooks.protected_paths), project_dir=project.root)  # before anything is written
    environment = environment_key(project.root / "requirements.lock")
    options = project.config.get("execute") or {}
    keys = {p: chapter_key(hooks.cache_inputs, project.root, p, options, environment) for p in project.files}
    key = book_key(project, to, hooks, keys, label)
    return Plan(project, out, to, cache, hooks, keys, key, RenderResult(output_dir=out), label=label)


def make_plan(project_dir: Path, output_dir: Path | None, to: str, hooks: BookHooks | None,
              cache_dir: Path | None, say: Progress, label: str | None = None) -> Plan:
    """Everything before execution; ``plan.result.unchanged`` short-cuts the rest."""
    plan = identify(project_dir, output_dir, to, hooks, cache_dir, label)
    result, out = plan.result, plan.out
    if stamp_key(out) == plan.book_key:
        result.unchanged = True
        result.cached = list(plan.project.files)
        result.html_pages = sorted(out.glob("*.html"))
        pdfs = sorted(out.glob("*.pdf"))
        result.pdf = pdfs[0] if pdfs else None
        say("unchanged", str(out))
        return plan
    return _load_cached_chapters(plan, say)


def _cache_file(plan: Plan, path: Path) -> Path:
    return plan.cache / "chapters" / f"{path.stem}-{plan.keys[path][:20]}.json"


def _load_cached_chapters(plan: Plan, say: Progress) -> Plan:
    """Load the chapters the cache holds; parse the others for execution."""
    from ipsreport.render.outputs import ExecutedChapter

    project = plan.project
    for p in project.files:
        cpath = _cache_file(plan, p)
        if cpath.exists():
            plan.executed[p] = ExecutedChapter.from_json(cpath.read_text(encoding="utf-8"))
            plan.result.cached.append(p)
            say("cached", str(p.relative_to(project.root)))
        else:
            try:
                plan.todo.append(read_qmd(p, project.config.get("execute") or None))
            except QmdError as exc:
                raise RenderError(str(exc)) from None
    return plan


def store(plan: Plan, doc, res: "ExecutedChapter", say: Progress) -> None:
    """Write one executed chapter to the cache (atomically) and report it."""
    target = _cache_file(plan, doc.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_text(res.to_json(), encoding="utf-8")
    tmp.replace(target)
    # Drop older cache entries of the same chapter.
    for old in target.parent.glob(f"{doc.path.stem}-*.json"):
        if old != target:
            old.unlink(missing_ok=True)
    say("executed", str(doc.path.relative_to(plan.project.root)))


def cell_error(plan: Plan, exc: "CellError") -> RenderError:
    """The render error for a failed cell: chapter (relative to the project), line, traceback."""
    root = plan.project.root
    rel = exc.path.relative_to(root) if exc.path.is_relative_to(root) else exc.path
    err = RenderError(
        f"Cell failed in {rel} at line {exc.line} (cell starting at line {exc.cell_line}): "
        f"{exc.ename}: {exc.evalue}\n\n{exc.traceback}"
    )
    return RenderError(f"[{plan.label}] {err}") if plan.label else err
