"""The codebook's vocabulary: variable types and the names in a condition.

A leaf module shared by :mod:`ipsreport.inputs.codebook.codebook` (the frozen dataclasses the
package uses) and :mod:`ipsreport.inputs.codebook.file` (the pydantic models that
check the YAML file), so neither has to import the other.
"""

from __future__ import annotations

import re

__all__ = ["TYPES", "condition_names"]

TYPES = ("id", "string", "date", "integer", "number", "category")

#: ``prefix.name`` or ``name`` in a condition.
_CONDITION_NAME = re.compile(r"\b(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)\b")
_WORDS = {"and", "or", "not", "in", "True", "False"}


def condition_names(expr: str) -> list[tuple[str | None, str]]:
    """``(prefix or None, variable)`` of every variable in a condition, in order of first mention."""
    out: list[tuple[str | None, str]] = []
    for prefix, name in _CONDITION_NAME.findall(expr):
        key = (prefix or None, name)
        if name in _WORDS or key in out:
            continue
        out.append(key)
    return out
