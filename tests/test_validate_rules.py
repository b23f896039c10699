"""Every codebook rule on tiny hand-made frames; duplicate ids; registry against follow-up; optional datasets."""

from __future__ import annotations

import pandas as pd
import pytest

from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.inputs.validate import Violation, build_schema, validate, validate_dir
from validate_helpers import CODEBOOK, _fidelity, _only, tiny  # tests/ is on sys.path under pytest


# --------------------------------------------------------------------------- tiny hand-made frames


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
    from ipsreport.inputs import validate as validate_module

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


@pytest.mark.twin
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
