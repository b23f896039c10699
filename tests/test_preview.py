"""``ipsreport preview``: a real server on 127.0.0.1 that re-renders on change.

Every server here binds the loopback address on a free port, every wait is
bounded, and every preview is stopped in a ``finally``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ipsreport import cli
from ipsreport.paths import FIXTURES_DIR
from ipsreport.render import engine
from minibook_hooks import minibook_hooks

from ipsreport.render.preview import RELOAD_SCRIPT, VERSION_PATH, Preview, serve, snapshot, watched_paths

REPO_ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.render  # each test renders and serves the book

MINIBOOK = FIXTURES_DIR / "minibook"


def get(url: str, timeout: float = 5.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback only
        return r.read().decode("utf-8")


def wait_for(check, timeout: float, every: float = 0.1):
    """Return ``check()``'s first truthy value, or fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = check()
        if got:
            return got
        time.sleep(every)
    pytest.fail(f"not within {timeout} s")


def touch_later(path: Path, text: str) -> None:
    """Rewrite ``path`` so that its mtime surely moves (coarse file-system clocks)."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def test_snapshot_sees_edits_and_skips_caches(tmp_path):
    (tmp_path / "report").mkdir()
    qmd = tmp_path / "report" / "a.qmd"
    qmd.write_text("# A\n", encoding="utf-8")
    (tmp_path / "report" / "__pycache__").mkdir()
    (tmp_path / "report" / "__pycache__" / "x.pyc").write_bytes(b"1")
    (tmp_path / "report" / ".a.qmd.swp").write_bytes(b"1")
    first = snapshot([tmp_path / "report"])
    assert list(first) == [str(qmd)]
    (tmp_path / "report" / "__pycache__" / "x.pyc").write_bytes(b"22")
    assert snapshot([tmp_path / "report"]) == first
    touch_later(qmd, "# A\n\nNy tekst.\n")
    assert snapshot([tmp_path / "report"]) != first


def test_watched_paths_cover_chapters_config_and_the_hooks_watch(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(MINIBOOK, root, ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    chapters = [root / "index.qmd", root / "chapters" / "01-tabeller.qmd"]
    got = watched_paths(root, chapters, minibook_hooks(root / "data").watch)
    for p in [root / "_quarto.yml", *chapters, root / "data"]:
        assert p.resolve() in got


def test_the_report_watches_data_package_and_settings(tmp_path):
    from ipsreport.book import book_hooks
    from ipsreport.paths import EDITION_SETTINGS_PATH, PACKAGE_DIR

    data = tmp_path / "data"
    data.mkdir()
    hooks = book_hooks(data, cache_dir=tmp_path / "cache")
    assert {data.resolve(), PACKAGE_DIR, EDITION_SETTINGS_PATH} <= set(hooks.watch)


def test_server_injects_reload_script_and_reports_versions(tmp_path):
    out = tmp_path / "out"
    src = tmp_path / "src.txt"
    src.write_text("én", encoding="utf-8")
    calls = []

    def render():
        calls.append(1)
        text = src.read_text(encoding="utf-8")
        if text == "fejl":
            raise RuntimeError("Cell failed in a.qmd at line 3")
        tmp = tmp_path / "next"
        tmp.mkdir()
        (tmp / "index.html").write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
        (tmp / "style.css").write_text("p{}", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)  # replaced as a whole, as the engine does

    preview = Preview(render, out, [src], port=0, interval=0.05)
    try:
        preview.start()
        assert preview.url.startswith("http://127.0.0.1:")
        page = get(preview.url)
        assert "<p>én</p>" in page and 'id="ipsreport-preview"' in page and VERSION_PATH in page
        assert page.index("ipsreport-preview") < page.index("</body>")
        assert "ipsreport-preview" not in (out / "index.html").read_text(encoding="utf-8")  # only served
        assert get(preview.url + "style.css") == "p{}"  # other files as they are
        assert json.loads(get(preview.url + VERSION_PATH.lstrip("/"))) == {"version": 1, "error": None}

        touch_later(src, "to")
        wait_for(lambda: "<p>to</p>" in get(preview.url), 10)
        assert json.loads(get(preview.url + VERSION_PATH.lstrip("/")))["version"] == 2

        touch_later(src, "fejl")  # a failing render keeps the book and reports the error
        state = wait_for(lambda: json.loads(get(preview.url + VERSION_PATH.lstrip("/")))["error"], 10)
        assert "a.qmd at line 3" in state
        assert "<p>to</p>" in get(preview.url)
        with pytest.raises(urllib.error.HTTPError):
            get(preview.url + "findes-ikke.html")
    finally:
        preview.stop()
    assert len(calls) == 3
    with pytest.raises(OSError):  # the server is gone
        get(preview.url, timeout=1)


def test_reload_script_reloads_on_a_new_version():
    # The page keeps the first version it saw and reloads when it changes.
    assert "location.reload()" in RELOAD_SCRIPT and "%(path)s" in RELOAD_SCRIPT


def test_banner_words_come_from_the_project(tmp_path):
    from ipsreport.render.config import load_project

    assert load_project(REPO_ROOT).words["preview_failed"] == "Forhåndsvisningen kunne ikke opdateres"
    preview = Preview(lambda: None, tmp_path / "out", [], port=0, failed="Kunne ikke")
    try:
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "index.html").write_text("<html><body></body></html>", encoding="utf-8")
        preview.start(first_render=False)
        assert 'show("Kunne ikke" + ": " + s.error)' in get(preview.url)
    finally:
        preview.stop()


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "minibook"
    shutil.copytree(MINIBOOK, root, ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    return root


def test_preview_rerenders_an_edited_chapter_and_serves_it(project, tmp_path):
    said: list[str] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def run():
        try:
            serve(project, lambda: minibook_hooks(project / "data"), output_dir=tmp_path / "out", port=0, workers=1,
                  say=said.append, until=stop)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        url = wait_for(lambda: next((m.split()[1] for m in said if re.match(r"preview: http://127\.0\.0\.1:\d+/", m)), None), 180)
        page = get(url + "01-tabeller.html")
        assert "Der er" in page and "ipsreport-preview" in page
        assert "Forhåndsvist afsnit" not in page
        chapter = project / "chapters" / "01-tabeller.qmd"
        touch_later(chapter, chapter.read_text(encoding="utf-8").replace(
            "## Detaljer", "## Detaljer\n\nForhåndsvist afsnit med æøå.", 1))
        wait_for(lambda: "Forhåndsvist afsnit med æøå." in get(url + "01-tabeller.html"), 120, every=0.2)
        version = json.loads(get(url + VERSION_PATH.lstrip("/")))
        assert version == {"version": 2, "error": None}
        assert any(m.startswith("preview: updated") for m in said)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive() and not errors, errors
    # Only the HTML was rendered (no PDF asked for), from the chapter cache:
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_cli_preview_refuses_a_foreign_output_folder(project, tmp_path, monkeypatch, capsys):
    class Valid:
        ok, errors, warnings = True, [], []

    monkeypatch.setattr(cli, "_validate", lambda d: Valid())  # the minibook's data is no IPS export
    monkeypatch.setenv("CI", "true")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.docx").write_bytes(b"user's file")
    code = cli.main(["preview", "--project", str(project), "--data", str(project / "data"),
                     "--output", str(out), "--port", "0"])
    assert code == 5
    assert "notes.docx" in capsys.readouterr().err
    assert (out / "notes.docx").read_bytes() == b"user's file"


def test_chapter_edits_reuse_a_warm_kernel_and_data_changes_do_not(project, tmp_path):
    from ipsreport.render.config import load_project
    from ipsreport.render.preview import _PreviewRender

    out = tmp_path / "out"
    render = _PreviewRender(load_project(project), out, lambda: minibook_hooks(project / "data"), 1, None)
    chapter = (project / "chapters" / "01-tabeller.qmd").resolve()
    page = out / "01-tabeller.html"
    try:
        render()  # first render: every chapter, fresh kernels
        for i in range(2):
            touch_later(chapter, chapter.read_text(encoding="utf-8") + f"\nRettelse {i}.\n")
            render({str(chapter)})
            assert f"Rettelse {i}." in page.read_text(encoding="utf-8")
        assert render.kernel.reused >= 1  # the second edit at the latest ran on the warm kernel
        # The warm kernel's page is the page a cold render makes.
        cold = engine.render_book(project, output_dir=tmp_path / "cold", to="html",
                                  hooks=minibook_hooks(project / "data"), cache_dir=tmp_path / "cold-cache")
        assert (cold.output_dir / "01-tabeller.html").read_text(encoding="utf-8") == page.read_text(encoding="utf-8")
        # A data change drops the warm kernel: the new numbers are shown, never the old ones.
        numbers = project / "data" / "numbers.csv"
        before = re.search(r"Der er (\d+) i alt", _strip(page.read_text(encoding="utf-8"))).group(1)
        touch_later(numbers, numbers.read_text(encoding="utf-8").rstrip("\n") + "\nd,100\n")
        render({str(numbers.resolve())})
        after = re.search(r"Der er (\d+) i alt", _strip(page.read_text(encoding="utf-8"))).group(1)
        assert int(after) == int(before) + 100
    finally:
        render.close()
    assert render.kernel.worker is None


def _strip(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
