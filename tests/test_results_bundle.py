"""The results bundle (:mod:`ipsreport.results`): schema, writer, reader, disclosure.

Unit lane: hand-made results (round trip, the disclosure check at its
boundary, every reader error), the specs against the chapter API, the docs.
Twin lane: the pipeline on the twin (values, round trip, stable bytes) and on
non-twin cohorts of 2 to 8 young people (no count below 3 in any file). The
render's side: ``test_results_render.py``.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from ipsreport import pipeline
from ipsreport.paths import PROJECT_DIR, SYNTHETIC_DIR
from ipsreport.results import BUNDLE_DIR, SCHEMA_VERSION, BundleError, Results, read_bundle, write_bundle
from ipsreport.results import doc as results_doc
from ipsreport.results.build import DisclosureBreach, book_chapters, check_disclosure, printed_facts, published_facts
from ipsreport.results.schema import (
    Column, ColumnKind, DataFile, Dataset, EditionInfo, FactKind, FactRecord, Frame, Model, Software, Suppression,
    Verdict,
)
from ipsreport.results.specs import ELSEWHERE, FIGURES, PRODUCERS, TABLES

# --------------------------------------------------------------------------- hand-made results


def _frame(rows, kinds=None) -> Frame:
    kinds = kinds or {"category": ColumnKind.LABEL, "n": ColumnKind.COUNT, "pct": ColumnKind.SHARE,
                      "suppression": ColumnKind.STATE}
    return Frame(name="duration", source="ipsreport.analysis.summaries.target_group:summarise_duration",
                 columns=tuple(Column(name=c, kind=k) for c, k in kinds.items()), rows=tuple(rows))


def _fact(key="x_n", value=5, kind=FactKind.COUNT, rule="min_cell", **kw) -> FactRecord:
    base = dict(key=key, kind=kind, value=value, text=str(value), n=value if kind in (FactKind.COUNT, FactKind.OF) else None,
                base=10, suppression=Suppression.SHOWN, description="d", rule=rule, reads="registry_counts",
                source="ipsreport.analysis.summaries.pathways:summarise_registry_counts", variables=("exit_status",))
    return FactRecord(**{**base, **kw})


def made(rows=({"category": "Under 2 måneder", "n": 4, "pct": 40.0, "suppression": ""},
               {"category": "Over 12 måneder", "n": None, "pct": None, "suppression": "primary"}),
         facts=None, min_cell=3, events=5, n=12, kinds=None) -> Results:
    """A small hand-made :class:`Results` (numbers chosen here, not computed)."""
    return Results(
        edition=EditionInfo(edition_year=2026, render_date="2026-06-01", min_cell=min_cell, synthetic=False,
                            twin=False),
        facts=tuple(facts if facts is not None else (_fact(), _fact("x_pct", 41.66666666666667, FactKind.PCT, n=5))),
        tables=(Dataset(label="tbl-duration", function="tab_duration", frames=(_frame(rows, kinds),)),),
        figures=(),
        model=Model(withheld=False, n=n, events=events, events_per_variable=0.5, epv_min=10, alpha=0.05,
                    ci_method="wald", separated=False, warnings=("få hændelser",),
                    terms=_frame([{"term": "age", "or": 1.25}], {"term": ColumnKind.LABEL, "or": ColumnKind.STATISTIC})),
        validation=Verdict(ok=True, warnings_n=1, messages=("baseline.sav, kolonne gender: value_labels",)),
        data_files=(DataFile(dataset="registry", file="registry.csv", format="csv", rows=12, sha256="ab" * 32),),
        settings={"edition_year": 2026, "min_cell": 3, "data_dir": "2026"},
        software=Software(python="3.11", pandas="2", statsmodels="0.14", ipsreport="0.1.0", git_commit=None),
    )


def test_round_trip_of_hand_made_results(tmp_path):
    results = made()
    folder = write_bundle(results, tmp_path / "book")
    assert folder == tmp_path / "book" / BUNDLE_DIR
    assert sorted(p.name for p in folder.iterdir()) == ["bundle.json", "facts.json", "model.json", "tbl-duration.json"]
    back = read_bundle(tmp_path / "book")  # the output folder, or the bundle folder itself
    assert back == results and read_bundle(folder) == results
    assert back.fact("x_pct").value == 41.66666666666667
    assert back.dataset("tbl-duration").frame().to_pandas()["n"].tolist()[0] == 4
    # One row per line, so committed bundles diff line by line.
    lines = [line.strip() for line in (folder / "tbl-duration.json").read_text(encoding="utf-8").splitlines()]
    assert '{"category": "Under 2 måneder", "n": 4, "pct": 40.0, "suppression": ""},' in lines
    assert '{"category": "Over 12 måneder", "n": null, "pct": null, "suppression": "primary"}' in lines


#: Text as read from a data file: any character but a lone surrogate.
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_cells = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), _text,
                   st.floats(allow_nan=False, allow_infinity=False))


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.fixed_dictionaries({"category": _text, "value": _cells}), max_size=6))
def test_any_row_values_survive_write_and_read(tmp_path_factory, rows):
    results = made(rows=rows, kinds={"category": ColumnKind.LABEL, "value": ColumnKind.STATISTIC})
    folder = tmp_path_factory.mktemp("prop")
    assert read_bundle(write_bundle(results, folder)) == results


def test_rewriting_replaces_the_previous_bundle(tmp_path):
    write_bundle(made(), tmp_path)
    (tmp_path / BUNDLE_DIR / "tbl-old.json").write_text("{}", encoding="utf-8")
    write_bundle(made(), tmp_path)
    assert not (tmp_path / BUNDLE_DIR / "tbl-old.json").exists()


def test_unknown_fact_or_dataset_names_close_keys():
    with pytest.raises(KeyError, match="x_pct"):
        made().fact("x_pc")
    with pytest.raises(KeyError, match="tbl-nope"):
        made().dataset("tbl-nope")


# --------------------------------------------------------------------------- the disclosure check


@pytest.mark.parametrize("count, breach", [(0, False), (1, True), (2, True), (3, False), (None, False)])
def test_a_count_column_below_the_rule_is_refused_at_the_boundary(count, breach):
    rows = [{"category": "a", "n": count, "pct": None, "suppression": ""}]
    if breach:
        with pytest.raises(DisclosureBreach, match=r"tbl-duration \(duration\), række 1, kolonne n: " + str(count)):
            check_disclosure(made(rows=rows))
    else:
        check_disclosure(made(rows=rows))


@pytest.mark.parametrize("events, n, breach", [(3, 6, False), (2, 12, True), (10, 12, True), (9, 12, False)])
def test_a_model_outcome_group_below_the_rule_is_refused(events, n, breach):
    if breach:
        with pytest.raises(DisclosureBreach, match="model.json"):
            check_disclosure(made(events=events, n=n))
    else:
        check_disclosure(made(events=events, n=n))


def test_count_facts_are_checked_unless_they_count_no_people():
    with pytest.raises(DisclosureBreach, match="facts.json, few_n: value = 2"):
        check_disclosure(made(facts=[_fact("few_n", 2)]))
    with pytest.raises(DisclosureBreach, match="facts.json, few_of: base = 2"):
        check_disclosure(made(facts=[_fact("few_of", 0, FactKind.OF, base=2)]))
    check_disclosure(made(facts=[_fact("reviews_n", 1, rule="none (not a count of young people)", base=None)]))
    check_disclosure(made(facts=[_fact("few_n", 2)], min_cell=0))  # the twin: the rule is off


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=1, max_size=8), st.integers(0, 6))
def test_refused_exactly_when_some_count_is_between_zero_and_the_rule(counts, min_cell):
    rows = [{"category": "a", "n": c, "pct": None, "suppression": ""} for c in counts]
    results = made(rows=rows, facts=[], min_cell=min_cell, events=max(min_cell, 5), n=2 * max(min_cell, 5))
    if any(c is not None and 0 < c < min_cell for c in counts):
        with pytest.raises(DisclosureBreach):
            check_disclosure(results)
    else:
        check_disclosure(results)


# --------------------------------------------------------------------------- reading: every error in Danish


@pytest.fixture
def bundle(tmp_path) -> Path:
    return write_bundle(made(), tmp_path / "book")


def _rewrite(path: Path, edit) -> None:
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_missing_folder(tmp_path):
    with pytest.raises(BundleError, match=r"fandt intet resultatsæt: .*nope findes ikke"):
        read_bundle(tmp_path / "nope")


def test_folder_without_a_bundle(tmp_path):
    with pytest.raises(BundleError, match="er ikke et resultatsæt fra ipsreport: hverken .*bundle.json"):
        read_bundle(tmp_path)


def test_newer_schema_is_refused_with_advice(bundle):
    _rewrite(bundle / "bundle.json", lambda t: t.replace(f'"schema_version": {SCHEMA_VERSION}', f'"schema_version": {SCHEMA_VERSION + 1}'))
    with pytest.raises(BundleError, match=f"skemaversion {SCHEMA_VERSION + 1}.*højst version {SCHEMA_VERSION}.*"
                                          "Opdater ipsreport"):
        read_bundle(bundle)


@pytest.mark.parametrize("text, says", [
    ('{"edition": {}}', "angiver ingen skemaversion"),
    ('{"schema_version": true}', "angiver ingen skemaversion"),
    ('{"schema_version": 0}', "skemaversion 0 findes ikke"),
    ('{"schema_version": 1, "edition"', r"bundle.json i .* er beskadiget: filen er ikke gyldig JSON.*linje 1"),
])
def test_damaged_manifest(bundle, text, says):
    (bundle / "bundle.json").write_text(text, encoding="utf-8")
    with pytest.raises(BundleError, match=says):
        read_bundle(bundle)


def test_a_changed_file_is_noticed(bundle):
    _rewrite(bundle / "facts.json", lambda t: t.replace('"value": 5', '"value": 6'))
    with pytest.raises(BundleError, match="facts.json i .* er ændret eller beskadiget.*SHA-256"):
        read_bundle(bundle)


def test_a_missing_file_is_noticed(bundle):
    (bundle / "tbl-duration.json").unlink()
    with pytest.raises(BundleError, match="ufuldstændigt: tbl-duration.json mangler"):
        read_bundle(bundle)


def test_a_field_of_the_wrong_form_is_named(bundle):
    # Consistent checksums, wrong content: the field is named.
    path = bundle / "model.json"
    _rewrite(path, lambda t: t.replace('"withheld": false', '"withheld": "måske"'))
    manifest = json.loads((bundle / "bundle.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["path"] == "model.json":
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (bundle / "bundle.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BundleError, match="model.json i .* er beskadiget: feltet withheld"):
        read_bundle(bundle)


# --------------------------------------------------------------------------- specs, docs


def test_every_table_and_figure_has_its_data_or_says_where_it_is():
    specified = {s.function: s.label for s in (*TABLES, *FIGURES)}
    functions = [name for name, _ in (*pipeline.TABLES, *pipeline.FIGURES)]
    assert set(specified) | set(ELSEWHERE) == set(functions)
    assert not set(specified) & set(ELSEWHERE)
    labels = dict((*pipeline.TABLES, *pipeline.FIGURES))
    for function, label in specified.items():
        assert label == labels[function]
    # In report order, as the pipeline lists them.
    assert [s.function for s in TABLES] == [f for f, _ in pipeline.TABLES if f in specified]
    assert [s.function for s in FIGURES] == [f for f, _ in pipeline.FIGURES if f in specified]


def test_every_producer_names_a_function_that_exists():
    for name, producer in PRODUCERS.items():
        module, function = producer.function.split(":")
        assert callable(getattr(importlib.import_module(module), function)), name
    frames = {f.name for s in (*TABLES, *FIGURES) for f in s.frames}
    assert frames <= set(PRODUCERS)


def test_results_doc_is_up_to_date():
    assert results_doc.main(["--check"]) == 0, f"run `{results_doc.COMMAND}`"
    text = (PROJECT_DIR / "docs" / "RESULTS.md").read_text(encoding="utf-8")
    assert results_doc.updated(text) == text
    assert "How a reviewer checks a number" in text


def test_readme_and_contract_describe_the_bundle():
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    contract = (PROJECT_DIR / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    assert "## Results bundle" in readme and "resultater/" in readme and "docs/RESULTS.md" in readme
    assert "ipsreport.results" in contract and "resultater/" in contract


def test_printed_facts_are_the_chapters_fact_uses(tmp_path):
    chapter = tmp_path / "k.qmd"
    chapter.write_text('I alt `{python} f.registry_n` unge; `{python} f.words("edu_vocational_n")`, '
                       '`{python} f.share_words("success_pct")`, `{python} f.raw("age_mean")`.\n', encoding="utf-8")
    assert printed_facts([chapter]) == ("age_mean", "edu_vocational_n", "registry_n", "success_pct")


# --------------------------------------------------------------------------- the twin


@pytest.fixture(scope="module")
def twin() -> pipeline.PipelineResult:
    return pipeline.trace(SYNTHETIC_DIR)


@pytest.mark.twin
def test_twin_results_hold_the_numbers_the_book_prints(twin, published):
    r = twin.results
    assert r.edition.twin and r.edition.min_cell == 0 and r.edition.edition_year == 2025
    success = r.fact("success_pct")
    assert (success.text, success.n, success.base, success.suppression) == ("60 %", 26, 43, Suppression.SHOWN)
    assert success.source == "ipsreport.analysis.summaries.pathways:summarise_registry_counts"
    assert success.variables == ("exit_status",)
    assert r.fact("registry_n").value == published["registry.n"]["value"] == 66
    assert r.fact("who5_start").variables == ("who5_1", "who5_2", "who5_3", "who5_4", "who5_5")
    duration = r.dataset("tbl-duration").frame("duration").to_pandas()
    expected = twin.disclosed.duration
    assert duration["n"].tolist() == expected["n"].tolist() and duration["base"].tolist() == [43] * 7
    assert r.model.n == published["regression.n"]["value"] and not r.model.withheld
    terms = r.model.terms.to_pandas().set_index("term")
    assert terms["odds_ratio"].tolist() == twin.model.terms.set_index("term")["odds_ratio"].tolist()
    assert [(f.dataset, f.sha256, f.rows) for f in r.data_files] == [
        (s.name, s.sha256, len(twin.edition.frame(s.name))) for s in twin.edition.sources]
    assert r.settings["data_dir"] == "data/synthetic" and r.validation.ok


@pytest.mark.twin
def test_twin_facts_are_those_the_chapters_print_with_codebook_variables(twin):
    used = published_facts(twin.facts, book_chapters())
    # The chapters' fact uses, and the numbers printed inside their sentence facts (§5.4's two counts).
    assert set(printed_facts(book_chapters())) < set(used) and {"no_placement_n", "no_placement_short_n"} <= set(used)
    assert [f.key for f in twin.results.facts] == list(used) and len(used) > 100
    names = {v.name for ds in twin.edition.codebook.datasets.values() for v in ds.variables}
    for record in twin.results.facts:
        assert set(record.variables) <= names, record.key
        if record.reads is not None:
            assert record.source == PRODUCERS[record.reads].function, record.key
            # Every fact on data names its variables; the audit counts the 2025 edition's printed numbers.
            assert record.variables or record.reads == "audit", record.key


@pytest.mark.twin
def test_twin_bundle_round_trips_and_is_byte_stable(twin, tmp_path):
    first = write_bundle(twin.results, tmp_path / "a")
    assert read_bundle(first) == twin.results
    second = write_bundle(pipeline.run(SYNTHETIC_DIR, report=twin.validation), tmp_path / "b")
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


# --------------------------------------------------------------------------- a small cohort under the rule


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Results, Path]:
    """``ipsreport synth --n 8 --sites 2``, manifest deleted: real-looking data under the rule."""
    from ipsreport.synth.sample import write_cohort

    folder = write_cohort(tmp_path_factory.mktemp("c8") / "data", n=8, sites=2)
    (folder / "manifest.yml").unlink()
    results = pipeline.run(folder)
    return results, write_bundle(results, tmp_path_factory.mktemp("c8-out"))


def _counts_in_files(folder: Path) -> list[tuple[str, object]]:
    """Every count in every file of a bundle, found from the files alone by its kind."""
    found = []
    manifest = json.loads((folder / "bundle.json").read_text(encoding="utf-8"))
    found += [(f"bundle.json rows {f['file']}", f["rows"]) for f in manifest["data_files"]]
    for record in json.loads((folder / "facts.json").read_text(encoding="utf-8")):
        if record["kind"] in ("count", "of") and not record["rule"].startswith("none"):
            found += [(f"facts.json {record['key']}.{k}", record[k]) for k in ("value", "n", "base")]
    model = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    if model["n"] is not None:
        found += [("model.json events", model["events"]), ("model.json other", model["n"] - model["events"])]
    for path in sorted(folder.glob("[tf][bi][lg]-*.json")):
        for frame in json.loads(path.read_text(encoding="utf-8"))["frames"]:
            counts = [c["name"] for c in frame["columns"] if c["kind"] == "count"]
            found += [(f"{path.name} {frame['name']}.{c}", row[c]) for row in frame["rows"] for c in counts]
    return found


@pytest.mark.twin
def test_no_count_below_three_in_any_file_of_a_small_cohort(small):
    results, folder = small
    assert results.edition.min_cell == 3 and not results.edition.twin
    found = _counts_in_files(folder)
    assert len(found) > 200
    small_counts = [(where, v) for where, v in found if isinstance(v, (int, float)) and 0 < v < 3]
    assert not small_counts
    # The rule did hide something here (else this cohort tests nothing): hidden cells are null with their state.
    hidden = [row for item in (*results.tables, *results.figures) for f in item.frames for row in f.rows
              if row.get("suppression") in ("primary", "secondary", "pooled", "base")]
    assert hidden and all(row["n"] is None for row in hidden if row["suppression"] == "primary")
    assert any(r.suppression is not Suppression.SHOWN and r.value is None for r in results.facts)


@pytest.mark.twin
@pytest.mark.parametrize("n, seed", [(2, 1), (2, 2), (4, 5), (5, 3)])
def test_tiny_cohorts_publish_no_hidden_number(tmp_path, n, seed):
    """Two to five persons: most is hidden; a hidden fact publishes neither its value nor, when small, its base."""
    from ipsreport.synth.sample import write_cohort

    folder = write_cohort(tmp_path / "data", n=n, sites=1, seed=seed)
    (folder / "manifest.yml").unlink()
    results = pipeline.run(folder)  # check_disclosure inside: a count below 3 would raise
    assert not [(w, v) for w, v in _counts_in_files(write_bundle(results, tmp_path / "out"))
                if w.startswith(("facts", "model", "tbl", "fig")) and isinstance(v, (int, float)) and 0 < v < 3]
    for record in results.facts:
        if record.suppression is not Suppression.SHOWN:
            assert record.value is None and record.n is None, record.key
        if record.suppression is Suppression.BASE:
            assert record.base is None, record.key
    paired = results.fact("paired_n")
    assert paired.suppression is Suppression.SHOWN or paired.value is None


@pytest.mark.parametrize("ages, state, printed", [
    ((25, 19), "base", "et skjult antal ud af et skjult antal"),   # base 2: nothing of it is printed
    ((25, 19, 18), "secondary", "et skjult antal ud af et skjult antal"),  # base 3: '<3 ud af 3' tells 2 are 20 or under
    ((25, 19, 18, 17, 16), "primary", "<3 ud af 5"),       # one over 20 beside four
    ((25, 29, 22), "", "3 ud af 3"),
])
def test_the_over_20_share_hides_a_small_base_whole(make_edition, ages, state, printed):
    """Found by the bundle's check on a cohort of two: the book printed "<3 ud af 2"."""
    from ipsreport.analysis.disclosed.layer import disclosed
    from ipsreport.outputs.facts import facts

    ed = make_edition(baseline=[{"age": a} for a in ages], min_cell=3)
    assert disclosed(ed).age["over20_suppression"].iloc[0] == state
    assert facts(ed).age_over20_of == printed


def test_git_commit_names_the_checkout():
    """One git call gives what rev-parse and status give: the commit, and whether tracked files changed."""
    import subprocess

    from ipsreport.paths import PROJECT_DIR
    from ipsreport.results.software import git_commit

    def git(*args):
        return subprocess.run(["git", "-C", str(PROJECT_DIR), *args], capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "HEAD")[:7]
    modified = bool(git("status", "--porcelain", "--untracked-files=no"))
    assert git_commit() == head + (" (med ændringer, der ikke er committet)" if modified else "")
