"""One report per site: the data split, shared-kernel rendering, ``render --by site``."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from minibook_hooks import minibook_hooks

from ipsreport import cli
from ipsreport.paths import FIXTURES_DIR, PROJECT_DIR
from ipsreport.render import engine
from ipsreport.render.hooks import Variant
from ipsreport.book.sites import slugify, split_by_site
from ipsreport.synth.sample import write_cohort
from ipsreport.inputs.validate import validate_dir

MINIBOOK = FIXTURES_DIR / "minibook"


def test_slugify():
    assert slugify("Jobcenter Århus Syd") == "jobcenter-aarhus-syd"
    assert slugify("Site 01") == "site-01"
    assert slugify("  Ungeenheden / Vest  ") == "ungeenheden-vest"
    assert slugify("Øst & Ærø") == "oest-aeroe"
    assert slugify("!!!") == "site"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """A sampled cohort of 80 young people at 2 sites."""
    out = tmp_path_factory.mktemp("cohort") / "data"
    write_cohort(out, n=80, sites=2, seed=7)
    return out


@pytest.mark.twin
def test_split_by_site(cohort, tmp_path):
    sites = split_by_site(cohort, tmp_path / "sites")
    registry = pd.read_csv(cohort / "registry.csv", dtype=str, keep_default_na=False)
    baseline = pd.read_csv(cohort / "baseline.csv", dtype=str, keep_default_na=False)
    followup = pd.read_csv(cohort / "followup.csv", dtype=str, keep_default_na=False)
    assert [s.site for s in sites] == sorted(registry["site"].unique())
    assert [s.slug for s in sites] == [slugify(s.site) for s in sites]
    assert sum(s.counts["registry"] for s in sites) == len(registry) == 80
    assert sum(s.counts["baseline"] for s in sites) == len(baseline)
    assert sum(s.counts["followup"] for s in sites) == len(followup)
    for s in sites:
        assert s.data_dir == tmp_path / "sites" / s.slug
        reg = pd.read_csv(s.data_dir / "registry.csv", dtype=str, keep_default_na=False)
        expected = registry[registry["site"] == s.site].reset_index(drop=True)
        pd.testing.assert_frame_equal(reg, expected)  # same rows, same text
        ids = set(expected["id"])
        for name, full in (("baseline", baseline), ("followup", followup)):
            part = pd.read_csv(s.data_dir / f"{name}.csv", dtype=str, keep_default_na=False)
            pd.testing.assert_frame_equal(part, full[full["id"].isin(ids)].reset_index(drop=True))
            assert len(part) == s.counts[name]
        report = validate_dir(s.data_dir)
        assert report.ok, report.format()
        # The manifest is rewritten for the part: no checksum warnings.
        assert not [w for w in report.warnings if w.rule == "manifest"]


@pytest.mark.twin
def test_split_removes_stale_sites(cohort, tmp_path):
    stale = tmp_path / "sites" / "gammel-lokation"
    stale.mkdir(parents=True)
    (stale / "registry.csv").write_text("x\n")
    split_by_site(cohort, tmp_path / "sites")
    assert not stale.exists()


def test_split_needs_site_column(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINIBOOK / "data", data)
    with pytest.raises(ValueError):
        split_by_site(data, tmp_path / "sites")


@pytest.fixture
def minibook(tmp_path):
    root = tmp_path / "minibook"
    shutil.copytree(MINIBOOK, root, ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    return root


@pytest.mark.render
def test_render_variants_share_kernels_but_not_numbers(minibook, tmp_path):
    """Two books on one pool of kernels: each shows its own data's total."""
    other = tmp_path / "other-data"
    shutil.copytree(minibook / "data", other)
    (other / "numbers.csv").write_text(
        (other / "numbers.csv").read_text(encoding="utf-8") + "Ny,5\n", encoding="utf-8"
    )
    variants = [
        Variant(output_dir=tmp_path / "out" / "a", hooks=minibook_hooks(minibook / "data"),
                cache_dir=tmp_path / "cache-a", label="Sted A"),
        Variant(output_dir=tmp_path / "out" / "b", hooks=minibook_hooks(other),
                cache_dir=tmp_path / "cache-b", label="Sted B"),
    ]
    events: list[tuple[str, str]] = []
    a, b = engine.render_variants(variants, minibook, to="html", workers=1,
                                  progress=lambda event, detail: events.append((event, detail)))
    # Book by book: every chapter of the first book runs before the second's (so it is written while they run).
    executed = [detail.split(":")[0] for event, detail in events if event == "executed"]
    assert executed == ["a"] * 4 + ["b"] * 4
    page_a = (a.output_dir / "01-tabeller.html").read_text(encoding="utf-8")
    page_b = (b.output_dir / "01-tabeller.html").read_text(encoding="utf-8")
    assert "Der er 30 i alt" in page_a and "Der er 35 i alt" in page_b
    assert "Sted A" in page_a and "Sted B" in page_b
    assert len(a.executed) == len(b.executed) == 4
    again = engine.render_variants(variants, minibook, to="html", workers=1)
    assert all(r.unchanged for r in again)


