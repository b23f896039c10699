"""The book: what a render of the IPS UNG report hands the engine, per book and per site.

``hooks`` (``BookHooks``), ``keys`` (cache keys), ``sites`` (one book per site), ``guide``
(the reading guide), ``absent`` (cells that show nothing, for Quarto's numbering),
``lint`` (the chapter linter: ``python -m ipsreport.book.lint``), ``new_edition``
(``ipsreport new-edition YEAR``).
"""
