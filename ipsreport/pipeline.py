"""The report's computations as one straight line you can run and read.

>>> from ipsreport.pipeline import run
>>> results = run()                          # the settings' data_dir (the twin)
>>> results = run("path/to/export", settings={"min_cell": 5})
>>> results.fact("success_pct").text
'60 %'

Each step is a plain function whose result is the next step's input:
:func:`validate` (the codebook's rules; a render hands in the validation it
already made) -> :func:`load` (the typed :class:`~ipsreport.inputs.edition.Edition`,
the small-number rule decided) -> :func:`derive` (every respondent's scores,
the :class:`Derived`) -> :func:`summarise` (the disclosure-controlled
summaries of the edition and those scores,
:func:`ipsreport.analysis.disclosed.layer.disclosed`) -> :func:`model` (Table 9, fitted once
in that layer) -> :func:`compare` (this edition against the previous ones of
``render --previous``, from those summaries and the previous bundles; ``None``
without any) -> :func:`results` (everything the book publishes, the frozen
:class:`~ipsreport.results.Results` a render writes beside the book as
``resultater/``).

:func:`run` returns the :class:`~ipsreport.results.Results`; :func:`trace`
every step's result and time. A render runs :func:`trace` once per book (per
site with ``--by site``) in the command, before any chapter, and saves it
(:mod:`ipsreport.results.saved`); the chapters read that saved run
(``ips.results``) and draw every table, figure and number from it; the
edition comparison's tables, figure and sentences format the run's
``comparison`` (``ips.tab_edition_change(r.comparison)``) and compute nothing.
:func:`ipsreport.explore.explore` adds the tables and figures as the chapters
draw them, for the notebooks and benchmarks. The steps compose the
package's public functions and add no computation of their own.

:func:`derive` is where the report scores its respondents (WHO-5, its band,
mastery, meaning), once per edition
(:func:`ipsreport.analysis.scoring.edition_scores`); :func:`summarise` hands
that :class:`Derived` to the summaries (chapter 6's paired scores and bands,
Bilag 6's non-response, Table 9, the audit), which read the scores from it
and score nothing themselves. The chapters' summaries
(:func:`~ipsreport.analysis.disclosed.layer.disclosed` of the edition) are
made from the same object, so a book's scores are computed once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ipsreport.analysis.disclosed.layer import Disclosed, disclosed
from ipsreport.analysis.scoring import Derived, edition_scores
from ipsreport.inputs.edition import Edition, edition
from ipsreport.outputs.facts import Facts, facts
from ipsreport.outputs.items import FIGURES, TABLES
from ipsreport.analysis.models import RegressionResult
from ipsreport.results.editions.compare import Comparison
from ipsreport.results import Results
from ipsreport.config.settings import Settings, get_settings
from ipsreport.inputs.validate import DataValidationError, ValidationReport, validate_dir

__all__ = [
    "TABLES",
    "FIGURES",
    "STEPS",
    "Derived",
    "PipelineResult",
    "validate",
    "load",
    "derive",
    "summarise",
    "model",
    "compare",
    "results",
    "run",
    "trace",
]

#: The step names, in the order :func:`trace` takes them (keys of ``PipelineResult.seconds``).
STEPS = ("validate", "load", "derive", "summarise", "model", "compare", "results")


@dataclass(frozen=True)
class PipelineResult:
    """Everything one run of the pipeline produced, step by step.

    Attributes
    ----------
    validation : ValidationReport
        The folder's validation (``.warnings`` lists what did not stop it).
    edition : Edition
    derived : Derived
    disclosed : Disclosed
    model : RegressionResult
        Table 9 as released (its terms empty when the rule withholds it).
    comparison : Comparison or None
        This edition against the previous ones (:func:`compare`); ``None`` without ``--previous``.
    facts : Facts
        The numbers and sentences of the prose, those the chapters print computed.
    results : Results
        What the book publishes (:mod:`ipsreport.results`).
    seconds : dict
        Step name (:data:`STEPS`, then ``outputs`` from :func:`ipsreport.explore.explore`) -> wall seconds.
    outputs : Outputs or None
        The tables and figures, from :func:`ipsreport.explore.explore` only.
    """

    validation: ValidationReport
    edition: Edition
    derived: Derived
    disclosed: Disclosed
    model: RegressionResult
    comparison: Comparison | None
    facts: Facts
    results: Results
    seconds: dict[str, float]
    outputs: Any = None  # ipsreport.explore.Outputs (that module builds on this one)


def _folder(data_dir: str | Path | None, settings: Settings | dict | None) -> Path:
    """The data folder :func:`ipsreport.inputs.edition.edition` will read, for the same arguments."""
    if data_dir is not None:
        return Path(data_dir).expanduser().resolve()
    resolved = settings if isinstance(settings, Settings) else get_settings(overrides=settings or None)
    return Path(resolved.data_dir).expanduser().resolve()


def validate(data_dir: str | Path | None = None, settings: Settings | dict | None = None,
             report: ValidationReport | None = None) -> ValidationReport:
    """Step 1: read the data folder and check every file against the codebook.

    Parameters
    ----------
    data_dir : str or Path, optional
        The data folder; defaults to the settings' ``data_dir``.
    settings : Settings or dict, optional
        Settings, or overrides of the project settings.
    report : ValidationReport, optional
        A validation of this folder already made (a render validates before
        anything else, :func:`ipsreport.inputs.verdicts.validate_shared`): taken as
        it is instead of validating again.

    Returns
    -------
    ValidationReport
        A passing report; its ``warnings`` did not stop the run.

    Raises
    ------
    DataValidationError
        When any file breaks a codebook rule; ``.report.format()`` lists all.
    """
    if report is None:
        report = validate_dir(_folder(data_dir, settings))
    if not report.ok:
        raise DataValidationError(report)
    return report


def load(report: ValidationReport, data_dir: str | Path | None = None,
         settings: Settings | dict | None = None) -> Edition:
    """Step 2: the typed :class:`Edition` of the folder ``report`` (a passing :func:`validate`) validated."""
    if not report.ok:
        raise DataValidationError(report)
    return edition(_folder(data_dir, settings), settings, report=report)


def derive(ed: Edition) -> Derived:
    """Step 3: the scores and indices of each respondent, scored once per edition.

    Returns
    -------
    Derived
        :func:`ipsreport.analysis.scoring.edition_scores` of ``ed``: the same
        object on every call for this edition, the one the edition's
        summaries (:func:`ipsreport.analysis.disclosed.layer.disclosed`) read.
    """
    return edition_scores(ed)


def summarise(ed: Edition, derived: Derived) -> Disclosed:
    """Step 4: the summaries every output reads, small-number rule applied, all computed here.

    Parameters
    ----------
    ed : Edition
    derived : Derived
        The result of :func:`derive`: every summary that needs a score reads it here.

    Returns
    -------
    Disclosed
        ``disclosed(ed, derived)``: for the result of :func:`derive`, the
        edition's summaries, those the chapters read. Every frame the book
        publishes is computed now (:meth:`~ipsreport.analysis.disclosed.layer.Disclosed.frames`),
        so a chapter reading the saved run computes none of them.
    """
    summaries = disclosed(ed, derived)
    summaries.frames()
    return summaries


def model(summaries: Disclosed) -> RegressionResult:
    """Step 5: Table 9 as the disclosure layer releases it (fitted once, in ``summaries``).

    Parameters
    ----------
    summaries : Disclosed
        The result of :func:`summarise`.

    Returns
    -------
    RegressionResult
        The fit; its terms hold no estimates when an outcome group is below
        the rule (``summaries.regression.withheld``).
    """
    return summaries.regression.result


def compare(ed: Edition, summaries: Disclosed) -> Comparison | None:
    """Step 6: this edition against the previous editions its settings name (``render --previous``), once.

    Parameters
    ----------
    ed : Edition
        Its settings ``previous`` and ``previous_data`` name the earlier
        editions (the command checked them,
        :func:`ipsreport.results.editions.locate.previous_for_render`).
    summaries : Disclosed
        The result of :func:`summarise`: this edition's side is read from it
        as its bundle publishes it (:func:`ipsreport.results.editions.record.current_record`).

    Returns
    -------
    Comparison or None
        :func:`ipsreport.results.editions.compare.compare_editions` of the
        previous editions' bundles and this edition; ``None`` without a
        previous edition. The book's tables, figure and sentences on the
        comparison, and the bundle, read this object.
    """
    from ipsreport.results.editions.compare import compare_editions, overlap, read_records
    from ipsreport.results.editions.locate import previous_of
    from ipsreport.results.editions.record import current_record

    previous = previous_of(ed.settings)
    if previous is None:
        return None
    records = read_records(previous)
    shared, checked = overlap(ed, previous, records[-1])
    return compare_editions(records, current_record(ed, summaries, facts(ed)), shared, checked,
                            float(ed.settings.alpha))


def results(ed: Edition, summaries: Disclosed, report: ValidationReport,
            chapters: Iterable[str | Path] | None = None, comparison: Comparison | None = None) -> Results:
    """Step 7: everything the book publishes from this edition (:mod:`ipsreport.results`).

    Parameters
    ----------
    ed : Edition
    summaries : Disclosed
        The result of :func:`summarise`; :func:`model` has read its Table 9.
    report : ValidationReport
        The result of :func:`validate`.
    chapters : iterable of path, optional
        The book's chapter sources (default: the project's,
        :func:`ipsreport.results.build.book_chapters`); the facts they print
        are published.
    comparison : Comparison, optional
        The result of :func:`compare`: published as the tables
        ``tbl-edition-change`` and ``tbl-edition-series``
        (:func:`ipsreport.results.editions.published.with_comparison`).

    Returns
    -------
    Results
    """
    from ipsreport.results.build import book_chapters, build_results

    if summaries is not disclosed(ed):
        raise ValueError("the summaries are not those of this edition; pass the result of summarise(ed, derive(ed))")
    files = [Path(p) for p in chapters] if chapters is not None else book_chapters()
    published = build_results(ed, summaries, facts(ed), report, files)
    if comparison is None:
        return published
    from ipsreport.results.editions.published import with_comparison

    return with_comparison(published, comparison)


def trace(data_dir: str | Path | None = None, settings: Settings | dict | None = None, *,
          report: ValidationReport | None = None, chapters: Iterable[str | Path] | None = None) -> PipelineResult:
    """Run every step on one data folder and keep each step's result and time.

    Parameters
    ----------
    data_dir : str or Path, optional
        The data folder; defaults to the settings' ``data_dir``.
    settings : Settings or dict, optional
        Settings, or overrides of the project settings (e.g. ``{"min_cell": 5}``).
    report : ValidationReport, optional
        This folder's validation when already made (see :func:`validate`).
    chapters : iterable of path, optional
        The book's chapter sources (see :func:`results`).

    Returns
    -------
    PipelineResult

    Raises
    ------
    DataValidationError
        From :func:`validate`, when the data break a codebook rule.
    ipsreport.inputs.consistency.DataSettingsError
        From :func:`load`, when the settings contradict the data.
    ipsreport.results.editions.locate.PreviousError
        From :func:`compare`, when a previous edition the settings name cannot be read.
    ipsreport.results.build.DisclosureBreach
        From :func:`results`, when a count below the rule would be published.
    """
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[step] = now - clock
        clock = now

    checked = validate(data_dir, settings, report)
    lap("validate")
    ed = load(checked, data_dir, settings)
    lap("load")
    derived = derive(ed)
    lap("derive")
    summaries = summarise(ed, derived)
    lap("summarise")
    fitted = model(summaries)
    lap("model")
    compared = compare(ed, summaries)
    lap("compare")
    published = results(ed, summaries, checked, chapters, compared)
    lap("results")
    return PipelineResult(validation=checked, edition=ed, derived=derived, disclosed=summaries, model=fitted,
                          comparison=compared, facts=facts(ed), results=published, seconds=seconds)


def run(data_dir: str | Path | None = None, settings: Settings | dict | None = None, *,
        report: ValidationReport | None = None, chapters: Iterable[str | Path] | None = None) -> Results:
    """Run the pipeline on one data folder: what the book publishes, as a frozen :class:`Results`.

    Parameters and exceptions as for :func:`trace`; write the result with
    :func:`ipsreport.results.write_bundle`.

    Returns
    -------
    Results
    """
    return trace(data_dir, settings, report=report, chapters=chapters).results
