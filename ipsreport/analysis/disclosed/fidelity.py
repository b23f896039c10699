"""The fidelity appendix's summaries as the disclosure layer hands them out (part of :class:`ipsreport.analysis.disclosed.layer.Disclosed`).

Caseloads count young people per consultant and day: a value below the rule
is hidden. The fidelity reviews score a site's practice, not persons, and are
returned as computed.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

import pandas as pd

from ipsreport.analysis.disclosed import disclosure
from ipsreport.analysis.summaries import caseload as cl
from ipsreport.analysis.summaries import fidelity_reviews as fr

__all__ = ["FidelitySummaries"]


class FidelitySummaries:
    """The fidelity properties of :class:`~ipsreport.analysis.disclosed.layer.Disclosed` (``self.ed``, ``self.min_cell``)."""

    @cached_property
    def caseload(self) -> pd.DataFrame:
        """Caseloads per consultant; a peak below the rule (and that consultant's mean) is missing.

        Consultants and consultant-days are staff and days, not young people:
        they are not counts the rule applies to.
        """
        frame = cl.summarise_caseload(self.ed).copy()
        small = frame["peak"].map(lambda v: disclosure.is_small(v, self.min_cell)).astype(bool)
        frame["peak"] = frame["peak"].astype("Int64").mask(small)
        frame["mean"] = frame["mean"].astype(float).mask(small)
        frame["peak_suppressed"] = small
        return frame

    @cached_property
    def caseload_daily(self) -> pd.DataFrame:
        """Daily caseloads; a day with 1 to ``min_cell - 1`` young people is missing."""
        frame = cl.summarise_caseload_daily(self.ed).copy()
        small = frame["caseload"].map(lambda v: disclosure.is_small(v, self.min_cell)).astype(bool)
        frame["caseload"] = frame["caseload"].astype("Int64").mask(small)
        return frame

    @cached_property
    def caseload_facts(self) -> cl.CaseloadFacts:
        """The fidelity prose's values; ``peak`` is None (``peak_suppression`` "primary") when small."""
        values = cl.summarise_caseload_facts(self.ed)
        if disclosure.is_small(values.peak, self.min_cell):
            return replace(values, peak=None, mean=float("nan"), peak_suppression="primary")
        return values

    @cached_property
    def fidelity_reviews(self) -> pd.DataFrame:
        """The optional fidelity reviews (:func:`~ipsreport.analysis.summaries.fidelity_reviews.summarise_fidelity_reviews`).

        Returned as computed, under every rule. A review scores a *site's*
        practice (staffing, organisation, services) on the IPS Fidelity
        Scale: its rows are reviews, not persons, and no value in them is a
        count of young people, so there is no small count to hide. The one
        item that rests on people, the caseload size (item 1), is a score of
        1-5 given by the reviewer, not a number of young people. The
        registry's own caseload counts are protected in :attr:`caseload`.
        The data hold no reviewer's name, only the reviewer type.
        """
        return fr.summarise_fidelity_reviews(self.ed).copy()

    @cached_property
    def fidelity_items(self) -> pd.DataFrame:
        """Item scores per review, lowest marked (:func:`~ipsreport.analysis.summaries.fidelity_reviews.summarise_fidelity_items`).

        Returned as computed, for the reasons given in :attr:`fidelity_reviews`.
        """
        return fr.summarise_fidelity_items(self.ed).copy()
