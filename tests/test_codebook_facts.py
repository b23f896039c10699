"""data/codebook_facts.csv: the facts that pool codes of a codebook item, declared as data.

Every row names a real codebook item, codes the item has, and a frame that
holds the item; descriptions come from the codebook's labels; a broken row is
a Danish message naming file, row, column and value.
"""

import csv

import pytest

from ipsreport.inputs.codebook.codebook import load_codebook
from ipsreport.outputs.facts.pooled import COLUMNS, PooledFactsError, description, load_pooled
from ipsreport.outputs.facts.registry import REGISTRY
from ipsreport.outputs.facts.sources import SOURCES
from ipsreport.paths import CODEBOOK_FACTS_PATH


def rows() -> list[dict[str, str]]:
    with CODEBOOK_FACTS_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def codebook_item(name: str):
    for dataset in load_codebook().datasets.values():
        if name in dataset.names:
            return dataset[name]
    raise AssertionError(f"{name} is not in the codebook")


def test_every_row_names_a_real_item_and_real_codes():
    table = rows()
    assert len(table) > 50
    for row in table:
        item = codebook_item(row["item"])
        codes = [int(c) for c in row["codes"].split("+")]
        assert item.values and set(codes) <= set(item.values), row
        assert row["frame"] in SOURCES, row
        assert any(row[kind] for kind in ("pct", "n", "of")), row


def test_every_row_pools_a_variable_its_frame_holds(fake):
    from ipsreport.analysis.disclosed.layer import disclosed

    layer = disclosed(fake)
    for row in rows():
        frame = SOURCES[row["frame"]].read(layer)
        assert row["item"] in set(frame["variable"]), row


def test_the_table_declares_the_registry_facts_it_names():
    declared = load_pooled()
    names = [d.name for d in declared]
    assert len(names) == len(set(names)) == sum(bool(r[k]) for r in rows() for k in ("pct", "n", "of"))
    assert all(REGISTRY[name] is not None for name in names)
    female = REGISTRY["female_pct"]
    assert (female.kind, female.source.name, female.rule) == ("pct", "background", "min_cell; pooled `gender` = 2")


def test_descriptions_are_the_codebook_labels():
    assert REGISTRY["female_pct"].doc == "Køn – Kvinde"
    dialogue = codebook_item("psych_dialogue")
    assert REGISTRY["psych_dialogue_of"].doc == f"{dialogue.label} – I meget høj grad, I høj grad"
    assert description(codebook_item("duration"), (1, 2)) == "Forløbets varighed – Under 2 måneder, 2–4 måneder"
    # No typed values of an edition in a description.
    assert not [d.name for d in load_pooled() if "2025" in d.doc]


def write(tmp_path, *lines: str):
    path = tmp_path / "codebook_facts.csv"
    path.write_text("\n".join([",".join(COLUMNS), *lines]) + "\n", encoding="utf-8")
    return path


def test_a_good_table_loads(tmp_path):
    (only,) = load_pooled(write(tmp_path, "gender,3,background,other_pct,,"))
    assert (only.name, only.doc) == ("other_pct", "Køn – Andet")


@pytest.mark.parametrize(("line", "column", "value"), [
    ("gendr,1,background,x_pct,,", "item", "gendr"),
    ("age,1,background,x_pct,,", "item", "age"),  # a number, not a categorical item
    ("gender,4,background,x_pct,,", "codes", "4"),  # gender has codes 1-3: one past the last
    ("gender,0,background,x_pct,,", "codes", "0"),
    ("gender,1+1,background,x_pct,,", "codes", "1+1"),
    ("gender,1;2,background,x_pct,,", "codes", "1;2"),
    ("gender,1,backgrund,x_pct,,", "frame", "backgrund"),
    ("gender,1,background,x_n,,", "pct", "x_n"),
    ("gender,1,background,,X_N,", "n", "X_N"),
    ("gender,1,background,,,", "pct/n/of", ""),
    ("gender,1,background,x_pct,,,extra", "(alle)", "gender,1,background,x_pct,,,extra"),
])
def test_a_broken_row_is_named(tmp_path, line, column, value):
    path = write(tmp_path, "gender,1,background,male_pct,,", line)
    with pytest.raises(PooledFactsError) as error:
        load_pooled(path)
    message = str(error.value)
    assert message.startswith(f"codebook_facts.csv, række 3, kolonne {column}: værdien »{value}«")
    assert str(path) in message


def test_a_name_given_twice_is_named(tmp_path):
    with pytest.raises(PooledFactsError, match="række 3, kolonne pct: værdien »male_pct« er navngivet før"):
        load_pooled(write(tmp_path, "gender,1,background,male_pct,,", "gender,2,background,male_pct,,"))


def test_a_wrong_header_is_named(tmp_path):
    path = tmp_path / "codebook_facts.csv"
    path.write_text("item,codes,pct\n", encoding="utf-8")
    with pytest.raises(PooledFactsError, match=r"række 1, kolonne \(overskrift\)"):
        load_pooled(path)
