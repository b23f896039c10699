"""The pipeline (:mod:`ipsreport.pipeline`) on the twin and on a sampled cohort.

Each step's result has the type the next step expects, and the twin's run
gives the numbers the 2025 edition published (``published`` fixture).
``run`` returns the frozen :class:`~ipsreport.results.Results`; ``explore``
adds the tables and figures (the bundle itself: ``test_results_bundle.py``).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from great_tables import GT
from matplotlib.figure import Figure

from ipsreport import explore, pipeline
from ipsreport.outputs import figures, tables
from ipsreport.outputs.figures import fidelity as figures_fidelity
from ipsreport.outputs.tables import fidelity as tables_fidelity
from ipsreport.analysis.disclosed.layer import Disclosed, disclosed
from ipsreport.inputs.edition import Edition
from ipsreport.outputs.facts import Facts
from ipsreport.analysis.models import RegressionResult
from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.outputs.tables.absent import AbsentTable
from ipsreport.results import Results
from ipsreport.outputs.tables.download import ReportTable
from ipsreport.inputs.validate import DataValidationError, ValidationReport


def _close(result: pipeline.PipelineResult) -> None:
    import matplotlib.pyplot as plt

    for fig in result.outputs.figures.values():
        plt.close(fig)


@pytest.fixture(scope="module")
def twin() -> pipeline.PipelineResult:
    result = explore.explore(SYNTHETIC_DIR)
    yield result
    _close(result)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> pipeline.PipelineResult:
    from ipsreport.synth.sample import write_cohort

    folder = write_cohort(tmp_path_factory.mktemp("cohort"), n=150, sites=2, seed=3)
    result = explore.explore(folder)
    yield result
    _close(result)


def _within(value: float, entry: dict) -> bool:
    """Within the published tolerance, or the distance the twin was built to (``twin_tolerance``)."""
    return abs(value - entry["value"]) <= max(entry["tolerance"], entry.get("twin_tolerance", 0)) + 1e-9


# --------------------------------------------------------------------------- the steps


def test_every_table_and_figure_of_the_package_is_an_output():
    names = {name for name, _ in (*pipeline.TABLES, *pipeline.FIGURES)}
    public = {n for module in (tables, tables_fidelity, figures, figures_fidelity)
              for n in module.__all__ if n.startswith(("tab_", "fig_"))}
    assert names == public
    assert len(names) == len(pipeline.TABLES) + len(pipeline.FIGURES)
    from ipsreport import api

    for name, label in (*pipeline.TABLES, *pipeline.FIGURES):  # the one name chain of docs/CONTRACT.md
        assert callable(getattr(api, name)), name
        assert label == name.replace("tab_", "tbl-").replace("fig_", "fig-").replace("_", "-")


def test_the_one_list_of_tables_and_figures_is_the_books():
    """ipsreport.outputs.items lists exactly the book's table and figure cells, each once; the other lists derive from it."""
    import re

    from ipsreport import api
    from ipsreport.outputs import items
    from ipsreport.paths import PROJECT_DIR
    from ipsreport.render.config import load_project

    project = load_project(PROJECT_DIR)
    chapters = project.files
    labels = [m for path in chapters for m in re.findall(r"^#\| label: ((?:tbl|fig)-[\w-]+)\s*$",
                                                          path.read_text(encoding="utf-8"), re.M)]
    labels = [label for label in labels if not label.startswith("fig-case-")]  # one per case file (ipsreport.outputs.cases)
    assert len(labels) == len(set(labels))
    tables_listed = (*items.TABLES, *items.EDITION_TABLES)
    figures_listed = (*items.FIGURES, *items.EDITION_FIGURES)
    assert sorted(label for label in labels if label.startswith("tbl-")) == sorted(label for _, label in tables_listed)
    assert sorted(label for label in labels if label.startswith("fig-")) == sorted(label for _, label in figures_listed)
    assert (pipeline.TABLES, pipeline.FIGURES) == (items.TABLES, items.FIGURES)
    assert [name for name in api.__all__ if name.startswith(("tab_", "fig_")) and name != "fig_case_timeline"] == [
        name for name, _ in (*items.TABLES, *items.FIGURES, *items.EDITION_TABLES, *items.EDITION_FIGURES)]
    assert tables.__all__ == [name for name, _ in items.TABLES if name not in tables_fidelity.__all__]


@pytest.mark.twin
def test_run_returns_the_frozen_results(tmp_path):
    import pydantic

    results = pipeline.run(SYNTHETIC_DIR)
    assert isinstance(results, Results) and results.fact("registry_n").text == "66"
    with pytest.raises(pydantic.ValidationError):
        results.edition = None  # frozen


