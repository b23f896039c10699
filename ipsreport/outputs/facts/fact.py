"""The :class:`Fact` value type and its Danish rendering.

A fact is a value plus how to print it in a sentence. Small-number
suppression is decided upstream (:mod:`ipsreport.analysis.disclosed`); a fact only
carries how its value was hidden and turns that into words: a count below
``min_cell`` prints as ``"<3"``, a share of it as ``"<3 unge"``, and a value
hidden as the complement of a small cell as ``"et skjult antal"`` /
``"en skjult andel"``, so prose and tables cannot be combined to recover a
hidden count. A share of a survey item nobody answered is no share of
people: it prints as :data:`NO_ANSWERS`, its count as :data:`NO_ANSWERS_COUNT`
(see ``Fact.nobody_answered``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ipsreport.outputs import fmt
from ipsreport.results.kinds import FactKind, Suppression

__all__ = [
    "Fact", "FactText", "TracedText", "HIDDEN_SHARE", "HIDDEN_COUNT", "NOT_COMPUTED", "NOT_COMPARED", "NO_ANSWERS",
    "NO_ANSWERS_COUNT", "NO_ANSWERS_REASON", "NO_ANSWERS_SHARE", "NO_BASE_WORDS", "NOBODY", "PHRASES",
    "label", "small_people", "from_pool", "share_phrase", "join", "in_sentence",
]

#: Prose for a value hidden as the complement of a small cell (secondary
#: suppression). A table shows "–" with a note; a sentence needs words.
HIDDEN_SHARE = "en skjult andel"
HIDDEN_COUNT = "et skjult antal"
#: Prose for a comparison that has nothing to compare (too few or no answers).
NOT_COMPUTED = "kunne ikke beregnes"
#: Prose for a start/end change without enough pairs: "Trivslen målt med WHO-5 {...}."
NOT_COMPARED = "kan ikke sammenlignes, fordi for få har svaret både ved start og afslutning"
#: Prose for a share of a survey item nobody answered (an optional item left blank by all, or asked of
#: nobody): its base is 0, so the share is unknown, not "ingen". A noun phrase, so that it reads wherever a
#: share does ("En ukendt andel (ingen har svaret) er kvinder", "Andelen ... var en ukendt andel ...").
NO_ANSWERS_SHARE = "en ukendt andel"
NO_ANSWERS_REASON = "ingen har svaret"
NO_ANSWERS = f"{NO_ANSWERS_SHARE} ({NO_ANSWERS_REASON})"
#: The count or "x ud af y" behind such a share. No reason in brackets: a chapter that prints the two
#: together says it once (:meth:`FactText.aside`: "vurderer en ukendt andel (ingen har svaret), at ...").
NO_ANSWERS_COUNT = "et ukendt antal"
#: What a count or share prints instead of a number: an indefinite noun phrase. It takes no determiner
#: ("de et skjult antal") and no bracket inside a bracket; see :meth:`FactText.definite` and :meth:`FactText.aside`.
PHRASES = (HIDDEN_COUNT, HIDDEN_SHARE, NO_ANSWERS_COUNT, NO_ANSWERS_SHARE)
#: A share in words of an empty registry group (nobody finished): not a survey gap, printed as before.
NO_BASE_WORDS = "ingen svar"
#: The people a share below the rule is printed as (:func:`small_people`: "<3 unge"), and what puts such a
#: label where a sentence names a share (:meth:`FactText.as_share`: "en andel svarende til <3 unge").
SMALL_PEOPLE_UNIT = "unge"
SHARE_OF_PEOPLE = "en andel svarende til"
#: A count of 0 as a sentence prints it ("Ingen er under udredning", never "0 er under udredning"); the value
#: (``Facts.raw``, the results bundle's ``n``) stays 0, and tables print their own digits.
NOBODY = "ingen"


@dataclass(frozen=True)
class Fact:
    """One fact: its raw value and how to print it.

    Attributes
    ----------
    value : Any
        What :meth:`ipsreport.outputs.facts.Facts.raw` returns (a count for ``count``
        and ``of``, 0-100 for ``pct``).
    kind : str
        ``"count"``, ``"pct"``, ``"of"``, ``"num"`` or ``"text"``.
    n, base : float, optional
        The count behind a share and its base.
    decimals : int
    strip_zeros : bool
    text : str, optional
        The printed text of a ``"text"`` fact.
    share : float, optional
        Fraction 0-1 for :meth:`ipsreport.outputs.facts.Facts.share_words`.
    suppression : str
        How the disclosure layer hid the value: ``"primary"`` (a small count),
        ``"secondary"``/``"pooled"`` (hidden to protect another), ``"base"``
        (its base is small); empty when shown.
    nobody_answered : bool
        Its base counts the answers to a survey item and nobody answered:
        the share is unknown and prints as :data:`NO_ANSWERS` (a count or
        ``"of"`` as :data:`NO_ANSWERS_COUNT`), never as "ingen" or "0 ud af 0".
        Set by :meth:`ipsreport.outputs.facts.Facts.get_fact` from the fact's source.
    """

    value: Any
    kind: FactKind
    n: float | None = None
    base: float | None = None
    decimals: int = 0
    strip_zeros: bool = False
    text: str | None = None
    share: float | None = None
    suppression: Suppression = Suppression.SHOWN
    nobody_answered: bool = False

    def __post_init__(self):
        # Frames carry plain strings (or a missing value where nothing was hidden); a fact carries the members.
        object.__setattr__(self, "kind", FactKind(self.kind))
        state = self.suppression if isinstance(self.suppression, str) else ""
        object.__setattr__(self, "suppression", Suppression(state))

    def render(self, min_cell: int) -> str:
        """The fact as Danish prose under the small-number rule ``min_cell``."""
        if self.kind == "count":
            if self.suppression == "primary":
                return label(min_cell)
            if self.suppression:
                return HIDDEN_COUNT
            if self.nobody_answered:
                return NO_ANSWERS_COUNT
            return NOBODY if self.value == 0 else fmt.count(self.value)
        if self.kind == "pct":
            if self.suppression == "primary":
                return small_people(min_cell)
            if self.suppression:
                return HIDDEN_SHARE
            if self.nobody_answered:
                return NO_ANSWERS
            if self.base is not None and not pd.isna(self.base) and self.base == 0:
                return "ingen"  # a share of an empty registry group (nobody finished): nobody to count
            return fmt.pct(self.value, self.decimals, self.strip_zeros)
        if self.kind == "of":
            if self.suppression and (self.base is None or pd.isna(self.base)):
                # A hidden base says nothing of its size: "under 3" would tell what the audit must then
                # protect as well (ipsreport.analysis.disclosed.plan.marks), and is untrue for a base hidden to protect another.
                return f"{HIDDEN_COUNT} ud af {HIDDEN_COUNT}"
            if self.suppression == "primary":
                return f"{label(min_cell)} ud af {fmt.count(self.base)}"
            if self.suppression:
                return f"{HIDDEN_COUNT} ud af {fmt.count(self.base)}"
            if self.nobody_answered:
                return NO_ANSWERS_COUNT
            return f"{fmt.count(self.n)} ud af {fmt.count(self.base)}"
        if self.kind == "num":
            return fmt.num(self.value, self.decimals, self.strip_zeros)
        return str(self.text)


class FactText(str):
    """A fact as printed (a plain ``str`` to every reader) that knows where it comes from.

    ``provenance`` is one Danish line saying what the number is, its base and
    its source (:func:`ipsreport.outputs.facts.provenance.tooltip`); ``name`` is the
    fact's registry name. :meth:`_inline_attrs_` offers both to the render
    engine, which puts the line in a tooltip on the HTML page (hover and
    keyboard focus) and the name in ``data-fact`` (for a reviewer's
    ``grep``), and prints the text alone everywhere else (PDF, Quarto).
    Concatenation, formatting and ``str()`` give ordinary strings.
    """

    provenance: str
    name: str

    def __new__(cls, text: str, provenance: str = "", name: str = "") -> "FactText":
        obj = super().__new__(cls, text)
        obj.provenance = provenance
        obj.name = name
        return obj

    def __reduce__(self):
        return (FactText, (str(self), self.provenance, self.name))

    def _inline_attrs_(self) -> dict[str, str] | None:
        """HTML attributes of the value's span on the page (see :mod:`ipsreport.render.kernel_helpers`)."""
        if not self.provenance:
            return None
        attrs = {"class": "fact", "tabindex": "0", "title": self.provenance}
        if self.name:
            attrs["data-fact"] = self.name
        return attrs

    # -- the forms a sentence needs around a number that may print as a phrase (tests/test_prose_context.py);
    # the chapters write `{python} f.registry_n.definite('alle')`, so the fact is still named where it is printed.

    @property
    def is_phrase(self) -> bool:
        """The fact printed a phrase instead of a number (hidden, or nobody answered): :data:`PHRASES`."""
        return self.startswith(PHRASES)

    def definite(self, determiner: str, alone: str | None = None,
                 nobody: str | None = None) -> "TracedText | FactText":
        """The number after a definite determiner: ``"de 15"``, ``"alle 66"``; without it for a phrase.

        "Af de `{python} f.no_placement_n`, der ..." would read "Af de et skjult antal, der ..." when the
        count is hidden, and "alle `{python} f.registry_n` unge" "alle et skjult antal unge". A phrase
        leaves the number out: the determiner alone ("omfatter alle unge"), or ``alone`` where the
        determiner cannot stand alone ("Af `{python} f.no_placement_n.definite('de', alone='dem')`, der
        ..." reads "Af dem, der ..."). The word keeps the fact's tooltip, so the hidden count is still traced.
        A count of nobody (:data:`NOBODY`) takes no determiner: "bygger på ingen unge"; or reads ``nobody``
        where "ingen" would make the group the sentence speaks of empty ("en analyse af ingen unge, der
        ..." with ``nobody="de"`` reads "en analyse af de unge, der ...", and the next sentence says none did).
        """
        if self.is_phrase:
            return FactText(alone or determiner, self.provenance, self.name)
        if self == NOBODY:  # "bygger på ingen unge", not "på de ingen unge"
            return FactText(nobody, self.provenance, self.name) if nobody else self
        return TracedText([f"{determiner} ", self])

    def aside(self, other: str, unit: str = "") -> "TracedText | FactText":
        """The fact with ``other`` in brackets: ``"40 % (2 ud af 5)"``, ``"50 % (4 unge)"`` with ``unit``.

        When nobody answered, the pair says so once: ``"en ukendt andel (ingen har svaret)"``, or
        ``"et ukendt antal (ingen har svaret)"`` for a count first, never two brackets side by side
        or one inside the other.
        """
        if _unknown(self) or _unknown(other):
            return self if NO_ANSWERS_REASON in self else TracedText([self, f" ({NO_ANSWERS_REASON})"])
        return TracedText([self, " (", other, f" {unit})" if unit else ")"])

    def as_share(self) -> "TracedText | FactText":
        """The share where the sentence calls it a share: "Andelen med meget lav trivsel var 23 %".

        A share of a count below the rule prints as people (:func:`small_people`: "og <3 unge angiver et
        andet køn"), which after "Andelen ... var" would call a share a number of people; here it reads
        "en andel svarende til <3 unge", the label keeping the fact's tooltip. Anything else is unchanged
        (a phrase such as "en skjult andel" is already a share).
        """
        if self.startswith("<") and self.endswith(f" {SMALL_PEOPLE_UNIT}"):
            return TracedText([f"{SHARE_OF_PEOPLE} ", self])
        return self

    def in_brackets(self) -> "FactText":
        """The fact inside a bracket: an unknown share without its own bracketed reason (the sentence gave it)."""
        if self == NO_ANSWERS:
            return FactText(NO_ANSWERS_SHARE, self.provenance, self.name)
        return self


