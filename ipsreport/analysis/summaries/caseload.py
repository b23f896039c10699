"""Fidelity appendix: each consultant's caseload per day, from the registry.

The IPS fidelity scale (and the Reconnect study of IPS for young people)
asks that a consultant has at most ``settings.fidelity_caseload_max`` young
people at a time. The registry holds each young person's ``consultant``,
``start_date`` and ``end_date``, so the caseload is measurable for every
edition and every site:

* a registry row (a *spell*) counts for its consultant on day ``d`` when
  ``start_date <= d`` and ``end_date`` is empty or ``end_date >= d`` (a spell
  that starts and ends on the same day counts on that one day);
* days run from the first start in the data to ``settings.evaluation_end``;
  spells still open, or ending after it, are counted up to that day, and
  rows starting after it are left out;
* a consultant is identified by the ``consultant`` value alone (the same
  pseudonym at two sites is one person). With ``--by site`` each report sees
  only its own site's rows, so a consultant working at several sites has a
  larger real caseload than that site's report shows.

Consultants are staff: their names never leave this module. Every output
labels them "Konsulent A", "Konsulent B", … in a random order fixed by the
data (:func:`consultant_labels`): the names, sorted, are shuffled by a
generator seeded with :func:`registry_checksum`, the SHA-256 of the whole
registry's content. The same data always give the same letters, but the
letters follow neither the order of the consultants' first cases (which
colleagues would know) nor their names, and nobody without the registry
itself can recompute them. No later function ever sees a name.

Whether the book shows each consultant at all is the setting
``caseload_detail`` (:data:`CASELOAD_DETAILS`): ``team`` (default) shows the
consultants only as a team, ``consultant`` also one row and one panel each.

The computation is vectorised: every spell adds +1 on its start day and -1
on the day after its end, and a cumulative sum over a days × consultants
grid gives every caseload at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ipsreport.outputs import fmt

__all__ = [
    "CASELOAD_TOTAL_LABEL",
    "CASELOAD_DETAILS",
    "registry_checksum",
    "consultant_labels",
    "caseload_detail_sentence",
    "summarise_caseload_daily",
    "summarise_caseload",
    "CaseloadFacts",
    "summarise_caseload_facts",
    "caseload_finding",
]

#: Label of the programme row of :func:`summarise_caseload`.
CASELOAD_TOTAL_LABEL = "Alle konsulenter"
#: Values of the setting ``caseload_detail``: the team as a whole, or also each consultant.
CASELOAD_DETAILS = ("team", "consultant")

_DAY = pd.Timedelta(days=1)


def _letters(i: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA" (spreadsheet-style, never runs out)."""
    text = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        text = chr(65 + rest) + text
    return text


def _limit(ed) -> int:
    return int(ed.settings.fidelity_caseload_max)


def _end_day(ed) -> pd.Timestamp:
    return pd.Timestamp(ed.settings.evaluation_end)


def _spells(ed) -> pd.DataFrame:
    """Registry spells in the window, with the anonymous ``label`` instead of the name.

    Columns ``label, start, stop`` where ``stop`` is the last day counted
    (``end_date`` or ``evaluation_end``, whichever is earlier).
    """
    reg = ed.registry
    end_day = _end_day(ed)
    spells = pd.DataFrame(
        {
            "name": reg["consultant"].astype("string"),
            "start": pd.to_datetime(reg["start_date"]).dt.normalize(),
            "stop": pd.to_datetime(reg["end_date"]).dt.normalize(),
        }
    )
    spells["stop"] = spells["stop"].fillna(end_day).clip(upper=end_day)
    # Starts after the evaluation closed, rows without a consultant or start,
    # and (invalid) spells ending before they start count on no day.
    keep = spells["name"].notna() & spells["start"].notna() & (spells["start"] <= spells["stop"])
    spells = spells[keep.to_numpy(dtype=bool)]
    labels = consultant_labels(spells, registry_checksum(reg))
    spells = spells.assign(label=spells["name"].map(labels)).drop(columns="name")
    return spells.reset_index(drop=True)


