"""The field tables of ``docs/RESULTS.md``, written from the bundle's pydantic models.

Run ``python -m ipsreport.results.doc`` after changing a model in
:mod:`ipsreport.results.schema` or :mod:`ipsreport.results.bundle`: it
rewrites the part of RESULTS.md between :data:`BEGIN` and :data:`END`.
``--check`` only reports whether the file is up to date (a test runs it).
"""

from __future__ import annotations

import argparse
import enum
import sys
import types
import typing
from pathlib import Path

from pydantic import BaseModel

from ipsreport.results.bundle import BundleFile, Manifest
from ipsreport.results.schema import (
    SCHEMA_VERSION, Column, ColumnKind, DataFile, Dataset, EditionInfo, FactKind, FactRecord, Frame, Model, Software,
    Suppression, Verdict,
)

__all__ = ["BEGIN", "END", "COMMAND", "MODELS", "table", "updated", "main"]

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


def updated(text: str) -> str:
    """``text`` (RESULTS.md) with the generated tables between the markers.

    Raises
    ------
    ValueError
        When the markers are missing or out of order.
    """
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"RESULTS.md needs the two lines {BEGIN!r} and {END!r} around the field tables")
    return text[: start + len(BEGIN)] + "\n" + table() + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` verify) the field tables of RESULTS.md; returns the exit status."""
    from ipsreport.paths import PROJECT_DIR

    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=PROJECT_DIR / "docs" / "RESULTS.md")
    parser.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    args = parser.parse_args(argv)
    text = args.path.read_text(encoding="utf-8")
    new = updated(text)
    if args.check:
        if new != text:
            print(f"{args.path}: the field tables are out of date; run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    if new != text:
        args.path.write_text(new, encoding="utf-8")
        print(f"{args.path}: field tables rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
