"""The :class:`Disclosed` summaries of one edition, and :func:`disclosed`, its per-edition cache.

Every property is a ``summarise_*``/``fit_*`` result with the small-number
rule applied by :mod:`ipsreport.disclosed.rules`; see the package docstring
(:mod:`ipsreport.disclosed`) for what the rule hides.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ipsreport.memo import remember
from ipsreport import disclosure
from ipsreport.disclosed.rules import hide_stats, paired_trajectories, protect_comparison, protect_counts
from ipsreport.summaries import caseload as cl
from ipsreport.summaries import fidelity_reviews as fr
from ipsreport.summaries import mental_health as mh
from ipsreport.summaries import nonresponse as nr
from ipsreport.summaries import pathways as pw
from ipsreport.summaries import supplementary as sp
from ipsreport.summaries import target_group as tg

__all__ = ["Disclosed", "DisclosedRegression", "disclosed"]


@dataclass(frozen=True)
class DisclosedRegression:
    """Table 9 as outputs may show it.

    Attributes
    ----------
    result : RegressionResult
        The fit; its ``terms`` hold no estimates when ``withheld``.
    withheld : bool
        An outcome group is below the rule: the model is not shown.
    """

    result: object
    withheld: bool


#: Pairs of registry counts that add up to their common base (the second
#: follows from the first): the rule hides both when one is small.
_REGISTRY_GROUPS = {
    "finished": "status", "active": "status",
    "followup_enrolled": "followup_status", "followup_finished": "followup_status",
}


class Disclosed:
    """The disclosure-controlled summaries of one edition.

    Parameters
    ----------
    ed : Edition
        Its ``settings.min_cell`` is the rule (resolved by
        :func:`ipsreport.edition.edition`).
    """

    def __init__(self, ed) -> None:
        self.ed = ed
        self.min_cell = disclosure.get_min_cell(ed)
        self._paired: dict[str | None, pd.DataFrame] = {}
        self._regressions: dict[str | None, DisclosedRegression] = {}

    def _counts(self, frame: pd.DataFrame, by="variable", complete: bool = True) -> pd.DataFrame:
        return protect_counts(frame, self.min_cell, by=by, complete=complete)

    # -- chapter 4 ----------------------------------------------------------

    @cached_property
    def duration(self) -> pd.DataFrame:
        """Table 1 (:func:`~ipsreport.summaries.target_group.summarise_duration`)."""
        return self._counts(tg.summarise_duration(self.ed))

    @cached_property
    def duration_months(self) -> pd.DataFrame:
        """Months enrolled; the mean only with at least ``min_cell`` persons."""
        frame = tg.summarise_duration_months(self.ed)
        frame = hide_stats(frame, "n", ["mean", "median"], self.min_cell)
        frame = hide_stats(frame, "n", ["min", "max"], 2 * self.min_cell)
        return hide_stats(frame, "n_finished", ["mean_finished"], self.min_cell)

    @cached_property
    def age(self) -> pd.DataFrame:
        """Age at start: mean with ``min_cell`` answers, youngest/oldest with ``2 min_cell``."""
        frame = tg.summarise_age(self.ed)
        frame = hide_stats(frame, "n", ["mean"], self.min_cell)
        frame = hide_stats(frame, "n", ["min", "max"], 2 * self.min_cell)
        over = protect_counts(frame.rename(columns={"over20_n": "n_", "n": "base"})
                              .rename(columns={"n_": "n", "over20_pct": "pct"}), self.min_cell, by=None)
        frame["over20_n"] = over["n"].to_numpy()
        frame["over20_pct"] = over["pct"].to_numpy()
        # A small base hides the share whole ("base", as pool_cells does), so no sentence prints the base.
        frame["over20_suppression"] = np.where(over["base_suppressed"], "base", over["suppression"])
        return frame

    @cached_property
    def background(self) -> pd.DataFrame:
        """Table 2: counts protected by variable, age rows as :attr:`age`."""
        frame = tg.summarise_background(self.ed)
        counts = frame[frame["code"].notna()].copy()
        counts["n"] = counts["n"].astype("int64")
        marked = self._counts(counts)
        out = frame.copy()
        out["suppressed"] = False
        out["suppression"] = ""
        out["base_suppressed"] = False
        out["base"] = out["base"].astype("Int64")
        for column in ("n", "pct", "suppressed", "suppression", "base", "base_suppressed"):
            out.loc[marked.index, column] = marked[column]
        ages = out["code"].isna()
        age = self.age.iloc[0]
        out.loc[ages, "value"] = [age["min"], age["max"], age["mean"]]
        if disclosure.is_small(age["n"], self.min_cell):
            out.loc[ages, "base"] = pd.NA
            out.loc[ages, "base_suppressed"] = True
        return out

    @cached_property
    def work_experience_years(self) -> pd.DataFrame:
        """Mean years of experience, only with at least ``min_cell`` persons."""
        return hide_stats(tg.summarise_work_experience_years(self.ed), "n", ["mean", "median"], self.min_cell)

    @cached_property
    def status(self) -> pd.DataFrame:
        """Table 3."""
        return self._counts(tg.summarise_status(self.ed))

    @cached_property
    def supports(self) -> pd.DataFrame:
        """Table 4: only the "Ja" cell of each item is shown, so no complement exists."""
        return self._counts(tg.summarise_supports(self.ed), by=None, complete=False)

    @cached_property
    def goals(self) -> pd.DataFrame:
        """Goals at start (multi-select, as :attr:`supports`)."""
        return self._counts(pw.summarise_goals(self.ed), by=None, complete=False)

    # -- chapter 5 ----------------------------------------------------------

    @cached_property
    def motivation(self) -> pd.DataFrame:
        """Table 5."""
        return self._counts(pw.summarise_motivation(self.ed))

    @cached_property
    def resources(self) -> pd.DataFrame:
        """Table 6."""
        return self._counts(pw.summarise_resources(self.ed))

    @cached_property
    def evaluation(self) -> pd.DataFrame:
        """Table 7."""
        return self._counts(pw.summarise_evaluation(self.ed))

    @cached_property
    def psychiatry(self) -> pd.DataFrame:
        """Contact with psychiatry (follow-up)."""
        return self._counts(pw.summarise_psychiatry(self.ed))

    @cached_property
    def placement(self) -> pd.DataFrame:
        """Placements (follow-up)."""
        return self._counts(pw.summarise_placement(self.ed))

    @cached_property
    def placement_of_placed(self) -> pd.DataFrame:
        """Placement items as shares of all with a placement, blanks included (section 5.4's base)."""
        return self._counts(pw.summarise_placement_of_placed(self.ed))

    @cached_property
    def no_placement_duration(self) -> pd.DataFrame:
        """Respondents without a placement and how many of them were short in the programme."""
        frame = pw.summarise_no_placement_duration(self.ed).copy()
        if self.min_cell:
            for column in ("n", "short_n"):
                frame[column] = frame[column].astype("Int64").mask(
                    frame[column].map(lambda v: disclosure.is_small(v, self.min_cell)).astype(bool))
        return frame

    @cached_property
    def enrolled_duration(self) -> pd.DataFrame:
        """The shortest time in the programme among the still enrolled respondents.

        One person's value, so shown (as ages) only when at least ``2 min_cell`` answered.
        """
        frame = pw.summarise_enrolled_duration(self.ed).copy()
        if self.min_cell and frame["answered"].iloc[0] < 2 * self.min_cell:
            frame["min_code"] = None
            frame["min_months"] = None
        return frame

    @cached_property
    def exit(self) -> pd.DataFrame:
        """Table 8: exit status of those who finished."""
        return self._counts(pw.summarise_exit(self.ed))

    @cached_property
    def nonresponse(self) -> pd.DataFrame:
        """Bilag 6: who answered at the end against who did not (:func:`~ipsreport.disclosed.rules.protect_comparison`)."""
        return protect_comparison(nr.summarise_nonresponse(self.ed), self.min_cell)

    @cached_property
    def registry_counts(self) -> pd.DataFrame:
        """Head counts for the prose, each row on its own (pairs that add up protected together)."""
        frame = pw.summarise_registry_counts(self.ed)
        grouped = frame.assign(group=[_REGISTRY_GROUPS.get(m, m) for m in frame.index])
        return protect_counts(grouped, self.min_cell, by="group", complete=True)

    def success_target_met(self) -> bool | None:
        """Whether the share of finished in job, flex job or education reaches ``success_target_pct``.

        ``None`` when nobody finished or the finished are fewer than the rule
        (with two finished, "met" would tell what happened to both).
        """
        if bool(self.registry_counts.loc["success", "base_suppressed"]):
            return None
        raw = pw.summarise_registry_counts(self.ed).loc["success"]
        if not raw["base"]:
            return None
        return bool(raw["pct"] >= float(self.ed.settings.success_target_pct))

    # -- chapter 6 ----------------------------------------------------------

    def paired(self, score: str | None = None) -> pd.DataFrame:
        """Paired start/end comparisons; every statistic hidden below ``min_cell`` pairs."""
        if score not in self._paired:
            frame = mh.summarise_paired(self.ed, score)
            stats = ["mean_start", "mean_end", "diff", "ci_low", "ci_high", "t", "p_ttest", "w", "p_wilcoxon",
                     "sd_start", "sd_end"]
            frame = hide_stats(frame, "n", stats, self.min_cell)
            frame["withheld"] = frame["n"].map(lambda v: 0 < v < self.min_cell if self.min_cell else False)
            frame.loc[frame["withheld"], "significant"] = False
            self._paired[score] = frame
        return self._paired[score]

    def paired_pairs(self, score: str) -> pd.DataFrame:
        """Distinct (start, end) trajectories of a paired figure and how many share each.

        Returns
        -------
        DataFrame
            Columns ``start, end, n``, least frequent first; trajectories
            shared by fewer than ``min_cell`` persons are left out (and the
            frame's ``attrs["hidden"]`` is True when any was).
        """
        long = mh.summarise_paired_long(self.ed, score)
        wide = long.pivot(index="id", columns="time", values="value")
        if wide.empty:
            out = pd.DataFrame({"start": [], "end": [], "n": []})
            out.attrs["hidden"] = False
            return out
        pairs, counts = paired_trajectories(wide["Start"].to_numpy(dtype=float), wide["Afslutning"].to_numpy(dtype=float))
        out = pd.DataFrame({"start": pairs[:, 0], "end": pairs[:, 1], "n": counts})
        keep = out["n"] >= self.min_cell if self.min_cell else pd.Series(True, index=out.index)
        shown = out[keep].reset_index(drop=True)
        shown.attrs["hidden"] = bool((~keep).any())
        return shown

    @cached_property
    def who5_bands(self) -> pd.DataFrame:
        """WHO-5 bands at start and end, protected per time point."""
        return self._counts(mh.summarise_who5_bands(self.ed), by="time")

    # -- chapter 7 and Bilag 5 ---------------------------------------------

    @cached_property
    def regression(self) -> DisclosedRegression:
        """Table 9 with the interval method of the settings (see :meth:`regression_with`)."""
        return self.regression_with(None)

    def regression_with(self, ci_method: str | None) -> DisclosedRegression:
        """Table 9; withheld when either outcome group is below the rule.

        Parameters
        ----------
        ci_method : {"wald", "profile"} or None
            As for :func:`ipsreport.models.fit_regression`.
        """
        from ipsreport.models import fit_regression

        if ci_method in self._regressions:
            return self._regressions[ci_method]
        result = fit_regression(self.ed, ci_method=ci_method)
        small = bool(self.min_cell) and min(result.events, result.n - result.events) < self.min_cell
        if small:
            terms = result.terms.copy()
            for column in ("coef", "se", "odds_ratio", "ci_low", "ci_high", "p"):
                terms[column] = np.nan
            terms["stars"] = ""
            terms["significant"] = False
            result = type(result)(terms, result.n, result.events, [], None, result.alpha, result.ci_method)
        self._regressions[ci_method] = DisclosedRegression(result, small)
        return self._regressions[ci_method]

    @cached_property
    def experience(self) -> pd.DataFrame:
        """Bilag 5: experience of the programme."""
        return self._counts(sp.summarise_experience(self.ed))

    @cached_property
    def statements(self) -> pd.DataFrame:
        """Bilag 5: statements."""
        return self._counts(sp.summarise_statements(self.ed))

    @cached_property
    def effect(self) -> pd.DataFrame:
        """Bilag 5: overall effect."""
        return self._counts(sp.summarise_effect(self.ed))

    # -- fidelity appendix ----------------------------------------------------

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
    def caseload_facts(self) -> dict:
        """The fidelity prose's values; ``peak`` is None (``peak_suppression`` "primary") when small."""
        values = dict(cl.summarise_caseload_facts(self.ed))
        small = disclosure.is_small(values["peak"], self.min_cell)
        values["peak_suppression"] = "primary" if small else ""
        if small:
            values["peak"] = None
            values["mean"] = float("nan")
        return values

    @cached_property
    def fidelity_reviews(self) -> pd.DataFrame:
        """The optional fidelity reviews (:func:`~ipsreport.summaries.fidelity_reviews.summarise_fidelity_reviews`).

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
        """Item scores per review, lowest marked (:func:`~ipsreport.summaries.fidelity_reviews.summarise_fidelity_items`).

        Returned as computed, for the reasons given in :attr:`fidelity_reviews`.
        """
        return fr.summarise_fidelity_items(self.ed).copy()

    # -- Bilag 7 --------------------------------------------------------------

    @cached_property
    def audit(self) -> pd.DataFrame:
        """The reproduction audit; computed values resting on small counts are missing."""
        from ipsreport.audit import summarise_audit

        frame = summarise_audit(self.ed)
        if not self.min_cell:
            frame["suppressed"] = False
            return frame
        small = [any(disclosure.is_small(c, self.min_cell) for c in counts) for counts in frame["counts"]]
        frame["suppressed"] = small
        for column in ("reproduced", "difference"):
            frame[column] = frame[column].astype(float).mask(frame["suppressed"])
        return frame


def disclosed(ed) -> Disclosed:
    """The :class:`Disclosed` summaries of ``ed`` (one object per edition and rule)."""
    # Keyed on the rule too: a stand-in edition's settings may change between calls.
    return remember(("disclosed", disclosure.get_min_cell(ed)), ed, lambda: Disclosed(ed))
