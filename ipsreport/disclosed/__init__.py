"""The disclosure layer: every summary an output may read, with the small-number rule applied once.

``summarise_*`` and ``fit_*`` return the true numbers (tested as such).
Tables, figures, facts and appendices never call them: they read a
:class:`Disclosed` object, whose frames already have every value that the
rule ``min_cell`` (:mod:`ipsreport.disclosure`) forbids replaced by a missing
value. A formatter that forgets the rule can therefore only print a gap, never
a small count; ``tests/test_disclosed.py`` checks that no output module
imports the summaries directly.

What the layer does, when ``min_cell`` is on (``m``):

* counts ``0 < n < m`` are hidden (``suppression == "primary"``, printed
  ``"<m"``), with a complementary cell of the same group
  (``"secondary"``, printed ``"–"``) where the group shows its total;
* a group whose base is below the rule is hidden whole (``"base"``), and its
  base too: its N would itself be a small count;
* youngest and oldest age (each one person's value) are shown only when at
  least ``2 m`` answered, means only when at least ``m`` did;
* paired comparisons rest on at least ``m`` pairs, and a paired figure
  draws no trajectory that fewer than ``m`` persons share;
* Table 9 is fitted only when both outcome groups hold at least ``m``;
* the non-response comparison (Bilag 6) hides a two-by-two table whole, and
  its p-value, when one of its cells is hidden (the margins are printed), and
  the means and test of a score when a group is below ``m``;
* the audit's computed column (Bilag 7) hides values resting on small counts.

With ``min_cell == 0`` (the verified twin) every frame is returned as the
summaries made it, so the twin's report is unchanged.

Modules: :mod:`ipsreport.disclosed.rules` (the rule applied to tidy frames)
and :mod:`ipsreport.disclosed.layer` (the :class:`Disclosed` summaries of an
edition, one object per edition by :func:`disclosed`).
"""

from __future__ import annotations

from ipsreport.disclosed.layer import Disclosed, DisclosedRegression, disclosed
from ipsreport.disclosed.rules import paired_trajectories, pool_cells, protect_counts

__all__ = ["Disclosed", "disclosed", "protect_counts", "pool_cells", "paired_trajectories", "DisclosedRegression"]
