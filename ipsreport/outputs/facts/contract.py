"""The table of facts in docs/CONTRACT.md, written from the registry.

Run ``python -m ipsreport.outputs.facts.contract`` after adding or changing a fact:
it rewrites the part of CONTRACT.md between :data:`BEGIN` and :data:`END`
and leaves the rest of the file as it is. ``--check`` only reports whether
the file is up to date (a test runs it).
"""

from __future__ import annotations

import sys

from ipsreport.book import docblock
from ipsreport.book.docblock import Block
from ipsreport.outputs.facts.definition import FactDef
from ipsreport.outputs.facts.registry import PARTS
from ipsreport.paths import PROJECT_DIR

__all__ = ["BEGIN", "END", "COMMAND", "BLOCK", "table", "updated", "main"]

BEGIN = "<!-- facts-table: begin (written by `python -m ipsreport.outputs.facts.contract`; do not edit by hand) -->"
END = "<!-- facts-table: end -->"
COMMAND = "python -m ipsreport.outputs.facts.contract"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(definition: FactDef) -> str:
    source = f"`d.{definition.source.name}`" if definition.source is not None else "–"
    return (f"| `{definition.name}` | {definition.kind} | {source} | {_cell(definition.rule) or '–'} "
            f"| {_cell(definition.doc)} |")


def table() -> str:
    """The generated Markdown: one table per report part, one row per fact, in declaration order."""
    lines = [
        "Kinds: `count` prints a count (`\"26\"`), `pct` a percentage (`\"60 %\"`), `of` `\"26 ud af 43\"`,",
        "`num` a number with a decimal comma, `text` words. *Reads* is the attribute of",
        "`ipsreport.analysis.disclosed.layer.Disclosed` the fact is computed from; *disclosure* the rule that protects it",
        "(`min_cell`: hidden below the small-number rule, see above). *Meaning* is in Danish: it is the",
        "line the HTML page shows when a reader points at the number (`ipsreport.outputs.facts.provenance.tooltip`).",
    ]
    for part, definitions in PARTS.items():
        lines += ["", f"### {part} ({len(definitions)} facts)", "",
                  "| name | kind | reads | disclosure | meaning |", "|---|---|---|---|---|"]
        lines += [_row(definition) for definition in definitions]
    return "\n".join(lines)


#: The facts table in docs/CONTRACT.md (:mod:`ipsreport.book.docblock`).
BLOCK = Block(BEGIN, END, COMMAND, "facts table", table, PROJECT_DIR / "docs" / "CONTRACT.md")


def updated(text: str) -> str:
    """``text`` (CONTRACT.md) with the generated table between the markers (ValueError without them)."""
    return docblock.updated(BLOCK, text, "CONTRACT.md")


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` verify) the facts table of CONTRACT.md; returns the exit status."""
    return docblock.main(BLOCK, argv, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