@pytest.mark.twin
def test_invalid_data_stop_at_validate(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(SYNTHETIC_DIR, folder)
    registry = pd.read_csv(folder / "registry.csv", dtype=str)
    registry.loc[3, "exit_status"] = "9"  # not a code of the codebook
    registry.to_csv(folder / "registry.csv", index=False)
    with pytest.raises(DataValidationError) as caught:
        pipeline.run(folder)
    assert "exit_status" in caught.value.report.format()


# --------------------------------------------------------------------------- the twin


def test_a_validation_handed_in_is_not_made_again_but_must_pass():
    from ipsreport.inputs.datafiles import Violation

    broken = Violation("registry.csv", 3, "exit_status", "9", "tilladte_værdier", "kode 9 findes ikke")
    with pytest.raises(DataValidationError, match="kode 9 findes ikke"):
        pipeline.validate(SYNTHETIC_DIR, report=ValidationReport(errors=[broken]))
    passed = ValidationReport()
    assert pipeline.validate("/no/such/folder", report=passed) is passed  # not read again


@pytest.mark.twin
def test_each_step_hands_on_its_result(twin):
    assert list(twin.seconds) == [*pipeline.STEPS, "outputs"]
    assert all(s >= 0 for s in twin.seconds.values())
    assert isinstance(twin.validation, ValidationReport) and twin.validation.ok
    assert isinstance(twin.edition, Edition) and twin.edition.data_dir == SYNTHETIC_DIR.resolve()
    assert isinstance(twin.derived, pipeline.Derived)
    # derive's result is summarise's input: the summaries read that one object, the edition's scores.
    assert twin.disclosed.derived is twin.derived is pipeline.derive(twin.edition)
    assert isinstance(twin.disclosed, Disclosed) and twin.disclosed is disclosed(twin.edition)
    # Table 9 is fitted once: the model step is the disclosure layer's fit, which the table draws.
    assert isinstance(twin.model, RegressionResult) and twin.model is twin.disclosed.regression.result
    assert isinstance(twin.results, Results) and twin.results.model.n == twin.model.n
    out = twin.outputs
    assert [n for n, _ in pipeline.TABLES] == list(out.tables)
    assert [n for n, _ in pipeline.FIGURES] == list(out.figures)
    # Tables 1-9 and the fidelity tables carry their numbers for download (a GT inside).
    assert all(isinstance(t, (GT, ReportTable, AbsentTable)) for t in out.tables.values())
    assert all(isinstance(f, Figure) for f in out.figures.values())
    assert isinstance(out.facts, Facts)
    assert set(out.seconds) == {*out.tables, *out.figures, "facts"}


@pytest.mark.twin
def test_twin_edition_and_facts_match_the_publication(twin, published):
    ed = twin.edition
    assert ed.twin and ed.settings.min_cell == 0
    for name in ("registry", "baseline", "followup"):
        assert len(ed.frame(name)) == published[f"{name}.n"]["value"]
    f = twin.outputs.facts
    assert str(f.registry_n) == published["registry.n"]["printed"] == "66"
    assert str(f.baseline_n) == published["baseline.n"]["printed"]
    assert str(f.followup_n) == published["followup.n"]["printed"]


@pytest.mark.twin
def test_twin_derived_scores_give_the_published_means(twin, published):
    d = twin.derived
    assert d.baseline.index.equals(twin.edition.baseline.index)
    assert d.followup.index.equals(twin.edition.followup.index)
    for score in ("who5", "mastery"):
        pairs = d.baseline[["id", score]].merge(d.followup[["id", score]], on="id", suffixes=("_start", "_end"))
        pairs = pairs.dropna()
        assert len(pairs) == published[f"paired.{score}.n"]["value"]
        assert _within(float(pairs[f"{score}_start"].mean()), published[f"paired.{score}.mean_start"])
        assert _within(float(pairs[f"{score}_end"].mean()), published[f"paired.{score}.mean_end"])


@pytest.mark.twin
def test_twin_model_is_table_9(twin, published):
    m = twin.model
    assert m.n == published["regression.n"]["value"]
    terms = m.terms.set_index("term")
    checked = 0
    for key, entry in published.items():
        parts = key.split(".")
        if parts[0] == "regression" and len(parts) == 3 and parts[2] in ("ci_low", "ci_high", "p"):
            assert _within(float(terms.loc[parts[1], parts[2]]), entry), key
            checked += 1
    assert checked >= 10


# --------------------------------------------------------------------------- a sampled cohort


@pytest.mark.twin
def test_sampled_cohort_runs_under_the_small_number_rule(cohort):
    ed = cohort.edition
    assert not ed.twin and ed.settings.min_cell > 0  # a generated cohort is not the verified twin
    assert len(ed.registry) == 150
    assert cohort.disclosed.min_cell == ed.settings.min_cell
    assert len(cohort.derived.followup) == len(ed.followup)
    # Table 9 is fitted on finished follow-up respondents only.
    assert 0 < cohort.model.n <= len(ed.followup)
    assert list(cohort.seconds) == [*pipeline.STEPS, "outputs"]
    assert cohort.results.edition.min_cell == ed.settings.min_cell
    assert cohort.results.fact("registry_n").text == "150"
    assert all(isinstance(t, (GT, ReportTable, AbsentTable)) for t in cohort.outputs.tables.values())
    assert all(isinstance(f, Figure) for f in cohort.outputs.figures.values())
    assert str(cohort.outputs.facts.registry_n) == "150"


@pytest.mark.twin
def test_absent_labels_name_the_cells_that_show_nothing(ed):
    """What Quarto's numbering leaves out (ipsreport.book.absent.absent_labels, via freeze_key.py) is what prints nothing."""
    from ipsreport.book.absent import absent_labels
    from ipsreport.inputs.edition import edition
    from ipsreport.paths import PROJECT_DIR

    # The twin has no fidelity reviews, and a render without --previous has no earlier edition (the run's
    # comparison is None).
    assert absent_labels(ed, None) == ["tbl-fidelity-reviews", "tbl-edition-change", "tbl-edition-series",
                                       "fig-edition-series"]
    with_reviews = edition(PROJECT_DIR / "data" / "examples" / "fidelity")
    assert "tbl-fidelity-reviews" not in absent_labels(with_reviews)
