"""Tests of ipsreport.validate: codebook rules, cross-file rules, messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ipsreport.codebook import load_codebook
from ipsreport.load import load_raw
from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.synth.sample import write_cohort
from ipsreport.validate import DataValidationError, ValidationReport, Violation, build_schema, validate, validate_dir

CODEBOOK = load_codebook()


# --------------------------------------------------------------------------- data folders


@pytest.fixture(scope="module")
def valid_dir(tmp_path_factory) -> Path:
    return write_cohort(tmp_path_factory.mktemp("valid"), 60, sites=2, seed=11)


def _copy(src: Path, dst: Path) -> Path:
    """Copy a data folder; drop the manifest's checksums, as the copy gets edited."""
    shutil.copytree(src, dst)
    manifest_path = dst / "manifest.yml"
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    manifest.pop("files", None)
    manifest_path.write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return dst


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def _save(frame: pd.DataFrame, folder: Path, name: str) -> None:
    frame.to_csv(folder / f"{name}.csv", index=False)


def corrupt(valid_dir: Path, tmp_path: Path, name: str, edit) -> ValidationReport:
    """Copy the valid folder, let ``edit`` change one file's text frame, validate."""
    folder = _copy(valid_dir, tmp_path / "data")
    frame = _read(folder, name)
    result = edit(frame)
    _save(frame if result is None else result, folder, name)
    return validate_dir(folder)


def messages(report: ValidationReport) -> list[str]:
    return [v.message for v in report.errors]


def test_generated_data_is_valid(valid_dir):
    report = validate_dir(valid_dir)
    assert report.ok, report.format()
    assert report.errors == [] and report.warnings == []
    assert set(report.frames) == {"registry", "baseline", "followup"}


@pytest.mark.skipif(
    not any(SYNTHETIC_DIR.glob("registry.*")), reason="data/synthetic (the calibrated twin) is not there yet"
)
def test_shipped_synthetic_twin_is_valid():
    report = validate_dir(SYNTHETIC_DIR)
    assert report.ok, report.format()


# --------------------------------------------------------------------------- corruptions (files)


def test_out_of_range_who5_item(valid_dir, tmp_path):
    def edit(f):
        f.loc[5, "who5_1"] = "7"  # data position 5 = row 7 (header is row 1)

    report = corrupt(valid_dir, tmp_path, "baseline", edit)
    assert not report.ok
    assert messages(report) == [
        'baseline.csv, række 7, kolonne who5_1: værdien "7" er ikke en tilladt kode (tilladt: 0-5; regel: tilladte_værdier)'
    ]


def test_unknown_category_code(valid_dir, tmp_path):
    def edit(f):
        f.loc[2, "referral_status"] = "3"

    report = corrupt(valid_dir, tmp_path, "registry", edit)
    assert messages(report) == [
        'registry.csv, række 4, kolonne referral_status: værdien "3" er ikke en tilladt kode (tilladt: 1, 2; regel: tilladte_værdier)'
    ]


def test_age_out_of_range(valid_dir, tmp_path):
    def edit(f):
        f.loc[0, "age"] = "31"

    report = corrupt(valid_dir, tmp_path, "baseline", edit)
    assert messages(report) == [
        'baseline.csv, række 2, kolonne age: værdien "31" ligger uden for det tilladte interval (tilladt: 15-29; regel: interval)'
    ]


def test_duplicate_id(valid_dir, tmp_path):
    def edit(f):
        return pd.concat([f, f.iloc[[3]]], ignore_index=True)  # row 5 again, as the last row

    report = corrupt(valid_dir, tmp_path, "registry", edit)
    duplicated = _read(valid_dir, "registry").loc[3, "id"]
    last_row = len(_read(valid_dir, "registry")) + 2
    assert messages(report) == [
        f'registry.csv, række {last_row}, kolonne id: værdien "{duplicated}" forekommer også i række 5 (regel: unique_ids)'
    ]


