"""Tests of the chapter linter (ipsreport.book.lint): one hand-made snippet per rule."""

from __future__ import annotations

import textwrap

import pytest

from ipsreport.book.lint import default_paths, lint_chapters, main, parse_chapter, typed_numbers

PREAMBLE = """\
```{python}
#| include: false
import ipsreport.api as ips
d = ips.edition()
f = ips.facts(d)
```
"""


def write(tmp_path, name: str, body: str):
    path = tmp_path / name
    path.write_text(PREAMBLE + "\n" + textwrap.dedent(body), encoding="utf-8")
    return path


def rules(problems) -> list[str]:
    return sorted(p.rule for p in problems)


GOOD = """\
# Kapitel {#sec-kap}

Varigheden ses i @tbl-duration, og trivslen i @fig-who5.

```{python}
#| label: tbl-duration
#| tbl-cap: "Forløbenes varighed"
ips.tab_duration(d)
```

```{python}
#| label: fig-who5
#| fig-cap: "Trivsel"
#| fig-alt: "Linjer for hver ung fra start til afslutning."
ips.fig_who5(d)
```
"""


def test_good_chapter_passes(tmp_path):
    assert lint_chapters([write(tmp_path, "good.qmd", GOOD)]) == []


def test_parse_chapter_reads_cells_labels_and_refs(tmp_path):
    ch = parse_chapter(write(tmp_path, "good.qmd", GOOD))
    assert [c.options.get("label") for c in ch.cells] == [None, "tbl-duration", "fig-who5"]
    assert ch.cells[1].options["tbl-cap"] == "Forløbenes varighed"  # quotes stripped
    assert ch.cells[1].source == "ips.tab_duration(d)"
    assert set(ch.labels) == {"sec-kap", "tbl-duration", "fig-who5"}
    assert [r for _, r in ch.refs] == ["tbl-duration", "fig-who5"]


@pytest.mark.parametrize(
    ("remove", "rule"),
    [
        ('#| fig-alt: "Linjer for hver ung fra start til afslutning."\n', "fig-alt"),
        ('#| fig-cap: "Trivsel"\n', "fig-cap"),
        ('#| tbl-cap: "Forløbenes varighed"\n', "tbl-cap"),
    ],
)
def test_missing_caption_or_alt(tmp_path, remove, rule):
    problems = lint_chapters([write(tmp_path, "c.qmd", GOOD.replace(remove, ""))])
    assert rules(problems) == [rule]


def test_unreferenced_label(tmp_path):
    body = GOOD.replace(" og trivslen i @fig-who5", "")
    problems = lint_chapters([write(tmp_path, "c.qmd", body)])
    assert rules(problems) == ["unreferenced"]
    assert "fig-who5" in problems[0].message


def test_reference_after_the_table_is_late(tmp_path):
    body = GOOD.replace("Varigheden ses i @tbl-duration, og", "Se") + "\nSom vist i @tbl-duration.\n"
    problems = lint_chapters([write(tmp_path, "c.qmd", body)])
    assert rules(problems) == ["referenced-late"]


def test_reference_in_an_earlier_chapter_counts_as_before(tmp_path):
    first = write(tmp_path, "a.qmd", "# A {#sec-a}\n\nSe @tbl-duration i næste kapitel.\n")
    second = write(tmp_path, "b.qmd", GOOD.replace("Varigheden ses i @tbl-duration, og", "Se").replace("{#sec-kap}", "{#sec-b}"))
    assert lint_chapters([first, second]) == []


def test_unknown_and_capitalised_refs(tmp_path):
    body = GOOD + "\n@Sec-kap er dette kapitel, men @fig-mangler findes ikke.\n"
    problems = lint_chapters([write(tmp_path, "c.qmd", body)])
    assert rules(problems) == ["unknown-ref"]
    assert "fig-mangler" in problems[0].message


def test_e_mail_addresses_are_not_refs(tmp_path):
    body = GOOD + "\nSkriv til info@fig-firma.dk.\n"
    assert lint_chapters([write(tmp_path, "c.qmd", body)]) == []


def test_duplicate_label_across_files(tmp_path):
    a = write(tmp_path, "a.qmd", GOOD)
    b = write(tmp_path, "b.qmd", GOOD.replace("{#sec-kap}", "{#sec-b}"))
    problems = lint_chapters([a, b])
    assert rules(problems) == ["duplicate-label", "duplicate-label"]  # tbl-duration and fig-who5
    assert {p.path for p in problems} == {b}


def test_long_cell(tmp_path):
    body = GOOD.replace("ips.tab_duration(d)", "x = 1\ny = 2\nz = x + y\nips.tab_duration(d)")
    problems = lint_chapters([write(tmp_path, "c.qmd", body)])
    assert rules(problems) == ["long-cell"]
    assert "4 lines" in problems[0].message


