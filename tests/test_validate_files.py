"""Validating data folders: the generated and shipped data pass; every kind of broken file is reported."""

from __future__ import annotations

import pandas as pd
import pytest

from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.inputs.validate import validate_dir
from validate_helpers import _copy, _read, _save, corrupt, messages  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.twin  # the synthetic twin or a generated cohort


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
