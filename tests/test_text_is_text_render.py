"""Text is text in a rendered book (issue 17): the payloads in a PDF and in Chromium.

A small book rendered by the real engine with the report's own hooks
(:func:`ipsreport.book.hooks.book_hooks`: settings, cover, kernels reading the
synthetic twin) and a case file of its own. Its text settings and case file
hold the payloads the check lets through as text (``#read("/index.html")``,
``#str(6*7)``, ``$``, ``@``, ``<3``, a backslash); one chapter also prints the
payloads the check refuses (``<img onerror>``, ``<script>{=html}``,
``javascript:``, ``{=typst}``) through :func:`ipsreport.inputs.plaintext.block_markdown`
alone, to show that the escaping holds even where the check would not.

* PDF: the payloads print as written; nothing ran (no "42", no page of the book).
* HTML in Chromium (Playwright, marker ``browser``): no dialog, no ``on*``
  attribute, no ``javascript:``/``data:`` URL, every page carries the
  Content-Security-Policy, and the console shows no violation of it (the
  search still works under it).
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.inputs.plaintext import plain
from test_cases import write_case
from test_text_is_text import IMG, JS_LINK, SCRIPT, TYPST_RAW, TYPST_READ

pytestmark = pytest.mark.render


#: Accepted by the check, printed as written.
EVALUATOR = TYPST_READ
MUNICIPALITY = "#str(6*7) $x$ @key <3 \\ Kommune"
FUNDER = "`#str(6*7)` og *Fonden*"
FOCUS = '#read("/index.html") og #str(6*7)'
#: Refused by the check; here they reach the markdown through the escaper alone.
REFUSED = [IMG, SCRIPT, JS_LINK, TYPST_RAW, "[x]{onclick=\"alert(8)\"}", "<a href=\"javascript:alert(9)\">a</a>",
           "![b](data:text/html,x)"]


def _project(root: Path, cases: Path) -> None:
    (root / "_quarto.yml").write_text(textwrap.dedent("""\
        project:
          type: book
        lang: da
        execute:
          echo: false
        book:
          output-file: tekst
          chapters:
            - index.qmd
            - kapitel.qmd
        format:
          html: default
          typst: default
        """), encoding="utf-8")
    (root / "index.qmd").write_text(textwrap.dedent("""\
        # Forord

        ```{python}
        #| tags: [parameters]
        #| include: false
        results = None
        ```

        ```{python}
        #| include: false
        import ipsreport.api as ips
        r = ips.results(results)
        d, f = r.edition, r.facts
        ```

        Evalueret af `{python} f.evaluator` i `{python} f.municipality` med støtte fra `{python} f.funder`.
        """), encoding="utf-8")
    (root / "kapitel.qmd").write_text(textwrap.dedent(f"""\
        # Casen

        ```{{python}}
        #| output: asis
        import ipsreport.api as ips
        print(ips.case_appendix("ida", {str(cases)!r}))
        ```

        ## Uden kontrollen

        ```{{python}}
        #| output: asis
        from ipsreport.inputs.plaintext import block_markdown
        for payload in {REFUSED!r}:
            print(block_markdown(payload) + "\\n")
        ```
        """), encoding="utf-8")


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    from ipsreport.book.hooks import book_hooks
    from ipsreport.render.engine import render_book

    root = tmp_path_factory.mktemp("tekst")
    cases = root / "cases"
    cases.mkdir()
    write_case(cases, focus=FOCUS, supports=["@key og $5", "<3 gange \\ om ugen"])
    _project(root, cases)
    hooks = book_hooks(SYNTHETIC_DIR, {"evaluator": EVALUATOR, "municipality": MUNICIPALITY, "funder": FUNDER},
                       cache_dir=root / "cache")
    render_book(root, output_dir=root / "_book", hooks=hooks, cache_dir=root / "cache", workers=1)
    return root / "_book"


@pytest.fixture(scope="module")
def pdf_text(book) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(book / "tekst.pdf").pages)


def test_pdf_prints_the_payloads_as_written(pdf_text):
    read = plain(TYPST_READ)  # the subset's quotation marks: "…" prints as »…«
    assert f"Evalueret af {read} i #str(6*7) $x$ @key <3 \\ Kommune med støtte fra `#str(6*7)` og Fonden." in pdf_text
    assert f"Evaluering: {read}" in pdf_text and "Finansieret af: `#str(6*7)` og Fonden" in pdf_text  # the cover
    assert f"Fokus: {plain(FOCUS)}" in pdf_text
    assert "@key og $5" in pdf_text and "<3 gange \\ om ugen" in pdf_text
    for payload in (IMG, SCRIPT, TYPST_RAW):
        assert payload in pdf_text


def test_pdf_ran_nothing(pdf_text):
    assert "42" not in pdf_text
    assert "DOCTYPE" not in pdf_text and "<html" not in pdf_text  # #read printed no file of the book


# ---------------------------------------------------------------- browser



_LIVE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value.trim().toLowerCase();
      if (a.name.toLowerCase().startsWith('on')) found.push(`${el.tagName} ${a.name}`);
      if (/^(javascript|vbscript|data):/.test(v)) found.push(`${el.tagName} ${a.name}=${a.value}`);
    }
  }
  return found;
}"""


