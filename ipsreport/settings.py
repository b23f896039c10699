"""Layered settings: package defaults ⊕ edition settings ⊕ overrides.

1. ``ipsreport/defaults.yml`` — package defaults, every key present;
2. ``ipsreport.yml`` at the project root — the edition's own choices;
3. overrides — from the command line (``ipsreport render --set key=value``),
   passed to chapter kernels through the ``IPSREPORT_SETTINGS`` environment
   variable (JSON) so every engine sees the same values.

Unknown keys are an error: a typo must not silently fall back to a default.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from ipsreport.paths import DEFAULTS_PATH, EDITION_SETTINGS_PATH, PROJECT_DIR


@dataclass(frozen=True)
class Settings:
    """Resolved settings of one render. See ``docs/settings.md``."""

    data_dir: Path
    edition_year: int
    title: str
    subtitle: str
    evaluator: str
    funder: str
    municipality: str
    success_target_pct: float
    min_cell: int
    alpha: float
    evaluation_end: dt.date
    fidelity_caseload_max: int


class SettingsError(ValueError):
    """A settings file or override is invalid."""


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a mapping of key: value")
    return data


def _coerce(key: str, value: Any, source: str) -> Any:
    kinds = {f.name: f.type for f in fields(Settings)}
    kind = kinds[key]
    try:
        if kind == "Path":
            path = Path(str(value)).expanduser()
            return (path if path.is_absolute() else PROJECT_DIR / path).resolve()
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "dt.date":
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return str(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{source}: {key}={value!r} is not a valid {kind}") from exc


def get_settings(overrides: dict[str, Any] | None = None, edition_file: Path | None = None) -> Settings:
    """Resolve the settings for this process.

    Parameters
    ----------
    overrides : dict, optional
        Highest-priority values (e.g. from the command line). Values from the
        ``IPSREPORT_SETTINGS`` environment variable come just below these.
    edition_file : Path, optional
        Edition settings file; defaults to ``ipsreport.yml`` in the project.

    Returns
    -------
    Settings
    """
    layers = [
        (str(DEFAULTS_PATH), _read_yaml(DEFAULTS_PATH)),
        (str(edition_file or EDITION_SETTINGS_PATH), _read_yaml(edition_file or EDITION_SETTINGS_PATH)),
        ("IPSREPORT_SETTINGS", json.loads(os.environ.get("IPSREPORT_SETTINGS") or "{}")),
        ("overrides", overrides or {}),
    ]
    known = {f.name for f in fields(Settings)}
    merged: dict[str, Any] = {}
    for source, layer in layers:
        for key, value in layer.items():
            if key not in known:
                raise SettingsError(f"{source}: unknown setting {key!r}; known settings: {sorted(known)}")
            merged[key] = _coerce(key, value, source)
    if os.environ.get("IPSREPORT_DATA"):
        merged["data_dir"] = Path(os.environ["IPSREPORT_DATA"]).expanduser().resolve()
    missing = known - set(merged)
    if missing:
        raise SettingsError(f"{DEFAULTS_PATH}: missing defaults for {sorted(missing)}")
    return Settings(**merged)
