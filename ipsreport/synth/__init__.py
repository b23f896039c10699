"""Synthetic data for ipsreport.

* :mod:`ipsreport.synth.twin` — the synthetic twin of the 2025 cohort: one
  deterministic, seeded data set whose tables reproduce the published 2025
  figures (``data/synthetic/``); built from
  :mod:`~ipsreport.synth.targets`, :mod:`~ipsreport.synth.draws`,
  :mod:`~ipsreport.synth.calibrate` and :mod:`~ipsreport.synth.finish`.
* :mod:`ipsreport.synth.sample` — random cohorts for tests and benchmarks.

Import the module you need (``from ipsreport.synth.twin import write_twin``);
this package imports none of them, so a cohort does not pay for the twin.
"""
