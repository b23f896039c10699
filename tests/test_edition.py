"""Tests of ipsreport.inputs.edition: load + validate once, typed frames, caching."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ipsreport.inputs.edition import Edition, clear_cache, edition
from ipsreport.config.settings import get_settings
from ipsreport.synth.sample import write_cohort
from ipsreport.inputs.validate import DataValidationError


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return write_cohort(tmp_path_factory.mktemp("edition"), 50, sites=2, seed=21)


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.mark.twin
def test_edition_fields_follow_the_contract(data_dir):
    ed = edition(data_dir)
    assert isinstance(ed, Edition)
    assert ed.data_dir == data_dir.resolve()
    assert ed.settings.data_dir == data_dir.resolve()
    assert ed.synthetic is True
    assert ed.manifest["generator"] == "ipsreport.synth.sample.write_cohort"
    assert ed.manifest["n"] == 50
    assert len(ed.registry) == 50
    assert len(ed.baseline) == round(0.83 * 50)
    assert len(ed.followup) == round(0.78 * len(ed.baseline))
    assert ed.codebook.datasets["baseline"].names == list(ed.baseline.columns)
    for frame in (ed.registry, ed.baseline, ed.followup):
        assert isinstance(frame.index, pd.RangeIndex)
    assert str(ed.registry["start_date"].dtype) == "datetime64[ns]"
    assert str(ed.registry["exit_status"].dtype) == "Int64"
    assert str(ed.baseline["work_experience_years"].dtype) == "Float64"
    assert str(ed.followup["id"].dtype) == "string"


@pytest.mark.twin
def test_sources_are_the_files_with_sha256(data_dir):
    ed = edition(data_dir)
    assert [s.name for s in ed.sources] == ["registry", "baseline", "followup"]
    for source in ed.sources:
        assert source.path == data_dir.resolve() / f"{source.name}.csv"
        assert source.sha256 == hashlib.sha256(source.path.read_bytes()).hexdigest()
        assert source.format == "csv"


@pytest.mark.twin
def test_source_rows_point_back_to_the_file(data_dir):
    ed = edition(data_dir)
    assert list(ed.source_rows["registry"][:3]) == [2, 3, 4]


@pytest.mark.twin
def test_edition_is_cached_per_folder_and_content(data_dir, tmp_path):
    first = edition(data_dir)
    assert edition(data_dir) is first
    assert edition(str(data_dir)) is first  # same resolved folder

    other = shutil.copytree(data_dir, tmp_path / "copy")
    assert edition(other) is not first
    assert edition(other).data_dir == other.resolve()

    # Changing a file's content gives a fresh load.
    path = other / "registry.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "site"] = "Site 99"
    frame.to_csv(path, index=False)
    changed = edition(other)
    assert changed.registry.loc[0, "site"] == "Site 99"


@pytest.mark.twin
def test_invalid_data_raises_with_the_report(data_dir, tmp_path):
    folder = shutil.copytree(data_dir, tmp_path / "bad")
    frame = pd.read_csv(folder / "baseline.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "who5_1"] = "7"
    frame.to_csv(folder / "baseline.csv", index=False)
    with pytest.raises(DataValidationError) as info:
        edition(folder)
    assert not info.value.report.ok
    assert str(info.value) == info.value.report.format()
    assert 'baseline.csv, række 2, kolonne who5_1: værdien "7" er ikke en tilladt kode' in str(info.value)


@pytest.mark.twin
def test_default_folder_comes_from_the_settings_not_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("IPSREPORT_DATA", str(tmp_path))  # read by the command line only (ipsreport.cli_inputs)
    ed = edition()
    assert ed.data_dir == get_settings().data_dir != tmp_path.resolve()


@pytest.mark.twin
def test_other_settings_reuse_the_validated_data(data_dir, monkeypatch):
    monkeypatch.delenv("IPSREPORT_DATA", raising=False)
    plain = edition(data_dir)
    strict = edition(data_dir, settings={"min_cell": 5})
    assert strict is not plain
    assert strict.settings.min_cell == 5
    assert strict.baseline is plain.baseline  # not loaded twice


@pytest.mark.twin
def test_settings_overrides_and_objects(data_dir, monkeypatch):
    monkeypatch.delenv("IPSREPORT_DATA", raising=False)
    ed = edition(data_dir, settings={"min_cell": 3})
    assert ed.settings.min_cell == 3
    assert ed.data_dir == data_dir.resolve()
    assert edition(settings={"data_dir": str(data_dir)}).data_dir == data_dir.resolve()
    settings = get_settings({"data_dir": str(data_dir), "alpha": 0.1})
    ed2 = edition(settings=settings)
    assert ed2.data_dir == data_dir.resolve()
    assert ed2.settings.alpha == 0.1


@pytest.mark.twin
def test_manifest_absent_means_not_synthetic(data_dir, tmp_path):
    folder = shutil.copytree(data_dir, tmp_path / "real")
    (folder / "manifest.yml").unlink()
    ed = edition(folder)
    assert ed.synthetic is False
    assert ed.manifest == {}


@pytest.mark.twin
def test_manifest_must_be_a_mapping(data_dir, tmp_path):
    folder = shutil.copytree(data_dir, tmp_path / "odd")
    (folder / "manifest.yml").write_text(yaml.safe_dump(["synthetic"]), encoding="utf-8")
    with pytest.raises(ValueError, match="manifestet skal være en YAML-ordbog"):
        edition(folder)


@pytest.mark.twin
def test_chapter_api_edition_is_the_function(data_dir):
    # Chapters call ips.edition() through the explicit chapter API; the module
    # ipsreport.inputs.edition stays a plain module (no callable-module trick).
    import types

    import ipsreport.api as ips
    import ipsreport.inputs.edition

    assert ips.edition is edition and ips.Edition is Edition
    assert isinstance(ips.edition(data_dir), Edition)
    assert type(ipsreport.inputs.edition) is types.ModuleType


def test_missing_folder_raises_a_clear_error(tmp_path):
    with pytest.raises(DataValidationError, match="datamappen findes ikke"):
        edition(tmp_path / "nowhere")


@pytest.mark.twin
def test_settings_that_contradict_the_data_stop_the_chapter(data_dir):
    from ipsreport.inputs.consistency import DataSettingsError

    latest = edition(data_dir).registry["end_date"].max()  # valid with the defaults; now cached
    early = (latest - pd.Timedelta(days=1)).date().isoformat()
    with pytest.raises(DataSettingsError) as info:
        edition(data_dir, settings={"evaluation_end": early})
    assert {v.rule for v in info.value.violations} >= {"evaluation_end"}
    assert "registry.csv, række" in str(info.value) and "evaluation_end" in str(info.value)
    with pytest.raises(DataSettingsError, match="edition_year = 2000"):
        edition(data_dir, settings={"edition_year": 2000})


