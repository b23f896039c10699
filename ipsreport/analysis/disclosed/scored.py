"""The summaries that read the respondents' scores, as the disclosure layer hands them out (part of
:class:`ipsreport.analysis.disclosed.layer.Disclosed`).

Chapter 6's paired comparisons and WHO-5 bands, Table 9 and Bilag 6's
non-response read every score from ``self.derived``, the
:class:`~ipsreport.analysis.scoring.Derived` the layer was made with (the
pipeline's ``derive`` step); nothing here scores a survey.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ipsreport.analysis.disclosed import disclosure
from ipsreport.analysis.disclosed.quantities import OUTCOME, TRAJECTORY, q_cell, q_size
from ipsreport.analysis.disclosed.rules import DisclosedRegression, hide_stats, paired_trajectories, protect_comparison
from ipsreport.analysis.summaries import mental_health as mh
from ipsreport.analysis.summaries import nonresponse as nr

__all__ = ["ScoredSummaries"]


class ScoredSummaries:
    """The score-reading properties of :class:`~ipsreport.analysis.disclosed.layer.Disclosed`.

    They use the host's ``ed``, ``derived``, ``min_cell``, ``shown``,
    ``_counts`` and its per-score caches ``_paired`` and ``_regressions``.
    """

    @cached_property
    def nonresponse(self) -> pd.DataFrame:
        """Bilag 6: who answered at the end against who did not (:func:`~ipsreport.analysis.disclosed.rules.protect_comparison`)."""
        return protect_comparison(nr.summarise_nonresponse(self.ed, self.derived), self.min_cell)

    def paired(self, score: str | None = None) -> pd.DataFrame:
        """Paired start/end comparisons; every statistic hidden below ``min_cell`` pairs."""
        if score not in self._paired:
            frame = mh.summarise_paired(self.ed, self.derived, score)
            stats = ["mean_start", "mean_end", "diff", "ci_low", "ci_high", "t", "p_ttest", "w", "p_wilcoxon",
                     "sd_start", "sd_end"]
            frame = hide_stats(frame, "n", stats, self.min_cell)
            # Withheld below the rule, or where the plan hides the number of pairs (a site book beside others).
            frame["withheld"] = [bool(self.min_cell) and (0 < n < self.min_cell
                                                          or not self.shown(q_size(f"paired.{score_}")))
                                 for score_, n in zip(frame["score"], frame["n"])]
            frame.loc[frame["withheld"], stats] = np.nan
            hidden = frame["withheld"] & ~frame["n"].map(lambda v: disclosure.is_small(v, self.min_cell))
            if hidden.any():  # hidden to protect another book's count: the number of pairs is not printed either
                frame["n"] = frame["n"].astype("Int64").mask(hidden)
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
        long = mh.summarise_paired_long(self.ed, self.derived, score)
        wide = long.pivot(index="id", columns="time", values="value")
        if wide.empty:
            out = pd.DataFrame({"start": [], "end": [], "n": []})
            out.attrs["hidden"] = False
            return out
        pairs, counts = paired_trajectories(wide["Start"].to_numpy(dtype=float), wide["Afslutning"].to_numpy(dtype=float))
        out = pd.DataFrame({"start": pairs[:, 0], "end": pairs[:, 1], "n": counts})
        if self.min_cell:
            from ipsreport.analysis.disclosed.catalogue import trajectory_code

            keep = pd.Series([self.shown(q_cell(f"paired.{score}", TRAJECTORY, trajectory_code(s, e)))
                              for s, e in zip(out["start"], out["end"])], index=out.index, dtype=bool)
        else:
            keep = pd.Series(True, index=out.index)
        shown = out[keep].reset_index(drop=True)
        shown.attrs["hidden"] = bool((~keep).any())
        return shown

    @cached_property
    def who5_bands(self) -> pd.DataFrame:
        """WHO-5 bands at start and end, protected per time point."""
        return self._counts("who5_bands", lambda ed: mh.summarise_who5_bands(ed, self.derived), by="time")

    @cached_property
    def regression(self) -> DisclosedRegression:
        """Table 9 with the interval method of the settings (see :meth:`regression_with`)."""
        return self.regression_with(None)

    def regression_with(self, ci_method: str | None) -> DisclosedRegression:
        """Table 9; withheld when either outcome group is below the rule.

        Parameters
        ----------
        ci_method : {"wald", "profile"} or None
            As for :func:`ipsreport.analysis.models.fit_regression`.
        """
        from ipsreport.analysis.models import fit_regression

        if ci_method in self._regressions:
            return self._regressions[ci_method]
        result = fit_regression(self.ed, self.derived, ci_method=ci_method)
        small = bool(self.min_cell) and (min(result.events, result.n - result.events) < self.min_cell
                                         or not self.shown(q_cell("regression", OUTCOME, 1))
                                         or not self.shown(q_size("regression")))
        if small:
            terms = result.terms.copy()
            for column in ("coef", "se", "odds_ratio", "ci_low", "ci_high", "p"):
                terms[column] = np.nan
            terms["stars"] = ""
            terms["significant"] = False
            result = type(result)(terms, result.n, result.events, [], None, result.alpha, result.ci_method)
        n_shown = not disclosure.is_small(result.n, self.min_cell) and self.shown(q_size("regression"))
        self._regressions[ci_method] = DisclosedRegression(result, small, n_shown)
        return self._regressions[ci_method]
