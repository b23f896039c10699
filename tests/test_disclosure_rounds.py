"""The audit's rounds reuse what cannot have changed (ipsreport.analysis.disclosed.ranges): same answers, less work.

A plan audits again after every hiding. Two shortcuts keep those rounds
cheap, and both must give exactly what the plain computation gives:

* counts fixed by one-term equalities are substituted in passes over the
  rows (``_Parts``), visiting only rows whose counts changed;
* :class:`~ipsreport.analysis.disclosed.ranges.Wide` remembers the counts found wide
  enough; an audit of a subset of those rows (more hidden, nothing new
  published) does not solve them again.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ipsreport.analysis.disclosed.ledger import MISSING, Entry, Ledger, Partition, Population, Row, cell, exact, size
from ipsreport.analysis.disclosed.ranges import Solver, Wide, _Parts, audit


def _passes(rows):
    """The substitution read literally: pass over the rows in order until a pass fixes nothing."""
    fixed, sources, pending, changed = {}, {}, list(rows), True
    while changed:
        changed, rest = False, []
        for row, entry in pending:
            terms = [(k, c) for k, c in row.terms if k not in fixed and c != 0]
            if len(terms) == 1 and row.low is not None and row.low == row.high:
                const = sum(c * fixed[k] for k, c in row.terms if k in fixed)
                k, c = terms[0]
                fixed[k] = (row.low - const) / c
                found = sources.setdefault(k, [])
                if entry is not None:
                    found.append(entry)
                for other, _ in row.terms:
                    if other != k:
                        found.extend(sources.get(other, []))
                changed = True
            else:
                rest.append((row, entry))
        pending = rest
    return fixed, sources, pending


def _entry(name: str, row: Row) -> Entry:
    return Entry(name, ("cell", (name,)), (row,))


def test_a_count_is_fixed_by_the_first_row_read_in_passes():
    """x + y = 3 comes first but has two unknowns on the first pass: y = 1, then x = 2 fix both; x's source is x = 2."""
    x, y = ("x",), ("y",)
    both = _entry("x+y", Row(((x, 1.0), (y, 1.0)), 3.0, 3.0))
    only_y = _entry("y", Row(((y, 1.0),), 1.0, 1.0))
    only_x = _entry("x", Row(((x, 1.0),), 2.0, 2.0))
    parts = _Parts([(e.rows[0], e) for e in (both, only_y, only_x)])
    assert parts.fixed == {y: 1.0, x: 2.0}
    assert parts.sources == {y: [only_y], x: [only_x]}
    assert parts.rows == []  # x + y = 3 is left with no unknown: nothing to solve


def test_a_row_fixed_on_a_later_pass_names_every_source():
    """y = 1 comes last: x + y = 3 fixes x only on the second pass, from both rows."""
    x, y = ("x",), ("y",)
    both = _entry("x+y", Row(((x, 1.0), (y, 1.0)), 3.0, 3.0))
    only_y = _entry("y", Row(((y, 1.0),), 1.0, 1.0))
    parts = _Parts([(e.rows[0], e) for e in (both, only_y)])
    assert parts.fixed == {y: 1.0, x: 2.0}
    assert parts.sources == {y: [only_y], x: [both, only_y]}


_KEYS = [(f"k{i}",) for i in range(6)]
_ROW = st.builds(
    lambda terms, low, width: Row(tuple(terms), float(low), None if width is None else float(low + width)),
    st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from([0.0, 1.0, -1.0, 2.0])), min_size=1, max_size=4),
    st.integers(0, 5),
    st.one_of(st.just(0), st.just(0), st.integers(1, 3), st.none()),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ROW, max_size=12))
def test_the_substitution_is_the_literal_reading_of_the_passes(rows):
    items = [(row, _entry(f"r{i}", row) if i % 3 else None) for i, row in enumerate(rows)]
    fixed, sources, pending = _passes(items)
    parts = _Parts(items)
    assert parts.fixed == fixed
    assert parts.sources == sources
    expected = [(row, entry) for row, entry in pending
                if any(k not in fixed and c != 0 for k, c in row.terms)]
    assert [(r, e) for r, e, _ in parts.rows] == [
        (Row(tuple((k, c) for k, c in row.terms if k not in fixed and c != 0),
             None if row.low is None else row.low - sum(c * fixed[k] for k, c in row.terms if k in fixed),
             None if row.high is None else row.high - sum(c * fixed[k] for k, c in row.terms if k in fixed)),
         entry) for row, entry in expected]


def _table(truth: dict) -> tuple[Ledger, list[Entry]]:
    codes = tuple(truth)
    ledger = Ledger(partitions={("p", "v"): Partition("p", "v", (*codes, MISSING), missing_zero=True)},
                    populations={"p": Population("p")})
    for code, n in truth.items():
        ledger.truth[cell("p", "v", code)] = n
    ledger.truth[cell("p", "v", MISSING)] = 0
    ledger.truth[size("p")] = sum(truth.values())
    candidates = [Entry("N", ("size", size("p")), exact([size("p")], sum(truth.values())))]
    candidates += [Entry(f"kode {c}", ("cell", cell("p", "v", c)), exact([cell("p", "v", c)], n))
                   for c, n in truth.items()]
    return ledger, candidates


def test_a_count_found_wide_enough_is_not_solved_again_while_only_more_is_hidden():
    ledger, candidates = _table({1: 1, 2: 2, 3: 4, 4: 9})
    first = [candidates[0], candidates[3], candidates[4]]  # N, 3 and 4 shown: 1 and 2 lie in 0-3
    ledger.entries = first
    wide, cache = Wide(), {}
    solver = Solver(ledger, first, cache)
    assert audit(ledger, 3, solver, wide) == []
    assert wide.keys == {cell("p", "v", 1), cell("p", "v", 2)}
    solved = len(cache)
    fewer = [candidates[0], candidates[4]]  # 3 hidden too: a subset of the rows
    ledger.entries = fewer
    again = Solver(ledger, fewer, cache)
    assert wide.known(again.constraints, 3) == wide.keys
    assert audit(ledger, 3, again, wide) == audit(ledger, 3, Solver(ledger, fewer)) == []
    assert len(cache) == solved  # nothing solved again
    assert wide.known(again.constraints, 2) == set()  # another rule: forgotten


def test_a_newly_published_number_makes_the_audit_solve_everything_again():
    ledger, candidates = _table({1: 1, 2: 2, 3: 4, 4: 9})
    ledger.entries = [candidates[0], candidates[4]]
    wide = Wide()
    assert audit(ledger, 3, Solver(ledger, ledger.entries), wide) == []
    ledger.entries = [candidates[0], candidates[3], candidates[4], candidates[2]]  # 2 published: so is 1
    solver = Solver(ledger, ledger.entries)
    assert wide.known(solver.constraints, 3) == set()
    assert [f.key for f in audit(ledger, 3, solver, wide)] == [cell("p", "v", 1), cell("p", "v", 2)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=2, max_size=5),
       st.lists(st.sets(st.integers(0, 5)), min_size=1, max_size=6), st.integers(2, 4))
def test_each_audit_finds_the_failures_a_full_audit_finds(counts, published, min_cell):
    """Hide and publish numbers in any order: with the memory, every audit fails on exactly what a full one does."""
    ledger, candidates = _table(dict(enumerate(counts, start=1)))
    wide, cache = Wide(), {}
    for shown in published:
        ledger.entries = [c for i, c in enumerate(candidates) if i in shown]
        remembered = audit(ledger, min_cell, Solver(ledger, ledger.entries, cache), wide)
        assert remembered == audit(ledger, min_cell, Solver(ledger, ledger.entries))
