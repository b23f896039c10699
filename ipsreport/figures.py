"""Every figure of the report, built from the tested summary frames.

Each ``fig_*`` function takes the :class:`~ipsreport.edition.Edition` and
returns a :class:`matplotlib.figure.Figure` made with the object API (no
``pyplot``), so Jupyter shows it exactly once and no state leaks from one
figure to the next. Numbers come from :mod:`ipsreport.disclosed` (the
summaries with the small-number rule applied); this module only draws them.
A figure whose base is below the rule is replaced by a note, and a paired
figure draws no trajectory fewer persons than the rule share. Styling comes from :mod:`ipsreport.theme`; Danish number
formatting from :mod:`ipsreport.fmt`.

Chapter 6 (Figur 1-4) compares the *same* young people at start and end:
each respondent is a faint line, the mean at each time a large marker, and
the text beside the plot gives the mean change with its 95 % confidence
interval and the paired t-test. (Separate confidence intervals around the
start and end means would invite readers to judge significance from
overlapping bars, which is wrong for paired data.)

``alt_text(name, ed)`` gives a Danish description of each figure computed
from the same numbers, for the chapters' ``fig-alt``.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

import ipsreport.fmt as fmt
import ipsreport.scoring as scoring
import ipsreport.theme as th
from ipsreport import disclosure
from ipsreport.disclosed import disclosed
from ipsreport.summaries.mental_health import SCORES
from ipsreport.summaries.supplementary import BILAG5_QUESTIONS

__all__ = [
    "fig_mastery",
    "fig_loneliness",
    "fig_who5",
    "fig_burden",
    "fig_experience",
    "fig_statements",
    "fig_effect",
    "alt_text",
    "paired_note",
    "danish_number_formatter",
]

#: Height of the chapter-6 figures (the WHO-5 figure is taller).
PAIRED_HEIGHT_IN = 7.5 * th.CM
#: Shading strength of the WHO-5 bands behind the individual lines, and
#: their short labels (the legend of the right panel gives the long ones).
_BAND_ALPHA = (0.5, 0.35, 0.18)
_BAND_SHORT = (
    f"0-{scoring.WHO5_BANDS[0]}",
    f"{scoring.WHO5_BANDS[0] + 1}-{scoring.WHO5_BANDS[1]}",
    f"Over {scoring.WHO5_BANDS[1]}",
)
#: Space reserved below the plot for the note: padding plus one line of
#: 8 pt text (inches).
_NOTE_PAD_IN = 0.12
_NOTE_LINE_IN = 0.15
#: White box behind the mean labels so the individual lines do not cross the digits.
_LABEL_BOX = dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.85)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def danish_number_formatter(decimals: int | None = None) -> FuncFormatter:
    """Tick formatter with decimal comma (``2,5``); whole numbers stay bare.

    Parameters
    ----------
    decimals : int, optional
        Fixed decimals; default: as many as the tick value needs (max 2).
    """

    def format_tick(x, _pos=None) -> str:
        if decimals is not None:
            return fmt.num(x, decimals)
        return fmt.num(x, 2, strip_zeros=True)

    return FuncFormatter(format_tick)


def _pct_formatter() -> FuncFormatter:
    return FuncFormatter(lambda x, _pos=None: fmt.pct(x, 0))


def paired_note(n: int, hidden_lines: bool = False, min_cell: int = 0) -> str:
    """The note under Figur 1-4: how many respondents the figure rests on."""
    text = f"Note: Baseret på de samme {fmt.count(n)} unge, der har besvaret spørgeskemaet både ved start og afslutning."
    if hidden_lines:
        text += f" Forløb, som færre end {fmt.count(min_cell)} unge har til fælles, er ikke tegnet."
    return text


WITHHELD_FIGURE = ("Figuren vises ikke, fordi den bygger på færre end {m} unge. Små tal kan afsløre, "
                   "hvem de handler om (diskretionsreglen).")


def withheld_figure(min_cell: int) -> Figure:
    """The small figure that stands in for one whose base is below the rule."""
    with th.theme():
        fig = Figure(figsize=(th.WIDTH_IN, 2.0 * th.CM))
        # An (invisible) axes: IPython does not display a figure without one.
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.text(0.5, 0.5, _wrap(WITHHELD_FIGURE.format(m=fmt.count(min_cell)), 90), ha="center", va="center",
                fontsize=th.SMALL_SIZE, gid="withheld", transform=ax.transAxes)
    return fig


def _new_figure(height_in: float, note: str | None = None) -> Figure:
    """A figure with a band at the bottom kept free for ``note``.

    Built inside :func:`ipsreport.theme.theme` by the callers. The note is
    wrapped to the figure width first (:func:`_wrap_to_width`), so the band
    is as tall as the wrapped note; the layout engine places the axes above
    the band and :func:`_add_note` writes into it.
    """
    fig = Figure(figsize=(th.WIDTH_IN, height_in), layout="constrained")
    lines = len(_note_lines(note, th.WIDTH_IN)) if note else 0
    band_in = _NOTE_PAD_IN + _NOTE_LINE_IN * lines if lines else 0.0
    band = min(band_in / height_in, 0.35)
    fig.get_layout_engine().set(rect=(0, band, 1, 1 - band), h_pad=0.04, w_pad=0.04)
    return fig


def _text_width_in(text: str, fontsize: float) -> float:
    """Width of ``text`` set in the theme's font at ``fontsize`` (inches)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=th.rc_params()["font.sans-serif"][0], size=fontsize)
    width, _height, _descent = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return width / 72.0