def test_three_lines_and_comments_are_fine(tmp_path):
    body = GOOD.replace("ips.tab_duration(d)", "# a comment\nt = ips.tab_duration(d)\n\nt")
    assert lint_chapters([write(tmp_path, "c.qmd", body)]) == []


def test_function_needs_matching_label_kind(tmp_path):
    body = GOOD.replace("#| label: tbl-duration\n", "#| label: fig-duration\n#| fig-alt: \"x\"\n#| fig-cap: \"y\"\n")
    body = body.replace("@tbl-duration", "@fig-duration")
    problems = lint_chapters([write(tmp_path, "c.qmd", body)])
    assert "label-kind" in rules(problems)


@pytest.mark.parametrize(
    "sentence",
    [
        "Hele 62 % svarer ja.",
        "Det gælder 62% af dem.",
        "Det gælder 62 procent af dem.",
        "I alt 26 ud af 43 kom i job.",
        "Det er seks ud af ti.",
        "Gennemsnittet er 7,85.",
        "Trivslen steg fra 49 til 51.",
        "Tabellen bygger på N: 55 svar.",
        "Heraf var 13 unge i behandling.",
        "Kun 16 deltagere svarede.",
        "De er i gennemsnit 22 år.",
        # definitions that come from settings or data (fidelity limit, confidence level from alpha,
        # the project period, counts of interviews and cases)
        "Projektet løb fra december 2022 til maj 2025.",
        "Indsatsen kørte fra marts 2023 til februar 2025.",
        "En konsulent har højst 25 unge ad gangen.",
        "Vi viser et 95 %-konfidensinterval.",
        "I foråret 2024 blev seks af indsatsens kommunale samarbejdspartnere interviewet.",
        "Interview med fire unge, foretaget af en servicedesigner.",
        "For at komme tættere på er fire forløb undersøgt som cases.",
        "Indsatsen med unge i forløb kørte i to år.",
    ],
)
def test_typed_numbers_are_found(sentence):
    assert typed_numbers(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Målgruppen er unge mellem 15 og 29 år.",
        "Målgruppen er 15–29-årige.",
        "Skalaen går fra 1 (aldrig) til 5 (meget ofte).",
        "WHO-5 måler på en skala fra 0 til 100.",
        "Intervallet 36–50 er en risikozone.",
        "Projektet løb `{python} f.project_period`.",
        "Evalueringen sluttede den 1. maj 2025.",
        "Se kapitel 3 og afsnit 4.1 samt bilag 1–4.",
        "En konsulent har højst `{python} f.caseload_limit` unge ad gangen.",
        "Signifikant betyder p < 0,05.",
        "Vi viser et `{python} f.confidence_level`-konfidensinterval.",
        # thresholds of categories and questions are definitions
        "Seks ud af ti havde været i forløb i mere end seks måneder.".replace("Seks ud af ti", "`{python} f.x`"),
        "Hver femte er over tyve år.",
        "Spørgsmålet gælder de seneste fire uger.",
        "Et forløb har typisk tre faser.",
        "Hele `{python} f.female_pct` er kvinder, i alt `{python} f.baseline_n` unge.",
        "Det gælder unge under 18 år.",
    ],
)
def test_definitions_and_inline_expressions_are_allowed(sentence):
    assert typed_numbers(sentence) == [], sentence


def test_typed_number_reported_with_line(tmp_path):
    body = GOOD + "\nHele 62 % svarer ja.\n"
    path = write(tmp_path, "c.qmd", body)
    problems = lint_chapters([path])
    assert rules(problems) == ["typed-number"]
    line = path.read_text(encoding="utf-8").splitlines()[problems[0].line - 1]
    assert "62 %" in line


def test_numbers_in_alt_text_and_captions(tmp_path):
    body = GOOD.replace('"Linjer for hver ung fra start til afslutning."', '"Gennemsnittet steg til 51."')
    body = body.replace('"Forløbenes varighed"', '"Forløbenes varighed (N 43)"')
    problems = lint_chapters([write(tmp_path, "c.qmd", body)])
    assert rules(problems) == ["typed-number", "typed-number"]


def test_numbers_inside_code_cells_and_front_matter_are_ignored(tmp_path):
    body = "---\ntitle: \"62 % af 55 unge\"\n---\n\n" + GOOD.replace("ips.fig_who5(d)", "ips.fig_who5(d)  # 62 % unge")
    path = tmp_path / "c.qmd"
    path.write_text(body, encoding="utf-8")
    assert lint_chapters([path]) == []


@pytest.mark.parametrize(
    "markup",
    [
        "<div class='x'>tekst</div>",
        "\\newpage",
        "{{< pagebreak >}}",
        "::: {.panel-tabset}",
        "```{=html}\n<b>x</b>\n```",
    ],
)
def test_unsupported_markup(tmp_path, markup):
    problems = lint_chapters([write(tmp_path, "c.qmd", GOOD + "\n" + markup + "\n")])
    assert "markup" in rules(problems)


