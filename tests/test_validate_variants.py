"""Validating data folders written differently: CSV dialects, encodings, extra columns, SPSS labels, manifests."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from ipsreport.inputs.load import load_raw
from ipsreport.inputs.validate import DataValidationError, validate, validate_dir
from validate_helpers import _copy, _read, _save, corrupt  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.twin  # the synthetic twin or a generated cohort


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
