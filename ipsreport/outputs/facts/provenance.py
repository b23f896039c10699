"""Provenance of each number in the prose (the edition's own, version, commit and date: :mod:`ipsreport.results.software`).

* A number: :func:`tooltip` writes the Danish line the HTML page shows when a
  reader points at a computed number (what it is, its base, its source), from
  the fact's registry ``doc`` and :data:`SOURCE_LABELS`.
"""

from __future__ import annotations

import re

__all__ = ["tooltip", "SOURCE_LABELS"]


# ---------------------------------------------------------------------------
# The tooltip of a number in the prose
# ---------------------------------------------------------------------------

NBSP = "\u00a0"
#: The registry's note of the 2025 edition's value at the end of a doc ("(2025: 23 %)"): not this edition's number.
_PUBLISHED_NOTE = re.compile(r"\s*\(\d{4}: [^()]*\)\s*$")

#: Where each disclosed frame's numbers come from, in words a reader knows (:mod:`ipsreport.outputs.facts.sources`).
SOURCE_LABELS: dict[str, str] = {
    "duration": "spørgeskemaet ved afslutning",
    "duration_months": "projektets registreringer (start- og slutdatoer)",
    "background": "spørgeskemaet ved opstart",
    "age": "spørgeskemaet ved opstart",
    "work_experience_years": "spørgeskemaet ved opstart",
    "supports": "spørgeskemaet ved opstart",
    "goals": "spørgeskemaet ved opstart",
    "motivation": "spørgeskemaet ved opstart",
    "resources": "spørgeskemaet ved opstart",
    "evaluation": "spørgeskemaet ved afslutning",
    "psychiatry": "spørgeskemaet ved afslutning",
    "placement": "spørgeskemaet ved afslutning",
    "no_placement_duration": "spørgeskemaet ved afslutning",
    "placement_of_placed": "spørgeskemaet ved afslutning",
    "enrolled_duration": "spørgeskemaet ved afslutning og projektets registreringer",
    "exit": "projektets registreringer",
    "registry_counts": "projektets registreringer og spørgeskemaerne",
    "paired": "spørgeskemaerne ved opstart og afslutning",
    "who5_bands": "spørgeskemaerne ved opstart og afslutning",
    "effect": "spørgeskemaet ved afslutning",
    "experience": "spørgeskemaet ved afslutning",
    "regression": "regressionsanalysen i Tabel 9 (spørgeskemaerne)",
    "caseload_facts": "projektets registreringer (konsulent, start- og slutdato)",
    "fidelity_reviews": "fidelitetsmålingerne",
    "nonresponse": "spørgeskemaerne ved opstart og afslutning (bortfaldsanalysen)",
    "audit": "genberegningen af tallene i den trykte evaluering",
}


def tooltip(doc: str, fact, source: str | None, min_cell: int) -> str:
    """The tooltip of a number in the prose: what it is, its base and where it comes from, in Danish.

    ``"Forløbets varighed – Over 12 måneder · N = 43 · Kilde: spørgeskemaet
    ved afslutning"``. The registry's note of the 2025 edition's value is
    left out (the tooltip describes this edition's number), and so is a
    hidden base. The fact's name is not part of it (the page carries it as
    ``data-fact``, see :class:`~ipsreport.outputs.facts.fact.FactText`).

    Parameters
    ----------
    doc : str
        The fact's Danish description (its registry ``doc``).
    fact : Fact
        For the base and how it was hidden.
    source : str, optional
        The name of the disclosed frame (:data:`SOURCE_LABELS`); ``None`` for settings.
    min_cell : int
        The small-number rule (kept for callers; a hidden base is not described).
    """
    import pandas as pd

    from ipsreport.outputs import fmt

    parts = [_PUBLISHED_NOTE.sub("", doc).strip()]
    base = getattr(fact, "base", None)
    suppression = getattr(fact, "suppression", "")
    # A hidden base is not described ("N under 3" would tell the reader it is 1 or 2: the audit in
    # ipsreport.analysis.disclosed counts on a hidden base saying nothing).
    if suppression != "base" and base is not None and not pd.isna(base):
        parts.append(f"N{NBSP}={NBSP}{fmt.count(base)}")
    # A description that already names where its number comes from needs no second "Kilde".
    if source and not _NAMES_SOURCE.search(doc):
        parts.append(f"Kilde: {SOURCE_LABELS.get(source, source)}")
    return " · ".join(p for p in parts if p)


_NAMES_SOURCE = re.compile(r"registreringer|spørgeskema|kodebogen|indstilling|Tabel \d", re.IGNORECASE)