def test_followup_id_missing_from_baseline(valid_dir, tmp_path):
    def edit(f):
        f.loc[1, "id"] = "X9999"

    report = corrupt(valid_dir, tmp_path, "followup", edit)
    assert messages(report) == [
        'followup.csv, række 3, kolonne id: værdien "X9999" findes ikke i baseline.csv (regel: followup_in_baseline)'
    ]


def test_baseline_id_missing_from_registry(valid_dir, tmp_path):
    def edit(f):
        return pd.concat([f, f.iloc[[0]].assign(id="NY01")], ignore_index=True)

    report = corrupt(valid_dir, tmp_path, "baseline", edit)
    row = len(_read(valid_dir, "baseline")) + 2
    assert messages(report) == [
        f'baseline.csv, række {row}, kolonne id: værdien "NY01" findes ikke i registry.csv (regel: baseline_in_registry)'
    ]


def test_end_before_start(valid_dir, tmp_path):
    def edit(f):
        i = f.index[f["exit_status"] != "5"][0]
        f.loc[i, "start_date"] = "2024-03-01"
        f.loc[i, "end_date"] = "2024-02-29"
        edit.row = i + 2

    report = corrupt(valid_dir, tmp_path, "registry", edit)
    assert messages(report) == [
        f'registry.csv, række {edit.row}, kolonne end_date: værdien "2024-02-29" ligger før startdatoen '
        '"2024-03-01" (regel: end_after_start)'
    ]


def test_active_participant_with_end_date(valid_dir, tmp_path):
    def edit(f):
        i = f.index[f["exit_status"] == "5"][0]
        f.loc[i, "end_date"] = "2025-01-01"
        edit.row = i + 2

    report = corrupt(valid_dir, tmp_path, "registry", edit)
    assert messages(report) == [
        f'registry.csv, række {edit.row}, kolonne end_date: værdien "2025-01-01" skal være tom, fordi kolonnen '
        "kun udfyldes, når exit_status != 5 (her: exit_status = 5) (regel: exit_matches_end)"
    ]


def test_finished_participant_without_end_date(valid_dir, tmp_path):
    def edit(f):
        i = f.index[f["exit_status"] == "3"][0]
        f.loc[i, "end_date"] = ""
        edit.row = i + 2

    report = corrupt(valid_dir, tmp_path, "registry", edit)
    assert messages(report) == [
        f"registry.csv, række {edit.row}, kolonne end_date: værdien mangler, men skal udfyldes, når "
        "exit_status != 5 (her: exit_status = 3) (regel: exit_matches_end)"
    ]


def test_missing_required_column(valid_dir, tmp_path):
    report = corrupt(valid_dir, tmp_path, "followup", lambda f: f.drop(columns=["who5_3"]))
    assert messages(report) == ["followup.csv: kolonnen who5_3 mangler (regel: påkrævet_kolonne)"]


def test_missing_column_hint_for_wrong_case(valid_dir, tmp_path):
    report = corrupt(valid_dir, tmp_path, "followup", lambda f: f.rename(columns={"who5_3": "WHO5_3"}))
    assert messages(report) == [
        "followup.csv: kolonnen who5_3 mangler; filen har kolonnen WHO5_3 – navnet skal skrives præcis som i "
        "kodebogen (regel: påkrævet_kolonne)"
    ]
    assert [w.rule for w in report.warnings] == ["ukendt_kolonne"]


def test_asked_if_violation(valid_dir, tmp_path):
    def edit(f):
        f.loc[4, "psych_contact"] = "0"
        f.loc[4, "psych_dialogue"] = "2"
        f.loc[4, "psych_support"] = ""
        f.loc[4, "psych_positive"] = ""

    report = corrupt(valid_dir, tmp_path, "followup", edit)
    assert messages(report) == [
        'followup.csv, række 6, kolonne psych_dialogue: værdien "2" skal være tom, fordi kolonnen kun udfyldes, '
        "når psych_contact == 1 (her: psych_contact = 0) (regel: asked_if)"
    ]


