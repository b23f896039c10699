"""What the command line takes from its arguments and environment: the settings of a run.

The only place besides the engine's kernel start where an ``IPSREPORT_*``
variable is read: ``IPSREPORT_DATA`` (the data folder when ``--data`` is not
given) and ``IPSREPORT_RENDER_DATE`` (the setting ``render_date``). Everything
below the command line gets its settings as arguments.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from ipsreport.cli_args import parse_sets

__all__ = ["DATA_ENV", "RENDER_DATE_ENV", "settings_for", "overrides_from"]


#: Environment variables the command line reads (and nothing below it): the data folder when
#: ``--data`` is not given, and a fixed render date for byte-identical re-renders.
DATA_ENV = "IPSREPORT_DATA"
RENDER_DATE_ENV = "IPSREPORT_RENDER_DATE"


def settings_for(overrides: dict[str, Any], data: Path | None):
    """Resolve the settings with ``--data`` (or ``IPSREPORT_DATA``) taking the place of ``data_dir``.

    ``IPSREPORT_RENDER_DATE`` is the ``render_date`` setting unless ``--set`` gives it.
    """
    from ipsreport.book.hooks import resolve_settings

    if data is None and os.environ.get(DATA_ENV):
        data = Path(os.environ[DATA_ENV])
    return resolve_settings(data, overrides)


def overrides_from(args: argparse.Namespace) -> dict[str, Any]:
    """``--set`` values, and ``IPSREPORT_RENDER_DATE`` as ``render_date`` unless ``--set`` gives it."""
    overrides = parse_sets(args.sets)
    if os.environ.get(RENDER_DATE_ENV) and "render_date" not in overrides:
        overrides["render_date"] = os.environ[RENDER_DATE_ENV]
    return overrides