class TracedText(str):
    """A sentence (a plain ``str`` to every reader) whose numbers carry their own tooltips.

    ``parts`` are the sentence's pieces in order: plain ``str`` and
    :class:`~ipsreport.outputs.facts.fact.FactText` (a number with its tooltip).
    :meth:`_inline_parts_` offers them to the render engine.
    """

    parts: tuple[str, ...]

    def __new__(cls, parts) -> "TracedText":
        # A traced piece inside a sentence (``f.no_placement_n.definite("de")``) gives its own pieces, so each
        # number keeps its tooltip: the render engine and Facts._traced look one level deep.
        parts = tuple(q for p in parts if p for q in (p.parts if isinstance(p, TracedText) else (p,)))
        obj = super().__new__(cls, "".join(str(p) for p in parts))
        obj.parts = parts
        return obj

    def __reduce__(self):
        return (TracedText, (self.parts,))

    def _inline_parts_(self) -> tuple[str, ...]:
        """The pieces, each a ``str`` or a :class:`FactText` (see :mod:`ipsreport.render.kernel_helpers`)."""
        return self.parts


def _unknown(text: str) -> bool:
    """``text`` is what a count or share of an item nobody answered prints."""
    return str(text).startswith((NO_ANSWERS_COUNT, NO_ANSWERS_SHARE))


