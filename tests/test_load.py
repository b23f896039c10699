"""Tests of ipsreport.inputs.load: finding files, reading CSV/XLSX/SAV as text, converting."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from ipsreport.inputs.codebook.codebook import load_codebook
from ipsreport.inputs.load import DATASETS, convert, find_data_files, load_raw, raw_from_frames
from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.synth.sample import sample_cohort
from ipsreport.inputs.validate import validate_dir

CODEBOOK = load_codebook()
KINDS = ("csv", "semicolon_decimal_comma", "cp1252", "bom", "xlsx", "sav")


@pytest.fixture(scope="module")
def cohort() -> dict[str, pd.DataFrame]:
    frames = sample_cohort(40, sites=2, seed=5)
    # Danish letters make the encoding matter (ASCII is valid in every encoding).
    frames["registry"]["consultant"] = frames["registry"]["consultant"].str.replace("Konsulent", "Søren Æbelø")
    return frames


def _for_sav(frame: pd.DataFrame) -> pd.DataFrame:
    """SPSS has no nullable ints or string NA: float codes, "" for missing text."""
    out = {}
    for col in frame.columns:
        dtype = str(frame[col].dtype)
        if dtype in ("Int64", "Float64"):
            out[col] = frame[col].astype("float64")
        elif dtype == "string":
            out[col] = frame[col].astype(object).where(frame[col].notna(), "")
        else:
            out[col] = frame[col]
    return pd.DataFrame(out)


def write_variant(frames: dict[str, pd.DataFrame], folder: Path, kind: str) -> Path:
    """Save the same cohort in one of the supported file flavours."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        if kind == "csv":
            frame.to_csv(folder / f"{name}.csv", index=False, date_format="%Y-%m-%d")
        elif kind == "semicolon_decimal_comma":  # Danish Excel "CSV (semikolonsepareret)"
            frame.to_csv(folder / f"{name}.csv", index=False, sep=";", decimal=",", encoding="cp1252",
                         date_format="%d-%m-%Y")
        elif kind == "cp1252":
            frame.to_csv(folder / f"{name}.csv", index=False, encoding="cp1252", date_format="%Y-%m-%d")
        elif kind == "bom":
            frame.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
        elif kind == "xlsx":
            frame.to_excel(folder / f"{name}.xlsx", index=False)
        elif kind == "sav":
            labels = {
                v.name: {float(k): lab for k, lab in v.values.items()}
                for v in CODEBOOK[name].variables
                if v.type == "category"
            }
            pyreadstat.write_sav(_for_sav(frame), str(folder / f"{name}.sav"), variable_value_labels=labels)
        else:
            raise ValueError(kind)
    return folder


@pytest.fixture(scope="module")
def variants(cohort, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("variants")
    return {kind: write_variant(cohort, root / kind, kind) for kind in KINDS}


# --------------------------------------------------------------------------- formats


@pytest.mark.twin
@pytest.mark.parametrize("kind", KINDS)
def test_every_format_loads_to_identical_frames(variants, cohort, kind):
    raw = load_raw(variants[kind])
    assert raw.errors == []
    typed = convert(raw)
    assert typed.failures == []
    for name in DATASETS:
        got = typed[name].reset_index(drop=True)
        expected = cohort[name].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, check_dtype=True)


@pytest.mark.twin
@pytest.mark.parametrize(
    ("kind", "encoding", "delimiter", "decimal"),
    [
        ("csv", "utf-8", ",", "."),
        ("semicolon_decimal_comma", "cp1252", ";", ","),
        ("cp1252", "cp1252", ",", "."),
        ("bom", "utf-8-sig", ",", "."),
    ],
)
def test_csv_dialect_is_detected(variants, kind, encoding, delimiter, decimal):
    raw = load_raw(variants[kind])
    registry, baseline = raw.sources["registry"], raw.sources["baseline"]
    # The registry holds the Danish letters, so its encoding is decided by them.
    assert registry.encoding == encoding
    assert registry.delimiter == delimiter
    # Decimal numbers live in baseline (work_experience_years).
    assert baseline.decimal == decimal
    assert registry.format == "csv"


@pytest.mark.twin
def test_raw_frames_keep_the_text_as_written(variants):
    raw = load_raw(variants["semicolon_decimal_comma"])
    years = raw.frames["baseline"]["work_experience_years"]
    assert years.str.contains(",").any()  # "2,5", not 2.5
    assert raw.frames["registry"]["start_date"].str.match(r"^\d\d-\d\d-\d{4}$").all()
    assert all(isinstance(v, str) for v in raw.frames["baseline"]["who5_1"])


