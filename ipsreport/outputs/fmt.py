"""Danish number formatting for tables and prose.

Every number the report prints goes through this module so that one rule
applies everywhere:

* decimal comma and ``.`` as thousands separator (``1.234,5``), written by
  Babel from the CLDR data for ``da`` (as are month names and dates);
* a space before the percent sign (``"62 %"``);
* **round half up** (``0,5 -> 1``, ``2,45 -> 2,5``), as Danish statistical
  publications do, not Python's round-half-to-even. Rounding is done on the
  decimal representation of the float (``Decimal(repr(x))``), so ``2.675``
  rounds to ``2,68`` although its binary value is slightly below 2.675;
* missing values print as an en dash (``"–"``);
* a negative number starts with a true minus sign (U+2212, ``"−0,61"``), not
  the hyphen-minus Babel writes: a hyphen is shorter than the digits' width
  and breaks a line after it;
* a range is two numbers joined by an en dash (``"2–4"``, :func:`span`);
* text quoted from elsewhere (the 2025 edition's printed numbers) is set in
  the same style by :func:`house_typography`.

Percentages are passed on the 0-100 scale (as the summary frames hold them);
shares for the wording helpers are fractions 0-1.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from babel.dates import format_date
from babel.numbers import format_decimal

__all__ = [
    "MISSING",
    "MINUS",
    "EN_DASH",
    "APOSTROPHE",
    "round_half_up",
    "num",
    "span",
    "house_typography",
    "count",
    "pct",
    "n_of",
    "ci",
    "pvalue",
    "words",
    "share_words",
    "direction",
    "join_words",
    "date",
    "month_short",
]

#: What a missing or suppressed value prints as.
MISSING = "–"
#: The minus sign of a negative number (U+2212).
MINUS = "\u2212"
#: Joins the ends of a range (U+2013): ``"2–4 måneder"``.
EN_DASH = "\u2013"
#: The one apostrophe of the report (U+2019): ``"IPS UNG’s"``, ``"Tobias’"``.
APOSTROPHE = "\u2019"


def _is_missing(x) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN
    except TypeError:  # pd.NA refuses a boolean context
        return True


#: Wide precision: huge values (e.g. odds ratios of a separated fit) must not
#: raise InvalidOperation when quantized.
_WIDE = Context(prec=1000)


def _quantize(x, decimals: int) -> Decimal:
    """``x`` rounded half away from zero to ``decimals``, on its decimal representation."""
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP, context=_WIDE)


def round_half_up(x: float, decimals: int = 0) -> float:
    """Round half away from zero on the decimal representation of ``x``.

    Parameters
    ----------
    x : float
        Value to round.
    decimals : int
        Number of decimals to keep.

    Returns
    -------
    float
        ``round_half_up(0.5) == 1``, ``round_half_up(2.5) == 3``,
        ``round_half_up(-2.5) == -3``, ``round_half_up(14.545, 0) == 15``.
    """
    return float(_quantize(x, decimals))


def num(x, decimals: int = 0, strip_zeros: bool = False) -> str:
    """Format a number the Danish way.

    The value is rounded half up here (:func:`round_half_up`); Babel's CLDR
    data for ``da`` then write it (``.`` between thousands, decimal comma),
    so it has nothing left to round (Babel itself would round half to even).

    Parameters
    ----------
    x : float or int
        Value; ``None``/NaN/``pd.NA`` give ``"–"``.
    decimals : int
        Decimals shown (rounded half up).
    strip_zeros : bool
        Drop trailing zero decimals (``25,0 -> 25``, ``27,50 -> 27,5``).

    Returns
    -------
    str
        E.g. ``num(1234.5, 1) == "1.234,5"``, ``num(7.849, 2) == "7,85"``.
    """
    if _is_missing(x):
        return MISSING
    x = float(x)
    if math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    # The float's exact value (as f"{x:,.2f}" writes it): a huge float prints
    # all its binary digits, not its shortest repr padded with zeros.
    value = Decimal(round_half_up(x, decimals))
    if value == 0:
        value = abs(value)  # no "-0"
    # "0" keeps a decimal, "#" drops it when it is zero (strip_zeros).
    pattern = "#,##0" + ("." + ("#" if strip_zeros else "0") * decimals if decimals > 0 else "")
    with localcontext(_WIDE):  # Babel quantizes again, in the current context
        text = format_decimal(value, format=pattern, locale="da")
    # CLDR's "da" minus is the hyphen-minus; the report prints the minus sign.
    return MINUS + text[1:] if text.startswith("-") else text


def span(lo, hi, decimals: int = 0) -> str:
    """A range of two numbers joined by an en dash: ``span(2, 4) == "2–4"``.

    Parameters
    ----------
    lo, hi : float or int
        The ends, formatted by :func:`num` (a negative end gets its minus sign).
    decimals : int
        Decimals of both ends.

    Returns
    -------
    str
        ``span(36, 50) == "36–50"``, ``span(-1.5, 2, 1) == "−1,5–2,0"``; a
        missing end gives ``"–"``.
    """
    if _is_missing(lo) or _is_missing(hi):
        return MISSING
    return f"{num(lo, decimals)}{EN_DASH}{num(hi, decimals)}"


#: A decimal point between digits, as English-style statistics print it ("2.12").
_DECIMAL_POINT = re.compile(r"(?<![\d.,])(?P<int>\d+)\.(?P<frac>\d+)(?![\d]|[.,]\d)")
#: Words before which "5.4" is a section or table number, not a decimal.
_NUMBERED = re.compile(r"(?i)\b(?:afsnit|kapitel|tabel|figur|bilag|spørgsmål)\s*$")
#: A hyphen between two numbers is a range ("2-4 måneder").
_HYPHEN_RANGE = re.compile(r"(?<=\d)\s?-\s?(?=\d)")
#: A hyphen-minus before a number at the start or after a space or bracket.
_HYPHEN_MINUS = re.compile(r"(?:(?<=^)|(?<=[\s(\[;]))-(?=\d)")
#: Straight single quotes around a phrase ("'i nogen grad'").
_SINGLE_QUOTED = re.compile(r"(?<!\w)'(?=\w)(?P<inner>[^'\n]*?\w)'(?!\w)")
#: A straight apostrophe after a letter ("UNG's", "Tobias'", "id'er").
_STRAIGHT_APOSTROPHE = re.compile(r"(?<=\w)'")


def house_typography(text: str) -> str:
    """Text quoted from elsewhere, set in the report's typography; the words are kept.

    The 2025 edition printed some numbers English-style (Table 9: ``"2.12"``,
    ``"[0.48; 3.04]"``) and ranges with a hyphen (``"2-4 måneder"``). Quoted
    next to the report's own numbers they get the decimal comma, the en
    dash, the minus sign and the apostrophe of :func:`num` and :func:`span`;
    straight single quotes around a phrase become ‘…’.

    A point is a decimal point only between digits, not after a section or
    table word (``"afsnit 5.4"`` stays) and not as a Danish thousands point
    (three digits after it and a non-zero whole part: ``"1.234"`` stays).

    Examples
    --------
    >>> house_typography("Alder: [0.78; 1.18]")
    'Alder: [0,78; 1,18]'
    >>> house_typography("2-4 måneder: 6 (14%)")
    '2–4 måneder: 6 (14%)'
    """
    def decimal(m: re.Match) -> str:
        thousands = len(m.group("frac")) == 3 and m.group("int") != "0"
        if thousands or _NUMBERED.search(text[: m.start()]):
            return m.group(0)
        return f"{m.group('int')},{m.group('frac')}"

    text = _DECIMAL_POINT.sub(decimal, str(text))
    text = _HYPHEN_RANGE.sub(EN_DASH, text)
    text = _HYPHEN_MINUS.sub(MINUS, text)
    text = _SINGLE_QUOTED.sub(lambda m: f"\u2018{m.group('inner')}\u2019", text)
    return _STRAIGHT_APOSTROPHE.sub(APOSTROPHE, text)


def count(n) -> str:
    """Format a count: whole number with ``.`` as thousands separator."""
    return num(n, 0)


def pct(x, decimals: int = 0, strip_zeros: bool = False) -> str:
    """Format a percentage given on the 0-100 scale: ``pct(62.3) == "62 %"``.

    ``strip_zeros=True`` prints one decimal only where needed
    (``pct(27.5, 1, True) == "27,5 %"``, ``pct(25, 1, True) == "25 %"``).
    """
    if _is_missing(x):
        return MISSING
    return f"{num(x, decimals, strip_zeros)} %"


def n_of(n, base) -> str:
    """``n_of(26, 43) == "26 ud af 43"``."""
    return f"{count(n)} ud af {count(base)}"


def ci(lo, hi, decimals: int = 2) -> str:
    """Confidence interval as printed in Table 9: ``"[0,48; 3,04]"``."""
    return f"[{num(lo, decimals)}; {num(hi, decimals)}]"


def pvalue(p, decimals: int = 3) -> str:
    """P-value: ``"0,053"``; below ``10**-decimals`` as ``"<0,001"``."""
    if _is_missing(p):
        return MISSING
    floor = 10.0**-decimals
    if float(p) < floor:
        return f"<{num(floor, decimals)}"
    return num(p, decimals)


_WORDS = {
    0: "nul",
    1: "én",
    2: "to",
    3: "tre",
    4: "fire",
    5: "fem",
    6: "seks",
    7: "syv",
    8: "otte",
    9: "ni",
    10: "ti",
    11: "elleve",
    12: "tolv",
}


def words(n, neuter: bool = False) -> str:
    """Danish word for a whole number up to twelve, else digits.

    Parameters
    ----------
    n : int
        The number.
    neuter : bool
        ``True`` gives "ét" instead of "én" (ét job, én deltager).

    Returns
    -------
    str
        ``words(1) == "én"``, ``words(9) == "ni"``, ``words(13) == "13"``.
    """
    if _is_missing(n):
        return MISSING
    value = float(n)
    if value.is_integer() and int(value) in _WORDS:
        if int(value) == 1 and neuter:
            return "ét"
        return _WORDS[int(value)]
    return num(value, 0) if value.is_integer() else num(value, 2, strip_zeros=True)


#: Named fractions used in prose, tried before the "x ud af ti" fallback.
_NAMED_SHARES = (
    (1 / 5, "hver femte"),
    (1 / 4, "en fjerdedel"),
    (1 / 3, "en tredjedel"),
    (1 / 2, "halvdelen"),
    (2 / 3, "to ud af tre"),
    (3 / 4, "tre ud af fire"),
)
_TENTHS = {1: "én", 2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks", 7: "syv", 8: "otte", 9: "ni"}


def share_words(share, base=None, tolerance: float = 0.02) -> str:
    """Describe a share in words, as the report's prose does.

    Rules, in order:

    0. exactly 0 or 1: "ingen" / "alle" (never by tolerance: one person in
       sixty is not "ingen");
    1. within ``tolerance`` of a named fraction (1/5, 1/4, 1/3, 1/2, 2/3,
       3/4): "hver femte", "en fjerdedel", "en tredjedel", "halvdelen",
       "to ud af tre", "tre ud af fire";
    2. strictly between one half and 0.6: "over halvdelen";
       strictly between 0.4 and one half: "knap halvdelen";
    3. otherwise the nearest tenth: "seks ud af ti" (tenths rounded half up);
       below 0.05 "under én ud af ti", from 0.95 "næsten alle".

    Parameters
    ----------
    share : float
        Fraction 0-1, or a count when ``base`` is given.
    base : float, optional
        Denominator; ``share_words(26, 43) == share_words(26 / 43)``.
    tolerance : float
        How close a share must be to a named fraction.

    Returns
    -------
    str
        ``share_words(0.6) == "seks ud af ti"``, ``share_words(14 / 43) == "en tredjedel"``.
    """
    if base is not None:
        if _is_missing(base) or float(base) == 0:
            return MISSING
        share = float(share) / float(base)
    if _is_missing(share):
        return MISSING
    x = float(share)
    if not 0 <= x <= 1:
        raise ValueError(f"a share must lie between 0 and 1, got {x}")
    if x == 0:
        return "ingen"
    if x == 1:
        return "alle"
    for value, phrase in _NAMED_SHARES:
        if abs(x - value) <= tolerance:
            return phrase
    if 0.5 < x < 0.6:
        return "over halvdelen"
    if 0.4 < x < 0.5:
        return "knap halvdelen"
    if x < 0.05:
        return "under én ud af ti"
    if x >= 0.95:
        return "næsten alle"
    tenths = int(round_half_up(x * 10, 0))
    return f"{_TENTHS[tenths]} ud af ti"


def direction(start, end, decimals: int | None = None) -> str:
    """Danish verb for a change: "steg", "faldt" or "var uændret".

    Parameters
    ----------
    start, end : float
        The two values.
    decimals : int, optional
        Compare the values as printed (rounded half up to ``decimals``), so
        the prose never says "steg" about two equal printed numbers.
    """
    if _is_missing(start) or _is_missing(end):
        return MISSING
    a, b = float(start), float(end)
    if decimals is not None:
        a, b = round_half_up(a, decimals), round_half_up(b, decimals)
    if b > a:
        return "steg"
    if b < a:
        return "faldt"
    return "var uændret"


def join_words(items, last: str = "og") -> str:
    """``join_words(["a", "b", "c"]) == "a, b og c"``; empty list gives ``""``."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def date(d) -> str:
    """Danish long date: ``date(datetime.date(2025, 5, 1)) == "1. maj 2025"`` (Babel's CLDR data)."""
    if _is_missing(d):
        return MISSING
    return format_date(d, "d. MMMM y", locale="da")


def month_short(d) -> str:
    """Danish abbreviated month as Danish style writes it: ``"jan."``, ``"maj"`` (Babel's CLDR data)."""
    return format_date(d, "MMM", locale="da")
