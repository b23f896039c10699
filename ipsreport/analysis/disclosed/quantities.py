"""Published quantities named once: which cells a count, base, pool or size of the report adds up.

A :class:`Quantity` is what a table row, a fact or an appendix value
counts, in the terms of :mod:`ipsreport.analysis.disclosed.ledger`: its cells (or the
size of a population) and its *handle*, the name under which the plan hides
it. Two outputs that print the same count (Table 3's "Aktivitetsparat" and
the appendix's ``registry.referral_status.n.1``) name the same quantity, so
they are hidden together.

The truths behind the cells are counted here from the edition's data
(:func:`truths`): derived variables (over 20 years old, answered at start as
well, a paired trajectory) are counted where they are defined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ipsreport.analysis.derived import ACTIVE_CODE, SUCCESS_CODES
from ipsreport.analysis.disclosed.ledger import MISSING, Key, Partition, Population, cell, size

__all__ = ["Quantity", "q_cell", "q_total", "q_pool", "q_size", "partition_of", "population_of", "truths",
           "AGE_OVER_20", "IN_BASELINE", "OUTCOME", "TRAJECTORY", "BAND", "FINISHED_CODES", "SUCCESS_CODES"]

#: Derived variables (not columns of a file), each with codes 1 (yes) and 0 (no).
AGE_OVER_20 = "age>20"
IN_BASELINE = "svaret_ved_start"
OUTCOME = "job_eller_uddannelse"
TRAJECTORY = "forløb"
#: ``band.start`` / ``band.end``: the WHO-5 band at start and at the end of the paired respondents.
BAND = "band"
_YES_NO = (1, 0)
#: Registry exit codes of those who finished: every code of the codebook's scale but "Fortsat i forløb".
FINISHED_CODES = tuple(c for c in (1, 2, 3, 4, 5) if c != ACTIVE_CODE)

_FILTER = re.compile(r"^([a-z_]+)\[([a-z_]+)(==|!=)(-?\d+)\]$")


@dataclass(frozen=True)
class Quantity:
    """A published count: ``keys`` summed; ``handle`` hides it (see :class:`~ipsreport.analysis.disclosed.ledger.Entry`)."""

    keys: tuple[Key, ...]
    handle: tuple


def q_cell(population: str, variable: str, code, site=None) -> Quantity:
    """One cell."""
    key = cell(population, variable, code, site)
    return Quantity((key,), ("cell", key))


def q_total(population: str, variable: str, codes, site=None) -> Quantity:
    """A base or total (the answers, the finished): shown unless small or hidden by the plan."""
    codes = tuple(codes)
    return Quantity(tuple(cell(population, variable, c, site) for c in codes),
                    ("total", population, variable, codes, site))


def q_pool(population: str, variable: str, codes, site=None) -> Quantity:
    """Categories pooled: shown only when every pooled cell is (:func:`ipsreport.analysis.disclosed.rules.pool_cells`)."""
    codes = tuple(codes)
    if len(codes) == 1:
        return q_cell(population, variable, codes[0], site)
    keys = tuple(cell(population, variable, c, site) for c in codes)
    return Quantity(keys, ("pool", tuple(("cell", k) for k in keys)))


def q_size(population: str, site=None) -> Quantity:
    """The number of persons of a population."""
    key = size(population, site)
    return Quantity((key,), ("size", key))


def population_of(name: str, codebook) -> Population:
    """``"followup[had_placement==1]"`` -> a sub-population of ``followup`` (its ``had_placement`` cell 1)."""
    match = _FILTER.match(name)
    if match is None:
        return Population(name)
    dataset, variable, op, code = match.group(1), match.group(2), match.group(3), int(match.group(4))
    if op == "==":
        return Population(name, (dataset, variable, (code,)))
    codes = tuple(c for c in codebook[dataset][variable].values if c != code)
    return Population(name, (dataset, variable, codes))


def partition_of(population: str, variable: str, codebook, observed=()) -> Partition:
    """The structure of ``variable`` in ``population`` (codes from the codebook, or derived)."""
    if variable == TRAJECTORY:
        return Partition(population, variable, (*observed, MISSING), missing_zero=True)
    if variable in (OUTCOME, IN_BASELINE) or variable.startswith(BAND + "."):
        codes = (1, 2, 3) if variable.startswith(BAND + ".") else _YES_NO
        return Partition(population, variable, (*codes, MISSING), missing_zero=True)
    if variable == AGE_OVER_20:
        return Partition(population, variable, (*_YES_NO, MISSING))
    match = _FILTER.match(population)
    dataset = match.group(1) if match else population
    var = codebook[dataset][variable]
    same_as = None
    if match and var.asked_if and var.asked_if.replace(" ", "") == f"{match.group(2)}{match.group(3)}{match.group(4)}":
        same_as = dataset  # asked only of this sub-population: its answers are all the answers
    return Partition(population, variable, (*var.values, MISSING),
                     missing_zero=bool(var.required and not var.asked_if),
                     missing_shown=match is not None and variable in _SHOWN_BLANKS, same_as=same_as)


#: Section 5.4 prints the placement items' blanks as a category ("Ikke besvaret").
_SHOWN_BLANKS = ("placement_welcome", "placement_needs", "placement_belonging", "placement_clarity")


def _rows(ed, population: str) -> pd.DataFrame:
    match = _FILTER.match(population)
    if match is None:
        return getattr(ed, population)
    frame = getattr(ed, match.group(1))
    column = frame[match.group(2)].astype("Float64")
    code = float(match.group(4))
    mask = (column == code) if match.group(3) == "==" else (column != code)
    return frame[mask.fillna(False).to_numpy(dtype=bool)]


def truths(ed, part: Partition, extra: dict) -> dict:
    """The true count of every cell of ``part`` (``extra``: counts of derived populations, see the catalogue)."""
    if (part.population, part.variable) in extra:
        return dict(extra[(part.population, part.variable)])
    rows = _rows(ed, part.population)
    if part.variable == AGE_OVER_20:
        values = rows["age"].astype("Float64")
        answered = values.dropna()
        return {1: int((answered > 20).sum()), 0: int((answered <= 20).sum()), MISSING: int(values.isna().sum())}
    if part.variable == IN_BASELINE:
        inside = rows["id"].astype(str).isin(set(ed.baseline["id"].astype(str)))
        return {1: int(inside.sum()), 0: int((~inside).sum()), MISSING: 0}
    values = rows[part.variable]
    counts = values.dropna().astype(int).value_counts()
    out = {c: int(counts.get(c, 0)) for c in part.codes if c != MISSING}
    out[MISSING] = int(values.isna().sum())
    return out


def population_size(ed, population: str, extra: dict) -> int:
    """The true size of a population."""
    if population in extra:
        return int(extra[population])
    return int(len(_rows(ed, population)))
