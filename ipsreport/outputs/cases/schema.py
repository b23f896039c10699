"""The shape of a case file (``data/cases/<name>.yml``), as pydantic models.

:class:`CaseFile` describes the file exactly as it is written: unknown
fields are errors, texts must not be empty, numbers must be whole numbers
(``"21"`` in quotes is text, not an age). Rules that involve several fields
(events in chronological order and not after the month the case was written;
an approximate date needs the source's own words) are checked by the model
too. Each broken rule is a :func:`~ipsreport.inputs.model_errors.rule_error` with a
Danish text naming the value; :mod:`ipsreport.outputs.cases.load` turns them into
:class:`~ipsreport.outputs.cases.load.CaseError` messages naming the file and field.

:class:`Entity` declares what a reader could recognise (employers, places,
staff); the prose names it only through placeholders, and
:mod:`ipsreport.outputs.cases.names` checks the prose for names that are not declared.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, field_validator
from pydantic import model_validator

from ipsreport.outputs.cases.names import AGE_BAND_MAX, AGE_BAND_MIN, AGE_KEYS
from ipsreport.inputs.model_errors import rule_error, value_text
from ipsreport.inputs.plaintext import PlainTextError, check

__all__ = [
    "EVENT_KINDS",
    "ENTITY_KINDS",
    "Text",
    "Quote",
    "Section",
    "EventEntry",
    "Entity",
    "CaseFile",
    "parse_month",
    "parse_event_date",
]

#: Event kinds of a timeline and their Danish labels (legend order).
EVENT_KINDS: dict[str, str] = {
    "start": "Opstart",
    "placement": "Virksomhedspraktik",
    "job": "Job",
    "education": "Uddannelse",
    "admission": "Indlæggelse",
    "aftercare": "Efterværn",
    "other": "Andet",
}

_KINDS = tuple(EVENT_KINDS)

#: What a case file may declare (``entities:``), with the Danish plural the appendix uses for it.
ENTITY_KINDS: dict[str, str] = {
    "employer": "arbejdspladser",
    "place": "steder",
    "staff": "medarbejdere",
    "person": "andre personer",
}
_ENTITY_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _non_empty(value: str) -> str:
    if not value.strip():
        raise rule_error("tekst", f"værdien {value_text(value)} skal være en tekst, der ikke er tom")
    return value.strip()


def _plain(value: str) -> str:
    # Text is text: markup that would run in the HTML or PDF is refused here,
    # for every text field at once (ipsreport.inputs.plaintext, docs/text.md).
    try:
        return check(value)
    except PlainTextError as exc:
        shown = value if len(value) <= 80 else value[:60] + "…"  # the reason quotes the markup itself
        raise rule_error(exc.rule, f"værdien {value_text(shown)} {exc.reason}") from None


#: A non-empty plain text (the markdown subset of ``docs/text.md``), stripped of surrounding spaces.
Text = Annotated[StrictStr, AfterValidator(_non_empty), AfterValidator(_plain)]


def parse_month(value: Any) -> dt.date | None:
    """The first day of a month written ``YYYY-MM``; ``None`` if ``value`` is not one."""
    match = _MONTH_RE.match(value) if isinstance(value, str) else None
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


def parse_event_date(value: Any) -> tuple[dt.date, bool] | None:
    """``(date, day_known)`` of an event date (``YYYY-MM`` or ``YYYY-MM-DD``); ``None`` if invalid."""
    # YAML turns 2023-06-07 into a date but leaves 2023-06 as text.
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, str) and _DAY_RE.match(value):
        try:
            return dt.date.fromisoformat(value), True
        except ValueError:
            return None
    month = parse_month(value)
    return None if month is None else (month, False)


class _Entry(BaseModel):
    """Part of a case file: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Quote(_Entry):
    """A quote from the interviews (``quotes:``)."""

    who: Text
    text: Text


class Section(_Entry):
    """A section of the story (``story:``)."""

    heading: Text
    text: Text


class EventEntry(_Entry):
    """An event of the timeline, as written."""

    date: dt.date | StrictStr
    kind: Literal[_KINDS]
    text: Text
    approx: StrictBool = False
    when: Text | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _month_or_day(cls, value: Any) -> Any:
        if parse_event_date(value) is None:
            raise rule_error("dato", f"værdien {value_text(value)} er ikke en dato skrevet ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD "
                                     "(YYYY-MM eller YYYY-MM-DD)")
        return value.date() if isinstance(value, dt.datetime) else value

    @property
    def parsed(self) -> tuple[dt.date, bool]:
        """``(date, day_known)``."""
        return parse_event_date(self.date)

    @model_validator(mode="after")
    def _approx_needs_when(self) -> EventEntry:
        if self.approx and self.when is None:
            raise rule_error(
                "tidspunkt",
                "feltet mangler: et omtrentligt tidspunkt (approx: true) skal have 'when' med tidspunktet, som "
                "casestudiet skriver det (fx 'sommeren 2024' eller '2023'), så ingen måned bliver opfundet",
                where=("when",),
            )
        return self


