"""How a fact prints and why a value is hidden: the two vocabularies facts, the layer and the bundle share.

String enums (``StrEnum``): a member equals its value (``FactKind.PCT ==
"pct"``), so frames and JSON keep plain strings, while code that names a kind
or a state names a member, and a misspelt one fails when it is made instead
of printing the wrong thing.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["FactKind", "Suppression"]


class FactKind(StrEnum):
    """How a fact prints (see :class:`ipsreport.outputs.facts.fact.Fact`)."""

    COUNT = "count"
    PCT = "pct"
    OF = "of"
    NUM = "num"
    TEXT = "text"


class Suppression(StrEnum):
    """Why the disclosure layer hid a value (``""``: it did not)."""

    SHOWN = ""
    PRIMARY = "primary"
    SECONDARY = "secondary"
    POOLED = "pooled"
    BASE = "base"
