"""Outputs: what the book prints, formatted from the disclosure-controlled numbers only.

``items`` (every table and figure once), ``tables/``, ``figures/`` (each with its fidelity
appendix module ``fidelity``), ``facts/`` (prose numbers), ``cases/`` (the case appendices),
``fmt`` (Danish number formatting and typography), ``theme`` (the figures' visual theme).
"""
