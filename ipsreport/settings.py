"""Layered settings: package defaults ⊕ edition settings ⊕ overrides.

1. ``ipsreport/defaults.yml`` — package defaults, every key present;
2. ``ipsreport.yml`` at the project root — the edition's own choices;
3. overrides — from the command line (``ipsreport render --set key=value``),
   passed to chapter kernels through the ``IPSREPORT_SETTINGS`` environment
   variable (JSON) so every engine sees the same values.

Unknown keys are an error: a typo must not silently fall back to a default.
So is a value outside the setting's plausible range (declared once, next to
the field, as ``metadata={"range": Range(...)}``): ``min_cell=-5`` or
``alpha=2`` would otherwise render a report with a silently wrong rule.
Messages are in Danish and name the layer (file or command line), the key,
the value and the rule.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from ipsreport.paths import DEFAULTS_PATH, EDITION_SETTINGS_PATH, PROJECT_DIR

#: Layer name of values passed to :func:`get_settings` (``--set`` on the command line).
OVERRIDES = "overrides"
#: Layer name of the JSON the render engine hands to chapter kernels.
ENVIRONMENT = "IPSREPORT_SETTINGS"


@dataclass(frozen=True)
class Range:
    """Plausible values of a numeric or date setting.

    Attributes
    ----------
    low, high : int, float or date
        Bounds; included unless ``open_low`` / ``open_high``.
    """

    low: Any
    high: Any
    open_low: bool = False
    open_high: bool = False

    def __contains__(self, value: Any) -> bool:
        above = value > self.low if self.open_low else value >= self.low
        below = value < self.high if self.open_high else value <= self.high
        return above and below

    def describe(self, key: str) -> str:
        """The rule as text, e.g. ``0 < alpha < 0.5``."""
        low = "<" if self.open_low else "≤"
        high = "<" if self.open_high else "≤"
        return f"{_show(self.low)} {low} {key} {high} {_show(self.high)}"


def _show(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _ranged(low: Any, high: Any, *, open_low: bool = False, open_high: bool = False) -> Any:
    return field(metadata={"range": Range(low, high, open_low, open_high)})


@dataclass(frozen=True)
class Settings:
    """Resolved settings of one render. See ``docs/settings.md``."""

    data_dir: Path
    edition_year: int = _ranged(2000, 2100)
    title: str = field()
    subtitle: str = field()
    evaluator: str = field()
    funder: str = field()
    municipality: str = field()
    success_target_pct: float = _ranged(0, 100)
    #: ``None`` (written ``auto``) until an Edition resolves it, see
    #: :func:`ipsreport.disclosure.resolve_min_cell`.
    min_cell: int | None = _ranged(0, 20)
    alpha: float = _ranged(0, 0.5, open_low=True, open_high=True)
    evaluation_end: dt.date = _ranged(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    fidelity_caseload_max: int = _ranged(1, 200)
    project_start: dt.date = _ranged(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    project_end: dt.date = _ranged(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    implementation_start: dt.date = _ranged(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    implementation_end: dt.date = _ranged(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    partner_interviews_n: int = _ranged(0, 1000)
    servicedesign_interviews_n: int = _ranged(0, 1000)


def setting_ranges() -> dict[str, Range]:
    """Setting name -> :class:`Range`, for every setting that has one."""
    return {f.name: f.metadata["range"] for f in fields(Settings) if "range" in f.metadata}


class SettingsError(ValueError):
    """A settings file or override is invalid (the message is Danish, for the user)."""


_TYPE_TEXT = {
    "Path": "en mappe",
    "int": "et heltal",
    "int | None": "et heltal eller auto",
    "float": "et tal",
    "dt.date": "en dato (ÅÅÅÅ-MM-DD)",
    "str": "en tekst",
}


def layer_name(source: str) -> str:
    """Danish name of a settings layer, as used in messages."""
    if source == OVERRIDES:
        return "kommandolinjen (--set)"
    if source == ENVIRONMENT:
        return "miljøvariablen IPSREPORT_SETTINGS"
    return source


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        detail = " ".join(str(exc).split())
        raise SettingsError(
            f"{path}: filen kan ikke læses som YAML ({detail}); ret filen, så hver linje har formen nøgle: værdi."
        ) from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: filen skal bestå af linjer på formen nøgle: værdi (fx min_cell: 3).")
    return data


def _read_env() -> dict[str, Any]:
    text = os.environ.get(ENVIRONMENT) or "{}"
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise SettingsError(f"miljøvariablen {ENVIRONMENT} skal være et JSON-objekt med indstillinger, men er {text!r}.")
    return data


def _coerce(key: str, value: Any, source: str) -> Any:
    kinds = {f.name: f.type for f in fields(Settings)}
    kind = kinds[key]
    try:
        if kind == "Path":
            path = Path(str(value)).expanduser()
            return (path if path.is_absolute() else PROJECT_DIR / path).resolve()
        if kind == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(value)
        if kind == "int | None":
            if value is None or str(value).strip().lower() == "auto":
                return None
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(value)
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)
        if kind == "dt.date":
            if isinstance(value, dt.datetime):
                return value.date()
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return str(value)
    except (TypeError, ValueError):
        raise SettingsError(
            f"{layer_name(source)}: indstillingen {key} har værdien {value!r}, som ikke er "
            f"{_TYPE_TEXT.get(kind, kind)}; ret værdien."
        ) from None


def _check_range(key: str, value: Any, source: str) -> None:
    rng = setting_ranges().get(key)
    if rng is None or value is None or value in rng:
        return
    raise SettingsError(
        f"{layer_name(source)}: indstillingen {key} har værdien {_show(value)}, men skal opfylde "
        f"{rng.describe(key)}; ret værdien (se docs/settings.md)."
    )


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

    Raises
    ------
    SettingsError
        Unknown key, a value of the wrong type or outside its range (Danish
        message naming the layer, key, value and rule).
    """
    layers = [
        (str(DEFAULTS_PATH), _read_yaml(DEFAULTS_PATH)),
        (str(edition_file or EDITION_SETTINGS_PATH), _read_yaml(edition_file or EDITION_SETTINGS_PATH)),
        (ENVIRONMENT, _read_env()),
        (OVERRIDES, overrides or {}),
    ]
    known = {f.name for f in fields(Settings)}
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for source, layer in layers:
        for key, value in layer.items():
            if key not in known:
                raise SettingsError(
                    f"{layer_name(source)}: ukendt indstilling {key!r}; kendte indstillinger er "
                    f"{', '.join(sorted(known))} (se docs/settings.md)."
                )
            merged[key] = _coerce(key, value, source)
            origin[key] = source
    if os.environ.get("IPSREPORT_DATA"):
        merged["data_dir"] = Path(os.environ["IPSREPORT_DATA"]).expanduser().resolve()
    missing = known - set(merged)
    if missing:
        raise SettingsError(f"{DEFAULTS_PATH}: standardværdier mangler for {', '.join(sorted(missing))}.")
    for key, value in merged.items():
        _check_range(key, value, origin.get(key, OVERRIDES))
    return Settings(**merged)
