"""Small-number protection on hand-made frames."""

import pandas as pd
import pytest

from ipsreport import disclosure


def grid(counts: dict[str, list[int]]) -> pd.DataFrame:
    rows = []
    for variable, ns in counts.items():
        base = sum(ns)
        for code, n in enumerate(ns, start=1):
            rows.append({"variable": variable, "code": code, "n": n, "base": base, "pct": 100 * n / base})
    return pd.DataFrame(rows)


def test_off_by_default_suppresses_nothing():
    out = disclosure.suppress(grid({"a": [1, 2, 30]}), 0)
    assert not out["suppressed"].any()


def test_is_small():
    assert disclosure.is_small(1, 3)
    assert disclosure.is_small(2, 3)
    assert not disclosure.is_small(3, 3)
    assert not disclosure.is_small(0, 3)  # zero is not a person
    assert not disclosure.is_small(1, 0)
    assert not disclosure.is_small(pd.NA, 3)


def test_primary_and_secondary_suppression_in_a_row():
    # 2 is primary; the next-smallest visible cell (5) must be hidden too,
    # or 2 follows from the base 47 - 10 - 30 - 5.
    out = disclosure.suppress(grid({"a": [10, 2, 30, 5]}), 3)
    assert out["suppression"].tolist() == ["", "primary", "", "secondary"]


def test_two_primary_cells_need_no_complement():
    out = disclosure.suppress(grid({"a": [1, 2, 30, 5]}), 3)
    assert out["suppression"].tolist() == ["primary", "primary", "", ""]


def test_complement_may_be_a_zero_cell():
    out = disclosure.suppress(grid({"a": [0, 2, 30]}), 3)
    assert out["suppression"].tolist() == ["secondary", "primary", ""]


def test_groups_are_independent():
    out = disclosure.suppress(grid({"a": [10, 1, 20], "b": [10, 10, 10]}), 3)
    assert out.loc[out["variable"] == "b", "suppressed"].sum() == 0
    assert out.loc[out["variable"] == "a", "suppression"].tolist() == ["secondary", "primary", ""]


def test_incomplete_groups_get_no_complement():
    # Multi-select tables show only the "Ja" cell: nothing to derive it from.
    frame = grid({"a": [2, 50]}).iloc[[0]]
    out = disclosure.suppress(frame, 3, by=None, complete=False)
    assert out["suppression"].tolist() == ["primary"]


def test_threshold_five():
    out = disclosure.suppress(grid({"a": [4, 20, 30]}), 5)
    assert out["suppression"].tolist() == ["primary", "secondary", ""]


def test_input_is_not_modified():
    frame = grid({"a": [1, 20, 30]})
    disclosure.suppress(frame, 3)
    assert "suppressed" not in frame


def test_formatting():
    assert disclosure.fmt_count(2, 3) == "<3"
    assert disclosure.fmt_count(2, 5) == "<5"
    assert disclosure.fmt_count(12, 3) == "12"
    assert disclosure.fmt_count(0, 3) == "0"
    assert disclosure.fmt_count(7, 3, suppressed=True) == "–"  # a complementary cell
    assert disclosure.fmt_pct(4.5, n=2, min_cell=3) == "–"
    assert disclosure.fmt_pct(44.4, n=24, min_cell=3) == "44 %"
    assert disclosure.fmt_n_pct(24, 43.6, 3) == "24 (44 %)"
    assert disclosure.fmt_n_pct(2, 3.6, 3) == "<3 (–)"
    assert disclosure.fmt_n_pct(2, 3.6, 0) == "2 (4 %)"
    assert disclosure.fmt_n_of(2, 14, 3) == "<3 ud af 14"


def test_describe_rule():
    assert disclosure.describe_rule(0) == "ikke anvendt"
    assert disclosure.describe_rule(3) == "3"


def test_min_cell_from_settings(make_edition):
    assert disclosure.get_min_cell(make_edition()) == 0
    assert disclosure.get_min_cell(make_edition(min_cell=5)) == 5


@pytest.mark.parametrize("min_cell", [3, 5])
def test_no_hidden_value_can_be_recovered(min_cell):
    # Property on many rows: after suppression a group has either no hidden
    # cell or at least two, so subtraction from the base never isolates one.
    import numpy as np

    rng = np.random.default_rng(1)
    counts = {f"v{i}": list(rng.integers(0, 8, size=4)) for i in range(200)}
    counts = {k: v for k, v in counts.items() if sum(v)}
    out = disclosure.suppress(grid(counts), min_cell)
    hidden = out.groupby("variable")["suppressed"].sum()
    assert not (hidden == 1).any()
    assert out.loc[out["n"].between(1, min_cell - 1), "suppressed"].all()
