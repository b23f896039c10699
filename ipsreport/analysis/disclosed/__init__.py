"""The disclosure layer: every summary an output may read, with the small-number rule applied once.

``summarise_*`` and ``fit_*`` return the true numbers (tested as such).
Tables, figures, facts and appendices never call them: they read a
:class:`Disclosed` object, whose frames already have every value that the
rule ``min_cell`` (:mod:`ipsreport.analysis.disclosed.disclosure`) forbids replaced by a missing
value. A formatter that forgets the rule can therefore only print a gap, never
a small count; ``tests/test_disclosed.py`` checks that no output module
imports the summaries directly.

What the layer does, when ``min_cell`` is on (``m``):

* it reads every number the book could publish (tables, sentences and their
  tooltips, downloads, the reproduction appendix, the data-files table) as
  one :class:`~ipsreport.analysis.disclosed.ledger.Ledger` of linear statements about
  the true counts (:mod:`~ipsreport.analysis.disclosed.catalogue`,
  :mod:`~ipsreport.analysis.disclosed.audit_keys`);
* it hides every count ``0 < n < m`` (``suppression == "primary"``, printed
  ``"<m"``), a base below the rule with its group (``"base"``), and in each
  variable with a hidden small count more cells until the hidden cells add up
  to at least ``m``, never with an empty cell (``"secondary"``, ``"–"``);
* it then computes with :func:`scipy.optimize.linprog` the least and greatest
  value every small count can take given everything published together,
  what ``"<3"`` and ``"–"`` themselves say included
  (:mod:`~ipsreport.analysis.disclosed.ranges`), and hides more until each such range
  is at least ``m`` wide, or for a count printed ``"<3"`` still holds every
  value below ``m`` (:mod:`~ipsreport.analysis.disclosed.plan`): what tau-Argus calls
  the audit of a suppression pattern; where the marks alone would tell, the
  book prints every hidden value as ``"–"``, as the site books always do;
* the site books of ``--by site`` are audited with the whole cohort's
  (:mod:`~ipsreport.analysis.disclosed.joint`); a book that still fails is not
  written (:mod:`~ipsreport.analysis.disclosed.gate`, exit 7);
* youngest and oldest age (each one person's value) are shown only when at
  least ``2 m`` answered, means only when at least ``m`` did;
* paired comparisons rest on at least ``m`` pairs, and a paired figure
  draws no trajectory that fewer than ``m`` persons share;
* Table 9 is fitted only when both outcome groups hold at least ``m``;
* the appendix's computed values are hidden where the chapters hide the same
  count; a hidden value's verdict is stated where the other numbers imply it.
* the non-response comparison (Bilag 7) hides a two-by-two table whole, and
  its p-value, when one of its cells is hidden (the margins are printed), and
  the means and test of a score when a group is below ``m``.

With ``min_cell == 0`` (the verified twin) every frame is returned as the
summaries made it, so the twin's report is unchanged.

Modules: :mod:`~ipsreport.analysis.disclosed.rules` (the rule on tidy frames),
:mod:`~ipsreport.analysis.disclosed.ledger`, :mod:`~ipsreport.analysis.disclosed.quantities`,
:mod:`~ipsreport.analysis.disclosed.catalogue`, :mod:`~ipsreport.analysis.disclosed.audit_keys`,
:mod:`~ipsreport.analysis.disclosed.unprotected` (what is published, as a ledger),
:mod:`~ipsreport.analysis.disclosed.ranges` (the feasible ranges) with
:mod:`~ipsreport.analysis.disclosed.programs` (their linear programs),
:mod:`~ipsreport.analysis.disclosed.plan` and :mod:`~ipsreport.analysis.disclosed.apply` (what
to hide, and hiding it), :mod:`~ipsreport.analysis.disclosed.layer` (the
:class:`Disclosed` summaries of an edition, one object per edition by
:func:`disclosed`), :mod:`~ipsreport.analysis.disclosed.released` (a book's ledger
read back and verified), :mod:`~ipsreport.analysis.disclosed.joint` and
:mod:`~ipsreport.analysis.disclosed.gate`.

The small-number rule itself: ``disclosure`` (the rule for one frame, and how
its cells print); which rule is in force is the setting ``min_cell``, resolved
by :func:`ipsreport.config.fields.resolve_min_cell` (no pandas: the command line
asks on every run). This package imports nothing; import from the modules: ``layer.Disclosed``,
``layer.DisclosedRegression``, ``layer.disclosed``,
``rules.paired_trajectories``, ``rules.pool_cells``, ``rules.protect_counts``.
"""
