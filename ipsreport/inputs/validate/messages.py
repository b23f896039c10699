"""Danish messages quoting the cells involved, as the evaluator wrote them.

For example::

    baseline.csv, række 7, kolonne who5_1: værdien "7" er ikke en tilladt kode (tilladt: 0-5; regel: tilladte_værdier)
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ipsreport.inputs.codebook.codebook import Dataset, Variable
from ipsreport.inputs.load import RawData, Source, Violation
from ipsreport.inputs.validate.conditions import condition_vars
from ipsreport.inputs.validate.schema import PARENT

__all__ = ["Messages"]


def _codes_text(codes: list[int]) -> str:
    """``0-5`` for a run of three or more consecutive codes, else ``0, 1``."""
    ordered = sorted(codes)
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}"
    return ", ".join(str(c) for c in ordered)


def _num_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


class Messages:
    """Builds Danish messages about one file, quoting the raw text of the cells involved.

    Parameters
    ----------
    name : str
        Dataset the messages are about.
    dataset : Dataset
        Its codebook entry.
    raw : RawData
        The text frames as read (values are quoted from these).
    typed : DataFrame
        The typed frame of ``name``.
    sources : dict
        Dataset name -> :class:`~ipsreport.inputs.load.Source` (for file names).
    """

    def __init__(self, name: str, dataset: Dataset, raw: RawData, typed: pd.DataFrame, sources: dict[str, Source]):
        self.name = name
        self.dataset = dataset
        self.raw = raw.frames.get(name)
        self.typed = typed
        self.file = sources[name].file
        self.sources = sources

    def text(self, row: int, column: str) -> str:
        """The cell as written in the file (trimmed); ``""`` when empty or absent."""
        if self.raw is None or column not in self.raw.columns or row not in self.raw.index:
            return ""
        value = self.raw.at[row, column]
        return "" if value is None else str(value).strip()

    def here(self, row: int, expr: str) -> str:
        """``"status = 2, end_date = tom"``: the row's values of the variables in a condition."""
        parts = []
        for var in condition_vars(expr, self.typed.columns):
            value = self.text(row, var)
            parts.append(f"{var} = {value if value else 'tom'}")
        return ", ".join(parts)

    def cell(self, row: int, column: str, rule: str, text: str, value: str | None) -> Violation:
        """A violation located at one cell: ``<file>, række <row>, kolonne <column>: <text>``."""
        return Violation(
            self.file, int(row), column, value, rule,
            f"{self.file}, række {row}, kolonne {column}: {text}",
        )

    def build(self, rule: str, column: str | None, row: Any, failure_case: Any) -> Violation:
        """The violation of one pandera failure case, worded for its codebook rule."""
        var: Variable | None = None
        if column is not None and column in self.dataset.names:
            var = self.dataset[column]
        if rule == "påkrævet_kolonne":
            missing = str(failure_case)
            hint = ""
            if self.raw is not None:
                close = [c for c in self.raw.columns if str(c).strip().casefold() == missing.casefold()]
                if close:
                    hint = f"; filen har kolonnen {close[0]} – navnet skal skrives præcis som i kodebogen"
            return Violation(self.file, None, missing, None, rule,
                             f"{self.file}: kolonnen {missing} mangler{hint} (regel: {rule})")
        row = int(row)
        value = self.text(row, column)
        if rule == "tilladte_værdier":
            return self.cell(row, column, rule,
                             f"værdien \"{value}\" er ikke en tilladt kode (tilladt: {_codes_text(var.codes)}; regel: {rule})",
                             value)
        if rule == "interval":
            lo, hi = var.range
            return self.cell(row, column, rule,
                             f"værdien \"{value}\" ligger uden for det tilladte interval "
                             f"(tilladt: {_num_text(lo)}-{_num_text(hi)}; regel: {rule})", value)
        if rule == "påkrævet":
            return self.cell(row, column, rule, f"værdien mangler, men skal altid udfyldes (regel: {rule})", None)
        if rule in ("baseline_in_registry", "followup_in_baseline"):
            parent = PARENT[self.name][1]
            parent_file = self.sources[parent].file if parent in self.sources else parent
            return self.cell(row, column, rule,
                             f"værdien \"{value}\" findes ikke i {parent_file} (regel: {rule})", value)
        if rule == "end_after_start":
            start = self.text(row, "start_date")
            return self.cell(row, column, rule,
                             f"værdien \"{value}\" ligger før startdatoen \"{start}\" (regel: {rule})", value)
        if var is not None and var.asked_if and rule in ("asked_if", "påkrævet_hvis_spurgt", "exit_matches_end"):
            here = self.here(row, var.asked_if)
            if value:
                return self.cell(row, column, rule,
                                 f"værdien \"{value}\" skal være tom, fordi kolonnen kun udfyldes, når "
                                 f"{var.asked_if} (her: {here}) (regel: {rule})", value)
            return self.cell(row, column, rule,
                             f"værdien mangler, men skal udfyldes, når {var.asked_if} (her: {here}) (regel: {rule})",
                             None)
        # Anything else (e.g. a dtype failure on frames built by hand).
        return Violation(self.file, row, column, value, rule,
                         f"{self.file}, række {row}, kolonne {column}: {failure_case} (regel: {rule})")
