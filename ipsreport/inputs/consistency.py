"""Check validated data against the settings of a render.

The codebook rules (:mod:`ipsreport.inputs.validate`) say whether the data are valid
on their own; some settings must also agree with the data, or the report
prints silently wrong numbers:

* ``evaluation_end`` — no date in the data (any ``date`` column of the
  codebook: start and end dates in the registry, survey dates if the codebook
  has them, the review dates of the optional fidelity reviews) may lie after
  it. Time in the programme is measured up to this
  date, so a later date gives negative durations.
* ``edition_year`` — not earlier than the year of the data's latest date,
  and at most one year after it (the edition of the year after the data
  closed is the latest that can describe them; a later year is a typo or a
  data folder of an older edition). A site's part of a split edition
  (``render --by site``) is not held to this upper bound: its own dates may
  end years earlier, and the whole edition was checked before the split.

:func:`check_against_settings` returns the problems as
:class:`~ipsreport.inputs.load.Violation` records with Danish messages; the CLI
prints them and stops with exit code 3 before anything renders, and
:func:`ipsreport.inputs.edition.edition` raises :class:`DataSettingsError` so a
chapter built under Quarto stops too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ipsreport.inputs.codebook.codebook import Codebook, load_codebook
from ipsreport.inputs.load import ALL_DATASETS, Violation
from ipsreport.config.settings import Settings, SettingsError

__all__ = ["check_against_settings", "require_consistent", "DataSettingsError"]

_HOW = (
    "Ret indstillingen med --set {key}={example} på kommandolinjen eller {key}: {example} i ipsreport.yml, "
    "eller ret datoen i filen"
)


#: How many years after the data's latest date the edition may be (the edition of the following year).
_EDITION_AFTER = 1


class DataSettingsError(SettingsError):
    """The settings contradict the (valid) data; ``.violations`` lists why."""

    def __init__(self, violations: list[Violation]):
        self.violations = list(violations)
        super().__init__("\n".join(v.message for v in self.violations))


def _located_frames(data: Any) -> list[tuple[str, str, pd.DataFrame, np.ndarray]]:
    """``(dataset, file, frame, source row numbers)`` for each dataset present.

    Optional datasets (the fidelity reviews) are included when they were supplied.

    Accepts a :class:`~ipsreport.inputs.validate.ValidationReport` (frames indexed by
    source row), an :class:`~ipsreport.inputs.edition.Edition` (``source_rows``) or
    a mapping of frames (rows numbered as in a CSV file unless the index is
    named ``row``).
    """
    out = []
    if hasattr(data, "source_rows") and hasattr(data, "frame"):  # Edition
        files = {s.name: s.file for s in data.sources}
        for name in ALL_DATASETS:
            rows = data.source_rows.get(name)
            frame = data.frame(name)
            if frame is None:  # an optional dataset that was not supplied
                continue
            if rows is None:
                rows = np.arange(2, len(frame) + 2)
            out.append((name, files.get(name, name), frame, np.asarray(rows)))
        return out
    frames = data.frames if hasattr(data, "frames") else data
    sources = getattr(data, "sources", {}) or {}
    for name in ALL_DATASETS:
        if name not in frames:
            continue
        frame = frames[name]
        rows = frame.index.to_numpy() if frame.index.name == "row" else np.arange(2, len(frame) + 2)
        file = sources[name].file if name in sources else name
        out.append((name, file, frame, rows))
    return out


def _site_part(data: Any) -> bool:
    """True when ``data`` is one site's part of a split edition (its ``manifest.yml`` names ``split_from``)."""
    manifest = getattr(data, "manifest", None)
    if manifest is None and getattr(data, "data_dir", None) is not None:
        path = Path(data.data_dir) / "manifest.yml"
        try:
            manifest = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            manifest = None
    return isinstance(manifest, dict) and bool(manifest.get("split_from"))