def registry_checksum(registry: pd.DataFrame) -> str:
    """SHA-256 of the registry's content: the seed of the consultants' letters.

    The registry is written as CSV (UTF-8, its columns in their order, rows
    sorted by every column so the order the rows were read in does not
    matter, dates as ``YYYY-MM-DD``, missing cells empty) and hashed.

    Parameters
    ----------
    registry : DataFrame
        The edition's registry (for a report per site: that site's rows).

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    frame = registry.astype("string").fillna("")
    frame = frame.sort_values(list(frame.columns), kind="mergesort")
    text = frame.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def consultant_labels(spells: pd.DataFrame, checksum: str) -> dict[str, str]:
    """Name -> "Konsulent A", … in a random order fixed by the registry's checksum.

    The names are sorted, then shuffled by :func:`numpy.random.default_rng`
    seeded with the checksum read as a number; the first name of the
    shuffled list is "Konsulent A". The same names and checksum always give
    the same letters; another registry gives another order.

    Parameters
    ----------
    spells : DataFrame
        With a column ``name``.
    checksum : str
        :func:`registry_checksum` of the registry.

    Returns
    -------
    dict
        Only for use inside this module: the names must not be passed on.
    """
    names = sorted(set(spells["name"].astype(str)))
    order = np.random.default_rng(int(checksum, 16)).permutation(len(names))
    return {names[k]: f"Konsulent {_letters(i)}" for i, k in enumerate(order)}


def caseload_detail_sentence(detail: str) -> str:
    """The fidelity appendix's sentence on how the consultants are shown, for a ``caseload_detail`` value.

    Parameters
    ----------
    detail : {"team", "consultant"}

    Returns
    -------
    str
    """
    if detail == "team":
        return ("Den enkelte konsulents arbejdsbyrde er personaledata, og i et lille team ville kollegerne kunne "
                "regne ud, hvem der er hvem. Konsulenterne vises derfor kun under ét: det højeste antal unge, en "
                "konsulent havde på samme tid, gennemsnittet og de dage, hvor en konsulent var over grænsen.")
    if detail == "consultant":
        return ("Konsulenterne omtales ikke ved navn, men som Konsulent A, B og så videre. Bogstaverne er fordelt "
                "i en tilfældig rækkefølge, der ligger fast for de samme data, så hverken bogstavet eller "
                "rækkefølgen siger noget om, hvem der er hvem, eller hvornår de begyndte.")
    raise ValueError(f"caseload_detail must be one of {CASELOAD_DETAILS}, not {detail!r}")


def _label_order(labels) -> list[str]:
    return sorted(set(labels), key=lambda s: (len(s), s))


def summarise_caseload_daily(ed) -> pd.DataFrame:
    """Each consultant's caseload on every day of the evaluation.

    Parameters
    ----------
    ed : Edition
        Uses ``registry`` (``consultant``, ``start_date``, ``end_date``) and
        ``settings.evaluation_end``.

    Returns
    -------
    DataFrame
        Tidy, one row per consultant and day from the first start in the
        data to ``evaluation_end``: ``consultant`` (``"Konsulent A"``, …),
        ``date``, ``caseload`` (int, the number of spells counting that day)
        and ``active`` (bool: the day lies between the consultant's first
        start and last counted day; outside it the consultant had not yet
        begun or had stopped working in IPS UNG, and the caseload is 0).
        Sorted by consultant, then date; empty when no spell falls in the
        window.
    """
    spells = _spells(ed)
    columns = ["consultant", "date", "caseload", "active"]
    if spells.empty:
        return pd.DataFrame({"consultant": pd.Series(dtype="string"), "date": pd.Series(dtype="datetime64[ns]"),
                             "caseload": pd.Series(dtype="int64"), "active": pd.Series(dtype=bool)})[columns]
    days = pd.date_range(spells["start"].min(), _end_day(ed), freq="D")
    order = _label_order(spells["label"])
    events = pd.concat(
        [
            pd.DataFrame({"label": spells["label"], "date": spells["start"], "delta": 1}),
            pd.DataFrame({"label": spells["label"], "date": spells["stop"] + _DAY, "delta": -1}),
        ],
        ignore_index=True,
    )
    # The -1 on the day after the last day of the window falls outside the grid.
    events = events[events["date"] <= days[-1]]
    grid = (
        events.pivot_table(index="date", columns="label", values="delta", aggfunc="sum", fill_value=0)
        .reindex(index=days, columns=order, fill_value=0)
        .cumsum()
    )
    counts = grid.to_numpy(dtype="int64")
    first = spells.groupby("label")["start"].min().reindex(order).to_numpy()
    last = spells.groupby("label")["stop"].max().reindex(order).to_numpy()
    day_values = days.to_numpy()[:, None]
    active = (day_values >= first[None, :]) & (day_values <= last[None, :])
    n_days, n_cons = counts.shape
    return pd.DataFrame(
        {
            "consultant": pd.array(np.repeat(order, n_days), dtype="string"),
            "date": np.tile(days.to_numpy(), n_cons),
            "caseload": counts.T.reshape(-1),
            "active": active.T.reshape(-1),
        }
    )


def summarise_caseload(ed) -> pd.DataFrame:
    """Per consultant and for the programme: mean and highest caseload, days above the limit.

    Means and shares are taken over a consultant's *active* days (from the
    first start to the last counted day, see
    :func:`summarise_caseload_daily`), so a consultant who joined late or
    left early is not diluted by days on which they did not work in IPS UNG;
    days inside that span with no young person count as 0.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    DataFrame
        One row per consultant (in label order) and a last programme row
        (``consultant == CASELOAD_TOTAL_LABEL``, ``level == "programme"``):

        ``level`` (``"consultant"``/``"programme"``), ``consultant``,
        ``consultants`` (1, or the number of consultants), ``participants``
        (registry rows counted at least one day: young people),
        ``first_date``, ``last_date``, ``days`` (active consultant-days),
        ``mean`` (mean caseload over them), ``peak`` (highest caseload),
        ``peak_date`` (first day of the peak), ``days_above`` (days with a
        caseload above the limit), ``share_above_pct`` (0-100 of ``days``;
        NaN when ``days`` is 0), ``first_above``/``last_above`` (NaT when
        never above) and ``limit``.
    """
    daily = summarise_caseload_daily(ed)
    limit = _limit(ed)
    spells = _spells(ed)
    participants = spells.groupby("label").size()
    active = daily[daily["active"]].copy()
    active["above"] = active["caseload"] > limit
    rows = []
    for label, group in active.groupby("consultant", sort=False):
        rows.append(_row("consultant", str(label), group, 1, int(participants.get(label, 0)), limit))
    rows.append(_row("programme", CASELOAD_TOTAL_LABEL, active, len(rows), len(spells), limit))
    return pd.DataFrame(rows)


def _row(level: str, label: str, group: pd.DataFrame, consultants: int, participants: int, limit: int) -> dict:
    days = len(group)
    above = group[group["above"]]
    peak = int(group["caseload"].max()) if days else 0
    return {
        "level": level,
        "consultant": label,
        "consultants": consultants,
        "participants": participants,
        "first_date": group["date"].min() if days else pd.NaT,
        "last_date": group["date"].max() if days else pd.NaT,
        "days": days,
        "mean": float(group["caseload"].mean()) if days else float("nan"),
        "peak": peak,
        "peak_date": group.loc[group["caseload"] == peak, "date"].min() if days else pd.NaT,
        "days_above": len(above),
        "share_above_pct": len(above) / days * 100 if days else float("nan"),
        "first_above": above["date"].min() if len(above) else pd.NaT,
        "last_above": above["date"].max() if len(above) else pd.NaT,
        "limit": limit,
    }


def _date(value) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


@dataclass(frozen=True)
class CaseloadFacts:
    """The already-decided values behind the fidelity appendix's prose (:func:`summarise_caseload_facts`).

    Attributes
    ----------
    limit : int
        The setting ``fidelity_caseload_max``.
    consultants, consultants_above : int
        Consultants, and those above the limit on at least one day.
    met : bool or None
        No consultant was ever above the limit; None when there is no caseload to judge.
    peak : int or None
        Highest caseload of any consultant on any day (None when the disclosure layer hid it).
    mean : float
        Mean caseload over all active consultant-days.
    days, days_above : int
        Consultant-days, and those above the limit.
    share_above_pct : float
        ``days_above / days`` on the 0-100 scale.
    first_above, last_above : date or None
        First and last day above the limit.
    period_start, period_end : date or None
        First start in the data, and ``evaluation_end``.
    participants : int
        Young people counted.
    detail : str
        The setting ``caseload_detail``.
    peak_suppression : str
        ``"primary"`` when the disclosure layer hid the peak (``ipsreport.analysis.disclosed``), else ``""``.
    """

    limit: int
    consultants: int
    consultants_above: int
    met: bool | None
    peak: int | None
    mean: float
    days: int
    days_above: int
    share_above_pct: float
    first_above: dt.date | None
    last_above: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    participants: int
    detail: str
    peak_suppression: str = ""


def summarise_caseload_facts(ed) -> CaseloadFacts:
    """The fidelity appendix's caseload values for an edition (:class:`CaseloadFacts`)."""
    summary = summarise_caseload(ed)
    total = summary[summary["level"] == "programme"].iloc[0]
    per = summary[summary["level"] == "consultant"]
    consultants = int(total["consultants"])
    return CaseloadFacts(
        limit=int(total["limit"]), consultants=consultants, consultants_above=int((per["days_above"] > 0).sum()),
        met=None if not consultants else bool(total["days_above"] == 0), peak=int(total["peak"]),
        mean=float(total["mean"]), days=int(total["days"]), days_above=int(total["days_above"]),
        share_above_pct=float(total["share_above_pct"]), first_above=_date(total["first_above"]),
        last_above=_date(total["last_above"]), period_start=_date(total["first_date"]),
        period_end=_date(_end_day(ed)), participants=int(total["participants"]),
        detail=str(ed.settings.caseload_detail),
    )


