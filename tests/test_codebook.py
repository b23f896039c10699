"""The codebook is complete enough to drive loading, validation and generation."""

from __future__ import annotations

import pytest
import yaml

from ipsreport.inputs.codebook.codebook import CodebookError, load_codebook


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
    from ipsreport.inputs.load import ALL_DATASETS, DATASETS, OPTIONAL_DATASETS

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
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert str(info.value).startswith(
        'codebook.yml, datasets.fidelity.variables[0].references (name: site): værdien "registry.place" findes '
        "ikke: datasættet registry har ingen variabel place (regel: reference)"
    )


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
    with pytest.raises(ValueError, match=r'^codebook\.yml, datasets\.registry\.variables\[0\]\.scale \(name: x\): '
                                         r'skalaen "nope" findes ikke under scales \(kendte skalaer: ingen\) '
                                         r'\(regel: kendt_skala\)'):
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
    index = len(bad["rules"]) - 1
    with pytest.raises(CodebookError, match=rf"^codebook\.yml, rules\[{index}\]\.forbidden \(id: x\): variablen "
                                            r"registry\.nope findes ikke .*\(regel: kendt_variabel\)"):
        load_codebook(path)


# --------------------------------------------------------------------------- malformed codebooks


def _write(tmp_path, data) -> object:
    path = tmp_path / "codebook.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _minimal(**variable):
    return {"datasets": {"registry": {"variables": [{"name": "id", "label": "Id", "type": "id", **variable}]}}}


@pytest.mark.parametrize(
    ("variable", "expected"),
    [
        ({"requried": True},
         "codebook.yml, datasets.registry.variables[0].requried (name: id): feltet findes ikke (tilladte felter: "
         "name, label, type, scale, range, required, required_if_asked, asked_if, group, used_in, references) "
         "(regel: ukendt_felt)"),
        ({"type": "text"},
         "codebook.yml, datasets.registry.variables[0].type (name: id): værdien \"text\" skal være en af 'id', "
         "'string', 'date', 'integer', 'number' eller 'category' (regel: tilladte_værdier)"),
        ({"required": "måske"},
         "codebook.yml, datasets.registry.variables[0].required (name: id): værdien \"måske\" skal være true eller "
         "false (regel: sand_falsk)"),
        ({"name": "my id"},
         "codebook.yml, datasets.registry.variables[0].name (name: my id): værdien \"my id\" er ikke et gyldigt navn"),
        ({"type": "integer", "range": [5, 1]},
         "codebook.yml, datasets.registry.variables[0].range (name: id): værdien [5, 1] er ikke et interval"),
        ({"type": "category"},
         "codebook.yml, datasets.registry.variables[0] (name: id): variablen id har typen category, men ingen scale"),
        ({"references": "registry"},
         "codebook.yml, datasets.registry.variables[0].references (name: id): værdien \"registry\" er ikke skrevet "
         "datasæt.variabel"),
    ],
)
def test_malformed_variable_is_named_in_danish(tmp_path, variable, expected):
    with pytest.raises(CodebookError) as info:
        load_codebook(_write(tmp_path, _minimal(**variable)))
    message = str(info.value)
    assert message.startswith(expected), message
    assert "Ret kodebogen" in message
    for english in ("Input should", "Field required", "validation error", "Traceback", "pydantic"):
        assert english not in message


def test_every_problem_is_listed_at_once(tmp_path):
    data = _minimal(type="text")
    data["datasets"]["registry"]["variables"].append({"name": "x", "type": "string"})  # no label
    data["datasets"]["registry"]["labl"] = "Register"
    with pytest.raises(CodebookError) as info:
        load_codebook(_write(tmp_path, data))
    lines = str(info.value).splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith("codebook.yml, datasets.registry.variables[0].type (name: id): værdien \"text\"")
    assert lines[1].startswith("codebook.yml, datasets.registry.variables[1].label (name: x): feltet mangler, men "
                               "skal altid udfyldes (regel: påkrævet_felt)")
    assert lines[2].startswith("codebook.yml, datasets.registry.labl: feltet findes ikke")


def test_missing_label_of_a_cross_rule_and_unknown_dataset(tmp_path):
    data = _minimal()
    data["rules"] = [{"id": "r", "description": "R", "dataset": "registry", "forbidden": "id == 1"},
                     {"id": "s", "description": "S", "dataset": "registry", "join": "surveys", "forbidden": "id == 1"}]
    with pytest.raises(CodebookError) as info:
        load_codebook(_write(tmp_path, data))
    assert str(info.value).startswith("codebook.yml, rules[0] (id: r): reglen r mangler join")
    data["rules"].pop(0)
    with pytest.raises(CodebookError) as info:
        load_codebook(_write(tmp_path, data))
    assert str(info.value).startswith('codebook.yml, rules[0].join (id: s): datasættet "surveys" findes ikke under '
                                      "datasets (kendte datasæt: registry) (regel: kendt_datasæt)")


def test_unknown_unique_column_and_repeated_variable(tmp_path):
    data = _minimal()
    data["datasets"]["registry"]["variables"].append({"name": "id", "label": "Igen", "type": "string"})
    data["datasets"]["registry"]["unique"] = ["site"]
    with pytest.raises(CodebookError) as info:
        load_codebook(_write(tmp_path, data))
    lines = str(info.value).splitlines()
    assert lines[0].startswith("codebook.yml, datasets.registry.variables[1].name (name: id): variablen id står to "
                               "gange i registry (regel: unik_variabel)")
    assert lines[1].startswith("codebook.yml, datasets.registry.unique[0]: variablen site findes ikke i datasættet "
                               "registry (regel: kendt_variabel)")


