"""The dated timeline figure of a case (one per case appendix)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ipsreport.outputs.cases.load import danish_month, get_case
from ipsreport.outputs.cases.schema import EVENT_KINDS
from ipsreport.inputs.plaintext import plain

__all__ = ["APPROX_LEGEND", "fig_case_timeline"]

#: Marker per kind: kinds differ by shape, not only by colour.
_MARKERS = {"start": "o", "placement": "s", "job": "D", "education": "^", "admission": "v", "aftercare": "h", "other": "p"}
#: Legend entry of hollow markers: the date is only the marker's place on the axis.
APPROX_LEGEND = "Tidspunkt ikke præcist oplyst"


def _tick_label(value: float, _pos=None) -> str:
    import matplotlib.dates as mdates

    date = mdates.num2date(value)
    return danish_month(date, short=True).replace(" ", "\n")


def fig_case_timeline(name: str, cases_dir: Path | str | None = None):
    """Dated timeline of a case's events.

    Events are drawn on one time axis with Danish month labels; each kind has
    its own marker and shade (listed in the legend), approximate dates have
    hollow markers, and each event is labelled with its date and text,
    alternating above and below the axis.

    Parameters
    ----------
    name : str
        Case key (``"frederik"``).
    cases_dir : Path or str, optional
        Folder of case files.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    from ipsreport.outputs import theme as th

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    case = get_case(name, cases_dir)
    kinds = [k for k in EVENT_KINDS if any(e.kind == k for e in case.timeline)]
    shades = (th.SEQUENTIAL[0], th.SEQUENTIAL[1], th.SEQUENTIAL[0], th.SEQUENTIAL[1], th.SEQUENTIAL[2], th.SEQUENTIAL[2], "#6b6b6b")
    colours = dict(zip(EVENT_KINDS, shades))
    # Label rows above (+) and below (-) the axis, nearest first.
    levels = (1.0, -1.0, 2.6, -2.6, 4.2, -4.2)
    with th.theme():
        fig = Figure(figsize=(th.WIDTH_IN, 11 * th.CM))
        FigureCanvasAgg(fig)  # a renderer to measure label sizes with
        renderer = fig.canvas.get_renderer()
        ax = fig.add_axes((0.02, 0.24, 0.96, 0.74))
        dates = [mdates.date2num(e.date) for e in case.timeline]
        pad = 45
        ax.set_xlim(min(dates) - pad, max(dates) + pad)
        ax.set_ylim(-6.0, 6.0)
        ax.axhline(0, color="#8c8c8c", linewidth=0.8, zorder=1)
        placed: list = []  # display-space boxes of labels and stems already drawn
        for i, (event, x) in enumerate(zip(case.timeline, dates)):
            # Plain text, and no mathtext: a "$" in a case text is a dollar sign, not a formula.
            label = f"{plain(event.label)}\n" + "\n".join(textwrap.wrap(plain(event.text), 30))
            side = (1, -1) if i % 2 == 0 else (-1, 1)
            candidates = [(lv, ha) for lv in sorted(levels, key=lambda v: (abs(v), side.index(1 if v > 0 else -1))) for ha in ("center", "left", "right")]
            best = None
            for level, ha in candidates:
                text = ax.annotate(
                    label, (x, level), ha=ha, va="bottom" if level > 0 else "top",
                    fontsize=th.SMALL_SIZE, color=th.TEXT_COLOUR, multialignment=ha if ha != "center" else "center",
                    parse_math=False,
                )
                box = text.get_window_extent(renderer).expanded(1.04, 1.08)
                stem = ax.transData.transform([(x, 0), (x, level)])
                stem_box = type(box).from_extents(stem[0][0] - 2, min(stem[:, 1]), stem[0][0] + 2, max(stem[:, 1]))
                axes_box = ax.get_window_extent(renderer)
                cost = sum(_overlap_area(box, b) + _overlap_area(stem_box, b) for b in placed)
                cost += box.width * box.height - _overlap_area(box, axes_box)  # outside the axes
                if best is None or cost < best[0]:
                    if best is not None:
                        best[1].remove()
                    best = (cost, text, box, stem_box, level)
                else:
                    text.remove()
                if cost == 0:
                    break
            _, text, box, stem_box, level = best
            placed += [box, stem_box]
            # Events on the same date are stacked along their stem, not hidden.
            repeat = dates[:i].count(x)
            y = 0.4 * repeat * (1 if level > 0 else -1)
            colour = colours[event.kind]
            ax.vlines(x, 0, level, color="#b0b0b0", linewidth=0.6, zorder=1)
            ax.scatter(
                [x], [y], s=46, marker=_MARKERS[event.kind], zorder=3,
                facecolors="white" if event.approx else colour, edgecolors=colour, linewidths=1.2,
            )
        _crop_timeline(fig, ax, placed, renderer)
        ax.yaxis.set_visible(False)
        ax.spines["left"].set_visible(False)
        span_months = (max(dates) - min(dates)) / 30.4
        interval = 1 if span_months <= 8 else 2 if span_months <= 16 else 3
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=interval))
        ax.xaxis.set_major_formatter(FuncFormatter(_tick_label))
        handles = [
            Line2D([], [], linestyle="", marker=_MARKERS[k], markersize=6, markerfacecolor=colours[k], markeredgecolor=colours[k], label=EVENT_KINDS[k])
            for k in kinds
        ]
        if any(e.approx for e in case.timeline):
            handles.append(
                Line2D([], [], linestyle="", marker="o", markersize=6, markerfacecolor="white", markeredgecolor="#6b6b6b", label=APPROX_LEGEND)
            )
        # One legend row when it fits the page width, else two even rows.
        ncols = len(handles) if len(handles) <= 5 else -(-len(handles) // 2)
        fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=ncols)
    return fig


def _crop_timeline(fig, ax, placed: list, renderer) -> None:
    """Shrink the timeline to the rows of labels actually used.

    The labels are placed on a fixed grid of rows (up to three above and
    three below the axis); most cases use only one or two, which would leave
    a tall empty band between the labels and the month axis. The figure is
    made shorter by exactly the unused part, so the scale of the drawing (and
    every label's position relative to its neighbours) stays the same.
    """
    to_data = ax.transData.inverted()
    ys = [0.0]
    for box in placed:
        (_, y0), (_, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        ys += [y0, y1]
    y_low, y_high = ax.get_ylim()
    low = max(y_low, min(ys) - 0.5)
    high = min(y_high, max(ys) + 0.3)
    if high - low >= 0.95 * (y_high - y_low):
        return
    height = fig.get_figheight()
    pos = ax.get_position()
    bottom_in, axes_in, top_in = pos.y0 * height, pos.height * height, (1 - pos.y1) * height
    new_axes_in = axes_in * (high - low) / (y_high - y_low)
    new_height = bottom_in + new_axes_in + top_in
    fig.set_figheight(new_height)
    ax.set_position((pos.x0, bottom_in / new_height, pos.width, new_axes_in / new_height))
    ax.set_ylim(low, high)


def _overlap_area(a, b) -> float:
    """Area shared by two display-space bounding boxes."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0.0) * max(h, 0.0)
