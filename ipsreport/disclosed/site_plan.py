"""Plans handed from the command to the chapters' kernels, as JSON files.

* A site book's extra hiding (:data:`SITE_PLAN_NAME`): the joint audit of
  ``render --by site`` (:mod:`ipsreport.disclosed.joint`) writes, beside each
  site's split data, the numbers its book must hide beyond its own plan; the
  site's kernels start their plan from it (:func:`read_site_plan`). It can
  only hide more, never less: a file put there by hand protects more, it
  never exposes.
* The audited plan of a render (:func:`handed_plan_key`): the command's gate
  (:mod:`ipsreport.disclosed.gate`) makes and audits the plan once and keeps
  it in the render's store (:mod:`ipsreport.render.store`, kind ``plan``)
  beside the validated data it hands the kernels
  (:data:`ipsreport.verdicts.VALIDATED_ENV`), keyed on that validation (the
  data, the code), the resolved settings and the published 2025 numbers; a
  kernel that finds it publishes exactly what was audited, without making
  the plan again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ipsreport.disclosed.plan import Plan

__all__ = ["SITE_PLAN_NAME", "read_site_plan", "write_site_plan", "handed_plan_key", "read_plan", "write_plan"]

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


def handed_plan_key(validated: str | Path | None, settings) -> tuple[Path, str] | None:
    """The store and key of the plan audited for this validation and these settings.

    ``validated`` is :func:`ipsreport.verdicts.shared_path` (the store's
    folder and the validation's key); None when there is none.
    """
    if not validated:
        return None
    from ipsreport.paths import PUBLISHED_PATH
    from ipsreport.render.store import PLAN, entry_key
    from ipsreport.settings import settings_to_json

    try:
        published = PUBLISHED_PATH.read_bytes()
    except OSError:
        return None
    path = Path(validated)
    return path.parent, entry_key(PLAN, validation=path.name, settings=settings_to_json(settings), published=published)


def read_plan(ed) -> Plan | None:
    """The plan the command audited for this edition (through the kernel's environment), or ``None``."""
    from ipsreport.render.store import open_store
    from ipsreport.verdicts import VALIDATED_ENV

    where = handed_plan_key(os.environ.get(VALIDATED_ENV), ed.settings)
    if where is None:
        return None
    stored = open_store(where[0]).get(where[1])
    try:
        handles, marked = stored["hidden"], bool(stored.get("marked", True))
    except (KeyError, TypeError, AttributeError):
        return None
    return Plan({_tuples(h) for h in handles if isinstance(h, list)}, marked=marked)


def write_plan(validated: str | Path, settings, plan: Plan) -> None:
    """Keep an audited plan for the render's kernels (a store that cannot be written only costs them the plan)."""
    from ipsreport.render.store import open_store

    where = handed_plan_key(validated, settings)
    if where is not None:
        # Handles as lists, as read_site_plan reads them from JSON: one reading for both.
        hidden = [_lists(h) for h in sorted(plan.hidden, key=str)]
        open_store(where[0]).put(where[1], {"hidden": hidden, "marked": plan.marked})


def _lists(value):
    return [_lists(v) for v in value] if isinstance(value, tuple) else value
