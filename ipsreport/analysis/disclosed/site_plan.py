"""A site book's extra hiding, as a JSON file beside the site's split data.

The joint audit of ``render --by site`` (:mod:`ipsreport.analysis.disclosed.joint`)
writes, beside each site's split data (:data:`SITE_PLAN_NAME`), the numbers
its book must hide beyond its own plan; the site's plan starts from it
(:func:`read_site_plan`). It can only hide more, never less: a file put there
by hand protects more, it never exposes.
"""

from __future__ import annotations

import json
from pathlib import Path

from ipsreport.analysis.disclosed.plan import Plan

__all__ = ["SITE_PLAN_NAME", "read_site_plan", "write_site_plan"]

#: The file in a site's data folder with what its book hides beyond its own plan (JSON).
SITE_PLAN_NAME = "joint-disclosure.json"


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def read_site_plan(ed) -> Plan | None:
    """The extra hiding a joint audit asked of this site's book, or ``None``.

    It can only hide more, never less: a file put there by hand protects more, it never exposes.
    """
    folder = ed.data_dir
    path = Path(folder) / SITE_PLAN_NAME if folder is not None else None
    if path is None or not path.is_file():
        return None
    try:
        handles = json.loads(path.read_text(encoding="utf-8"))["hidden"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Plan({_tuples(h) for h in handles if isinstance(h, list)})


def write_site_plan(folder: Path, plan: Plan) -> None:
    """Write (or remove, when empty) a site book's extra hiding; unchanged bytes are left alone."""
    path = Path(folder) / SITE_PLAN_NAME
    if not plan.hidden:
        path.unlink(missing_ok=True)
        return
    text = json.dumps({"hidden": sorted(plan.hidden, key=str)}, ensure_ascii=False, indent=1) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
