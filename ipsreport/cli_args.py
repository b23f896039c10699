"""The ``ipsreport`` command line's arguments and exit codes (see :mod:`ipsreport.cli`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Sequence

__all__ = ["EXIT_OK", "EXIT_RENDER", "EXIT_USAGE", "EXIT_DATA", "EXIT_TOOL", "EXIT_OUTPUT", "EXIT_SITES",
           "EXIT_DISCLOSURE",
           "EXIT_PREVIOUS", "UsageError", "parse_sets", "build_parser"]

EXIT_OK = 0
EXIT_RENDER = 1
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_TOOL = 4
EXIT_OUTPUT = 5
EXIT_SITES = 6
#: The disclosure audit found a small count the published numbers give away (ipsreport.analysis.disclosed.gate).
EXIT_DISCLOSURE = 7
#: ``render --previous DIR``: DIR holds no readable earlier edition.
EXIT_PREVIOUS = 8

_EPILOG = """exit codes:
  0  success
  1  render failed (cell error, pandoc or Typst error)
  2  usage error
  3  invalid data, settings that contradict the data, or warnings with --strict (nothing rendered)
  4  missing tool (e.g. quarto requested but not installed)
  5  the output folder was refused, or new-edition found editions/<year>/ or ipsreport.yml in the way; nothing was touched
  6  render --by site: some sites failed (each named); every other site's report was made
  7  the disclosure audit found a count below the small-number rule that the published numbers give away
     (nothing rendered)
  8  render --previous: the folder holds no readable earlier edition (nothing rendered)
  130/143  stopped by Ctrl-C/SIGTERM (previous output kept)
"""


class UsageError(Exception):
    """Bad command-line input (exit 2)."""


def _parse_value(text: str) -> Any:
    # JSON where it parses (numbers, true/false), else the plain string.
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_sets(items: Sequence[str] | None) -> dict[str, Any]:
    """Turn ``["key=value", ...]`` into a dict; raises :class:`UsageError`."""
    out: dict[str, Any] = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f"--set skal have formen nøgle=værdi (fx --set min_cell=3), men fik {item!r}.")
        key, value = item.split("=", 1)
        if not key.strip():
            raise UsageError(f"--set skal have formen nøgle=værdi (fx --set min_cell=3), men fik {item!r}.")
        out[key.strip()] = _parse_value(value)
    return out


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(
        prog="ipsreport",
        description="Reproducible report system of the IPS UNG evaluation.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    r = sub.add_parser(
        "render", help="render the report to HTML and PDF", epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("--data", type=Path, help="data folder (default: settings data_dir)")
    r.add_argument("--output", type=Path, help="output folder (default: _book)")
    r.add_argument(
        "--engine", choices=["pandoc", "quarto", "auto"], default="pandoc",
        help="pandoc: ipsreport's own, tested engine (default; 'auto' is the same); "
        "quarto: run `quarto render` (must be on PATH)",
    )
    r.add_argument("--to", choices=["html", "pdf", "all"], default="all")
    r.add_argument("--set", dest="sets", action="append", metavar="KEY=VALUE", help="override a setting (repeatable)")
    r.add_argument("--project", type=Path, help="project folder holding _quarto.yml")
    r.add_argument(
        "--by", choices=["site"],
        help="one report per site (pandoc engine) into OUTPUT/<site>/, rendered in parallel",
    )
    r.add_argument("--workers", type=int, help="kernels run in parallel (default: number of cores)")
    r.add_argument("--strict", action="store_true", help="treat validation warnings as errors (exit 3)")
    r.add_argument(
        "--previous", type=Path, metavar="DIR",
        help="compare with earlier editions: a results bundle (resultater/), an output folder holding one, "
        "or a folder of several (exit 8 when none can be read)",
    )
    r.add_argument(
        "--previous-data", type=Path, metavar="DIR",
        help="the previous edition's data folder (with --previous): count the persons both editions include",
    )

    v = sub.add_parser("validate", help="validate a data folder", epilog=_EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    v.add_argument("--data", type=Path, required=True)
    v.add_argument("--set", dest="sets", action="append", metavar="KEY=VALUE",
                   help="override a setting (checked against the data, e.g. evaluation_end)")
    v.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 3)")

    pv = sub.add_parser(
        "preview", help="serve the HTML book on localhost and re-render it when a chapter, the data or the code changes",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pv.add_argument("--data", type=Path, help="data folder (default: settings data_dir)")
    pv.add_argument("--output", type=Path, help="output folder (default: _book; the PDF in it is kept)")
    pv.add_argument("--set", dest="sets", action="append", metavar="KEY=VALUE", help="override a setting (repeatable)")
    pv.add_argument("--project", type=Path, help="project folder holding _quarto.yml")
    pv.add_argument("--port", type=int, default=4848, help="port on 127.0.0.1 (default 4848; 0 = any free port)")
    pv.add_argument("--workers", type=int, help="kernels run in parallel (default: number of cores)")
    pv.add_argument("--strict", action="store_true", help="treat validation warnings as errors (exit 3)")

    s = sub.add_parser("synth", help="write the synthetic twin or a synthetic cohort", epilog=_EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--seed", type=int)
    s.add_argument("--n", type=int, help="cohort size (synthetic cohort instead of the twin)")
    s.add_argument("--sites", type=int, help="number of sites (with --n)")

    ne = sub.add_parser(
        "new-edition", help="start next year's edition: archive the last render's results, write the next ipsreport.yml",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ne.add_argument("year", type=int, help="the new edition's year, e.g. 2026")
    ne.add_argument("--project", type=Path, help="project folder holding ipsreport.yml (default: this project)")
    ne.add_argument("--results", type=Path, help="the last render's resultater/ or output folder (default: _book)")
    ne.add_argument("--force", action="store_true",
                    help="keep an existing editions/<year>/ or new-year ipsreport.yml under a new name instead of refusing")
    return parser