@pytest.mark.twin
def test_row_numbers_follow_the_file(variants):
    csv_rows = load_raw(variants["csv"]).frames["registry"].index
    xlsx_rows = load_raw(variants["xlsx"]).frames["registry"].index
    sav_rows = load_raw(variants["sav"]).frames["registry"].index
    assert list(csv_rows[:3]) == [2, 3, 4]  # header is row 1
    assert list(xlsx_rows[:3]) == [2, 3, 4]
    assert list(sav_rows[:3]) == [1, 2, 3]  # SPSS: first case is row 1


@pytest.mark.twin
def test_sources_carry_sha256_and_path(variants):
    raw = load_raw(variants["xlsx"])
    source = raw.sources["followup"]
    assert source.path == (variants["xlsx"] / "followup.xlsx").resolve()
    assert source.sha256 == hashlib.sha256(source.path.read_bytes()).hexdigest()
    assert source.format == "xlsx"
    assert source.file == "followup.xlsx"


@pytest.mark.twin
def test_convert_gives_contract_dtypes(variants):
    typed = convert(load_raw(variants["csv"]))
    reg, base = typed["registry"], typed["baseline"]
    assert str(reg["id"].dtype) == "string"
    assert str(reg["start_date"].dtype) == "datetime64[ns]"
    assert str(reg["exit_status"].dtype) == "Int64"
    assert str(base["age"].dtype) == "Int64"
    assert str(base["work_experience_years"].dtype) == "Float64"
    assert list(base.columns) == CODEBOOK["baseline"].names


# --------------------------------------------------------------------------- small files


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def test_blank_line_keeps_spreadsheet_row_numbers(tmp_path):
    _write(tmp_path, "registry.csv", "id,site\nA,x\n\nB,y\n")
    raw = load_raw(tmp_path)
    assert list(raw.frames["registry"].index) == [2, 4]
    assert list(raw.frames["registry"]["id"]) == ["A", "B"]


def test_unquoted_decimal_comma_in_comma_file_is_an_error(tmp_path):
    _write(tmp_path, "baseline.csv", "id,work_experience_years,age\nA,2,5,20\nB,3,21\n")
    raw = load_raw(tmp_path)
    messages = [e.message for e in raw.errors]
    assert (
        "baseline.csv, række 2: rækken har 4 felter, men overskriften har 3; bruger filen decimalkomma "
        "uden anførselstegn? (regel: antal_felter)"
    ) in messages
    assert list(raw.frames["baseline"].index) == [3]


def test_mixed_decimal_marks_are_an_error(tmp_path):
    _write(tmp_path, "baseline.csv", "id;work_experience_years\nA;2,5\nB;3.5\n")
    raw = load_raw(tmp_path)
    assert [e.message for e in raw.errors if e.file == "baseline.csv"] == [
        'baseline.csv: blandede decimaltegn: "2,5" (række 2, kolonne work_experience_years) og '
        '"3.5" (række 3, kolonne work_experience_years) (regel: decimaltegn)'
    ]
    assert "baseline" not in raw.frames


def test_excel_sep_line_names_the_delimiter(tmp_path):
    _write(tmp_path, "registry.csv", "sep=;\r\nid;site\r\nA;x,y\r\n")
    raw = load_raw(tmp_path)
    assert raw.errors == [e for e in raw.errors if e.file != "registry.csv"]
    assert raw.sources["registry"].delimiter == ";"
    assert list(raw.frames["registry"]["site"]) == ["x,y"]
    assert list(raw.frames["registry"].index) == [2]


def test_ambiguous_delimiter_is_an_error(tmp_path):
    # Both ';' and ',' split every line into the same number of fields.
    _write(tmp_path, "registry.csv", "a;b,c\n1;2,3\n")
    raw = load_raw(tmp_path)
    assert [e.rule for e in raw.errors if e.file == "registry.csv"] == ["skilletegn"]


def test_dates_accept_iso_and_danish_day_first_only(tmp_path):
    raw = raw_from_frames(
        {
            "registry": pd.DataFrame(
                {"start_date": ["2024-01-05", "05-01-2024", "5.1.2024", "31-02-2024", "01/05/2024", "2024-01-05 13:00"]}
            )
        }
    )
    typed = convert(raw)
    got = typed["registry"]["start_date"]
    assert list(got[:3]) == [pd.Timestamp("2024-01-05")] * 3
    assert got[3:].isna().all()
    assert [f.message for f in typed.failures] == [
        f'registry, række {row}, kolonne start_date: værdien "{value}" er ikke en gyldig dato '
        "(brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ) (regel: datatype)"
        for row, value in [(5, "31-02-2024"), (6, "01/05/2024"), (7, "2024-01-05 13:00")]
    ]


