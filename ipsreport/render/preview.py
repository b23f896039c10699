"""``ipsreport preview``: serve the HTML book locally and re-render on change.

A :class:`Preview` renders the HTML book once with the project's own engine
(:func:`ipsreport.render.engine.render_book` with ``to="html"``), serves the
output folder on ``127.0.0.1`` with :mod:`http.server`, and hears from the
operating system (watchfiles) when ``_quarto.yml``, ``index.qmd``, the
chapters' folders (``report/``) or what the book's hooks name
(:attr:`~ipsreport.render.hooks.BookHooks.watch`: data, settings, package)
change (see :mod:`ipsreport.render.watch`). On a change it renders the HTML again
with freshly built hooks, and only what the change affects is redone:

* a prose-only edit of a chapter (text, headings, captions, front matter):
  that page is re-assembled from the chapter's last cell outputs and inline
  values, without a kernel (:class:`~ipsreport.render.warm.WarmKernel`);
* a code edit of one chapter (a cell, an inline expression): that chapter
  runs, on a kernel kept warm between renders;
* a change of anything behind the hooks' ``cache_inputs`` (data, settings,
  package code): every chapter runs again on fresh kernels, as in
  ``ipsreport render``; unchanged chapters otherwise come from the engine's
  chapter cache, and unchanged pages from its pandoc memo.

Pages are served with a small script added to the response only (the files
on disk are the ordinary book): it asks ``/__preview__/version`` five times a
second and reloads the page when a new render is in place, or shows the
render error in a banner while the previous book stays on screen.

What is watched and how changes are seen: :mod:`ipsreport.render.watch`;
the reload script: ``assets/templates/reload.html.jinja``. The server binds
the loopback address.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

from ipsreport.render.hooks import BookHooks
from ipsreport.render.html import allow_inline_script
from ipsreport.render.warm import WarmKernel
from ipsreport.render.templates import render_template
from ipsreport.render.watch import Watcher, watched_paths
from ipsreport.render.words import UI_WORDS

#: Seconds without a further change before a change is rendered (an editor may write a file in parts).
SETTLE = 0.03

#: Path of the version endpoint the injected script polls.
VERSION_PATH = "/__preview__/version"


def reload_script(version: int, every: int, failed: str) -> str:
    """The script added before ``</body>`` of every served HTML page (never written to disk).

    Parameters
    ----------
    version : int
        The version the page is served from; the page reloads when the
        server's differs.
    every : int
        Milliseconds between two questions for the version.
    failed : str
        Banner text when a render failed (before the error).
    """
    return render_template("reload.html.jinja", version=version, path=VERSION_PATH, every=every, failed=failed)


@dataclass
class State:
    """What the version endpoint reports; ``version`` grows with each new book."""

    version: int = 0
    error: str | None = None
    renders: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "error": self.error}).encode()


class _Handler(SimpleHTTPRequestHandler):
    """Static files from the output folder, the version endpoint, the reload script."""

    state: State
    poll_ms: int = 200
    failed: str = UI_WORDS["preview_failed"]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: the terminal shows renders, not every request

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path.split("?")[0] == VERSION_PATH:
            body = self.state.as_json()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        url_path = self.path.split("?")[0].split("#")[0]
        target = Path(self.translate_path(self.path))
        if target.is_dir() and url_path.endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            # The version first: a page read during a swap may be newer than it
            # (one reload too many), never older (a missed reload).
            with self.state.lock:
                version = self.state.version
            try:
                page = target.read_text(encoding="utf-8")
            except OSError:
                self.send_error(404)
                return
            script = reload_script(version, self.poll_ms, self.failed)
            # The book's policy blocks inline scripts; this one is let through by its hash.
            page = allow_inline_script(page, script[script.index(">") + 1:script.rindex("</script>")])
            page = page.replace("</body>", script + "</body>", 1) if "</body>" in page else page + script
            body = page.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


class Preview:
    """Render, serve and re-render the HTML book.

    Parameters
    ----------
    render : callable
        ``render() -> None``: renders the HTML book into ``output_dir``;
        raises on failure (the message is shown in the page's banner). With
        an attribute ``takes_changes = True`` it is called as
        ``render(changed)`` with the set of changed files; a ``close()``
        method is called when the preview stops.
    output_dir : Path
        The folder to serve (the render's output folder).
    watch : list of Path
        Files and folders whose change triggers a render.
    port : int, default 0
        Port on 127.0.0.1; 0 picks a free one (see :attr:`url`).
    poll_ms : int, default 200
        How often the page asks for a new version (milliseconds).
    settle : float, default :data:`SETTLE`
        Seconds without a further change before a change is rendered.
    say : callable, optional
        ``say(message)`` for progress lines.
    failed : str, optional
        Banner text when a render failed (before the error); the book's
        ``language: preview-failed``.
    """

    def __init__(
        self,
        render: Callable[[], None],
        output_dir: Path,
        watch: list[Path],
        port: int = 0,
        poll_ms: int = 200,
        settle: float = SETTLE,
        say: Callable[[str], None] | None = None,
        failed: str = UI_WORDS["preview_failed"],
    ) -> None:
        self.render_fn = render
        self.output_dir = Path(output_dir)
        self.watch = [Path(p) for p in watch]
        self.settle = settle
        self.watcher: Watcher | None = None
        self.say = say or (lambda message: None)
        self.state = State()
        self._stop = threading.Event()
        handler = type("Handler", (_Handler,), {"state": self.state, "poll_ms": poll_ms, "failed": failed})
        # The output folder is replaced by a rename on every render, so the
        # handler resolves its path per request (``directory`` is a path string).
        self.server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(self.output_dir)))
        self.server.daemon_threads = True
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>/``."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def render_once(self, changed: set[str] | None = None) -> bool:
        """Render now; bump the version on success, record the error otherwise.

        ``changed`` (the files that changed, None for "unknown") is passed on
        to a render function that takes it.
        """
        t0 = time.perf_counter()
        try:
            if changed is not None and getattr(self.render_fn, "takes_changes", False):
                self.render_fn(changed)
            else:
                self.render_fn()
        except Exception as exc:  # noqa: BLE001 - any failure is shown, the previous book stays
            with self.state.lock:
                self.state.error = str(exc) or type(exc).__name__
                self.state.renders += 1
            self.say(f"preview: render failed, the previous book stays on screen: {exc}")
            return False
        with self.state.lock:
            self.state.version += 1
            self.state.error = None
            self.state.renders += 1
        self.say(f"preview: updated in {time.perf_counter() - t0:.1f} s")
        return True

    def _watch_loop(self) -> None:
        for changed in self.watcher.changes(self._stop, self.settle):
            first = sorted(changed)[0]
            self.say(f"preview: changed {Path(first).name}" + (f" (+{len(changed) - 1})" if len(changed) > 1 else ""))
            self.render_once(changed)

    def start(self, first_render: bool = True) -> "Preview":
        """Watch, render once (optional), then serve and re-render in background threads.

        Watching starts first: a file saved during the first render is rendered next.
        """
        self.watcher = Watcher(self.watch)
        if first_render:
            self.render_once()
        for target in (self.server.serve_forever, self._watch_loop):
            t = threading.Thread(target=target, daemon=True, name=f"preview-{target.__name__}")
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        """Stop watching and serving; returns when both threads ended."""
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()
        for t in self._threads:
            t.join(timeout=60)
        if self.watcher is not None:
            self.watcher.close()
        close = getattr(self.render_fn, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> "Preview":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class _PreviewRender:
    """``render(changed)`` for :class:`Preview`: the HTML book through a :class:`WarmKernel`.

    A prose-only edit of a chapter is re-assembled without a kernel, a code
    edit of one chapter runs on the warm kernel, and a change of anything
    behind the hooks' ``cache_inputs`` (data, settings, package code)
    re-executes every chapter on fresh kernels (the engine's cache rule).
    """

    takes_changes = True

    def __init__(self, project, out: Path, hooks: Callable[[], BookHooks], workers, progress) -> None:
        self.project, self.out, self.hooks = project, out, hooks
        self.workers, self.progress = workers, progress
        self.kernel = WarmKernel()
        self.last = None  # the last RenderResult
        self._hooks: BookHooks | None = None

    def __call__(self, changed: set[str] | None = None) -> None:
        from ipsreport.render.config import load_project
        from ipsreport.render.engine import render_book

        chapters_only = changed is not None and changed <= {str(p) for p in self.project.files}
        if not chapters_only:
            self.kernel.close()  # data, settings, code or other files changed: no stale kernel
        # Hooks are built from data, settings and code (hashing the package
        # takes a tenth of a second): an edit of chapters alone keeps them.
        hooks = self._hooks if chapters_only and self._hooks is not None else self.hooks()
        self._hooks = None
        self.kernel.begin(hooks.cache_inputs)
        self.last = render_book(self.project.root, output_dir=self.out, to="html", hooks=hooks,
                                workers=self.workers, progress=self.progress, execute=self.kernel)
        self._hooks = hooks
        if not chapters_only:
            self.project = load_project(self.project.root)  # _quarto.yml may list other chapters now
        # The book is in place; start the kernel for the next code edit while
        # the author reads (a render that needs it waits for it).
        cwd = self.project.files[0].parent if self.project.files else self.project.root
        threading.Thread(target=self._prewarm, args=(hooks.kernel_preamble, cwd),
                         daemon=True, name="preview-prewarm").start()

    def _prewarm(self, preamble: str, cwd: Path) -> None:
        try:
            self.kernel.prewarm(preamble, cwd)
        except Exception:  # noqa: BLE001 - the next code edit starts a kernel itself
            pass

    def close(self) -> None:
        self.kernel.shutdown()


def serve(
    project_dir: Path,
    hooks: Callable[[], BookHooks] | None = None,
    output_dir: Path | None = None,
    port: int = 4848,
    workers: int | None = None,
    say: Callable[[str], None] | None = None,
    progress: Callable[[str, str], None] | None = None,
    until: threading.Event | None = None,
) -> None:
    """Render the HTML book, serve it and re-render on change until ``until`` is set (or Ctrl+C).

    Parameters
    ----------
    project_dir : Path
        Folder with ``_quarto.yml``.
    hooks : callable, optional
        ``hooks() -> BookHooks``, called for every render (a changed data or
        settings file changes them); default: no hooks.
    output_dir : Path, optional
        Default: the project's output folder (``_book``); a PDF in it is kept.
    port : int, default 4848
        Port on 127.0.0.1 (0 picks a free one).
    workers : int, optional
        Kernels run in parallel.
    say, progress : callable, optional
        Progress messages; ``progress(event, detail)`` as for ``render_book``.
    until : threading.Event, optional
        Stop when set (tests); default: run until interrupted.
    """
    from ipsreport.render.config import load_project
    from ipsreport.render.outdir import check_output

    make_hooks = hooks or BookHooks
    project = load_project(Path(project_dir))
    out = Path(output_dir).expanduser().resolve() if output_dir is not None else project.output_dir
    first = make_hooks()
    # A folder a render may not replace is refused before the server starts
    # (OutputRefused), not shown in a banner over an empty page.
    check_output(out, protected=dict(first.protected_paths), project_dir=project.root)

    render = _PreviewRender(project, out, make_hooks, workers, progress)
    preview = Preview(render, out, watched_paths(project.root, project.files, first.watch), port=port, say=say,
                      failed=project.words["preview_failed"])
    try:
        preview.start()
        (say or print)(f"preview: {preview.url} (Ctrl+C stops)")
        stop = until or threading.Event()
        while not stop.wait(0.5):
            pass
    finally:
        preview.stop()
