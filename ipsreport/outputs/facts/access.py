"""The accessor chapters use: ``f = facts(ed)``, then `` `{python} f.success_pct` ``.

Attribute access returns a ready-to-print ``str``; :meth:`Facts.raw` the
number behind it. Every name is declared in the registry
(:data:`ipsreport.outputs.facts.registry.REGISTRY`). Facts are computed on first
access and cached, each disclosed frame is read once, and ``facts(ed)``
returns the same object for the same edition.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any

import pandas as pd

from ipsreport.outputs import fmt
from ipsreport.analysis.memo import remember
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.analysis.disclosed.rules import PooledCell, pool_cells
from ipsreport.outputs.facts.definition import FactDef
from ipsreport.outputs.facts.provenance import tooltip
from ipsreport.outputs.facts.traced import NUMBER, is_value, source_numbers, trace
from ipsreport.outputs.facts.fact import (HIDDEN_COUNT, HIDDEN_SHARE, NO_ANSWERS, NO_ANSWERS_COUNT, NO_BASE_WORDS,
                                          Fact, FactText, TracedText, label, share_phrase,
                                          small_people)
from ipsreport.outputs.facts.registry import REGISTRY
from ipsreport.outputs.facts.sources import REGISTRY_COUNTS, Source

__all__ = ["facts", "Facts"]


class Facts:
    """Lazily computed, cached facts of one edition (see the module docstring).

    Parameters
    ----------
    ed : Edition
    """

    def __init__(self, ed):
        self.edition = ed
        self.layer = disclosed(ed)
        self.cell_rule = self.layer.min_cell
        self._facts: dict[str, Fact] = {}
        #: Disclosed frames read so far (a test may put a hand-made result here).
        self._summaries: dict[Source, Any] = {}
        self._defs: dict[str, FactDef] = REGISTRY
        #: Printed number -> tooltip, per frame, for the numbers inside sentences (ipsreport.outputs.facts.traced).
        self._numbers: dict[Source | None, dict] = {}

    # A saved run (ipsreport.results.saved) keeps the facts computed so far with the layer they read;
    # the definitions and sources are module constants holding functions: looked up again, not pickled.
    def __getstate__(self) -> dict:
        return {"edition": self.edition, "layer": self.layer, "facts": self._facts}

    def __setstate__(self, state: dict) -> None:
        self.edition, self.layer, self._facts = state["edition"], state["layer"], state["facts"]
        self.cell_rule = self.layer.min_cell
        self._summaries, self._defs, self._numbers = {}, REGISTRY, {}

    # -- public API ---------------------------------------------------------

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._traced(name, self.get_fact(name).render(self.cell_rule))

    def __dir__(self):
        return sorted({*super().__dir__(), *self._defs})

    def __repr__(self) -> str:
        return f"<Facts: {len(self._defs)} names, min_cell={self.cell_rule}>"

    @property
    def names(self) -> list[str]:
        """All fact names, sorted."""
        return sorted(self._defs)

    def raw(self, name: str):
        """The number behind a fact (a count for ``*_n``/``*_of``, 0-100 for ``*_pct``)."""
        return self.get_fact(name).value

    def fact(self, name: str) -> Fact:
        """The :class:`~ipsreport.outputs.facts.fact.Fact` behind ``f.<name>``: value, kind, base and suppression."""
        return self.get_fact(name)

    def definition(self, name: str) -> FactDef:
        """How ``name`` is declared (:class:`~ipsreport.outputs.facts.definition.FactDef`): kind, source, rule, doc."""
        self.get_fact(name)  # an unknown name raises AttributeError with close matches
        return self._defs[name]

    def words(self, n) -> str:
        """Danish word for a number or a count fact: ``f.words(1) == "én"``, ``f.words("edu_vocational_n")``.

        A count fact of 0 reads "ingen"; a ``num`` fact is rounded to its declared ``decimals`` first.
        """
        if isinstance(n, str):
            name, fact = n, self.get_fact(n)
            if fact.suppression:
                # "<3", or "et skjult antal": never a number in words.
                return self._traced(name, fact.render(self.cell_rule) if fact.kind == "count" else (
                    label(self.cell_rule) if fact.suppression == "primary" else HIDDEN_COUNT))
            if fact.nobody_answered:
                return self._traced(name, NO_ANSWERS_COUNT)
            if fact.kind == "num":  # a mean in words at the precision its declaration gives ("omkring ni måneder")
                return self._traced(name, fmt.words(fmt.round_half_up(fact.value, fact.decimals)))
            value = fact.n if fact.kind == "of" else fact.value
            # A count of nobody in a sentence: "havde ingen været i indsatsen", not "havde nul været".
            return self._traced(name, "ingen" if value == 0 else fmt.words(value))
        return fmt.words(n)

    def share_words(self, name: str, **kwargs) -> str:
        """A share fact in words: ``f.share_words("success_pct") == "seks ud af ti"``.

        A share of a survey item nobody answered reads :data:`~ipsreport.outputs.facts.fact.NO_ANSWERS`;
        a hidden one as its fact renders.
        """
        fact = self.get_fact(name)
        if fact.kind not in ("pct", "of", "text") and fact.share is None:
            raise ValueError(f"fact {name!r} is not a share")
        if fact.suppression == "primary":
            return self._traced(name, small_people(self.cell_rule))
        if fact.suppression:
            return self._traced(name, HIDDEN_SHARE)
        if fact.nobody_answered:
            return self._traced(name, NO_ANSWERS)
        if fact.share is None or fact.share != fact.share:
            return self._traced(name, NO_BASE_WORDS)
        return self._traced(name, share_phrase(fact.share, fact.n, fact.base, **kwargs))

    def as_dict(self) -> dict[str, str]:
        """Every fact formatted (computes them all)."""
        return {name: getattr(self, name) for name in self.names}

    # -- for the definitions (ipsreport.outputs.facts.registry_*) ----------------------

    def _traced(self, name: str, text: str) -> str:
        """A number's text with its tooltip (:class:`FactText`).

        A ``text`` fact gets one when it holds a number: a value or phrase
        ("[0,77; 1,20]", "steg fra 7,85 til 8,03", "seks ud af ti") as a
        whole; a sentence number by number, from the frame it reads
        (:func:`ipsreport.outputs.facts.traced.trace`). Text without a number stays plain.
        """
        definition = self._defs[name]
        fact = self.get_fact(name)
        source = definition.source.name if definition.source is not None else None
        if definition.kind == "text":
            if isinstance(fact.text, TracedText) and str(fact.text) == text:
                # A sentence built with some numbers' own tooltips (a setting's): its other pieces traced.
                pieces = [p if isinstance(p, FactText) else self._trace_sentence(definition.source, p)
                          for p in fact.text.parts]
                return TracedText([q for p in pieces for q in (p.parts if isinstance(p, TracedText) else [p])])
            if not NUMBER.search(text) and fact.share is None:
                return text
            if not is_value(text):
                return self._trace_sentence(definition.source, text)
        return FactText(text, tooltip(definition.doc, fact, source, self.cell_rule), name)

    def _trace_sentence(self, source, text: str) -> str:
        """``text`` with the numbers of ``source``'s frame traced (:func:`ipsreport.outputs.facts.traced.trace`)."""
        if source not in self._numbers:
            self._numbers[source] = source_numbers(self, source)
        return trace(text, self._numbers[source])

    def get_fact(self, name: str) -> Fact:
        if name not in self._facts:
            if name not in self._defs:
                close = difflib.get_close_matches(name, self._defs, n=5, cutoff=0.6)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise AttributeError(f"unknown fact {name!r}{hint}")
            self._facts[name] = _answered(self._defs[name], self._defs[name].compute(self))
        return self._facts[name]

    def summary_of(self, source: Source):
        """A disclosed frame, read once per :class:`Facts`."""
        if source not in self._summaries:
            self._summaries[source] = source.read(self.layer)
        return self._summaries[source]

    def pool_of(self, source: Source, variable: str, codes) -> PooledCell:
        """Categories ``codes`` of ``variable`` pooled (:func:`ipsreport.analysis.disclosed.rules.pool_cells`)."""
        return pool_cells(self.summary_of(source), variable, codes)

    def registry_row(self, measure: str) -> PooledCell:
        """One row of the registry counts as a pooled cell."""
        row = self.summary_of(REGISTRY_COUNTS).loc[measure]
        return PooledCell(row["n"], row["base"], float(row["pct"]), row["suppression"])


def _answered(definition: FactDef, fact: Fact) -> Fact:
    """``fact``, marked ``nobody_answered`` when it is a share or count of a survey item nobody answered.

    The one place a base of 0 is told apart: a survey source's base counts
    answers, so 0 means the share is unknown; a registry base of 0 is an
    empty group. Hidden facts keep their suppression (the disclosure layer decides first).
    """
    source = definition.source
    if source is None or not source.survey or fact.kind not in ("pct", "of", "count") or fact.suppression:
        return fact
    if fact.base is None or pd.isna(fact.base) or fact.base != 0:
        return fact
    return replace(fact, nobody_answered=True)


def facts(ed, saved: Facts | None = None) -> Facts:
    """The :class:`Facts` of an edition; computed lazily, one object per edition.

    Parameters
    ----------
    ed : Edition
    saved : Facts, optional
        The facts a saved run holds for ``ed`` (:func:`ipsreport.results.saved.open_run`),
        taken as ed's instead of a new accessor.

    Returns
    -------
    Facts
        ``f.<name>`` → Danish string, ``f.raw(name)`` → number,
        ``f.words(n)``, ``f.share_words(name)``.
    """
    return remember("facts", ed, lambda: saved if saved is not None else Facts(ed))
