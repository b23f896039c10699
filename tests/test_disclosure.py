"""Small-number protection on hand-made frames."""

import pandas as pd
import pytest

from ipsreport.analysis.disclosed import disclosure


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


def test_two_primary_cells_adding_up_to_the_rule_need_no_complement():
    out = disclosure.suppress(grid({"a": [1, 2, 30, 5]}), 3)
    assert out["suppression"].tolist() == ["primary", "primary", "", ""]


def test_primary_cells_adding_up_to_less_than_the_rule_get_a_complement():
    # 1 + 1 = 2 follows from 37 - 30 - 5: the smallest non-empty visible cell is hidden too.
    out = disclosure.suppress(grid({"a": [1, 1, 30, 5]}), 3)
    assert out["suppression"].tolist() == ["primary", "primary", "", "secondary"]


def test_a_zero_is_never_the_complement():
    """Issue 17: Table 5 of 5 persons showed 3, –, –, 0 with N 4: the hidden cells added up to 1."""
    out = disclosure.suppress(grid({"a": [0, 2, 30]}), 3)
    assert out["suppression"].tolist() == ["", "primary", "secondary"]
    out = disclosure.suppress(grid({"a": [3, 1, 0, 0]}), 3)
    assert out["suppression"].tolist() == ["secondary", "primary", "", ""]


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


def test_rule_sentence_states_the_rule_in_force():
    """The colophon and Bilag 6 say which rule protects the book, from the resolved setting (min_cell_sentence)."""
    assert disclosure.rule_sentence(3, twin=False).startswith("Antal under 3 vises ikke")
    assert "intet antal under 3 kan regnes ud" in disclosure.rule_sentence(3, twin=False)
    assert "syntetiske tvilling" in disclosure.rule_sentence(0, twin=True)
    assert "må ikke offentliggøres" in disclosure.rule_sentence(0, twin=False)
    # Below 3 on real data: as loud as off. At the boundary (3) it is the ordinary rule.
    assert "antal på 1 og 2 vises" in disclosure.rule_sentence(1, twin=False)
    assert "antal på 2 vises" in disclosure.rule_sentence(2, twin=False)
    assert "sænket" not in disclosure.rule_sentence(3, twin=False)
    assert disclosure.rule_sentence(5, twin=False).startswith("Antal under 5 vises ikke")


@pytest.mark.parametrize("rule,loud", [(0, True), (1, True), (2, True), (3, False), (5, False)])
def test_a_lowered_rule_warns_on_every_render_as_off_does(tmp_path, capsys, rule, loud):
    """min_cell 1 or 2 on real data is printed as a warning, exactly like 0; 3 and above as an information line."""
    from ipsreport import cli
    from ipsreport.config.settings import get_settings

    cli._say_provenance(tmp_path, get_settings().with_(min_cell=rule))
    err = capsys.readouterr().err
    assert ("ADVARSEL" in err) is loud, err
    if loud:
        assert "offentliggør ikke rapporten" in err
