"""Settings that must agree with each other (checked once all layers are laid on).

Each setting is checked on its own by its field in :class:`ipsreport.config.settings.Settings`
(type, range); these rules are about pairs:

* the project period: ``project_end`` not before ``project_start``;
* the implementation period inside it: ``implementation_start`` not before
  ``project_start``, ``implementation_end`` not after ``project_end`` and not
  before ``implementation_start``;
* a ``title`` that is not empty.

The period dates are printed as months only ("fra december 2022 til maj
2025"), so they are compared as months: two dates in the same month agree.
Settings that contradict the *data* (``evaluation_end``, ``edition_year``)
are checked in :mod:`ipsreport.inputs.consistency`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic_core import PydanticCustomError

__all__ = ["CONTRADICTION", "contradictions", "require_agreement"]

#: Pydantic error type of settings that contradict each other (turned into Danish by ``ipsreport.config.settings``).
CONTRADICTION = "settings_contradiction"

#: ``(earlier, later, words)``: the month of ``earlier`` may not lie after the month of ``later``.
_ORDER = (
    ("project_start", "project_end", "project_end må ikke ligge før project_start"),
    ("project_start", "implementation_start", "implementation_start må ikke ligge før project_start"),
    ("implementation_end", "project_end", "implementation_end må ikke ligge efter project_end"),
    ("implementation_start", "implementation_end", "implementation_end må ikke ligge før implementation_start"),
)


def _month(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


def contradictions(settings: Any) -> list[tuple[tuple[str, ...], str]]:
    """Every rule the settings break, as ``(keys involved, Danish sentence)``.

    Parameters
    ----------
    settings : Settings
        Settings whose fields each passed their own checks.

    Returns
    -------
    list of (tuple of str, str)
        Empty when the settings agree. Each sentence names the settings, their
        values and the rule.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    for earlier, later, words in _ORDER:
        first, last = getattr(settings, earlier), getattr(settings, later)
        if _month(first) > _month(last):
            # The key the rule is about is named first (e.g. project_end in "project_end before project_start").
            keys = (later, earlier) if words.startswith(later) else (earlier, later)
            values = " og ".join(f"{k} = {getattr(settings, k).isoformat()}" for k in keys)
            found.append((keys, (
                f"indstillingerne {values} modsiger hinanden (regel: {words}; kun år og måned bruges, "
                "så samme måned er tilladt). Ret den ene af dem (se docs/settings.md)."
            )))
    if not str(settings.title).strip():
        found.append((("title",), (
            f"indstillingen title har værdien {settings.title!r}, men rapporten skal have en titel "
            "(regel: title må ikke være tom); skriv titlen, fx title: \"Evaluering af IPS UNG\"."
        )))
    return found


def require_agreement(settings: Any, partial: bool = False) -> Any:
    """Return ``settings`` when they agree; else raise every contradiction as one pydantic error.

    Parameters
    ----------
    settings : Settings
    partial : bool, default False
        A lower layer of :func:`ipsreport.config.settings.get_settings`: not judged
        yet, so an edition file may move a period the command line completes.

    Raises
    ------
    pydantic_core.PydanticCustomError
        Type :data:`CONTRADICTION`; ``ctx["found"]`` holds the pairs of
        :func:`contradictions`.
    """
    found = [] if partial else contradictions(settings)
    if found:
        raise PydanticCustomError(CONTRADICTION, "{text}", {"text": "\n".join(t for _, t in found),
                                                            "found": tuple(found)})
    return settings
