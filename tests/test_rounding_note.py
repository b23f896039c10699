"""Rounded shares that do not add up to 100 carry a note; sums in the text come from counts.

Table 6 of the twin prints 7 % + 16 % for »i meget høj grad« + »i høj grad«
overskud, while the text says 24 % (13 of 55 pooled): the table must say why
its cells add up to 23 (:mod:`ipsreport.outputs.tables.rounding`).
"""

from __future__ import annotations

import pandas as pd
import pytest

from ipsreport.outputs.tables.rounding import ROUNDING_NOTE, partitions_off, rounding_note


def frame(counts, base=None, variable="q", suppression=None):
    base = sum(counts) if base is None else base
    return pd.DataFrame({
        "variable": variable, "code": range(1, len(counts) + 1), "n": counts, "base": base,
        "pct": [100 * c / base for c in counts],
        "suppression": suppression or [""] * len(counts),
    })


def test_the_note_says_why_shares_do_not_add_up():
    assert ROUNDING_NOTE == "Andele summer ikke nødvendigvis til 100 pga. afrunding."


@pytest.mark.parametrize(("counts", "noted"), [
    ([1, 1, 1], True),             # 33 + 33 + 33 = 99
    ([1, 1, 1, 1, 1, 1, 1], True),  # 7 × 14 = 98
    ([4, 9, 25, 10, 7], True),      # Table 6's surplus: 7 + 16 + 45 + 18 + 13 = 99
    ([1, 1], False),               # 50 + 50
    ([1, 3], False),               # 25 + 75
    ([2, 6, 9, 7, 6, 3, 10], False),  # Table 1: 5 + 14 + 21 + 16 + 14 + 7 + 23 = 100
    ([1, 1, 2, 2, 2], True),        # 12.5 ×2 and 25 ×3 print 13 + 13 + 25 + 25 + 25 = 101
])
def test_a_partition_is_noted_exactly_when_its_printed_shares_miss_100(counts, noted):
    assert (rounding_note(frame(counts)) == ROUNDING_NOTE) is noted


def test_multi_select_items_and_hidden_cells_are_not_partitions():
    # One row per item (several answers possible): the counts do not add up to the base.
    assert partitions_off(frame([1], base=3)) == []
    # A hidden cell: the reader cannot add the row, and its printed shares are not all there.
    assert partitions_off(frame([1, 1, 1], suppression=["primary", "secondary", ""])) == []


def test_only_the_groups_that_miss_100_are_named():
    both = pd.concat([frame([1, 1, 1], variable="a"), frame([1, 1], variable="b")])
    assert partitions_off(both) == ["a"]


@pytest.mark.twin
def test_table6_carries_the_note_and_table1_does_not(ed):
    from ipsreport.outputs.tables import tab_duration, tab_resources

    assert ROUNDING_NOTE in tab_resources(ed).as_raw_html()
    assert ROUNDING_NOTE not in tab_duration(ed).as_raw_html()


@pytest.mark.twin
def test_the_text_pools_counts_where_the_table_rounds_cells(ed):
    """The text's 24 % is 13 of 55, not the sum of the printed 7 % and 16 %."""
    from ipsreport.analysis.disclosed.layer import disclosed
    from ipsreport.outputs.facts import facts

    f = facts(ed)
    cells = disclosed(ed).resources.set_index(["variable", "code"])
    very, high = cells.loc[("surplus", 1)], cells.loc[("surplus", 2)]
    assert f.raw("surplus_high_pct") == pytest.approx(100 * (very["n"] + high["n"]) / very["base"])
    assert f.surplus_high_pct == "24 %"
    assert round(very["pct"]) + round(high["pct"]) == 23
