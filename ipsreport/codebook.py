"""Read ``data/codebook.yml``, the one source of truth for the data.

The codebook is plain YAML so an evaluator can read and edit it; this module
turns it into small frozen dataclasses that the loaders, validators, the
synthetic generator and the report's codebook appendix all share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ipsreport.paths import CODEBOOK_PATH

#: Variable types the codebook may use.
TYPES = ("id", "string", "date", "integer", "number", "category")


@dataclass(frozen=True)
class Variable:
    """One column of a dataset, as described in the codebook."""

    name: str
    label: str
    type: str
    scale: str | None = None
    values: dict[int, str] = field(default_factory=dict)
    ordered: bool = False
    range: tuple[float, float] | None = None
    required: bool = False
    required_if_asked: bool = False
    asked_if: str | None = None
    group: str | None = None
    used_in: tuple[str, ...] = ()
    #: ``(dataset, variable)`` whose values every value must be among (``references:``).
    references: tuple[str, str] | None = None

    @property
    def codes(self) -> list[int]:
        """Allowed integer codes in print order (categories only)."""
        return list(self.values)


@dataclass(frozen=True)
class Dataset:
    """One data file (registry, baseline, followup, or the optional fidelity reviews).

    Attributes
    ----------
    id : str or None
        The id column; ``None`` for a file whose rows are not persons.
    optional : bool
        The file may be absent from a data folder (codebook ``optional: true``).
    unique : tuple of str
        Columns whose combination should not repeat (codebook ``unique:``);
        a repeat is a warning (rule ``unique_rows``).
    """

    name: str
    label: str
    description: str
    id: str | None
    variables: tuple[Variable, ...]
    optional: bool = False
    unique: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Variable:
        for var in self.variables:
            if var.name == name:
                return var
        raise KeyError(f"{self.name} has no variable {name!r}")

    @property
    def names(self) -> list[str]:
        return [v.name for v in self.variables]

    def group(self, group: str) -> list[Variable]:
        """Variables of a multi-item group (e.g. ``supports``), in codebook order."""
        return [v for v in self.variables if v.group == group]


_NAME = re.compile(r"\b(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)\b")
_WORDS = {"and", "or", "not", "in", "True", "False"}


@dataclass(frozen=True)
class CrossRule:
    """A rule across two files, joined on the id (``rules:`` entries with ``forbidden``).

    Attributes
    ----------
    id, description : str
    dataset : str
        File whose rows are checked and reported.
    join : str
        File joined on the id; its variables are written ``join.variable``.
    forbidden : str
        Condition (pandas query syntax) that must not hold for any person.
        Where a variable in it is missing, the rule does not apply.
    """

    id: str
    description: str
    dataset: str
    join: str
    forbidden: str

    def names(self) -> list[tuple[str | None, str]]:
        """``(prefix or None, variable)`` of every variable in :attr:`forbidden`, in order."""
        out = []
        for prefix, name in _NAME.findall(self.forbidden):
            key = (prefix or None, name)
            if name in _WORDS or key in out:
                continue
            out.append(key)
        return out

    def columns(self, codebook: Codebook) -> tuple[list[str], list[str]]:
        """Variables of :attr:`dataset` and of :attr:`join` used by the condition."""
        own = [n for p, n in self.names() if p is None]
        other = [n for p, n in self.names() if p == self.join]
        return own, other


@dataclass(frozen=True)
class Codebook:
    """The whole codebook: datasets, value scales, scores and rules."""

    path: Path
    datasets: dict[str, Dataset]
    scales: dict[str, dict[str, Any]]
    scores: dict[str, dict[str, Any]]
    rules: tuple[dict[str, str], ...]
    cross_rules: tuple[CrossRule, ...] = ()

    def __getitem__(self, name: str) -> Dataset:
        return self.datasets[name]

    @property
    def required_datasets(self) -> list[str]:
        """Names of the datasets every data folder must hold, in codebook order."""
        return [n for n, ds in self.datasets.items() if not ds.optional]

    @property
    def optional_datasets(self) -> list[str]:
        """Names of the datasets a data folder may leave out (``optional: true``)."""
        return [n for n, ds in self.datasets.items() if ds.optional]

    def labels(self, dataset: str, variable: str) -> dict[int, str]:
        """Code -> Danish label mapping of a categorical variable."""
        return dict(self.datasets[dataset][variable].values)

    def rule(self, rule_id: str) -> str:
        """Danish description of a validation rule."""
        for rule in self.rules:
            if rule["id"] == rule_id:
                return rule["description"]
        raise KeyError(rule_id)


def _variable(raw: dict[str, Any], scales: dict[str, dict[str, Any]], where: str) -> Variable:
    missing = {"name", "label", "type"} - set(raw)
    if missing:
        raise ValueError(f"{where}: variable is missing {sorted(missing)}")
    if raw["type"] not in TYPES:
        raise ValueError(f"{where}: unknown type {raw['type']!r}; use one of {TYPES}")
    values: dict[int, str] = {}
    ordered = False
    if raw.get("scale"):
        scale = scales.get(raw["scale"])
        if scale is None:
            raise ValueError(f"{where}: unknown scale {raw['scale']!r}")
        values = {int(k): str(v) for k, v in scale["values"].items()}
        ordered = bool(scale.get("ordered", False))
    if raw["type"] == "category" and not values:
        raise ValueError(f"{where}: a category needs a scale")
    rng = raw.get("range")
    references = None
    if raw.get("references"):
        parts = str(raw["references"]).split(".")
        if len(parts) != 2 or not all(parts):
            raise ValueError(f"{where}: references must be written dataset.variable, not {raw['references']!r}")
        references = (parts[0], parts[1])
    return Variable(
        name=raw["name"],
        label=raw["label"],
        type=raw["type"],
        scale=raw.get("scale"),
        values=values,
        ordered=ordered,
        range=(float(rng[0]), float(rng[1])) if rng else None,
        required=bool(raw.get("required", False)),
        required_if_asked=bool(raw.get("required_if_asked", False)),
        asked_if=raw.get("asked_if"),
        group=raw.get("group"),
        used_in=tuple(raw.get("used_in", ())),
        references=references,
    )


def _cross_rule(raw: dict[str, Any], datasets: dict[str, Dataset], where: str) -> CrossRule:
    missing = {"id", "description", "dataset", "join", "forbidden"} - set(raw)
    if missing:
        raise ValueError(f"{where}: a cross-file rule needs {sorted(missing)}")
    rule = CrossRule(raw["id"], raw["description"], raw["dataset"], raw["join"], raw["forbidden"])
    for name in (rule.dataset, rule.join):
        if name not in datasets:
            raise ValueError(f"{where}: unknown dataset {name!r}")
    for prefix, name in rule.names():
        owner = rule.dataset if prefix is None else prefix
        if owner not in (rule.dataset, rule.join) or name not in datasets[owner].names:
            shown = name if prefix is None else f"{prefix}.{name}"
            raise ValueError(f"{where}: unknown variable {shown}")
    return rule


@lru_cache(maxsize=8)
def _load(path: Path) -> Codebook:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    scales = raw.get("scales", {})
    datasets = {}
    for name, ds in raw["datasets"].items():
        variables = tuple(
            _variable(v, scales, f"{path.name}: datasets.{name}.variables[{i}]")
            for i, v in enumerate(ds["variables"])
        )
        datasets[name] = Dataset(
            name=name,
            label=ds.get("label", name),
            description=ds.get("description", ""),
            id=ds.get("id", "id"),
            variables=variables,
            optional=bool(ds.get("optional", False)),
            unique=tuple(ds.get("unique") or ()),
        )
        unknown = [c for c in datasets[name].unique if c not in datasets[name].names]
        if unknown:
            raise ValueError(f"{path.name}: datasets.{name}.unique: unknown variables {unknown}")
    for name, ds in datasets.items():
        for var in ds.variables:
            if var.references is None:
                continue
            target, column = var.references
            if target not in datasets or column not in datasets[target].names:
                raise ValueError(f"{path.name}: datasets.{name}.{var.name}: unknown reference {target}.{column}")
    rules = tuple(raw.get("rules", ()))
    cross = tuple(
        _cross_rule(r, datasets, f"{path.name}: rules[{r.get('id')}]") for r in rules if "forbidden" in r
    )
    return Codebook(
        path=path,
        datasets=datasets,
        scales=scales,
        scores=raw.get("scores", {}),
        rules=rules,
        cross_rules=cross,
    )


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and check the codebook.

    Parameters
    ----------
    path : str or Path, optional
        Codebook file; defaults to ``data/codebook.yml`` of the project.

    Returns
    -------
    Codebook
        Cached per path: the file is parsed once per process.
    """
    return _load(Path(path or CODEBOOK_PATH).resolve())
