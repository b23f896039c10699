"""The feasible range of every hidden count, given everything published: the audit tau-Argus performs.

For a cell the report hides, :meth:`Solver.range` computes the least and the
greatest value it can take such that every published number of the
:class:`~ipsreport.analysis.disclosed.ledger.Ledger` (and its structure) still holds,
with HiGHS (:mod:`ipsreport.analysis.disclosed.programs`). :func:`audit` calls a small count
*disclosed* when that range is narrower than ``min_cell``: a reader could then
tell "one or two persons" from the published numbers alone.

Counts are whole numbers, so a range is rounded inwards. The ledger is split
into independent parts first (counts fixed by a published number are
substituted; what is left falls apart into small groups of cells that
constrain each other), so each linear program is small, and a part whose rows
did not change is not solved again (the answers are kept in a cache shared
by the rounds of a plan and the final audit).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from ipsreport.analysis.disclosed.ledger import Entry, Key, Ledger, Row
from ipsreport.analysis.disclosed.programs import EPS as _EPS
from ipsreport.analysis.disclosed.programs import Program, optimum, share_optimum

__all__ = ["Failure", "Solver", "Wide", "audit"]


@dataclass(frozen=True)
class Failure:
    """A small count that the published numbers pin down too closely.

    Attributes
    ----------
    key : Key
        The cell or size.
    truth : int
    low, high : float
        Its feasible range (``high`` may be ``inf``).
    entries : tuple of Entry
        The published numbers that constrain it (directly or through other
        hidden cells): what the plan may hide, and what a message names.
    """

    key: Key
    truth: int
    low: float
    high: float
    entries: tuple[Entry, ...]
    #: The marks alone ("<3" beside "–") pin it: no hiding helps, only printing no marks.
    inherent: bool = False


class _Parts:
    """The rows of a ledger with fixed counts substituted, split into independent parts."""

    def __init__(self, rows: list[tuple[Row, Entry | None]]):
        fixed: dict[Key, float] = {}
        sources: dict[Key, list[Entry]] = {}
        spent = self._substitute(rows, fixed, sources)
        pending = [item for i, item in enumerate(rows) if i not in spent]
        self.fixed = fixed
        self.sources = sources
        self.rows: list[tuple[Row, Entry | None, tuple]] = []
        self._parent: dict[Key, Key] = {}
        for row, entry in pending:
            terms = tuple((k, c) for k, c in row.terms if k not in fixed and c != 0)
            if not terms:
                continue
            const = sum(c * fixed[k] for k, c in row.terms if k in fixed)
            used = tuple(k for k, _ in row.terms if k in fixed)
            low = None if row.low is None else row.low - const
            high = None if row.high is None else row.high - const
            self.rows.append((Row(terms, low, high), entry, used))
            for (a, _), (b, _) in zip(terms, terms[1:]):
                self._parent[self.part(a)] = self.part(b)
            self.part(terms[0][0])

    @staticmethod
    def _substitute(rows: list[tuple[Row, Entry | None]], fixed: dict, sources: dict) -> set[int]:
        """Substitute counts fixed by a one-term equality, until nothing changes; the rows used.

        The rows are read in passes, in order, as often as a pass fixes a count, and a row whose
        other terms are fixed fixes its last one (so the values and their sources are those of
        exactly that reading). Only the equalities with one unfixed term left are visited: a
        row is looked at again only when one of its counts was fixed, so the work is linear in
        the rows rather than in rows times passes.
        """
        left: dict[int, int] = {}  # equality row -> its terms whose count is not fixed
        where: dict[Key, list[int]] = {}
        for i, (row, _) in enumerate(rows):
            if row.low is None or row.low != row.high:
                continue
            terms = [k for k, c in row.terms if c != 0]
            left[i] = len(terms)
            for k in terms:
                where.setdefault(k, []).append(i)
        now = [i for i, n in left.items() if n == 1]  # this pass, in order
        later: list[int] = []  # the next pass
        heapq.heapify(now)
        used: set[int] = set()
        while now or later:
            if not now:  # the next pass
                now, later = later, []
            at = heapq.heappop(now)
            row, entry = rows[at]
            terms = [(k, c) for k, c in row.terms if k not in fixed and c != 0]
            if len(terms) != 1:
                continue  # its last count was fixed by an earlier row: nothing left to fix
            const = sum(c * fixed[k] for k, c in row.terms if k in fixed)
            k, c = terms[0]
            fixed[k] = (row.low - const) / c
            used.add(at)
            found = sources.setdefault(k, [])
            if entry is not None:
                found.append(entry)
            for other, _ in row.terms:
                if other != k:
                    found.extend(sources.get(other, []))
            for j in where.get(k, ()):
                left[j] -= 1
                if left[j] == 1:
                    heapq.heappush(now if j > at else later, j)
        return used

    def part(self, key: Key) -> Key:
        """The representative of the part ``key`` belongs to."""
        parent = self._parent
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key


class Solver:
    """Feasible ranges for one ledger, each independent part solved once.

    Parameters
    ----------
    ledger : Ledger
        Its structure (the entries are passed separately).
    entries : list of Entry
        The published numbers.
    cache : dict, optional
        Ranges already computed (keyed by the part's rows): shared between
        the rounds of a plan and its final audit.
    structure : tuple of Row, optional
        ``ledger.structure()``, when the caller has it.
    """

    def __init__(self, ledger: Ledger, entries: list[Entry], cache: dict | None = None,
                 structure: tuple[Row, ...] | None = None):
        #: ``ledger.structure()`` (given by a caller that has it already: another solver of the same ledger).
        self.structure = tuple(ledger.structure()) if structure is None else structure
        rows: list[tuple[Row, Entry | None]] = [(r, None) for r in self.structure]
        for entry in entries:
            rows.extend((r, entry) for r in entry.rows)
        #: Every row the ranges must satisfy (structure and published numbers): what :class:`Wide` compares.
        self.constraints = frozenset(r for r, _ in rows)
        self.parts = _Parts(rows)
        self._cache: dict = {} if cache is None else cache
        self._models: dict[tuple[Row, ...], Program] = {}  # a part's program, solved for each of its counts
        self._rows: dict[Key, list] = {}
        for item in self.parts.rows:
            self._rows.setdefault(self.parts.part(item[0].terms[0][0]), []).append(item)

    def entries_of(self, key: Key) -> tuple[Entry, ...]:
        """The published numbers that constrain ``key`` (directly, or through its part)."""
        p = self.parts
        if key in p.fixed:
            return tuple(dict.fromkeys(p.sources.get(key, [])))
        found: list[Entry] = []
        for _, entry, used in self._rows.get(p.part(key), []):
            if entry is not None:
                found.append(entry)
            for k in used:
                found.extend(p.sources.get(k, []))
        return tuple(dict.fromkeys(found))

    def _rows_of(self, keys) -> tuple[Row, ...]:
        roots = dict.fromkeys(self.parts.part(k) for k in keys if k not in self.parts.fixed)
        return tuple(row for root in roots for row, _, _ in self._rows.get(root, []))

    def range(self, key: Key, truth: float | None = None, width: float | None = None) -> tuple[float, float]:
        """The least and greatest value of ``key`` (whole numbers; ``inf`` when unbounded).

        Given the true value and the width asked for, the least value is not
        computed when the greatest is that far above the truth (the range
        then holds ``[truth, greatest]``, wide enough whatever the least is).
        """
        if key in self.parts.fixed:
            return self.parts.fixed[key], self.parts.fixed[key]
        rows = self._rows_of([key])
        signature = ("range", key, rows, truth, width)
        if signature not in self._cache:
            model = self._models.get(rows)
            if model is None:
                model = self._models[rows] = Program(rows)
            high = model.optimum(key, -1.0)
            high = math.floor(high + _EPS) if not math.isinf(high) else math.inf
            if truth is not None and width is not None and high - truth >= width:
                self._cache[signature] = (float(truth), float(high))
            else:
                low = max(0.0, math.ceil(model.optimum(key, 1.0) - _EPS))
                self._cache[signature] = (float(low), float(high))
        return self._cache[signature]

    def expression_range(self, numerator: tuple[Key, ...], denominator: tuple[Key, ...] = ()) -> tuple[float, float]:
        """The least and greatest value of a sum of counts, or of a share ``100 * sum(num) / sum(den)``.

        A share is optimised by the Charnes-Cooper substitution (one linear
        program each way); its range leaves out the points where the base is 0.
        """
        fixed = self.parts.fixed
        rows = self._rows_of([*numerator, *denominator])
        num = [(k, 1.0) for k in numerator]
        den = [(k, 1.0) for k in denominator]
        signature = ("expression", tuple(numerator), tuple(denominator), rows)
        if signature in self._cache:
            return self._cache[signature]
        if not denominator:
            const = sum(fixed.get(k, 0.0) for k in numerator)
            terms = tuple((k, c) for k, c in num if k not in fixed)
            result = (const, const) if not terms else (
                const + optimum(terms, (), rows, 1.0), const + optimum(terms, (), rows, -1.0))
        else:
            result = (share_optimum(num, den, rows, fixed, 1.0), share_optimum(num, den, rows, fixed, -1.0))
        self._cache[signature] = result
        return result


class Wide:
    """The counts an audit found at least ``min_cell`` wide, and the rows it held them against.

    A plan audits again after each hiding. When the rows of the next audit
    are a subset of this one's (numbers were hidden, none published), every
    feasible range can only be as wide or wider: with fewer constraints the
    feasible set contains the old one. Those counts are then not solved
    again, and the audit's failures are exactly those of a full audit.
    Any other change (a new mark, another ``min_cell``) forgets them.
    """

    def __init__(self) -> None:
        self.rows: frozenset | None = None
        self.min_cell: int | None = None
        self.keys: set = set()
        #: The solver of what the marks and the structure alone say (:func:`audit`), while they stay the same.
        self.inherent: Solver | None = None

    def known(self, rows: frozenset, min_cell: int) -> set:
        """The counts known to be wide enough under ``rows``."""
        if self.rows is None or min_cell != self.min_cell or not rows <= self.rows:
            return set()
        return self.keys

    def remember(self, rows: frozenset, min_cell: int, keys: set) -> None:
        self.rows, self.min_cell, self.keys = rows, min_cell, keys


def audit(ledger: Ledger, min_cell: int, solver: Solver | None = None, wide: Wide | None = None) -> list[Failure]:
    """Every small count the published numbers pin down more closely than the rule allows.

    A small count (``0 < n < min_cell``) is safe when its feasible range is
    at least ``min_cell`` wide. One printed as ``"<3"`` (a mark,
    :func:`ipsreport.analysis.disclosed.plan.marks`) cannot be: it is safe when its
    range still holds every value from 1 to ``min_cell - 1``, so a reader
    learns no more than the mark. So is a count whose range is what the marks
    alone make it and still holds 1 to ``min_cell - 1`` (of "<3 pairs" every
    subgroup is small too). A count the marks alone pin down more narrowly is
    reported as ``inherent``: only a book without marks protects it.

    Parameters
    ----------
    ledger : Ledger
        Its entries include the marks of hidden numbers.
    min_cell : int
        The rule; ``0`` audits nothing.
    solver : Solver, optional
        One already built for ``ledger.entries`` (its answers are reused).
    wide : Wide, optional
        What the previous audit of the same plan found wide enough; updated.

    Returns
    -------
    list of Failure
        Empty when no small count can be narrowed down.
    """
    if not min_cell:
        return []
    solver = solver or Solver(ledger, ledger.entries)
    marked = {e.handle[1] for e in ledger.entries if e.handle[0] == "mark" and e.handle[2] == "small"}
    inherent = None
    failures = []
    known = wide.known(solver.constraints, min_cell) if wide is not None else set()
    found = set(known)
    for key in ledger.sensitive(min_cell):
        if key in known:
            continue
        low, high = solver.range(key, ledger.truth[key], min_cell)
        if high - low >= min_cell:
            found.add(key)
            continue
        holds_all = low <= 1 and high >= min_cell - 1
        if key in marked and holds_all:
            continue
        if inherent is None:  # what the marks and the structure alone say (shared cache: cheap)
            inherent = _inherent(ledger, solver, wide)
        alone = inherent.range(key) == (low, high)
        if alone and holds_all:
            continue
        failures.append(Failure(key, ledger.truth[key], low, high, solver.entries_of(key), alone and bool(marked)))
    if wide is not None:
        wide.remember(solver.constraints, min_cell, found)
    return failures


def _inherent(ledger: Ledger, solver: Solver, wide: Wide | None) -> Solver:
    """The solver of the marks and the structure alone; the one kept in ``wide`` when its rows are the same."""
    printed = [e for e in ledger.entries if e.handle[0] == "mark"]
    if wide is not None and wide.inherent is not None:
        rows = frozenset([*solver.structure, *(r for e in printed for r in e.rows)])
        if wide.inherent.constraints == rows:
            return wide.inherent
    found = Solver(ledger, printed, solver._cache, structure=solver.structure)
    if wide is not None:
        wide.inherent = found
    return found
