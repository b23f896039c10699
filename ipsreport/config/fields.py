"""Value types of the settings fields (:class:`ipsreport.config.settings.Settings`).

Each type reads a value as YAML, JSON or the command line give it (a date
may arrive as a ``date`` or as text, a whole number never as ``True``) and
leaves the range check to the field. Kept apart from the model so that the
model reads as a list of settings.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from ipsreport.paths import PROJECT_DIR
from ipsreport.inputs.plaintext import PlainTextError, check

__all__ = ["AUTO_MIN_CELL", "PLAIN_TEXT_ERROR", "Day", "DayOrNone", "Folder", "FolderOrNone", "Number", "PlainText", "Whole",
           "WholeOrAuto", "resolve_min_cell"]

#: Pydantic error type of a text setting holding markup (turned into a Danish sentence by ipsreport.config.settings).
PLAIN_TEXT_ERROR = "plain_text"


def _not_bool(value: Any) -> Any:
    # Pydantic's lax mode reads True as 1; YAML's `yes` must not become min_cell: 1.
    if isinstance(value, bool):
        raise ValueError(value)
    return value


def _auto(value: Any) -> Any:
    """``auto`` (or nothing) means None: the Edition decides (see ``min_cell``)."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "auto"):
        return None
    return _not_bool(value)


#: The small-number rule ``min_cell: auto`` stands for, for every data folder but the twin.
AUTO_MIN_CELL = 3


def resolve_min_cell(setting: int | None, twin: bool) -> int:
    """The small-number rule in force for a data folder (``min_cell``; no pandas: the command asks on every run).

    :mod:`ipsreport.analysis.disclosed` applies the rule; this only decides it.

    Parameters
    ----------
    setting : int or None
        The ``min_cell`` setting; ``None`` means ``auto``.
    twin : bool
        The folder is the verified synthetic twin
        (:attr:`ipsreport.inputs.manifest.ManifestCheck.twin`): its numbers are the
        2025 edition's published ones and describe no person.

    Returns
    -------
    int
        ``setting`` when given explicitly; else ``0`` for the twin and
        :data:`AUTO_MIN_CELL` for anything else.
    """
    if setting is not None:
        return int(setting)
    return 0 if twin else AUTO_MIN_CELL


def _none(value: Any) -> Any:
    """Nothing (an empty YAML value, ``""``, ``none``) means None: the setting is not used (see ``previous``)."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
        return None
    return value


def _day(value: Any) -> dt.date:
    # YAML reads 2025-05-01 as a date, JSON and the command line give text.
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    raise ValueError(value)


def _folder(path: Path | None) -> Path | None:
    # Chapters run with their own folder as working directory: relative paths
    # are taken from the project folder, never from the working directory.
    if path is None:
        return None
    path = path.expanduser()
    return (path if path.is_absolute() else PROJECT_DIR / path).resolve()


def _plain(value: str) -> str:
    # Text is text: a setting printed in the report may not carry markup that
    # runs (ipsreport.inputs.plaintext; the message is made in ipsreport.config.settings._message).
    try:
        return check(value)
    except PlainTextError as exc:
        raise PydanticCustomError(PLAIN_TEXT_ERROR, "{reason}", {"reason": exc.reason}) from None


Folder = Annotated[Path, AfterValidator(_folder)]
#: A folder that may be left empty (None: not used).
FolderOrNone = Annotated[Path | None, BeforeValidator(_none), AfterValidator(_folder)]
#: Free text printed in the report: plain text with the markdown subset of docs/text.md.
PlainText = Annotated[str, AfterValidator(_plain)]
Whole = Annotated[int, BeforeValidator(_not_bool)]
WholeOrAuto = Annotated[int | None, BeforeValidator(_auto)]
Number = Annotated[float, BeforeValidator(_not_bool)]
Day = Annotated[dt.date, BeforeValidator(_day)]
#: A date that may be left empty (None: decided when the book is rendered).
DayOrNone = Annotated[dt.date | None, BeforeValidator(lambda v: None if _none(v) is None else _day(v))]