def test_numbers_and_codes_are_parsed_strictly():
    raw = raw_from_frames(
        {"baseline": pd.DataFrame({"age": ["22", " 23 ", "22.0", "22,5", "", "   ", "x"],
                                   "work_experience_years": ["1", "1.5", ".5", "2.", "", "1e3", "-1"]})}
    )
    typed = convert(raw)
    age = typed["baseline"]["age"]
    assert age.tolist()[:3] == [22, 23, 22]
    assert age[3:].isna().all()  # 22,5 and x fail; blanks are missing
    years = typed["baseline"]["work_experience_years"]
    assert years.tolist()[:4] == [1.0, 1.5, 0.5, 2.0]
    assert years.tolist()[6] == -1.0  # out of range is for validation, not conversion
    failed = sorted((f.column, f.value) for f in typed.failures)
    assert failed == [("age", "22,5"), ("age", "x"), ("work_experience_years", "1e3")]


def test_raw_from_frames_numbers_rows_like_a_csv():
    raw = raw_from_frames({"registry": pd.DataFrame({"id": ["A", None]})})
    frame = raw.frames["registry"]
    assert list(frame.index) == [2, 3]
    assert list(frame["id"]) == ["A", ""]


def test_whitespace_only_cell_is_missing(tmp_path):
    _write(tmp_path, "baseline.csv", "id,age\nA,  \nB,22\n")
    typed = convert(load_raw(tmp_path))
    assert typed["baseline"]["age"].isna().tolist() == [True, False]
    assert typed.failures == []


# --------------------------------------------------------------------------- finding files


def test_two_candidate_files_is_an_error(tmp_path):
    _write(tmp_path, "baseline.csv", "id\nA\n")
    _write(tmp_path, "baseline.xlsx", "not really")
    files, problems = find_data_files(tmp_path)
    assert "baseline" not in files
    assert (
        "baseline: der er flere mulige datafiler (baseline.csv og baseline.xlsx); behold kun én (regel: entydig_fil)"
        in [p.message for p in problems]
    )


def test_missing_file_and_unsupported_format(tmp_path):
    _write(tmp_path, "registry.xls", "old excel")
    files, problems = find_data_files(tmp_path)
    messages = [p.message for p in problems]
    assert "registry.xls: formatet .xls understøttes ikke; gem filen som .xlsx (Excel-projektmappe) eller .csv (regel: filformat)" in messages
    assert (
        f"followup: ingen datafil fundet i {tmp_path} (forventet followup.csv, followup.xlsx eller followup.sav) "
        "(regel: fil_mangler)"
    ) in messages


def test_optional_dataset_may_be_absent_but_not_ambiguous(tmp_path):
    for name in ("registry", "baseline", "followup"):
        _write(tmp_path, f"{name}.csv", "id\nA\n")
    files, problems = find_data_files(tmp_path)
    assert set(files) == {"registry", "baseline", "followup"} and problems == []
    _write(tmp_path, "Fidelity.csv", "site\nA\n")
    files, problems = find_data_files(tmp_path)
    assert files["fidelity"].name == "Fidelity.csv" and problems == []
    _write(tmp_path, "fidelity.xlsx", "not really")
    files, problems = find_data_files(tmp_path)
    assert "fidelity" not in files
    assert [p.rule for p in problems] == ["entydig_fil"]


def test_optional_dataset_with_only_a_header_has_no_rows(tmp_path):
    for name in ("baseline", "followup"):
        _write(tmp_path, f"{name}.csv", "id,site\nA,B\n")
    _write(tmp_path, "fidelity.csv", "site,review_date\n")
    _write(tmp_path, "registry.csv", "id,site\n")  # the registry defines the cohort: it must have rows
    raw = load_raw(tmp_path)
    assert [e.file for e in raw.errors if e.rule == "tom_fil"] == ["registry.csv"]
    assert raw.frames["fidelity"].empty and list(raw.frames["fidelity"].columns) == ["site", "review_date"]


