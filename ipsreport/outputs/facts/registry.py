"""Every fact a chapter can use, by name: the registry parts put together.

The parts are split by report part; each declares its facts literally
(:mod:`ipsreport.outputs.facts.definition`). ``python -m ipsreport.outputs.facts.contract``
writes the table of them into docs/CONTRACT.md.
"""

from __future__ import annotations

from ipsreport.outputs.facts import registry_edition, registry_job_education, registry_mental_health, registry_target_group
from ipsreport.outputs.facts.definition import FactDef, collect
from ipsreport.outputs.facts.pooled import load_pooled

__all__ = ["REGISTRY", "PARTS"]

#: Report part -> its facts, in the order CONTRACT.md lists them.
PARTS: dict[str, tuple[FactDef, ...]] = {
    "Codebook items pooled (data/codebook_facts.csv)": load_pooled(),
    "Target group (chapters 3-4)": registry_target_group.FACTS,
    "Job and education (chapter 5)": registry_job_education.FACTS,
    "Mental health and Table 9 (chapters 6-7)": registry_mental_health.FACTS,
    "Edition, provenance and appendices": registry_edition.FACTS,
}

#: Fact name -> definition.
REGISTRY: dict[str, FactDef] = collect(*PARTS.values())
