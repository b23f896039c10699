"""The comparison with earlier editions (``ipsreport render --previous DIR``).

Modules: :mod:`~ipsreport.results.editions.locate` (finding and checking the previous
bundles), :mod:`~ipsreport.results.editions.record` (the key
indicators of one edition, read alike from a bundle and from the edition
being rendered), :mod:`~ipsreport.results.editions.compare` (the comparison, computed
once by the pipeline's compare step and held by the run),
:mod:`~ipsreport.results.editions.published` (it as the bundle's tables),
:mod:`~ipsreport.results.editions.text` (the Danish sentences). The
numbers are :mod:`ipsreport.analysis.summaries.editions`; the tables and the figure
are :mod:`ipsreport.outputs.tables.editions` and :mod:`ipsreport.outputs.figures.editions`.
See ``docs/CONTRACT.md``, "The edition comparison".
"""
