"""A generated block inside a hand-written document (docs/CONTRACT.md's facts table, docs/RESULTS.md's fields).

The block sits between two marker lines; :func:`updated` puts a new body
between them and leaves the rest of the file as it is, and :func:`main` is
the command behind ``python -m ipsreport.outputs.facts.contract`` and
``python -m ipsreport.results.doc`` (rewrite, or ``--check`` only report
whether the file is up to date; a test runs each).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

__all__ = ["Block", "updated", "main"]


@dataclass(frozen=True)
class Block:
    """One generated block.

    Attributes
    ----------
    begin, end : str
        The marker lines around it.
    command : str
        The command that writes it (named in messages).
    what : str
        What the block holds ("facts table"), for messages.
    body : callable
        ``() -> str``: the generated Markdown.
    default : Path
        The document the command rewrites when given no path.
    """

    begin: str
    end: str
    command: str
    what: str
    body: Callable[[], str]
    default: Path


def updated(block: Block, text: str, name: str = "the document") -> str:
    """``text`` with the block's body between its markers.

    Raises
    ------
    ValueError
        When the markers are missing or out of order.
    """
    start, end = text.find(block.begin), text.find(block.end)
    if start < 0 or end < start:
        raise ValueError(f"{name} needs the two lines {block.begin!r} and {block.end!r} around the {block.what}")
    return text[: start + len(block.begin)] + "\n" + block.body() + "\n" + text[end:]


def main(block: Block, argv: list[str] | None, description: str) -> int:
    """Rewrite (or with ``--check`` verify) the block in a document; returns the exit status (1: out of date)."""
    parser = argparse.ArgumentParser(prog=block.command, description=description)
    parser.add_argument("path", nargs="?", type=Path, default=block.default)
    parser.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    args = parser.parse_args(argv)
    text = args.path.read_text(encoding="utf-8")
    new = updated(block, text, args.path.name)
    if args.check:
        if new != text:
            print(f"{args.path}: {block.what} out of date; run `{block.command}`", file=sys.stderr)
            return 1
        return 0
    if new != text:
        args.path.write_text(new, encoding="utf-8")
        print(f"{args.path}: {block.what} rewritten")
    return 0
