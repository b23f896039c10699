"""The feasible range of every hidden count, given everything published: the audit tau-Argus performs.

For a cell the report hides, :func:`feasible_ranges` computes the least and
the greatest value it can take such that every published number of the
:class:`~ipsreport.disclosed.ledger.Ledger` (and its structure) still holds,
with :func:`scipy.optimize.linprog` (HiGHS). :func:`audit` calls a small count
*disclosed* when that range is narrower than ``min_cell``: a reader could then
tell "one or two persons" from the published numbers alone.

Counts are whole numbers, so a range is rounded inwards. The ledger is split
into independent parts first (counts fixed by a published number are
substituted; what is left falls apart into small groups of cells that
constrain each other), so each linear program is small, and a part whose rows
did not change is not solved again (:class:`Solver` keeps the answers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from ipsreport.disclosed.ledger import Entry, Key, Ledger, Row

__all__ = ["Failure", "Solver", "feasible_ranges", "audit"]

#: Slack for floating point in the rows and the rounding of a range.
_EPS = 1e-6


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


class _Parts:
    """The rows of a ledger with fixed counts substituted, split into independent parts."""

    def __init__(self, rows: list[tuple[Row, Entry | None]], choices: list[Entry]):
        fixed: dict[Key, float] = {}
        sources: dict[Key, list[Entry]] = {}
        pending = list(rows)
        # Substitute counts fixed by a one-term equality, until nothing changes.
        changed = True
        while changed:
            changed = False
            rest = []
            for row, entry in pending:
                terms = [(k, c) for k, c in row.terms if k not in fixed and c != 0]
                const = sum(c * fixed[k] for k, c in row.terms if k in fixed)
                if len(terms) == 1 and row.low is not None and row.low == row.high:
                    k, c = terms[0]
                    fixed[k] = (row.low - const) / c
                    sources.setdefault(k, []).extend([entry] if entry is not None else [])
                    for k2, _ in row.terms:
                        if k2 in sources and k2 != k:
                            sources[k].extend(sources[k2])
                    changed = True
                else:
                    rest.append((row, entry))
            pending = rest
        self.fixed = fixed
        self.rows: list[tuple[Row, Entry | None, tuple]] = []
        parent: dict[Key, Key] = {}

        def find(k):
            while parent.setdefault(k, k) != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def union(a, b):
            parent[find(a)] = find(b)

        for row, entry in pending:
            terms = tuple((k, c) for k, c in row.terms if k not in fixed and c != 0)
            const = sum(c * fixed[k] for k, c in row.terms if k in fixed)
            used = tuple(k for k, _ in row.terms if k in fixed)
            low = None if row.low is None else row.low - const
            high = None if row.high is None else row.high - const
            if not terms:
                continue
            self.rows.append((Row(terms, low, high), entry, used))
            for (a, _), (b, _) in zip(terms, terms[1:]):
                union(a, b)
            find(terms[0][0])
        self.choices = []
        for entry in choices:
            keys = [k for piece in entry.pieces for row in piece for k, _ in row.terms if k not in fixed]
            for a, b in zip(keys, keys[1:]):
                union(a, b)
            if keys:
                find(keys[0])
            self.choices.append(entry)
        self._find = find
        self.sources = sources

    def part(self, key: Key) -> Key:
        return self._find(key)


class Solver:
    """Feasible ranges for one ledger, each independent part solved once."""

    def __init__(self, ledger: Ledger, entries: list[Entry], cache: dict | None = None):
        rows: list[tuple[Row, Entry | None]] = [(r, None) for r in ledger.structure()]
        choices = []
        for entry in entries:
            if len(entry.pieces) == 1:
                rows.extend((r, entry) for r in entry.pieces[0])
            else:
                choices.append(entry)
        self.parts = _Parts(rows, choices)
        # Shared between solvers of one plan: a part whose rows did not change is not solved again.
        self._cache: dict[tuple, tuple[float, float]] = {} if cache is None else cache

        # Rows and choices of each part, gathered once.
        self._rows: dict[Key, list] = {}
        for item in self.parts.rows:
            self._rows.setdefault(self.parts.part(item[0].terms[0][0]), []).append(item)
        self._choices: dict[Key, list] = {}
        for entry in self.parts.choices:
            keys = [k for piece in entry.pieces for row in piece for k, _ in row.terms if k not in self.parts.fixed]
            if keys:
                self._choices.setdefault(self.parts.part(keys[0]), []).append(entry)

    def entries_of(self, key: Key) -> tuple[Entry, ...]:
        """The published numbers that constrain ``key`` (directly, or through its part)."""
        p = self.parts
        if key in p.fixed:
            return tuple(dict.fromkeys(p.sources.get(key, [])))
        root = p.part(key)
        found: list[Entry] = []
        for row, entry, used in self._rows.get(root, []):
            if entry is not None:
                found.append(entry)
            for k in used:
                found.extend(p.sources.get(k, []))
        found.extend(self._choices.get(root, []))
        return tuple(dict.fromkeys(found))

    def range(self, key: Key, truth: float | None = None, width: float | None = None) -> tuple[float, float]:
        """The least and greatest value of ``key`` (whole numbers; ``inf`` when unbounded).

        Given the true value and the width asked for, the least value is not
        computed when the greatest is far enough above the truth (it is then
        reported as the truth).
        """
        p = self.parts
        if key in p.fixed:
            return p.fixed[key], p.fixed[key]
        root = p.part(key)
        rows = tuple(row for row, _, _ in self._rows.get(root, []))
        choices = tuple(self._choices.get(root, []))
        signature = (key, rows, choices, truth, width)
        if signature not in self._cache:
            self._cache[signature] = _solve(key, list(rows), list(choices), p.fixed, truth, width)
        return self._cache[signature]


def _substituted(piece, fixed) -> list[Row]:
    out = []
    for row in piece:
        terms = tuple((k, c) for k, c in row.terms if k not in fixed)
        const = sum(c * fixed[k] for k, c in row.terms if k in fixed)
        out.append(Row(terms, None if row.low is None else row.low - const,
                       None if row.high is None else row.high - const))
    return out


def _holds(rows: list[Row], point: dict) -> bool:
    for row in rows:
        value = sum(c * point.get(k, 0.0) for k, c in row.terms)
        if row.low is not None and value < row.low - 1e-5:
            return False
        if row.high is not None and value > row.high + 1e-5:
            return False
    return True


class _TooComplex(Exception):
    """More verdicts cut the optimum than a few programs can sort out."""


#: Programs one range may take when verdicts cut the optimum; beyond it the range counts as undecided.
_BUDGET = 12


def _extreme(key: Key, rows: list[Row], choices: list[list[list[Row]]], sign: float, budget: list[int]):
    """The least (``sign`` 1) or greatest (-1) value of ``key`` where ``rows`` and one piece of each choice hold.

    Branches only on a choice the optimum of the others violates (a verdict
    seldom cuts the optimum off), so a part with verdicts mostly costs one
    program. ``None`` when nothing is feasible; ``-inf``/``inf`` (times the
    sign) when unbounded. Raises :class:`_TooComplex` past the budget.
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooComplex
    result, point = _program(key, rows, sign)
    if result is None:
        return None
    if math.isinf(result):
        if not choices:
            return result
        first, rest = choices[0], choices[1:]
    else:
        broken = [c for c in choices if not any(_holds(piece, point) for piece in c)]
        if not broken:
            return result
        first = broken[0]
        rest = [c for c in choices if c is not first]
    found = [_extreme(key, rows + piece, rest, sign, budget) for piece in first]
    found = [f for f in found if f is not None]
    if not found:
        return None
    return min(found) if sign > 0 else max(found)


