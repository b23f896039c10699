"""Synthetic only when the package recognises the bytes: ipsreport.inputs.manifest never believes a manifest."""

from __future__ import annotations

import hashlib
import shutil

import pytest
import yaml

from ipsreport.inputs.manifest import check_manifest
from ipsreport.paths import DATA_DIR, SYNTHETIC_DIR
from ipsreport.synth import checksums


def _copy_twin(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(SYNTHETIC_DIR, folder)
    return folder


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.twin
def test_the_package_knows_the_shipped_twins_checksums():
    """The list in ipsreport.synth.checksums is the shipped files' (rewritten by `make synth`)."""
    shipped = {p.name: _sha(p) for p in SYNTHETIC_DIR.glob("*.csv")}
    assert checksums.TWIN == shipped
    for name, listed in checksums.EXAMPLES.items():
        folder = DATA_DIR / "examples" / name
        assert listed == {p.name: _sha(p) for p in folder.glob("*.csv")}, name


@pytest.mark.twin
def test_the_shipped_twin_is_verified():
    check = check_manifest(SYNTHETIC_DIR)
    assert check.synthetic and check.twin and not check.problems


def test_a_copy_of_the_twin_is_the_twin_whatever_its_manifest_says(tmp_path):
    folder = _copy_twin(tmp_path)
    (folder / "manifest.yml").write_text("synthetic: false\n", encoding="utf-8")
    assert check_manifest(folder).twin


def test_the_fidelity_example_is_synthetic_but_not_the_twin():
    check = check_manifest(DATA_DIR / "examples" / "fidelity")
    assert check.synthetic and not check.twin and check.origin == "example"


def test_a_changed_file_is_real_data(tmp_path):
    folder = _copy_twin(tmp_path)
    with open(folder / "registry.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    check = check_manifest(folder)
    assert check.claims_synthetic and not check.verified and not check.twin
    assert any("registry.csv" in p for p in check.problems)


@pytest.mark.twin
def test_a_hand_written_manifest_with_the_files_own_checksums_is_not_believed(tmp_path):
    """Issue 17: five lines claiming the twin, with the real files' checksums, switched the rule off."""
    from ipsreport.inputs.edition import edition
    from ipsreport.synth.sample import write_cohort

    folder = write_cohort(tmp_path / "real", 8, sites=2, seed=0)
    files = {p.name: {"sha256": _sha(p)} for p in folder.glob("*.csv")}
    manifest = {"synthetic": True, "generator": "ipsreport.synth.twin", "files": files}
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    check = check_manifest(folder)
    assert check.claims_synthetic and not check.synthetic and not check.twin
    assert any("ikke ipsreports egne syntetiske data" in p for p in check.problems)
    ed = edition(folder)
    assert not ed.twin and not ed.synthetic and ed.settings.min_cell == 3


@pytest.mark.twin
def test_a_sampled_cohort_is_recognised_by_making_it_again(tmp_path):
    from ipsreport.synth.sample import write_cohort

    folder = write_cohort(tmp_path / "cohort", 12, sites=2, seed=3)
    check = check_manifest(folder)
    assert check.origin == "sample" and check.synthetic and not check.twin
    # One changed byte, or other arguments in the manifest, and it is real data.
    manifest = yaml.safe_load((folder / "manifest.yml").read_text(encoding="utf-8"))
    manifest["seed"] = 4
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    assert not check_manifest(folder).synthetic


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
