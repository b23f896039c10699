"""Which young people an edition covers (the setting ``cohort``), decided once.

* ``cumulative``: everyone in the registry file, i.e. everyone enrolled since
  the programme began, as the export gives them. Nothing is left out.
* ``period``: only those who started in the implementation period, from the
  first day of the month of ``implementation_start`` to the last day of the
  month of ``implementation_end``, both included (the period settings are
  read as months everywhere). Everyone else is left out of the registry and,
  by id, of the questionnaires, before anything is counted.

:func:`ipsreport.inputs.edition.edition` applies :func:`cohort_masks` to the frames
it loads, so every summary, fact, table and figure sees the same persons;
:func:`cohort_problems` is one of the checks of the settings against the
data (:func:`ipsreport.inputs.consistency.check_against_settings`), so a period
nobody started in stops the render before anything is drawn.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ipsreport.inputs.datafiles import Violation

__all__ = ["CUMULATIVE", "PERIOD", "cohort_masks", "cohort_problems", "period_bounds", "starts_in_period"]

#: Everyone in the registry (the default: what the twin and every earlier render used).
CUMULATIVE = "cumulative"
#: Only those who started in the implementation period.
PERIOD = "period"
#: The registry column the period is judged on, and the id column shared by the files.
START_COLUMN = "start_date"
ID_COLUMN = "id"
#: Datasets with one row per young person, selected by id (fidelity reviews are about sites, not persons).
_PERSON_DATASETS = ("baseline", "followup")


def period_bounds(settings: Any) -> tuple[dt.date, dt.date]:
    """First and last day of the implementation period, both included.

    Parameters
    ----------
    settings : Settings

    Returns
    -------
    (date, date)
        The first day of the month of ``implementation_start`` and the last day
        of the month of ``implementation_end``.
    """
    start, end = settings.implementation_start, settings.implementation_end
    last = calendar.monthrange(end.year, end.month)[1]
    return dt.date(start.year, start.month, 1), dt.date(end.year, end.month, last)


def starts_in_period(start_dates: pd.Series, settings: Any) -> np.ndarray:
    """Boolean mask: which start dates lie in the implementation period (a missing date does not)."""
    first, last = period_bounds(settings)
    days = pd.to_datetime(start_dates, errors="coerce")
    inside = (days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))
    return inside.fillna(False).to_numpy(dtype=bool)


def cohort_masks(frames: Mapping[str, pd.DataFrame | None], settings: Any) -> dict[str, np.ndarray] | None:
    """Which rows of each dataset the edition covers.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        The typed frames of one data folder (``registry``, ``baseline``,
        ``followup``, optionally ``fidelity``).
    settings : Settings
        ``cohort`` and the implementation period.

    Returns
    -------
    dict or None
        ``None`` for ``cumulative`` (everyone is kept); otherwise dataset name
        -> boolean mask over its rows: registry rows whose ``start_date`` lies
        in :func:`period_bounds`, questionnaire rows whose ``id`` is one of
        theirs. Datasets not about persons are absent (kept whole).
    """
    if settings.cohort == CUMULATIVE:
        return None
    registry = frames["registry"]
    keep = starts_in_period(registry[START_COLUMN], settings)
    ids = set(registry.loc[keep, ID_COLUMN].astype(str))
    masks = {"registry": keep}
    for name in _PERSON_DATASETS:
        frame = frames.get(name)
        if frame is not None:
            masks[name] = frame[ID_COLUMN].astype(str).isin(ids).to_numpy(dtype=bool)
    return masks


def cohort_problems(registry: pd.DataFrame | None, file: str, settings: Any) -> list[Violation]:
    """The ways ``cohort`` contradicts the registry (rule ``cohort``).

    Parameters
    ----------
    registry : DataFrame or None
        The typed registry frame.
    file : str
        Its file name, as the user knows it.
    settings : Settings

    Returns
    -------
    list of Violation
        With ``cohort: period``: one when nobody in the registry started in
        the period, naming the setting, its value, the period and the
        registry's first and last start date. Empty otherwise.
    """
    if settings.cohort != PERIOD or registry is None or START_COLUMN not in registry.columns:
        return []
    if starts_in_period(registry[START_COLUMN], settings).any():
        return []
    first, last = period_bounds(settings)
    days = pd.to_datetime(registry[START_COLUMN], errors="coerce").dropna()
    seen = (f"startdatoerne i filen går fra {days.min().date().isoformat()} til {days.max().date().isoformat()}"
            if len(days) else "filen har ingen startdatoer")
    return [Violation(
        file, None, START_COLUMN, None, "cohort",
        f"{file}, kolonne {START_COLUMN}: indstillingen cohort = period tager kun de unge med, der startede i "
        f"implementeringsperioden fra {first.isoformat()} til {last.isoformat()} (implementation_start = "
        f"{settings.implementation_start.isoformat()}, implementation_end = "
        f"{settings.implementation_end.isoformat()}), men ingen startede i den; {seen}. Ret perioden i "
        "ipsreport.yml, eller sæt cohort: cumulative for at tage alle i filen med (regel: cohort)."
    )]
