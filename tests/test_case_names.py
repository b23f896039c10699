"""Pseudonymisation of the case files (ipsreport.outputs.cases.names): age bands, placeholders, the proper-name check."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsreport.outputs.cases import CaseError, age_band, case_appendix, case_vignette, fig_case_timeline, load_case, load_cases
from ipsreport.outputs.cases.names import AGE_BAND_MAX, AGE_BAND_MIN, COMMON_CAPITALISED, genitive
from test_cases import VALID, write_case  # tests/ is on sys.path under pytest

ENTITIES = {
    "bo": {"kind": "staff", "name": "Bo", "indefinite": "en konsulent", "definite": "konsulenten"},
    "employer": {"kind": "employer", "name": "Arriva", "indefinite": "en større transportvirksomhed",
                 "definite": "transportvirksomheden"},
    "unit": {"kind": "place", "name": "Ungeenheden", "public": True},
}


def load_with(tmp_path, **changes):
    changes.setdefault("entities", ENTITIES)
    return load_case(write_case(tmp_path, **changes))


def errors_of(tmp_path, **changes) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_with(tmp_path, **changes)
    return str(info.value).splitlines()


# --- age bands ------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "band"), [
    (13, "først i teenageårene"), (14, "midt i teenageårene"), (16, "midt i teenageårene"),
    (17, "sidst i teenageårene"), (19, "sidst i teenageårene"),
    (20, "først i tyverne"), (23, "først i tyverne"), (24, "midt i tyverne"), (26, "midt i tyverne"),
    (27, "sidst i tyverne"), (29, "sidst i tyverne"),
    (30, "først i trediverne"), (33, "først i trediverne"), (34, "midt i trediverne"), (37, "sidst i trediverne"),
    (40, "først i fyrrerne"), (49, "sidst i fyrrerne"),
])
def test_age_band_at_every_boundary(age, band):
    assert age_band(age) == band


@pytest.mark.parametrize("age", [AGE_BAND_MIN - 1, AGE_BAND_MAX + 1, 29.5, True, "29"])
def test_age_band_outside_the_bands(age):
    with pytest.raises(ValueError, match="age must be a whole number from 13 to 49"):
        age_band(age)


_ORDER = ("først", "midt", "sidst")


@given(st.integers(AGE_BAND_MIN, AGE_BAND_MAX - 1))
def test_age_bands_never_go_back(age):
    """An older age is in the same band or a later one, and a band spans at most four years."""
    a, b = age_band(age).split(" i "), age_band(age + 1).split(" i ")
    if a[1] == b[1]:
        assert _ORDER.index(a[0]) <= _ORDER.index(b[0])
    else:
        assert (a[0], b[0]) == ("sidst", "først") and age % 10 == 9
    same = [n for n in range(AGE_BAND_MIN, AGE_BAND_MAX + 1) if age_band(n) == age_band(age)]
    assert len(same) <= 4 and same == list(range(same[0], same[-1] + 1))


def test_genitive():
    assert genitive("konsulenten") == "konsulentens"
    assert genitive("Tobias") == "Tobias'"


# --- placeholders -----------------------------------------------------------------------


def test_placeholders_print_the_category(tmp_path):
    case = load_with(
        tmp_path,
        background="Ida fik job hos {employer}. Lederen i {employer:definite} kendte {unit}. "
                   "{employer:genitive} kantine er stor. Hun er {age}.",
        story=[{"heading": "Jobbet i {employer:definite}", "text": "{bo:definite} hjalp, og {unit} var med."}],
        advice="Stol på {bo:definite}. {bo:definite} ved besked om {unit}.",
    )
    assert case.background == ("Ida fik job hos en større transportvirksomhed. Lederen i transportvirksomheden kendte "
                               "Ungeenheden. Transportvirksomhedens kantine er stor. Hun er først i tyverne.")
    assert case.story[0].heading == "Jobbet i transportvirksomheden"
    assert case.story[0].text == "Konsulenten hjalp, og Ungeenheden var med."  # capital at the sentence start
    # In a quotation, a replaced name is marked as the editor's: [konsulenten]; a public name is not.
    assert case.advice == "Stol på [konsulenten]. [Konsulenten] ved besked om Ungeenheden."
    assert case.consultant == "konsulenten"


def test_public_entity_and_public_age_print_as_written(tmp_path):
    entities = {**ENTITIES, "employer": {**ENTITIES["employer"], "public": True}}
    case = load_with(tmp_path, entities=entities, age_public=True, start_age=20,
                     background="Han fik job i {employer:genitive} værksted hos {employer} som {start_age}.")
    assert case.background == "Han fik job i Arrivas værksted hos Arriva som 20 år."
    assert case.age_text == "21 år"
    assert "da Ida var 21 år" in case_appendix("ida", tmp_path)


def test_appendix_prints_the_age_band_and_says_what_is_unnamed(tmp_path):
    load_with(tmp_path)
    md = case_appendix("ida", tmp_path)
    assert md.splitlines()[0] == ("*Ida er et pseudonym, og arbejdspladser og medarbejdere nævnes ikke ved navn. "
                                  "Casen er skrevet i maj 2024, da Ida var først i tyverne.*")
    assert "21 år" not in md


# --- the proper-name check ----------------------------------------------------------------


def test_undeclared_name_inside_a_sentence_is_flagged(tmp_path):
    lines = errors_of(tmp_path, background="Ida var i praktik i Netto. Hun kunne lide det.")
    assert lines == [
        "ida.yml, feltet background: ordet »Netto« ligner et egennavn, men er ikke erklæret; erklær det under "
        "entities med en kategori (fx »en elektronikkæde«) og skriv en pladsholder, eller skriv ordet med lille "
        f"begyndelsesbogstav, hvis det ikke er et navn (regel: egennavn). Ret filen {tmp_path / 'ida.yml'}."
    ]


@pytest.mark.parametrize(("where", "changes"), [
    ("story[0].text", {"story": [{"heading": "H", "text": "Hun mødte Karen fra jobcentret."}]}),
    ("quotes[1].text", {"quotes": [VALID["quotes"][0], {"who": "Ida", "text": "Jeg kan lide Karen."}]}),
    ("quotes[1].who", {"quotes": [VALID["quotes"][0], {"who": "Lederen hos Føtex", "text": "Godt."}]}),
    ("timeline[1].text", {"timeline": [VALID["timeline"][0], {"date": "2024-02", "kind": "job", "text": "Job i Bilka"}]}),
    ("supports[0]", {"supports": ["Samtaler i Herlev"]}),
    ("lessons[0]", {"lessons": ["Tal med Karen tidligt."]}),
    ("focus", {"focus": "Et job i Lyngby"}),
    ("advice", {"advice": "Sig ja til Karen."}),
])
def test_every_prose_field_is_checked(tmp_path, where, changes):
    lines = errors_of(tmp_path, **changes)
    assert len(lines) == 1 and lines[0].startswith(f"ida.yml, feltet {where}: ordet »"), lines
    assert "(regel: egennavn)" in lines[0]


def test_what_is_allowed_capitalised(tmp_path):
    case = load_with(
        tmp_path,
        background=(
            "Ida startede i IPS UNG. Hun fik en IPS-konsulent og gik på AVU og VUC. Idas CV blev bedre. "
            "Han sagde: »Det går godt.« Hun nævnte Ungeenheden. \"Jeg kan\", sagde hun.\nNy linje her. "
            "Hvorfor? Fordi IPS UNG's gruppe hjalp."
        ),
    )
    assert "Ungeenheden" in case.background
    assert {"IPS", "UNG", "AVU", "VUC", "CV"} <= COMMON_CAPITALISED


def test_declared_name_written_out_is_flagged_anywhere(tmp_path):
    lines = errors_of(tmp_path, background="Arriva ansatte Ida. Hun kunne lide Arrivas kantine og Bo.")
    assert [re.search(r"»(\w+)«", line)[1] for line in lines] == ["Arriva", "Arrivas", "Bo"]
    assert lines[0].startswith("ida.yml, feltet background: navnet »Arriva« er erklæret under entities.employer "
                               "og må ikke stå i teksten; skriv {employer}, {employer:definite} eller "
                               "{employer:genitive}, så bogen trykker kategorien (regel: erklæret_navn).")


def test_a_category_must_not_contain_the_name(tmp_path):
    entities = {**ENTITIES, "employer": {**ENTITIES["employer"], "indefinite": "Arriva-koncernen"}}
    lines = errors_of(tmp_path, entities=entities)
    assert lines[0].startswith("ida.yml, feltet entities.employer: kategorien »Arriva-koncernen« indeholder selve "
                               "navnet »Arriva«")


@pytest.mark.parametrize(("text", "message"), [
    ("Hos {arbejdsgiver}.", "pladsholderen »{arbejdsgiver}« er ikke erklæret (erklærede: {bo}, {employer}, {unit}, "
                            "{age}, {start_age}); erklær den under entities, eller ret stavningen (regel: pladsholder)"),
    ("Hos {employer:flertal}.", "pladsholderen »{employer:flertal}« beder om formen »flertal«, som ikke findes "
                                "(tilladte former: indefinite, definite, genitive) (regel: pladsholder)"),
    ("Hun er {age:definite}.", "beder om formen »definite«, som ikke findes (tilladte former: ingen; en alder "
                               "skrives {age})"),
    ("Hun var {start_age}.", "pladsholderen »{start_age}« kræver feltet start_age (alderen ved opstart)"),
    ("Hos {Employer}.", "pladsholderen »{Employer}« er ikke erklæret"),
])
def test_placeholder_errors(tmp_path, text, message):
    lines = errors_of(tmp_path, background=text)
    assert len(lines) == 1 and lines[0].startswith("ida.yml, feltet background: "), lines
    assert message in lines[0]


def test_every_problem_is_listed(tmp_path):
    lines = errors_of(tmp_path, background="Bo og Karen.", advice="Tak til Herlev og {x}.")
    assert len(lines) == 4
    assert [line.split(":")[0] for line in lines] == ["ida.yml, feltet background"] * 2 + ["ida.yml, feltet advice"] * 2


# --- the shipped cases ---------------------------------------------------------------------


def shipped_outputs(key: str) -> str:
    fig = fig_case_timeline(key)
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    boxes = [case_vignette(key)] + ([case_vignette(key, "highlight")] if key != "tobias" else [])
    return "\n".join([case_appendix(key), *boxes, *texts])


@pytest.mark.parametrize("key", ["frederik", "katrine", "sofie", "tobias"])
def test_shipped_cases_print_no_declared_name_and_no_exact_age(key):
    import yaml

    from ipsreport.paths import CASES_DIR

    raw = yaml.safe_load((CASES_DIR / f"{key}.yml").read_text(encoding="utf-8"))
    hidden = [e["name"] for e in raw["entities"].values() if not e.get("public")]
    assert hidden, "each shipped case declares its consultant"
    out = shipped_outputs(key)
    for name in hidden:
        assert not re.search(rf"\b{re.escape(name)}", out), name
    assert not re.search(r"(?<!under )\b\d\d år\b", out)  # ages as bands, never "30 år" (a limit, "under 18 år", is no age)
    assert "{" not in out.replace("{.unlisted}", "")  # every placeholder resolved
    assert "måned ikke oplyst" not in out


def test_shipped_cases_name_no_employer_and_no_staff():
    cases = load_cases()
    assert all(c.consultant == "konsulenten" for c in cases.values())
    md = case_appendix("frederik")
    assert "en større transportvirksomhed" in md and "Arriva" not in md
    assert "psykolog" not in case_appendix("sofie")  # the consultant's background is not printed with her


def test_case_qmds_say_nothing_about_missing_months():
    from ipsreport.paths import REPORT_DIR

    for case in load_cases().values():
        text = (REPORT_DIR / f"bilag-{case.order}-{case.key}.qmd").read_text(encoding="utf-8")
        assert "Hvor casen ikke oplyser måneden" not in text
