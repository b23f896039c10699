"""Synthetic only when proven: ipsreport.manifest checks the manifest against the files."""

from __future__ import annotations

import shutil

from ipsreport.manifest import check_manifest
from ipsreport.paths import SYNTHETIC_DIR


def _copy_twin(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(SYNTHETIC_DIR, folder)
    return folder


def test_the_shipped_twin_is_verified():
    check = check_manifest(SYNTHETIC_DIR)
    assert check.synthetic and check.twin and not check.problems


def test_a_changed_file_is_real_data(tmp_path):
    folder = _copy_twin(tmp_path)
    with open(folder / "registry.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    check = check_manifest(folder)
    assert check.claims_synthetic and not check.verified and not check.twin
    assert any("registry.csv" in p for p in check.problems)


def test_a_copied_manifest_beside_other_files_is_not_believed(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(SYNTHETIC_DIR / "manifest.yml", folder / "manifest.yml")
    for name in ("registry", "baseline", "followup"):
        (folder / f"{name}.xlsx").write_bytes(b"real export")
    check = check_manifest(folder)
    assert not check.synthetic
    assert any("registry.xlsx" in p for p in check.problems)


def test_no_or_broken_manifest_is_real(tmp_path):
    assert not check_manifest(tmp_path).claims_synthetic
    (tmp_path / "manifest.yml").write_text("synthetic: [", encoding="utf-8")
    check = check_manifest(tmp_path)
    assert not check.synthetic and check.problems
