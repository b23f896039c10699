"""The shape of ``data/codebook.yml``, as pydantic models.

:class:`CodebookFile` describes the file exactly as an evaluator writes it
(unknown keys are errors, so a misspelt ``requried: true`` is not silently
ignored). Its fields are checked by pydantic; :meth:`CodebookFile.name_problems`
then checks that the names used across entries exist (a variable's
``scale`` and ``references``, a dataset's ``unique`` columns, the variables
of a cross-file rule). :mod:`ipsreport.inputs.codebook.codebook` turns a valid file into the
objects the rest of the package uses.

Every problem is reported as a :class:`~ipsreport.inputs.model_errors.Problem`
(entry, Danish text, rule); the rule ids are listed in :data:`RULES`.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ipsreport.inputs.codebook.terms import TYPES, condition_names
from ipsreport.inputs.model_errors import Problem, rule_error, value_text

__all__ = [
    "RULES",
    "ScaleEntry",
    "VariableEntry",
    "DatasetEntry",
    "RuleEntry",
    "ScoreBand",
    "ScoreEntry",
    "CodebookFile",
]

#: Rules of the codebook's own shape (beyond pydantic's types), with what they ask.
RULES = {
    "navn": "et navn består af bogstaver, tal og _ og begynder ikke med et tal",
    "interval": "range er to tal, det mindste først",
    "reference": "references skrives datasæt.variabel og skal findes",
    "kendt_skala": "scale skal være en af skalaerne under scales",
    "skala_påkrævet": "en variabel af typen category skal have en scale",
    "kendt_variabel": "navne i unique og i en regels forbidden skal være variabler i datasættet",
    "kendt_datasæt": "en regels dataset og join skal være datasæt under datasets",
    "unik_variabel": "to variabler i samme datasæt må ikke have samme navn",
    "regel_felter": "en regel på tværs af to filer skal have dataset, join og forbidden",
}

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Entry(BaseModel):
    """An entry of the file: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleEntry(_Entry):
    """A value set under ``scales:``: code -> Danish label, in print order."""

    type: Literal["category"] = "category"
    ordered: bool = False
    values: dict[int, str] = Field(min_length=1)


