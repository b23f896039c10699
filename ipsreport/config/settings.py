"""Layered settings: package defaults ⊕ edition settings ⊕ overrides.

1. ``ipsreport/config/defaults.yml`` — package defaults, every key present;
2. ``ipsreport.yml`` at the project root — the edition's own choices;
3. overrides — from the command line (``ipsreport render --set key=value``,
   ``--data DIR``, ``IPSREPORT_DATA``, ``IPSREPORT_RENDER_DATE``).

Chapters do not resolve settings: they read them from the run the command
saved (:mod:`ipsreport.results.saved`).

:class:`Settings` is one typed, frozen pydantic model: the type of every key
and its plausible range (``Field(ge=..., le=...)``) are declared once, on the
field. Unknown keys are an error (a typo must not silently fall back to a
default), and so is a value of the wrong type or outside its range
(``min_cell=-5`` or ``alpha=2`` would otherwise render a report with a
silently wrong rule). So are settings that contradict each other (a project
ending before it starts, an empty title: :mod:`ipsreport.config.rules`),
judged once all layers are laid on. Pydantic's errors never reach the user: they are
translated into one Danish sentence naming the layer (file or command line),
the key, the value and the rule.

Resolved settings travel to chapter kernels as JSON, written and read by
exactly one pair of functions: :func:`settings_to_json` and
:func:`settings_from_json`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import annotated_types
import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, ValidationInfo, model_validator

from ipsreport.paths import DEFAULTS_PATH, EDITION_SETTINGS_PATH
from ipsreport.config.fields import PLAIN_TEXT_ERROR, Day, DayOrNone, Folder, FolderOrNone, Number, PlainText, Whole, WholeOrAuto

__all__ = [
    "Settings",
    "SettingsError",
    "Range",
    "get_settings",
    "default_data_dir",
    "settings_to_json",
    "settings_from_json",
    "setting_ranges",
    "layer_name",
    "OVERRIDES",
]

#: Layer name of changes made in code with :meth:`Settings.with_`.
CODE = "Settings.with_"


#: Layer name of values passed to :func:`get_settings` (``--set`` on the command line).
OVERRIDES = "overrides"

class SettingsError(ValueError):
    """A settings file or override is invalid (the message is Danish, for the user)."""


_FIRST_DAY = dt.date(2000, 1, 1)
_LAST_DAY = dt.date(2100, 12, 31)


class Settings(BaseModel):
    """Resolved settings of one render. See ``docs/settings.md`` (generated from this class)."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    data_dir: Folder = Field(description=(
        "Folder with `registry`, `baseline`, `followup` (CSV, XLSX or SPSS `.sav`). Relative paths are taken "
        "from the project folder, not the working directory. `--data DIR` (or `IPSREPORT_DATA`) overrides it."))
    edition_year: Whole = Field(ge=2000, le=2100, description=(
        "Year of the edition, printed on the cover and in the running text. May not be before the year of "
        "the data's latest date, nor more than one year after it."))
    title: PlainText = Field(description="Report title (cover, HTML title). May not be empty.")
    subtitle: PlainText = Field(description="Subtitle on the cover.")
    evaluator: PlainText = Field(description="Who made the evaluation; printed on the cover.")
    funder: PlainText = Field(description="Who funded the programme; printed on the cover.")
    municipality: PlainText = Field(description="The municipality running IPS UNG, used in the text.")
    success_target_pct: Number = Field(ge=0, le=100, description=(
        "The programme's target: share of finished participants in job, flex job or education. "
        "The text says whether it is met."))
    min_cell: WholeOrAuto = Field(ge=0, le=20, description=(
        "Small-number rule. `auto` = 3 for every data folder except the synthetic twin (its files byte for byte "
        "those whose checksums the package lists, `ipsreport/synth/checksums.py`; a manifest proves nothing), "
        "which renders with the rule off (resolved by `ipsreport.config.fields.resolve_min_cell`). Counts below the "
        "rule print as \"<3\", their shares are hidden, more cells are hidden until no count below the rule can "
        "be worked out from everything the book publishes together, and a table, figure or model whose base is "
        "below the rule is replaced by a note (see `ipsreport/analysis/disclosed/`). `0` turns the rule off and `1` or `2` "
        "lowers it; for real data every render then prints a warning. `5` is Sundhedsdatastyrelsen's threshold."))
    alpha: Number = Field(gt=0, lt=0.5, description=(
        "Significance level for the paired tests and the marks in Table 9."))
    ci_method: Literal["wald", "profile"] = Field(description=(
        "Confidence intervals of the odds ratios in Table 9: `wald` (`exp(coef ± z · se)`, consistent with "
        "the Wald p-values and stars next to them) or `profile` (profile likelihood, as R's `confint()` gives "
        "for a `glm`; better behaved in small samples). See `ipsreport.analysis.models`."))
    evaluation_end: Day = Field(ge=_FIRST_DAY, le=_LAST_DAY, description=(
        "The date the evaluation closed; participants still enrolled then count as \"fortsat i forløb\", and "
        "their time in the programme is measured up to this date. May not be before any date in the data."))
    fidelity_caseload_max: Whole = Field(ge=1, le=200, description=(
        "IPS fidelity criterion: the most young people one consultant should have at a time. Source: the "
        "caseload item of the IPS fidelity scale, as used for young people in the Reconnect study "
        "(Københavns Professionshøjskole, RUC and VIVE: at most 25 young people in a consultant's caseload at "
        "a time). The fidelity appendix counts each consultant's caseload per day from the registry and says "
        "whether it stayed at or below this limit."))
    caseload_detail: Literal["team", "consultant"] = Field(description=(
        "How the fidelity appendix shows the consultants' caseloads. `team`: the consultants as one team only "
        "(the highest caseload any consultant had on each day, the mean, the days above "
        "`fidelity_caseload_max`). `consultant`: also one table row and one figure panel per consultant, "
        "lettered \"Konsulent A\", \"B\", … in a random order fixed by the registry's checksum. Per-person "
        "workload is staff data that colleagues in a small team can tell apart, so `consultant` is for "
        "internal use or where the consultants have agreed."))
    project_start: Day = Field(ge=_FIRST_DAY, le=_LAST_DAY, description=(
        "First month of the project period (agreements, recruitment, the programme, the evaluation). Printed "
        "as a month in chapter 1 (\"fra december 2022 til maj 2025\"); only year and month are used."))
    project_end: Day = Field(ge=_FIRST_DAY, le=_LAST_DAY, description=(
        "Last month of the project period; printed as a month in chapter 1. May not be before the month of "
        "`project_start`."))
    implementation_start: Day = Field(ge=_FIRST_DAY, le=_LAST_DAY, description=(
        "First month young people were in the programme: the period the registry's counts cover. Printed as a "
        "month in chapter 1, with the period's length in months or years (\"to år\"). Lies within the project "
        "period (compared as months)."))
    implementation_end: Day = Field(ge=_FIRST_DAY, le=_LAST_DAY, description=(
        "Last month young people were in the programme; printed as a month in chapter 1. Not before "
        "`implementation_start`, not after `project_end` (compared as months)."))
    partner_interviews_n: Whole = Field(ge=0, le=1000, description=(
        "Number of interviews with the programme's municipal partners (a qualitative source outside the data "
        "files); printed in chapters 3 and 7."))
    servicedesign_interviews_n: Whole = Field(ge=0, le=1000, description=(
        "Number of young people the service designer interviewed about their contact with psychiatry; printed "
        "in section 5.3. The number of cases is the number of files in `data/cases/`."))
    reference_year: Whole = Field(ge=2000, le=2100, description=(
        "Year of the evaluator's published evaluation the text compares with, called \"evalueringen fra "
        "2025\" in the text (the numbers it printed are listed in `data/published/2025.yml`). \"Denne "
        "udgave\" always means the book being rendered."))
    cohort: Literal["cumulative", "period"] = Field(description=(
        "Which young people the edition covers. `cumulative`: everyone in the registry file, i.e. everyone "
        "enrolled since the programme began (as the export gives them). `period`: only those who started in "
        "the implementation period (`implementation_start` to `implementation_end`, as months: the first day "
        "of the first month to the last day of the last month, both included); the others are left out of "
        "every file before anything is counted (the fidelity appendix's caseloads too, so they leave out "
        "young people who started earlier but were still enrolled). Stated in chapter 3 and the colophon. A "
        "period nobody started in stops the render (exit 3)."))
    reproduces_reference: bool = Field(description=(
        "`true` when the data folder holds the real data behind the evaluation of `reference_year`: the "
        "reproduction appendix then recomputes every number that evaluation printed and holds it against the "
        "print. The verified synthetic twin always does (its checksums are checked); for any other data, "
        "leave it `false`, and the appendix says instead that the numbers are not compared with the print."))
    previous: FolderOrNone = Field(description=(
        "The previous edition's results bundle (its `resultater/` folder, or a copy such as "
        "`editions/2025`, written by `ipsreport new-edition`); empty for none. Relative paths are taken from "
        "the project folder. `ipsreport render --previous DIR` overrides it."))
    previous_data: FolderOrNone = Field(description=(
        "The previous edition's data folder, used only to count the young people who are in both editions "
        "(the comparison's intervals then allow for them); empty: they are counted as possibly shared. "
        "`ipsreport render --previous-data DIR` sets it."))
    render_date: DayOrNone = Field(description=(
        "The date the book says it was made (colophon, results bundle); empty: the day it is rendered. "
        "Set it (or the environment variable `IPSREPORT_RENDER_DATE`, read by the command line) for a "
        "byte-identical re-render of an earlier edition."))

    @model_validator(mode="after")
    def _agree(self, info: ValidationInfo) -> Settings:
        # Pairs that must agree (ipsreport.config.rules), judged once every layer is laid on.
        from ipsreport.config.rules import require_agreement

        return require_agreement(self, partial=bool((info.context or {}).get("partial")))

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied, validated like any other layer.

        Parameters
        ----------
        **changes
            Setting name -> new value (e.g. ``min_cell=3``).

        Returns
        -------
        Settings

        Raises
        ------
        SettingsError
            Unknown key or invalid value.
        """
        return _validated({**self.model_dump(), **changes}, dict.fromkeys(changes, CODE), CODE)


@dataclass(frozen=True)
class Range:
    """Plausible values of a numeric or date setting (read from the field's constraints).

    Attributes
    ----------
    low, high : int, float or date
        Bounds; included unless ``open_low`` / ``open_high``.
    """

    low: Any
    high: Any
    open_low: bool = False
    open_high: bool = False

    def describe(self, key: str) -> str:
        """The rule as text, e.g. ``0 < alpha < 0.5``."""
        low = "<" if self.open_low else "≤"
        high = "<" if self.open_high else "≤"
        return f"{_show(self.low)} {low} {key} {high} {_show(self.high)}"


def _show(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def setting_ranges() -> dict[str, Range]:
    """Setting name -> :class:`Range`, for every setting whose field declares bounds."""
    out: dict[str, Range] = {}
    for name, info in Settings.model_fields.items():
        bounds: dict[str, Any] = {}
        for item in info.metadata:
            if isinstance(item, annotated_types.Ge):
                bounds.update(low=item.ge)
            elif isinstance(item, annotated_types.Gt):
                bounds.update(low=item.gt, open_low=True)
            elif isinstance(item, annotated_types.Le):
                bounds.update(high=item.le)
            elif isinstance(item, annotated_types.Lt):
                bounds.update(high=item.lt, open_high=True)
        if bounds:
            out[name] = Range(**bounds)
    return out


_KIND_TEXT: dict[Any, str] = {
    bool: "true eller false",
    Path: "en mappe",
    int: "et heltal",
    float: "et tal",
    dt.date: "en dato (ÅÅÅÅ-MM-DD)",
    str: "en tekst",
}
_RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def _kind_text(key: str) -> str:
    """What a value of ``key`` must be, in Danish ("et heltal eller auto")."""
    annotation = Settings.model_fields[key].annotation
    args = get_args(annotation)
    if get_origin(annotation) is Literal:
        return "en af " + " eller ".join(args)
    if type(None) in args:  # None is written `auto` (min_cell) or left empty (previous)
        (inner,) = (a for a in args if a is not type(None))
        return f"{_KIND_TEXT[inner]} eller tom" if inner is Path else f"{_KIND_TEXT[inner]} eller auto"
    return _KIND_TEXT[annotation]


def layer_name(source: str) -> str:
    """Danish name of a settings layer, as used in messages."""
    if source == OVERRIDES:
        return "kommandolinjen (--set)"
    return source


def _message(error: dict[str, Any], values: dict[str, Any], origin: dict[str, str], complete_in: str) -> str:
    """One pydantic error as a Danish sentence naming layer, key, value and rule."""
    if error["type"] == "settings_contradiction":  # ipsreport.config.rules: one line per rule and its layers
        return "\n".join(f"{' og '.join(dict.fromkeys(layer_name(origin.get(k, complete_in)) for k in keys))}: {text}"
                         for keys, text in error["ctx"]["found"])
    if error["type"] == "missing":
        return f"{layer_name(complete_in)}: der mangler værdier for {error['loc'][0]} (se docs/settings.md)."
    key = str(error["loc"][0])
    where = layer_name(origin.get(key, complete_in))
    if error["type"] == "extra_forbidden":
        known = ", ".join(sorted(Settings.model_fields))
        return f"{where}: ukendt indstilling {key!r}; kendte indstillinger er {known} (se docs/settings.md)."
    value = values[key]
    if error["type"] == PLAIN_TEXT_ERROR:
        return f"{where}: indstillingen {key} har værdien {value!r}, som {error['ctx']['reason']}; ret værdien."
    if error["type"] in _RANGE_ERRORS:
        # Show the value as read (alpha: 2 is 2.0), which passed the type check.
        info = Settings.model_fields[key]
        readers = [m for m in info.metadata if not isinstance(m, annotated_types.BaseMetadata)]
        shown = TypeAdapter(Annotated[(info.annotation, *readers)]).validate_python(value)
        return (
            f"{where}: indstillingen {key} har værdien {_show(shown)}, men skal opfylde "
            f"{setting_ranges()[key].describe(key)}; ret værdien (se docs/settings.md)."
        )
    return f"{where}: indstillingen {key} har værdien {value!r}, som ikke er {_kind_text(key)}; ret værdien."


def _validated(values: dict[str, Any], origin: dict[str, str], complete_in: str, partial: bool = False) -> Settings:
    """Build :class:`Settings`, or raise :class:`SettingsError` for the first problem.

    ``partial``: a lower layer, checked field by field only (not yet against each other).
    """
    try:
        return Settings.model_validate(values, context={"partial": partial})
    except ValidationError as exc:
        raise SettingsError(_message(exc.errors()[0], values, origin, complete_in)) from None


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


def _read_json(text: str, source: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise SettingsError(f"{layer_name(source)} skal være et JSON-objekt med indstillinger, men er {text!r}.")
    return data


def get_settings(overrides: dict[str, Any] | None = None, edition_file: Path | None = None) -> Settings:
    """Resolve the settings for this process.

    Parameters
    ----------
    overrides : dict, optional
        Highest-priority values (e.g. from the command line, which also turns
        ``IPSREPORT_DATA`` and ``IPSREPORT_RENDER_DATE`` into ``data_dir``
        and ``render_date`` here). No environment variable is read here: a
        chapter gets its settings from the saved run, never from the process.
    edition_file : Path, optional
        Edition settings file; defaults to ``ipsreport.yml`` in the project.

    Returns
    -------
    Settings

    Raises
    ------
    SettingsError
        Unknown key, a value of the wrong type or outside its range, or
        settings that contradict each other once every layer is laid on
        (:mod:`ipsreport.config.rules`); a Danish message naming the
        layer(s), key(s), value(s) and rule.
    """
    edition_file = edition_file or EDITION_SETTINGS_PATH
    layers = [
        (str(DEFAULTS_PATH), _read_yaml(DEFAULTS_PATH)),
        (str(edition_file), _read_yaml(edition_file)),
        (OVERRIDES, dict(overrides or {})),
    ]
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    settings = None
    for i, (source, layer) in enumerate(layers):
        merged.update(layer)
        origin.update(dict.fromkeys(layer, source))
        # Every layer is checked as it is laid on: a bad value in ipsreport.yml
        # is reported even when the command line happens to override it.
        settings = _validated(merged, origin, str(DEFAULTS_PATH), partial=i < len(layers) - 1)
    return settings


def default_data_dir() -> Path:
    """The data folder the layered settings name (``data_dir``)."""
    return get_settings().data_dir


def settings_to_json(settings: Settings) -> str:
    """Serialise resolved settings for a chapter kernel (the one format; see :func:`settings_from_json`).

    Parameters
    ----------
    settings : Settings

    Returns
    -------
    str
        A JSON object with every key; dates as ``YYYY-MM-DD``, ``data_dir``
        as an absolute path, ``min_cell`` ``null`` while it is ``auto``.
    """
    return settings.model_dump_json()


def settings_from_json(text: str, source: str = "JSON") -> Settings:
    """Read settings written by :func:`settings_to_json` (an exact round trip).

    Parameters
    ----------
    text : str
        The JSON object; every key must be present.
    source : str
        Where the text came from, named in error messages.

    Returns
    -------
    Settings

    Raises
    ------
    SettingsError
        Not a JSON object, a missing or unknown key, or an invalid value.
    """
    values = _read_json(text, source)
    return _validated(values, dict.fromkeys(values, source), source)