def test_html_comments_are_ignored(tmp_path):
    body = GOOD + "\n<!-- 62 % af\n43 unge -->\n"
    assert lint_chapters([write(tmp_path, "c.qmd", body)]) == []


def test_cli_exit_status(tmp_path, capsys):
    good = write(tmp_path, "good.qmd", GOOD)
    bad = write(tmp_path, "bad.qmd", GOOD.replace("{#sec-kap}", "{#sec-bad}").replace("tbl-duration", "tbl-x").replace("fig-who5", "fig-y") + "\n62 % unge.\n")
    assert main([str(good)]) == 0
    assert main([str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:" in out and "typed-number" in out


def test_real_chapters_pass():
    paths = default_paths()
    names = [p.name for p in paths]
    assert names[0] == "index.qmd"
    assert "01-indledning.qmd" in names and "bilag-8-reproduktion.qmd" in names
    assert names.index("07-udbytte.qmd") < names.index("bilag-1-frederik.qmd")
    problems = lint_chapters(paths)
    assert problems == [], "\n".join(map(str, problems))


def test_real_chapters_use_the_preamble_and_label_every_item():
    """Every computing chapter opens with its parameters cell and reads the render's saved run, nothing else."""
    for path in default_paths():
        ch = parse_chapter(path)
        if not ch.cells and "`{python}" not in path.read_text(encoding="utf-8"):
            continue  # prose only (the reference list): nothing to compute
        parameters, preamble = ch.cells[0], ch.cells[1]
        assert parameters.options["tags"] == ["parameters"] and parameters.options["include"] is False, path
        assert [c.split("#")[0].strip() for c in parameters.source.splitlines()] == ["results = None"], path
        assert preamble.options["include"] is False, path
        assert [c.strip() for c in preamble.source.splitlines()] == [
            "import ipsreport.api as ips", "r = ips.results(results)", "d, f = r.edition, r.facts"], path
        assert "IPSREPORT_" not in path.read_text(encoding="utf-8"), path


def test_multi_line_option_is_read_as_the_renderer_reads_it(tmp_path):
    # A folded YAML option spans several `#|` lines; the renderer reads the
    # whole value, so the linter must see the typed number in it too.
    folded = '#| fig-alt: >-\n#|   Linjer for hver ung; gennemsnittet\n#|   steg til 51.\n'
    body = GOOD.replace('#| fig-alt: "Linjer for hver ung fra start til afslutning."\n', folded)
    problems = lint_chapters([write(tmp_path, "c.qmd", body)])
    assert rules(problems) == ["typed-number"]
    assert "fig-alt" in problems[0].message and "51" in problems[0].message


@pytest.mark.parametrize(
    ("cell", "line"),
    [
        ('```{python}\n#| fig-cap: "ikke lukket\n1\n```\n', 1),  # invalid YAML options
        ("```{r}\n1\n```\n", 1),  # a language the renderer does not run
    ],
)
def test_what_the_renderer_cannot_parse_is_a_problem(tmp_path, cell, line):
    path = write(tmp_path, "c.qmd", GOOD + "\n" + cell)
    problems = lint_chapters([path])
    assert rules(problems) == ["parse"]
    first_fence = len((PREAMBLE + "\n" + GOOD + "\n").splitlines()) + line
    assert problems[0].line == first_fence and problems[0].path == path


def test_code_blocks_in_prose_are_not_prose(tmp_path):
    body = GOOD + "\n```\nHele 62 % svarer ja. @fig-mangler\n```\n\nEfter blokken: 13 unge.\n"
    path = write(tmp_path, "c.qmd", body)
    problems = lint_chapters([path])
    assert rules(problems) == ["typed-number"]
    assert "13 unge" in path.read_text(encoding="utf-8").splitlines()[problems[0].line - 1]


def test_default_paths_are_the_books_chapters_in_book_order():
    from ipsreport.paths import PROJECT_DIR
    from ipsreport.render.config import load_project

    assert default_paths() == load_project(PROJECT_DIR).files
    assert [p.name for p in default_paths()][:2] == ["index.qmd", "kolofon.qmd"]


def test_appendix_file_names_carry_their_appendix_number():
    """Bilag n is report/bilag-n-*.qmd, so its HTML page is bilag-n-*.html (a reader's link says which appendix)."""
    import yaml

    from ipsreport.paths import PROJECT_DIR

    book = yaml.safe_load((PROJECT_DIR / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    names = [path.rsplit("/", 1)[-1] for path in book["appendices"]]
    assert names, "the book has no appendices"
    assert [n.split("-")[:2] for n in names] == [["bilag", str(i)] for i in range(1, len(names) + 1)], names
