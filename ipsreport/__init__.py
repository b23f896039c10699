"""ipsreport: the reproducible report system of the IPS UNG evaluation.

Where things are (see README.md, "Layout", and docs/CONTRACT.md):

* chapters (``report/*.qmd``) call the chapter API, :mod:`ipsreport.api`
  (``import ipsreport.api as ips``): ``ips.edition()``, ``ips.facts(d)``,
  ``ips.tab_*(d)``, ``ips.fig_*(d)``;
* :mod:`ipsreport.pipeline` runs the whole chain (validate, load, derive,
  summarise, model, results) and returns its frozen
  :class:`ipsreport.results.Results`, which a render writes beside the book
  as ``resultater/``;
* :mod:`ipsreport.cli` is the ``ipsreport`` command.

This file imports nothing, so the command line starts without loading pandas.
"""

__version__ = "0.1.0"
