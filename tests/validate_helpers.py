"""Shared helpers of the validation tests (``test_validate_*.py``): copying and corrupting data folders, tiny frames."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import yaml

from ipsreport.inputs.codebook.codebook import load_codebook
from ipsreport.inputs.validate import ValidationReport, validate, validate_dir

CODEBOOK = load_codebook()
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
