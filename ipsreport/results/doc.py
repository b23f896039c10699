"""The field tables of ``docs/RESULTS.md``, written from the bundle's pydantic models.

Run ``python -m ipsreport.results.doc`` after changing a model in
:mod:`ipsreport.results.schema` or :mod:`ipsreport.results.bundle`: it
rewrites the part of RESULTS.md between :data:`BEGIN` and :data:`END`.
``--check`` only reports whether the file is up to date (a test runs it).
"""

from __future__ import annotations

import enum
import sys
import types
import typing

from pydantic import BaseModel

from ipsreport.book import docblock
from ipsreport.book.docblock import Block
from ipsreport.paths import PROJECT_DIR

from ipsreport.results.bundle import BundleFile, Manifest
from ipsreport.results.schema import (
    SCHEMA_VERSION, Column, ColumnKind, DataFile, Dataset, EditionInfo, FactKind, FactRecord, Frame, Model, Software,
    Suppression, Verdict,
)

__all__ = ["BEGIN", "END", "COMMAND", "MODELS", "BLOCK", "table", "updated", "main"]

BEGIN = "<!-- results-schema: begin (written by `python -m ipsreport.results.doc`; do not edit by hand) -->"
END = "<!-- results-schema: end -->"
COMMAND = "python -m ipsreport.results.doc"

#: The models documented, in the order a reader meets them, with the file that holds each.
MODELS: tuple[tuple[type[BaseModel], str], ...] = (
    (Manifest, "`bundle.json`"),
    (EditionInfo, "`bundle.json`, `edition`"),
    (Verdict, "`bundle.json`, `validation`"),
    (DataFile, "`bundle.json`, `data_files`"),
    (Software, "`bundle.json`, `software`"),
    (BundleFile, "`bundle.json`, `files`"),
    (FactRecord, "`facts.json`, one per fact"),
    (Dataset, "`tbl-*.json`, `fig-*.json`"),
    (Frame, "`frames` of a dataset; `terms` of the model"),
    (Column, "`columns` of a frame"),
    (Model, "`model.json`"),
)


def _type(annotation) -> str:
    """A field's type in words a reader of JSON knows."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        names = [_type(a) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(names)) + (" or null" if type(None) in args else "")
    if origin is tuple:
        return f"list of {_type(args[0])}"
    if origin is dict:
        return "object"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " / ".join(f"`{m.value!r}`".replace("'", '"') for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"`{annotation.__name__}`"
    return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(annotation, str(annotation))


def _cell(text: str) -> str:
    return " ".join(str(text).replace("|", "\\|").split())


def table() -> str:
    """The generated Markdown: the schema version, the enumerations, then one table per model."""
    lines = [
        f"Schema version: **{SCHEMA_VERSION}** (`ipsreport.results.SCHEMA_VERSION`).",
        "",
        f"Kinds of fact (`kind` in `facts.json`): {_type(FactKind)}. Suppression states (`suppression`): "
        f"{_type(Suppression)} (`\"\"`: shown). Kinds of column (`kind` in `columns`): {_type(ColumnKind)}.",
    ]
    for model, where in MODELS:
        doc = (model.__doc__ or "").strip().splitlines()[0].replace("``", "`")
        lines += ["", f"### `{model.__name__}` ({where})", "", doc, "", "| field | type | meaning |", "|---|---|---|"]
        for name, info in model.model_fields.items():
            lines.append(f"| `{name}` | {_cell(_type(info.annotation))} | {_cell(info.description or '')} |")
    return "\n".join(lines)


#: The field tables in docs/RESULTS.md (:mod:`ipsreport.book.docblock`).
BLOCK = Block(BEGIN, END, COMMAND, "field tables", table, PROJECT_DIR / "docs" / "RESULTS.md")


def updated(text: str) -> str:
    """``text`` (RESULTS.md) with the generated tables between the markers (ValueError without them)."""
    return docblock.updated(BLOCK, text, "RESULTS.md")


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` verify) the field tables of RESULTS.md; returns the exit status."""
    return docblock.main(BLOCK, argv, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
