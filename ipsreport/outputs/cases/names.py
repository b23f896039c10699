"""Pseudonymisation of the case files: placeholders, age bands and the proper-name check.

A case file never prints a real employer, place, staff member or exact age
by accident. It *declares* them (``entities:`` and ``age:`` in the file, see
:mod:`ipsreport.outputs.cases.schema`), and the prose refers to a declared entity by
a placeholder:

``{employer}``
    the entity's category, indefinite (``indefinite:``, "en større
    transportvirksomhed");
``{employer:definite}``
    the category, definite (``definite:``, "transportvirksomheden");
``{employer:genitive}``
    the definite category in the genitive ("transportvirksomhedens");
``{age}`` / ``{start_age}``
    the age when the case was written / when the young person started, as
    an age band in words (:func:`age_band`: "sidst i tyverne").

An entity marked ``public: true`` prints its ``name`` in every form, and
``age_public: true`` prints the ages in years. A placeholder at the start of
a sentence is capitalised. In a quotation (``quotes[].text``, ``advice``) a
replaced name is put in square brackets ("stol på [konsulenten]"), the usual
mark of an editor's change to a quote.

:func:`check_names` finds what a reader could recognise and the placeholders
cannot resolve, one :class:`~ipsreport.inputs.model_errors.Problem` per finding:

* a placeholder whose key or form is not declared (rule ``pladsholder``);
* a declared, non-public name written out instead of its placeholder (rule
  ``erklæret_navn``);
* a capitalised word inside a sentence that is not declared (rule
  ``egennavn``): Danish capitalises only names, so such a word is a name the
  book would print. Allowed are the first word of a sentence, a heading, a
  list item or a quotation; the case's pseudonym (also in the genitive);
  the names of public entities; and :data:`COMMON_CAPITALISED`.

Limits, by design: a name as the *first* word of a sentence is not caught
unless it is declared (Danish capitalises every sentence start, so the word
alone cannot tell), and a name written in lower case is not caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ipsreport.inputs.model_errors import Problem, where_text

if TYPE_CHECKING:
    from ipsreport.outputs.cases.schema import CaseFile, Entity

__all__ = [
    "AGE_BAND_MIN",
    "AGE_BAND_MAX",
    "AGE_KEYS",
    "COMMON_CAPITALISED",
    "FORMS",
    "age_band",
    "genitive",
    "prose_fields",
    "check_names",
    "resolve",
]

#: Youngest and oldest age :func:`age_band` words (and a case file accepts).
AGE_BAND_MIN, AGE_BAND_MAX = 13, 49
#: Danish words for the decades of a life, by tens digit.
_DECADES = {1: "teenageårene", 2: "tyverne", 3: "trediverne", 4: "fyrrerne"}
#: Placeholder keys of the ages (not entities): the case field each reads.
AGE_KEYS = {"age": "age", "start_age": "start_age"}
#: The forms a placeholder may ask for (``{key:form}``); the first is the default.
FORMS = ("indefinite", "definite", "genitive")

#: Capitalised words that are not names of anyone or anything local: the
#: programme's name and the abbreviations of Danish education and of common
#: tools. A word here is never flagged; everything else capitalised inside a
#: sentence must be declared. Keep it to words that identify nobody.
COMMON_CAPITALISED = frozenset({
    "IPS",  # the method (also in IPS-konsulent, IPS-teamet, …)
    "UNG",  # the programme's name, "IPS UNG"
    "AVU", "VUC", "HF", "FGU", "STU", "EUD", "EUX",  # Danish adult and vocational education
    "SU",  # the student grant
    "CV", "IT",
})

_PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")
_VALID = re.compile(r"^([a-z][a-z0-9_]*)(?::([a-z]+))?$")
# A word: letters (Danish included), digits, apostrophes and hyphens inside.
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_SENTENCE_END = (".", "!", "?", ":", "…")
_OPENERS = "»«\"“”„'‘’(–—- \t"


def age_band(age: int) -> str:
    """An age as a band in Danish words, the way the book prints ages.

    Each decade is split in three: ages ending in 0–3 are "først i", 4–6
    "midt i" and 7–9 "sidst i" the decade; the teens run from 13 (13 "først
    i teenageårene", 14–16 "midt i", 17–19 "sidst i").

    Parameters
    ----------
    age : int
        Whole years, from :data:`AGE_BAND_MIN` to :data:`AGE_BAND_MAX`.

    Returns
    -------
    str
        E.g. ``"sidst i tyverne"`` for 27, 28 and 29.

    Raises
    ------
    ValueError
        For an age outside the bands.
    """
    if isinstance(age, bool) or not isinstance(age, int) or not AGE_BAND_MIN <= age <= AGE_BAND_MAX:
        raise ValueError(f"age must be a whole number from {AGE_BAND_MIN} to {AGE_BAND_MAX}, not {age!r}")
    tens, ones = divmod(age, 10)
    part = "først" if ones <= 3 else "midt" if ones <= 6 else "sidst"
    return f"{part} i {_DECADES[tens]}"


def genitive(word: str) -> str:
    """Danish genitive: ``"konsulenten"`` -> ``"konsulentens"``, ``"Tobias"`` -> ``"Tobias'"``."""
    return word + ("'" if word[-1].lower() in "sxz" else "s")


def prose_fields(entry: CaseFile) -> Iterator[tuple[tuple[Any, ...], str, bool]]:
    """Every text of a case file the book prints, with its place and whether it is a quotation.

    Yields
    ------
    tuple
        ``(where, text, quotation)``: the field's path (``("story", 1,
        "text")``), its text as written, and True for the quotations
        (``quotes[].text`` and ``advice``).
    """
    for name in ("focus", "background", "vignette", "highlight"):
        value = getattr(entry, name)
        if value is not None:
            yield (name,), value, False
    for i, event in enumerate(entry.timeline):
        yield ("timeline", i, "text"), event.text, False
        if event.when is not None:
            yield ("timeline", i, "when"), event.when, False
    for i, text in enumerate(entry.supports):
        yield ("supports", i), text, False
    for i, quote in enumerate(entry.quotes):
        yield ("quotes", i, "who"), quote.who, False
        yield ("quotes", i, "text"), quote.text, True
    for i, text in enumerate(entry.lessons):
        yield ("lessons", i), text, False
    for i, section in enumerate(entry.story):
        yield ("story", i, "heading"), section.heading, False
        yield ("story", i, "text"), section.text, False
    yield ("advice",), entry.advice, True


def _sentence_start(text: str, pos: int) -> bool:
    """True when the word at ``pos`` begins the text, a paragraph or a sentence (quotes and dashes skipped)."""
    stripped = text[:pos].rstrip(_OPENERS)
    return not stripped or stripped.endswith(_SENTENCE_END) or stripped.endswith("\n")


def _name_pattern(name: str) -> re.Pattern:
    # The name as a whole word, also in the genitive (Arrivas, Tobias', Tobias’).
    return re.compile(rf"(?<![\w]){re.escape(name)}(?:s|'|’)?(?![\w])")


def _placeholder_problems(where: tuple, text: str, entry: CaseFile) -> list[Problem]:
    out = []
    for match in _PLACEHOLDER.finditer(text):
        raw = match.group(1)
        valid = _VALID.match(raw)
        key, form = (valid.group(1), valid.group(2)) if valid else (raw, None)
        known = [*entry.entities, *AGE_KEYS]
        if not valid or key not in known:
            out.append(Problem(where_text(where), (
                f"pladsholderen »{match.group(0)}« er ikke erklæret (erklærede: "
                f"{', '.join('{' + k + '}' for k in known)}); erklær den under entities, eller ret stavningen"),
                "pladsholder"))
        elif form is not None and (key in AGE_KEYS or form not in FORMS):
            allowed = "ingen; en alder skrives {" + key + "}" if key in AGE_KEYS else ", ".join(FORMS)
            out.append(Problem(where_text(where), (
                f"pladsholderen »{match.group(0)}« beder om formen »{form}«, som ikke findes "
                f"(tilladte former: {allowed})"), "pladsholder"))
        elif key == "start_age" and entry.start_age is None:
            out.append(Problem(where_text(where), (
                "pladsholderen »{start_age}« kræver feltet start_age (alderen ved opstart)"), "pladsholder"))
    return out


def check_names(entry: CaseFile) -> list[Problem]:
    """Every recognisable name in a case file's prose, as Danish problems.

    Parameters
    ----------
    entry : CaseFile
        A case file that passed the schema.

    Returns
    -------
    list of Problem
        Empty when every name is declared and every placeholder resolves
        (see the rules in the module docstring). Each names the field, the
        word and the rule.
    """
    out: list[Problem] = []
    hidden = {key: e for key, e in entry.entities.items() if not e.public}
    public_names = {e.name for e in entry.entities.values() if e.public}
    allowed = {entry.pseudonym, *public_names, *COMMON_CAPITALISED}
    allowed_words = {w for name in allowed for w in re.split(r"[\s-]+", name)}
    for key, entity in hidden.items():
        pattern = _name_pattern(entity.name)
        for form in (entity.indefinite, entity.definite):
            if form is not None and pattern.search(form):
                out.append(Problem(where_text(("entities", key)), (
                    f"kategorien »{form}« indeholder selve navnet »{entity.name}«; skriv en kategori, der ikke "
                    "afslører navnet"), "erklæret_navn"))
    for where, text, _quotation in prose_fields(entry):
        out += _placeholder_problems(where, text, entry)
        # Placeholders are resolved wording, never a name: blank them out (same length, lower case).
        plain = _PLACEHOLDER.sub(lambda m: "x" * len(m.group(0)), text)
        found: list[tuple[int, Problem]] = []  # by position, so the lines follow the text
        for key, entity in hidden.items():
            for match in _name_pattern(entity.name).finditer(plain):
                found.append((match.start(), Problem(where_text(where), (
                    f"navnet »{match.group(0)}« er erklæret under entities.{key} og må ikke stå i teksten; "
                    f"skriv {{{key}}}, {{{key}:definite}} eller {{{key}:genitive}}, så bogen trykker kategorien"),
                    "erklæret_navn")))
                plain = plain[:match.start()] + "x" * (match.end() - match.start()) + plain[match.end():]
        flagged: set[str] = set()
        for match in _WORD.finditer(plain):
            offset = match.start()
            for i, part in enumerate(re.split(r"(-)", match.group(0))):
                start, offset = offset, offset + len(part)
                if not part or part == "-" or not part[0].isupper():
                    continue
                if i == 0 and _sentence_start(plain, start):
                    continue
                bare = part.rstrip("'’")
                bare = bare[:-2] if bare.endswith(("'s", "’s")) else bare
                if bare in allowed_words or (bare.endswith("s") and bare[:-1] in allowed_words):
                    continue
                if part in flagged:
                    continue
                flagged.add(part)
                found.append((start, Problem(where_text(where), (
                    f"ordet »{part}« ligner et egennavn, men er ikke erklæret; erklær det under entities med en "
                    "kategori (fx »en elektronikkæde«) og skriv en pladsholder, eller skriv ordet med lille "
                    "begyndelsesbogstav, hvis det ikke er et navn"), "egennavn")))
        out += [problem for _, problem in sorted(found, key=lambda item: item[0])]
    return out


def _wording(entity: Entity, form: str) -> str:
    if entity.public:
        return genitive(entity.name) if form == "genitive" else entity.name
    if form == "indefinite":
        return entity.indefinite
    return genitive(entity.definite) if form == "genitive" else entity.definite


def resolve(text: str, entry: CaseFile, quotation: bool = False) -> str:
    """A case text with every placeholder replaced by the words the book prints.

    Parameters
    ----------
    text : str
        A text of the case file (one of :func:`prose_fields`).
    entry : CaseFile
        The file, already checked by :func:`check_names` (an unknown
        placeholder raises ``KeyError``).
    quotation : bool
        True for a quotation: a replaced name is put in square brackets.

    Returns
    -------
    str
    """

    def replace(match: re.Match) -> str:
        key, form = _VALID.match(match.group(1)).groups()
        if key in AGE_KEYS:
            years = getattr(entry, AGE_KEYS[key])
            words = f"{years} år" if entry.age_public else age_band(years)
            bracket = quotation and not entry.age_public
        else:
            entity = entry.entities[key]
            words = _wording(entity, form or FORMS[0])
            bracket = quotation and not entity.public
        if _sentence_start(text, match.start()):
            words = words[0].upper() + words[1:]
        return f"[{words}]" if bracket else words

    return _PLACEHOLDER.sub(replace, text)
