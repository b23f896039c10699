"""Chapter 6 (Figur 1-4): the same young people at start and end, paired.

Each respondent is a faint line, the mean at each time a large marker, and
the text beside the plot gives the mean change with its confidence interval
and the paired t-test. (Separate confidence intervals around the start and
end means would invite readers to judge significance from overlapping bars,
which is wrong for paired data.) A paired figure draws no trajectory fewer
persons than the small-number rule share.

Drawn with matplotlib, not seaborn: a trajectory is one line segment per
distinct (start, end) pair whose opacity and width encode how many persons
share it (:func:`trajectory_style`), which ``seaborn.lineplot`` cannot draw
(it would draw one line per unit, or aggregate them into a band).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

import ipsreport.outputs.fmt as fmt
import ipsreport.analysis.scoring as scoring
import ipsreport.outputs.theme as th
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.outputs.figures.layout import (
    add_note,
    danish_number_formatter,
    new_figure,
    pct_formatter,
    withheld_figure,
    wrap,
)
from ipsreport.analysis.summaries.mental_health import SCORES

__all__ = [
    "fig_mastery",
    "fig_loneliness",
    "fig_who5",
    "fig_burden",
    "paired_note",
    "trajectory_style",
]

#: Height of the chapter-6 figures (the WHO-5 figure is taller).
PAIRED_HEIGHT_IN = 7.5 * th.CM
#: Shading strength of the WHO-5 bands behind the individual lines, and
#: their short labels (the legend of the right panel gives the long ones).
_BAND_ALPHA = (0.5, 0.35, 0.18)
_BAND_SHORT = (
    fmt.span(0, scoring.WHO5_BANDS[0]),
    fmt.span(scoring.WHO5_BANDS[0] + 1, scoring.WHO5_BANDS[1]),
    f"Over {scoring.WHO5_BANDS[1]}",
)
#: White box behind the mean labels so the individual lines do not cross the digits.
_LABEL_BOX = dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.85)


def paired_note(n: int, hidden_lines: bool = False, min_cell: int = 0) -> str:
    """The note under Figur 1-4: how many respondents the figure rests on."""
    text = f"Note: Baseret på de samme {fmt.count(n)} unge, der har besvaret spørgeskemaet både ved start og afslutning."
    if hidden_lines:
        text += f" Forløb, som færre end {fmt.count(min_cell)} unge har til fælles, er ikke tegnet."
    return text



def _change_text(row: pd.Series, decimals: int, level: str = "95 %") -> str:
    """Danish text box beside a paired plot: change, CI and test result."""
    lines = []
    if row["n"] == 0:
        return "Ingen unge har svaret\nbåde ved start og afslutning"
    sign = "+" if row["diff"] > 0 and fmt.num(row["diff"], decimals) != fmt.num(0, decimals) else ""
    lines.append(f"Ændring i gennemsnit: {sign}{fmt.num(row['diff'], decimals)}")
    if np.isfinite(row["ci_low"]):
        lines.append(f"{level}-konfidensinterval:\n{fmt.num(row['ci_low'], decimals)} til {fmt.num(row['ci_high'], decimals)}")
    if np.isfinite(row["p_ttest"]):
        verdict = "Statistisk signifikant" if row["significant"] else "Ikke statistisk signifikant"
        lines.append(f"{verdict}\n(parret t-test, p = {fmt.pvalue(row['p_ttest'])})")
    elif row["reason"]:
        lines.append(wrap(row["reason"], 30))
    return "\n".join(lines)


def _scale_ticks(ed, score: str):
    """Tick positions and labels for the score's axis."""
    spec = SCORES[score]
    if spec.anchors_from:
        values = ed.codebook.labels("baseline", spec.anchors_from)
        ticks = sorted(values)
        labels = [f"{code} {wrap(values[code], 16)}".replace("\n", "\n   ") for code in ticks]
        return ticks, labels
    if score == "who5":
        ticks = list(range(0, 101, 20))
    else:
        ticks = list(range(int(spec.low), int(spec.high) + 1))
    return ticks, None


