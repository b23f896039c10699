"""Tests of ipsreport.synth.sample: valid, deterministic cohorts of any size."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import yaml

from ipsreport.analysis.scoring import score_surveys
from ipsreport.inputs.codebook.codebook import load_codebook
from ipsreport.analysis.spec import REGRESSION_OUTCOME, TERM_NAMES, regression_frame
from ipsreport.synth.sample import DEFAULT_PROBABILITIES, sample_cohort, write_cohort
from ipsreport.inputs.validate import validate, validate_dir

pytestmark = pytest.mark.twin  # sampled cohorts, validated

CODEBOOK = load_codebook()


@pytest.mark.parametrize(("n", "sites", "seed"), [(1, 1, 0), (2, 1, 1), (7, 3, 2), (66, 1, 3), (400, 4, 4)])
def test_sampled_cohort_validates(n, sites, seed):
    frames = sample_cohort(n, sites=sites, seed=seed)
    report = validate(frames)
    assert report.ok, report.format()
    assert report.warnings == []


def test_sizes_follow_the_shares():
    frames = sample_cohort(1000, seed=0)
    assert len(frames["registry"]) == 1000
    assert len(frames["baseline"]) == 830
    assert len(frames["followup"]) == round(0.78 * 830)


def test_same_seed_same_cohort_other_seed_other_cohort():
    a = sample_cohort(120, sites=2, seed=7)
    b = sample_cohort(120, sites=2, seed=7)
    c = sample_cohort(120, sites=2, seed=8)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["baseline"].equals(c["baseline"])


def test_columns_and_dtypes_match_the_codebook():
    frames = sample_cohort(30, seed=1)
    dtypes = {"id": "string", "string": "string", "category": "Int64", "integer": "Int64",
              "number": "Float64", "date": "datetime64[ns]"}
    for name, frame in frames.items():
        variables = CODEBOOK[name].variables
        assert list(frame.columns) == [v.name for v in variables]
        assert {v.name: dtypes[v.type] for v in variables} == {c: str(t) for c, t in frame.dtypes.items()}


def test_site_names_and_ids():
    registry = sample_cohort(300, sites=3, seed=2)["registry"]
    assert sorted(registry["site"].unique()) == ["Site 01", "Site 02", "Site 03"]
    assert registry["id"].is_unique
    assert registry["id"].iloc[0] == "U0001"
    # Ids are given in registration order.
    assert registry["start_date"].is_monotonic_increasing


def test_follow_up_agrees_with_registry():
    frames = sample_cohort(500, seed=3)
    reg = frames["registry"].set_index("id")
    fu = frames["followup"].set_index("id")
    exit_status = reg.loc[fu.index, "exit_status"]
    assert (fu["still_enrolled"] == (exit_status == 5).astype("Int64")).all()
    finished = fu["still_enrolled"] == 0
    in_job = fu.loc[finished, "in_job_education"].dropna()
    assert (in_job == exit_status[finished].isin([1, 2, 3]).astype("Int64")[in_job.index]).all()
    # Duration bands come from the registry dates (two-month bands, over 12 = 7).
    end = reg.loc[fu.index, "end_date"].fillna(pd.Timestamp("2025-05-01"))
    months = (end - reg.loc[fu.index, "start_date"]).dt.days / 30.4375
    expected = np.clip(np.floor(months / 2), 0, 6) + 1
    observed = fu["duration"]
    answered = observed.notna()
    assert (observed[answered].astype(int) == expected[answered].astype(int)).all()


def test_marginals_are_plausible():
    frames = sample_cohort(20_000, seed=4)
    exit_share = frames["registry"]["exit_status"].value_counts(normalize=True)
    for code, p in DEFAULT_PROBABILITIES["exit_status"].items():
        assert abs(exit_share[code] - p) < 0.02
    ages = frames["baseline"]["age"].dropna()
    assert ages.min() >= 15 and ages.max() <= 29
    assert 21 < ages.mean() < 23
    # Items asked at both times are paired: answers move at most one step.
    base = frames["baseline"].set_index("id")
    fu = frames["followup"].set_index("id")
    diff = (fu["who5_1"] - base.loc[fu.index, "who5_1"]).dropna().abs()
    assert diff.max() <= 1
    # Non-response is small but present.
    share_missing = frames["baseline"]["surplus"].isna().mean()
    assert 0.003 < share_missing < 0.03


def test_conditional_items_are_blank_when_not_asked():
    fu = sample_cohort(400, seed=5)["followup"]
    no_contact = fu["psych_contact"] != 1
    assert fu.loc[no_contact.fillna(True), "psych_dialogue"].isna().all()
    assert fu.loc[fu["psych_contact"] == 1, "psych_dialogue"].notna().mean() > 0.95


def test_regression_of_table_9_can_be_fitted():
    frames = sample_cohort(300, seed=0)
    data = regression_frame(frames["baseline"], frames["followup"], score_surveys(frames["baseline"], frames["followup"]))
    y = data[REGRESSION_OUTCOME]
    assert len(data) >= 60
    assert 10 <= y.sum() <= len(data) - 10  # both outcomes well represented
    result = sm.Logit(y, sm.add_constant(data[list(TERM_NAMES)])).fit(disp=0)
    assert result.mle_retvals["converged"]
    assert np.isfinite(result.params).all()


def test_write_cohort_folder_validates(tmp_path):
    folder = write_cohort(tmp_path / "cohort", 80, sites=2, seed=9)
    assert sorted(p.name for p in folder.iterdir()) == ["baseline.csv", "followup.csv", "manifest.yml", "registry.csv"]
    manifest = yaml.safe_load((folder / "manifest.yml").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True
    assert manifest["generator"] == "ipsreport.synth.sample.write_cohort"
    assert (manifest["n"], manifest["sites"], manifest["seed"]) == (80, 2, 9)
    assert manifest["files"]["registry.csv"]["rows"] == 80
    assert manifest["files"]["baseline.csv"]["sha256"] == hashlib.sha256((folder / "baseline.csv").read_bytes()).hexdigest()
    report = validate_dir(folder)
    assert report.ok, report.format()
    # Written files are byte-for-byte reproducible.
    again = write_cohort(tmp_path / "again", 80, sites=2, seed=9)
    for name in ("registry.csv", "baseline.csv", "followup.csv", "manifest.yml"):
        assert (folder / name).read_bytes() == (again / name).read_bytes()


def test_large_cohort_validates(tmp_path):
    frames = sample_cohort(10_000, sites=12, seed=6)
    report = validate(frames)
    assert report.ok, report.format()
    assert frames["registry"]["site"].nunique() == 12


def test_bad_arguments():
    with pytest.raises(ValueError, match="n must be at least 1"):
        sample_cohort(0)
    with pytest.raises(ValueError, match="sites must be at least 1"):
        sample_cohort(5, sites=0)


def test_probability_override():
    frames = sample_cohort(500, seed=1, probabilities={"gender": {1: 0.0, 2: 1.0, 3: 0.0}})
    assert set(frames["baseline"]["gender"].dropna()) == {2}