def test_a_survey_nobody_has_answered_yet_is_valid_with_a_warning(tmp_path):
    """A new site may have no follow-up answers yet: a header-only survey file is data, not an error."""
    for name in ("registry", "baseline"):
        _write(tmp_path, f"{name}.csv", "id,site\nA,B\n")
    _write(tmp_path, "followup.csv", "id,site\n")
    raw = load_raw(tmp_path)
    assert not [e for e in raw.errors if e.rule == "tom_fil"]
    assert [w.rule for w in raw.warnings if w.file == "followup.csv"] == ["ingen_svar"]
    assert raw.frames["followup"].empty


def test_file_names_match_case_insensitively(tmp_path):
    _write(tmp_path, "Registry.CSV", "id\nA\n")
    files, _ = find_data_files(tmp_path)
    assert files["registry"].name == "Registry.CSV"


def test_xlsx_extra_sheets_warn_and_first_sheet_is_read(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    wb.active.append(["id", "site"])
    wb.active.append(["A", "Site 01"])
    wb.create_sheet("Noter").append(["ignored"])
    wb.save(tmp_path / "registry.xlsx")
    raw = load_raw(tmp_path)
    assert list(raw.frames["registry"]["id"]) == ["A"]
    assert [w.message for w in raw.warnings] == [
        "registry.xlsx: projektmappen har 2 ark; kun det første ark (Data) læses (regel: flere_ark)"
    ]


def test_sav_codes_are_read_not_labels(tmp_path):
    frame = pd.DataFrame({"id": ["A", "B"], "gender": [1.0, 2.0], "age": [20.0, np.nan]})
    pyreadstat.write_sav(frame, str(tmp_path / "baseline.sav"),
                         variable_value_labels={"gender": {1.0: "Mand", 2.0: "Kvinde"}})
    raw = load_raw(tmp_path)
    assert list(raw.frames["baseline"]["gender"]) == ["1", "2"]
    assert list(raw.frames["baseline"]["age"]) == ["20", ""]
    assert raw.sources["baseline"].value_labels == {"gender": {1: "Mand", 2: "Kvinde"}}


def test_unreadable_file_is_a_violation_not_an_exception(tmp_path, monkeypatch):
    from pathlib import Path as _Path

    (tmp_path / "registry.csv").write_text("id\nA\n", encoding="utf-8")
    real = _Path.read_bytes

    def deny(self):
        if self.name == "registry.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(_Path, "read_bytes", deny)
    raw = load_raw(tmp_path)
    problem, = [v for v in raw.errors if v.file == "registry.csv"]
    assert problem.rule == "ulæselig_fil"
    assert problem.message.startswith("registry.csv: filen kan ikke åbnes (Permission denied)")
    assert "registry" not in raw.frames


# --- a title above the header ----------------------------------------------------------


def _with_title(folder: Path, name: str, above: list[list[str]]) -> Path:
    """A copy of the twin's ``name`` file as .xlsx with ``above`` rows written before its header."""
    import openpyxl

    frame = pd.read_csv(SYNTHETIC_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in above:
        ws.append(row)
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    wb.save(folder / f"{name}.xlsx")
    return folder


@pytest.mark.twin
@pytest.mark.parametrize("above", [
    [["Projektregistrering 2026"], []],  # a title and a blank row
    [["Projektregistrering 2026"]],  # a title right above the header
    [["IPS UNG", "udtræk fra fagsystemet"], ["Dato: 2026-01-05"]],  # two lines of notes
])
def test_a_title_above_the_header_is_one_message(tmp_path, above):
    for name in ("baseline", "followup"):
        shutil.copy(SYNTHETIC_DIR / f"{name}.csv", tmp_path / f"{name}.csv")
    _with_title(tmp_path, "registry", above)
    report = validate_dir(tmp_path)
    header_row = len(above) + 1
    registry = [e for e in report.errors if e.file == "registry.xlsx"]
    assert [e.rule for e in registry] == ["overskrift"], report.format()
    message = registry[0].message
    assert "række 1" in message and f"række {header_row}" in message and "id, site, consultant" in message
    assert len(report.errors) == 1, report.format()  # the surveys are not blamed for the registry's title


@pytest.mark.twin
def test_a_header_moved_down_by_blank_rows_is_still_one_message(tmp_path):
    for name in ("baseline", "followup"):
        shutil.copy(SYNTHETIC_DIR / f"{name}.csv", tmp_path / f"{name}.csv")
    _with_title(tmp_path, "registry", [[], []])
    report = validate_dir(tmp_path)
    assert [e.rule for e in report.errors] == ["overskrift"], report.format()
