"""Names every part of the engine shares: errors, the render result, constants."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

__all__ = ["ENGINE_VERSION", "STAMP_FILE", "TARGETS", "Progress", "RenderError", "RenderResult", "ToolMissingError"]

#: Bump when the engine's output format changes (invalidates caches).
ENGINE_VERSION = "1"
#: Marker file of an output folder (see :mod:`ipsreport.render.outdir`).
STAMP_FILE = ".ipsreport-stamp"
TARGETS = ("html", "pdf", "all")

#: ``progress(event, detail)``; events ``cached``, ``executed``, ``write``, ``unchanged``.
Progress = Callable[[str, str], None]


class RenderError(RuntimeError):
    """A render failed; the message is a one-paragraph explanation."""


class ToolMissingError(RenderError):
    """A required external tool (quarto) is not installed."""


@dataclass
class RenderResult:
    """What a render did.

    Attributes
    ----------
    output_dir : Path
    html_pages : list of Path
    pdf : Path or None
    executed : list of Path
        Chapters whose cells ran in this render.
    cached : list of Path
        Chapters whose outputs came from the cache.
    unchanged : bool
        True when nothing changed since the last render and the output
        folder was left as it was.
    warnings : list of str
    """

    output_dir: Path
    html_pages: list[Path] = field(default_factory=list)
    pdf: Path | None = None
    executed: list[Path] = field(default_factory=list)
    cached: list[Path] = field(default_factory=list)
    unchanged: bool = False
    warnings: list[str] = field(default_factory=list)
