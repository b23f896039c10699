"""What the command line prints: per-chapter progress and its one-paragraph failure messages."""

from __future__ import annotations

import os
import sys

__all__ = ["Reporter", "fail"]


class Reporter:
    """Per-chapter progress: rich on a TTY, plain lines otherwise."""

    def __init__(self) -> None:
        self.plain = bool(os.environ.get("CI")) or not sys.stderr.isatty()
        self.console = None
        if not self.plain:
            try:
                from rich.console import Console

                self.console = Console(stderr=True)
            except ImportError:
                self.plain = True

    def __call__(self, event: str, detail: str) -> None:
        words = {"cached": "cached  ", "executed": "executed", "write": "writing ", "unchanged": "unchanged"}
        if self.console is not None:
            style = {"cached": "dim", "executed": "green", "write": "cyan", "unchanged": "yellow"}.get(event, "")
            self.console.print(f"[{style}]{words.get(event, event)}[/] {detail}", highlight=False)
        else:
            print(f"{words.get(event, event).strip()}: {detail}", file=sys.stderr, flush=True)

    def message(self, text: str) -> None:
        if self.console is not None:
            self.console.print(text, highlight=False)
        else:
            print(text, file=sys.stderr)


def fail(code: int, text: str) -> int:
    """Print ``text`` as the command's one-paragraph message and return the exit ``code``."""
    print(f"ipsreport: {text}", file=sys.stderr)
    return code
