"""End-to-end renders of tests/fixtures/minibook with the pandoc engine."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from minibook_hooks import minibook_hooks

from ipsreport.paths import FIXTURES_DIR
from ipsreport.render import engine
from ipsreport.render.engine import RenderError, render_book
from ipsreport.render.quarto import quarto_command

pytestmark = pytest.mark.render

MINIBOOK = FIXTURES_DIR / "minibook"


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A copy of the minibook rendered once (cold) for the whole module.

    The minibook knows nothing of the report: its only hooks name its data
    folder (``minibook_hooks``), so work on the ipsreport package cannot
    make these cache assertions flaky.
    """
    root = tmp_path_factory.mktemp("mb") / "minibook"
    shutil.copytree(MINIBOOK, root, ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    result = render_book(root, hooks=minibook_hooks(root / "data"))
    yield root, result


def test_code_key(tmp_path):
    from ipsreport.book.keys import code_key

    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("ignored\n")
    first = code_key(tmp_path)
    (tmp_path / "notes.txt").write_text("changed\n")
    assert code_key(tmp_path) == first
    (tmp_path / "a.py").write_text("x = 2\n")
    assert code_key(tmp_path) != first


def test_pages_exist(book):
    root, result = book
    out = root / "_book"
    names = sorted(p.name for p in result.html_pages)
    assert names == ["01-tabeller.html", "02-figurer.html", "bilag-a.html", "index.html"]
    assert all((out / n).exists() for n in names)
    assert result.pdf == out / "minibog.pdf" and result.pdf.exists()
    assert sorted(p.name for p in result.executed) == ["01-tabeller.qmd", "02-figurer.qmd", "bilag-a.qmd", "index.qmd"]


def test_html_content(book):
    root, _ = book
    out = root / "_book"
    t = (out / "01-tabeller.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in t
    assert "Tabel 1: Antal pr. kategori" in t
    assert "Der er 30 i alt, og mappen hedder kapitelmappe." in t  # inline, env, cwd
    assert 'class="table-scroll"' in t
    assert 'href="02-figurer.html"' in t and 'rel="next"' in t
    assert 'class="callout callout-tip"' in t and "Godt at vide" in t
    f = (out / "02-figurer.html").read_text(encoding="utf-8")
    assert "Figur 1: Søjler for æøå" in f
    imgs = re.findall(r"<img [^>]*>", f)
    assert imgs and all('alt="' in i for i in imgs)
    assert 'alt="Søjlediagram med tre søjler: a, b og c."' in f
    assert "skal ikke vises" not in f  # warning: false
    assert "Se også <a href=\"01-tabeller.html#tbl-counts\">Tabel 1</a>" in f
    i = (out / "index.html").read_text(encoding="utf-8")
    assert "kapitel 1" in i and "Bilag 1" in i and "footnote" in i
    b = (out / "bilag-a.html").read_text(encoding="utf-8")
    assert "Bilag 1: Supplerende" in b
    assert "Case: Anna" in b and "<strong>" not in b.split("Case: Anna")[0][-5:]  # asis heading


def test_html_offline(book):
    root, _ = book
    out = root / "_book"
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="([^"]+)"', text):
            assert not re.match(r"^(https?:)?//", url), f"{page.name}: external {url}"
    css = (out / "assets" / "style.css").read_text(encoding="utf-8")
    assert "http" not in css and (out / "assets" / "fonts" / "DejaVuSans.ttf").exists()


def test_pdf(book):
    from pypdf import PdfReader

    root, result = book
    reader = PdfReader(result.pdf)
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.28) < 1 and abs(float(box.height) - 841.89) < 1  # A4
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Minibog" in text and "2025" in text  # title, and `book: date` (no edition line without hooks)
    assert "Indhold" in text  # table of contents
    assert "æøå" in text
    assert "Tabel 1: Antal pr. kategori" in text
    assert "Figur 1: Søjler for æøå" in text
    assert "Bilag 1: Supplerende" in text
    assert "Kilde: testdata" in text and "Deltagere" in text  # GT footer and spanner
    for page in reader.pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = descendants[0].get_object() if descendants else font
            fd = desc.get("/FontDescriptor")
            if fd is not None:
                fd = fd.get_object()
                assert any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")


