"""Which small-number rule protects a data folder (no pandas: the CLI asks on every run).

:mod:`ipsreport.analysis.disclosed.disclosure` applies the rule; this module only decides it.
"""

from __future__ import annotations

__all__ = ["AUTO_MIN_CELL", "resolve_min_cell"]

#: The rule applied when ``min_cell`` is ``auto`` and the data are not the twin.
AUTO_MIN_CELL = 3


def resolve_min_cell(setting: int | None, twin: bool) -> int:
    """The rule in force for a data folder.

    Parameters
    ----------
    setting : int or None
        The ``min_cell`` setting; ``None`` means ``auto``.
    twin : bool
        The folder is the verified synthetic twin
        (:attr:`ipsreport.inputs.manifest.ManifestCheck.twin`): its numbers are the
        2025 edition's published ones and describe no person.

    Returns
    -------
    int
        ``setting`` when given explicitly; else ``0`` for the twin and
        :data:`AUTO_MIN_CELL` for anything else.
    """
    if setting is not None:
        return int(setting)
    return 0 if twin else AUTO_MIN_CELL
