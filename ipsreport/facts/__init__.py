"""Danish-formatted numbers for the report's prose.

Chapters write ``f = facts(d)`` and then `` `{python} f.success_pct` ``.
Attribute access returns a ready-to-print ``str``, :meth:`Facts.raw` the
number behind it. Numbers come only from :mod:`ipsreport.disclosed` (the
small-number rule already applied).

Modules, one job each:

- :mod:`~ipsreport.facts.fact`: the :class:`~ipsreport.facts.fact.Fact` value type and its Danish rendering;
- :mod:`~ipsreport.facts.sources`: the disclosed frames facts read;
- :mod:`~ipsreport.facts.definition`: how a fact is declared;
- ``registry_*`` and :mod:`~ipsreport.facts.registry`: every fact, by name;
- :mod:`~ipsreport.facts.reading`: facts read from frames beyond pooling cells;
- :mod:`~ipsreport.facts.sentences`, :mod:`~ipsreport.facts.findings`,
  :mod:`~ipsreport.facts.regression_prose`, :mod:`~ipsreport.facts.changes`,
  :mod:`~ipsreport.facts.nonresponse_prose`: sentences whose wording follows the data (how strong they
  are is decided by :mod:`ipsreport.evidence`);
- :mod:`~ipsreport.facts.provenance`: version, commit, render date;
- :mod:`~ipsreport.facts.access`: the accessor :class:`Facts` and :func:`facts`;
- :mod:`~ipsreport.facts.contract`: the CONTRACT.md table of facts.
"""

from ipsreport.facts.access import Facts, facts

__all__ = ["facts", "Facts"]
