"""The key indicators over three or more editions, each with its interval.

One small panel per indicator (seaborn's line with markers, matplotlib's
error bars for each edition's own 95 % interval: Wilson for a share, t for
a mean; counts and caseload have none). The numbers are
:func:`ipsreport.analysis.summaries.editions.summarise_edition_series`; a value the
small-number rule hid is left out of its panel (a gap), never drawn. With
fewer than three editions the figure is absent: nothing printed, no number.
"""

from __future__ import annotations

import math

import numpy as np
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

import ipsreport.outputs.theme as th
from ipsreport.results.editions.compare import Comparison
from ipsreport.results.editions.text import level
from ipsreport.outputs.figures.layout import add_note, danish_number_formatter, new_figure, wrap
from ipsreport.outputs.tables.absent import AbsentTable, absent_table

__all__ = ["fig_edition_series"]

_COLUMNS = 4


def fig_edition_series(comp: Comparison | None) -> Figure | AbsentTable:
    """Conclusion: each key indicator in every edition, with its 95 % interval (three or more editions).

    ``comp``: the run's comparison (``r.comparison``, :func:`ipsreport.pipeline.compare`); its ``series`` is drawn.
    """
    frame = comp.series if comp is not None else None
    if frame is None:
        return absent_table("")
    keys = list(dict.fromkeys(frame["indicator"]))
    years = sorted(int(y) for y in frame["year"].unique())
    rows = math.ceil(len(keys) / _COLUMNS)
    note = (f"Lodrette streger: {level(comp.alpha)}-konfidensinterval for udgavens eget tal (Wilson for "
            "andele, t for gennemsnit). "
            "Et tal skjult efter reglen for små tal er udeladt.")
    with th.theme():
        fig = new_figure(rows * 3.6 * th.CM + 1.2 * th.CM, note)
        axes = fig.subplots(rows, _COLUMNS, squeeze=False)
        for ax, key in zip(axes.flat, keys):
            part = frame[(frame["indicator"] == key) & frame["value"].notna()]
            sns.lineplot(part, x="year", y="value", ax=ax, marker="o", color=th.END_COLOUR, errorbar=None)
            shown = part[part["ci_low"].notna()]
            if not shown.empty:
                ax.errorbar(shown["year"], shown["value"],
                            yerr=np.vstack([shown["value"] - shown["ci_low"], shown["ci_high"] - shown["value"]]),
                            fmt="none", ecolor=th.END_COLOUR, elinewidth=1, capsize=2, gid=f"interval_{key}")
            ax.set_title(wrap(str(frame.loc[frame["indicator"] == key, "label"].iloc[0]), 22),
                         fontsize=th.SMALL_SIZE)
            ax.xaxis.set_major_locator(FixedLocator(years))
            ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
            # A year is a name, not a number: no thousands separator.
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos=None: str(int(round(x)))))
            ax.yaxis.set_major_formatter(danish_number_formatter())
            _room(ax, part)
            ax.tick_params(labelsize=th.SMALL_SIZE - 1)
            ax.set_xlabel("")
            ax.set_ylabel("")
            ax.grid(axis="y")
        for ax in list(axes.flat)[len(keys):]:
            ax.set_visible(False)
        add_note(fig, note)
    return fig



def _room(ax, part) -> None:
    """At least a tenth of the value (or 1) above and below a flat series, so a constant reads as flat."""
    values = np.concatenate([part["value"].to_numpy(float), part["ci_low"].dropna().to_numpy(float),
                             part["ci_high"].dropna().to_numpy(float)])
    if not len(values):
        return
    low, high = float(values.min()), float(values.max())
    pad = max(abs(high) * 0.1, 1.0) if high - low < max(abs(high) * 0.1, 1.0) else 0.0
    if pad:
        ax.set_ylim(low - pad, high + pad)
