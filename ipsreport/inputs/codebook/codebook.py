"""Read ``data/codebook.yml``, the one source of truth for the data.

The codebook is plain YAML so an evaluator can read and edit it. Its shape is
checked by the pydantic models of :mod:`ipsreport.inputs.codebook.file`; a file that
breaks them raises :class:`CodebookError` with one Danish line per problem,
naming the file, the entry, the value and the rule. A valid file becomes the
small frozen dataclasses below, which the loaders, validators, the synthetic
generator and the report's codebook appendix all share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

import yaml

from ipsreport.inputs.codebook.terms import TYPES, condition_names
from ipsreport.paths import CODEBOOK_PATH

if TYPE_CHECKING:  # pydantic is imported when a codebook is read, not when the CLI starts
    from ipsreport.inputs.codebook.file import ScaleEntry, VariableEntry
    from ipsreport.inputs.model_errors import Problem

__all__ = ["TYPES", "Variable", "Dataset", "CrossRule", "Codebook", "CodebookError", "load_codebook", "condition_names"]

#: Variable types the codebook may use.
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
        return condition_names(self.forbidden)

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


class CodebookError(ValueError):
    """The codebook file breaks its own rules; the message names file, entry, value and rule in Danish."""


def _variable(entry: VariableEntry, scales: dict[str, ScaleEntry]) -> Variable:
    values: dict[int, str] = {}
    ordered = False
    if entry.scale:
        scale = scales[entry.scale]
        values = dict(scale.values)
        ordered = scale.ordered
    return Variable(
        name=entry.name,
        label=entry.label,
        type=entry.type,
        scale=entry.scale,
        values=values,
        ordered=ordered,
        range=entry.range,
        required=entry.required,
        required_if_asked=entry.required_if_asked,
        asked_if=entry.asked_if,
        group=entry.group,
        used_in=tuple(entry.used_in),
        references=tuple(entry.references.split(".")) if entry.references else None,
    )


def _error(path: Path, data: Any, found: list[Problem]) -> CodebookError:
    """One Danish line per problem: ``codebook.yml, <entry>: <what> (regel: <rule>). Ret kodebogen <path>.``"""
    from ipsreport.inputs.model_errors import entry_hint

    lines = []
    for p in found:
        where = f", {p.where}{entry_hint(data, p.where)}" if p.where else ""
        lines.append(f"{path.name}{where}: {p.text} (regel: {p.rule}). Ret kodebogen {path}.")
    return CodebookError("\n".join(lines))


def _read(path: Path) -> Any:
    from ipsreport.inputs.model_errors import Problem

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        text = "filen findes ikke" if isinstance(exc, FileNotFoundError) else "filen kan ikke læses (tjek adgangen)"
        raise _error(path, None, [Problem("", text, "fil")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"linje {mark.line + 1}, kolonne {mark.column + 1}" if mark is not None else ""
        raise _error(path, None, [Problem(where, "filen kan ikke læses som YAML – tjek indrykning, kolon og "
                                                 "anførselstegn", "yaml")]) from None


@lru_cache(maxsize=8)
def _load(path: Path) -> Codebook:
    from pydantic import ValidationError

    from ipsreport.inputs.codebook.file import CodebookFile
    from ipsreport.inputs.model_errors import problems

    data = _read(path)
    try:
        entry = CodebookFile.model_validate(data)
    except ValidationError as exc:
        raise _error(path, data, problems(exc, CodebookFile)) from None
    named = entry.name_problems()
    if named:
        raise _error(path, data, named)
    datasets = {
        name: Dataset(
            name=name,
            label=ds.label or name,
            description=ds.description,
            id=ds.id,
            variables=tuple(_variable(v, entry.scales) for v in ds.variables),
            optional=ds.optional,
            unique=tuple(ds.unique or ()),
        )
        for name, ds in entry.datasets.items()
    }
    # scales, scores and rules stay the plain mappings of the file, which
    # their readers (summaries, the codebook appendix) index by key.
    rules = tuple(data.get("rules") or ())
    cross = tuple(
        CrossRule(r.id, r.description, r.dataset, r.join, r.forbidden) for r in entry.rules if r.crosses_files
    )
    return Codebook(
        path=path,
        datasets=datasets,
        scales=data.get("scales") or {},
        scores=data.get("scores") or {},
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