def label(min_cell: int) -> str:
    """The label of a count below the rule: ``"<3"``."""
    return f"<{fmt.count(min_cell)}"


def small_people(min_cell: int) -> str:
    """Prose for a share whose count is below ``min_cell``: ``"<5 unge"``.

    The count label rather than "–", so the sentence still reads
    ("og <5 unge angiver et andet køn"); "unge" keeps it from being read
    as a percentage ("andelen var <5 unge").
    """
    return f"<{fmt.count(min_cell)} {SMALL_PEOPLE_UNIT}"


def from_pool(p, kind: str) -> Fact:
    """A fact from a pooled cell (:class:`~ipsreport.analysis.disclosed.rules.PooledCell`) as ``kind`` ``"pct"``, ``"n"`` or ``"of"``.

    The cell comes from :func:`ipsreport.analysis.disclosed.rules.pool_cells` or a row of
    the registry counts.
    """
    suppression = p.suppression
    share = p.pct / 100 if not suppression and p.base else None
    if kind == "pct":
        return Fact(p.pct, "pct", n=p.n, base=p.base, share=share, suppression=suppression)
    if kind == "n":
        return Fact(p.n, "count", n=p.n, base=p.base, share=share, suppression=suppression)
    return Fact(p.n, "of", n=p.n, base=p.base, share=share, suppression=suppression)


