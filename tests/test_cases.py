"""Tests of the case appendices (ipsreport.outputs.cases) and the shipped case files."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from ipsreport.outputs import cases
from ipsreport.outputs.cases import CaseError, case_appendix, case_vignette, fig_case_timeline, load_case, load_cases

VALID = {
    "pseudonym": "Ida",
    "age": 21,
    "written": "2024-05",
    "consultant": "bo",
    "entities": {"bo": {"kind": "staff", "name": "Bo", "indefinite": "en konsulent", "definite": "konsulenten"}},
    "order": 1,
    "focus": "Et testforløb",
    "background": "Ida er en opdigtet ung.\nHun findes kun i testen.",
    "vignette": "Ida var ny i IPS UNG.",
    "highlight": "Ida kom i praktik.",
    "timeline": [
        {"date": "2024-01", "kind": "start", "text": "Start"},
        {"date": dt.date(2024, 2, 14), "kind": "placement", "text": "Praktik i en butik"},
        {"date": "2024-04", "kind": "job", "text": "Job", "approx": True, "when": "foråret 2024"},
    ],
    "supports": ["Samtaler"],
    "quotes": [{"who": "Ida", "text": "Det var godt."}, {"who": "Idas konsulent", "text": "Hun klarede det."}],
    "lessons": ["En lære"],
    "story": [{"heading": "Forløbet", "text": "Første afsnit.\nAndet afsnit.\nHun sagde \"ja\" og \"måske\"."}],
    "advice": "Prøv det.",
}


def write_case(folder, name="ida", **changes):
    data = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path = folder / f"{name}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# -- the shipped case files ---------------------------------------------------


def test_shipped_cases_load_in_appendix_order():
    loaded = load_cases()
    assert list(loaded) == ["frederik", "katrine", "sofie", "tobias"]
    assert [c.order for c in loaded.values()] == [1, 2, 3, 4]
    assert loaded["frederik"].written == dt.date(2023, 10, 1)
    assert loaded["katrine"].timeline[0].date == dt.date(2023, 3, 13)
    assert loaded["katrine"].timeline[0].day_known
    for case in loaded.values():
        assert 2 <= len(case.quotes) <= 3
        assert case.highlight or case.key == "tobias"


def test_every_case_has_a_qmd_with_its_label():
    from ipsreport.paths import REPORT_DIR

    for case in load_cases().values():
        qmd = REPORT_DIR / f"bilag-{case.order}-{case.key}.qmd"
        text = qmd.read_text(encoding="utf-8")
        assert f'ips.case_appendix("{case.key}")' in text
        assert f"#| label: fig-case-{case.key}" in text
        assert f"# Case {case.pseudonym} {{#sec-case-{case.key}}}" in text


# -- validation -------------------------------------------------------------


def test_valid_file_loads(tmp_path):
    case = load_case(write_case(tmp_path))
    assert case.key == "ida"
    assert case.timeline[1].label == "14. februar 2024"
    assert case.timeline[2].label == "foråret 2024"  # the source's words, never an invented month
    assert case.timeline[0].label == "januar 2024"


def test_a_case_file_edited_is_read_again(tmp_path):
    """Cases are kept per file text: the same text gives the same case, an edit is seen, a broken edit fails."""
    first = load_case(write_case(tmp_path, age=21))
    assert load_case(tmp_path / "ida.yml") is first  # same text: read once per process
    assert load_case(write_case(tmp_path, age=22)).age == 22
    write_case(tmp_path, age=12)
    for _ in range(2):  # a failing file is not kept: it fails every time
        with pytest.raises(CaseError):
            load_case(tmp_path / "ida.yml")


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"advice": None}, "advice", "feltet mangler, men skal altid udfyldes (regel: påkrævet_felt)"),
        ({"hobby": "fodbold"}, "hobby", "feltet findes ikke (tilladte felter: pseudonym, age, start_age, age_public, written,"),
        ({"age": "21"}, "age", 'værdien "21" skal være et helt tal (regel: heltal)'),
        ({"age": True}, "age", "værdien true skal være et helt tal"),
        ({"age": 12}, "age", "værdien 12 skal ligge mellem 13 og 49 (en alder i hele år) (regel: interval)"),
        ({"age": 50}, "age", "værdien 50 skal ligge mellem 13 og 49"),
        ({"start_age": 12}, "start_age", "værdien 12 skal ligge mellem 13 og 49"),
        ({"consultant": "anna"}, "consultant", 'værdien "anna" skal være nøglen til en medarbejder erklæret under '
                                               "entities med kind: staff (erklærede medarbejdere: bo) (regel: konsulent)"),
        ({"entities": {"bo": {"kind": "staff", "name": "Bo", "definite": "konsulenten"}}}, "entities.bo.indefinite",
         "feltet mangler: et navn, der ikke er offentligt (public: false), skal have en kategori"),
        ({"entities": {"bo": {"kind": "chef", "name": "Bo", "indefinite": "x", "definite": "y"}}},
         "entities.bo.kind", "skal være en af 'employer', 'place', 'staff' eller 'person'"),
        ({"entities": {"Bo": {"kind": "staff", "name": "Bo", "indefinite": "x", "definite": "y"}}}, "entities",
         'nøglen "Bo" skal være et kort navn med små bogstaver a-z, tal og _ (fx employer), og ikke age eller '
         "start_age (regel: nøgle)"),
        ({"age_public": "ja"}, "age_public", 'værdien "ja" skal være true eller false'),
        ({"order": 0}, "order", "værdien 0 skal være mindst 1 (regel: interval)"),
        ({"written": "maj 2024"}, "written", 'værdien "maj 2024" er ikke en måned skrevet ÅÅÅÅ-MM'),
        ({"written": "2024-13"}, "written", "ÅÅÅÅ-MM (YYYY-MM) (regel: måned)"),
        ({"focus": "  "}, "focus", 'værdien "  " skal være en tekst, der ikke er tom (regel: tekst)'),
        ({"timeline": []}, "timeline", "listen har 0 element(er), men skal have mindst 1 (regel: antal)"),
        ({"timeline": [{"date": "2024/01", "kind": "start", "text": "x"}]}, "timeline[0].date",
         'værdien "2024/01" er ikke en dato skrevet ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD'),
        ({"timeline": [{"date": "2024-02-30", "kind": "start", "text": "x"}]}, "timeline[0].date", "(regel: dato)"),
        ({"timeline": [{"date": "2024-01", "kind": "ferie", "text": "x"}]}, "timeline[0].kind",
         "værdien \"ferie\" skal være en af 'start', 'placement'"),
        ({"timeline": [{"date": "2024-01", "kind": "start"}]}, "timeline[0].text", "feltet mangler"),
        ({"timeline": [{"date": "2024-01", "kind": "start", "text": "x", "sted": "y"}]}, "timeline[0].sted",
         "feltet findes ikke (tilladte felter: date, kind, text, approx, when) (regel: ukendt_felt)"),
        ({"timeline": [{"date": "2024-01", "kind": "start", "text": "x", "approx": "ja"}]}, "timeline[0].approx",
         'værdien "ja" skal være true eller false'),
        (
            {"timeline": [{"date": "2024-03", "kind": "start", "text": "x"}, {"date": "2024-02", "kind": "job", "text": "y"}]},
            "timeline[1].date",
            'værdien "2024-02" ligger før den forrige hændelse (2024-03-01); hændelserne skal stå i tidsorden',
        ),
        ({"timeline": [{"date": "2024-06", "kind": "start", "text": "x"}]}, "timeline[0].date",
         "ligger efter måneden, hvor casen blev skrevet (2024-05) (regel: efter_skrevet)"),
        ({"quotes": [{"who": "Ida", "text": "x"}]}, "quotes", "listen har 1 element(er), men skal have mindst 2"),
        ({"quotes": [{"who": "Ida", "text": "x"}, {"text": "y"}]}, "quotes[1].who", "feltet mangler"),
        ({"supports": []}, "supports", "mindst 1"),
        ({"story": [{"heading": "H"}]}, "story[0].text", "feltet mangler"),
    ],
)
def test_schema_errors_name_file_field_and_rule(tmp_path, changes, field, rule):
    path = write_case(tmp_path, **changes)
    with pytest.raises(CaseError) as info:
        load_case(path)
    message = str(info.value)
    assert message.startswith(f"ida.yml, feltet {field}:"), message
    assert rule in message, message
    assert "(regel: " in message
    for english in ("Input should", "Field required", "validation error", "must be", "pydantic"):
        assert english not in message


def test_every_problem_of_a_file_is_listed(tmp_path):
    path = write_case(tmp_path, age="21", hobby="fodbold", advice=None)
    with pytest.raises(CaseError) as info:
        load_case(path)
    fields = sorted(line.split(":")[0] for line in str(info.value).splitlines())
    assert fields == ["ida.yml, feltet advice", "ida.yml, feltet age", "ida.yml, feltet hobby"]


def test_not_a_mapping(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(CaseError, match=r"^x\.yml: filen skal være en samling af felter .*ikke en liste"):
        load_case(path)


def test_not_yaml(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("pseudonym: [Ida\n", encoding="utf-8")
    with pytest.raises(CaseError, match=r"^x\.yml: filen kan ikke læses som YAML \(linje \d+, kolonne \d+\)"):
        load_case(path)


def test_duplicate_order_across_files(tmp_path):
    write_case(tmp_path, "ida")
    write_case(tmp_path, "jon", pseudonym="Jon")
    with pytest.raises(CaseError, match=r"^jon\.yml, feltet order: værdien 1 bruges også af ida\.yml; hver case skal "
                                        r"have sit eget bilagsnummer \(regel: unik_rækkefølge\)"):
        load_cases(tmp_path)


# -- markdown ---------------------------------------------------------------


def test_case_appendix_markdown(tmp_path):
    write_case(tmp_path)
    md = case_appendix("ida", tmp_path)
    assert isinstance(md, str)
    assert repr(md) == str(md)  # shows unquoted in a notebook
    assert md.startswith("*Ida er et pseudonym, og medarbejdere nævnes ikke ved navn. Casen er skrevet i maj 2024, "
                         "da Ida var først i tyverne.*\n")
    headings = [line.removesuffix(" {.unlisted}") for line in md.splitlines() if line.startswith("#")]
    assert all(line.endswith("{.unlisted}") for line in md.splitlines() if line.startswith("#"))  # kept out of the TOC
    assert headings == [
        "## Om Ida",
        "## Forløbet i korte træk",
        "## Forløbet",
        "## Støtte undervejs",
        "## Sagt i interviewene",
        "## Konsulentens læring fra forløbet",
        "## Idas råd til andre unge i IPS UNG",
    ]
    assert "- **Virksomhedspraktik (14. februar 2024):** Praktik i en butik" in md
    assert "- **Job (foråret 2024):** Job" in md  # the source's words for a time without a month
    assert "Første afsnit.\n\nAndet afsnit." in md  # one paragraph per line of the text
    assert "> »Hun klarede det.«\n>\n> — Idas konsulent" in md
    assert md.rstrip().endswith("> »Prøv det.«")
    assert "Hun sagde »ja« og »måske«." in md  # straight quotes become Danish guillemets


def test_genitive_of_names_ending_in_s():
    md = case_appendix("tobias")
    assert "## Tobias' råd til andre unge i IPS UNG {.unlisted}" in md


def test_case_vignette(tmp_path):
    write_case(tmp_path)
    assert case_vignette("ida", cases_dir=tmp_path) == "> **Case 1: Ida**\n>\n> Ida var ny i IPS UNG.\n"
    assert "Ida kom i praktik." in case_vignette("ida", "highlight", tmp_path)
    with pytest.raises(ValueError, match="intro"):
        case_vignette("ida", "long", tmp_path)


def test_highlight_is_needed_for_the_chapter_box(tmp_path):
    write_case(tmp_path, highlight=None)
    assert "Ida var ny" in case_vignette("ida", cases_dir=tmp_path)
    with pytest.raises(CaseError, match=r"^ida\.yml, feltet highlight: feltet mangler.*\(regel: påkrævet_felt\)"):
        case_vignette("ida", "highlight", tmp_path)


def test_unknown_case_name(tmp_path):
    write_case(tmp_path)
    with pytest.raises(KeyError, match="known cases: \\['ida'\\]"):
        case_appendix("ole", tmp_path)


def test_show_case_prints(tmp_path, capsys):
    write_case(tmp_path)
    cases.show_case("ida", tmp_path)
    assert capsys.readouterr().out.startswith("*Ida er et pseudonym")


# -- timeline figure ------------------------------------------------------------


def test_fig_case_timeline(tmp_path):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    write_case(tmp_path)
    before = plt.get_fignums()
    fig = fig_case_timeline("ida", tmp_path)
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == before  # object API: nothing left in pyplot
    ax = fig.axes[0]
    from matplotlib.collections import PathCollection

    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points) == 3
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "jan\n2024" in ticks and "apr\n2024" in ticks
    texts = [t.get_text() for t in ax.texts]
    assert "14. februar 2024\nPraktik i en butik" in texts
    assert any(t.startswith("foråret 2024") for t in texts)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Opstart", "Virksomhedspraktik", "Job", "Tidspunkt ikke præcist oplyst"]
    # approximate dates are drawn hollow (white face)
    faces = [tuple(c.get_facecolors()[0]) for c in points]
    assert faces[2] == (1.0, 1.0, 1.0, 1.0) and faces[0] != (1.0, 1.0, 1.0, 1.0)


def test_labels_do_not_overlap_on_shipped_cases():
    for key in load_cases():
        fig = fig_case_timeline(key)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), key


def test_timeline_is_cropped_to_the_rows_it_uses(tmp_path):
    # Three events on one year: one label row above and one below the axis,
    # so the unused rows are cut away and the figure is shorter than 11 cm;
    # every label and the legend still lie inside the figure.
    write_case(tmp_path)
    fig = fig_case_timeline("ida", tmp_path)
    assert fig.get_figheight() < 11 / 2.54 - 0.5
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    for artist in [*fig.axes[0].texts, fig.legends[0]]:
        box = artist.get_window_extent(renderer)
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, artist
        assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, artist
    # The legend sits below the month labels, not on top of them.
    ticks = [t.get_window_extent(renderer) for t in fig.axes[0].get_xticklabels() if t.get_text()]
    legend = fig.legends[0].get_window_extent(renderer)
    assert all(legend.y1 <= t.y0 + 1 for t in ticks)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Opstart", "Virksomhedspraktik", "Job", "Tidspunkt ikke præcist oplyst"]


def test_an_approximate_date_needs_the_sources_words(tmp_path):
    timeline = [{"date": "2024-01", "kind": "start", "text": "Start"},
                {"date": "2024-04", "kind": "job", "text": "Job", "approx": True}]
    with pytest.raises(CaseError, match=r"^ida\.yml, feltet timeline\[1\]\.when: .*så ingen måned bliver opfundet "
                                        r"\(regel: tidspunkt\)"):
        load_case(write_case(tmp_path, timeline=timeline))


def test_lessons_are_optional_and_printed_as_the_consultants(tmp_path):
    write_case(tmp_path, lessons=None)
    md = case_appendix("ida", tmp_path)
    assert "læring" not in md.lower()


def test_shipped_cases_invent_no_months_and_no_lessons():
    """The case appendices hold what the 2025 case study says: no "ca. <month>" labels, and
    learning points only where the case study states them (Katrine's consultant's)."""
    for key, case in load_cases().items():
        assert all(not e.approx or e.when for e in case.timeline), key
        md = case_appendix(key)
        assert "ca. " not in md, key
        assert bool(case.lessons) == (key == "katrine"), key


def test_danish_month_names_come_from_babel():
    names = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
             "november", "december"]
    short = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    for month in range(1, 13):
        date = dt.date(2023, month, 1)
        assert cases.danish_month(date) == f"{names[month - 1]} 2023"
        assert cases.danish_month(date, short=True) == f"{short[month - 1]} 2023"
