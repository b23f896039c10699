"""Read and check the case files; the :class:`Case` a chapter prints from.

A file is checked against :class:`~ipsreport.outputs.cases.schema.CaseFile`, then its
prose for names a reader could recognise (:func:`ipsreport.outputs.cases.names.check_names`);
every problem becomes one Danish line of a :class:`CaseError`::

    ida.yml, feltet timeline[0].date: værdien "2024/01" er ikke en dato skrevet ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD (YYYY-MM eller YYYY-MM-DD) (regel: dato)

A :class:`Case` holds the texts as the book prints them: every placeholder
already replaced by its category (:func:`ipsreport.outputs.cases.names.resolve`), so
no later function can print a declared name or an exact age by mistake.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from ipsreport.outputs.cases import names
from ipsreport.outputs.cases.schema import ENTITY_KINDS, CaseFile, Quote, Section
from ipsreport.inputs.model_errors import Problem, problems, value_text

__all__ = ["CaseError", "Case", "TimelineEvent", "danish_month", "load_case", "load_cases", "get_case"]


class CaseError(ValueError):
    """A case file breaks the schema; the message names file, field, value and rule (in Danish)."""


def case_error(path: Path, found: list[Problem]) -> CaseError:
    """One line per problem: ``<file>, feltet <field>: <what> (regel: <rule>). Ret filen <path>.``"""
    lines = [
        f"{path.name}{f', feltet {p.where}' if p.where else ''}: {p.text} (regel: {p.rule}). Ret filen {path}."
        for p in found
    ]
    return CaseError("\n".join(lines))


def danish_month(date: dt.date, short: bool = False) -> str:
    """Danish "month year" label, e.g. ``"oktober 2023"`` (``"okt 2023"`` if short), from Babel's CLDR data."""
    from babel.dates import format_date

    if short:
        return f"{format_date(date, 'MMM', locale='da').rstrip('.')} {date.year}"
    return format_date(date, "MMMM y", locale="da")


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event of a case."""

    date: dt.date
    day_known: bool  # False when only year and month are given
    kind: str
    text: str
    approx: bool = False
    when: str | None = None  # the time as the source gives it, for an approximate date

    @property
    def label(self) -> str:
        """Danish date label: "7. juni 2023", "juni 2023", or for an approximate date its ``when``."""
        if self.when:
            return self.when
        if self.day_known:
            from ipsreport.outputs import fmt

            return fmt.date(self.date)
        return danish_month(self.date)


@dataclass(frozen=True)
class Case:
    """A validated case file."""

    key: str
    path: Path
    pseudonym: str
    age: int
    age_public: bool
    written: dt.date
    consultant: str  # as printed: the category ("konsulenten"), or the name when public
    unnamed_kinds: tuple[str, ...]  # kinds of declared entities the book leaves unnamed (ENTITY_KINDS order)
    order: int
    focus: str
    background: str
    vignette: str
    highlight: str | None
    timeline: tuple[TimelineEvent, ...]
    supports: tuple[str, ...]
    quotes: tuple[Quote, ...]
    lessons: tuple[str, ...]
    story: tuple[Section, ...]
    advice: str

    @property
    def genitive(self) -> str:
        """Danish genitive of the pseudonym ("Frederiks", "Tobias'")."""
        return names.genitive(self.pseudonym)

    @property
    def age_text(self) -> str:
        """The age when the case was written, as printed: an age band ("først i trediverne") unless public."""
        return f"{self.age} år" if self.age_public else names.age_band(self.age)


def load_case(path: Path | str) -> Case:
    """Read and validate one case file.

    Parameters
    ----------
    path : Path or str
        A ``.yml`` file following the schema in :mod:`ipsreport.outputs.cases`.

    Returns
    -------
    Case

    Raises
    ------
    CaseError
        When a field is missing, unknown, of the wrong type or breaks a rule,
        or the prose holds a name that is not declared (or a declared one
        written out); the message names the file, the field, the value (or
        word) and the rule.
    """
    path = Path(path)
    return _case_from_text(path, path.read_text(encoding="utf-8"))


#: Keyed by the file's path and its whole text, so an edited file is read again; the chapters
#: of a case appendix and the reading guide ask for the cases many times per kernel (profiled:
#: about a tenth of the chapters' time before). A file that fails raises each time (not cached).
@functools.lru_cache(maxsize=32)
def _case_from_text(path: Path, source: str) -> Case:
    """The :class:`Case` of ``source``, the text of the case file ``path`` (see :func:`load_case`)."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (linje {mark.line + 1}, kolonne {mark.column + 1})" if mark is not None else ""
        raise case_error(path, [Problem("", f"filen kan ikke læses som YAML{where} – tjek indrykning, kolon og "
                                            "anførselstegn", "yaml")]) from None
    if not isinstance(data, dict):
        raise case_error(path, [Problem("", f"filen skal være en samling af felter (navn: værdi, fx pseudonym: Ida), "
                                            f"ikke {value_text(data) if not isinstance(data, list) else 'en liste'}",
                                        "felter")])
    try:
        entry = CaseFile.model_validate(data)
    except ValidationError as exc:
        raise case_error(path, problems(exc, CaseFile)) from None
    found = names.check_names(entry)
    if found:
        raise case_error(path, found)

    def text(value: str, quotation: bool = False) -> str:
        return names.resolve(value, entry, quotation)

    events = []
    for event in entry.timeline:
        date, day_known = event.parsed
        when = None if event.when is None else text(event.when)
        events.append(TimelineEvent(date, day_known, event.kind, text(event.text), event.approx, when))
    consultant = entry.entities[entry.consultant]
    return Case(
        key=path.stem,
        path=path,
        pseudonym=entry.pseudonym,
        age=entry.age,
        age_public=entry.age_public,
        written=entry.written_month,
        consultant=consultant.name if consultant.public else consultant.definite,
        unnamed_kinds=tuple(k for k in ENTITY_KINDS if any(e.kind == k and not e.public
                                                            for e in entry.entities.values())),
        order=entry.order,
        focus=text(entry.focus),
        background=text(entry.background),
        vignette=text(entry.vignette),
        highlight=None if entry.highlight is None else text(entry.highlight),
        timeline=tuple(events),
        supports=tuple(text(s) for s in entry.supports),
        quotes=tuple(Quote(who=text(q.who), text=text(q.text, quotation=True)) for q in entry.quotes),
        lessons=tuple(text(s) for s in entry.lessons),
        story=tuple(Section(heading=text(s.heading), text=text(s.text)) for s in entry.story),
        advice=text(entry.advice, quotation=True),
    )