class Entity(_Entry):
    """Something in a case a reader could recognise (``entities:``): an employer, a place, a staff member.

    The prose refers to it by a placeholder (``{key}``, ``{key:definite}``,
    ``{key:genitive}``, see :mod:`ipsreport.outputs.cases.names`); the book prints
    ``indefinite`` / ``definite`` unless ``public`` is true, when it prints
    ``name``.
    """

    kind: Literal[tuple(ENTITY_KINDS)]
    name: Text
    indefinite: Text | None = None
    definite: Text | None = None
    public: StrictBool = False

    @model_validator(mode="after")
    def _category_unless_public(self) -> Entity:
        if not self.public:
            for form, example in (("indefinite", "en større transportvirksomhed"),
                                  ("definite", "transportvirksomheden")):
                if getattr(self, form) is None:
                    raise rule_error(
                        "kategori",
                        f"feltet mangler: et navn, der ikke er offentligt (public: false), skal have en kategori, "
                        f"som bogen trykker i stedet (fx {form}: \"{example}\")",
                        where=(form,),
                    )
        return self


def _entity_keys(value: dict) -> dict:
    for key in value:
        if not isinstance(key, str) or not _ENTITY_KEY_RE.match(key) or key in AGE_KEYS:
            raise rule_error("nøgle", f"nøglen {value_text(key)} skal være et kort navn med små bogstaver a-z, "
                                      f"tal og _ (fx employer), og ikke {' eller '.join(AGE_KEYS)}")
    return value


class CaseFile(_Entry):
    """A whole case file (see the schema in :mod:`ipsreport.outputs.cases`)."""

    pseudonym: Text
    age: StrictInt
    start_age: StrictInt | None = None
    age_public: StrictBool = False
    written: StrictStr
    consultant: StrictStr
    entities: Annotated[dict[StrictStr, Entity], AfterValidator(_entity_keys)] = {}
    order: StrictInt = Field(ge=1)
    focus: Text
    background: Text
    vignette: Text
    highlight: Text | None = None
    timeline: list[EventEntry] = Field(min_length=1)
    supports: list[Text] = Field(min_length=1)
    quotes: list[Quote] = Field(min_length=2, max_length=3)
    lessons: list[Text] = Field(default=[], min_length=1)
    story: list[Section] = Field(min_length=1)
    advice: Text

    @field_validator("age", "start_age")
    @classmethod
    def _plausible_age(cls, value: int | None) -> int | None:
        if value is not None and not AGE_BAND_MIN <= value <= AGE_BAND_MAX:
            raise rule_error("interval", f"værdien {value} skal ligge mellem {AGE_BAND_MIN} og {AGE_BAND_MAX} "
                                         "(en alder i hele år)")
        return value

    @model_validator(mode="after")
    def _consultant_is_declared_staff(self) -> CaseFile:
        entity = self.entities.get(self.consultant)
        if entity is None or entity.kind != "staff":
            staff = [k for k, e in self.entities.items() if e.kind == "staff"]
            raise rule_error(
                "konsulent",
                f"værdien {value_text(self.consultant)} skal være nøglen til en medarbejder erklæret under entities "
                f"med kind: staff (erklærede medarbejdere: {', '.join(staff) or 'ingen'})",
                where=("consultant",),
            )
        return self

    @field_validator("written")
    @classmethod
    def _a_month(cls, value: str) -> str:
        if parse_month(value) is None:
            raise rule_error("måned", f"værdien {value_text(value)} er ikke en måned skrevet ÅÅÅÅ-MM (YYYY-MM)")
        return value

    @property
    def written_month(self) -> dt.date:
        """The first day of the month the case was written."""
        return parse_month(self.written)

    @model_validator(mode="after")
    def _timeline_in_order(self) -> CaseFile:
        written = self.written_month
        previous: dt.date | None = None
        for i, event in enumerate(self.timeline):
            date, _ = event.parsed
            if previous is not None and date < previous:
                raise rule_error("rækkefølge", f"værdien {value_text(str(event.date))} ligger før den forrige "
                                               f"hændelse ({previous.isoformat()}); hændelserne skal stå i "
                                               "tidsorden", where=("timeline", i, "date"))
            if (date.year, date.month) > (written.year, written.month):
                raise rule_error("efter_skrevet", f"værdien {value_text(str(event.date))} ligger efter måneden, "
                                                  f"hvor casen blev skrevet ({self.written})",
                                 where=("timeline", i, "date"))
            previous = date
        return self
