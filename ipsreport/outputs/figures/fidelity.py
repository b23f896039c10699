"""Figures of the fidelity appendix.

Built like :mod:`ipsreport.outputs.figures`: object API (no ``pyplot``), the report
theme of :mod:`ipsreport.outputs.theme`, Danish number formatting, no title inside
the figure (the chapter's caption is the title). Drawn with matplotlib,
not seaborn: each panel is a step area with the days above the limit filled
and hatched between the limit and the curve (``fill_between(where=...)``),
which no seaborn plot draws.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MultipleLocator

import ipsreport.outputs.fmt as fmt
import ipsreport.outputs.theme as th
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.analysis.summaries.caseload import CASELOAD_TOTAL_LABEL

__all__ = ["fig_caseload", "caseload_plot_frame", "team_plot_frame"]

#: Colours: the caseload as a light area with a dark outline; days above
#: the limit dark and hatched (readable without colour); the limit dashed grey.
_AREA = th.SEQUENTIAL[3]
_LINE = th.SEQUENTIAL[1]
_ABOVE = th.SEQUENTIAL[0]
_ABOVE_HATCH = "////"
#: Panel height bounds and the total height the panels may take (cm): 36 consultants
#: (9 rows of 4) still fit an A4 text column with caption.
_PANEL_CM = (2.2, 4.4)
_PANELS_MAX_CM = 19.0
#: Height of the one panel of the team figure (cm).
_TEAM_PANEL_CM = 4.6
#: Characters per line of the note at 8 pt across the 16 cm figure (DejaVu Sans, Danish text with digits).
_NOTE_CHARS = 104


def caseload_plot_frame(ed) -> pd.DataFrame:
    """The daily caseloads as drawn: masked outside each consultant's active days and by the small-number rule.

    A count of young people between 1 and ``min_cell - 1`` is never shown,
    neither as a number nor as a point on a line (the table prints those
    counts as ``"<3"``); such days, and days outside the consultant's active
    span, become NaN, so the line has a gap there. Zero is shown: "nobody"
    identifies no one.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    DataFrame
        :func:`ipsreport.analysis.summaries.caseload.summarise_caseload_daily` with a
        float column ``shown``.
    """
    daily = disclosed(ed).caseload_daily
    shown = daily["caseload"].astype(float).where(daily["active"] & daily["caseload"].notna())
    return daily.assign(shown=shown)


def team_plot_frame(ed) -> pd.DataFrame:
    """The team's daily caseload as drawn: the highest number any consultant had that day.

    Built from the protected daily caseloads (:func:`caseload_plot_frame`)
    only, so it can show nothing the rule hides: a hidden count (1 to
    ``min_cell - 1``) is smaller than any shown one, so the highest shown
    count is the team's highest whenever one is shown; on a day when every
    active consultant's count is hidden or 0 and at least one is hidden, the
    team's highest is itself a small count and is hidden too.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    DataFrame
        One row per day: ``consultant`` (:data:`CASELOAD_TOTAL_LABEL`),
        ``date``, ``active`` (some consultant active) and ``shown`` (float,
        NaN where hidden or no consultant is active).
    """
    frame = caseload_plot_frame(ed)
    active = frame[frame["active"]]
    days = pd.DataFrame({"date": frame["date"].drop_duplicates().sort_values().to_numpy()})
    if active.empty:
        return days.assign(consultant=CASELOAD_TOTAL_LABEL, active=False, shown=float("nan"))
    by_day = active.groupby("date").agg(highest=("shown", "max"), hidden=("shown", lambda v: v.isna().any()))
    shown = by_day["highest"].where(~(by_day["hidden"] & ~(by_day["highest"] > 0)))
    days = days.merge(shown.rename("shown").reset_index(), on="date", how="left")
    days["active"] = days["date"].isin(by_day.index)
    days["consultant"] = CASELOAD_TOTAL_LABEL
    return days[["consultant", "date", "active", "shown"]]


def _date_formatter() -> FuncFormatter:
    def label(x, _pos=None) -> str:
        day = num2date(x)
        return str(day.year) if day.month == 1 else f"{fmt.month_short(day)} {day.year}"

    return FuncFormatter(label)


def _tick_step(top: int) -> int:
    """A round tick step giving at most six ticks up to ``top`` (5 for the default limit of 25)."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return step
    return 10 ** len(str(int(top)))


def _grid(n: int) -> tuple[int, int]:
    ncols = 1 if n == 1 else 2 if n <= 4 else 3 if n <= 9 else 4
    return math.ceil(n / ncols), ncols


def _note(ed, min_cell: int, team: bool) -> str:
    who = ("Det højeste antal unge, én konsulent havde, dag for dag (konsulenterne under ét), og gennemsnittet over "
           "alle konsulentdage" if team else "Antal unge hos hver konsulent pr. dag")
    span = "fra den første start til den sidste afslutning" if team else "fra konsulentens første start til sidste afslutning"
    text = (f"Note: {who}, {span} "
            f"(højst til {fmt.date(ed.settings.evaluation_end)}). Kilde: IPS UNG’s projektregistreringer.")
    if min_cell:
        text += f" Dage med 1–{fmt.count(min_cell - 1)} unge vises ikke (diskretionshensyn)."
    return text


