"""Settings: the one pydantic ``Settings`` (defaults ⊕ ``ipsreport.yml`` ⊕ ``--set``).

``settings`` (the model, loading and layering), ``fields`` (value types of its fields),
``rules`` (settings that must agree with each other), ``doc`` (the table of
``docs/settings.md``: ``python -m ipsreport.config.doc``), ``defaults.yml``.
"""