#: Most opaque an individual trajectory gets, so the means stay in front even
#: when thousands of respondents share a trajectory.
_TRAJECTORY_MAX_OPACITY = 0.75
#: Line width (pt) of a trajectory: one respondent, and the most frequent one.
_TRAJECTORY_WIDTHS = (0.9, 2.6)


def trajectory_style(counts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """RGBA colours and line widths of the distinct trajectories.

    Each respondent's line used to be drawn with opacity ``a`` (between
    0.12 and 0.4, lower for larger groups); ``k`` identical lines on top of
    each other show as opacity ``1 - (1 - a)**k``, which is what one line per
    pair gets (up to 0.75), so small groups look as before. Past that
    opacity can no longer tell pairs apart, so the counts beyond it widen the
    line instead (0.9 pt up to 2.6 pt, by the square root of the excess
    relative to the most frequent pair).
    """
    alpha = float(np.clip(6.0 / n, 0.12, 0.4))
    counts = np.asarray(counts, dtype=float)
    colours = np.tile(np.array(to_rgba(th.INDIVIDUAL_COLOUR)), (len(counts), 1))
    colours[:, 3] = np.minimum(1.0 - (1.0 - alpha) ** counts, _TRAJECTORY_MAX_OPACITY)
    # Number of stacked lines that reaches the opacity cap.
    saturated = np.log(1.0 - _TRAJECTORY_MAX_OPACITY) / np.log(1.0 - alpha)
    excess = np.clip(counts - saturated, 0.0, None)
    thin, thick = _TRAJECTORY_WIDTHS
    widths = np.full(len(counts), thin)
    if len(counts) and excess.max() > 0:
        widths = widths + (thick - thin) * np.sqrt(excess / excess.max())
    return colours, widths


def _draw_paired(ax, ed, score: str, row: pd.Series, trajectories: pd.DataFrame) -> None:
    """Faint individual lines plus the two means on ``ax``.

    ``trajectories`` is :meth:`ipsreport.analysis.disclosed.layer.Disclosed.paired_pairs`:
    distinct (start, end) pairs with the number of persons sharing each.
    """
    spec = SCORES[score]
    decimals = spec.decimals
    n = int(row["n"])
    if len(trajectories):
        pairs = trajectories[["start", "end"]].to_numpy(dtype=float)
        counts = trajectories["n"].to_numpy()
        colours, widths = trajectory_style(counts, n)
        segments = np.stack([np.column_stack([np.zeros(len(pairs)), pairs[:, 0]]),
                             np.column_stack([np.ones(len(pairs)), pairs[:, 1]])], axis=1)
        ax.add_collection(
            LineCollection(segments, colors=colours, linewidths=widths, gid="individual", zorder=1)
        )
    means = [row["mean_start"], row["mean_end"]]
    ax.plot([0, 1], means, color=th.END_COLOUR, linewidth=2.2, zorder=3, gid="means", label="Gennemsnit")
    ax.scatter([0], [means[0]], s=60, marker="o", color=th.START_COLOUR, edgecolor=th.END_COLOUR, linewidth=1.2, zorder=4, gid="mean_start")
    ax.scatter([1], [means[1]], s=60, marker="s", color=th.END_COLOUR, edgecolor=th.END_COLOUR, linewidth=1.2, zorder=4, gid="mean_end")
    if n:
        ax.annotate(
            fmt.num(means[0], decimals), (0, means[0]), xytext=(-9, 0), textcoords="offset points",
            ha="right", va="center", fontweight="bold", fontsize=th.FONT_SIZE, gid="label_start",
            bbox=_LABEL_BOX,
        )
        ax.annotate(
            fmt.num(means[1], decimals), (1, means[1]), xytext=(9, 0), textcoords="offset points",
            ha="left", va="center", fontweight="bold", fontsize=th.FONT_SIZE, gid="label_end",
            bbox=_LABEL_BOX,
        )
    ax.set_xlim(-0.45, 1.45)
    ax.set_xticks([0, 1], ["Start", "Afslutning"])
    ax.tick_params(axis="x", length=0)
    pad = (spec.high - spec.low) * 0.04
    ax.set_ylim(spec.low - pad, spec.high + pad)
    ticks, labels = _scale_ticks(ed, score)
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    if labels:
        ax.set_yticklabels(labels)
    else:
        ax.yaxis.set_major_formatter(danish_number_formatter())
    ax.grid(axis="y")
    ax.set_ylabel(spec.axis_label or spec.label)


def _paired_figure(ed, score: str) -> Figure:
    protected = disclosed(ed)
    row = protected.paired(score).iloc[0]
    if row["withheld"]:
        return withheld_figure(protected.min_cell)
    trajectories = protected.paired_pairs(score)
    with th.theme():
        note = paired_note(int(row["n"]), trajectories.attrs.get("hidden", False), protected.min_cell)
        fig = new_figure(PAIRED_HEIGHT_IN, note)
        ax, side = fig.subplots(1, 2, width_ratios=[3, 1.9])
        _draw_paired(ax, ed, score, row, trajectories)
        side.set_axis_off()
        side.text(0.0, 0.5, _change_text(row, SCORES[score].decimals, _level(ed)), ha="left", va="center",
                  fontsize=th.FONT_SIZE, linespacing=1.35, transform=side.transAxes, gid="change")
        add_note(fig, note)
    return fig


# --------------------------------------------------------------------------
# chapter 6
# --------------------------------------------------------------------------
def fig_mastery(ed) -> Figure:
    """Figur 1: mastery/self-esteem index (3-12) at start and end, paired.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Figure
    """
    return _paired_figure(ed, "mastery")


def fig_loneliness(ed) -> Figure:
    """Figur 2: loneliness (1 = aldrig ... 5 = meget ofte) at start and end, paired.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Figure
    """
    return _paired_figure(ed, "loneliness")


def fig_burden(ed) -> Figure:
    """Figur 4: mental burden (1-5) at start and end, paired.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Figure
    """
    return _paired_figure(ed, "burden")


def fig_who5(ed) -> Figure:
    """Figur 3: WHO-5 (0-100) at start and end, paired, with bands and population mean.

    Left panel: individual lines and means on the 0-100 scale with the three
    bands shaded (0-35, 36-50, over 50) and the Danish population mean (68)
    as a dashed line. Right panel: the band shares at start and end as
    100 % stacked bars.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Figure
    """
    protected = disclosed(ed)
    row = protected.paired("who5").iloc[0]
    if row["withheld"]:
        return withheld_figure(protected.min_cell)
    trajectories = protected.paired_pairs("who5")
    bands = protected.who5_bands
    band_labels = bands.drop_duplicates("band").set_index("band")["label"]
    population = float((ed.codebook.scores.get("who5") or {}).get("population_mean", scoring.WHO5_POPULATION_MEAN))
    with th.theme():
        note = (paired_note(int(row["n"]), trajectories.attrs.get("hidden", False), protected.min_cell)
                + " " + _who5_change_sentence(row, _level(ed)))
        fig = new_figure(10.5 * th.CM, note)
        left, right = fig.subplots(1, 2, width_ratios=[2.6, 2.4])
        # Bands behind everything: boundaries halfway between attainable
        # scores (multiples of 4), so 36 and 52 sit inside their band.
        edges = [0, scoring.WHO5_BANDS[0] + 0.5, scoring.WHO5_BANDS[1] + 0.5, 100]
        for i in range(3):
            left.axhspan(edges[i], edges[i + 1], facecolor=th.BAND_COLOURS[i], alpha=_BAND_ALPHA[i],
                         hatch=th.BAND_HATCHES[i], edgecolor="none", zorder=0, gid=f"band_{i + 1}")

        _draw_paired(left, ed, "who5", row, trajectories)
        left.set_ylim(0, 100)
        left.grid(False)
        left.axhline(population, color=th.REFERENCE_COLOUR, linestyle=(0, (4, 2.5)), linewidth=1.2,
                     zorder=2, gid="population_mean")
        left.text(0.5, population + 1.5, f"Befolkningsgennemsnit: {fmt.num(population, 0)}",
                  ha="center", va="bottom", fontsize=th.SMALL_SIZE, color=th.REFERENCE_COLOUR,
                  transform=left.get_yaxis_transform(), gid="population_label", bbox=_LABEL_BOX)
        left.set_yticks(list(range(0, 101, 20)))
        left.yaxis.set_major_formatter(danish_number_formatter())
        # Band names on a right-hand axis, clear of the data and the mean labels.
        bands_axis = left.twinx()
        bands_axis.set_ylim(left.get_ylim())
        bands_axis.set_yticks([(edges[i] + edges[i + 1]) / 2 for i in range(3)], list(_BAND_SHORT))
        bands_axis.tick_params(axis="y", length=0, labelsize=th.SMALL_SIZE)
        bands_axis.spines[["top", "right", "left", "bottom"]].set_visible(False)
        bands_axis.set_gid("band_labels")

        # Right: band shares, stacked, band 1 at the bottom. matplotlib, not
        # seaborn: seaborn has no stacked bar chart of given shares.
        x = np.arange(2)
        bottom = np.zeros(2)
        for band in (1, 2, 3):
            sub = bands[bands["band"] == band].set_index("time").loc[["start", "end"]]
            pct = sub["pct"].to_numpy(dtype=float)
            colour = th.BAND_COLOURS[band - 1]
            bars = right.bar(x, np.nan_to_num(pct), bottom=bottom, width=0.75, color=colour,
                             hatch=th.BAND_HATCHES[band - 1], edgecolor="white", linewidth=0.8,
                             label=band_labels[band], gid=f"share_band_{band}")
            for xi, p, b in zip(x, pct, bottom):
                if np.isfinite(p) and p >= 6:
                    right.text(xi, b + p / 2, fmt.pct(p, 1, strip_zeros=True), ha="center", va="center",
                               fontsize=th.SMALL_SIZE, color=th.text_colour_on(colour),
                               bbox=dict(boxstyle="round,pad=0.15", facecolor=colour, edgecolor="none")
                               if th.BAND_HATCHES[band - 1] else None)
            bars.set_label(band_labels[band])
            bottom = bottom + np.nan_to_num(pct)
        right.set_xticks(x, ["Start", "Afslutning"])
        right.tick_params(axis="x", length=0)
        right.set_ylim(0, 100)
        right.yaxis.set_major_formatter(pct_formatter())
        right.set_ylabel("Andel af de unge")
        handles, labels = right.get_legend_handles_labels()
        # Legend beside the bars, top band first as in the stack.
        right.legend(handles[::-1], [wrap(lbl, 20) for lbl in labels[::-1]], loc="upper left",
                     bbox_to_anchor=(1.0, 1.0), fontsize=th.SMALL_SIZE, handlelength=1.4, labelspacing=0.9,
                     borderaxespad=0.2)
        add_note(fig, note)
    return fig


def _level(ed) -> str:
    """The confidence level of the intervals, 1 - alpha: "95 %"."""
    return fmt.pct((1 - float(ed.settings.alpha)) * 100, 1, strip_zeros=True)


def _who5_change_sentence(row: pd.Series, level: str = "95 %") -> str:
    """One sentence for the WHO-5 note (the figure has no room for a side panel)."""
    if row["n"] == 0 or not np.isfinite(row["diff"]):
        return ""
    sign = "+" if row["diff"] > 0 and fmt.num(row["diff"], 1) != fmt.num(0, 1) else ""
    text = f"Ændring i gennemsnit: {sign}{fmt.num(row['diff'], 1)} point"
    if np.isfinite(row["ci_low"]):
        text += f" ({level}-konfidensinterval: {fmt.num(row['ci_low'], 1)} til {fmt.num(row['ci_high'], 1)})"
    if np.isfinite(row["p_ttest"]):
        verdict = "statistisk signifikant" if row["significant"] else "ikke statistisk signifikant"
        text += f"; {verdict} (parret t-test, p = {fmt.pvalue(row['p_ttest'])})"
    elif row["reason"]:
        text += f"; {row['reason'][0].lower()}{row['reason'][1:]}"
    return text + "."