def fig_caseload(ed) -> Figure:
    """Fidelity appendix: the consultants' caseloads over time against the limit.

    With the setting ``caseload_detail: team`` (the default) one panel for
    the team: the highest number of young people any consultant had on each
    day (:func:`team_plot_frame`) and the team's mean as a dotted line. With
    ``consultant`` one small panel per consultant ("Konsulent A", …; shared
    axes). Either way the number of young people at a time is a step area,
    days above ``settings.fidelity_caseload_max`` are dark and hatched, the
    limit is a dashed line and the highest caseload is marked and labelled.
    Counts below ``min_cell`` are not drawn (see :func:`caseload_plot_frame`)
    and a peak below it is not labelled.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Figure
    """
    protected = disclosed(ed)
    summary = protected.caseload
    team = ed.settings.caseload_detail == "team"
    per = summary[summary["level"] == "consultant"].set_index("consultant")
    if team and not per.empty:
        frame = team_plot_frame(ed)
        per = summary[summary["level"] == "programme"].set_index("consultant")
    else:
        frame = caseload_plot_frame(ed)
    limit = int(ed.settings.fidelity_caseload_max)
    min_cell = protected.min_cell
    labels = list(per.index)
    note = _note(ed, min_cell, team)
    with th.theme():
        if not labels:
            fig = Figure(figsize=(th.WIDTH_IN, 4 * th.CM), layout="constrained")
            # An (invisible) axes: IPython does not display a figure without one.
            ax = fig.add_subplot()
            ax.set_axis_off()
            ax.text(0.5, 0.5, "Ingen forløb i projektregistreringen i evalueringsperioden.", ha="center", va="center",
                    transform=ax.transAxes)
            return fig
        nrows, ncols = _grid(len(labels))
        panel_cm = _TEAM_PANEL_CM if team else min(_PANEL_CM[1], max(_PANEL_CM[0], _PANELS_MAX_CM / nrows))
        fig = Figure(figsize=(th.WIDTH_IN, (nrows * panel_cm + 2.6) * th.CM), layout="constrained")
        axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)).ravel()
        top = max(limit, int(per["peak"].astype("Float64").fillna(0).max()))
        for ax, label in zip(axes, labels):
            title = "Det højeste antal unge hos én konsulent" if team else label
            _panel(ax, frame[frame["consultant"] == label], per.loc[label], title, limit, min_cell)
        mean = per["mean"].iloc[0] if team else float("nan")
        if team and pd.notna(mean):
            axes[0].axhline(mean, color=_LINE, linestyle=":", linewidth=1.2, gid="mean")
        for ax in axes[len(labels):]:
            ax.set_visible(False)
        first = axes[0]
        first.set_ylim(0, max(top * 1.18, top + 3))
        first.yaxis.set_major_locator(MultipleLocator(_tick_step(top)))
        first.yaxis.set_major_formatter(FuncFormatter(lambda y, _p=None: fmt.count(y)))
        days = frame["date"]
        first.set_xlim(date2num(days.min()), date2num(days.max()))
        first.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=4 if ncols <= 2 else 3))
        first.xaxis.set_major_formatter(_date_formatter())
        for i, ax in enumerate(axes[: len(labels)]):
            if i % ncols == 0:
                ax.set_ylabel("Unge ad gangen")
            # Dates under every panel with no panel below it (also above an empty slot).
            ax.tick_params(axis="x", labelbottom=i + ncols >= len(labels))
        handles = [Patch(facecolor=_AREA, edgecolor=_LINE, label="Højeste hos én konsulent" if team else "Unge ad gangen")]
        if (frame["shown"] > limit).any():
            handles.append(Patch(facecolor=_ABOVE, hatch=_ABOVE_HATCH, edgecolor="white", label="Over grænsen"))
        handles.append(first.plot([], [], color=th.REFERENCE_COLOUR, linestyle="--", linewidth=1.0,
                                  label=f"Grænse: højst {fmt.count(limit)}")[0])
        if team and pd.notna(mean):
            handles.append(first.plot([], [], color=_LINE, linestyle=":", linewidth=1.2,
                                      label=f"Gennemsnit: {fmt.num(mean, 1)}")[0])
        if any(pd.notna(p) and p > 0 for p in per["peak"]):
            handles.append(first.plot([], [], color=_ABOVE, marker="o", linestyle="none", markersize=4,
                                      label="Højeste antal")[0])
        fig.legend(handles=handles, loc="outside upper center", ncols=len(handles), fontsize=th.SMALL_SIZE,
                   handlelength=1.6, columnspacing=1.2)
        fig.supxlabel("\n".join(textwrap.wrap(note, _NOTE_CHARS)), x=0.005, ha="left", fontsize=th.SMALL_SIZE)
    return fig


def _panel(ax, daily: pd.DataFrame, row: pd.Series, label: str, limit: int, min_cell: int) -> None:
    x = date2num(daily["date"])
    y = daily["shown"].to_numpy(dtype=float)
    ax.fill_between(x, 0, y, step="post", color=_AREA, linewidth=0, gid="caseload")
    ax.step(x, y, where="post", color=_LINE, linewidth=0.9)
    above = np.nan_to_num(y) > limit
    if above.any():
        ax.fill_between(x, limit, y, where=above, step="post", facecolor=_ABOVE, hatch=_ABOVE_HATCH,
                        edgecolor="white", linewidth=0, gid="above")
    ax.axhline(limit, color=th.REFERENCE_COLOUR, linestyle="--", linewidth=1.0, gid="limit")
    peak = 0 if pd.isna(row["peak"]) else int(row["peak"])
    if peak > 0:
        px = date2num(pd.Timestamp(row["peak_date"]))
        ax.plot([px], [peak], marker="o", markersize=4, color=_ABOVE, gid="peak")
        ax.annotate(fmt.count(peak), (px, peak), xytext=(0, 3), textcoords="offset points", ha="center",
                    va="bottom", fontsize=th.SMALL_SIZE, color=th.TEXT_COLOUR)
    ax.set_title(label, loc="left", fontsize=th.FONT_SIZE)
    ax.grid(axis="y")
