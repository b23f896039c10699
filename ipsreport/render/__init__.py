"""Quarto-free render engine: ``.qmd`` book -> HTML pages + one Typst PDF.

Entry points: :func:`ipsreport.render.engine.render_book` and
:func:`~ipsreport.render.engine.render_variants`; what a book needs beyond
its sources is a :class:`ipsreport.render.hooks.BookHooks`. The engine
understands the Quarto-markdown subset documented in ``report/README.md`` so
that the same chapters render alike with Quarto. It imports nothing from
``ipsreport`` outside ``ipsreport.render`` (``tests/test_house.py``, ``test_engine_imports_nothing_of_the_report``).
Submodules are imported explicitly (``from ipsreport.render.engine import
render_book``); this package imports none of them, so importing the CLI
stays cheap.
"""