def load_cases(cases_dir: Path | str | None = None) -> dict[str, Case]:
    """Read and validate every case file of a folder.

    Parameters
    ----------
    cases_dir : Path or str, optional
        Folder of ``*.yml`` case files; defaults to ``ipsreport.paths.CASES_DIR``.

    Returns
    -------
    dict of str to Case
        Keyed by file stem (``"frederik"``), in appendix order.

    Raises
    ------
    CaseError
        When a file is invalid or two cases claim the same ``order``.
    """
    from ipsreport.paths import CASES_DIR

    folder = Path(cases_dir) if cases_dir is not None else CASES_DIR
    cases = [load_case(p) for p in sorted(folder.glob("*.yml"))]
    seen: dict[int, Case] = {}
    for case in cases:
        if case.order in seen:
            raise case_error(case.path, [Problem(
                "order", f"værdien {case.order} bruges også af {seen[case.order].path.name}; hver case skal have sit "
                         "eget bilagsnummer", "unik_rækkefølge")])
        seen[case.order] = case
    return {c.key: c for c in sorted(cases, key=lambda c: c.order)}


def get_case(name: str, cases_dir: Path | str | None = None) -> Case:
    """The case with file stem ``name`` (any case), after checking every case file of the folder."""
    cases = load_cases(cases_dir)
    key = name.lower()
    if key not in cases:
        raise KeyError(f"no case file {key}.yml; known cases: {list(cases)}")
    return cases[key]