@pytest.mark.browser
def test_html_runs_no_payload(browser, book):
    page = browser.new_page()
    dialogs, console = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: console.append(f"page error: {exc}"))
    for name in ("index.html", "kapitel.html"):
        page.goto((book / name).as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate(_LIVE) == [], name
        assert page.locator("script:not([src])").count() == 0
    page.wait_for_timeout(300)
    text = page.inner_text("main")
    for payload in REFUSED[:3]:
        assert payload.replace("{=html}", "") in text.replace("{=html}", "")  # printed, as text
    assert plain(FOCUS) in text
    assert dialogs == []
    assert console == []


@pytest.mark.browser
def test_every_page_forbids_inline_script_and_the_book_still_works(browser, book):
    from ipsreport.render.html import CONTENT_SECURITY_POLICY

    page = browser.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    for path in sorted(book.glob("*.html")):
        html = path.read_text(encoding="utf-8")
        head = html[:html.index("</head>")]
        assert f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">' in head
        assert head.index("Content-Security-Policy") < head.index("<link")
    # An inline script and an on* attribute added to a page are blocked by the policy.
    probe = book / "probe.html"
    index = (book / "index.html").read_text(encoding="utf-8")
    probe.write_text(index.replace("</main>", '<img src="x" onerror="document.title=\'PWNED\'">'
                                              "<script>document.title='PWNED'</script></main>"), encoding="utf-8")
    try:
        page.goto(probe.as_uri())
        page.wait_for_load_state("load")
        assert page.title() != "PWNED"
        assert len(violations) == 2, violations
    finally:
        probe.unlink()
    violations.clear()
    page.goto((book / "index.html").as_uri())
    page.wait_for_load_state("load")
    page.fill("#search-input", "Casen")
    page.wait_for_selector("#search-results li a", timeout=5000)
    assert violations == []


@pytest.mark.browser
def test_the_preview_reload_script_runs_under_the_policy(browser, book, tmp_path):
    """The preview adds its reload script as it serves a page; the policy lets exactly that one through."""
    from ipsreport.render.preview import Preview
    from test_preview import touch_later

    page_html = (book / "index.html").read_text(encoding="utf-8")
    src = tmp_path / "src.txt"
    src.write_text("første", encoding="utf-8")
    out = tmp_path / "out"

    def render():
        tmp = tmp_path / "next"
        shutil.copytree(book, tmp)
        (tmp / "index.html").write_text(page_html.replace("</main>", f"<p id='v'>{src.read_text('utf-8')}</p></main>"),
                                        encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)

    preview = Preview(render, out, [src], port=0)
    page = browser.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        preview.start()
        page.goto(preview.url)
        assert page.inner_text("#v") == "første"
        touch_later(src, "anden")
        page.locator("#v", has_text="anden").wait_for(timeout=15000)  # the open page reloaded itself
    finally:
        preview.stop()
    assert violations == []