def _wrap_to_width(text: str, width_in: float, fontsize: float) -> list[str]:
    """Greedy word wrap of ``text`` so no line is wider than ``width_in``.

    Measures the real glyph widths (not a character count), so a note with
    many wide letters or digits still stays inside the figure.
    """
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and _text_width_in(candidate, fontsize) > width_in:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _note_lines(text: str, fig_width_in: float) -> list[str]:
    """The note as it is printed: non-breaking spaces set, wrapped to the figure."""
    # Keep "12 %" and "p = 0,05" together when the note wraps.
    text = text.replace(" %", "\u00a0%").replace("p = ", "p\u00a0=\u00a0")
    # A little short of the full width: the note starts at a small inset.
    return _wrap_to_width(text, fig_width_in * 0.97, th.SMALL_SIZE)


def _add_note(fig: Figure, text: str) -> None:
    wrapped = "\n".join(_note_lines(text, fig.get_figwidth()))
    fig.text(0.005, 0.01, wrapped, ha="left", va="bottom", fontsize=th.SMALL_SIZE, gid="note")


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width)) or text


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
        lines.append(_wrap(row["reason"], 30))
    return "\n".join(lines)


def _scale_ticks(ed, score: str):
    """Tick positions and labels for the score's axis."""
    spec = SCORES[score]
    if spec.anchors_from:
        values = ed.codebook.labels("baseline", spec.anchors_from)
        ticks = sorted(values)
        labels = [f"{code} {_wrap(values[code], 16)}".replace("\n", "\n   ") for code in ticks]
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


