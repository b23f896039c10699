"""Names are compared as a reader reads them (issue 17).

* Two spellings of one name in a ``string`` column of the codebook (a site,
  a consultant) — NFC and NFD Unicode forms of "Århus", "Jobcenter" and
  "JOBCENTER" — are one name when loading: every table, the per-site split
  and the references between files see one spelling (the most used one, in
  NFC), and a Danish warning names both spellings;
* a site name too long for a file name gets a shortened, unique folder name;
* one site's failure never stops the others (:func:`ipsreport.book.sites.render_each`).
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minibook_hooks import minibook_hooks

from ipsreport.inputs.load.names import name_key
from ipsreport.paths import FIXTURES_DIR, PROJECT_DIR, SYNTHETIC_DIR
from ipsreport.book.sites import MAX_SLUG, slugify, split_by_site, unique_slugs
from ipsreport.inputs.validate import validate_dir

NFC = unicodedata.normalize("NFC", "Århus")
NFD = unicodedata.normalize("NFD", "Århus")
EXAMPLE_DIR = PROJECT_DIR / "data" / "examples" / "fidelity"


def folder_with_sites(tmp_path: Path, sites: dict[int, str], source: Path = SYNTHETIC_DIR,
                      fidelity_sites: dict[int, str] | None = None) -> Path:
    """A copy of ``source`` whose registry rows (0-based) get the given ``site`` values."""
    folder = tmp_path / "data"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("manifest.yml"))
    registry = pd.read_csv(folder / "registry.csv", dtype=str, keep_default_na=False)
    for i, site in sites.items():
        registry.loc[i, "site"] = site
    registry.to_csv(folder / "registry.csv", index=False, lineterminator="\n")
    if fidelity_sites:
        reviews = pd.read_csv(folder / "fidelity.csv", dtype=str, keep_default_na=False)
        for i, site in fidelity_sites.items():
            reviews.loc[i, "site"] = site
        reviews.to_csv(folder / "fidelity.csv", index=False, lineterminator="\n")
    return folder


def spellings() -> dict[int, str]:
    # The twin's sites are "Jobcenter" (16 rows) and "Ungeenheden" (50).
    registry = pd.read_csv(SYNTHETIC_DIR / "registry.csv", dtype=str)
    jobcenter = list(registry.index[registry["site"] == "Jobcenter"])
    others = list(registry.index[registry["site"] == "Ungeenheden"])
    return {jobcenter[0]: "JOBCENTER", others[0]: NFC, others[1]: NFC, others[2]: NFD}


# --- one name, one spelling ---------------------------------------------------------------


@given(st.text(max_size=12))
def test_a_name_key_ignores_case_and_unicode_form(text):
    assert name_key(text) == name_key(unicodedata.normalize("NFD", text)) == name_key(text.casefold())
    assert name_key(f"  {text} ") == name_key(text)


def test_two_spellings_are_one_site_with_a_warning_naming_both(tmp_path):
    report = validate_dir(folder_with_sites(tmp_path, spellings()))
    assert report.ok, report.format()
    sites = report.frames["registry"]["site"]
    assert sorted(sites.unique()) == sorted(["Jobcenter", NFC, "Ungeenheden"])
    assert (sites == "Jobcenter").sum() == 16
    assert (sites == NFC).sum() == 3 and not (sites == NFD).any()
    warnings = [w for w in report.warnings if w.rule == "samme_navn"]
    assert len(warnings) == 2, [w.message for w in warnings]
    jobcenter = next(w for w in warnings if "JOBCENTER" in w.message)
    assert "»Jobcenter« (15 rækker)" in jobcenter.message and "»JOBCENTER« (1 række" in jobcenter.message
    assert jobcenter.file == "registry.csv" and jobcenter.column == "site"
    assert "rapporten bruger »Jobcenter«" in jobcenter.message
    aarhus = next(w for w in warnings if NFD in w.message)
    assert f"»{NFC}« (2 rækker)" in aarhus.message and "NFD" in aarhus.message


@pytest.mark.twin
def test_a_single_spelling_gives_no_warning(tmp_path):
    report = validate_dir(SYNTHETIC_DIR)
    assert not [w for w in report.warnings if w.rule == "samme_navn"]


def test_a_review_spelling_its_site_otherwise_is_the_same_site(tmp_path):
    folder = folder_with_sites(tmp_path, {}, EXAMPLE_DIR, fidelity_sites={0: "JOBCENTER"})
    report = validate_dir(folder)
    assert report.ok, report.format()  # no "references" error: the review's site is a registry site
    assert "JOBCENTER" not in set(report.frames["fidelity"]["site"])
    warning = next(w for w in report.warnings if w.rule == "samme_navn")
    assert "fidelity.csv" in warning.message and "»JOBCENTER«" in warning.message


def test_the_split_makes_one_book_per_site_not_per_spelling(tmp_path):
    sites = split_by_site(folder_with_sites(tmp_path, spellings()), tmp_path / "split")
    assert [s.site for s in sites] == sorted(["Jobcenter", NFC, "Ungeenheden"])
    assert {s.site: s.counts["registry"] for s in sites} == {"Jobcenter": 16, NFC: 3, "Ungeenheden": 47}
    part = pd.read_csv(next(s for s in sites if s.site == NFC).data_dir / "registry.csv", dtype=str)
    assert set(part["site"]) == {NFC}  # one spelling in the site's own book too


# --- folder names -----------------------------------------------------------------------


def test_a_long_name_gets_a_short_unique_folder():
    long_a, long_b = "Jobcenter " + "a" * 290, "Jobcenter " + "a" * 289 + "b"
    slugs = unique_slugs([long_a, long_b, "Jobcenter Århus Syd"])
    assert all(len(s) <= MAX_SLUG for s in slugs.values())
    assert len(set(slugs.values())) == 3
    assert slugs["Jobcenter Århus Syd"] == "jobcenter-aarhus-syd"
    assert slugs[long_a].startswith("jobcenter-aaaa")
    assert slugify(long_a) == slugs[long_a]  # the same name always gets the same folder


def test_a_300_character_site_splits(tmp_path):
    name = "Jobcenter " + "x" * 290
    sites = split_by_site(folder_with_sites(tmp_path, {0: name}), tmp_path / "split")
    long = next(s for s in sites if s.site == name)
    assert long.data_dir.is_dir() and len(long.data_dir.name) <= MAX_SLUG


# --- one site's failure -----------------------------------------------------------------


@pytest.mark.render
def test_one_failing_book_never_stops_the_others(tmp_path):
    from ipsreport.render.hooks import Variant
    from ipsreport.book.sites import render_each

    root = tmp_path / "bog"
    shutil.copytree(FIXTURES_DIR / "minibook", root, ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    broken = tmp_path / "tom"
    broken.mkdir()  # no numbers.csv: the first chapter's cell fails for this book only
    data = {"a": root / "data", "b": broken, "c": root / "data"}
    variants = [Variant(output_dir=tmp_path / "ud" / k, hooks=minibook_hooks(d), cache_dir=tmp_path / f"c{k}",
                        label=f"sted {k}") for k, d in data.items()]
    results, failures = render_each(variants, root, to="html", workers=1)
    assert sorted(results) == [0, 2] and list(failures) == [1]
    assert "sted b" in failures[1] and "numbers.csv" in failures[1]
    assert (tmp_path / "ud" / "a" / "index.html").is_file() and (tmp_path / "ud" / "c" / "index.html").is_file()
    assert not (tmp_path / "ud" / "b").exists()


def test_sites_failed_names_each_site_and_the_exit_code_is_documented():
    from ipsreport import cli
    from ipsreport.book.sites import SitesFailed

    exc = SitesFailed({"Jobcenter": None}, {"Ungeenheden": "Cell failed in report/03.qmd"})
    assert "1 af 2 steders rapporter" in str(exc) and "(Jobcenter)" in str(exc)
    assert "- Ungeenheden: Cell failed in report/03.qmd" in str(exc)
    assert cli.EXIT_SITES == 6 and "\n6  " in cli.__doc__
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert "| 6 | `render --by site`" in readme
