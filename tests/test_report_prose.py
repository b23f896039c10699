"""With another cohort's data the whole report stays true.

Draws a different valid cohort with the sampler (another seed and size),
renders the report from it, and checks that every inline expression in every
chapter printed the value computed from *that* data — and that these values
differ from the reference edition's, so the prose cannot be typed by hand.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ipsreport.paths import PROJECT_DIR, SYNTHETIC_DIR
from ipsreport.render.qmd import split_inline

pytestmark = pytest.mark.render



def _chapters() -> list[Path]:
    import yaml

    cfg = yaml.safe_load((PROJECT_DIR / "_quarto.yml").read_text(encoding="utf-8"))
    book = cfg["book"]
    files = []
    for entry in [*book.get("chapters", []), *book.get("appendices", [])]:
        if isinstance(entry, dict):
            files += entry.get("chapters", [])
        else:
            files.append(entry)
    return [PROJECT_DIR / f for f in files]


def _text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def _evaluate(data_dir: Path, exprs: list[str]) -> list[str]:
    """Evaluate inline expressions the way a chapter does, in a fresh process."""
    code = (
        "import json, sys, ipsreport as ips\n"
        f"d = ips.edition({str(data_dir)!r})\n"
        "f = ips.facts(d)\n"
        "print(json.dumps([str(eval(e)) for e in json.loads(sys.stdin.read())]))\n"
    )
    import json

    proc = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(exprs), capture_output=True, text=True, cwd=PROJECT_DIR
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def other_cohort(tmp_path_factory) -> Path:
    from ipsreport.synth.sample import write_cohort

    out = tmp_path_factory.mktemp("cohort")
    write_cohort(out, n=240, sites=2, seed=11)
    return out


@pytest.fixture(scope="module")
def other_book(other_cohort, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book-other")
    cmd = [
        sys.executable, "-m", "ipsreport", "render",
        "--data", str(other_cohort), "--output", str(out), "--to", "html",
    ]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, capture_output=True, text=True, env={**os.environ, "CI": "true"})
    assert proc.returncode == 0, f"render failed:\n{proc.stdout}\n{proc.stderr}"
    return out


def test_every_inline_number_follows_the_data(other_cohort, other_book):
    pages = {p.stem: p for p in other_book.glob("**/*.html")}
    checked, changed, missing = 0, 0, []
    for chapter in _chapters():
        exprs = [p[0] for p in split_inline(chapter.read_text(encoding="utf-8")) if isinstance(p, tuple)]
        if not exprs:
            continue
        page = pages.get(chapter.stem) or pages.get("index" if chapter.stem == "index" else chapter.stem)
        assert page is not None, f"no HTML page for {chapter.name}: {sorted(pages)}"
        text = _text(page)
        values = _evaluate(other_cohort, exprs)
        reference = _evaluate(SYNTHETIC_DIR, exprs)
        for expr, value, ref in zip(exprs, values, reference):
            checked += 1
            changed += value != ref
            # Markdown emphasis in a fact (e.g. **Bemærk:**) is rendered, not printed.
            shown = re.sub(r"\s+", " ", value.replace("**", "")).strip()
            if shown not in text:
                missing.append(f"{chapter.name}: {expr} -> {value!r} not found in {page.name}")
    assert checked > 50, "expected the chapters to draw many numbers from the data"
    assert not missing, "\n".join(missing[:30])
    # A different cohort must move most numbers; only constants may stay.
    assert changed / checked > 0.5, f"only {changed} of {checked} inline values changed with the data"
