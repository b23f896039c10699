"""Quarto-free render engine: ``.qmd`` book -> HTML pages + one Typst PDF.

The public entry point is :func:`ipsreport.render.engine.render_book`. The
engine understands the Quarto-markdown subset documented in
``report/README.md`` so that the same chapters render alike with Quarto.
"""

from __future__ import annotations

__all__ = ["render_book", "RenderError", "RenderResult"]


def __getattr__(name: str):
    # Lazy: importing the CLI must stay cheap.
    if name in __all__:
        from ipsreport.render import engine

        return getattr(engine, name)
    raise AttributeError(name)