def check_against_settings(data: Any, settings: Settings, codebook: Codebook | None = None) -> list[Violation]:
    """Find where the settings contradict the data.

    Parameters
    ----------
    data : ValidationReport, Edition or mapping of DataFrames
        Typed, validated data (date columns ``datetime64``).
    settings : Settings
        The resolved settings of the render.
    codebook : Codebook, optional
        Says which columns are dates; defaults to the project codebook.

    Returns
    -------
    list of Violation
        Rule ``evaluation_end``: one per date column with dates after
        ``settings.evaluation_end``, naming the latest such date (file, row,
        column, value) and how many rows are affected. Rule
        ``edition_year``: when ``settings.edition_year`` is before the year
        of the latest date in the data, or more than one year after it.
        Rule ``cohort``: ``cohort: period`` and nobody in the registry
        started in the implementation period (:mod:`ipsreport.inputs.cohort`).
        Empty when all agree.
    """
    codebook = codebook or load_codebook()
    end = pd.Timestamp(settings.evaluation_end)
    out: list[Violation] = []
    latest: tuple[pd.Timestamp, str, int, str] | None = None
    for name, file, frame, rows in _located_frames(data):
        if name not in codebook.datasets:
            continue
        for var in codebook.datasets[name].variables:
            if var.type != "date" or var.name not in frame.columns:
                continue
            values = pd.to_datetime(frame[var.name], errors="coerce").to_numpy()
            present = ~pd.isna(values)
            if not present.any():
                continue
            position = int(np.flatnonzero(present)[np.argmax(values[present])])
            top = pd.Timestamp(values[position])
            row = int(rows[position])
            if latest is None or top > latest[0]:
                latest = (top, file, row, var.name)
            after = int((values[present] > end.to_datetime64()).sum())
            if after:
                out.append(Violation(
                    file, row, var.name, top.date().isoformat(), "evaluation_end",
                    f"{file}, række {row}, kolonne {var.name}: datoen {top.date().isoformat()} ligger efter "
                    f"indstillingen evaluation_end = {settings.evaluation_end.isoformat()} "
                    f"({after} {'række' if after == 1 else 'rækker'} i kolonnen ligger efter; dette er den seneste). "
                    "Forløbstider måles frem til evaluation_end, så rapporten ville vise forkerte tal. "
                    + _HOW.format(key="evaluation_end", example="ÅÅÅÅ-MM-DD")
                    + f" (evaluation_end skal være {top.date().isoformat()} eller senere) (regel: evaluation_end)",
                ))
    if latest is not None and settings.edition_year < latest[0].year:
        top, file, row, column = latest
        out.append(Violation(
            file, row, column, top.date().isoformat(), "edition_year",
            f"{file}, række {row}, kolonne {column}: datoen {top.date().isoformat()} er den seneste i data, men "
            f"indstillingen edition_year = {settings.edition_year} ligger før år {top.year}. "
            + _HOW.format(key="edition_year", example=top.year)
            + " (regel: edition_year)",
        ))
    # A site's part of an edition (render --by site) may end years before the edition as a whole, which
    # was checked before it was split: the upper bound is the whole edition's.
    if latest is not None and settings.edition_year > latest[0].year + _EDITION_AFTER and not _site_part(data):
        top, file, row, column = latest
        last = top.year + _EDITION_AFTER
        out.append(Violation(
            file, row, column, top.date().isoformat(), "edition_year",
            f"{file}, række {row}, kolonne {column}: datoen {top.date().isoformat()} er den seneste i data, men "
            f"indstillingen edition_year = {settings.edition_year} ligger mere end ét år efter; udgaven kan ligge "
            f"højst ét år efter året for den seneste dato i data, dvs. senest {last}. Er datamappen den rigtige? "
            f"{_HOW.format(key='edition_year', example=last)} (regel: edition_year)",
        ))
    # Which persons the edition covers (setting cohort): a period nobody started in (ipsreport.inputs.cohort).
    from ipsreport.inputs.cohort import cohort_problems

    registry = [(file, frame) for name, file, frame, _rows in _located_frames(data) if name == "registry"]
    for file, frame in registry:
        out.extend(cohort_problems(frame, file, settings))
    return out


def require_consistent(data: Any, settings: Settings, codebook: Codebook | None = None) -> None:
    """Raise :class:`DataSettingsError` when :func:`check_against_settings` finds anything."""
    problems = check_against_settings(data, settings, codebook)
    if problems:
        raise DataSettingsError(problems)