def _trajectory_style(counts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
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

    ``trajectories`` is :meth:`ipsreport.disclosed.Disclosed.paired_pairs`:
    distinct (start, end) pairs with the number of persons sharing each.
    """
    spec = SCORES[score]
    decimals = spec.decimals
    n = int(row["n"])
    if len(trajectories):
        pairs = trajectories[["start", "end"]].to_numpy(dtype=float)
        counts = trajectories["n"].to_numpy()
        colours, widths = _trajectory_style(counts, n)
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
        fig = _new_figure(PAIRED_HEIGHT_IN, note)
        ax, side = fig.subplots(1, 2, width_ratios=[3, 1.9])
        _draw_paired(ax, ed, score, row, trajectories)
        side.set_axis_off()
        side.text(0.0, 0.5, _change_text(row, SCORES[score].decimals, _level(ed)), ha="left", va="center",
                  fontsize=th.FONT_SIZE, linespacing=1.35, transform=side.transAxes, gid="change")
        _add_note(fig, note)
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
        fig = _new_figure(10.5 * th.CM, note)
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

        # Right: band shares, stacked, band 1 at the bottom.
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
        right.yaxis.set_major_formatter(_pct_formatter())
        right.set_ylabel("Andel af de unge")
        handles, labels = right.get_legend_handles_labels()
        # Legend beside the bars, top band first as in the stack.
        right.legend(handles[::-1], [_wrap(lbl, 20) for lbl in labels[::-1]], loc="upper left",
                     bbox_to_anchor=(1.0, 1.0), fontsize=th.SMALL_SIZE, handlelength=1.4, labelspacing=0.9,
                     borderaxespad=0.2)
        _add_note(fig, note)
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


# --------------------------------------------------------------------------
# Bilag 5
# --------------------------------------------------------------------------
def _base_note(summary: pd.DataFrame) -> str:
    bases = summary.drop_duplicates("variable")["base"].astype("Float64").dropna()
    if bases.empty:
        return "Note: Ingen har besvaret spørgsmålet."
    lo, hi = int(bases.min()), int(bases.max())
    who = fmt.count(lo) if lo == hi else f"{fmt.count(lo)}-{fmt.count(hi)}"
    return f"Note: Baseret på svar fra {who} unge i spørgeskemaet ved afslutning."


def _withheld(summary: pd.DataFrame) -> bool:
    return bool(len(summary)) and bool(summary["base_suppressed"].all())


def _single_item_bars(summary: pd.DataFrame, min_cell: int) -> Figure:
    """Horizontal bars, one per category (codebook order top to bottom)."""
    if _withheld(summary):
        return withheld_figure(min_cell)
    cats = summary["category"].tolist()
    pct = summary["pct"].to_numpy(dtype=float)
    labels = [f"{disclosure.cell_pct(p, s)} ({disclosure.cell_count(k, s, min_cell)})"
              for p, k, s in zip(summary["pct"], summary["n"], summary["suppression"])]
    with th.theme():
        fig = _new_figure(max(5.5, 1.2 + 0.75 * len(cats)) * th.CM, _base_note(summary))
        ax = fig.subplots()
        y = np.arange(len(cats))
        ax.barh(y, np.nan_to_num(pct), height=0.62, color=th.END_COLOUR, gid="bars")
        for yi, p, label in zip(y, pct, labels):
            ax.text(np.nan_to_num(p) + 1.2, yi, label, va="center", ha="left", fontsize=th.SMALL_SIZE)
        ax.set_yticks(y, [_wrap(c, 28) for c in cats])
        ax.invert_yaxis()
        # Room for the labels, but no axis beyond 100 % (the scale stays honest).
        top = float(np.nanmax(pct)) if np.isfinite(pct).any() else 0.0
        xmax = min(100.0, 25.0 * np.ceil((top + 15.0) / 25.0))
        ax.set_xlim(0, xmax)
        ax.xaxis.set_major_locator(FixedLocator(np.arange(0, xmax + 1, 25)))
        ax.xaxis.set_major_formatter(_pct_formatter())
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x")
        ax.set_xlabel("Andel af de unge, der har svaret (antal i parentes)")
        _add_note(fig, _base_note(summary))
    return fig


def fig_experience(ed) -> Figure:
    """Bilag 5: "Hvordan har du oplevet dit forløb?" — share per answer.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Figure
    """
    protected = disclosed(ed)
    return _single_item_bars(protected.experience, protected.min_cell)


def fig_effect(ed) -> Figure:
    """Bilag 5: "Hvordan har det samlet set påvirket dig ..." — share per answer.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Figure
    """
    protected = disclosed(ed)
    return _single_item_bars(protected.effect, protected.min_cell)


def fig_statements(ed) -> Figure:
    """Bilag 5: "Hvor godt passer følgende udsagn på dig?" — 100 % stacked bars.

    One bar per statement (codebook order top to bottom), one segment per
    answer from "I meget høj grad" (darkest) to "Slet ikke" (lightest);
    shares of at least 6 % are printed in the segment.

    Parameters
    ----------
    ed : Edition

    Returns
    -------
    Figure
    """
    protected = disclosed(ed)
    summary = protected.statements
    if _withheld(summary):
        return withheld_figure(protected.min_cell)
    items = summary.drop_duplicates("variable")[["variable", "label"]]
    cats = summary.drop_duplicates("code")[["code", "category"]]
    colours = th.sequential(len(cats))
    with th.theme():
        fig = _new_figure((2.4 + 1.25 * len(items)) * th.CM, _base_note(summary))
        ax = fig.subplots()
        y = np.arange(len(items))
        left = np.zeros(len(items))
        for (code, category), colour in zip(cats.itertuples(index=False), colours):
            sub = summary[summary["code"] == code].set_index("variable").loc[items["variable"]]
            pct = np.nan_to_num(sub["pct"].to_numpy(dtype=float))
            ax.barh(y, pct, left=left, height=0.66, color=colour, edgecolor="white", linewidth=0.8,
                    label=category, gid=f"code_{code}")
            for yi, p, l0 in zip(y, pct, left):
                if p >= 6:
                    ax.text(l0 + p / 2, yi, fmt.pct(p), ha="center", va="center",
                            fontsize=th.SMALL_SIZE, color=th.text_colour_on(colour))
            left = left + pct
        ax.set_yticks(y, [_wrap(lbl, 34) for lbl in items["label"]])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
        ax.xaxis.set_major_formatter(_pct_formatter())
        ax.tick_params(axis="y", length=0)
        # A figure-level legend lets the layout engine keep it inside the page width.
        fig.legend(loc="outside upper center", ncols=len(cats), fontsize=th.SMALL_SIZE,
                   handlelength=1.2, columnspacing=1.0, handletextpad=0.4)
        _add_note(fig, _base_note(summary))
    return fig


# --------------------------------------------------------------------------
# alt texts
# --------------------------------------------------------------------------
_PAIRED_FIGS = {"fig_mastery": "mastery", "fig_loneliness": "loneliness", "fig_who5": "who5", "fig_burden": "burden"}
_BILAG5_FIGS = {
    "fig_experience": ("experience", lambda d: d.experience),
    "fig_statements": ("statements", lambda d: d.statements),
    "fig_effect": ("effect", lambda d: d.effect),
}


def _normalise_name(name: str) -> str:
    key = name.replace("-", "_")
    return key if key.startswith("fig_") else f"fig_{key}"


def _paired_alt(ed, score: str) -> str:
    spec = SCORES[score]
    protected = disclosed(ed)
    row = protected.paired(score).iloc[0]
    n = int(row["n"])
    if row["withheld"]:
        return WITHHELD_FIGURE.format(m=fmt.count(protected.min_cell))
    if n == 0:
        return f"Figur uden data: ingen unge har en {spec.short} både ved start og afslutning."
    d = spec.decimals
    verb = fmt.direction(row["mean_start"], row["mean_end"], d)
    if verb == "var uændret":
        change = f"var uændret på {fmt.num(row['mean_start'], d)}"
    else:
        change = f"{verb} fra {fmt.num(row['mean_start'], d)} ved start til {fmt.num(row['mean_end'], d)} ved afslutning"
    if np.isfinite(row["p_ttest"]):
        sig = "statistisk signifikant" if row["significant"] else "ikke statistisk signifikant"
        sig_text = f" Ændringen er {sig} (p = {fmt.pvalue(row['p_ttest'])})."
    else:
        sig_text = ""
    text = (
        f"Linjediagram: den gennemsnitlige {spec.short} ({fmt.num(spec.low, 0)}-{fmt.num(spec.high, 0)}) "
        f"{change} for de samme {fmt.count(n)} unge; tynde linjer viser hver enkelt ung.{sig_text}"
    )
    if score == "who5":
        bands = protected.who5_bands
        high = bands[bands["band"] == 3].set_index("time")["pct"]
        low = bands[bands["band"] == 1].set_index("time")["pct"]
        population = (ed.codebook.scores.get("who5") or {}).get("population_mean", scoring.WHO5_POPULATION_MEAN)
        text += (
            f" Befolkningsgennemsnit {fmt.num(population, 0)} er vist som stiplet linje."
            f" Andelen med en score over 50 {fmt.direction(high['start'], high['end'], 1)} fra "
            f"{fmt.pct(high['start'], 1, True)} til {fmt.pct(high['end'], 1, True)}, og andelen med meget lav "
            f"trivsel (0-35) {fmt.direction(low['start'], low['end'], 1)} fra {fmt.pct(low['start'], 1, True)} "
            f"til {fmt.pct(low['end'], 1, True)}."
        )
    return text


def _bilag5_alt(ed, key: str, summarise) -> str:
    protected = disclosed(ed)
    summary = summarise(protected)
    if _withheld(summary):
        return WITHHELD_FIGURE.format(m=fmt.count(protected.min_cell))
    question = BILAG5_QUESTIONS[key]
    if key == "statements":
        top = summary[summary["code"].isin([1, 2])].groupby("variable", sort=False)["pct"].sum()
        labels = summary.drop_duplicates("variable").set_index("variable")["label"]
        parts = [f"{labels[v]}: {fmt.pct(p)}" for v, p in top.items()]
        return (
            f"Stablet søjlediagram med svar på spørgsmålet »{question}« ({_base_note(summary)[6:-1].lower()}). "
            f"Andel, der svarer i høj eller meget høj grad: {'; '.join(parts)}."
        )
    parts = [f"{c} {disclosure.cell_pct(p, s)}"
             for c, p, s in zip(summary["category"], summary["pct"], summary["suppression"])]
    return (
        f"Søjlediagram med svar på spørgsmålet »{question}« ({_base_note(summary)[6:-1].lower()}): "
        f"{fmt.join_words(parts)}."
    )


def alt_text(fig_name: str, ed) -> str:
    """Danish alt text for a figure, computed from the same numbers it shows.

    Parameters
    ----------
    fig_name : str
        ``"fig_who5"``, ``"fig-who5"`` or ``"who5"`` (any figure of this module).
    ed : Edition

    Returns
    -------
    str
        E.g. ``"Linjediagram: den gennemsnitlige WHO-5-score (0-100) steg fra 49
        ved start til 51 ved afslutning for de samme 40 unge; ..."``.
    """
    key = _normalise_name(fig_name)
    if key in _PAIRED_FIGS:
        return _paired_alt(ed, _PAIRED_FIGS[key])
    if key in _BILAG5_FIGS:
        return _bilag5_alt(ed, *_BILAG5_FIGS[key])
    known = sorted([*_PAIRED_FIGS, *_BILAG5_FIGS])
    raise KeyError(f"no figure named {fig_name!r}; known: {known}")
