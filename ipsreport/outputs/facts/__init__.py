"""Danish-formatted numbers for the report's prose.

Chapters write ``f = facts(d)`` and then `` `{python} f.success_pct` ``.
Attribute access returns a ready-to-print ``str``, :meth:`Facts.raw` the
number behind it. Numbers come only from :mod:`ipsreport.analysis.disclosed` (the
small-number rule already applied).

Modules, one job each:

- :mod:`~ipsreport.outputs.facts.fact`: the :class:`~ipsreport.outputs.facts.fact.Fact` value type and its Danish rendering;
- :mod:`~ipsreport.outputs.facts.sources`: the disclosed frames facts read;
- :mod:`~ipsreport.outputs.facts.definition`: how a fact is declared;
- ``registry_*`` and :mod:`~ipsreport.outputs.facts.registry`: every fact, by name;
- :mod:`~ipsreport.outputs.facts.reading`: facts read from frames beyond pooling cells;
- :mod:`~ipsreport.outputs.facts.sentences`, :mod:`~ipsreport.outputs.facts.findings`,
  :mod:`~ipsreport.outputs.facts.regression_prose`, :mod:`~ipsreport.outputs.facts.changes`,
  :mod:`~ipsreport.outputs.facts.nonresponse_prose`: sentences whose wording follows the data (how strong they
  are is decided by :mod:`ipsreport.analysis.evidence`);
- :mod:`~ipsreport.outputs.facts.provenance`: version, commit, render date;
- :mod:`~ipsreport.outputs.facts.access`: the accessor :class:`Facts` and :func:`facts`;
- :mod:`~ipsreport.outputs.facts.contract`: the CONTRACT.md table of facts.
"""

from ipsreport.outputs.facts.access import Facts, facts

__all__ = ["facts", "Facts"]
