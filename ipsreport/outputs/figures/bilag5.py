"""Bilag 5: the young people's answers at the end, as bar charts.

The single-answer questions are drawn with ``seaborn.barplot`` over the
disclosed tidy frame; the statements are 100 % stacked bars, drawn with
matplotlib because seaborn has no stacked bar chart of given shares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

import ipsreport.outputs.fmt as fmt
import ipsreport.outputs.theme as th
from ipsreport.analysis.disclosed import disclosure
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.outputs.figures.layout import add_note, new_figure, pct_formatter, withheld_figure, wrap

__all__ = ["fig_experience", "fig_effect", "fig_statements", "single_item_bars", "base_note", "all_withheld"]


def base_note(summary: pd.DataFrame) -> str:
    """The note under a Bilag 5 figure: how many answered (a range where items differ)."""
    bases = summary.drop_duplicates("variable")["base"].astype("Float64").dropna()
    if bases.empty:
        return "Note: Ingen har besvaret spørgsmålet."
    lo, hi = int(bases.min()), int(bases.max())
    who = fmt.count(lo) if lo == hi else fmt.span(lo, hi)
    return f"Note: Baseret på svar fra {who} unge i spørgeskemaet ved afslutning."


def all_withheld(summary: pd.DataFrame) -> bool:
    """Every base of the summary is below the rule: the figure is withheld."""
    return bool(len(summary)) and bool(summary["base_suppressed"].all())


def single_item_bars(summary: pd.DataFrame, min_cell: int) -> Figure:
    """Horizontal bars, one per category (codebook order top to bottom), drawn with ``seaborn.barplot``."""
    if all_withheld(summary):
        return withheld_figure(min_cell)
    cats = summary["category"].tolist()
    pct = summary["pct"].to_numpy(dtype=float)
    labels = [f"{disclosure.cell_pct(p, s)} ({disclosure.cell_count(k, s, min_cell)})"
              for p, k, s in zip(summary["pct"], summary["n"], summary["suppression"])]
    # The categories' positions, not their names, are seaborn's categories:
    # two answers with the same label must still get a bar each.
    bars = pd.DataFrame({"position": range(len(cats)), "pct": np.nan_to_num(pct)})
    with th.theme():
        fig = new_figure(max(5.5, 1.2 + 0.75 * len(cats)) * th.CM, base_note(summary))
        ax = fig.subplots()
        # One bar per category, first category on top (seaborn's categorical axis).
        sns.barplot(bars, x="pct", y="position", orient="h", ax=ax, width=0.62, color=th.END_COLOUR,
                    saturation=1, errorbar=None, linewidth=0)
        for bar in ax.patches:
            bar.set_gid("bars")
        for yi, p, label in zip(bars["position"], pct, labels):
            ax.text(np.nan_to_num(p) + 1.2, yi, label, va="center", ha="left", fontsize=th.SMALL_SIZE)
        ax.set_yticks(bars["position"], [wrap(c, 28) for c in cats])
        ax.set_ylabel("")
        # Room for the labels, but no axis beyond 100 % (the scale stays honest).
        top = float(np.nanmax(pct)) if np.isfinite(pct).any() else 0.0
        xmax = min(100.0, 25.0 * np.ceil((top + 15.0) / 25.0))
        ax.set_xlim(0, xmax)
        ax.xaxis.set_major_locator(FixedLocator(np.arange(0, xmax + 1, 25)))
        ax.xaxis.set_major_formatter(pct_formatter())
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x")
        ax.set_xlabel("Andel af de unge, der har svaret (antal i parentes)")
        add_note(fig, base_note(summary))
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
    return single_item_bars(protected.experience, protected.min_cell)


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
    return single_item_bars(protected.effect, protected.min_cell)


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
    if all_withheld(summary):
        return withheld_figure(protected.min_cell)
    items = summary.drop_duplicates("variable")[["variable", "label"]]
    cats = summary.drop_duplicates("code")[["code", "category"]]
    colours = th.sequential(len(cats))
    # matplotlib, not seaborn: seaborn has no stacked bar chart of given shares
    # (histplot's multiple="stack" bins raw observations), and each segment needs
    # its own gid, edge and in-segment label.
    with th.theme():
        fig = new_figure((2.4 + 1.25 * len(items)) * th.CM, base_note(summary))
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
        ax.set_yticks(y, [wrap(lbl, 34) for lbl in items["label"]])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
        ax.xaxis.set_major_formatter(pct_formatter())
        ax.tick_params(axis="y", length=0)
        # A figure-level legend lets the layout engine keep it inside the page width.
        fig.legend(loc="outside upper center", ncols=len(cats), fontsize=th.SMALL_SIZE,
                   handlelength=1.2, columnspacing=1.0, handletextpad=0.4)
        add_note(fig, base_note(summary))
    return fig
