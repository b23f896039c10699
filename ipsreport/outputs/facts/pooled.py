"""Facts that pool codes of one codebook item, declared as data: ``data/codebook_facts.csv``.

One row of the table beside the codebook pools some codes of one item in
one disclosed frame, and names the facts printed from that pool::

    item,codes,frame,pct,n,of
    psych_dialogue,1+2,psychiatry,psych_dialogue_pct,,psych_dialogue_of

``codes`` are the item's codebook codes joined by ``+``; ``frame`` is the
attribute of :class:`ipsreport.analysis.disclosed.layer.Disclosed` pooled (a name in
:data:`ipsreport.outputs.facts.sources.SOURCES`); ``pct``, ``n`` and ``of`` name the
share, the count and the "x ud af y" of the pool (an empty cell: no such
fact). A fact's description, the tooltip line, is the codebook's label of
the item and of its codes ("Køn – Kvinde"), so nothing is copied by hand.

:func:`load_pooled` checks the table against the codebook and returns the
:class:`~ipsreport.outputs.facts.definition.FactDef` of every fact it names;
a broken row is a :class:`PooledFactsError` with a Danish message naming
file, row, column, value and rule.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ipsreport.outputs.facts.definition import FactDef, pooled
from ipsreport.outputs.facts.sources import SOURCES

__all__ = ["COLUMNS", "KINDS", "PooledFactsError", "load_pooled", "description"]

#: The table's header, in order.
COLUMNS = ("item", "codes", "frame", "pct", "n", "of")
#: The columns naming facts, each the kind of :func:`ipsreport.outputs.facts.definition.pooled` and its name's ending.
KINDS = {"pct": "_pct", "n": "_n", "of": "_of"}
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_CODES = re.compile(r"\d+(?:\+\d+)*")


class PooledFactsError(ValueError):
    """``data/codebook_facts.csv`` breaks one of its rules (the message is Danish, for the person editing it)."""


def description(variable, codes: tuple[int, ...]) -> str:
    """The Danish line of a pooled fact: the item's label, then its codes' labels (``"Køn – Mand"``)."""
    return f"{variable.label} – {', '.join(variable.values[code] for code in codes)}"


def _problem(path: Path, row: int, column: str, value: str, rule: str) -> PooledFactsError:
    return PooledFactsError(f"{path.name}, række {row}, kolonne {column}: værdien »{value}« {rule}. Ret filen {path}.")


def _variable(codebook, name: str):
    """The codebook's categorical item ``name`` (the first dataset that has it), or None."""
    for dataset in codebook.datasets.values():
        if name in dataset.names and dataset[name].values:
            return dataset[name]
    return None


def load_pooled(path: str | Path | None = None, codebook=None) -> tuple[FactDef, ...]:
    """The facts the table declares, in its order (pct, n, of within a row).

    Parameters
    ----------
    path : str or Path, optional
        The table; default ``data/codebook_facts.csv`` (:data:`ipsreport.paths.CODEBOOK_FACTS_PATH`).
    codebook : Codebook, optional
        Default: the project's (:func:`ipsreport.inputs.codebook.codebook.load_codebook`).

    Raises
    ------
    PooledFactsError
        A wrong header, an item that is no categorical codebook item, a code the item does not have, an
        unknown frame, a fact name that is not snake_case or does not end as its column says, a name
        given twice, or a row that names no fact.
    """
    from ipsreport.inputs.codebook.codebook import load_codebook
    from ipsreport.paths import CODEBOOK_FACTS_PATH

    path = Path(path or CODEBOOK_FACTS_PATH)
    codebook = codebook or load_codebook()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader, ()))
        if header != COLUMNS:
            raise _problem(path, 1, "(overskrift)", ",".join(header), f"skal være {','.join(COLUMNS)}")
        rows = list(reader)
    definitions: list[FactDef] = []
    seen: set[str] = set()
    for number, cells in enumerate(rows, start=2):
        if len(cells) != len(COLUMNS):
            raise _problem(path, number, "(alle)", ",".join(cells), f"skal have {len(COLUMNS)} felter")
        row = dict(zip(COLUMNS, (c.strip() for c in cells)))
        variable = _variable(codebook, row["item"])
        if variable is None:
            raise _problem(path, number, "item", row["item"], "er ikke en kategorisk variabel i kodebogen")
        if not _CODES.fullmatch(row["codes"]):
            raise _problem(path, number, "codes", row["codes"], "skal være koder adskilt af + (fx 1+2)")
        codes = tuple(int(c) for c in row["codes"].split("+"))
        unknown = [c for c in codes if c not in variable.values]
        if unknown or len(set(codes)) != len(codes):
            raise _problem(path, number, "codes", row["codes"],
                           f"skal være forskellige koder af {variable.name} i kodebogen ({variable.codes})")
        if row["frame"] not in SOURCES:
            raise _problem(path, number, "frame", row["frame"], f"skal være en af {', '.join(sorted(SOURCES))}")
        named = [(kind, row[kind]) for kind in KINDS if row[kind]]
        if not named:
            raise _problem(path, number, "pct/n/of", "", "er tom: en række skal navngive mindst ét faktum")
        for kind, name in named:
            if not _NAME.fullmatch(name) or not name.endswith(KINDS[kind]):
                raise _problem(path, number, kind, name, f"skal være et navn med små bogstaver, der ender på "
                                                         f"{KINDS[kind]}")
            if name in seen:
                raise _problem(path, number, kind, name, "er navngivet før i tabellen")
            seen.add(name)
            definitions.append(pooled(name, source=SOURCES[row["frame"]], variable=variable.name, codes=codes,
                                      kind=kind, doc=description(variable, codes)))
    return tuple(definitions)
