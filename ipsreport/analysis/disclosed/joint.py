"""The site books and the whole cohort's book audited together (``render --by site``).

A reader may hold the whole cohort's book and every site's book: a count a
site book hides may then follow from the cohort's count minus the other
sites'. :func:`joint_plans` audits all books as one ledger (each site's cells
add up to the cohort's) and hides more *in the site books* until no small
count of any book can be worked out; the whole cohort's book is left as its
own render makes it. Each site book's extra hiding is written beside its data
(:mod:`ipsreport.analysis.disclosed.site_plan`, read back when the site's chapters
run), so the site's kernels make exactly the plan audited here.
"""

from __future__ import annotations

import contextlib
import gc
from pathlib import Path

from ipsreport.analysis.disclosed.catalogue import book_entries, fill_structure
from ipsreport.analysis.disclosed.ledger import Ledger
from ipsreport.analysis.disclosed.plan import Plan, fix_all, make_plan, marks, relabel, released
from ipsreport.analysis.disclosed.ranges import Solver, Wide, audit
from ipsreport.analysis.disclosed.site_plan import write_site_plan
from ipsreport.analysis.disclosed.unprotected import candidate_ledger, derived_counts, unprotected_frames
from ipsreport.analysis.scoring import edition_scores

__all__ = ["joint_plans", "plan_site_books"]

def joint_plans(whole, sites: dict, min_cell: int, final: dict | None = None) -> dict:
    """The extra hiding each site book needs so that all books together reveal no small count.

    Parameters
    ----------
    whole : Edition
        The whole cohort.
    sites : dict
        ``site name -> Edition`` of every site's part.
    min_cell : int
    final : dict, optional
        Filled with ``site name -> Plan``: each site book's whole plan (its
        own plan started from the extra hiding), as its chapters will make it.

    Returns
    -------
    dict
        ``site name -> Plan`` (handles of the site's own book, as
        :func:`~ipsreport.analysis.disclosed.site_plan.read_site_plan` gives them back).

    Raises
    ------
    DisclosureAuditError
        When hiding in the site books cannot protect a small count.
    """
    extra = {name: Plan() for name in sites}
    if not min_cell:
        return extra
    codebook = whole.codebook
    whole_frames = unprotected_frames(whole, edition_scores(whole))
    whole_ledger, whole_candidates = candidate_ledger(whole, whole_frames)
    whole_plan = make_plan(whole_ledger, whole_candidates, min_cell)
    printed = marks(whole_plan, whole_ledger.truth, min_cell, whole_candidates) if whole_plan.marked else []
    fixed = [*released(whole_candidates, whole_plan), *printed]
    frames = {name: unprotected_frames(ed, edition_scores(ed)) for name, ed in sites.items()}
    own = {name: candidate_ledger(ed, frames[name]) for name, ed in sites.items()}
    named = {name: book_entries(frames[name], codebook, name) for name in sites}
    ledger = Ledger(sites=tuple(sites), entries=[*fixed, *(e for c in named.values() for e in c)])
    books = {None: (whole, derived_counts(whole_frames))}
    books.update({name: (ed, derived_counts(frames[name])) for name, ed in sites.items()})
    fill_structure(ledger, books, codebook)
    cache: dict = {}
    own_cache: dict = {name: {} for name in sites}  # each site's ranges, kept between rounds
    # The counts found wide enough, kept between rounds: each round only hides more (ranges.Wide).
    wide, own_wide = Wide(), {name: Wide() for name in sites}
    plans: dict = {}
    made: dict = {}  # site -> the extra hiding its plan was made from
    structure = tuple(ledger.structure())  # the rounds change only the entries
    while True:
        for name in sites:
            # A site's plan depends only on its own extra hiding: made again only when a round added to it.
            start = frozenset(extra[name].hidden)
            if made.get(name) != start:
                plans[name] = make_plan(own[name][0], own[name][1], min_cell, start=extra[name],
                                        cache=own_cache[name], marked=False, wide=own_wide[name])
                made[name] = start
        joint = Plan({relabel(h, name) for name, p in plans.items() for h in p.hidden}, truth=ledger.truth)
        # Site books print every hidden value as "–" (Disclosed.marks): only the cohort's book carries marks.
        site_candidates = [e for c in named.values() for e in c]
        ledger.entries = [*fixed, *released(site_candidates, joint)]
        solver = Solver(ledger, ledger.entries, cache, structure=structure)
        failures = audit(ledger, min_cell, solver, wide)
        if not failures:
            if final is not None:
                final.update(plans)
            return extra
        fix_all(failures, joint, ledger, {None}, min_cell)
        for handle in joint.hidden:
            site = _site_of(handle)
            if site is not None:
                extra[site].hidden.add(relabel(handle, None))


def _site_of(handle: tuple):
    kind = handle[0]
    if kind in ("cell", "size"):
        return handle[1][1]
    if kind == "total":
        return handle[4]
    return None


def plan_site_books(data_dir: Path, sites: list, settings: dict, whole_settings, cache_dir: Path) -> None:
    """Audit the whole cohort's book with every site's and write each site's extra hiding beside its data.

    Parameters
    ----------
    data_dir : Path
        The whole cohort's data folder.
    sites : list of ipsreport.book.sites.SiteData
        The split (each ``data_dir`` is written to).
    settings : dict
        Site -> its book's resolved settings (the same objects its pipeline gets, so the
        editions and their summaries are shared, :func:`ipsreport.inputs.edition.edition`).
    whole_settings : Settings
        The whole cohort's resolved settings.
    cache_dir : Path
        The render's store (:mod:`ipsreport.render.store`), where the sites' validations are kept.

    Raises
    ------
    DisclosureAuditError
        When no hiding in the site books protects a small count.
    """
    with _collector_paused():
        _plan_site_books(data_dir, sites, settings, whole_settings, cache_dir)


@contextlib.contextmanager
def _collector_paused():
    """No cyclic garbage collection while the books are audited together; as it was afterwards.

    The joint audit makes hundreds of thousands of rows, keys and cached
    ranges that live until it ends and hold no cycles; the collector's full
    collections walked them again and again (about a sixth of a 12-site
    audit's time, measured with and without). What is freed by reference
    counting is freed as always.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _plan_site_books(data_dir: Path, sites: list, settings: dict, whole_settings, cache_dir: Path) -> None:
    from ipsreport.analysis.disclosed.layer import disclosed
    from ipsreport.inputs.edition import edition
    from ipsreport.inputs.verdicts import validate_shared

    for s in sites:  # a stale plan must not hide what a changed split needs, nor leave what it does not
        write_site_plan(s.data_dir, Plan())
    reports = {s.site: validate_shared(s.data_dir, cache_dir) for s in sites}
    if not all(r.ok for r in reports.values()):
        return  # the render names the site whose data are invalid
    whole = edition(data_dir, settings=whole_settings)
    eds = {s.site: edition(s.data_dir, settings=settings[s.site], report=reports[s.site]) for s in sites}
    final: dict = {}
    plans = joint_plans(whole, eds, int(whole.settings.min_cell), final)
    for s in sites:
        write_site_plan(s.data_dir, plans[s.site])
        if s.site in final:
            # The site's pipeline publishes the plan audited here instead of making it again.
            disclosed(eds[s.site]).adopt_plan(final[s.site])