class VariableEntry(_Entry):
    """One column of a dataset (an item of ``variables:``)."""

    name: str
    label: str
    type: Literal[TYPES]
    scale: str | None = None
    range: tuple[float, float] | None = None
    required: bool = False
    required_if_asked: bool = False
    asked_if: str | None = None
    group: str | None = None
    used_in: list[str] = []
    references: str | None = None

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise rule_error("navn", f"værdien {value_text(value)} er ikke et gyldigt navn: {RULES['navn']}")
        return value

    @field_validator("range")
    @classmethod
    def _low_first(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and value[0] > value[1]:
            raise rule_error("interval", f"værdien [{value[0]:g}, {value[1]:g}] er ikke et interval: {RULES['interval']}")
        return value

    @field_validator("references")
    @classmethod
    def _dataset_dot_variable(cls, value: str | None) -> str | None:
        if value is not None and (len(value.split(".")) != 2 or not all(value.split("."))):
            raise rule_error("reference", f"værdien {value_text(value)} er ikke skrevet datasæt.variabel "
                                          "(fx registry.site)")
        return value

    @model_validator(mode="after")
    def _category_has_scale(self) -> VariableEntry:
        if self.type == "category" and not self.scale:
            raise rule_error("skala_påkrævet", f"variablen {self.name} har typen category, men ingen scale: "
                                               f"{RULES['skala_påkrævet']}")
        return self


class DatasetEntry(_Entry):
    """One data file under ``datasets:``."""

    label: str | None = None
    description: str = ""
    id: str | None = "id"
    optional: bool = False
    unique: list[str] | None = None
    variables: list[VariableEntry] = Field(min_length=1)


class RuleEntry(_Entry):
    """An item of ``rules:``; with ``forbidden`` it is checked across two files."""

    id: str
    description: str
    dataset: str | None = None
    join: str | None = None
    forbidden: str | None = None

    @property
    def crosses_files(self) -> bool:
        """True for a rule checked across two files (it has ``forbidden``)."""
        return self.forbidden is not None

    @model_validator(mode="after")
    def _complete_cross_rule(self) -> RuleEntry:
        given = [k for k in ("dataset", "join", "forbidden") if getattr(self, k) is not None]
        if given and len(given) < 3:
            missing = ", ".join(k for k in ("dataset", "join", "forbidden") if k not in given)
            raise rule_error("regel_felter", f"reglen {self.id} mangler {missing}: {RULES['regel_felter']}")
        return self


class ScoreBand(_Entry):
    """A band of a score (``upper`` is its highest value)."""

    label: str
    upper: float


class ScoreEntry(BaseModel):
    """A score under ``scores:`` (read by the summaries that compute it).

    Further keys are allowed: each summary reads what it needs.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    label: str
    rule: str | None = None
    items: list[str] = []
    group: str | None = None
    bands: list[ScoreBand] = []
    population_mean: float | None = None


class CodebookFile(_Entry):
    """The whole of ``data/codebook.yml``."""

    version: int = 1
    scales: dict[str, ScaleEntry] = {}
    datasets: dict[str, DatasetEntry] = Field(min_length=1)
    rules: list[RuleEntry] = []
    scores: dict[str, ScoreEntry] = {}

    def name_problems(self) -> list[Problem]:
        """Names used across entries that do not exist, in the order of the file.

        Returns
        -------
        list of Problem
            Unknown scales, references, ``unique`` columns, repeated variable
            names, and unknown datasets or variables of a cross-file rule.
        """
        out: list[Problem] = []
        for name, ds in self.datasets.items():
            out += self._dataset_problems(name, ds)
        for i, rule in enumerate(self.rules):
            if rule.crosses_files:
                out += self._rule_problems(i, rule)
        return out

    def _dataset_problems(self, name: str, ds: DatasetEntry) -> list[Problem]:
        out = []
        seen: set[str] = set()
        for i, var in enumerate(ds.variables):
            where = f"datasets.{name}.variables[{i}]"
            if var.name in seen:
                out.append(Problem(f"{where}.name", f"variablen {var.name} står to gange i {name}", "unik_variabel"))
            seen.add(var.name)
            if var.scale is not None and var.scale not in self.scales:
                known = ", ".join(self.scales) or "ingen"
                out.append(Problem(f"{where}.scale", f"skalaen {value_text(var.scale)} findes ikke under scales "
                                                     f"(kendte skalaer: {known})", "kendt_skala"))
            if var.references is not None:
                target, column = var.references.split(".")
                if target not in self.datasets or column not in [v.name for v in self.datasets[target].variables]:
                    out.append(Problem(f"{where}.references", f"værdien {value_text(var.references)} findes ikke: "
                                                              f"datasættet {target} har ingen variabel {column}",
                                       "reference"))
        names = [v.name for v in ds.variables]
        for i, column in enumerate(ds.unique or ()):
            if column not in names:
                out.append(Problem(f"datasets.{name}.unique[{i}]",
                                   f"variablen {column} findes ikke i datasættet {name}", "kendt_variabel"))
        return out

    def _rule_problems(self, index: int, rule: RuleEntry) -> list[Problem]:
        where = f"rules[{index}]"
        out = []
        for key in ("dataset", "join"):
            value = getattr(rule, key)
            if value not in self.datasets:
                out.append(Problem(f"{where}.{key}", f"datasættet {value_text(value)} findes ikke under datasets "
                                                     f"(kendte datasæt: {', '.join(self.datasets)})", "kendt_datasæt"))
        if out:
            return out
        for prefix, name in condition_names(rule.forbidden):
            owner = rule.dataset if prefix is None else prefix
            shown = name if prefix is None else f"{prefix}.{name}"
            if owner not in (rule.dataset, rule.join) or name not in [v.name for v in self.datasets[owner].variables]:
                out.append(Problem(f"{where}.forbidden", f"variablen {shown} findes ikke (betingelsen må bruge "
                                                         f"variabler i {rule.dataset} og {rule.join}.variabel)",
                                   "kendt_variabel"))
        return out

