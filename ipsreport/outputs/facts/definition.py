"""How a fact is declared: :class:`FactDef` and its constructors.

- :func:`pooled`: categories of one codebook item pooled in a disclosed
  frame. Not written in Python: the table ``data/codebook_facts.csv``
  declares them, and :mod:`ipsreport.outputs.facts.pooled` calls this constructor
  for each of its facts.
- :func:`counted`: a row of the registry counts (``counted("success_pct",
  measure="success", kind="pct")``);
- :func:`written`: a Danish text written by one function from the frame the
  fact reads, or from the edition when it reads none
  (``written("regression_summary", rp.summary, source=REGRESSION, ...)``);
- :func:`computed`: anything else, a function of the
  :class:`~ipsreport.outputs.facts.Facts` object that returns a
  :class:`~ipsreport.outputs.facts.fact.Fact`.

The registry modules (``ipsreport.outputs.facts.registry_*``) write every other
fact out by name with one of the last three.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from ipsreport.outputs.facts.fact import Fact, from_pool
from ipsreport.outputs.facts.sources import REGISTRY_COUNTS, Source
from ipsreport.results.kinds import FactKind

if TYPE_CHECKING:
    from ipsreport.outputs.facts.access import Facts

__all__ = ["FactDef", "pooled", "counted", "written", "computed", "collect"]

#: Printed kind of the pooled kinds, for CONTRACT.md.
_KIND = {"pct": "pct", "n": "count", "of": "of"}


@dataclass(frozen=True)
class FactDef:
    """The definition of one fact.

    Attributes
    ----------
    name : str
    compute : callable
        ``Facts -> Fact``.
    kind : FactKind
        How it prints: ``count``, ``pct``, ``of``, ``num`` or ``text``.
    doc : str
        One line for CONTRACT.md.
    source : Source, optional
        The disclosed frame it reads (``None`` for settings and provenance).
    rule : str
        The disclosure rule that protects it, for CONTRACT.md.
    """

    name: str
    compute: Callable[["Facts"], Fact]
    kind: FactKind
    doc: str
    source: Source | None = None
    rule: str = ""

    def __post_init__(self):
        # A misspelt kind fails when the registry is built, not when a chapter prints it.
        object.__setattr__(self, "kind", FactKind(self.kind))


def pooled(name: str, *, source: Source, variable: str, codes: tuple[int, ...], kind: str, doc: str) -> FactDef:
    """A share (``kind="pct"``), count (``"n"``) or ``"x ud af y"`` (``"of"``) of ``codes`` of ``variable``.

    Pooling goes through :func:`ipsreport.analysis.disclosed.rules.pool_cells`: a pool that
    includes a hidden cell is hidden too.
    """
    codes = tuple(codes)

    def compute(f: "Facts") -> Fact:
        return from_pool(f.pool_of(source, variable, codes), kind)

    codes_text = "+".join(str(c) for c in codes)
    return FactDef(name, compute, _KIND[kind], doc, source, f"min_cell; pooled `{variable}` = {codes_text}")


def counted(name: str, *, measure: str, kind: str, doc: str) -> FactDef:
    """A count (``kind="n"``), share (``"pct"``) or ``"x ud af y"`` (``"of"``) from a registry-counts row."""

    def compute(f: "Facts") -> Fact:
        return from_pool(f.registry_row(measure), kind)

    return FactDef(name, compute, _KIND[kind], doc, REGISTRY_COUNTS, f"min_cell; row `{measure}`")


def written(name: str, write: Callable[[Any], str], *, doc: str, source: Source | None = None,
            rule: str = "") -> FactDef:
    """A text fact: ``write(frame)`` for the disclosed frame ``source``, or ``write(edition)`` without one."""

    def compute(f: "Facts") -> Fact:
        return Fact(None, "text", text=write(f.summary_of(source) if source is not None else f.edition))

    return FactDef(name, compute, "text", doc, source, rule)


def computed(name: str, compute: Callable[["Facts"], Fact], *, kind: str, doc: str,
             source: Source | None = None, rule: str = "") -> FactDef:
    """Any other fact: ``compute(f)`` returns the :class:`Fact`."""
    return FactDef(name, compute, kind, doc, source, rule)


def collect(*parts: tuple[FactDef, ...]) -> dict[str, FactDef]:
    """One name -> definition map from the registry parts; a name declared twice is an error."""
    registry: dict[str, FactDef] = {}
    for part in parts:
        for definition in part:
            if definition.name in registry:
                raise ValueError(f"fact {definition.name!r} is declared twice")
            registry[definition.name] = definition
    return registry
