"""The ledger: every number the report publishes, as a linear statement about counts of persons.

A reader who holds the whole book (tables, sentences, tooltips, downloads,
appendices) and, for ``--by site``, every site's book, knows each published
number as a *linear* statement about the true counts behind it:

* a count ``n`` of a category: ``x = n``;
* a base, a total or a pool of categories: ``x_1 + x_2 + ... = n``;
* a share ``p`` % of a base, rounded to ``h``: ``(p - h) b <= 100 x <= (p + h) b``
  (also when the base ``b`` is itself unknown: the statement stays linear).

(A verdict of the reproduction appendix about a hidden value is stated only
when the published numbers imply it already, see
:mod:`ipsreport.analysis.disclosed.audit_keys`, so it adds nothing to the ledger.)

The unknowns are the counts of *cells*: persons of a population
(``"followup"``, ``"followup[had_placement==1]"``, ``"paired.who5"``, ...,
optionally of one site) with one code of one variable, or with no answer
(:data:`MISSING`), and the sizes of the populations. What every reader knows
without being told, the structure, is part of the ledger too: the cells of a
variable add up to the population's size, a sub-population's size is a cell
of its parent, and each site's cells add up to the whole cohort's.

:mod:`ipsreport.analysis.disclosed.ranges` computes, with a linear program, the least
and the greatest value every hidden cell can take given the whole ledger;
:mod:`ipsreport.analysis.disclosed.plan` hides more until each small count's range is
at least ``min_cell`` wide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

__all__ = ["MISSING", "Key", "cell", "size", "Row", "Entry", "Partition", "Population", "Ledger",
           "exact", "share", "describe_key"]

#: The code of a cell of persons who gave no answer (codebook codes are integers).
MISSING = "ikke besvaret"

#: ``("cell", site, population, variable, code)`` or ``("size", site, population)``.
Key = tuple


def cell(population: str, variable: str, code, site: str | None = None) -> Key:
    """The count of persons of ``population`` (at ``site``, or all sites) with ``code`` of ``variable``."""
    return ("cell", site, population, variable, code)


def size(population: str, site: str | None = None) -> Key:
    """The number of persons of ``population`` (at ``site``, or all sites)."""
    return ("size", site, population)


@dataclass(frozen=True)
class Row:
    """``low <= sum(coefficient * key) <= high`` (``None``: no bound on that side).

    Its hash is computed once and kept: an audit hashes the same rows again
    and again (the solver's cache is keyed by the rows of a part, the rounds
    of a plan compare their sets of rows), each a tuple of tuples. The kept
    hash is never pickled (a string's hash differs from one process to the next).
    """

    terms: tuple[tuple[Key, float], ...]
    low: float | None
    high: float | None

    def __hash__(self) -> int:
        try:
            return self.__dict__["_hash"]
        except KeyError:
            found = hash((self.terms, self.low, self.high))
            object.__setattr__(self, "_hash", found)
            return found

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}


@dataclass(frozen=True)
class Entry:
    """One published number as what it tells a reader.

    Attributes
    ----------
    where : str
        Where it is published, in Danish, for the message that names it
        (``"Tabel 3 (status), kode 2"``).
    handle : tuple
        What hides it (:mod:`ipsreport.analysis.disclosed.plan`): ``("cell", key)``,
        ``("total", ...)`` (a base: the sum of some cells), ``("size", key)``,
        ``("pool", handles)`` (shown only with all its cells),
        ``("share", a, b)`` (shown only with both) or ``("mark", key, kind)``
        (what a printed ``"<3"`` or ``"–"`` says; it comes with the hiding).
    rows : tuple of Row
        What the number says: every row holds.
    """

    where: str
    handle: tuple
    rows: tuple[Row, ...]


def exact(keys: Iterable[Key], value: float) -> tuple[Row, ...]:
    """The rows of a published count or sum: ``sum(keys) == value``."""
    return (Row(tuple((k, 1.0) for k in keys), float(value), float(value)),)


def share(numerator: Iterable[Key], denominator: Iterable[Key], pct: float, half: float) -> tuple[Row, ...]:
    """The rows of a share ``pct`` (0-100) rounded to ``half``: ``(pct - half) b <= 100 n <= (pct + half) b``.

    Linear in the counts even when the base ``b`` is unknown: ``100 n - (pct + half) b <= 0`` and
    ``100 n - (pct - half) b >= 0``.
    """
    num = [(k, 100.0) for k in numerator]

    def with_base(p):
        terms: dict[Key, float] = dict(num)
        for k in denominator:
            terms[k] = terms.get(k, 0.0) - p
        return tuple(terms.items())

    return (Row(with_base(pct + half), None, 0.0), Row(with_base(pct - half), 0.0, None))


@dataclass(frozen=True)
class Partition:
    """A population split by one variable: its cells (one per code, and :data:`MISSING`) add up to its size.

    Attributes
    ----------
    population, variable : str
    codes : tuple
        Every code, :data:`MISSING` last.
    missing_zero : bool
        Nobody is without an answer (a required variable, a derived one):
        the :data:`MISSING` cell is 0 and known to be.
    missing_shown : bool
        The no-answer cell is printed as a category of its own (section
        5.4's "Ikke besvaret"): a small one is protected like any other cell.
    same_as : str or None
        A population whose cells of this variable (answers, not blanks) are
        these cells exactly: the question is asked only of this
        sub-population (codebook ``asked_if``), so it is the parent's
        partition of the same variable.
    """

    population: str
    variable: str
    codes: tuple
    missing_zero: bool = False
    missing_shown: bool = False
    same_as: str | None = None


@dataclass(frozen=True)
class Population:
    """A set of persons; ``parent`` = ``(population, variable, codes)`` when it is a cell (or pool) of another."""

    name: str
    parent: tuple[str, str, tuple] | None = None


@dataclass
class Ledger:
    """The published numbers of one book (or of several: a cohort and its sites) with their structure.

    Attributes
    ----------
    partitions : dict
        ``(population, variable) -> Partition``: the structure of every
        variable a published number rests on.
    populations : dict
        ``name -> Population``.
    sites : tuple of str
        The sites whose books are audited jointly with the whole cohort's
        (empty for one book).
    links : list of Row
        Other facts every reader knows (the same persons counted from two files).
    entries : list of Entry
        The published numbers.
    truth : dict
        The true value of every cell and size (never published: it says
        which cells are small, and what the plan may hide).
    """

    partitions: dict[tuple[str, str], Partition] = field(default_factory=dict)
    populations: dict[str, Population] = field(default_factory=dict)
    sites: tuple[str, ...] = ()
    links: list[Row] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    truth: dict[Key, int] = field(default_factory=dict)

    def site_names(self) -> tuple:
        """``(None,)`` for one book; ``(None, *sites)`` for a joint audit."""
        return (None, *self.sites)

    def structure(self) -> list[Row]:
        """What every reader knows: cells add up to sizes, sub-populations and sites add up."""
        rows: list[Row] = list(self.links)
        sites = self.site_names()
        for site in sites:
            for part in self.partitions.values():
                keys = [cell(part.population, part.variable, c, site) for c in part.codes]
                rows.append(Row(tuple((k, 1.0) for k in keys) + ((size(part.population, site), -1.0),), 0.0, 0.0))
                if part.missing_zero:
                    rows.append(Row(((cell(part.population, part.variable, MISSING, site), 1.0),), 0.0, 0.0))
                if part.same_as is not None and (part.same_as, part.variable) in self.partitions:
                    for c in part.codes:
                        if c != MISSING:
                            rows.append(Row(((cell(part.population, part.variable, c, site), 1.0),
                                             (cell(part.same_as, part.variable, c, site), -1.0)), 0.0, 0.0))
            for pop in self.populations.values():
                if pop.parent is None:
                    continue
                parent, variable, codes = pop.parent
                terms = tuple((cell(parent, variable, c, site), 1.0) for c in codes)
                rows.append(Row(terms + ((size(pop.name, site), -1.0),), 0.0, 0.0))
                # A sub-population's answers are among its parent's answers.
                for (population, var), part in self.partitions.items():
                    if population == pop.name and (parent, var) in self.partitions and part.same_as is None:
                        for c in part.codes:
                            if c != MISSING:
                                rows.append(Row(((cell(pop.name, var, c, site), 1.0),
                                                 (cell(parent, var, c, site), -1.0)), None, 0.0))
        if self.sites:
            for key in list(self.truth):
                if key[1] is None:
                    parts = [key[:1] + (s,) + key[2:] for s in self.sites]
                    rows.append(Row(((key, 1.0), *((k, -1.0) for k in parts)), 0.0, 0.0))
        # What every reader knows must be true of these data: a rule the data break (a question answered
        # where the codebook says it is not asked) is no knowledge, and would contradict the truth.
        return [row for row in rows if self._holds(row)]

    def _holds(self, row: Row) -> bool:
        value = sum(c * self.truth.get(k, 0) for k, c in row.terms)
        return (row.low is None or value >= row.low - 1e-9) and (row.high is None or value <= row.high + 1e-9)

    def sensitive(self, min_cell: int) -> list[Key]:
        """The cells and sizes whose true value is a small count (``0 < n < min_cell``)."""
        out = []
        for key, value in self.truth.items():
            if not 0 < value < min_cell:
                continue
            if key[0] == "cell" and key[4] == MISSING:
                part = self.partitions.get((key[2], key[3]))
                if part is None or not part.missing_shown:
                    continue  # item non-response is not a category the report prints
            out.append(key)
        return out


def describe_key(key: Key) -> str:
    """A cell or size in words, for messages (Danish)."""
    where = f" på {key[1]}" if key[1] is not None else ""
    if key[0] == "size":
        return f"antallet i {key[2]}{where}"
    return f"antallet med {key[3]} = {key[4]} i {key[2]}{where}"
