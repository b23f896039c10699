"""Synthetic data for ipsreport.

* :mod:`ipsreport.synth.twin` — the synthetic twin of the 2025 cohort: one
  deterministic, seeded data set whose tables reproduce the published 2025
  figures (``data/synthetic/``).
* :mod:`ipsreport.synth.sample` — random cohorts for tests and benchmarks.
"""

from __future__ import annotations

__all__ = ["build_twin", "write_twin"]


def __getattr__(name: str):
    # Lazy, so that importing ipsreport.synth.sample does not pay for the twin.
    if name in __all__:
        from ipsreport.synth import twin

        return getattr(twin, name)
    raise AttributeError(f"module 'ipsreport.synth' has no attribute {name!r}")