def test_codebook_that_is_not_yaml(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text("datasets:\n  registry: [\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"^codebook\.yml, linje \d+, kolonne \d+: filen kan ikke læses som YAML"):
        load_codebook(path)


def test_codebook_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"^codebook\.yml: listen skal være en samling af felter"):
        load_codebook(path)


def test_missing_codebook_file(tmp_path):
    with pytest.raises(CodebookError, match=r"^codebook\.yml: filen findes ikke \(regel: fil\)\. Ret kodebogen "):
        load_codebook(tmp_path / "codebook.yml")


# --------------------------------------------------------------------------- the codebook appendix (Bilag 6)


def _text_of(table) -> str:
    import html
    import re

    body = table.as_raw_html()
    body = body[body.find("<table"):]
    text = html.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def test_tab_codebook_is_in_danish_words(fake):
    import re

    from ipsreport.outputs.tables import tab_codebook

    text = _text_of(tab_codebook(fake))
    assert text.startswith("Spørgsmål eller oplysning Svar Stilles til")
    for dataset in fake.codebook.datasets.values():
        assert dataset.label in text
        for var in dataset.variables:
            assert var.label in text
    # No column name of the data files (they are in data/codebook.yml, which the notes name).
    names = {v.name for d in fake.codebook.datasets.values() for v in d.variables if "_" in v.name}
    assert not [n for n in names if re.search(rf"\b{re.escape(n)}\b", text)]
    assert "data/codebook.yml" in text
    # Conditions as sentences, never as code.
    assert not re.search(r"[=!<>]=|\bexit_status\b|\bstill_enrolled\b", text)
    assert "Slutdato Dato Kun hvis den unge er afsluttet." in text
    assert "Kun hvis den unge stadig er i forløb." in text
    # A condition on the question just above says so instead of repeating it.
    assert ("Har du haft kontakt til psykiatrien under forløbet? 1 = Ja; 0 = Nej Der har været en god dialog mellem "
            "min IPS-konsulent og psykiatrien; ") in text
    assert "og psykiatrien; Min IPS-konsulent har været en god støtte i kontakten med psykiatrien; Samarbejdet med " \
           "psykiatrien har haft en positiv betydning for mit forløb 1 = I meget høj grad … 5 = Slet ikke Kun hvis " \
           "svaret ovenfor er »Ja«." in text
    assert "Køn 1 = Mand; 2 = Kvinde; 3 = Andet" in text and "Alder Heltal, 15–29" in text
    # A block of statements on one scale is one row with the scale's ends.
    assert ("Min IPS-konsulent har været god til at støtte mig; Jeg har haft indflydelse på, hvad der skulle ske "
            "i mit forløb; Forløbet har taget udgangspunkt i mine ønsker og behov 1 = I meget høj grad … 5 = Slet "
            "ikke") in text


def test_codebook_rows_are_compact(cb):
    from ipsreport.inputs.codebook.text import codebook_rows

    rows = codebook_rows(cb)
    n_variables = sum(len(d.variables) for d in cb.datasets.values())
    assert len(rows) < n_variables / 2
    # Every variable's label is in exactly the rows of its data file, in codebook order.
    for dataset in cb.datasets.values():
        items = [i for r in rows if r["dataset"] == dataset.label for i in r["items"]]
        assert items == [v.label for v in dataset.variables]
    # The end survey's repeated scales point to the start survey instead of repeating the answers.
    assert any(r["answers"] == f"Som i »{cb['baseline'].label}«" for r in rows)


@pytest.mark.parametrize(("condition", "expected"), [
    ("exit_status == 5", "Kun hvis den unge stadig er i forløb."),
    ("exit_status != 5", "Kun hvis den unge er afsluttet."),
    ("exit_status in [1, 2]", "Kun hvis »Afslutningsstatus« er »Afsluttet til job« eller »Afsluttet til fleksjob«."),
    ("placement_ever == 1", "Kun hvis »Har været i virksomhedsforløb« er »Ja«."),
    ("len(x) > 2", "Betingelse i datafilen: »len(x) > 2«."),  # outside the grammar: quoted, never guessed
    (None, ""),
])
def test_condition_sentence(cb, condition, expected):
    from ipsreport.inputs.codebook.text import condition_sentence

    assert condition_sentence(condition, cb["registry"]) == expected


def test_condition_on_another_question_is_named_unless_it_is_the_row_above(cb):
    from ipsreport.inputs.codebook.text import condition_sentence

    assert condition_sentence("psych_contact == 1", cb["followup"]) == (
        "Kun hvis svaret på »Har du haft kontakt til psykiatrien under forløbet?« er »Ja«.")


def test_condition_sentence_on_still_enrolled(cb):
    from ipsreport.inputs.codebook.text import condition_sentence

    assert condition_sentence("still_enrolled == 0", cb["followup"]) == "Kun hvis den unge er afsluttet."
    assert condition_sentence("still_enrolled == 1", cb["followup"]) == "Kun hvis den unge stadig er i forløb."


@pytest.mark.parametrize(("condition", "expected"), [
    ("exit_status == 5", "»Afslutningsstatus« er »Fortsat i forløb«"),
    ("exit_status != 5", "»Afslutningsstatus« ikke er »Fortsat i forløb«"),
    ("exit_status in [1, 2]", "»Afslutningsstatus« er »Afsluttet til job« eller »Afsluttet til fleksjob«"),
    ("exit_status == 5 and placement_ever == 1",
     "»Afslutningsstatus« er »Fortsat i forløb« og »Har været i virksomhedsforløb« er »Ja«"),
    ("len(x) > 2", "len(x) > 2"),  # outside the grammar: printed as written, never guessed
    (None, ""),
])
def test_condition_text(cb, condition, expected):
    from ipsreport.inputs.codebook.text import condition_text

    assert condition_text(condition, cb["registry"]) == expected