def _solve(key: Key, rows: list[Row], choices: list[Entry], fixed: dict, truth: float | None,
           width: float | None) -> tuple[float, float]:
    pieces = [[_substituted(piece, fixed) for piece in entry.pieces] for entry in choices]
    budget = [_BUDGET]
    try:
        high = _extreme(key, rows, pieces, -1.0, budget)
    except _TooComplex:
        # Undecided counts as disclosed: the plan then withdraws the verdicts of this part.
        return (truth or 0.0, truth or 0.0)
    if high is None:  # nothing is feasible: the ledger contradicts itself (a bug, never data)
        raise ValueError(f"the published numbers about {key} contradict each other")
    high = math.floor(high + _EPS) if not math.isinf(high) else math.inf
    if truth is not None and width is not None and high - truth >= width:
        # The range [min, max] holds the truth, so it is wide enough whatever the minimum is.
        return (truth, high)
    try:
        low = _extreme(key, rows, pieces, 1.0, budget)
    except _TooComplex:
        return (truth or 0.0, truth or 0.0)
    low = max(0.0, math.ceil(low - _EPS)) if low is not None and not math.isinf(low) else 0.0
    return float(low), float(high)


def _program(key: Key, rows: list[Row], sign: float):
    """One linear program: the optimum of ``sign * key`` and the optimal point (``None`` if infeasible)."""
    variables = list(dict.fromkeys([key, *(k for row in rows for k, _ in row.terms)]))
    index = {k: i for i, k in enumerate(variables)}
    a_ub, b_ub, a_eq, b_eq = [], [], [], []
    for row in rows:
        vec = np.zeros(len(variables))
        for k, c in row.terms:
            vec[index[k]] += c
        if row.low is not None and row.high is not None and row.low == row.high:
            a_eq.append(vec)
            b_eq.append(row.low)
            continue
        if row.high is not None:
            a_ub.append(vec)
            b_ub.append(row.high + _EPS)
        if row.low is not None:
            a_ub.append(-vec)
            b_ub.append(-row.low + _EPS)
    objective = np.zeros(len(variables))
    objective[0] = sign
    # Dual simplex: these programs are tiny, and it starts faster than the interior-point method.
    res = linprog(objective, A_ub=np.array(a_ub) if a_ub else None, b_ub=np.array(b_ub) if b_ub else None,
                  A_eq=np.array(a_eq) if a_eq else None, b_eq=np.array(b_eq) if b_eq else None,
                  bounds=(0, None), method="highs-ds")
    if res.status == 2:
        return None, None
    if res.status == 3:
        return sign * math.inf, None
    return sign * res.fun, dict(zip(variables, res.x))


def feasible_ranges(ledger: Ledger, keys: list[Key]) -> dict[Key, tuple[float, float]]:
    """The feasible range of each of ``keys`` given every entry of ``ledger``."""
    solver = Solver(ledger, ledger.entries)
    return {k: solver.range(k) for k in keys}


def audit(ledger: Ledger, min_cell: int, solver: Solver | None = None) -> list[Failure]:
    """Every small count whose feasible range is narrower than ``min_cell``.

    Parameters
    ----------
    ledger : Ledger
    min_cell : int
        The rule; ``0`` audits nothing.
    solver : Solver, optional
        One already built for ``ledger.entries`` (its answers are reused).

    Returns
    -------
    list of Failure
        Empty when no small count can be narrowed down below the rule.
    """
    if not min_cell:
        return []
    solver = solver or Solver(ledger, ledger.entries)
    failures = []
    for key in ledger.sensitive(min_cell):
        low, high = solver.range(key, ledger.truth[key], min_cell)
        if high - low < min_cell:
            failures.append(Failure(key, ledger.truth[key], low, high, solver.entries_of(key)))
    return failures
