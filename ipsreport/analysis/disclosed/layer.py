"""The :class:`Disclosed` summaries of one edition, and :func:`disclosed`, its per-edition cache.

A :class:`Disclosed` is made from an edition and its respondents' scores
(:class:`~ipsreport.analysis.scoring.Derived`, the pipeline's ``derive``
step): the summaries that need a score read it there
(:class:`~ipsreport.analysis.disclosed.scored.ScoredSummaries`). :func:`disclosed`
gives an edition's summaries from its scores of
:func:`~ipsreport.analysis.scoring.edition_scores`, scored once per edition.

Every property is a ``summarise_*``/``fit_*`` result with the suppression
plan of the whole book applied (:attr:`Disclosed.plan`, made by
:mod:`ipsreport.analysis.disclosed.plan` from every number the book could publish);
with the rule off, as the summary made it. See the package docstring
(:mod:`ipsreport.analysis.disclosed`) for what is hidden and why.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from ipsreport.analysis.memo import remember
from ipsreport.analysis.scoring import Derived, edition_scores
from ipsreport.analysis.disclosed import disclosure
from ipsreport.analysis.disclosed.apply import mark, suppression_of
from ipsreport.analysis.disclosed.fidelity import FidelitySummaries
from ipsreport.analysis.disclosed.plan import Plan
from ipsreport.analysis.disclosed.quantities import AGE_OVER_20, q_cell, q_total
from ipsreport.analysis.disclosed.rules import DisclosedRegression, hide_stats, protect_counts
from ipsreport.analysis.disclosed.scored import ScoredSummaries
from ipsreport.analysis.summaries import pathways as pw
from ipsreport.analysis.summaries import supplementary as sp
from ipsreport.analysis.summaries import target_group as tg

__all__ = ["Disclosed", "DisclosedRegression", "disclosed"]


#: Pairs of registry counts that add up to their common base (the second
#: follows from the first): the rule hides both when one is small.
_REGISTRY_GROUPS = {
    "finished": "status", "active": "status",
    "followup_enrolled": "followup_status", "followup_finished": "followup_status",
}


class Disclosed(ScoredSummaries, FidelitySummaries):
    """The disclosure-controlled summaries of one edition.

    Parameters
    ----------
    ed : Edition
        Its ``settings.min_cell`` is the rule (resolved by
        :func:`ipsreport.inputs.edition.edition`).
    derived : Derived
        The scores of ``ed``'s respondents (:func:`ipsreport.pipeline.derive`):
        every summary that needs a score reads it here.
    """

    def __init__(self, ed, derived: Derived) -> None:
        self.ed = ed
        self.derived = derived
        self.min_cell = disclosure.get_min_cell(ed)
        #: A site book (ipsreport.book.sites writes ``site`` in its manifest) is read beside the cohort's book and
        #: the other sites': it prints every hidden value as "–".
        self._site_book = bool(ed.manifest.get("site"))
        self._paired: dict[str | None, pd.DataFrame] = {}
        self._regressions: dict[str | None, DisclosedRegression] = {}
        #: Feasible ranges computed for the plan, reused by the appendix's verdicts and :meth:`verify`.
        self.range_cache: dict = {}

    # -- the plan: what the book publishes, decided for all of it at once ------

    @cached_property
    def unprotected(self) -> dict:
        """Every summary this layer protects, as computed (:func:`~ipsreport.analysis.disclosed.unprotected.unprotected_frames`)."""
        from ipsreport.analysis.disclosed.unprotected import unprotected_frames

        return unprotected_frames(self.ed, self.derived)

    #: A plan made and audited for this book together with others (:meth:`adopt_plan`); None: the book makes its own.
    handed_plan = None

    @property
    def plan(self):
        """What the book hides: :attr:`handed_plan` when one was handed over, else :attr:`own_plan`."""
        return self.handed_plan if self.handed_plan is not None else self.own_plan

    @cached_property
    def own_plan(self):
        """The plan this book makes itself (:func:`ipsreport.analysis.disclosed.plan.make_plan`): empty when the rule is off.

        Raises :class:`~ipsreport.analysis.disclosed.plan.DisclosureAuditError` when no
        plan can keep every small count's feasible range ``min_cell`` wide.
        """
        if not self.min_cell:
            return Plan()
        from ipsreport.analysis.disclosed.plan import make_plan
        from ipsreport.analysis.disclosed.site_plan import read_site_plan

        ledger, candidates = self.candidates
        return make_plan(ledger, candidates, self.min_cell, start=read_site_plan(self.ed), cache=self.range_cache,
                         marked=not self._site_book)

    def adopt_plan(self, plan) -> None:
        """Take ``plan``, made and audited for this book together with others, as this book's plan.

        :func:`ipsreport.analysis.disclosed.joint.plan_site_books` audits the site books
        with the cohort's; the site's pipeline then publishes exactly that
        plan instead of making its own again (the same :class:`Disclosed`: the
        command holds one edition per data folder and settings).
        """
        self.handed_plan = plan  # read by :attr:`plan`; the book's own plan is then never made

    @cached_property
    def candidates(self):
        """The structure and truths of the book, and every number it could publish (:func:`~ipsreport.analysis.disclosed.unprotected.candidate_ledger`)."""
        from ipsreport.analysis.disclosed.unprotected import candidate_ledger

        return candidate_ledger(self.ed, self.unprotected)

    def _counts(self, name: str, compute, by="variable", complete: bool = True) -> pd.DataFrame:
        """The frame ``name`` with the plan applied (with the rule off: as ``compute`` makes it)."""
        if not self.min_cell:
            return protect_counts(compute(self.ed), 0, by=by, complete=complete)
        from ipsreport.analysis.disclosed.catalogue import frame_quantities

        # The summaries made for the plan when they were; else only this one.
        frame = self.unprotected[name] if "unprotected" in self.__dict__ else compute(self.ed)
        counts, bases = frame_quantities(name, frame, self.ed.codebook)
        return mark(frame, counts, bases, self.plan, self.min_cell, self.marks)

    @property
    def marks(self) -> bool:
        """Whether small hidden counts print ``"<3"``: not in a site book, nor where the marks alone would tell."""
        if not self.min_cell:
            return True
        return not self._site_book and self.plan.marked

    @property
    def small_label(self) -> str:
        """The suppression a small count prints with: ``"primary"`` (``"<3"``), or ``"secondary"`` in a site book."""
        return "primary" if self.marks else "secondary"

    def shown(self, quantity) -> bool:
        """Whether the plan publishes a :class:`~ipsreport.analysis.disclosed.quantities.Quantity` (always, with the rule off)."""
        return not self.min_cell or self.plan.shows(quantity.handle)

    # -- chapter 4 ----------------------------------------------------------

    @cached_property
    def duration(self) -> pd.DataFrame:
        """Table 1 (:func:`~ipsreport.analysis.summaries.target_group.summarise_duration`)."""
        return self._counts("duration", tg.summarise_duration)

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
        over, answered = q_cell("baseline", AGE_OVER_20, 1), q_total("baseline", AGE_OVER_20, (1, 0))
        base_shown, shown = self.shown(answered), self.shown(over)
        hidden = not (shown and base_shown)
        frame["over20_suppression"] = suppression_of(frame["over20_n"].iloc[0], shown, base_shown, self.min_cell,
                                                     frame["n"].iloc[0], self.marks)
        frame["over20_n"] = frame["over20_n"].astype("Int64").mask(pd.Series([hidden], index=frame.index))
        frame["over20_pct"] = frame["over20_pct"].astype(float).mask(pd.Series([hidden], index=frame.index))
        # The number who gave their age, as Table 2 and the text may print it.
        frame["over20_base"] = frame["n"].astype("Int64").mask(pd.Series([not base_shown], index=frame.index))
        return frame

    @cached_property
    def background(self) -> pd.DataFrame:
        """Table 2: counts protected by variable, age rows as :attr:`age`."""
        if self.min_cell:
            out = self._counts("background", tg.summarise_background)
            ages = out["code"].isna()
            age = self.age.iloc[0]
            out.loc[ages, "value"] = [age["min"], age["max"], age["mean"]]
            hidden = pd.isna(age["over20_base"])
            out.loc[ages, "base"] = pd.NA if hidden else int(age["n"])
            out.loc[ages, "base_suppressed"] = hidden
            if hidden:  # why the number who gave their age is not printed: small, or to protect another count
                out.loc[ages, "suppression"] = "base" if disclosure.is_small(age["n"], self.min_cell) else "secondary"
            return out
        frame = tg.summarise_background(self.ed)
        counts = frame[frame["code"].notna()].copy()
        counts["n"] = counts["n"].astype("int64")
        marked = protect_counts(counts, 0)
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
        return self._counts("status", tg.summarise_status)

    @cached_property
    def supports(self) -> pd.DataFrame:
        """Table 4: only the "Ja" cell of each item is shown, so no complement exists."""
        return self._counts("supports", tg.summarise_supports, by=None, complete=False)

    @cached_property
    def goals(self) -> pd.DataFrame:
        """Goals at start (multi-select, as :attr:`supports`)."""
        return self._counts("goals", pw.summarise_goals, by=None, complete=False)

    # -- chapter 5 ----------------------------------------------------------

    @cached_property
    def motivation(self) -> pd.DataFrame:
        """Table 5."""
        return self._counts("motivation", pw.summarise_motivation)

    @cached_property
    def resources(self) -> pd.DataFrame:
        """Table 6."""
        return self._counts("resources", pw.summarise_resources)

    @cached_property
    def evaluation(self) -> pd.DataFrame:
        """Table 7."""
        return self._counts("evaluation", pw.summarise_evaluation)

    @cached_property
    def psychiatry(self) -> pd.DataFrame:
        """Contact with psychiatry (follow-up)."""
        return self._counts("psychiatry", pw.summarise_psychiatry)

    @cached_property
    def placement(self) -> pd.DataFrame:
        """Placements (follow-up)."""
        return self._counts("placement", pw.summarise_placement)

    @cached_property
    def placement_of_placed(self) -> pd.DataFrame:
        """Placement items as shares of all with a placement, blanks included (section 5.4's base)."""
        return self._counts("placement_of_placed", pw.summarise_placement_of_placed)

    @cached_property
    def no_placement_duration(self) -> pd.DataFrame:
        """Respondents without a placement and how many of them were short in the programme."""
        frame = pw.summarise_no_placement_duration(self.ed).copy()
        if self.min_cell:
            shown = {"n": q_cell("followup", "had_placement", 0),
                     "short_n": q_total("followup[had_placement==0]", "duration", (1, 2))}
            for column, quantity in shown.items():
                frame[column] = frame[column].astype("Int64").mask(
                    pd.Series([not self.shown(quantity)], index=frame.index))
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
        return self._counts("exit", pw.summarise_exit)

    @cached_property
    def registry_counts(self) -> pd.DataFrame:
        """Head counts for the prose, each row on its own (pairs that add up protected together)."""
        if self.min_cell:
            return self._counts("registry_counts", pw.summarise_registry_counts)
        frame = pw.summarise_registry_counts(self.ed)
        grouped = frame.assign(group=[_REGISTRY_GROUPS.get(m, m) for m in frame.index])
        return protect_counts(grouped, 0, by="group", complete=True)

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

    # -- Bilag 5 (chapter 6, 7 and Bilag 6: ipsreport.analysis.disclosed.scored) ------

    @cached_property
    def experience(self) -> pd.DataFrame:
        """Bilag 5: experience of the programme."""
        return self._counts("experience", sp.summarise_experience)

    @cached_property
    def statements(self) -> pd.DataFrame:
        """Bilag 5: statements."""
        return self._counts("statements", sp.summarise_statements)

    @cached_property
    def effect(self) -> pd.DataFrame:
        """Bilag 5: overall effect."""
        return self._counts("effect", sp.summarise_effect)

    # -- Bilag 7 --------------------------------------------------------------

    @cached_property
    def audit(self) -> pd.DataFrame:
        """The reproduction audit as Bilag 7 may print it.

        A computed count or share is a published number like any other: it is
        shown when the plan shows the quantity it counts (so the appendix
        hides what the chapters hide). The verdict of a hidden value is still
        stated where the other published numbers imply it (every value they
        allow gets that verdict, :func:`~ipsreport.analysis.disclosed.audit_keys.verdict_implied`);
        otherwise it is hidden too (status ``"hidden"``, ``within`` missing).
        Values that are no count (means, youngest, p-values) are hidden when
        they rest on a small count, with their verdict.
        """
        from ipsreport.analysis.disclosed.released import protected_audit

        return protected_audit(self)

    # -- the ledger: everything published, for the audit ----------------------

    def frames(self) -> dict:
        """Every protected frame, keyed as :func:`ipsreport.analysis.disclosed.catalogue.book_entries` reads them."""
        from ipsreport.analysis.disclosed.released import book_frames

        return book_frames(self)

    def ledger(self, site=None):
        """Every number this book publishes, with the structure a reader knows (:class:`~ipsreport.analysis.disclosed.ledger.Ledger`)."""
        from ipsreport.analysis.disclosed.released import book_ledger

        return book_ledger(self, site)

    def verify(self) -> None:
        """Audit what the book publishes (:func:`ipsreport.analysis.disclosed.released.verify`).

        Raises
        ------
        ipsreport.analysis.disclosed.plan.DisclosureAuditError
            Naming the count and the published numbers that pin it down.
        """
        from ipsreport.analysis.disclosed.released import verify

        verify(self)


def disclosed(ed, derived: Derived | None = None, saved: Disclosed | None = None) -> Disclosed:
    """The :class:`Disclosed` summaries of ``ed`` and its scores (one object per edition, scores and rule).

    Parameters
    ----------
    ed : Edition
    derived : Derived, optional
        The scores the summaries read (:func:`ipsreport.pipeline.summarise`
        hands in those of its ``derive`` step). Without them, the edition's
        own, :func:`~ipsreport.analysis.scoring.edition_scores` (scored once
        per edition: the same object the pipeline's ``derive`` returns).
    saved : Disclosed, optional
        The summaries a saved run holds for ``ed`` (:func:`ipsreport.results.saved.open_run`),
        taken as ed's instead of computing them; their scores become ed's scores.
    """
    if saved is not None:
        derived = edition_scores(ed, saved=saved.derived)
    elif derived is None:
        derived = edition_scores(ed)
    # Keyed on the rule too: a stand-in edition's settings may change between calls.
    return remember(("disclosed", disclosure.get_min_cell(ed)), ed,
                    lambda: saved if saved is not None else Disclosed(ed, derived), inputs=(derived,))
