"""The report's computations as one straight line you can run and read.

>>> from ipsreport.pipeline import run
>>> result = run()                          # the twin, or IPSREPORT_DATA
>>> result = run("path/to/export", settings={"min_cell": 5})

Each step is a plain function; its result is handed to the next step
explicitly, and :func:`run` times every step:

1. :func:`validate`  -- read the folder's files and check them against the
   codebook (:func:`ipsreport.validate.validate_dir`); any error stops here,
   with every problem listed (:class:`~ipsreport.validate.DataValidationError`).
2. :func:`load`      -- the typed edition (:func:`ipsreport.edition.edition`):
   settings resolved, checked against the data, the small-number rule decided.
3. :func:`derive`    -- per-person derived variables (the scores and indices
   of :mod:`ipsreport.scoring`) of both surveys, for inspection.
4. :func:`summarise` -- the disclosure-controlled summaries
   (:func:`ipsreport.disclosed.disclosed`), the only summaries an output reads.
5. :func:`model`     -- the Table 9 logistic regression
   (:func:`ipsreport.models.fit_regression`).
6. :func:`outputs`   -- every table, figure and the facts the chapters print.

The steps compose the package's public functions and add no computation of
their own, so a number seen here is the number the report prints. What the
steps do not do (yet): the summaries and outputs derive their own variables
(through :mod:`ipsreport.derived`) from the edition, so
:func:`derive` is a view for the reader, not an input of later steps.
The summaries are computed lazily, the first time an output reads them, so
their cost is counted in the outputs step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ipsreport import api, scoring
from ipsreport.disclosed import Disclosed, disclosed
from ipsreport.edition import Edition, edition
from ipsreport.facts import Facts, facts
from ipsreport.models import RegressionResult, fit_regression
from ipsreport.settings import Settings, get_settings
from ipsreport.validate import DataValidationError, ValidationReport, validate_dir

__all__ = [
    "TABLES",
    "FIGURES",
    "STEPS",
    "Derived",
    "Outputs",
    "PipelineResult",
    "validate",
    "load",
    "derive",
    "summarise",
    "model",
    "outputs",
    "run",
]

#: Every table of the report, by the name chapters call it, in report order.
TABLES: tuple[tuple[str, Callable], ...] = (
    ("tab_duration", api.tab_duration),
    ("tab_background", api.tab_background),
    ("tab_status", api.tab_status),
    ("tab_supports", api.tab_supports),
    ("tab_motivation", api.tab_motivation),
    ("tab_resources", api.tab_resources),
    ("tab_evaluation", api.tab_evaluation),
    ("tab_exit", api.tab_exit),
    ("tab_regression", api.tab_regression),
    ("tab_regression_spec", api.tab_regression_spec),
    ("tab_codebook", api.tab_codebook),
    ("tab_nonresponse", api.tab_nonresponse),
    ("tab_sources", api.tab_sources),
    ("tab_audit_summary", api.tab_audit_summary),
    ("tab_audit", api.tab_audit),
    ("tab_caseload", api.tab_caseload),
    ("tab_fidelity_reviews", api.tab_fidelity_reviews),
)

#: Every figure of the report, by the name chapters call it, in report order.
FIGURES: tuple[tuple[str, Callable], ...] = (
    ("fig_mastery", api.fig_mastery),
    ("fig_loneliness", api.fig_loneliness),
    ("fig_who5", api.fig_who5),
    ("fig_burden", api.fig_burden),
    ("fig_experience", api.fig_experience),
    ("fig_statements", api.fig_statements),
    ("fig_effect", api.fig_effect),
    ("fig_caseload", api.fig_caseload),
)

#: The step names, in the order :func:`run` takes them (keys of ``PipelineResult.seconds``).
STEPS = ("validate", "load", "derive", "summarise", "model", "outputs")


@dataclass(frozen=True)
class Derived:
    """Per-person derived variables of the two surveys.

    Attributes
    ----------
    baseline, followup : DataFrame
        One row per respondent (same index as the survey), columns ``id``,
        ``who5``, ``who5_band``, ``mastery`` and, at follow-up, ``meaning``.
    """

    baseline: pd.DataFrame
    followup: pd.DataFrame


@dataclass
class Outputs:
    """What the chapters show: tables, figures and the facts of the prose.

    Attributes
    ----------
    tables : dict
        Name (as in :data:`TABLES`) -> ``great_tables.GT`` (or the ``ReportTable`` / ``AbsentTable`` a
        table function returns: a table with no data is an ``AbsentTable``).
    figures : dict
        Name (as in :data:`FIGURES`) -> ``matplotlib.figure.Figure``; close
        them (``matplotlib.pyplot.close``) when done.
    facts : Facts
        The numbers and sentences of the prose (:func:`ipsreport.facts.facts`).
    seconds : dict
        Name -> seconds spent building that table, figure or the facts.
    """

    tables: dict[str, Any]
    figures: dict[str, Any]
    facts: Facts
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
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
    outputs : Outputs
    seconds : dict
        Step name (:data:`STEPS`) -> wall seconds.
    """

    validation: ValidationReport
    edition: Edition
    derived: Derived
    disclosed: Disclosed
    model: RegressionResult
    outputs: Outputs
    seconds: dict[str, float]


