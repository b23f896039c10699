"""The result of a validation: every error and warning, and its Danish text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ipsreport.inputs.load import ALL_DATASETS, Source, Violation

__all__ = ["ValidationReport", "DataValidationError"]


@dataclass
class ValidationReport:
    """All problems found in one edition's data.

    Attributes
    ----------
    errors, warnings : list of Violation
    sources : dict
        Dataset name -> :class:`~ipsreport.inputs.load.Source`.
    frames : dict
        Typed frames (index ``row`` = source row number); complete only when
        :attr:`ok`.
    data_dir : Path or None
    """

    errors: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    data_dir: Path | None = None

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings are allowed)."""
        return not self.errors

    def _sort_key(self, v: Violation) -> tuple:
        files = {s.file: i for i, s in enumerate(self.sources.values())}
        order = {name: i for i, name in enumerate(ALL_DATASETS)}
        dataset_pos = next(
            (order.get(n, 99) for n, s in self.sources.items() if s.file == v.file),
            order.get(v.file, 99),
        )
        columns: list[str] = []
        for name, s in self.sources.items():
            if s.file == v.file and name in self.frames:
                columns = list(self.frames[name].columns)
        col_pos = columns.index(v.column) if v.column in columns else (-1 if v.column is None else len(columns))
        return (dataset_pos, files.get(v.file, 99), v.file, -1 if v.row is None else v.row, col_pos, v.message)

    def sorted_errors(self) -> list[Violation]:
        """Errors sorted by file (registry, baseline, followup, fidelity), row and column."""
        return sorted(self.errors, key=self._sort_key)

    def sorted_warnings(self) -> list[Violation]:
        """Warnings, sorted like :meth:`sorted_errors`."""
        return sorted(self.warnings, key=self._sort_key)

    def format(self) -> str:
        """Danish plain-text report listing every error and warning.

        Returns
        -------
        str
            A summary line, how rows are numbered in each file, then the
            errors and warnings sorted by file and row.
        """
        where = f"Data i {self.data_dir}" if self.data_dir else "Data"
        n_err, n_warn = len(self.errors), len(self.warnings)
        err_word = "fejl"
        warn_word = "advarsel" if n_warn == 1 else "advarsler"
        if self.ok:
            lines = [f"{where} er gyldige ({n_warn} {warn_word})."]
        else:
            lines = [f"{where} er ikke gyldige: {n_err} {err_word}, {n_warn} {warn_word}."]
        files = [
            f"  {s.file}: {len(self.frames[n]) if n in self.frames else 0} rækker ({s.describe()})"
            for n, s in self.sources.items()
        ]
        if files:
            lines += ["Filer:", *files]
        # One line per numbering convention, naming the files it applies to.
        by_text: dict[str, list[str]] = {}
        for s in self.sources.values():
            by_text.setdefault(s.row_convention.split(": ", 1)[1], []).append(s.file)
        conventions = [f"  {', '.join(files)}: {text}" for text, files in by_text.items()]
        if conventions and (self.errors or self.warnings):
            lines += ["Rækkenumre:", *conventions]
        if self.errors:
            lines += ["Fejl:", *(f"  - {v.message}" for v in self.sorted_errors())]
        if self.warnings:
            lines += ["Advarsler:", *(f"  - {v.message}" for v in self.sorted_warnings())]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


class DataValidationError(ValueError):
    """The data of an edition broke codebook rules; ``.report`` lists them all."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(report.format())

    def __str__(self) -> str:
        return self.report.format()