def test_second_render_is_unchanged(book):
    root, _ = book
    before = tree_digest(root / "_book")
    again = render_book(root, hooks=minibook_hooks(root / "data"))
    assert again.unchanged and not again.executed
    assert tree_digest(root / "_book") == before


def test_edit_reexecutes_only_that_chapter(book):
    root, _ = book
    chapter = root / "chapters" / "02-figurer.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nEkstra sætning.\n", encoding="utf-8")
    result = render_book(root, hooks=minibook_hooks(root / "data"))
    assert [p.name for p in result.executed] == ["02-figurer.qmd"]
    assert sorted(p.name for p in result.cached) == ["01-tabeller.qmd", "bilag-a.qmd", "index.qmd"]
    assert "Ekstra sætning." in (root / "_book" / "02-figurer.html").read_text(encoding="utf-8")


def test_data_change_reexecutes(book):
    root, _ = book
    data = root / "data" / "numbers.csv"
    data.write_text(data.read_text(encoding="utf-8") + "Ny,5\n", encoding="utf-8")
    result = render_book(root, hooks=minibook_hooks(root / "data"), to="html")
    assert len(result.executed) == 4
    assert "Der er 35 i alt" in (root / "_book" / "01-tabeller.html").read_text(encoding="utf-8")
    assert (root / "_book" / "minibog.pdf").exists()  # --to html keeps the PDF


def test_failing_cell_leaves_output_untouched(book):
    root, _ = book
    render_book(root, hooks=minibook_hooks(root / "data"))
    before = tree_digest(root / "_book")
    chapter = root / "chapters" / "01-tabeller.qmd"
    original = chapter.read_text(encoding="utf-8")
    lines = original.splitlines()
    at = lines.index("## Detaljer")
    bad = ["", "```{python}", "#| label: tbl-bad", "x = 1", "y = x / 0", "```", ""]
    chapter.write_text("\n".join(lines[:at] + bad + lines[at:]) + "\n", encoding="utf-8")
    try:
        with pytest.raises(RenderError) as info:
            render_book(root, hooks=minibook_hooks(root / "data"))
        msg = str(info.value)
        assert "chapters/01-tabeller.qmd" in msg
        assert f"line {at + 5}" in msg  # the `y = x / 0` line
        assert f"cell starting at line {at + 2}" in msg
        assert "ZeroDivisionError" in msg
        assert tree_digest(root / "_book") == before
        assert not list(root.glob("._book.tmp-*"))
    finally:
        chapter.write_text(original, encoding="utf-8")


def test_quarto_command():
    p = Path("/proj")
    assert quarto_command(p) == ["quarto", "render", "/proj"]
    assert quarto_command(p, "pdf", Path("/out")) == ["quarto", "render", "/proj", "--to", "typst", "--output-dir", "/out"]
    assert quarto_command(p, "html", quarto="/x/quarto") == ["/x/quarto", "render", "/proj", "--to", "html"]


def test_pdf_only_to_other_folder(book, tmp_path):
    root, _ = book
    out = tmp_path / "pdf-only"
    result = render_book(root, output_dir=out, to="pdf", hooks=minibook_hooks(root / "data"))
    assert result.pdf == out / "minibog.pdf" and result.pdf.exists()
    assert not list(out.glob("*.html")) and not result.html_pages


def test_inputs_key_follows_the_published_numbers(tmp_path, monkeypatch):
    """Bilag 7 compares with published.yml, so editing it must re-execute chapters."""
    from ipsreport import paths
    from ipsreport.book.keys import inputs_key

    monkeypatch.setattr(paths, "PUBLISHED_PATH", tmp_path / "published.yml")
    (tmp_path / "published.yml").write_text("- key: registry.n\n  value: 66\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    before = inputs_key(data, "{}")
    assert inputs_key(data, "{}") == before
    (tmp_path / "published.yml").write_text("- key: registry.n\n  value: 67\n", encoding="utf-8")
    assert inputs_key(data, "{}") != before


def test_cache_keys_follow_the_lock_file_and_installed_versions(tmp_path):
    """After a dependency upgrade cached chapters must re-execute: the key covers the lock file."""
    from ipsreport.render.keys import environment_key

    lock = tmp_path / "requirements.lock"
    lock.write_text("pandas==2.2.0\n", encoding="utf-8")
    before = environment_key(lock)
    assert environment_key(lock) == before
    lock.write_text("pandas==2.2.1\n", encoding="utf-8")
    assert environment_key(lock) != before


def test_book_is_current_until_an_input_changes(book):
    """The CLI's short cut: a current book needs no new validation; a data change ends it."""
    root, _ = book
    assert engine.book_is_current(root, None, "all", minibook_hooks(root / "data"))
    assert not engine.book_is_current(root, None, "html", minibook_hooks(root / "data"))  # another target
    data_file = next(p for p in (root / "data").iterdir() if p.is_file())
    original = data_file.read_bytes()
    try:
        data_file.write_bytes(original + b"\n")
        assert not engine.book_is_current(root, None, "all", minibook_hooks(root / "data"))
    finally:
        data_file.write_bytes(original)


def _pdf_text(pdf: Path, pages: slice = slice(None)) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(pdf).pages[pages])


