"""The codebook is complete enough to drive loading, validation and generation."""

from __future__ import annotations

import pytest
import yaml

from ipsreport.codebook import load_codebook


@pytest.fixture(scope="module")
def cb():
    return load_codebook()


def test_three_datasets_with_ids(cb):
    assert cb.required_datasets == ["registry", "baseline", "followup"]
    for name in cb.required_datasets:
        ds = cb[name]
        assert ds.variables[0].name == ds.id == "id"
        assert ds[ds.id].required and not ds.optional


def test_loader_lists_agree_with_the_codebook(cb):
    from ipsreport.load import ALL_DATASETS, DATASETS, OPTIONAL_DATASETS

    assert list(DATASETS) == cb.required_datasets
    assert list(OPTIONAL_DATASETS) == cb.optional_datasets
    assert list(ALL_DATASETS) == list(cb.datasets)


def test_optional_fidelity_dataset(cb):
    ds = cb["fidelity"]
    assert ds.optional and ds.id is None
    assert [v.name for v in ds.variables[:3]] == ["site", "review_date", "reviewer_type"]
    assert all(ds[n].required for n in ("site", "review_date", "reviewer_type"))
    assert ds["site"].references == ("registry", "site")
    assert ds["reviewer_type"].values == {1: "Ekstern", 2: "Intern / selvevaluering"}
    items = ds.group("fidelity_items")
    assert len(items) == 25 and len(ds.variables) == 28
    assert items[0].name.startswith("f01_") and items[-1].name.startswith("f25_")
    for var in items:
        assert var.codes == [1, 2, 3, 4, 5] and var.ordered and not var.required
        assert var.label and var.label == var.label.strip()
    assert len({v.label for v in items}) == 25
    # The bands run without gaps from one point per item to five.
    bands = cb.scores["fidelity"]["bands"]
    assert [b["upper"] for b in bands] == [73, 99, 114, 125] and cb.scores["fidelity"]["group"] == "fidelity_items"


def test_unknown_reference_is_reported(tmp_path):
    bad = {
        "datasets": {
            "registry": {"variables": [{"name": "site", "label": "S", "type": "string"}]},
            "fidelity": {"optional": True, "id": None, "variables": [
                {"name": "site", "label": "S", "type": "string", "references": "registry.place"}]},
        },
        "scales": {},
    }
    path = tmp_path / "codebook.yml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(ValueError, match=r"datasets.fidelity.site: unknown reference registry.place"):
        load_codebook(path)


def test_categories_have_labels_in_print_order(cb):
    duration = cb["followup"]["duration"]
    assert duration.codes == [1, 2, 3, 4, 5, 6, 7]
    assert duration.values[1] == "Under 2 måneder"
    who5 = cb["baseline"]["who5_1"]
    assert who5.codes == [5, 4, 3, 2, 1, 0]  # printed from best to worst


def test_every_variable_is_well_formed(cb):
    for ds in cb.datasets.values():
        names = ds.names
        assert len(names) == len(set(names)), f"duplicate variable in {ds.name}"
        for var in ds.variables:
            assert var.label, var.name
            if var.type == "category":
                assert var.values
            if var.asked_if:
                referenced = {w for w in var.asked_if.replace("=", " ").split() if w.isidentifier()}
                assert referenced <= set(names), f"{ds.name}.{var.name} asks on unknown {referenced - set(names)}"


def test_repeated_measures_exist_in_both_surveys(cb):
    for name in ["who5_1", "who5_5", "mastery_1", "mastery_3", "loneliness", "burden"]:
        assert cb["baseline"][name].values == cb["followup"][name].values


def test_rules_have_danish_descriptions(cb):
    ids = {r["id"] for r in cb.rules}
    assert {"unique_ids", "followup_in_baseline", "baseline_in_registry", "end_after_start", "exit_matches_end"} <= ids
    assert cb.rule("unique_ids").startswith("Hvert")


def test_unknown_scale_is_reported_with_location(tmp_path):
    bad = {
        "datasets": {"registry": {"variables": [{"name": "x", "label": "X", "type": "category", "scale": "nope"}]}},
        "scales": {},
    }
    path = tmp_path / "codebook.yml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(ValueError, match=r"datasets.registry.variables\[0\]: unknown scale 'nope'"):
        load_codebook(path)


def test_cross_file_rules_are_parsed_and_checked(cb, tmp_path):
    rule, = [r for r in cb.cross_rules if r.id == "enrolled_matches_registry"]
    assert (rule.dataset, rule.join) == ("followup", "registry")
    assert rule.columns(cb) == (["still_enrolled"], ["exit_status"])
    bad = yaml.safe_load(cb.path.read_text(encoding="utf-8"))
    bad["rules"].append({"id": "x", "description": "X", "dataset": "followup", "join": "registry",
                         "forbidden": "registry.nope == 1"})
    path = tmp_path / "codebook.yml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=r"rules\[x\]: unknown variable registry.nope"):
        load_codebook(path)
