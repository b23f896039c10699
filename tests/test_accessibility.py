"""WCAG 2.1 AA on every HTML page, as axe-core finds it in Chromium, on a desktop and a phone.

Danish public bodies publish to WCAG 2.1 AA (EN 301 549), documents
included. axe-core (Deque) runs its rules tagged ``wcag2a``, ``wcag2aa``,
``wcag21a`` and ``wcag21aa`` on each page of one HTML render, at 1280 and at
390 px, after the page's own scripts have run (a table box scrolls only on
the phone, so some rules only apply there).

axe-core is a development dependency, vendored as ``tests/vendor/axe.min.js``
(the npm package ``axe-core``, version in the file's header, Mozilla Public
License 2.0: ``tests/vendor/axe-LICENSE.txt``); it is injected into each page
by Playwright and never shipped with the report. To update it: ``npm pack
axe-core@<version>`` and copy ``package/axe.min.js`` and ``package/LICENSE``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ipsreport.paths import PROJECT_DIR, SYNTHETIC_DIR

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
#: The rule sets of WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("a11y")
    cmd = [sys.executable, "-m", "ipsreport", "render", "--data", str(SYNTHETIC_DIR), "--to", "html", "--output", str(out)]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, capture_output=True, text=True)
    assert proc.returncode == 0, f"render failed:\n{proc.stdout}\n{proc.stderr}"
    return out



def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the loaded page."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return result["violations"]


def _describe(width: int, name: str, violation: dict) -> str:
    nodes = violation["nodes"]
    targets = ", ".join(" ".join(map(str, n["target"])) for n in nodes[:3])
    return f"{width} px {name}: {violation['id']} ({violation['impact']}, {len(nodes)} node(s): {targets}) – {violation['help']}"


def test_axe_is_vendored_with_its_licence():
    header = AXE.read_text(encoding="utf-8")[:600]
    assert header.startswith("/*! axe v4.") and "Mozilla Public" in header
    assert "Mozilla Public License" in (AXE.parent / "axe-LICENSE.txt").read_text(encoding="utf-8")[:200]


@pytest.mark.render
@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_wcag_21_aa_in_axe(browser, book, width):
    pages = sorted(book.glob("*.html"))
    assert len(pages) >= 15
    # axe is injected as an inline script, which the book's Content-Security-Policy forbids (as it should).
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500, bypass_csp=True)
    page = context.new_page()
    problems, checked = [], 0
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        problems += [_describe(width, path.name, v) for v in axe_violations(page)]
        checked += 1
    context.close()
    assert checked == len(pages)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_axe_finds_a_scrolling_box_out_of_keyboard_reach(browser, tmp_path):
    """The check can fail: a table box that scrolls sideways without tabindex is reported."""
    html = tmp_path / "box.html"
    rows = "".join(f"<tr><td>{'celle ' * 40}{i}</td></tr>" for i in range(3))
    html.write_text(
        '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Boks</title></head><body><main>'
        f'<div style="overflow-x:auto;width:200px"><table style="width:2000px">{rows}</table></div>'
        "</main></body></html>",
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 390, "height": 600}, bypass_csp=True)
    page.goto(html.as_uri())
    ids = [v["id"] for v in axe_violations(page)]
    page.close()
    assert "scrollable-region-focusable" in ids


@pytest.mark.render
def test_the_colophon_states_what_the_report_conforms_to_and_whom_to_ask(book):
    """The colophon names WCAG 2.1 AA for the web pages, PDF/UA-1 for the PDF and a contact (the evaluator)."""
    import re
    from html import unescape

    from ipsreport.config.settings import get_settings

    colophon = [p for p in book.glob("*.html") if 'id="sec-kolofon"' in p.read_text(encoding="utf-8")]
    assert len(colophon) == 1
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", colophon[0].read_text(encoding="utf-8"))).split())
    statement = text[text.index("Tilgængelighed:"):]
    assert "WCAG 2.1 på niveau AA" in statement and "PDF/UA-1" in statement
    assert f"kontakt {get_settings().evaluator}" in statement
