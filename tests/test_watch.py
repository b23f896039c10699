"""The preview's watcher (:mod:`ipsreport.render.watch`): one render per save, none for other files.

A :class:`~ipsreport.render.preview.Preview` with a render function that
only records what it was told changed; no book is rendered. Where a test
checks that something caused *no* render, it then saves a watched file
("the sentinel") and checks that the first render was for it alone: no
waiting for something not to happen.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from ipsreport.render.preview import Preview
from ipsreport.render.watch import Watcher


class Renders:
    """A render function that records the changed files it is given."""

    takes_changes = True

    def __init__(self) -> None:
        self.calls: list[set[str]] = []

    def __call__(self, changed: set[str] | None = None) -> None:
        self.calls.append(changed)


def wait_for(check, timeout: float = 10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.02)
    pytest.fail(f"not within {timeout} s")


def save_as_editors_do(path: Path, text: str) -> None:
    """A whole new file renamed over the old one (which ends a watch on the old file itself)."""
    new = path.with_name(path.name + ".new")
    new.write_text(text, encoding="utf-8")
    os.replace(new, path)


@pytest.fixture
def project(tmp_path):
    """A project folder: ``_quarto.yml`` (watched on its own), ``report/`` (watched as a folder)."""
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "a.qmd").write_text("# A\n", encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text("project: {}\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def preview(project):
    renders = Renders()
    p = Preview(renders, project / "_book", [project / "report", project / "_quarto.yml"], port=0, settle=0.05)
    p.start(first_render=False)
    try:
        yield p, renders
    finally:
        p.stop()


def sentinel(project: Path, renders: Renders, expected_calls: int) -> None:
    """Save ``_quarto.yml`` and wait for the render it causes (the ``expected_calls``-th)."""
    save_as_editors_do(project / "_quarto.yml", f"project: {{}}\n# {expected_calls}\n")
    wait_for(lambda: len(renders.calls) >= expected_calls)


def test_a_save_renders_once_naming_the_file(project, preview):
    _, renders = preview
    chapter = project / "report" / "a.qmd"
    chapter.write_text("# A\n\nNy tekst.\n", encoding="utf-8")
    wait_for(lambda: renders.calls)
    sentinel(project, renders, 2)
    assert renders.calls == [{str(chapter.resolve())}, {str((project / "_quarto.yml").resolve())}]


def test_changes_outside_the_watched_paths_render_nothing(project, preview):
    _, renders = preview
    (project / "notes.txt").write_text("beside _quarto.yml, not watched", encoding="utf-8")
    (project / "_book").mkdir()
    (project / "_book" / "index.html").write_text("<html></html>", encoding="utf-8")
    (project / ".ipsreport-cache").mkdir()
    (project / ".ipsreport-cache" / "x").write_bytes(b"1")
    (project / "report" / "__pycache__").mkdir()
    (project / "report" / "__pycache__" / "x.pyc").write_bytes(b"1")
    (project / "report" / ".a.qmd.swp").write_bytes(b"1")
    (project / "report" / "a.qmd~").write_bytes(b"1")
    (project / "other").mkdir()
    (project / "other" / "b.qmd").write_text("# B\n", encoding="utf-8")
    # An editor's probe: a file made and removed at once in a watched folder (vim's "4913").
    probe = project / "report" / "4913"
    probe.write_bytes(b"")
    probe.unlink()
    sentinel(project, renders, 1)
    assert renders.calls == [{str((project / "_quarto.yml").resolve())}]


def test_a_file_saved_by_renaming_is_seen_every_time(project, preview):
    _, renders = preview
    config = str((project / "_quarto.yml").resolve())
    for n in range(1, 4):
        save_as_editors_do(project / "_quarto.yml", f"project: {{}}\n# gemt {n}\n")
        wait_for(lambda: len(renders.calls) >= n)
    assert renders.calls == [{config}] * 3


def test_a_new_folder_is_watched_from_then_on(project, preview):
    _, renders = preview
    folder = project / "report" / "bilag"
    folder.mkdir()
    first = folder / "b.qmd"
    first.write_text("# B\n", encoding="utf-8")
    wait_for(lambda: any(str(first.resolve()) in c for c in renders.calls))
    seen = len(renders.calls)
    later = folder / "c.qmd"
    later.write_text("# C\n", encoding="utf-8")
    wait_for(lambda: len(renders.calls) > seen)
    assert renders.calls[seen] == {str(later.resolve())}


def test_a_removed_chapter_is_a_change(project, preview):
    _, renders = preview
    chapter = project / "report" / "a.qmd"
    chapter.unlink()
    wait_for(lambda: renders.calls)
    assert renders.calls == [{str(chapter.resolve())}]


def test_watching_starts_when_the_watcher_is_made(project):
    watcher = Watcher([project / "report"])
    try:
        chapter = project / "report" / "a.qmd"
        chapter.write_text("# A\n\nGemt, før nogen spurgte.\n", encoding="utf-8")
        time.sleep(0.1)  # nobody is asking yet: the change waits
        assert next(watcher.changes(threading.Event(), 0.05)) == {str(chapter.resolve())}
    finally:
        watcher.close()


def test_a_stopped_watcher_yields_nothing(project):
    watcher = Watcher([project / "report"])
    stop = threading.Event()
    stop.set()
    try:
        (project / "report" / "a.qmd").write_text("# A\n\nÆndret.\n", encoding="utf-8")
        assert list(watcher.changes(stop, 0.05)) == []
    finally:
        watcher.close()
