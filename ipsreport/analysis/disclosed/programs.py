"""The linear programs behind the feasible ranges (:mod:`ipsreport.analysis.disclosed.ranges`).

:class:`Program` holds one part's rows as a HiGHS program, built once and
re-solved for each count's least and greatest value; :func:`optimum` and
:func:`share_optimum` solve one objective (a sum, or a share by the
Charnes-Cooper substitution) with :func:`scipy.optimize.linprog`. Both use
HiGHS's dual simplex; ``tests/test_disclosure_audit.py`` holds
:class:`Program` against a direct :func:`~scipy.optimize.linprog` call.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linprog
from scipy.optimize._highspy import _core as _highs
from scipy.sparse import coo_array

from ipsreport.analysis.disclosed.ledger import Key, Row

__all__ = ["EPS", "Program", "optimum", "share_optimum"]

#: Slack for floating point in the rows and the rounding of a range.
EPS = 1e-6

#: The model states that answer a solve (anything else: solved again from scratch).
_DECIDED = (_highs.HighsModelStatus.kOptimal, _highs.HighsModelStatus.kUnbounded,
            _highs.HighsModelStatus.kUnboundedOrInfeasible, _highs.HighsModelStatus.kInfeasible)


class Program:
    """One part's rows as a HiGHS linear program: built once, solved for the least or greatest value of each count.

    HiGHS through scipy's own binding: the dual simplex
    :func:`scipy.optimize.linprog` runs with ``method="highs-ds"`` (presolve
    off: the programs are small, and it tells an unbounded program from an
    infeasible one), so the ranges are linprog's
    (``tests/test_disclosure_audit.py`` holds them against it), without
    rebuilding the program for every count and direction: only the objective
    changes, and each solve starts from the last one's basis. Rows read as in :func:`_program`: an equality exactly,
    an inequality with :data:`EPS` of slack.
    """

    def __init__(self, rows: tuple[Row, ...]):
        self.index: dict[Key, int] = {}
        starts, columns, values, lower, upper = [0], [], [], [], []
        for row in rows:
            merged: dict[int, float] = {}
            for k, c in row.terms:
                j = self.index.setdefault(k, len(self.index))
                merged[j] = merged.get(j, 0.0) + c
            columns.extend(merged)
            values.extend(merged.values())
            starts.append(len(columns))
            if row.low is not None and row.low == row.high:
                lower.append(row.low)
                upper.append(row.high)
            else:
                lower.append(-math.inf if row.low is None else row.low - EPS)
                upper.append(math.inf if row.high is None else row.high + EPS)
        n = len(self.index)
        lp = _highs.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(rows)
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.zeros(n), np.zeros(n), np.full(n, math.inf)
        lp.row_lower_, lp.row_upper_ = np.array(lower, dtype=float), np.array(upper, dtype=float)
        matrix = lp.a_matrix_
        matrix.format_ = _highs.MatrixFormat.kRowwise
        matrix.num_col_, matrix.num_row_ = n, len(rows)
        matrix.start_, matrix.index_, matrix.value_ = starts, columns, values
        self.highs = _highs._Highs()
        self.highs.setOptionValue("output_flag", False)  # before anything else: HiGHS writes a banner otherwise
        self.highs.setOptionValue("solver", "simplex")
        self.highs.setOptionValue("simplex_strategy", 1)  # dual, as linprog's "highs-ds"
        self.highs.setOptionValue("presolve", "off")  # small programs; and an unbounded one is told from an infeasible one
        self.highs.passModel(lp)
        self._costly: int | None = None  # the column the objective is on

    def optimum(self, key: Key, sign: float) -> float:
        """The least (``sign`` 1) or greatest (-1) value of ``key`` over the rows (``inf`` when unbounded)."""
        j = self.index.get(key)
        if j is None:  # in no row: anything from 0 up
            return 0.0 if sign > 0 else math.inf
        if self._costly is not None and self._costly != j:
            self.highs.changeColCost(self._costly, 0.0)
        self.highs.changeColCost(j, sign)
        self._costly = j
        self.highs.run()
        status = self.highs.getModelStatus()
        if status not in _DECIDED:
            # The last solve's basis did not lead anywhere (e.g. after an unbounded one): solve from scratch.
            self.highs.clearSolver()
            self.highs.run()
            status = self.highs.getModelStatus()
        if status == _highs.HighsModelStatus.kOptimal:
            return sign * self.highs.getInfo().objective_function_value
        if sign < 0 and status in (_highs.HighsModelStatus.kUnbounded, _highs.HighsModelStatus.kUnboundedOrInfeasible):
            return math.inf  # the rows hold (the truth meets them): no greatest value
        # Infeasible: the ledger contradicts itself (a bug, never data), as optimum() says.
        raise ValueError(f"the published numbers about {key} contradict each other "
                         f"({self.highs.modelStatusToString(status)})")


def _program(objective: tuple, rows: tuple[Row, ...], sign: float, scale_key: Key | None = None,
             unscaled: tuple[Row, ...] = ()):
    """The matrices of: minimise ``sign * objective`` subject to ``rows`` (and ``unscaled``).

    With ``scale_key`` every bound of ``rows`` is multiplied by that variable
    (the Charnes-Cooper substitution); ``unscaled`` rows keep their bounds.
    """
    index: dict[Key, int] = {}
    for k, _ in objective:
        index.setdefault(k, len(index))
    ub = ([], [], [], [])
    eq = ([], [], [], [])

    def add(target, terms, scale, bound, scaled=True):
        r = len(target[3])
        for k, c in terms:
            target[0].append(r)
            target[1].append(index.setdefault(k, len(index)))
            target[2].append(scale * c)
        if scale_key is None or not scaled:
            target[3].append(bound)
        else:  # a bound b becomes b * t: moved to the left as -b t
            target[0].append(r)
            target[1].append(index.setdefault(scale_key, len(index)))
            target[2].append(-scale * bound)
            target[3].append(0.0)

    for row in rows:
        if row.low is not None and row.high is not None and row.low == row.high:
            add(eq, row.terms, 1.0, row.low)
            continue
        if row.high is not None:
            add(ub, row.terms, 1.0, row.high + EPS)
        if row.low is not None:
            add(ub, row.terms, -1.0, -row.low + EPS)
    for row in unscaled:
        add(eq, row.terms, 1.0, row.low, scaled=False)
    n = len(index)
    vector = np.zeros(n)
    for k, c in objective:
        vector[index[k]] += sign * c
    a_ub = coo_array((ub[2], (ub[0], ub[1])), shape=(len(ub[3]), n)).tocsr() if ub[3] else None
    a_eq = coo_array((eq[2], (eq[0], eq[1])), shape=(len(eq[3]), n)).tocsr() if eq[3] else None
    return vector, index, a_ub, (np.array(ub[3]) if ub[3] else None), a_eq, (np.array(eq[3]) if eq[3] else None)


def _solve(vector, a_ub, b_ub, a_eq, b_eq, sign: float):
    # Dual simplex: these programs are small, and it starts faster than the interior-point method.
    res = linprog(vector, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs-ds")
    if res.status == 2:
        return None
    if res.status == 3:  # sign * objective has no least value: the objective grows without end that way
        return -sign * math.inf
    return sign * res.fun


def optimum(objective: tuple, extra: tuple, rows: tuple[Row, ...], sign: float) -> float:
    """The least (``sign`` 1) or greatest (-1) value of a linear objective over the rows."""
    vector, _, a_ub, b_ub, a_eq, b_eq = _program(objective, rows + extra, sign)
    result = _solve(vector, a_ub, b_ub, a_eq, b_eq, sign)
    if result is None:  # the ledger contradicts itself: a bug, never data
        raise ValueError(f"the published numbers about {objective} contradict each other")
    return result


def share_optimum(num, den, rows, fixed, sign: float) -> float:
    """Least or greatest ``100 num / den`` (den > 0): with y = t x and t = 1 / den, optimise 100 num(y), den(y) = 1."""
    scale = ("scale",)
    const_num = sum(c * fixed[k] for k, c in num if k in fixed)
    const_den = sum(c * fixed[k] for k, c in den if k in fixed)
    objective = tuple((k, 100.0 * c) for k, c in num if k not in fixed) + ((scale, 100.0 * const_num),)
    denominator = tuple((k, c) for k, c in den if k not in fixed) + ((scale, const_den),)
    vector, _, a_ub, b_ub, a_eq, b_eq = _program(objective, rows, sign, scale_key=scale,
                                                 unscaled=(Row(denominator, 1.0, 1.0),))
    result = _solve(vector, a_ub, b_ub, a_eq, b_eq, sign)
    if result is None:  # the base is 0 wherever the rows hold: no share at all
        return math.nan
    return result