def caseload_finding(values: CaseloadFacts) -> str:
    """The appendix's sentence on how often the limit was exceeded, for any data.

    Parameters
    ----------
    values : CaseloadFacts
        :func:`summarise_caseload_facts`.

    Returns
    -------
    str
        E.g. ``"Ingen af konsulenterne var på noget tidspunkt over
        grænsen."`` or ``"To af de fire konsulenter var i perioder over
        grænsen på 25 unge ad gangen: det gjaldt 140 af 3.031 konsulentdage
        (4,6 %), første gang 3. marts 2024 og senest 1. maj 2025."``. Counts of
        days and consultants, not of young people, so no small-number rule
        applies.
    """
    n, k = values.consultants, values.consultants_above
    if not n:
        return "Projektregistreringen rummer ingen forløb i evalueringsperioden, så kriteriet kan ikke vurderes."
    if not k:
        if n == 1:
            return "Konsulenten var på intet tidspunkt over grænsen."
        return "Ingen af konsulenterne var på noget tidspunkt over grænsen."
    if n == 1:
        who = "Konsulenten"
    elif k == n:
        who = f"Alle {fmt.words(n)} konsulenter"
    else:
        who = f"{fmt.words(k).capitalize()} af de {fmt.words(n)} konsulenter"
    days, total = values.days_above, values.days
    when = (f"på én dag, {fmt.date(values.first_above)}" if values.first_above == values.last_above
            else f"første gang {fmt.date(values.first_above)} og senest {fmt.date(values.last_above)}")
    return (f"{who} var i perioder over grænsen på {fmt.count(values.limit)} unge ad gangen: det gjaldt "
            f"{fmt.count(days)} af {fmt.count(total)} konsulentdage "
            f"({fmt.pct(values.share_above_pct, 1, strip_zeros=True)}), {when}.")
