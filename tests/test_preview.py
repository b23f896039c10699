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

from ipsreport.render.preview import VERSION_PATH, Preview, reload_script, serve
from ipsreport.render.watch import Watcher, watched_paths

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


def test_watched_paths_cover_chapters_their_folders_config_and_the_hooks_watch(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(MINIBOOK, root, ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    chapters = [root / "index.qmd", root / "chapters" / "01-tabeller.qmd"]
    got = watched_paths(root, chapters, minibook_hooks(root / "data").watch)
    # The chapters' folder as a whole (a chapter added to _quarto.yml later is seen), the project
    # folder itself not (it holds the output and caches): index.qmd is watched on its own.
    assert got == [(root / p).resolve() for p in ("_quarto.yml", "index.qmd", "chapters", "data")]
    new_chapter = root / "chapters" / "03-ny.qmd"
    watcher = Watcher(got)
    try:
        new_chapter.write_text("# Ny\n", encoding="utf-8")
        assert next(watcher.changes(threading.Event(), 0.05)) == {str(new_chapter.resolve())}
    finally:
        watcher.close()


def test_the_report_watches_everything_its_cache_key_covers(tmp_path):
    # What ipsreport.book.keys.inputs_key hashes: a change there re-executes chapters, so a preview must see it.
    from ipsreport.book.hooks import book_hooks
    from ipsreport.paths import CASES_DIR, CODEBOOK_PATH, EDITION_SETTINGS_PATH, PACKAGE_DIR, PUBLISHED_PATH

    data = tmp_path / "data"
    data.mkdir()
    hooks = book_hooks(data, cache_dir=tmp_path / "cache")
    assert {data.resolve(), PACKAGE_DIR, EDITION_SETTINGS_PATH, CODEBOOK_PATH, CASES_DIR, PUBLISHED_PATH} <= set(hooks.watch)


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

    preview = Preview(render, out, [src], port=0)
    try:
        preview.start()
        assert preview.url.startswith("http://127.0.0.1:")
        page = get(preview.url)
        assert "<p>én</p>" in page and 'id="ipsreport-preview"' in page and VERSION_PATH in page
        assert page.index("ipsreport-preview") < page.index("</body>")
        assert "ipsreport-preview" not in (out / "index.html").read_text(encoding="utf-8")  # only served
        assert get(preview.url + "style.css") == "p{}"  # other files as they are
        assert json.loads(get(preview.url + VERSION_PATH.lstrip("/"))) == {"version": 1, "error": None}

        assert "var seen = 1," in page  # the version the page was served from
        touch_later(src, "to")
        wait_for(lambda: "<p>to</p>" in get(preview.url), 10)
        wait_for(lambda: json.loads(get(preview.url + VERSION_PATH.lstrip("/")))["version"] == 2, 10)
        assert "var seen = 2," in get(preview.url)

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


def test_a_file_still_being_written_is_rendered_once_complete(tmp_path):
    src = tmp_path / "src.qmd"
    src.write_text("start", encoding="utf-8")
    seen: list[str] = []
    preview = Preview(lambda: seen.append(src.read_text(encoding="utf-8")), tmp_path / "out", [src], port=0,
                      settle=0.5)
    try:
        preview.start()
        with src.open("w", encoding="utf-8") as f:  # an editor writing in two parts
            f.write("halv")
            f.flush()
            time.sleep(0.1)
            f.write(" og hel")
        wait_for(lambda: len(seen) >= 2, 10)
        time.sleep(1.0)
    finally:
        preview.stop()
    assert seen == ["start", "halv og hel"]


def test_reload_script_reloads_on_a_new_version():
    # The page knows the version it was served from (not the first one its script sees, which
    # may already be newer) and reloads when the server's differs.
    script = reload_script(7, 200, "Fejl")
    assert "var seen = 7," in script and f'fetch("{VERSION_PATH}"' in script
    assert "if (s.version !== seen) { location.reload(); return; }" in script


def test_reload_script_keeps_the_banner_words_text():
    # The words come from _quarto.yml: whatever they hold, they stay a string in the script.
    script = reload_script(1, 200, '"</script><script>alert(1)</script>')
    assert script.count("</script>") == 1 and script.count("<script") == 1
    assert 'show("\\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" + ": "' in script


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


CHAPTER = """---
title: "A"
---

```{python}
#| warning: false
x = 3
```

# Overskrift

Der er `{python} x` unge og `{python} "ingen svar"` her.

```{python}
#| label: tbl-a
#| tbl-cap: "Tabel"
x
```
"""


def _executed(doc, values_per_block):
    """What a kernel returns for ``doc`` (cell outputs named after their source, given inline values)."""
    from ipsreport.render.kernel import fill_inline
    from ipsreport.render.outputs import ExecutedChapter
    from ipsreport.render.qmd import Markdown, split_inline

    blocks, it = [], iter(values_per_block)
    for b in doc.blocks:
        if isinstance(b, Markdown):
            values = next(it)
            blocks.append({"kind": "markdown", "text": fill_inline(split_inline(b.text), values), "line": b.line,
                           "values": values})
        else:
            blocks.append({"kind": "cell", "line": b.line, "source": b.source, "options": b.options,
                           "outputs": [{"type": "text", "data": f"out of {b.source}"}]})
    return ExecutedChapter(str(doc.path), doc.front_matter, blocks)


def test_code_signature_sees_code_and_inline_expressions_not_prose():
    from ipsreport.render.qmd import parse_qmd
    from ipsreport.render.warm import code_signature

    sig = code_signature(parse_qmd(CHAPTER, "a.qmd"))
    same = [
        CHAPTER.replace("# Overskrift", "# Ny overskrift\n\nEt nyt afsnit."),
        CHAPTER.replace('tbl-cap: "Tabel"', 'tbl-cap: "Ny titel"').replace("label: tbl-a", "label: tbl-b"),
        CHAPTER.replace('title: "A"', 'title: "B"'),
        CHAPTER.replace("unge og `", "unge.\n\nOg `"),  # the same expressions in the same order
    ]
    for text in same:
        assert code_signature(parse_qmd(text, "a.qmd")) == sig, text
    other = [
        CHAPTER.replace("x = 3", "x = 4"),
        CHAPTER.replace("{python} x`", "{python} x + 1`"),
        CHAPTER.replace("#| warning: false\n", ""),  # warnings are shown: the cell runs differently
        CHAPTER.replace("#| label: tbl-a", "#| output: asis\n#| label: tbl-a"),
        CHAPTER.replace("Der er `{python} x` unge og `{python} \"ingen svar\"` her.", "Her."),
    ]
    for text in other:
        assert code_signature(parse_qmd(text, "a.qmd")) != sig, text


def test_reassemble_writes_new_prose_around_the_remembered_values():
    from ipsreport.render.qmd import parse_qmd
    from ipsreport.render.warm import reassemble

    old = parse_qmd(CHAPTER, "a.qmd")
    executed = _executed(old, [["3", "ingen svar"]])
    edited = CHAPTER.replace("Der er `{python} x` unge og `", "Nyt afsnit.\n\nDer er `{python} x` unge. `")
    doc = parse_qmd(edited, "a.qmd")
    got = reassemble(doc, executed)
    md = [b for b in got.blocks if b["kind"] == "markdown"]
    # New prose, the same values, capitalised where the new prose opens a sentence with one.
    assert md[0]["text"].strip() == "# Overskrift\n\nNyt afsnit.\n\nDer er 3 unge. Ingen svar her."
    assert md[0]["values"] == ["3", "ingen svar"] and md[0]["line"] == doc.blocks[1].line
    cells = [b for b in got.blocks if b["kind"] == "cell"]
    assert [c["outputs"][0]["data"] for c in cells] == ["out of x = 3", "out of x"]
    assert [c["line"] for c in cells] == [c.line for c in doc.cells]  # where they are now
    assert cells[1]["options"]["tbl-cap"] == "Tabel"
    # Other code, or an execution without raw values (an older cache entry): nothing to reuse.
    assert reassemble(parse_qmd(CHAPTER.replace("x = 3", "x = 4"), "a.qmd"), executed) is None
    for b in executed.blocks:
        b.pop("values", None)
    assert reassemble(doc, executed) is None


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
        # The version (which makes the open page reload) moves once the new book is in place.
        wait_for(lambda: json.loads(get(url + VERSION_PATH.lstrip("/")))["version"] >= 2, 10)
        assert json.loads(get(url + VERSION_PATH.lstrip("/")))["error"] is None
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


def test_prose_edits_need_no_kernel_code_edits_run_one_chapter_data_changes_run_all(project, tmp_path):
    from ipsreport.render.config import load_project
    from ipsreport.render.preview import _PreviewRender

    out = tmp_path / "out"
    events: list[tuple[str, str]] = []
    render = _PreviewRender(load_project(project), out, lambda: minibook_hooks(project / "data"), 1,
                            lambda event, detail: events.append((event, detail)))
    chapter = (project / "chapters" / "01-tabeller.qmd").resolve()
    page = out / "01-tabeller.html"
    every = {str(p.relative_to(project)) for p in load_project(project).files}
    kernel = render.kernel

    def rerender(changed: set[str]) -> tuple[set[str], int, int]:
        """Chapters the render did not take from its cache; how many ran on a kernel; how many without."""
        ran, assembled = kernel.executed, kernel.reassembled
        events.clear()
        render(changed)
        redone = {detail for event, detail in events if event == "executed"}
        return redone, kernel.executed - ran, kernel.reassembled - assembled

    def edit(old: str, new: str) -> tuple[set[str], int, int]:
        text = chapter.read_text(encoding="utf-8")
        assert old in text
        touch_later(chapter, text.replace(old, new, 1))
        return rerender({str(chapter)})

    def same_as_cold(name: str) -> None:
        cold = engine.render_book(project, output_dir=tmp_path / name, to="html",
                                  hooks=minibook_hooks(project / "data"), cache_dir=tmp_path / f"{name}-cache")
        assert (cold.output_dir / page.name).read_text(encoding="utf-8") == page.read_text(encoding="utf-8")

    one = {"chapters/01-tabeller.qmd"}
    try:
        render()  # first render: every chapter, fresh kernels
        assert (kernel.executed, kernel.reassembled) == (len(every), 0)
        # Prose only (text, a heading, a caption, text before an inline value): no kernel runs.
        assert edit("## Detaljer", "## Detaljer og mere\n\nRettelse 1 med æøå.") == (one, 0, 1)
        assert edit('tbl-cap: "Antal pr. kategori"', 'tbl-cap: "Antal fordelt på kategori"') == (one, 0, 1)
        assert edit("Der er `{python}", "Alt i alt. `{python}") == (one, 0, 1)  # the value now opens a sentence
        text = _strip(page.read_text(encoding="utf-8"))
        assert "Detaljer og mere" in text and "Rettelse 1 med æøå." in text and "Antal fordelt på kategori" in text
        assert re.search(r"Alt i alt\. \d+ i alt", text)
        same_as_cold("cold-1")  # the page a kernel would have written, byte for byte
        # An inline expression or a cell changed: that chapter alone runs, on the warm kernel.
        assert edit('int(df["antal"].sum())', 'int(df["antal"].sum()) + 0') == (one, 1, 0)
        assert edit(".round()", ".round(0)") == (one, 1, 0)
        assert kernel.reused >= 1
        same_as_cold("cold-2")
        # A data change re-executes every chapter on kernels (nothing remembered from before is
        # reused), and the new numbers are shown, never the old ones.
        numbers = project / "data" / "numbers.csv"
        before = int(re.search(r"(\d+) i alt", _strip(page.read_text(encoding="utf-8"))).group(1))
        touch_later(numbers, numbers.read_text(encoding="utf-8").rstrip("\n") + "\nd,100\n")
        assert rerender({str(numbers.resolve())}) == (every, len(every), 0)
        after = int(re.search(r"(\d+) i alt", _strip(page.read_text(encoding="utf-8"))).group(1))
        assert after == before + 100
        # The next prose edit is re-assembled from the new executions.
        assert edit("Rettelse 1", "Rettelse 2") == (one, 0, 1)
        same_as_cold("cold-3")
        # A chapter added to _quarto.yml runs alone; its own prose edits then need no kernel either.
        new = project / "chapters" / "03-ny.qmd"
        new.write_text("# Ny {#sec-ny}\n\nTo og to er `{python} 2 + 2`.\n", encoding="utf-8")
        config = project / "_quarto.yml"
        touch_later(config, config.read_text(encoding="utf-8").replace(
            "    - chapters/02-figurer.qmd\n", "    - chapters/02-figurer.qmd\n    - chapters/03-ny.qmd\n", 1))
        assert rerender({str(config.resolve()), str(new.resolve())}) == ({"chapters/03-ny.qmd"}, 1, 0)
        touch_later(new, new.read_text(encoding="utf-8").replace("To og to", "Fire er to og to, og to og to"))
        assert rerender({str(new.resolve())}) == ({"chapters/03-ny.qmd"}, 0, 1)
        assert "Fire er to og to, og to og to er 4." in _strip((out / "03-ny.html").read_text(encoding="utf-8"))
    finally:
        render.close()
    assert kernel.worker is None
    kernel.prewarm()  # a prewarm still pending when the preview stopped starts no kernel
    assert kernel.worker is None


def _strip(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.browser
def test_the_open_page_reloads_itself_and_shows_a_failed_render(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI")
        pytest.skip("Chromium not installed: `apt-get install chromium` to run the browser checks")
    from playwright.sync_api import sync_playwright

    out, src = tmp_path / "out", tmp_path / "src.txt"
    src.write_text("første", encoding="utf-8")

    def save(text: str) -> None:
        """Saved as editors do: a whole new file in place at once (never seen half written)."""
        tmp = tmp_path / "src.txt.new"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, src)

    def render():
        text = src.read_text(encoding="utf-8")
        if text == "fejl":
            raise RuntimeError("Cell failed in a.qmd at line 3")
        out.mkdir(exist_ok=True)
        (out / "index.html").write_text(f'<html><body><p id="t">{text}</p></body></html>', encoding="utf-8")

    preview = Preview(render, out, [src], port=0, poll_ms=100)
    try:
        preview.start()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page()
                page.goto(preview.url)
                assert page.text_content("#t") == "første"
                save("anden")  # nobody touches the page: it reloads by itself
                page.wait_for_function("document.getElementById('t').textContent === 'anden'", timeout=15_000)
                save("fejl")  # a failed render: a banner, the last book stays
                banner = page.wait_for_selector("[role=alert]", timeout=15_000)
                assert "a.qmd at line 3" in banner.text_content()
                assert page.text_content("#t") == "anden"
                save("tredje")  # fixed: reloaded, the banner is gone
                page.wait_for_function("document.getElementById('t').textContent === 'tredje'", timeout=15_000)
                assert page.query_selector("[role=alert]") is None
            finally:
                browser.close()
    finally:
        preview.stop()