def test_required_if_asked_violation(valid_dir, tmp_path):
    def edit(f):
        i = f.index[f["exit_status"] == "5"][0]
        f.loc[i, "placement_now"] = ""
        edit.row = i + 2

    report = corrupt(valid_dir, tmp_path, "registry", edit)
    assert messages(report) == [
        f"registry.csv, række {edit.row}, kolonne placement_now: værdien mangler, men skal udfyldes, når "
        "exit_status == 5 (her: exit_status = 5) (regel: påkrævet_hvis_spurgt)"
    ]


def test_missing_required_value(valid_dir, tmp_path):
    def edit(f):
        f.loc[0, "site"] = " "

    report = corrupt(valid_dir, tmp_path, "registry", edit)
    assert messages(report) == [
        "registry.csv, række 2, kolonne site: værdien mangler, men skal altid udfyldes (regel: påkrævet)"
    ]


def test_text_in_numeric_columns(valid_dir, tmp_path):
    def edit(f):
        f.loc[0, "age"] = "tyve"
        i = f.index[f["work_experience"] == "1"][0]
        f.loc[i, "work_experience_years"] = "to år"
        edit.row = i + 2

    report = corrupt(valid_dir, tmp_path, "baseline", edit)
    assert sorted(messages(report)) == sorted([
        'baseline.csv, række 2, kolonne age: værdien "tyve" er ikke et heltal (regel: datatype)',
        f'baseline.csv, række {edit.row}, kolonne work_experience_years: værdien "to år" er ikke et tal (regel: datatype)',
    ])


def test_invalid_date(valid_dir, tmp_path):
    def edit(f):
        f.loc[0, "start_date"] = "2024-02-30"

    report = corrupt(valid_dir, tmp_path, "registry", edit)
    assert messages(report) == [
        'registry.csv, række 2, kolonne start_date: værdien "2024-02-30" er ikke en gyldig dato '
        "(brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ) (regel: datatype)"
    ]


def test_empty_file(valid_dir, tmp_path):
    folder = _copy(valid_dir, tmp_path / "data")
    (folder / "followup.csv").write_bytes(b"")
    report = validate_dir(folder)
    assert messages(report) == ["followup.csv: filen er tom (regel: tom_fil)"]


