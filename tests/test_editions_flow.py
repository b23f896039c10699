"""The edition comparison is a step of the pipeline: computed once, held by the run, read by every output.

A previous edition with known numbers (the twin's bundle with its success
share changed by hand to 20 of 40) goes into the pipeline; the run holds the
comparison, and the table, the sentences, the saved run and the bundle all
show exactly that record, none of them computing it again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from ipsreport import pipeline
from ipsreport.outputs.tables.absent import AbsentTable
from ipsreport.paths import PROJECT_DIR
from ipsreport.results import read_bundle, write_bundle
from ipsreport.results.editions.compare import Comparison
from next_edition import SETTINGS_2026, write_2026  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.twin

#: The success share the previous edition is made to have published: 20 of 40 finished.
KNOWN = {"value": 50.0, "n": 20, "base": 40, "text": "50 %"}


@pytest.fixture(scope="module")
def known_previous(tmp_path_factory) -> Path:
    """The twin's bundle as the 2025 edition, its success share replaced by :data:`KNOWN`."""
    twin = pipeline.run()
    facts = tuple(r.model_copy(update=KNOWN) if r.key == "success_pct" else r for r in twin.facts)
    folder = tmp_path_factory.mktemp("editions") / "2025"
    write_bundle(twin.model_copy(update={"facts": facts}), folder)
    return folder / "resultater"


@pytest.fixture(scope="module")
def run_2026(known_previous, tmp_path_factory) -> pipeline.PipelineResult:
    data = write_2026(tmp_path_factory.mktemp("data") / "2026")
    return pipeline.trace(data, SETTINGS_2026 | {"previous": str(known_previous), "previous_data": str(data)})


def test_compare_is_the_step_between_the_model_and_the_results():
    assert pipeline.STEPS == ("validate", "load", "derive", "summarise", "model", "compare", "results")


def test_the_run_holds_the_comparison_with_the_record_it_was_handed(run_2026):
    comp = run_2026.comparison
    assert isinstance(comp, Comparison) and list(run_2026.seconds) == list(pipeline.STEPS)
    change = comp.change.set_index("indicator")
    assert change.loc["success", "previous"] == KNOWN["value"]
    assert change.loc["success", "current"] == pytest.approx(100 * 36 / 43)
    assert (comp.previous_year, comp.current_year) == (2025, 2026)
    # The 2026 cohort's own data folder as the previous data: every person is in both editions.
    assert comp.shared == 66 and comp.shared_checked
    assert comp.series is None  # one previous edition: no series over the editions


def test_the_table_and_the_text_show_exactly_the_runs_comparison(run_2026):
    from ipsreport.api import edition_change_section, edition_change_text, tab_edition_change

    comp = run_2026.comparison
    table = tab_edition_change(comp)
    data = table.data.set_index("label")
    row = data.loc["Afsluttet til job, fleksjob eller uddannelse (%)"]
    assert row["previous"] == KNOWN["value"] and row["current"] == comp.change.set_index("indicator").loc[
        "success", "current"]
    assert ">50 %<" in table.as_raw_html()
    assert list(table.data["diff"]) == list(comp.change["diff"])
    assert edition_change_text(comp, "success") == (
        "Andelen af de afsluttede, der gik videre til job, fleksjob eller uddannelse, var 50 % i udgaven fra 2025 "
        "og er 84 % i denne udgave. Forskellene er ikke testet, fordi de to udgaver deler personer.")
    assert edition_change_section(comp).startswith("## Udvikling siden sidste udgave")


def test_the_bundle_publishes_the_runs_comparison(run_2026, tmp_path):
    published = run_2026.results.dataset("tbl-edition-change").frame("edition_change").to_pandas()
    assert list(published["indicator"]) == list(run_2026.comparison.change["indicator"])
    success = published.set_index("indicator").loc["success"]
    assert success["previous"] == KNOWN["value"] and success["shared"] == 66 and bool(success["shared_checked"])
    write_bundle(run_2026.results, tmp_path / "book")
    assert read_bundle(tmp_path / "book") == run_2026.results


def test_a_chapter_reading_the_saved_run_gets_the_pipelines_comparison(run_2026, tmp_path):
    import ipsreport.api as ips
    from ipsreport.results.saved import run_place, save_run

    place = run_place(tmp_path, "edition-flow")
    save_run(run_2026, place)
    r = ips.results(str(place))
    pd.testing.assert_frame_equal(r.comparison.change, run_2026.comparison.change)
    # The readers are functions of that object only: the same object, the same table.
    assert ips.tab_edition_change(r.comparison).data.equals(ips.tab_edition_change(run_2026.comparison).data)


def test_the_renders_run_holds_the_comparison_its_chapters_and_bundle_read(known_previous, tmp_path):
    """The book's run (``ResultsBundle``, what ``ips.results()`` reads) is made once; its bundle is cut from it."""
    from ipsreport.book.hooks import book_hooks, resolve_settings
    from ipsreport.results.build import book_chapters

    data = write_2026(tmp_path / "data")
    settings = resolve_settings(data, SETTINGS_2026 | {"previous": str(known_previous)})
    hooks = book_hooks(data, None, cache_dir=tmp_path / "cache", settings=settings)
    hooks.attachment.start(book_chapters())
    run = hooks.attachment.prepare()
    assert isinstance(run.comparison, Comparison) and hooks.attachment.prepare().comparison is run.comparison
    hooks.attachment.write(tmp_path / "book")
    rows = read_bundle(tmp_path / "book").dataset("tbl-edition-change").frame().to_pandas()
    assert list(rows["previous"]) == list(run.comparison.change["previous"])
    assert rows.set_index("indicator").loc["success", "previous"] == KNOWN["value"]


def test_without_a_previous_edition_the_run_holds_none_and_nothing_is_printed():
    from ipsreport.api import edition_change_section, edition_change_text, fig_edition_series, tab_edition_change

    run = pipeline.trace()
    assert run.comparison is None
    assert isinstance(tab_edition_change(run.comparison), AbsentTable)
    assert isinstance(fig_edition_series(run.comparison), AbsentTable)
    assert edition_change_section(run.comparison) == "" and edition_change_text(run.comparison, "success") == ""
    assert "tbl-edition-change" not in {d.label for d in run.results.tables}


def _calls(name: str) -> set[str]:
    """The package's modules that call ``name(`` (its definition aside)."""
    found = set()
    for path in (PROJECT_DIR / "ipsreport").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(rf"(?<!def )\b{name}\(", text):
            found.add(path.relative_to(PROJECT_DIR).as_posix())
    return found


def test_only_the_pipeline_computes_the_comparison():
    # The compute function is called by the pipeline's compare step alone ...
    assert _calls("compare_editions") == {"ipsreport/pipeline.py"}
    # ... and it is the only caller of the numbers, so no table, text or bundle computes them again.
    assert _calls("summarise_edition_change") == {"ipsreport/results/editions/compare.py"}
    assert _calls("summarise_edition_series") == {"ipsreport/results/editions/compare.py"}
    # The previous editions are found from the settings once, by the step (the command checks them before).
    assert _calls("previous_of") == {"ipsreport/pipeline.py"}


def test_every_chapter_hands_the_outputs_the_runs_comparison():
    chapters = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_DIR / "report").glob("*.qmd"))
    calls = re.findall(r"ips\.(tab_edition_\w+|fig_edition_\w+|edition_change_\w+)\(([^,)]*)", chapters)
    assert len(calls) >= 10
    assert {argument for _, argument in calls} == {"r.comparison"}