def test_minibook_cover_knows_nothing_of_the_report(book):
    """Rendered without hooks, the cover shows the book's own title block only."""
    _, result = book
    cover = _pdf_text(result.pdf, slice(0, 1))
    assert "Minibog" in cover and "ipsreport" in cover and "2025" in cover
    for report_fact in ("Finansieret af", "Evaluering", "Obelske", "DEFACTUM", "Udgave", "Syntetiske"):
        assert report_fact not in cover, report_fact


def test_cover_says_what_the_hooks_give_and_each_fact_once(book, tmp_path):
    from dataclasses import replace

    from ipsreport.render.hooks import Cover

    root, _ = book
    cover = Cover(edition="Udgave 2025", lines=("Skrevet af: ipsreport", "Betalt af: Fonden"), notice="Bemærk: prøvetal.")
    hooks = replace(minibook_hooks(root / "data"), cover=cover)
    result = render_book(root, output_dir=tmp_path / "pdf", to="pdf", hooks=hooks)
    assert not result.executed  # the cover is no input of the chapters
    text = _pdf_text(result.pdf, slice(0, 1))
    for line in ("Udgave 2025", "Skrevet af: ipsreport", "Betalt af: Fonden", "Bemærk: prøvetal."):
        assert line in text, line
    # `book: author` and `book: date` are already said by a cover line: not printed twice.
    assert text.count("ipsreport") == 1 and text.count("2025") == 1


def test_cover_edition_replaces_the_books_own_date(book, tmp_path):
    """Next year's edition must not also print the year typed in `book: date` (a second, wrong date)."""
    from dataclasses import replace

    from ipsreport.render.hooks import Cover

    root, _ = book
    hooks = replace(minibook_hooks(root / "data"), cover=Cover(edition="Udgave 2026", lines=(), notice=""))
    result = render_book(root, output_dir=tmp_path / "pdf", to="pdf", hooks=hooks)
    text = _pdf_text(result.pdf, slice(0, 1))
    assert "Udgave 2026" in text and "2025" not in text


