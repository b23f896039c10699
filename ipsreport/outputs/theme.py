"""One visual theme for every figure of the report.

Design rules (see also ``ipsreport.outputs.figures``):

* **Size**: figures are drawn for an A4 text column, :data:`WIDTH_IN` (16 cm)
  wide, and shown at that size in the PDF; HTML scales them down on a phone,
  so the base font is 9 pt and nothing is smaller than 8 pt at print size.
* **Palette**: one blue hue stepped in *lightness* (:data:`SEQUENTIAL`), so
  ordered categories keep their order in greyscale print and for colour-blind
  readers; where two series must be told apart (start vs end) they differ in
  lightness *and* marker/hatch, never by hue alone.
* **No titles** inside figures: the Quarto caption is the title.
* **SVG output**: ``svg.fonttype = "path"`` turns glyphs into outlines, so a
  figure looks identical in any browser, on a phone without DejaVu Sans and
  in Typst (which only knows the fonts handed to it); the Danish letters
  æ, ø, å therefore cannot fall back to a missing glyph. Screen readers get
  the figure's alt text (``ipsreport.outputs.figures.alt_text``) instead of the SVG
  text. ``svg.hashsalt`` makes the SVG ids deterministic, so re-rendering
  unchanged data gives byte-identical figures.

The base is seaborn's ``"ticks"`` style (:func:`seaborn.axes_style`: white
background, ticks outside, no grid); the report's colours, fonts and sizes
are laid over it. The style is applied through :func:`matplotlib.rc_context`
rather than :func:`seaborn.set_theme`, which would change the process-wide
defaults and leak into every later figure of a notebook.

Use :func:`theme` as a context manager around figure construction (the
``fig_*`` functions do this themselves) or :func:`apply_theme` once per
process (chapters need not call it; it only sets the SVG output options
globally, which apply when the figure is saved rather than built).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib as mpl
import seaborn as sns

__all__ = [
    "CM",
    "WIDTH_IN",
    "SEQUENTIAL",
    "START_COLOUR",
    "END_COLOUR",
    "INDIVIDUAL_COLOUR",
    "REFERENCE_COLOUR",
    "TEXT_COLOUR",
    "BAND_COLOURS",
    "BAND_HATCHES",
    "FONT_SIZE",
    "SMALL_SIZE",
    "rc_params",
    "theme",
    "apply_theme",
    "sequential",
    "text_colour_on",
]

#: Inches per centimetre.
CM = 1 / 2.54
#: Figure width: an A4 text column.
WIDTH_IN = 16 * CM

#: Five blues from dark to light (CIE L* roughly 22, 42, 62, 80, 92): the
#: steps stay distinct in greyscale. Index 0 is the "best"/first category.
SEQUENTIAL = ("#08306b", "#2b6cb0", "#6fa8dc", "#b4d0ea", "#e3ebf3")
#: Start vs end: light vs dark (plus different markers in the figures).
START_COLOUR = "#6fa8dc"
END_COLOUR = "#08306b"
#: Faint individual trajectories behind the means.
INDIVIDUAL_COLOUR = "#7a7a7a"
#: Reference lines (population mean): dark grey, dashed.
REFERENCE_COLOUR = "#404040"
TEXT_COLOUR = "#1a1a1a"
#: WHO-5 bands 1 (0-35), 2 (36-50), 3 (over 50): light to dark, the lowest
#: band also hatched so it reads without colour.
BAND_COLOURS = ("#e3ebf3", "#8fbbe3", "#2b6cb0")
BAND_HATCHES = ("///", "", "")

FONT_SIZE = 9.0
SMALL_SIZE = 8.0


def rc_params() -> dict:
    """Matplotlib rcParams of the report theme.

    Returns
    -------
    dict
        Seaborn's ``"ticks"`` style with the report's settings on top;
        suitable for :func:`matplotlib.rc_context`.
    """
    return {
        **sns.axes_style("ticks"),
        "figure.figsize": (WIDTH_IN, 8 * CM),
        "figure.dpi": 150,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "savefig.dpi": 200,
        "svg.fonttype": "path",
        "svg.hashsalt": "ipsreport",
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE,
        "axes.labelsize": FONT_SIZE,
        "axes.labelcolor": TEXT_COLOUR,
        "axes.edgecolor": "#8c8c8c",
        "axes.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "axes.axisbelow": True,
        # A true minus sign (U+2212) on default tick labels, as ipsreport.outputs.fmt
        # prints it in the figures' own labels and in the text.
        "axes.unicode_minus": True,
        "grid.color": "#dddddd",
        "grid.linewidth": 0.6,
        "xtick.labelsize": FONT_SIZE,
        "ytick.labelsize": FONT_SIZE,
        "xtick.color": TEXT_COLOUR,
        "ytick.color": TEXT_COLOUR,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "legend.fontsize": SMALL_SIZE,
        "legend.frameon": False,
        "text.color": TEXT_COLOUR,
        # Seaborn's style outlines every patch in white; the report outlines
        # only where it asks to (segments of stacked bars), so single bars keep their width.
        "patch.force_edgecolor": False,
        "hatch.color": "#5a6f87",
        "hatch.linewidth": 0.6,
        "lines.solid_capstyle": "round",
        "axes.prop_cycle": mpl.cycler(color=[END_COLOUR, START_COLOUR, "#6b6b6b"]),
    }


@contextlib.contextmanager
def theme() -> Iterator[None]:
    """Context manager applying the report theme to figures built inside it.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> with theme():
    ...     fig = Figure()
    """
    with mpl.rc_context(rc_params()):
        yield


def apply_theme() -> None:
    """Apply the report theme for the rest of the process.

    Sets every rcParam of :func:`rc_params` globally, including the SVG
    output options, which matter when a figure is *saved* (e.g. by the
    Jupyter inline backend after the cell has run).
    """
    mpl.rcParams.update(rc_params())


def sequential(k: int) -> list[str]:
    """``k`` colours (1-5) from :data:`SEQUENTIAL`, dark to light, evenly spread."""
    if not 1 <= k <= len(SEQUENTIAL):
        raise ValueError(f"the sequential palette has 1-{len(SEQUENTIAL)} colours, not {k}")
    if k == len(SEQUENTIAL):
        return list(SEQUENTIAL)
    step = (len(SEQUENTIAL) - 1) / max(k - 1, 1)
    return [SEQUENTIAL[round(i * step)] for i in range(k)]


def text_colour_on(colour: str) -> str:
    """White or near-black, whichever reads better on ``colour``."""
    r, g, b = mpl.colors.to_rgb(colour)
    # Relative luminance (sRGB, WCAG); 0.35 splits the palette cleanly.
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "white" if luminance < 0.35 else TEXT_COLOUR