def _folder(data_dir: str | Path | None, settings: Settings | dict | None) -> Path:
    """The data folder :func:`ipsreport.edition.edition` will read, for the same arguments."""
    if data_dir is not None:
        return Path(data_dir).expanduser().resolve()
    resolved = settings if isinstance(settings, Settings) else get_settings(overrides=settings or None)
    return Path(resolved.data_dir).expanduser().resolve()


def validate(data_dir: str | Path | None = None, settings: Settings | dict | None = None) -> ValidationReport:
    """Step 1: read the data folder and check every file against the codebook.

    Parameters
    ----------
    data_dir : str or Path, optional
        The data folder; defaults to the settings' ``data_dir`` (or
        ``IPSREPORT_DATA``).
    settings : Settings or dict, optional
        Settings, or overrides of the project settings.

    Returns
    -------
    ValidationReport
        A passing report; its ``warnings`` did not stop the run.

    Raises
    ------
    DataValidationError
        When any file breaks a codebook rule; ``.report.format()`` lists all.
    """
    report = validate_dir(_folder(data_dir, settings))
    if not report.ok:
        raise DataValidationError(report)
    return report


def load(report: ValidationReport, data_dir: str | Path | None = None,
         settings: Settings | dict | None = None) -> Edition:
    """Step 2: the typed edition of the folder ``report`` validated.

    Parameters
    ----------
    report : ValidationReport
        The result of :func:`validate`; only a passing report is accepted.
    data_dir, settings
        As given to :func:`validate`.

    Returns
    -------
    Edition
    """
    if not report.ok:
        raise DataValidationError(report)
    return edition(_folder(data_dir, settings), settings, report=report)


def derive(ed: Edition) -> Derived:
    """Step 3: the scores and indices of each respondent (:mod:`ipsreport.scoring`).

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Derived
    """
    frames = {}
    for name in ("baseline", "followup"):
        survey = ed.frame(name)
        who5 = scoring.who5_score(survey)
        columns = {"id": survey["id"], "who5": who5, "who5_band": scoring.who5_band(who5),
                   "mastery": scoring.mastery_index(survey)}
        if name == "followup":
            columns["meaning"] = scoring.meaning_index(survey)
        frames[name] = pd.DataFrame(columns, index=survey.index)
    return Derived(baseline=frames["baseline"], followup=frames["followup"])


def summarise(ed: Edition) -> Disclosed:
    """Step 4: the summaries every output reads, with the small-number rule applied.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Disclosed
        Computes each summary the first time it is read.
    """
    return disclosed(ed)


def model(ed: Edition) -> RegressionResult:
    """Step 5: the Table 9 model, fitted on the edition (true estimates, before disclosure).

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    RegressionResult
    """
    return fit_regression(ed)


def outputs(ed: Edition, summaries: Disclosed) -> Outputs:
    """Step 6: every table and figure of the report, and the facts of its prose.

    Parameters
    ----------
    ed : Edition
    summaries : Disclosed
        The result of :func:`summarise`; the table, figure and fact functions
        read the same object through :func:`ipsreport.disclosed.disclosed`.

    Returns
    -------
    Outputs
    """
    if summaries is not disclosed(ed):
        raise ValueError("the summaries are not those of this edition; pass the result of summarise(ed)")
    seconds: dict[str, float] = {}

    def timed(name: str, build: Callable[[Edition], Any]) -> Any:
        start = time.perf_counter()
        made = build(ed)
        seconds[name] = time.perf_counter() - start
        return made

    tables = {name: timed(name, build) for name, build in TABLES}
    figures = {name: timed(name, build) for name, build in FIGURES}
    made_facts = timed("facts", facts)
    return Outputs(tables=tables, figures=figures, facts=made_facts, seconds=seconds)


def run(data_dir: str | Path | None = None, settings: Settings | dict | None = None) -> PipelineResult:
    """Run every step on one data folder.

    Parameters
    ----------
    data_dir : str or Path, optional
        The data folder; defaults to the settings' ``data_dir`` (or
        ``IPSREPORT_DATA``), i.e. the folder a chapter's ``edition()`` reads.
    settings : Settings or dict, optional
        Settings, or overrides of the project settings (e.g. ``{"min_cell": 5}``).

    Returns
    -------
    PipelineResult

    Raises
    ------
    DataValidationError
        From :func:`validate`, when the data break a codebook rule.
    ipsreport.consistency.DataSettingsError
        From :func:`load`, when the settings contradict the data.
    """
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[step] = now - clock
        clock = now

    report = validate(data_dir, settings)
    lap("validate")
    ed = load(report, data_dir, settings)
    lap("load")
    derived = derive(ed)
    lap("derive")
    summaries = summarise(ed)
    lap("summarise")
    fitted = model(ed)
    lap("model")
    shown = outputs(ed, summaries)
    lap("outputs")
    return PipelineResult(validation=report, edition=ed, derived=derived, disclosed=summaries, model=fitted,
                          outputs=shown, seconds=seconds)