def test_words_come_from_quarto_yml_with_english_defaults(book, tmp_path):
    import yaml

    root, _ = book
    english = tmp_path / "english"
    shutil.copytree(root, english, ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    config = yaml.safe_load((english / "_quarto.yml").read_text(encoding="utf-8"))
    del config["crossref"], config["language"]
    (english / "_quarto.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    # Same chapters, data (the same folder: a parameter's value is part of a chapter's key) and cache:
    # only the words differ, nothing runs again.
    result = render_book(english, to="html", hooks=minibook_hooks(root / "data"),
                         cache_dir=root / ".ipsreport-cache")
    assert not result.executed
    out = english / "_book"
    tables = (out / "01-tabeller.html").read_text(encoding="utf-8")
    assert "Table 1: Antal pr. kategori" in tables and "Tabel 1" not in tables
    assert "On this page" in tables and 'placeholder="Search"' in tables
    assert "<small>Next</small>" in tables and "<small>Previous</small>" in tables
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Chapter 1" in index and "Appendix 1" in index and ">Appendices<" in index
    # The minibook's own _quarto.yml sets the Danish words.
    danish = (root / "_book" / "01-tabeller.html").read_text(encoding="utf-8")
    assert "Tabel 1: Antal pr. kategori" in danish and "På denne side" in danish


def test_kernels_reset_between_chapters_without_patching(tmp_path):
    """Each chapter starts with an empty namespace; gc and builtins are left as they are."""
    from ipsreport.render.kernel import KernelWorker
    from ipsreport.render.qmd import read_qmd

    first, second = tmp_path / "a.qmd", tmp_path / "b.qmd"
    first.write_text("# A\n\n```{python}\nsecret = 41\n```\n\nSvar: `{python} secret + 1`.\n", encoding="utf-8")
    second.write_text(
        "# B\n\n```{python}\nimport builtins, gc\n"
        "print('secret' in globals(), [n for n in dir(builtins) if '__ips' in n], gc.collect.__module__)\n```\n",
        encoding="utf-8",
    )
    worker = KernelWorker(tmp_path, preamble="import json\npreamble_ran = True\n")
    try:
        a = worker.run_chapter(read_qmd(first))
        b = worker.run_chapter(read_qmd(second))
    finally:
        worker.close()
    assert "Svar: 42." in a.blocks[-1]["text"]
    printed = b.blocks[-1]["outputs"][0]["data"]
    assert printed.strip() == "False [] gc"


def test_a_chapters_garbage_is_collected_and_what_stays_is_frozen(tmp_path):
    """The kernel freezes its set-up's heap; between chapters it collects the last chapter's cycles, then freezes."""
    from ipsreport.render.kernel import KernelWorker
    from ipsreport.render.qmd import read_qmd

    first, second = tmp_path / "a.qmd", tmp_path / "b.qmd"
    # A cycle only the chapter's namespace refers to: garbage once the next chapter resets the namespace.
    first.write_text("```{python}\nimport sys, types, weakref\nclass Node:\n    pass\n"
                     "node = Node()\nnode.me = node\nprobe = types.ModuleType('probe')\n"
                     "probe.ref = weakref.ref(node)\nsys.modules['probe'] = probe\n```\n", encoding="utf-8")
    second.write_text("```{python}\nimport gc, probe\nprint(probe.ref() is None, gc.get_freeze_count() > 0)\n```\n",
                      encoding="utf-8")
    worker = KernelWorker(tmp_path)
    try:
        worker.run_chapter(read_qmd(first))
        b = worker.run_chapter(read_qmd(second))
    finally:
        worker.close()
    # Collected (not frozen with the rest), and the rest frozen.
    assert b.blocks[-1]["outputs"][0]["data"].strip() == "True True"


def test_parameters_are_set_after_the_parameters_cell_as_text(tmp_path):
    """papermill's and Quarto's convention: defaults in the cell tagged parameters, the given values right after."""
    from ipsreport.render.kernel import KernelWorker, injected_parameters
    from ipsreport.render.qmd import read_qmd

    tagged, untagged = tmp_path / "a.qmd", tmp_path / "b.qmd"
    tagged.write_text("```{python}\n#| tags: [parameters]\nresults = None\nother = 'default'\n```\n\n"
                      "Her: `{python} results`, `{python} other`.\n", encoding="utf-8")
    untagged.write_text("Uden celle: `{python} results`.\n", encoding="utf-8")
    hostile = "x'); import os; os.remove('y"  # a value is a string literal, never code
    assert injected_parameters({"results": hostile}) == f"results = {hostile!r}"
    with pytest.raises(ValueError, match="identifier"):
        injected_parameters({"not a name": "x"})
    worker = KernelWorker(tmp_path)
    try:
        a = worker.run_chapter(read_qmd(tagged), {"results": hostile})
        b = worker.run_chapter(read_qmd(untagged), {"results": "/et/sted"})
    finally:
        worker.close()
    assert f"Her: {hostile}, default." in a.blocks[-1]["text"]
    assert "Uden celle: /et/sted." in b.blocks[-1]["text"]


def test_editing_the_lock_file_reexecutes_every_chapter(book):
    """One cache design: a dependency change (requirements.lock beside _quarto.yml) re-runs the chapters."""
    root, _ = book
    lock = root / "requirements.lock"
    lock.write_text("pandas==2.2.0\n", encoding="utf-8")
    try:
        first = render_book(root, to="html", hooks=minibook_hooks(root / "data"))
        assert len(first.executed) == 4
        lock.write_text("pandas==2.2.1\n", encoding="utf-8")
        second = render_book(root, to="html", hooks=minibook_hooks(root / "data"))
        assert len(second.executed) == 4 and not second.unchanged
    finally:
        lock.unlink()


def test_a_second_render_is_served_by_the_store_and_a_damaged_chapter_runs_again(book, tmp_path):
    """Into new output folders: every chapter and pandoc conversion from the store; a spoilt entry re-executes."""
    from ipsreport.render.plan import identify
    from ipsreport.render.store import CHAPTER, PANDOC, open_store

    root, _ = book
    hooks = minibook_hooks(root / "data")
    render_book(root, hooks=hooks, to="html")  # whatever earlier tests left: now everything is kept
    store = open_store(root / ".ipsreport-cache")
    conversions = len(store.keys(PANDOC))
    again = render_book(root, hooks=hooks, to="html", output_dir=tmp_path / "a")
    assert not again.executed and len(again.cached) == 4
    assert len(store.keys(PANDOC)) == conversions  # every conversion was found
    chapter = root / "chapters" / "01-tabeller.qmd"
    key = identify(root, tmp_path / "b", "html", hooks, None, None).keys[chapter]
    assert key.startswith(f"{CHAPTER}-") and key in store
    store.put(key, "{not json")  # an entry that does not read back as a chapter
    third = render_book(root, hooks=hooks, to="html", output_dir=tmp_path / "b")
    assert [p.name for p in third.executed] == ["01-tabeller.qmd"] and len(third.cached) == 3
    assert (tmp_path / "b" / "01-tabeller.html").read_bytes() == (tmp_path / "a" / "01-tabeller.html").read_bytes()


def test_kernels_started_ahead_run_the_chapters(tmp_path):
    """The command starts kernels before its checks (engine.start_kernels); the render runs the chapters on them."""
    root = tmp_path / "minibook"
    shutil.copytree(MINIBOOK, root)
    hooks = minibook_hooks(root / "data")
    assert engine.chapters_to_run(root, None, "html", hooks) == 4  # cold: every chapter
    chapter = root / "chapters" / "02-figurer.qmd"
    # Only a kernel that ran the ahead preamble has this mark (its process environment: a chapter's names are
    # reset before it runs); a kernel started by the render prints "nej".
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + "\nStartet før: `{python} __import__('os').environ.get('AHEAD_MARK', 'nej')`.\n",
                       encoding="utf-8")
    preamble = "import os; os.environ['AHEAD_MARK'] = 'kerne-startet-i-forvejen'"
    with engine.start_kernels(root, 1, workers=1, preamble=preamble) as ahead:
        result = render_book(root, to="html", hooks=hooks, workers=1, kernels=ahead)
        assert ahead.take() is None  # the one kernel was taken
    assert len(result.executed) == 4
    assert "Startet før: kerne-startet-i-forvejen." in (root / "_book" / "02-figurer.html").read_text(encoding="utf-8")
    assert engine.chapters_to_run(root, None, "html", hooks) is None  # current: nothing to do
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nEkstra.\n", encoding="utf-8")
    assert engine.chapters_to_run(root, None, "html", hooks) == 1  # one chapter edited


def _kernels_alive(wait: float = 20.0) -> list:
    """This process's kernel processes still running after up to ``wait`` seconds (a killed one exits at once)."""
    import time

    import psutil

    deadline = time.monotonic() + wait
    while True:
        alive = [c for c in psutil.Process().children(recursive=True)
                 if c.is_running() and c.status() != psutil.STATUS_ZOMBIE
                 and any("ipykernel" in part for part in c.cmdline())]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def test_kernels_started_ahead_are_closed_when_not_taken(tmp_path):
    """A render stopped by a failed check kills the kernels it started ahead; none is handed out after."""
    import time

    ahead = engine.start_kernels(tmp_path, 2, workers=2)
    time.sleep(1)  # their processes run now
    assert _kernels_alive(wait=0)
    ahead.close()
    assert ahead.take() is None
    assert _kernels_alive() == []
    with engine.start_kernels(tmp_path, 0) as none_started:
        assert none_started.take() is None


def test_kernels_started_ahead_close_while_setting_up(tmp_path):
    """Closing kills a kernel still running its set-up without touching its channels from this thread.

    (Closing its channels here, while its starting thread waits on them, hung the command.)
    """
    import time

    ahead = engine.start_kernels(tmp_path, 1, workers=1, preamble="import time; time.sleep(30)")
    time.sleep(3)  # the kernel runs the preamble now
    assert _kernels_alive(wait=0)
    ahead.close()
    assert ahead.take() is None
    assert _kernels_alive() == []