@pytest.mark.render
def test_failing_inline_expression_names_its_line(minibook):
    chapter = minibook / "chapters" / "01-tabeller.qmd"
    lines = chapter.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Der er "))
    lines.insert(at + 1, "Og her går det galt: `{python} 1 / 0` og `{python} 2`.")
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(engine.RenderError) as info:
        engine.render_book(minibook, hooks=minibook_hooks(minibook / "data"), to="html")
    msg = str(info.value)
    assert "chapters/01-tabeller.qmd" in msg and f"line {at + 2}" in msg
    assert "ZeroDivisionError" in msg and "1 / 0" in msg


@pytest.mark.render
def test_cli_render_by_site(cohort, tmp_path, monkeypatch):
    """``ipsreport render --by site``: one folder per site, each with its own N."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("_quarto.yml", "index.qmd"):
        shutil.copy2(PROJECT_DIR / name, project / name)
    shutil.copytree(PROJECT_DIR / "report", project / "report", ignore=shutil.ignore_patterns("_book"))
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("IPSREPORT_CACHE_DIR", str(tmp_path / "vcache"))
    out = tmp_path / "out"
    code = cli.main(["render", "--project", str(project), "--data", str(cohort), "--engine", "pandoc",
                     "--by", "site", "--to", "html", "--output", str(out)])
    assert code == 0
    registry = pd.read_csv(cohort / "registry.csv", dtype=str)
    counts = registry["site"].value_counts()
    assert sorted(p.name for p in out.iterdir()) == sorted(slugify(s) for s in counts.index)
    for site, n in counts.items():
        page = (out / slugify(site) / "03-evalueringen.html").read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", "", page)
        assert f"I alt {n} unge indgår i denne udgave" in text, site
        assert site in page  # the site is named in the title
        assert not list((out / slugify(site)).glob("*.pdf"))  # --to html


def test_variants_share_one_kernel_preamble(minibook, tmp_path):
    """One kernel pool runs one set-up: variants asking for different ones are refused before anything runs."""
    from dataclasses import replace

    hooks = minibook_hooks(minibook / "data")
    variants = [Variant(tmp_path / "a", hooks), Variant(tmp_path / "b", replace(hooks, kernel_preamble="import os\n"))]
    with pytest.raises(ValueError, match="kernel_preamble"):
        engine.render_variants(variants, minibook, to="html", workers=1)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


@pytest.mark.twin
@pytest.mark.parametrize("enabled", [True, False])
def test_the_joint_audit_leaves_the_collector_as_it_found_it(cohort, tmp_path, enabled):
    """The joint audit pauses the cyclic collector (its rows hold no cycles) and restores it, also after an error."""
    import gc

    from ipsreport.analysis.disclosed.joint import plan_site_books
    from ipsreport.book.hooks import resolve_settings

    sites = split_by_site(cohort, tmp_path / "sites")
    settings = {s.site: resolve_settings(s.data_dir, {"min_cell": 3}) for s in sites}
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        plan_site_books(cohort, sites, settings, resolve_settings(cohort, {"min_cell": 3}), tmp_path / "store")
        assert gc.isenabled() is enabled
        with pytest.raises(TypeError):
            plan_site_books(cohort, sites, None, None, tmp_path / "store")  # no settings: fails inside
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


class _FailingRun:
    """An attachment whose run of the pipeline fails (as ResultsBundle.start reports it)."""

    def start(self, sources) -> None:
        raise engine.RenderError("beregningerne til rapporten kunne ikke laves: ValueError: prøve")

    def write(self, folder) -> None:
        raise AssertionError("a book whose run failed is never written")


@pytest.mark.render
def test_a_books_failing_run_is_that_books_failure(minibook, tmp_path):
    """Site books: one site's pipeline failing stops neither the other books nor the kernels' work on them."""
    import dataclasses

    from ipsreport.book.sites import render_each

    variants = [
        Variant(output_dir=tmp_path / "out" / "a", hooks=minibook_hooks(minibook / "data"),
                cache_dir=tmp_path / "cache", label="Sted A"),
        Variant(output_dir=tmp_path / "out" / "b",
                hooks=dataclasses.replace(minibook_hooks(minibook / "data"), attachment=_FailingRun()),
                cache_dir=tmp_path / "cache", label="Sted B"),
    ]
    done, failed = render_each(variants, minibook, to="html", workers=1)
    assert list(done) == [0] and (done[0].output_dir / "01-tabeller.html").exists()
    assert list(failed) == [1] and "kunne ikke laves" in failed[1]
    assert not (tmp_path / "out" / "b").exists()
