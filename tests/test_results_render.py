"""The results bundle in a render: the attachment, the engine's staging folder, ``ipsreport render``.

Unit lane: :class:`~ipsreport.results.publish.ResultsBundle` with a
hand-made result (kept in the cache for the same inputs, a failed run
reported). Render lane: the engine writes the attachment into the staging
folder before the swap and keeps a good book when it fails; ``ipsreport
render`` (one book, and per site) writes ``resultater/`` whose facts are the
numbers the HTML prints.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest


from ipsreport.paths import FIXTURES_DIR, SYNTHETIC_DIR
from ipsreport.results import BUNDLE_DIR, read_bundle
from ipsreport.results.publish import ResultsBundle
from ipsreport.render.store import RUN, open_store

# --------------------------------------------------------------------------- the attachment


def test_write_before_the_run_is_refused(tmp_path):
    from ipsreport.render.base import RenderError

    with pytest.raises(RenderError, match="aldrig beregnet"):
        ResultsBundle(tmp_path, None, tmp_path / "cache", "inputs-1").write(tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_a_failed_pipeline_stops_the_render_before_any_chapter(tmp_path):
    """The engine's start runs the pipeline; its failure is a RenderError (the CLI's exit 1), nothing is saved."""
    from ipsreport.render.base import RenderError
    from ipsreport.config.settings import get_settings

    empty = tmp_path / "data"
    empty.mkdir()
    bundle = ResultsBundle(empty, get_settings().with_(data_dir=empty), tmp_path / "cache", "inputs")
    with pytest.raises(RenderError, match="beregningerne til rapporten kunne ikke laves"):
        bundle.start([])
    assert not open_store(tmp_path / "cache").keys(RUN)


class _Recorder:
    """An attachment that writes one file, or fails in ``write``."""

    def __init__(self, fail: bool = False) -> None:
        self.fail, self.started = fail, None

    def start(self, sources) -> None:
        self.started = tuple(sources)

    def write(self, folder: Path) -> None:
        if self.fail:
            raise RuntimeError("resultatsættet kunne ikke laves")
        (folder / BUNDLE_DIR).mkdir()
        (folder / BUNDLE_DIR / "bundle.json").write_text("{}", encoding="utf-8")


@pytest.mark.render
def test_engine_writes_the_attachment_before_the_swap_and_keeps_a_good_book(tmp_path):
    from dataclasses import replace

    from minibook_hooks import minibook_hooks

    from ipsreport.render.base import RenderError
    from ipsreport.render.engine import render_book
    from ipsreport.render.outdir import owned_files

    root = tmp_path / "minibook"
    shutil.copytree(FIXTURES_DIR / "minibook", root, ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    out, ok = tmp_path / "out", _Recorder()
    hooks = replace(minibook_hooks(root / "data"), attachment=ok)
    render_book(root, output_dir=out, hooks=hooks, to="html", workers=1)
    assert ok.started and all(p.suffix == ".qmd" for p in ok.started)
    assert (out / BUNDLE_DIR / "bundle.json").is_file() and f"{BUNDLE_DIR}/bundle.json" in owned_files(out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "index.qmd").write_text((root / "index.qmd").read_text(encoding="utf-8") + "\nNy linje.\n",
                                    encoding="utf-8")
    with pytest.raises(RenderError, match="resultatsættet kunne ikke laves"):
        render_book(root, output_dir=out, hooks=replace(hooks, attachment=_Recorder(fail=True)), to="html",
                    workers=1)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def _fact_spans(folder: Path) -> list[tuple[str, str]]:
    spans = []
    for page in folder.glob("*.html"):
        for tag, text in re.findall(r'(<span class="fact"[^>]*>)([^<]*)</span>', page.read_text(encoding="utf-8")):
            key = re.search(r'data-fact="([^"]*)"', tag)
            if key:  # a number inside a sentence carries its tooltip but no key of its own
                spans.append((html.unescape(key.group(1)), html.unescape(text)))
    return spans


@pytest.mark.render
def test_render_writes_the_bundle_of_the_numbers_it_prints(tmp_path, monkeypatch):
    from ipsreport import cli

    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("IPSREPORT_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "book"
    assert cli.main(["render", "--data", str(SYNTHETIC_DIR), "--to", "html", "--output", str(out)]) == 0
    results = read_bundle(out)
    assert results.edition.twin and (out / ".ipsreport-stamp").read_text(encoding="utf-8").count(BUNDLE_DIR) > 20
    facts = {r.key: r for r in results.facts}
    spans = _fact_spans(out)
    assert len(spans) > 100
    for key, text in spans:
        assert key in facts, key
        if re.search(r"\d", text):  # a number as printed (f.words() prints the same fact in words)
            # The HTML keeps a number and its unit together with a no-break space.
            assert text.replace("\u00a0", " ") == facts[key].text.replace("\u00a0", " "), key


@pytest.mark.render
def test_render_by_site_writes_one_bundle_per_site(tmp_path, monkeypatch):
    from ipsreport import cli
    from ipsreport.book.sites import slugify
    from ipsreport.synth.sample import write_cohort

    data = write_cohort(tmp_path / "data", n=60, sites=2, seed=11)
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("IPSREPORT_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "sites"
    assert cli.main(["render", "--data", str(data), "--by", "site", "--to", "html", "--output", str(out)]) == 0
    counts = pd.read_csv(data / "registry.csv", dtype=str)["site"].value_counts()
    for site, n in counts.items():
        results = read_bundle(out / slugify(site))
        assert results.fact("registry_n").value == n, site
        assert [f.rows for f in results.data_files if f.dataset == "registry"] == [n]
