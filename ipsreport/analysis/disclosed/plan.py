"""Which published numbers to hide so that no small count can be worked out: the suppression plan.

:func:`make_plan` starts from the small-number rule cell by cell (a count
``0 < n < min_cell`` is hidden; a hidden base hides its cells), adds the
complements a table needs (the hidden cells of a variable add up to at least
``min_cell``, and a zero is never a complement: "nobody" protects no-one),
and then audits everything the book would publish together
(:func:`ipsreport.analysis.disclosed.ranges.audit`). While a small count's feasible
range is narrower than ``min_cell`` it hides one more of the numbers that pin
it down (the smallest other count of the same variable, then of another,
then a base with everything equal to it; an empty cell only last) and audits again. It stops when the audit passes,
or raises :class:`DisclosureAuditError` when nothing it may hide helps (a
joint audit may only hide numbers of the site books, never the whole
cohort's, which is published already).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ipsreport.analysis.disclosed.ledger import MISSING, Entry, Ledger, Row, describe_key
from ipsreport.analysis.disclosed.ranges import Failure, Solver, Wide, audit

__all__ = ["Plan", "DisclosureAuditError", "make_plan", "released", "marks", "handle_value", "fix_failure", "fix_all",
           "relabel"]


class DisclosureAuditError(ValueError):
    """Published numbers from which a count below the rule can be worked out (the message is Danish)."""

    def __init__(self, failure: Failure, min_cell: int):
        self.failure = failure
        places = "; ".join(e.where for e in failure.entries[:4]) or "strukturen alene"
        more = f" og {len(failure.entries) - 4} tal mere" if len(failure.entries) > 4 else ""
        high = "∞" if failure.high == float("inf") else f"{failure.high:g}"
        super().__init__(
            f"småtalsrevisionen fandt et antal under {min_cell}, som kan regnes ud af de offentliggjorte tal: "
            f"{describe_key(failure.key)} ligger ifølge dem mellem {failure.low:g} og {high}, et spænd smallere "
            f"end {min_cell}. Tallene, der afslører det: {places}{more}. Rapporten blev ikke skrevet.")


@dataclass
class Plan:
    """The handles hidden (see :class:`~ipsreport.analysis.disclosed.ledger.Entry`); everything else is shown.

    Attributes
    ----------
    hidden : set
    truth : dict, optional
        The true counts, when the plan is being made: a hidden base then
        leaves its empty cells shown (a "–" is never an empty cell, so it
        says "at least the rule", see :func:`marks`).
    """

    hidden: set = field(default_factory=set)
    truth: dict | None = field(default=None, repr=False, compare=False)
    #: The book prints small hidden counts as "<3" (:func:`marks`); False where the marks themselves would tell.
    marked: bool = True

    def shows(self, handle: tuple) -> bool:
        """Whether a number with this handle is published."""
        kind = handle[0]
        if kind == "pool":
            return all(self.shows(h) for h in handle[1])
        if kind == "share":
            return self.shows(handle[1]) and self.shows(handle[2])
        if kind == "mark":  # what a printed "<3" or "–" says: it comes with the hiding
            return True
        return handle not in self.hidden

    def hide(self, handle: tuple) -> None:
        """Hide a number; a hidden base hides its cells (a table shows no count without its N)."""
        self.hidden.add(handle)
        if handle[0] == "total":
            _, population, variable, codes, site = handle
            for code in codes:
                key = ("cell", site, population, variable, code)
                if self.truth is None or self.truth.get(key, 0) != 0:
                    self.hidden.add(("cell", key))


def handle_value(handle: tuple, truth: dict) -> int:
    """The true count behind a cell, total or size handle."""
    if handle[0] == "total":
        _, population, variable, codes, site = handle
        return sum(truth.get(("cell", site, population, variable, c), 0) for c in codes)
    return truth.get(handle[1], 0)


def _site(handle: tuple):
    kind = handle[0]
    if kind in ("cell", "size"):
        return handle[1][1]
    if kind == "total":
        return handle[4]
    return None


def _atoms(handle: tuple):
    """The hideable handles a published number depends on."""
    kind = handle[0]
    if kind == "pool":
        for h in handle[1]:
            yield from _atoms(h)
    elif kind == "share":
        yield from _atoms(handle[1])
        yield from _atoms(handle[2])
    elif kind != "mark":
        yield handle


def relabel(handle: tuple, site) -> tuple:
    """The same handle for another book: every site in it replaced by ``site``."""
    kind = handle[0]
    if kind in ("cell", "size"):
        return (kind, (handle[1][0], site, *handle[1][2:]))
    if kind == "total":
        return (*handle[:4], site)
    if kind == "pool":
        return (kind, tuple(relabel(h, site) for h in handle[1]))
    if kind == "share":
        return (kind, relabel(handle[1], site), relabel(handle[2], site))
    return handle


def released(candidates: list[Entry], plan: Plan) -> list[Entry]:
    """The entries the plan publishes."""
    return [e for e in candidates if plan.shows(e.handle)]


def marks(plan: Plan, truth: dict, min_cell: int, candidates: list[Entry]) -> list[Entry]:
    """What the marks of hidden numbers say.

    A hidden cell (or head count) printed beside a shown base reads ``"<3"``
    when it is small (it then lies between 1 and ``min_cell - 1``) and
    ``"–"`` otherwise (at least ``min_cell``; an empty cell hidden as a last
    resort gets no mark, so the audit never assumes what is untrue); the
    number of pairs of chapter 6
    and of Table 9's analysis read ``"<3"`` on their own. These are published
    statements: the audit holds them against everything else, as a reader
    can. A cell of a group whose base is hidden carries no mark (the table is
    withheld), and a hidden base reads "et skjult antal", which says nothing.

    Parameters
    ----------
    plan : Plan
    truth : dict
    min_cell : int
    candidates : list of Entry
        Every number the book could publish: a count's shares say which base
        it is printed beside.

    Returns
    -------
    list of Entry
        One per marked count with a true value above 0.
    """
    beside: dict = {}
    for entry in candidates:
        if entry.handle[0] == "share" and entry.handle[1][0] in ("cell", "size"):
            beside.setdefault(entry.handle[1], []).append(entry.handle[2])
    entries = []
    for handle in sorted(plan.hidden, key=str):
        if handle[0] not in ("cell", "size"):
            continue
        value = handle_value(handle, truth)
        alone = handle[0] == "size" and handle[1][2].startswith(_PRINTED_ALONE)
        if value <= 0 or not (alone or any(plan.shows(base) for base in beside.get(handle, ()))):
            continue
        small = value < min_cell
        row = Row(((handle[1], 1.0),), 1.0 if small else float(min_cell), float(min_cell - 1) if small else None)
        entries.append(Entry(f"mærket {'<' + str(min_cell) if small else '–'}",
                             ("mark", handle[1], "small" if small else "large"), (row,)))
    return entries


#: Populations whose size the text prints on its own, "<3" when small (chapter 6's pairs, Table 9's analysis).
_PRINTED_ALONE = ("paired.", "regression")


def _primary(candidates: list[Entry], truth: dict, min_cell: int, plan: Plan, fixed_sites) -> None:
    for entry in candidates:
        for atom in _atoms(entry.handle):
            if atom[0] in ("cell", "total", "size") and _site(atom) not in fixed_sites:
                if 0 < handle_value(atom, truth) < min_cell:
                    plan.hide(atom)


def _complements(ledger: Ledger, candidates: list[Entry], min_cell: int, plan: Plan, fixed_sites) -> None:
    """In each variable with a hidden small cell, hide more until the hidden cells add up to ``min_cell``."""
    shown_cells: dict[tuple, list] = {}
    for entry in candidates:
        if entry.handle[0] == "cell" and entry.handle[1][0] == "cell":
            key = entry.handle[1]
            shown_cells.setdefault((key[1], key[2], key[3]), []).append(key)
    for (site, population, variable), keys in shown_cells.items():
        part = ledger.partitions.get((population, variable))
        if part is None or site in fixed_sites:
            continue
        codes = [c for c in part.codes if c != MISSING or part.missing_shown]
        cells = [("cell", site, population, variable, c) for c in codes]
        published = set(keys)

        def hidden(k):
            return k not in published or not plan.shows(("cell", k))

        while True:
            secret = [k for k in cells if hidden(k)]
            if not any(0 < ledger.truth.get(k, 0) < min_cell for k in secret):
                break
            if sum(ledger.truth.get(k, 0) for k in secret) >= min_cell:
                break
            visible = [k for k in cells if not hidden(k) and ledger.truth.get(k, 0) > 0]
            if not visible:
                plan.hide(("total", population, variable, tuple(c for c in part.codes if c != MISSING), site))
                break
            plan.hide(("cell", min(visible, key=lambda k: (ledger.truth.get(k, 0), str(k[4])))))


def _rank(atom: tuple, failure: Failure, truth: dict):
    kind = atom[0]
    value = handle_value(atom, truth)
    if kind == "cell":
        same = atom[1][1:4] == failure.key[1:4]
        # An empty cell after every other cell: it protects no-one in its own table, but where another
        # book's count minus this book's zero gives a count away, hiding it costs less than hiding a base.
        return (3 if value == 0 else 1 if same else 2, value, str(atom))
    return (4 if kind == "total" else 5, value, str(atom))


def _same_as_size(atom: tuple, ledger: Ledger) -> list[tuple]:
    """A population's size and every base that equals it (a required variable's answers): hidden together.

    Hiding one of them alone protects nothing while another prints the same number.
    """
    if atom[0] == "size":
        population, site = atom[1][2], atom[1][1]
    elif atom[0] == "total":
        _, population, variable, codes, site = atom
        part = ledger.partitions.get((population, variable))
        if part is None or not part.missing_zero or set(codes) != set(part.codes) - {MISSING}:
            return [atom]
    else:
        return [atom]
    same = [("size", ("size", site, population))]
    for part in ledger.partitions.values():
        if part.population == population and part.missing_zero:
            same.append(("total", population, part.variable, tuple(c for c in part.codes if c != MISSING), site))
    return same


def fix_failure(failure: Failure, plan: Plan, ledger: Ledger, fixed_sites) -> bool:
    """Hide the best number among those that pin ``failure`` down; False when none may be hidden.

    An empty cell is hidden only last (never as a table's complement: it
    protects no-one there), where shown zeros are what give a small group
    away (everybody of a small site answered alike); an empty hidden cell
    carries no mark (:func:`marks`).
    """
    truth = ledger.truth
    options = []
    for entry in failure.entries:
        for atom in _atoms(entry.handle):
            if atom in plan.hidden or _site(atom) in fixed_sites:
                continue
            options.append(atom)
    if not options:
        return False
    best = min(options, key=lambda a: _rank(a, failure, truth))
    if handle_value(best, truth) == 0:
        # Only empty cells are left: they pin the count together (everybody of a small site alike), so all go.
        chosen = [a for a in options if handle_value(a, truth) == 0]
    else:
        chosen = _same_as_size(best, ledger)
    for atom in chosen:
        plan.hide(atom)
    return True


def make_plan(ledger: Ledger, candidates: list[Entry], min_cell: int, fixed: list[Entry] = (),
              fixed_sites=(), start: Plan | None = None, cache: dict | None = None, marked: bool = True,
              wide: Wide | None = None) -> Plan:
    """The suppression plan for ``candidates`` (every number the book could publish).

    Parameters
    ----------
    ledger : Ledger
        The structure and truths (its ``entries`` are ignored).
    candidates : list of Entry
        Every number the book (or the site books) could publish.
    min_cell : int
    fixed : list of Entry
        Numbers already published that cannot be hidden (the whole cohort's
        book in a joint audit of its sites), with their marks.
    fixed_sites : iterable
        The sites of ``fixed`` (``None`` for the whole cohort).
    start : Plan, optional
        Handles hidden already.
    cache : dict, optional
        Feasible ranges already computed (:class:`~ipsreport.analysis.disclosed.ranges.Solver`), shared with a later audit.
    marked : bool
        The book prints small hidden counts as ``"<3"`` (:func:`marks`); a site book does not. Where the
        marks alone would give a count away, the plan is made without them (``Plan.marked`` False).
    wide : Wide, optional
        The counts earlier audits of this ledger found wide enough (:class:`~ipsreport.analysis.disclosed.ranges.Wide`),
        shared with later plans of the same ledger (a joint audit's rounds).

    Returns
    -------
    Plan

    Raises
    ------
    DisclosureAuditError
        When a small count stays narrower than ``min_cell`` whatever is hidden.
    """
    fixed_sites = set(fixed_sites)
    plan = Plan(set(start.hidden) if start else set(), truth=ledger.truth, marked=marked)
    if not min_cell:
        return plan
    _primary(candidates, ledger.truth, min_cell, plan, fixed_sites)
    _complements(ledger, candidates, min_cell, plan, fixed_sites)
    cache = {} if cache is None else cache
    wide = Wide() if wide is None else wide
    structure = tuple(ledger.structure())  # the rounds change only the entries
    while True:
        printed = marks(plan, ledger.truth, min_cell, candidates) if marked else []
        ledger.entries = [*fixed, *released(candidates, plan), *printed]
        solver = Solver(ledger, ledger.entries, cache, structure=structure)
        failures = audit(ledger, min_cell, solver, wide)
        if not failures:
            return plan
        if marked and any(f.inherent for f in failures):
            # "<3" beside "–" alone gives a count away (a tiny cohort): the book prints every hidden value as "–".
            return make_plan(ledger, candidates, min_cell, fixed, fixed_sites, start, cache, marked=False, wide=wide)
        fix_all(failures, plan, ledger, fixed_sites, min_cell)


def fix_all(failures: list[Failure], plan: Plan, ledger: Ledger, fixed_sites, min_cell: int) -> None:
    """One step of the plan: hide one more number for each variable (of each book) that fails.

    Raises
    ------
    DisclosureAuditError
        When no failure leaves anything to hide (one that does may protect the others of its part).
    """
    progressed = False
    done = set()
    for failure in failures:
        # One more hidden number per variable (and book) that fails: a part may join many variables.
        where = failure.key[1:4]
        if where in done:
            continue
        if fix_failure(failure, plan, ledger, fixed_sites):
            done.add(where)
            progressed = True
    if not progressed:
        raise DisclosureAuditError(failures[0], min_cell)
