"""The comparison with earlier editions (``ipsreport render --previous DIR``).

Modules: :mod:`~ipsreport.editions.locate` (finding and checking the previous
bundles; the kernel hand-off), :mod:`~ipsreport.editions.record` (the key
indicators of one edition, read alike from a bundle and from the edition
being rendered), :mod:`~ipsreport.editions.compare` (the comparison, once
per edition), :mod:`~ipsreport.editions.text` (the Danish sentences). The
numbers are :mod:`ipsreport.summaries.editions`; the tables and the figure
are :mod:`ipsreport.tables.editions` and :mod:`ipsreport.figures.editions`.
See ``docs/CONTRACT.md``, "The edition comparison".
"""
