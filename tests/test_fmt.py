"""Danish number formatting: hand-made values and edge cases."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsreport.outputs import fmt


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (0.5, 0, 1.0),  # half up, not Python's banker's rounding (round(0.5) == 0)
        (1.5, 0, 2.0),
        (2.5, 0, 3.0),  # round(2.5) == 2 in Python
        (-2.5, 0, -3.0),  # half away from zero
        (2.45, 1, 2.5),
        (2.675, 2, 2.68),  # decimal representation, not the binary 2.67499...
        (14.545454, 0, 15.0),
        (0.49999, 0, 0.0),
    ],
)
def test_round_half_up(x, decimals, expected):
    assert fmt.round_half_up(x, decimals) == expected


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (7.849, 2, "7,85"),
        (3.1, 2, "3,10"),
        (0, 0, "0"),
        (-0.001, 2, "0,00"),  # no negative zero
        (-1.25, 1, "\u22121,3"),  # a true minus sign (U+2212), not Babel's hyphen-minus
        (22.5, 0, "23"),
    ],
)
def test_num(x, decimals, expected):
    assert fmt.num(x, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_values_print_as_dash(missing):
    assert fmt.num(missing) == "–"
    assert fmt.pct(missing) == "–"
    assert fmt.pvalue(missing) == "–"


def test_infinity_and_huge_values():
    assert fmt.num(math.inf, 2) == "∞"
    assert fmt.num(1.6e92, 2).startswith("160.000")
    # A huge float prints its exact binary value (as the report has printed it in
    # Bilag 7 for a separated fit), not its shortest repr padded with zeros.
    assert fmt.num(1e23) == "99.999.999.999.999.991.611.392"
    assert fmt.num(-1e23, 1) == "\u221299.999.999.999.999.991.611.392,0"
    assert fmt.num(-math.inf) == "\u2212∞"


def test_pct():
    assert fmt.pct(62.3) == "62 %"
    assert fmt.pct(0) == "0 %"
    assert fmt.pct(100) == "100 %"
    assert fmt.pct(12.5) == "13 %"  # half up
    assert fmt.pct(60.465, 1) == "60,5 %"


def test_pct_strip_zeros_one_decimal_only_where_needed():
    assert fmt.pct(27.5, 1, strip_zeros=True) == "27,5 %"
    assert fmt.pct(25.0, 1, strip_zeros=True) == "25 %"
    assert fmt.pct(17.5, 1, strip_zeros=True) == "17,5 %"


def test_count_and_n_of():
    assert fmt.count(1234) == "1.234"
    assert fmt.n_of(26, 43) == "26 ud af 43"


def test_ci_as_table_9():
    assert fmt.ci(0.4849, 3.0449) == "[0,48; 3,04]"
    assert fmt.ci(1.155, 5.27) == "[1,16; 5,27]"


def test_pvalue():
    assert fmt.pvalue(0.0531) == "0,053"
    assert fmt.pvalue(0.0005) == "<0,001"
    assert fmt.pvalue(0.001) == "0,001"
    assert fmt.pvalue(1.0) == "1,000"


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "nul"), (1, "én"), (2, "to"), (9, "ni"), (12, "tolv"), (13, "13"), (1500, "1.500"), (2.5, "2,5")],
)
def test_words(n, expected):
    assert fmt.words(n) == expected


def test_words_neuter():
    assert fmt.words(1, neuter=True) == "ét"


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.6, "seks ud af ti"),
        (26 / 43, "seks ud af ti"),
        (14 / 43, "en tredjedel"),
        (22 / 66, "en tredjedel"),
        (10 / 43, "en fjerdedel"),  # 23 %: "cirka en fjerdedel"
        (8 / 43, "hver femte"),  # 19 %
        (0.5, "halvdelen"),
        (0.55, "over halvdelen"),
        (0.45, "knap halvdelen"),
        (2 / 3, "to ud af tre"),
        (0.75, "tre ud af fire"),
        (0.0, "ingen"),
        (1.0, "alle"),
        (0.1, "én ud af ti"),
        (0.85, "ni ud af ti"),  # tenths rounded half up: 8.5 -> 9
        (0.03, "under én ud af ti"),
        (0.97, "næsten alle"),
    ],
)
def test_share_words(share, expected):
    assert fmt.share_words(share) == expected


def test_share_words_from_count_and_base():
    assert fmt.share_words(26, 43) == "seks ud af ti"
    assert fmt.share_words(1, 0) == "–"


def test_share_words_rejects_percentages():
    with pytest.raises(ValueError):
        fmt.share_words(60)


@pytest.mark.parametrize(
    ("start", "end", "decimals", "expected"),
    [
        (49, 51, None, "steg"),
        (2.83, 2.70, None, "faldt"),
        (3.1, 3.1, None, "var uændret"),
        (7.851, 7.849, 2, "var uændret"),  # equal as printed
        (7.851, 7.849, None, "faldt"),
    ],
)
def test_direction(start, end, decimals, expected):
    assert fmt.direction(start, end, decimals) == expected


def test_join_words():
    assert fmt.join_words([]) == ""
    assert fmt.join_words(["a"]) == "a"
    assert fmt.join_words(["a", "b"]) == "a og b"
    assert fmt.join_words(["a", "b", "c"]) == "a, b og c"


def test_date():
    import datetime as dt

    assert fmt.date(dt.date(2025, 5, 1)) == "1. maj 2025"
    assert fmt.date(dt.date(2026, 12, 24)) == "24. december 2026"
    assert fmt.date(None) == "–"


@pytest.mark.parametrize(
    "share,base,expected",
    [
        (0, 60, "ingen"),
        (1, 60, "under én ud af ti"),  # one person is not "ingen"
        (59, 60, "næsten alle"),  # and 59 of 60 is not "alle"
        (60, 60, "alle"),
        (0.95, None, "næsten alle"),  # used to look up a tenth that does not exist
        (0.949, None, "ni ud af ti"),
    ],
)
def test_share_words_ends_of_the_scale(share, base, expected):
    assert fmt.share_words(share, base) == expected


# ---------------------------------------------------------------- typography


def test_negative_numbers_carry_a_minus_sign_everywhere():
    """Every formatter that prints a negative number prints U+2212, never a hyphen."""
    assert fmt.num(-0.61, 2) == "\u22120,61"
    assert fmt.ci(-0.61, 0.96) == "[\u22120,61; 0,96]"
    assert fmt.pct(-3.2, 1) == "\u22123,2 %"
    assert fmt.count(-1234) == "\u22121.234"
    assert fmt.num(-0.004, 2) == "0,00"  # rounds to zero: no sign at all


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 3))
def test_num_never_prints_a_hyphen(x, decimals):
    text = fmt.num(x, decimals)
    assert "-" not in text
    assert text.startswith(fmt.MINUS) == (fmt.round_half_up(x, decimals) < 0)


def test_span_joins_a_range_with_an_en_dash():
    assert fmt.span(2, 4) == "2\u20134"
    assert fmt.span(36, 50) == "36–50"
    assert fmt.span(-1.5, 2, 1) == "\u22121,5–2,0"
    assert fmt.span(None, 4) == "–"


@pytest.mark.parametrize(
    ("quoted", "expected"),
    [
        ("2.12", "2,12"),
        ("Alder: [0.78; 1.18]", "Alder: [0,78; 1,18]"),
        ("[0.22; 0.95]", "[0,22; 0,95]"),
        ("2-4 måneder: 6 (14%)", "2–4 måneder: 6 (14%)"),
        ("10-12 måneder: 3 (7%)", "10–12 måneder: 3 (7%)"),
        ("-0.36", "\u22120,36"),
        ("forskel på -2", "forskel på \u22122"),
        ("IPS UNG's egne", "IPS UNG’s egne"),
        ("Tobias' forløb", "Tobias’ forløb"),
        ("I nogen grad: 26% / 'i nogen grad' (26 %)", "I nogen grad: 26% / ‘i nogen grad’ (26 %)"),
        ("22 % svarede 'i nogen grad'", "22 % svarede ‘i nogen grad’"),
        ("mellemkategorien (36-50): 17.5 %", "mellemkategorien (36–50): 17,5 %"),
        # not decimals: section numbers, Danish thousands, dates, words with hyphens
        ("afsnit 5.4", "afsnit 5.4"),
        ("Tabel 4.1", "Tabel 4.1"),
        ("1.234 unge", "1.234 unge"),
        ("0.048", "0,048"),
        ("1. maj 2025", "1. maj 2025"),
        ("WHO-5", "WHO-5"),
        ("3,22", "3,22"),
    ],
)
def test_house_typography_of_quoted_numbers(quoted, expected):
    assert fmt.house_typography(quoted) == expected


@given(st.floats(min_value=-999, max_value=999, allow_nan=False), st.integers(1, 2))
def test_house_typography_prints_an_english_decimal_as_num_does(x, decimals):
    """A number printed English-style reads exactly as the report's own formatter prints it."""
    english = f"{fmt.round_half_up(x, decimals) + 0.0:.{decimals}f}"  # + 0.0: no "-0.0"
    assert fmt.house_typography(english) == fmt.num(x, decimals)
