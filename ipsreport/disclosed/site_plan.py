"""Plans handed from the command to the chapters' kernels, as JSON files.

* A site book's extra hiding (:data:`SITE_PLAN_NAME`): the joint audit of
  ``render --by site`` (:mod:`ipsreport.disclosed.joint`) writes, beside each
  site's split data, the numbers its book must hide beyond its own plan; the
  site's kernels start their plan from it (:func:`read_site_plan`). It can
  only hide more, never less: a file put there by hand protects more, it
  never exposes.
* The audited plan of a render (:func:`handed_plan_path`): the command's gate
  (:mod:`ipsreport.disclosed.gate`) makes and audits the plan once and keeps
  it beside the validated data it hands the kernels
  (:data:`ipsreport.verdicts.VALIDATED_ENV`), keyed on the data, the code,
  the resolved settings and the published 2025 numbers; a kernel that finds
  it publishes exactly what was audited, without making the plan again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ipsreport.disclosed.plan import Plan

__all__ = ["SITE_PLAN_NAME", "read_site_plan", "write_site_plan", "handed_plan_path", "read_plan", "write_plan"]

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


def handed_plan_path(validated: str | Path | None, settings) -> Path | None:
    """Where the plan audited for this validation (a pickle of :mod:`ipsreport.verdicts`) and settings is kept."""
    if not validated:
        return None
    from ipsreport.paths import PUBLISHED_PATH
    from ipsreport.settings import settings_to_json

    digest = hashlib.sha256(settings_to_json(settings).encode())
    try:
        digest.update(PUBLISHED_PATH.read_bytes())
    except OSError:
        return None
    path = Path(validated)
    # Beside the editions' folder, not in it: its pruning keeps validations, not plans.
    return path.parent.parent / "disclosure" / f"{path.stem}-{digest.hexdigest()[:20]}.json"


def read_plan(ed) -> Plan | None:
    """The plan the command audited for this edition (through the kernel's environment), or ``None``."""
    from ipsreport.verdicts import VALIDATED_ENV

    path = handed_plan_path(os.environ.get(VALIDATED_ENV), ed.settings)
    if path is None or not path.is_file():
        return None
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        handles, marked = stored["hidden"], bool(stored.get("marked", True))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return Plan({_tuples(h) for h in handles if isinstance(h, list)}, marked=marked)


def write_plan(validated: str | Path, settings, plan: Plan) -> None:
    """Keep an audited plan for the render's kernels (atomically; a read-only cache only costs them the plan)."""
    path = handed_plan_path(validated, settings)
    if path is None:
        return
    text = json.dumps({"hidden": sorted(plan.hidden, key=str), "marked": plan.marked}, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        # Keep the newest few: each change of data, code or settings adds one.
        kept = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[_KEEP_PLANS:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


#: Audited plans kept for the kernels (one per data, code and settings).
_KEEP_PLANS = 16
