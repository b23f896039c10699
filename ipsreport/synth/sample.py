"""Draw a valid cohort of any size from the codebook alone.

Unlike the calibrated synthetic twin (the rest of ``ipsreport.synth``), this
sampler does not try to reproduce published figures. It produces data that
obey every codebook rule (allowed codes, ranges, ``asked_if`` conditions,
cross-file id rules, date order) with plausible marginal distributions, for
tests of any size and for the speed/scale benchmarks. Everything is drawn
column-wise with numpy, so 100,000 registry rows take about a second.

Where the codebook gives no distribution, :data:`DEFAULT_PROBABILITIES` does
(keyed by variable name, falling back to the scale name, then to uniform).
A few relations are built in so the data make sense together: end dates
follow start dates and exit status, the follow-up's ``still_enrolled``,
``in_job_education`` and ``duration`` agree with the registry, and items asked
in both surveys are drawn paired (the end answer is the start answer moved at
most one step).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ipsreport.inputs.codebook.codebook import Codebook, Dataset, Variable, load_codebook
from ipsreport.analysis.derived import ACTIVE_CODE, DAYS_PER_MONTH, duration_code, is_success, months_enrolled

__all__ = ["sample_cohort", "write_cohort", "DEFAULT_PROBABILITIES", "SHARES"]

#: Share of registry rows with a baseline answer, and of baseline with a follow-up.
SHARES = {"baseline": 0.83, "followup": 0.78}
#: Item non-response in the surveys (per item, for items not required).
ITEM_NONRESPONSE = 0.01
#: Enrolment period used for start and end dates (the reference edition's).
DEFAULT_PERIOD = (dt.date(2022, 5, 1), dt.date(2025, 5, 1))

#: Default code probabilities by variable name, else by scale name. Plausible
#: shapes for this target group (not calibrated to any published figure).
DEFAULT_PROBABILITIES: dict[str, dict[int, float]] = {
    # registry
    "referral_status": {1: 0.45, 2: 0.55},
    "exit_status": {1: 0.14, 2: 0.05, 3: 0.21, 4: 0.25, 5: 0.35},
    "placement_ever": {1: 0.7, 0: 0.3},
    "placement_now": {1: 0.8, 0: 0.2},
    "psychiatry_contact": {1: 0.5, 0: 0.5},
    "uu_guidance": {1: 0.33, 0: 0.67},
    # baseline
    "gender": {1: 0.44, 2: 0.53, 3: 0.03},
    "education": {1: 0.08, 2: 0.55, 3: 0.31, 4: 0.03, 5: 0.02, 6: 0.01, 7: 0.0},
    "work_experience": {1: 0.85, 0: 0.15},
    "support_psychiatry": {1: 0.24, 0: 0.76},
    "support_mentor": {1: 0.2, 0: 0.8},
    "support_psychologist": {1: 0.15, 0: 0.85},
    "support_assessment": {1: 0.13, 0: 0.87},
    "support_home_guide": {1: 0.05, 0: 0.95},
    "support_other": {1: 0.22, 0: 0.78},
    "goal_job": {1: 0.8, 0: 0.2},
    "goal_everyday": {1: 0.56, 0: 0.44},
    "goal_education": {1: 0.4, 0: 0.6},
    "goal_understood": {1: 0.38, 0: 0.62},
    "goal_social": {1: 0.27, 0: 0.73},
    "surplus": {1: 0.05, 2: 0.19, 3: 0.45, 4: 0.21, 5: 0.1},
    "belief_work": {1: 0.18, 2: 0.29, 3: 0.26, 4: 0.17, 5: 0.1},
    # follow-up: psych_contact and had_placement follow the registry (see DISAGREE)
    # scales
    "fits4": {1: 0.6, 2: 0.3, 3: 0.08, 4: 0.02},
    "degree5": {1: 0.3, 2: 0.35, 3: 0.2, 4: 0.1, 5: 0.05},
    "who5": {0: 0.07, 1: 0.2, 2: 0.23, 3: 0.25, 4: 0.18, 5: 0.07},
    "agree4": {1: 0.08, 2: 0.22, 3: 0.45, 4: 0.25},
    "frequency5": {1: 0.15, 2: 0.25, 3: 0.3, 4: 0.2, 5: 0.1},
    "burden5": {1: 0.1, 2: 0.2, 3: 0.35, 4: 0.25, 5: 0.1},
    "experience5": {1: 0.45, 2: 0.35, 3: 0.12, 4: 0.05, 5: 0.03},
    "effect5": {1: 0.4, 2: 0.38, 3: 0.15, 4: 0.05, 5: 0.02},
    "yes_no": {1: 0.5, 0: 0.5},
}
#: Shape of numeric variables: (mean, sd) of a rounded normal, or gamma (shape, scale).
NUMERIC_DEFAULTS = {
    "age": ("normal", 22.0, 3.5),
    "work_experience_years": ("gamma", 1.6, 2.0),
}
#: How far (in steps) an item answered in both surveys moves from start to end.
PAIRED_STEPS = {-1: 0.25, 0: 0.5, 1: 0.25}
#: Chance that a follow-up self-report disagrees with the matching registry field.
DISAGREE = 0.1


def _probabilities(var: Variable, probabilities: dict[str, dict[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    codes = np.array(var.codes, dtype=np.int64)
    table = probabilities.get(var.name) or probabilities.get(var.scale or "") or {}
    p = np.array([float(table.get(int(c), 0.0)) for c in codes]) if table else np.ones(len(codes))
    if p.sum() <= 0:
        p = np.ones(len(codes))
    return codes, p / p.sum()


def _draw_category(rng: np.random.Generator, var: Variable, n: int, probabilities) -> np.ndarray:
    codes, p = _probabilities(var, probabilities)
    return rng.choice(codes, size=n, p=p)


def _draw_numeric(rng: np.random.Generator, var: Variable, n: int) -> np.ndarray:
    lo, hi = var.range if var.range else (0.0, 100.0)
    kind = NUMERIC_DEFAULTS.get(var.name)
    if kind and kind[0] == "normal":
        values = rng.normal(kind[1], kind[2], size=n)
    elif kind and kind[0] == "gamma":
        values = rng.gamma(kind[1], kind[2], size=n)
    else:
        values = rng.uniform(lo, hi, size=n)
    if var.type == "integer":
        values = np.rint(values)
    else:
        values = np.round(values * 2) / 2  # half years, as people answer
    return np.clip(values, lo, hi)


def _int_series(values: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(values, index=index).astype("Int64")


def _condition_mask(frame: pd.DataFrame, expr: str) -> np.ndarray:
    """True where an ``asked_if`` condition holds (unknown counts as not asked)."""
    result = frame.eval(expr, engine="python")
    return pd.Series(result, index=frame.index).astype("boolean").fillna(False).to_numpy(dtype=bool)


def _apply_asked_if(frame: pd.DataFrame, dataset: Dataset) -> None:
    """Blank every conditional item whose condition is not (known to be) true."""
    for var in dataset.variables:
        if var.asked_if and var.name in frame.columns:
            asked = _condition_mask(frame, var.asked_if)
            frame.loc[~asked, var.name] = pd.NA


def _nonresponse(rng: np.random.Generator, frame: pd.DataFrame, dataset: Dataset, skip: set[str]) -> None:
    for var in dataset.variables:
        if var.required or var.required_if_asked or var.name in skip or var.type in ("id",):
            continue
        drop = rng.random(len(frame)) < ITEM_NONRESPONSE
        if drop.any():
            frame.loc[drop, var.name] = pd.NA


def _flip(rng: np.random.Generator, values: np.ndarray, rate: float) -> np.ndarray:
    """Return 0/1 values with a share ``rate`` flipped."""
    flip = rng.random(len(values)) < rate
    return np.where(flip, 1 - values, values)


def _registry(rng, ds: Dataset, n: int, sites: int, period, probabilities) -> pd.DataFrame:
    index = pd.RangeIndex(n)
    width = max(4, len(str(n)))
    start0, end0 = (pd.Timestamp(d) for d in period)
    span = (end0 - start0).days - 30
    # Registration order: ids increase with start date.
    start_days = np.sort(rng.integers(0, max(span, 1), size=n))
    start = start0 + pd.to_timedelta(start_days, unit="D")
    out: dict[str, pd.Series] = {}
    cols = {}
    for var in ds.variables:
        if var.type == "category":
            cols[var.name] = _draw_category(rng, var, n, probabilities)
    months = rng.gamma(2.2, 4.0, size=n)
    days = np.maximum(np.rint(months * DAYS_PER_MONTH), 14).astype("int64")
    end = start + pd.to_timedelta(days, unit="D")
    end = end.where(end < end0, end0 - pd.Timedelta(days=1))
    site_width = max(2, len(str(sites)))
    site_no = rng.integers(1, sites + 1, size=n)
    consultant_no = rng.integers(0, 3, size=n)
    for var in ds.variables:
        if var.type == "id":
            out[var.name] = pd.Series([f"U{i:0{width}d}" for i in range(1, n + 1)], index=index, dtype="string")
        elif var.name == "site":
            out[var.name] = pd.Series([f"Site {s:0{site_width}d}" for s in site_no], index=index, dtype="string")
        elif var.name == "consultant":
            out[var.name] = pd.Series(
                [f"Konsulent {s:0{site_width}d}{chr(65 + k)}" for s, k in zip(site_no, consultant_no)],
                index=index, dtype="string",
            )
        elif var.name == "start_date":
            out[var.name] = pd.Series(start, index=index).astype("datetime64[ns]")
        elif var.name == "end_date":
            out[var.name] = pd.Series(end, index=index).astype("datetime64[ns]")
        elif var.type == "category":
            out[var.name] = _int_series(cols[var.name], index)
        elif var.type in ("integer", "number"):
            out[var.name] = pd.Series(_draw_numeric(rng, var, n), index=index).astype(
                "Int64" if var.type == "integer" else "Float64")
        elif var.type == "date":
            out[var.name] = pd.Series(start, index=index).astype("datetime64[ns]")
        else:
            out[var.name] = pd.Series([f"{var.name} {i}" for i in range(n)], index=index, dtype="string")
    frame = pd.DataFrame(out)
    # Only someone who has had a placement can be in one now.
    if {"placement_now", "placement_ever"} <= set(frame.columns):
        frame["placement_now"] = frame["placement_now"].where(frame["placement_ever"] == 1, 0).astype("Int64")
    _apply_asked_if(frame, ds)
    return frame


def _survey(rng, ds: Dataset, ids: pd.Series, probabilities, fixed: dict[str, pd.Series]) -> pd.DataFrame:
    n = len(ids)
    index = pd.RangeIndex(n)
    out: dict[str, pd.Series] = {}
    for var in ds.variables:
        if var.name in fixed:
            out[var.name] = fixed[var.name].reset_index(drop=True)
        elif var.type == "id":
            out[var.name] = ids.reset_index(drop=True).astype("string")
        elif var.type == "category":
            out[var.name] = _int_series(_draw_category(rng, var, n, probabilities), index)
        elif var.type in ("integer", "number"):
            out[var.name] = pd.Series(_draw_numeric(rng, var, n), index=index).astype(
                "Int64" if var.type == "integer" else "Float64")
        elif var.type == "date":
            out[var.name] = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
        else:
            out[var.name] = pd.Series(pd.NA, index=index, dtype="string")
    return pd.DataFrame(out)


def _paired(rng, var: Variable, start: pd.Series, probabilities) -> pd.Series:
    """End answers: the start answer moved at most one step along the scale."""
    codes = np.array(sorted(var.codes), dtype=np.int64)
    steps = rng.choice(np.array(list(PAIRED_STEPS)), size=len(start), p=np.array(list(PAIRED_STEPS.values())))
    pos = np.searchsorted(codes, start.fillna(codes[0]).to_numpy(dtype=np.int64))
    moved = codes[np.clip(pos + steps, 0, len(codes) - 1)]
    fresh = _draw_category(rng, var, len(start), probabilities)
    return pd.Series(np.where(start.isna().to_numpy(), fresh, moved), index=start.index).astype("Int64")


def sample_cohort(
    n: int,
    sites: int = 1,
    seed: int = 0,
    codebook: Codebook | None = None,
    probabilities: dict[str, dict[int, float]] | None = None,
    period: tuple[dt.date, dt.date] = DEFAULT_PERIOD,
) -> dict[str, pd.DataFrame]:
    """Draw a valid cohort of ``n`` registry rows with matching surveys.

    Parameters
    ----------
    n : int
        Number of young people (registry rows), at least 1.
    sites : int, default 1
        Number of sites, named ``"Site 01"``, ``"Site 02"``, ...
    seed : int, default 0
        Seed of the numpy generator; the same seed gives the same cohort.
    codebook : Codebook, optional
        Defaults to the project codebook.
    probabilities : dict, optional
        Code probabilities by variable or scale name, layered over
        :data:`DEFAULT_PROBABILITIES`.
    period : (date, date)
        Enrolment period for start and end dates.

    Returns
    -------
    dict
        ``{"registry", "baseline", "followup"}`` -> typed DataFrames (codebook
        columns and dtypes, RangeIndex). Baseline holds ``round(0.83 n)`` of the
        registry ids, follow-up ``round(0.78 x baseline)`` of the baseline ids.
    """
    if int(n) < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if int(sites) < 1:
        raise ValueError(f"sites must be at least 1, got {sites}")
    n, sites = int(n), int(sites)
    codebook = codebook or load_codebook()
    probs = {**DEFAULT_PROBABILITIES, **(probabilities or {})}
    rng = np.random.default_rng(seed)
    reg_ds, base_ds, fu_ds = (codebook.datasets[k] for k in ("registry", "baseline", "followup"))

    registry = _registry(rng, reg_ds, n, sites, period, probs)

    n_base = max(1, int(round(SHARES["baseline"] * n)))
    base_pos = np.sort(rng.choice(n, size=n_base, replace=False))
    base_ids = registry[reg_ds.id].iloc[base_pos]
    baseline = _survey(rng, base_ds, base_ids, probs, {})
    if "work_experience_years" in baseline.columns and "age" in baseline.columns:
        # Nobody has more years of work than years since age 15.
        cap = (baseline["age"].astype("Float64") - 15).clip(lower=0)
        baseline["work_experience_years"] = baseline["work_experience_years"].where(
            baseline["work_experience_years"] <= cap, cap).astype("Float64")
    _nonresponse(rng, baseline, base_ds, skip=set())
    _apply_asked_if(baseline, base_ds)

    n_fu = max(1, int(round(SHARES["followup"] * n_base)))
    fu_pos = np.sort(rng.choice(n_base, size=n_fu, replace=False))
    fu_ids = baseline[base_ds.id].iloc[fu_pos].reset_index(drop=True)
    reg = registry.set_index(reg_ds.id).loc[fu_ids.to_numpy()].reset_index(drop=True)
    base_at_fu = baseline.iloc[fu_pos].reset_index(drop=True)

    fixed: dict[str, pd.Series] = {}
    exit_status = reg["exit_status"].to_numpy(dtype=np.int64)
    fixed["still_enrolled"] = pd.Series((exit_status == ACTIVE_CODE).astype(np.int64)).astype("Int64")
    fixed["in_job_education"] = pd.Series(is_success(exit_status).astype(np.int64)).astype("Int64")
    end0 = pd.Timestamp(period[1])
    months = months_enrolled(reg["start_date"], reg["end_date"], end0).to_numpy(dtype=float)
    if "duration" in fu_ds.names:
        codes = np.array(sorted(fu_ds["duration"].codes))
        # Two-month bands up to 12 months, then "over 12" (derived.duration_code: 1..7).
        band = np.array([min(duration_code(m), len(codes)) - 1 for m in months], dtype=np.int64)
        fixed["duration"] = pd.Series(codes[band]).astype("Int64")
    fixed["psych_contact"] = pd.Series(_flip(rng, reg["psychiatry_contact"].to_numpy(dtype=np.int64), DISAGREE)).astype("Int64")
    fixed["had_placement"] = pd.Series(_flip(rng, reg["placement_ever"].to_numpy(dtype=np.int64), DISAGREE)).astype("Int64")
    for var in fu_ds.variables:
        if var.type == "category" and var.name in base_ds.names and var.name != fu_ds.id:
            fixed[var.name] = _paired(rng, var, base_at_fu[var.name], probs)
    fixed = {k: v for k, v in fixed.items() if k in fu_ds.names}
    followup = _survey(rng, fu_ds, fu_ids, probs, fixed)
    _nonresponse(rng, followup, fu_ds, skip=set())
    _apply_asked_if(followup, fu_ds)
    return {"registry": registry, "baseline": baseline, "followup": followup}


def write_cohort(out_dir: str | Path, n: int, sites: int = 1, seed: int = 0) -> Path:
    """Write a sampled cohort as an edition data folder.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write (created if needed); existing files of the same
        names are overwritten.
    n, sites, seed
        As for :func:`sample_cohort`.

    Returns
    -------
    Path
        The folder, holding ``registry.csv``, ``baseline.csv``,
        ``followup.csv`` (UTF-8, comma, decimal point, ISO dates) and
        ``manifest.yml`` (``synthetic: true``, generator, n, sites, seed, and
        each file's rows and SHA-256).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = sample_cohort(n, sites=sites, seed=seed)
    files = {}
    for name, frame in frames.items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n")
        files[path.name] = {"rows": int(len(frame)), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    manifest = {
        "synthetic": True,
        "generator": "ipsreport.synth.sample.write_cohort",
        "calibrated": False,
        "n": int(n),
        "sites": int(sites),
        "seed": int(seed),
        "files": files,
    }
    (out / "manifest.yml").write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out
