"""One edition's key indicators, read the same way from a results bundle and from the edition being rendered.

A previous edition exists only as its results bundle (``resultater/``); the
edition being rendered exists as data in the chapter's kernel. Both are
turned into an :class:`EditionRecord` holding the few facts and datasets the
comparison reads, built by the same functions that write the bundle
(:func:`ipsreport.results.build.fact_records`, :func:`~ipsreport.results.build.datasets`),
so the two sides of a comparison can never be computed in two ways.
:func:`edition_indicators` then reads every key indicator from a record.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Mapping

import pandas as pd

from ipsreport.results.schema import Dataset, FactRecord, Results, Suppression

__all__ = ["IndicatorKind", "Indicator", "INDICATORS", "EditionRecord", "edition_indicators", "current_record",
           "shared_persons", "possibly_shared", "registry_ids"]


class IndicatorKind(str, Enum):
    """How an indicator is compared."""

    #: A count of the whole cohort (no sample, so no interval): the difference is exact.
    COUNT = "count"
    #: A share of a base (Newcombe's interval for the difference).
    SHARE = "share"
    #: A mean over respondents (Welch's interval for the difference).
    MEAN = "mean"
    #: A level computed from every day of the register (caseload): exact, no interval.
    LEVEL = "level"


@dataclass(frozen=True)
class Indicator:
    """A key indicator of the edition comparison.

    Attributes
    ----------
    key : str
        Its name (``success``, ``who5_end``).
    label : str
        Danish, for the table's first column.
    noun : str
        Danish, for a sentence: "andelen, der afsluttede til job, …".
    kind : IndicatorKind
    decimals : int
        Decimals it prints with.
    """

    key: str
    label: str
    noun: str
    kind: IndicatorKind
    decimals: int = 0


_K = IndicatorKind
#: Every key indicator, in the table's order.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("enrolled", "Unge i forløb", "antallet af unge i forløb", _K.COUNT),
    Indicator("finished", "Unge, der afsluttede forløbet", "antallet af unge, der afsluttede forløbet", _K.COUNT),
    Indicator("success", "Afsluttet til job, fleksjob eller uddannelse (%)",
              "andelen af de afsluttede, der gik videre til job, fleksjob eller uddannelse", _K.SHARE),
    Indicator("success_job", "heraf job (%)", "andelen af de afsluttede, der gik videre til job", _K.SHARE),
    Indicator("success_flexjob", "heraf fleksjob (%)", "andelen af de afsluttede, der gik videre til fleksjob",
              _K.SHARE),
    Indicator("success_education", "heraf uddannelse (%)",
              "andelen af de afsluttede, der gik videre til uddannelse", _K.SHARE),
    Indicator("who5_start", "WHO-5 ved start (0–100)", "den gennemsnitlige trivsel (WHO-5) ved start", _K.MEAN, 1),
    Indicator("who5_end", "WHO-5 ved afslutning (0–100)", "den gennemsnitlige trivsel (WHO-5) ved afslutning",
              _K.MEAN, 1),
    Indicator("mastery_start", "Mestring ved start", "den gennemsnitlige mestring ved start", _K.MEAN, 2),
    Indicator("mastery_end", "Mestring ved afslutning", "den gennemsnitlige mestring ved afslutning", _K.MEAN, 2),
    Indicator("loneliness_start", "Ensomhed ved start (1–5)", "den gennemsnitlige ensomhed ved start", _K.MEAN, 2),
    Indicator("loneliness_end", "Ensomhed ved afslutning (1–5)", "den gennemsnitlige ensomhed ved afslutning",
              _K.MEAN, 2),
    Indicator("burden_start", "Psykisk belastning ved start (1–5)", "den gennemsnitlige psykiske belastning ved start",
              _K.MEAN, 2),
    Indicator("burden_end", "Psykisk belastning ved afslutning (1–5)",
              "den gennemsnitlige psykiske belastning ved afslutning", _K.MEAN, 2),
    Indicator("caseload_peak", "Højeste antal unge pr. konsulent", "det højeste antal unge, én konsulent havde ad gangen",
              _K.LEVEL),
    Indicator("caseload_mean", "Gennemsnitligt antal unge pr. konsulent",
              "det gennemsnitlige antal unge pr. konsulent", _K.LEVEL, 1),
)

#: Facts the comparison reads (``facts.json``), and the tables and figures (``<label>.json``).
FACT_KEYS = ("registry_n", "finished_n", "success_pct")
DATASET_LABELS = ("tbl-exit", "tbl-caseload", "fig-who5", "fig-mastery", "fig-loneliness", "fig-burden")
#: The frames of those datasets the comparison reads (``Disclosed`` attributes); the others are not built.
FRAME_NAMES = ("exit", "caseload", "paired")
#: ``exit_status`` code (data/codebook.yml) -> the indicator of its share.
EXIT_SPLIT = {1: "success_job", 2: "success_flexjob", 3: "success_education"}
_COUNT_FACTS = {"enrolled": "registry_n", "finished": "finished_n"}
_SCORES = ("who5", "mastery", "loneliness", "burden")


@dataclass(frozen=True)
class EditionRecord:
    """What the comparison reads of one edition.

    Attributes
    ----------
    year : int
        Its ``edition_year``.
    min_cell : int
        The small-number rule it was published under.
    evaluation_end : str or None
        Its ``evaluation_end`` (ISO date).
    facts : mapping
        Fact key -> :class:`FactRecord` (those of :data:`FACT_KEYS` it has).
    datasets : mapping
        Label -> :class:`Dataset` (those of :data:`DATASET_LABELS` it has).
    """

    year: int
    min_cell: int
    evaluation_end: str | None
    facts: Mapping[str, FactRecord]
    datasets: Mapping[str, Dataset]

    @classmethod
    def from_results(cls, results: Results) -> "EditionRecord":
        """The record of a bundle (:func:`ipsreport.results.read_bundle`) or a :class:`Results`."""
        facts = {r.key: r for r in results.facts if r.key in FACT_KEYS}
        sets = {d.label: d for d in (*results.tables, *results.figures) if d.label in DATASET_LABELS}
        return cls(int(results.edition.edition_year), int(results.edition.min_cell),
                   results.settings.get("evaluation_end"), facts, sets)


def current_record(ed, summaries, f) -> EditionRecord:
    """The record of the edition being rendered, built as its bundle will publish it.

    Parameters
    ----------
    ed : Edition
    summaries : Disclosed
        Its disclosed summaries (the pipeline's summarise step).
    f : Facts
        Its facts (:func:`ipsreport.outputs.facts.facts`).
    """
    from ipsreport.results.build import datasets, fact_records

    return EditionRecord(int(ed.settings.edition_year), int(summaries.min_cell), str(ed.settings.evaluation_end),
                         fact_records(FACT_KEYS, ed, summaries, f), datasets(DATASET_LABELS, summaries, FRAME_NAMES))


def _row(key: str, value=None, n=None, base=None, sd=None, hidden: bool = False, state: str = "") -> dict:
    return {"indicator": key, "value": value, "n": n, "base": base, "sd": sd, "hidden": hidden, "suppression": state}


def _frame_rows(record: EditionRecord, label: str, name: str | None = None) -> list[dict]:
    dataset = record.datasets.get(label)
    return list(dataset.frame(name).rows) if dataset is not None else []


def edition_indicators(record: EditionRecord) -> pd.DataFrame:
    """Every key indicator of one edition, as published (a hidden value stays hidden).

    Returns
    -------
    DataFrame
        One row per :data:`INDICATORS` entry: ``indicator, value`` (a count,
        a percentage 0–100, a mean or a level; missing when the edition does
        not publish it or hid it), ``n`` (the count behind a share; the
        respondents behind a mean), ``base`` (a share's base), ``sd`` (a mean's
        standard deviation; missing in bundles of schema 1), ``hidden`` (the
        small-number rule hid it) and ``suppression`` (its state).
    """
    rows = []
    for key, fact_key in _COUNT_FACTS.items():
        fact = record.facts.get(fact_key)
        hidden = fact is not None and fact.suppression is not Suppression.SHOWN
        rows.append(_row(key, fact.value if fact is not None else None, fact.value if fact is not None else None,
                         hidden=hidden, state=fact.suppression.value if fact is not None else ""))
    success = record.facts.get("success_pct")
    if success is not None:
        rows.append(_row("success", success.value, success.n, success.base,
                         hidden=success.suppression is not Suppression.SHOWN, state=success.suppression.value))
    else:
        rows.append(_row("success"))
    exits = {r["code"]: r for r in _frame_rows(record, "tbl-exit")}
    for code, key in EXIT_SPLIT.items():
        r = exits.get(code)
        if r is None:
            rows.append(_row(key))
            continue
        state = r.get("suppression") or ""
        rows.append(_row(key, r["pct"] if not state else None, r["n"] if not state else None,
                         r["base"], hidden=bool(state), state=state))
    for score in _SCORES:
        paired = _frame_rows(record, f"fig-{score}", "paired")
        r = paired[0] if paired else None
        for time in ("start", "end"):
            if r is None:
                rows.append(_row(f"{score}_{time}"))
                continue
            withheld = bool(r.get("withheld"))
            rows.append(_row(f"{score}_{time}", None if withheld else r[f"mean_{time}"],
                             None if withheld else r["n"], sd=None if withheld else r.get(f"sd_{time}"),
                             hidden=withheld, state="primary" if withheld else ""))
    team = [r for r in _frame_rows(record, "tbl-caseload") if r["level"] == "programme"]
    if team:
        state = team[0].get("peak_suppressed") or ""
        rows.append(_row("caseload_peak", None if state else team[0]["peak"], hidden=bool(state), state=state))
        rows.append(_row("caseload_mean", team[0]["mean"]))
    else:
        rows += [_row("caseload_peak"), _row("caseload_mean")]
    frame = pd.DataFrame(rows)
    for column in ("value", "n", "base", "sd"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame


def registry_ids(folder: Path) -> set[str]:
    """The ids of a data folder's registry file, as text (read with :func:`ipsreport.inputs.load.load_raw`)."""
    from ipsreport.inputs.load import load_raw

    raw = load_raw(folder)
    registry = raw.frames.get("registry")
    if registry is None or "id" not in registry:
        from ipsreport.results.editions.locate import PreviousError

        raise PreviousError(f"--previous-data {folder}: der er ingen læsbar registry-fil med kolonnen id.")
    return {str(v).strip() for v in registry["id"] if str(v).strip()}


def shared_persons(ed, previous_data: Path) -> int:
    """How many persons of this edition's registry the previous edition's data folder holds too (by ``id``).

    Only the number leaves this function; the ids are compared in memory and
    never written anywhere.
    """
    current = {str(v).strip() for v in ed.registry["id"].dropna()}
    return len(current & registry_ids(previous_data))


def possibly_shared(ed, previous_evaluation_end: str | None) -> int:
    """Persons of this edition who started on or before the previous edition's ``evaluation_end``.

    Without the previous data folder the ids cannot be compared; a person
    who started before the previous edition closed may be in it (a cumulative
    cohort), one who started later cannot.
    """
    if not previous_evaluation_end:
        return 0
    start = pd.to_datetime(ed.registry["start_date"])
    return int((start <= pd.Timestamp(previous_evaluation_end)).sum())