def in_sentence(text: str) -> str:
    """A Table 9 label inside a sentence: lower-case first letter unless it starts an acronym (WHO-5)."""
    return text[0].lower() + text[1:] if text[:2] != text[:2].upper() else text


def join(items) -> str:
    """Danish list; "samt" before the last item when one of the last two
    contains "og" ("vurdering af forløbets betydning samt selvværd og mestring")."""
    items = list(items)
    last = "samt" if len(items) > 1 and any(" og " in x for x in items[-2:]) else "og"
    return fmt.join_words(items, last=last)


def share_phrase(share, n=None, base=None, **kwargs) -> str:
    """:func:`ipsreport.outputs.fmt.share_words`, kept true at the ends of the scale.

    The named fractions are matched within a tolerance, so 1 of 60 would
    read "ingen" and 59 of 60 "alle"; with the count at hand those become
    "under én ud af ti" and "næsten alle". Shares of 0.95 and more that are
    not all read "næsten alle" too.
    """
    if share is None or share != share:
        return fmt.MISSING
    some = n is not None and n > 0
    all_ = n is not None and base is not None and n >= base
    if share >= 0.95 and not all_ and (n is not None or share < 1):
        return "næsten alle"
    phrase = fmt.share_words(share, **kwargs)
    if phrase == "ingen" and some:
        return "under én ud af ti"
    if phrase == "alle" and n is not None and not all_:
        return "næsten alle"
    return phrase
