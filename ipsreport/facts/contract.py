"""The table of facts in docs/CONTRACT.md, written from the registry.

Run ``python -m ipsreport.facts.contract`` after adding or changing a fact:
it rewrites the part of CONTRACT.md between :data:`BEGIN` and :data:`END`
and leaves the rest of the file as it is. ``--check`` only reports whether
the file is up to date (a test runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ipsreport.facts.definition import FactDef
from ipsreport.facts.registry import PARTS

__all__ = ["BEGIN", "END", "COMMAND", "table", "updated", "main"]

BEGIN = "<!-- facts-table: begin (written by `python -m ipsreport.facts.contract`; do not edit by hand) -->"
END = "<!-- facts-table: end -->"
COMMAND = "python -m ipsreport.facts.contract"


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
        "`ipsreport.disclosed.Disclosed` the fact is computed from; *disclosure* the rule that protects it",
        "(`min_cell`: hidden below the small-number rule, see above). *Meaning* is in Danish: it is the",
        "line the HTML page shows when a reader points at the number (`ipsreport.facts.provenance.tooltip`).",
    ]
    for part, definitions in PARTS.items():
        lines += ["", f"### {part} ({len(definitions)} facts)", "",
                  "| name | kind | reads | disclosure | meaning |", "|---|---|---|---|---|"]
        lines += [_row(definition) for definition in definitions]
    return "\n".join(lines)


def updated(text: str) -> str:
    """``text`` (CONTRACT.md) with the generated table between the markers.

    Raises
    ------
    ValueError
        When the markers are missing or out of order.
    """
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"CONTRACT.md needs the two lines {BEGIN!r} and {END!r} around the facts table")
    return text[: start + len(BEGIN)] + "\n" + table() + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` verify) the facts table of CONTRACT.md; returns the exit status."""
    from ipsreport.paths import PROJECT_DIR

    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=PROJECT_DIR / "docs" / "CONTRACT.md")
    parser.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    args = parser.parse_args(argv)
    text = args.path.read_text(encoding="utf-8")
    new = updated(text)
    if args.check:
        if new != text:
            print(f"{args.path}: the facts table is out of date; run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    if new != text:
        args.path.write_text(new, encoding="utf-8")
        print(f"{args.path}: facts table rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