def test_header_only_file(valid_dir, tmp_path):
    folder = _copy(valid_dir, tmp_path / "data")
    header = (folder / "registry.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "registry.csv").write_text(header + "\n", encoding="utf-8")
    report = validate_dir(folder)
    assert "registry.csv: filen indeholder ingen datarækker (kun en overskrift) (regel: tom_fil)" in messages(report)


def test_header_only_survey_is_valid_and_says_so(valid_dir, tmp_path):
    folder = _copy(valid_dir, tmp_path / "data")
    header = (folder / "followup.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "followup.csv").write_text(header + "\n", encoding="utf-8")
    report = validate_dir(folder)
    assert report.ok, report.format()
    assert any(w.rule == "ingen_svar" and w.file == "followup.csv" for w in report.warnings)


def test_pdf_renamed_to_csv(valid_dir, tmp_path):
    folder = _copy(valid_dir, tmp_path / "data")
    (folder / "baseline.csv").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    report = validate_dir(folder)
    # The follow-up's ids cannot be checked against a baseline that is unreadable.
    assert messages(report) == ["baseline.csv: filen er ikke en CSV-fil (den ligner en PDF-fil) (regel: ulæselig_fil)"]


def test_unreadable_xlsx(valid_dir, tmp_path):
    folder = _copy(valid_dir, tmp_path / "data")
    (folder / "registry.csv").unlink()
    (folder / "registry.xlsx").write_bytes(b"this is not a zip archive")
    report = validate_dir(folder)
    assert messages(report) == [
        "registry.xlsx: filen er ikke en Excel-fil (.xlsx) (den ligner en tekstfil) (regel: ulæselig_fil)"
    ]


def test_broken_xlsx_and_pdf_as_sav(valid_dir, tmp_path):
    folder = _copy(valid_dir, tmp_path / "data")
    (folder / "registry.csv").unlink()
    (folder / "registry.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)  # a zip header, then nothing
    (folder / "followup.csv").unlink()
    (folder / "followup.sav").write_bytes(b"%PDF-1.4\n")
    report = validate_dir(folder)
    assert messages(report) == [
        "registry.xlsx: filen kan ikke læses som Excel-fil (.xlsx); den er beskadiget eller gemt i et andet format "
        "(regel: ulæselig_fil)",
        "followup.sav: filen er ikke en SPSS-fil (.sav) (den ligner en PDF-fil) (regel: ulæselig_fil)",
    ]


def test_two_candidate_files(valid_dir, tmp_path):
    folder = _copy(valid_dir, tmp_path / "data")
    _read(folder, "baseline").to_excel(folder / "baseline.xlsx", index=False)
    report = validate_dir(folder)
    assert messages(report) == [
        "baseline: der er flere mulige datafiler (baseline.csv og baseline.xlsx); behold kun én (regel: entydig_fil)"
    ]


def test_missing_file(valid_dir, tmp_path):
    folder = _copy(valid_dir, tmp_path / "data")
    (folder / "registry.csv").unlink()
    report = validate_dir(folder)
    assert messages(report) == [
        f"registry: ingen datafil fundet i {folder.resolve()} (forventet registry.csv, registry.xlsx eller "
        "registry.sav) (regel: fil_mangler)"
    ]


def test_all_violations_are_collected_and_sorted(valid_dir, tmp_path):
    folder = _copy(valid_dir, tmp_path / "data")
    fu = _read(folder, "followup")
    fu.loc[6, "who5_2"] = "9"
    fu.loc[2, "id"] = "X1"
    _save(fu, folder, "followup")
    reg = _read(folder, "registry")
    reg.loc[10, "uu_guidance"] = "2"
    reg.loc[3, "site"] = ""
    _save(reg, folder, "registry")
    report = validate_dir(folder)
    assert [(v.file, v.row, v.column) for v in report.sorted_errors()] == [
        ("registry.csv", 5, "site"),
        ("registry.csv", 12, "uu_guidance"),
        ("followup.csv", 4, "id"),
        ("followup.csv", 8, "who5_2"),
    ]
    text = report.format()
    assert text.startswith(f"Data i {folder.resolve()} er ikke gyldige: 4 fejl, 0 advarsler.")
    assert "overskriften er række 1, så første datarække er række 2" in text
    listed = [line[4:] for line in text.splitlines() if line.startswith("  - ")]
    assert listed == [v.message for v in report.sorted_errors()]


# --------------------------------------------------------------------------- valid variants


@pytest.mark.parametrize(
    ("sep", "decimal", "encoding", "date_format"),
    [
        (";", ".", "utf-8", "%Y-%m-%d"),
        (";", ",", "cp1252", "%d-%m-%Y"),
        (",", ".", "cp1252", "%Y-%m-%d"),
        (",", ".", "utf-8-sig", "%d.%m.%Y"),
        ("\t", ",", "utf-8", "%Y-%m-%d"),
        ("\t", ",", "utf-16", "%d-%m-%Y"),  # Excel "Unicode-tekst"
    ],
)
def test_valid_csv_variants_pass(valid_dir, tmp_path, sep, decimal, encoding, date_format):
    folder = tmp_path / "data"
    folder.mkdir()
    report = validate_dir(valid_dir)
    for name, frame in report.frames.items():
        if name == "registry":
            frame = frame.assign(consultant=frame["consultant"] + " Ærø")
        frame.to_csv(folder / f"{name}.csv", index=False, sep=sep, decimal=decimal, encoding=encoding,
                     date_format=date_format)
    result = validate_dir(folder)
    assert result.ok, result.format()
    assert result.sources["registry"].encoding == encoding
    assert result.sources["registry"].delimiter == sep
    for name in report.frames:
        expected = report.frames[name]
        if name == "registry":
            expected = expected.assign(consultant=expected["consultant"] + " Ærø")
        pd.testing.assert_frame_equal(result.frames[name], expected)


def test_unknown_extra_column_is_a_warning(valid_dir, tmp_path):
    report = corrupt(valid_dir, tmp_path, "baseline", lambda f: f.assign(kommentar="x"))
    assert report.ok
    assert [w.message for w in report.warnings] == [
        "baseline.csv: kolonnen kommentar findes ikke i kodebogen og bliver ikke brugt (regel: ukendt_kolonne)"
    ]
    assert "Advarsler:" in report.format()


def test_data_validation_error_str_is_the_report(valid_dir, tmp_path):
    report = corrupt(valid_dir, tmp_path, "registry", lambda f: f.drop(columns=["site"]))
    error = DataValidationError(report)
    assert str(error) == report.format()
    assert error.report is report


def test_sav_label_mismatch_warns(valid_dir, tmp_path):
    import pyreadstat

    folder = _copy(valid_dir, tmp_path / "data")
    frame = validate_dir(valid_dir).frames["baseline"]
    sav = pd.DataFrame({
        c: frame[c].astype("float64") if str(frame[c].dtype) in ("Int64", "Float64") else frame[c].astype(object)
        for c in frame.columns
    })
    (folder / "baseline.csv").unlink()
    pyreadstat.write_sav(sav, str(folder / "baseline.sav"), variable_value_labels={"gender": {1.0: "Kvinde", 2.0: "Mand"}})
    report = validate_dir(folder)
    assert report.ok, report.format()
    assert [w.message for w in report.warnings] == [
        'baseline.sav, kolonne gender: koden 1 hedder "Kvinde" i filen, men "Mand" i kodebogen – tjek at koderne '
        "betyder det samme (regel: værdimærker)",
        'baseline.sav, kolonne gender: koden 2 hedder "Mand" i filen, men "Kvinde" i kodebogen – tjek at koderne '
        "betyder det samme (regel: værdimærker)",
    ]


def test_file_changed_after_manifest_warns(valid_dir, tmp_path):
    import hashlib

    folder = _copy(valid_dir, tmp_path / "data")
    manifest = yaml.safe_load((folder / "manifest.yml").read_text(encoding="utf-8"))
    manifest["files"] = {
        name: {"sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest()}
        for name in ("registry.csv", "baseline.csv", "followup.csv")
    }
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    assert validate_dir(folder).warnings == []
    frame = _read(folder, "baseline")
    frame.loc[0, "age"] = "20" if frame.loc[0, "age"] != "20" else "21"
    _save(frame, folder, "baseline")
    report = validate_dir(folder)
    assert report.ok
    assert [w.message for w in report.warnings] == [
        "baseline.csv: filens SHA-256 svarer ikke til manifest.yml; filen er ændret, efter at manifestet blev "
        "skrevet (regel: manifest)"
    ]


def test_validate_accepts_raw_data(valid_dir):
    assert validate(load_raw(valid_dir)).ok


# --------------------------------------------------------------------------- tiny hand-made frames


def _filler(dataset: str) -> dict[str, object]:
    """A valid answer for every item (first code of its scale)."""
    return {v.name: v.codes[0] for v in CODEBOOK[dataset].variables if v.type == "category"}


def _fidelity(**changes) -> pd.DataFrame:
    items = [v.name for v in CODEBOOK["fidelity"].group("fidelity_items")]
    row = {"site": "Site 01", "review_date": "2024-06-01", "reviewer_type": 1, **{n: 4 for n in items}}
    row.update(changes)
    return pd.DataFrame([row])


def tiny() -> dict[str, pd.DataFrame]:
    """Two young people: A finished to a job, B still enrolled; both answered both surveys; one fidelity review."""
    registry = pd.DataFrame({
        "id": ["A", "B"],
        "site": ["Site 01", "Site 01"],
        "consultant": ["K1", "K2"],
        "start_date": ["2024-01-15", "2024-03-01"],
        "end_date": ["2024-09-30", None],
        "referral_status": [1, 2],
        "exit_status": [1, 5],
        "placement_ever": [1, 1],
        "placement_now": [None, 1],
        "psychiatry_contact": [0, 1],
        "uu_guidance": [0, 1],
    })
    base = {**_filler("baseline"), "work_experience": 1}
    baseline = pd.DataFrame([base, base]).assign(
        id=["A", "B"], age=[19, 24], work_experience_years=[1.5, 3.0]
    )[CODEBOOK["baseline"].names]
    fu = _filler("followup")
    followup = pd.DataFrame([fu, fu]).assign(
        id=["A", "B"], still_enrolled=[0, 1], psych_contact=[1, 0],
        psych_dialogue=[2, None], psych_support=[2, None], psych_positive=[3, None],
        had_placement=[1, 1], in_job_education=[1, None],
    )[CODEBOOK["followup"].names]
    return {"registry": registry, "baseline": baseline, "followup": followup, "fidelity": _fidelity()}


def _only(frames, dataset, column, row, value):
    frames[dataset][column] = frames[dataset][column].astype(object)
    frames[dataset].loc[row, column] = value
    return validate(frames)


def test_tiny_frames_are_valid():
    report = validate(tiny())
    assert report.ok, report.format()


RULE_CASES = [
        ("baseline", "who5_4", 1, 6, "tilladte_værdier"),
        ("followup", "duration", 0, 0, "tilladte_værdier"),
        ("baseline", "age", 0, 14, "interval"),
        ("baseline", "work_experience_years", 1, 15.5, "interval"),
        ("registry", "exit_status", 0, None, "påkrævet"),
        ("registry", "consultant", 1, None, "påkrævet"),
        ("followup", "still_enrolled", 1, None, "påkrævet"),
        ("followup", "id", 1, "A", "unique_ids"),
        ("followup", "id", 1, "C", "followup_in_baseline"),
        ("registry", "end_date", 0, "2024-01-14", "end_after_start"),
        ("registry", "end_date", 1, "2024-05-01", "exit_matches_end"),
        ("registry", "end_date", 0, None, "exit_matches_end"),
        ("registry", "placement_now", 0, 1, "asked_if"),
        ("registry", "placement_now", 1, None, "påkrævet_hvis_spurgt"),
        ("followup", "psych_support", 1, 1, "asked_if"),
        ("followup", "in_job_education", 1, 0, "asked_if"),
        ("baseline", "age", 1, "24 år", "datatype"),
        ("registry", "start_date", 0, "15/01/2024", "datatype"),
        ("followup", "still_enrolled", 1, 0, "enrolled_matches_registry"),
        ("fidelity", "site", 0, "Site 02", "references"),
        ("fidelity", "f03_generalists", 0, 6, "tilladte_værdier"),
        ("fidelity", "review_date", 0, None, "påkrævet"),
]


def test_every_codebook_rule_has_a_tiny_case():
    # baseline_in_registry has its own test (changing a baseline id also orphans the follow-up);
    # unique_rows is a warning, tested in test_repeated_key_is_a_warning.
    covered = {case[4] for case in RULE_CASES} | {"baseline_in_registry", "unique_rows"}
    assert {rule["id"] for rule in CODEBOOK.rules} <= covered


@pytest.mark.parametrize(("dataset", "column", "row", "value", "rule"), RULE_CASES)
def test_each_rule_on_tiny_frames(dataset, column, row, value, rule):
    report = _only(tiny(), dataset, column, row, value)
    assert not report.ok
    assert [(v.file, v.row, v.column, v.rule) for v in report.errors] == [(dataset, row + 2, column, rule)]


def test_tiny_duplicate_registry_id_cascades():
    # Renaming B to A duplicates A *and* leaves baseline/follow-up B without a parent.
    report = _only(tiny(), "registry", "id", 1, "A")
    assert [(v.file, v.row, v.column, v.rule) for v in report.errors] == [
        ("registry", 3, "id", "unique_ids"),
        ("baseline", 3, "id", "baseline_in_registry"),
    ]


def test_tiny_baseline_id_not_in_registry():
    frames = tiny()
    frames["registry"] = frames["registry"].iloc[:1]
    frames["followup"] = frames["followup"].iloc[:1]
    report = validate(frames)
    assert [v.message for v in report.errors] == [
        'baseline, række 3, kolonne id: værdien "B" findes ikke i registry (regel: baseline_in_registry)'
    ]


def test_condition_unknown_when_its_variable_is_missing():
    # psych_contact unanswered: the follow-up items are neither required nor forbidden.
    frames = tiny()
    frames["followup"].loc[0, "psych_contact"] = None
    assert validate(frames).ok


def test_asked_if_with_work_experience_zero():
    frames = tiny()
    frames["baseline"].loc[0, "work_experience"] = 0
    report = validate(frames)
    assert [v.message for v in report.errors] == [
        'baseline, række 2, kolonne work_experience_years: værdien "1.5" skal være tom, fordi kolonnen kun udfyldes, '
        "når work_experience == 1 (her: work_experience = 0) (regel: asked_if)"
    ]


def test_cross_file_rules_skip_absent_datasets():
    frames = tiny()
    del frames["registry"]
    assert validate(frames).ok  # baseline_in_registry cannot be checked without a registry


def test_build_schema_is_codebook_driven():
    schema, rules = build_schema(CODEBOOK["followup"])
    assert list(schema.columns) == CODEBOOK["followup"].names
    assert schema.columns["still_enrolled"].nullable is False
    assert schema.columns["who5_1"].nullable is True
    assert ("tilladte_værdier", "who5_1") in rules.values()
    conditional = {col for (key, _), (rule, col) in rules.items() if key is None and rule == "asked_if"}
    expected = {v.name for v in CODEBOOK["followup"].variables if v.asked_if}
    assert conditional == expected


def test_violation_is_a_plain_record():
    v = Violation("a.csv", 2, "x", "1", "interval", "a.csv, række 2, kolonne x: ...")
    assert str(v) == v.message


# --------------------------------------------------------------------------- many duplicate ids


def test_many_duplicate_ids_list_the_first_and_count_the_rest(monkeypatch):
    from ipsreport import validate as validate_module

    calls = []
    original = pd.Series.duplicated

    def spy(self, *args, **kwargs):
        calls.append(len(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pd.Series, "duplicated", spy)
    frames = tiny()
    n = 30_000
    # Rows 2..n+1 alternate between ids A and B: every row after the first two repeats an id.
    frames["registry"] = pd.concat([frames["registry"]] * (n // 2), ignore_index=True)
    report = validate({"registry": frames["registry"]})
    unique_errors = [v for v in report.errors if v.rule == "unique_ids"]
    limit = validate_module.MAX_LISTED_DUPLICATES
    assert len(unique_errors) == limit + 1
    listed = [v for v in unique_errors if v.row is not None]
    assert [v.row for v in listed] == list(range(4, 4 + limit))
    assert listed[0].message == 'registry, række 4, kolonne id: værdien "A" forekommer også i række 2 (regel: unique_ids)'
    assert listed[1].message == 'registry, række 5, kolonne id: værdien "B" forekommer også i række 3 (regel: unique_ids)'
    summary, = [v for v in unique_errors if v.row is None]
    assert f"i alt {n - 2} rækker gentager et id" in summary.message
    assert f"kun de første {limit} er vist" in summary.message
    # One vectorised pass over the whole id column, not one scan per repeated row.
    assert n in calls


def test_few_duplicate_ids_have_no_summary():
    frames = tiny()
    frames["registry"] = pd.concat([frames["registry"], frames["registry"].iloc[[0]]], ignore_index=True)
    errors = [v for v in validate({"registry": frames["registry"]}).errors if v.rule == "unique_ids"]
    assert [v.message for v in errors] == [
        'registry, række 4, kolonne id: værdien "A" forekommer også i række 2 (regel: unique_ids)'
    ]


# --------------------------------------------------------------------------- registry vs follow-up


def test_registry_enrolled_but_followup_finished_in_job():
    # B is still enrolled in the registry, but the follow-up says finished and in a job.
    frames = tiny()
    frames["followup"]["in_job_education"] = frames["followup"]["in_job_education"].astype(object)
    frames["followup"].loc[1, ["still_enrolled", "in_job_education"]] = [0, 1]
    report = validate(frames)
    assert [v.message for v in report.errors] == [
        'followup, række 3, kolonne still_enrolled: værdien "0" modsiger registry, række 3 (exit_status = 5) – '
        "Fortsat i forløb i followup (still_enrolled) skal passe med registry: still_enrolled = 1 netop når "
        "exit_status = 5 (Fortsat i forløb). Ret den fil, der er forkert (regel: enrolled_matches_registry)"
    ]


def test_registry_finished_but_followup_still_enrolled():
    frames = tiny()
    frames["followup"]["in_job_education"] = frames["followup"]["in_job_education"].astype(object)
    frames["followup"].loc[0, ["still_enrolled", "in_job_education"]] = [1, None]
    report = validate(frames)
    assert [(v.file, v.row, v.column, v.value, v.rule) for v in report.errors] == [
        ("followup", 2, "still_enrolled", "1", "enrolled_matches_registry")
    ]


def test_cross_file_rule_is_skipped_without_the_joined_file():
    frames = tiny()
    frames["followup"].loc[1, "still_enrolled"] = 0
    frames["followup"].loc[1, "in_job_education"] = 1
    del frames["registry"]
    assert validate(frames).ok


@pytest.mark.parametrize("folder", ["twin", "cohort"])
def test_shipped_data_agree_between_registry_and_followup(folder, valid_dir):
    path = SYNTHETIC_DIR if folder == "twin" else valid_dir
    report = validate_dir(path)
    assert not [v for v in report.errors if v.rule == "enrolled_matches_registry"]


# --------------------------------------------------------------------------- optional datasets


def test_optional_dataset_is_validated_when_present():
    frames = tiny()
    del frames["fidelity"]
    assert validate(frames).ok  # absent: nothing to report
    frames["fidelity"] = _fidelity()
    assert validate(frames).ok
    frames["fidelity"] = _fidelity(site="Site 02", f10_agency_focus=0, review_date="2024-13-01")
    report = validate(frames)
    assert [(v.row, v.column, v.rule) for v in report.sorted_errors()] == [
        (2, "site", "references"), (2, "review_date", "datatype"), (2, "f10_agency_focus", "tilladte_værdier")]


def test_errors_of_the_optional_file_sort_after_the_required_files():
    frames = tiny()
    frames["registry"].loc[0, "referral_status"] = 9
    frames["fidelity"] = _fidelity(reviewer_type=5)
    assert [v.file for v in validate(frames).sorted_errors()] == ["registry", "fidelity"]


def test_reference_to_an_unreadable_file_is_not_checked():
    frames = tiny()
    del frames["registry"]
    frames["fidelity"] = _fidelity(site="Anywhere")
    assert validate(frames).ok  # the registry's own absence is reported by the loader


def test_repeated_key_is_a_warning():
    frames = tiny()
    frames["fidelity"] = pd.concat([_fidelity(), _fidelity(f01_caseload=2)], ignore_index=True)
    report = validate(frames)
    assert report.ok
    assert [(v.file, v.row, v.rule) for v in report.warnings] == [("fidelity", 3, "unique_rows")]


def test_validate_dir_takes_its_folder_from_the_caller():
    """Settings are resolved once, by the caller: validate_dir has no default folder of its own."""
    import inspect

    assert inspect.signature(validate_dir).parameters["data_dir"].default is inspect.Parameter.empty
    with pytest.raises(TypeError):
        validate_dir()
