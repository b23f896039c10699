"""Analysis: derived variables, tidy summaries, the model, and the small-number rule applied once.

``derived``, ``scoring``, ``spec`` (Table 9's specification), ``summaries/`` (tidy
``summarise_*`` frames), ``models`` (``fit_regression``), ``evidence`` (how strong a sentence
about a result may be), ``disclosed/`` (the small-number rule: deciding it, applying it to
one frame, and the layer that applies it to everything published together), ``audit`` and
``published`` (the 2025 edition's printed numbers against the data), ``memo`` (results
computed once per edition).
"""
