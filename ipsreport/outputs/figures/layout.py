"""Shared layout of the report's figures: size, note band, wrapping, Danish tick formatters.

Every ``fig_*`` builds its :class:`~matplotlib.figure.Figure` with
:func:`new_figure` (a band at the bottom kept free for the note) and writes
the note with :func:`add_note`; a figure whose base is below the small-number
rule is replaced by :func:`withheld_figure`.
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

import ipsreport.outputs.fmt as fmt
import ipsreport.outputs.theme as th

__all__ = [
    "WITHHELD_FIGURE",
    "danish_number_formatter",
    "pct_formatter",
    "withheld_figure",
    "new_figure",
    "text_width_in",
    "wrap_to_width",
    "note_lines",
    "add_note",
    "wrap",
]

#: Space reserved below the plot for the note: padding plus one line of
#: 8 pt text (inches).
_NOTE_PAD_IN = 0.12
_NOTE_LINE_IN = 0.15


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


def pct_formatter() -> FuncFormatter:
    """Tick formatter for percentages on the 0-100 scale: ``"25 %"``."""
    return FuncFormatter(lambda x, _pos=None: fmt.pct(x, 0))



WITHHELD_FIGURE = ("Figuren vises ikke, fordi den bygger på færre end {m} unge eller sammen med rapportens "
                   "øvrige tal ville afsløre et antal under {m}. Små tal kan afsløre, hvem de handler om "
                   "(diskretionsreglen).")


def withheld_figure(min_cell: int) -> Figure:
    """The small figure that stands in for one whose base is below the rule."""
    with th.theme():
        fig = Figure(figsize=(th.WIDTH_IN, 2.0 * th.CM))
        # An (invisible) axes: IPython does not display a figure without one.
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.text(0.5, 0.5, wrap(WITHHELD_FIGURE.format(m=fmt.count(min_cell)), 90), ha="center", va="center",
                fontsize=th.SMALL_SIZE, gid="withheld", transform=ax.transAxes)
    return fig


def new_figure(height_in: float, note: str | None = None) -> Figure:
    """A figure with a band at the bottom kept free for ``note``.

    Built inside :func:`ipsreport.outputs.theme.theme` by the callers. The note is
    wrapped to the figure width first (:func:`wrap_to_width`), so the band
    is as tall as the wrapped note; the layout engine places the axes above
    the band and :func:`add_note` writes into it.
    """
    fig = Figure(figsize=(th.WIDTH_IN, height_in), layout="constrained")
    lines = len(note_lines(note, th.WIDTH_IN)) if note else 0
    band_in = _NOTE_PAD_IN + _NOTE_LINE_IN * lines if lines else 0.0
    band = min(band_in / height_in, 0.35)
    fig.get_layout_engine().set(rect=(0, band, 1, 1 - band), h_pad=0.04, w_pad=0.04)
    return fig


def text_width_in(text: str, fontsize: float) -> float:
    """Width of ``text`` set in the theme's font at ``fontsize`` (inches)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=th.rc_params()["font.sans-serif"][0], size=fontsize)
    width, _height, _descent = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return width / 72.0


def wrap_to_width(text: str, width_in: float, fontsize: float) -> list[str]:
    """Greedy word wrap of ``text`` so no line is wider than ``width_in``.

    Measures the real glyph widths (not a character count), so a note with
    many wide letters or digits still stays inside the figure.
    """
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and text_width_in(candidate, fontsize) > width_in:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def note_lines(text: str, fig_width_in: float) -> list[str]:
    """The note as it is printed: non-breaking spaces set, wrapped to the figure."""
    # Keep "12 %" and "p = 0,05" together when the note wraps.
    text = text.replace(" %", "\u00a0%").replace("p = ", "p\u00a0=\u00a0")
    # A little short of the full width: the note starts at a small inset.
    return wrap_to_width(text, fig_width_in * 0.97, th.SMALL_SIZE)


def add_note(fig: Figure, text: str) -> None:
    """Write ``text`` (wrapped as :func:`note_lines` does) into the band :func:`new_figure` kept free."""
    wrapped = "\n".join(note_lines(text, fig.get_figwidth()))
    fig.text(0.005, 0.01, wrapped, ha="left", va="bottom", fontsize=th.SMALL_SIZE, gid="note")


def wrap(text: str, width: int) -> str:
    """``text`` wrapped at ``width`` characters (for labels; notes use :func:`wrap_to_width`)."""
    return "\n".join(textwrap.wrap(text, width=width)) or text
