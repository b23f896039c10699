"""The synthetic twin of the 2025 cohort.

The real microdata of the 2025 evaluation are confidential. This module builds
a *synthetic* data set with the same structure (``data/codebook.yml``) whose
tables, figures and running-text numbers reproduce the published 2025 report
(``data/published/2025.yml`` lists every published number and what the
twin gives). The twin is fully synthetic: no row describes a real person.

Method
------
The published report only gives margins (counts, percentages, means) plus a
regression table, so the twin is built as a constraint problem in three steps,
all driven by one ``numpy.random.Generator`` seeded with ``seed``:

1. **Exact integer counts per margin and the joint cells that link files.**
   The published percentages are turned into whole counts on their base (for
   example Table 5's 62/29/9 % of 55 -> 34/16/5). Where no whole counts give
   the printed percentages (Table 6, the placement items, some means) the
   closest attainable counts are used and the reason is recorded in
   ``data/published/2025.yml``. The people are laid out in fixed blocks so
   that the cross-file facts hold by construction: 66 enrolled; 55 answered at start,
   43 at the end (34 finished + 9 still enrolled, i.e. exactly the follow-up
   respondents whose registry ``exit_status`` is 5); 40 of the 43 have every
   mental-health score at both times (the other 3 are still enrolled and
   skipped the end block), so the 34 finished respondents of Table 9 all
   have complete data.
2. **Assignment of values to persons.** Each margin is a multiset of values
   that is shuffled onto the eligible persons with the seeded generator,
   subject to the codebook's ``asked_if`` rules and to plausibility
   constraints (education and work experience possible for the age, registry
   placement/psychiatry flags consistent with the survey answers, the five of
   the fifteen without a placement who had been enrolled under four months).
   Scores with published means (WHO-5, mastery, loneliness, burden on the 40
   paired respondents) are drawn within their bands and then moved one step
   at a time until the sums equal the published means exactly.
3. **Calibration of the joint distribution for Table 9.** A seeded simulated
   annealing search permutes values *within* their margins (swapping
   education, age, gender, work experience, the duration/placement answers,
   end-of-programme scores and the outcome between persons; moving single
   units between two paired respondents; editing the unpublished meaning
   items), so every published margin stays exact while the search moves the
   logistic regression of Table 9 (the terms of
   :func:`ipsreport.analysis.derived.regression_terms`, as the analysis codes them)
   towards the published odds ratios, Wald confidence intervals and
   significance marks. The fit inside the loop is
   :func:`ipsreport.analysis.models.newton_logit` (the model statsmodels ``Logit``
   fits, without its overhead); tests check the final fit with statsmodels. The objective also keeps the
   paired changes non-significant with realistic start-end correlations
   (r >= 0.4) and the unpublished meaning items mostly positive. The last
   30 % of the steps polish the best state at low temperature with the exact
   p = 0.053 target for burden.

Finally registry dates are drawn so that each follow-up respondent's months in
the programme (start to end, or to the evaluation end 2025-05-01 for those
still enrolled) fall in the duration category they reported, and the mean over
all 66 is about nine months. Identifiers are numbered in order of start date.

Modules: :mod:`~ipsreport.synth.targets` (the published margins and the
person layout), :mod:`~ipsreport.synth.draws` (steps 1-2),
:mod:`~ipsreport.synth.calibrate` (step 3), :mod:`~ipsreport.synth.finish`
(registry dates and the remaining answers) and this module (the frames and
the files).

The three charts of Bilag 5 (experience, statements, overall effect) have no
published values; the twin fills them with plausible, mostly positive answers
(listed under ``unpublished`` in ``manifest.yml``).

The same seed always gives byte-identical files (:func:`write_twin`); the
test suite rebuilds the shipped files and compares them byte for byte. (The
search compares floating-point losses, so a different BLAS or numpy release
could in principle take another path; the published values would still be
met, but the files would differ and the seed should then be re-run and the
files re-shipped.)
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ipsreport.inputs.codebook.codebook import load_codebook
from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.synth.calibrate import calibrate
from ipsreport.synth.draws import initial_state, split_items
from ipsreport.synth.finish import draw_dates, draw_months, finish
from ipsreport.synth.targets import BASELINE, CONSULTANTS, EVALUATION_END, FOLLOWUP, N_REGISTRY, SITES, UNPUBLISHED

__all__ = [
    "build_twin",
    "write_twin",
    "GENERATOR_VERSION",
    "DEFAULT_SEED",
    "EVALUATION_END",
]

GENERATOR_VERSION = "1.2.0"  # 1.1.0: the first start is no later than the case study's (13 March 2023); 1.2.0: the calibration objective is rounded (the same twin on every BLAS kernel) and the printed odds ratios weigh more
DEFAULT_SEED = 2025

# ---------------------------------------------------------------------------
# Frames
# ---------------------------------------------------------------------------
def _frames(rng, s: dict[str, np.ndarray]) -> dict[str, pd.DataFrame]:
    cb = load_codebook()
    active = s["exit_status"] == 5
    months = draw_months(rng, s)
    start, end = draw_dates(rng, months, active)
    # Identifiers in order of start date.
    order = sorted(range(N_REGISTRY), key=lambda p: (start[p], p))
    ids = np.empty(N_REGISTRY, dtype=object)
    for rank, p in enumerate(order, start=1):
        ids[p] = f"U{rank:03d}"

    # Item-level answers for the scores.
    items: dict[str, np.ndarray] = {}
    for when in ("start", "end"):
        who = np.full((N_REGISTRY, 5), np.nan)
        mas = np.full((N_REGISTRY, 3), np.nan)
        for p in range(N_REGISTRY):
            if not np.isnan(s[f"who5_{when}"][p]):
                who[p] = split_items(rng, int(s[f"who5_{when}"][p] // 4), 5, 0, 5)
            if not np.isnan(s[f"mastery_{when}"][p]):
                mas[p] = split_items(rng, int(s[f"mastery_{when}"][p]), 3, 1, 4)
        for k in range(5):
            items[f"who5_{k + 1}_{when}"] = who[:, k]
        for k in range(3):
            items[f"mastery_{k + 1}_{when}"] = mas[:, k]

    site = np.where(rng.random(N_REGISTRY) < 0.8, SITES[0], SITES[1])
    consultant = rng.choice(CONSULTANTS, size=N_REGISTRY)

    def column(ds: str, var, rows: np.ndarray):
        name = var.name
        when = "start" if ds == "baseline" else "end"
        if name == "id":
            return pd.array(list(ids[rows]), dtype="string")
        if name == "site":
            return pd.array(list(site[rows]), dtype="string")
        if name == "consultant":
            return pd.array(list(consultant[rows]), dtype="string")
        if name in ("start_date", "end_date"):
            dates = start if name == "start_date" else end
            return pd.to_datetime(pd.Series([dates[p] for p in rows])).astype("datetime64[ns]").to_numpy()
        if name.startswith(("who5_", "mastery_")):
            values = items[f"{name}_{when}"][rows]
        elif name in ("loneliness", "burden"):
            values = s[f"{name}_{when}"][rows]
        else:
            values = s[name][rows]
        if var.type == "number":
            return pd.array([None if np.isnan(v) else float(v) for v in values], dtype="Float64")
        return pd.array([None if np.isnan(v) else int(v) for v in values], dtype="Int64")

    frames = {}
    for ds, rows in (("registry", np.arange(N_REGISTRY)), ("baseline", BASELINE), ("followup", FOLLOWUP)):
        rows = np.array(sorted(rows, key=lambda p: ids[p]))
        data = {v.name: column(ds, v, rows) for v in cb[ds].variables}
        frames[ds] = pd.DataFrame(data)
    # Registry placement_now is only asked of the active; already NaN elsewhere.
    return frames


def build_twin(seed: int = DEFAULT_SEED, iterations: int = 40_000) -> dict[str, pd.DataFrame]:
    """Build the synthetic twin of the 2025 cohort.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed gives the same data.
    iterations : int
        Steps of the Table 9 calibration (see the module docstring).

    Returns
    -------
    dict of DataFrame
        ``registry``, ``baseline``, ``followup`` with codebook columns in
        codebook order: categories ``Int64``, numbers ``Float64``, dates
        ``datetime64[ns]``, ids and strings ``string``.
    """
    rng = np.random.default_rng(seed)
    state = initial_state(rng)
    state = calibrate(rng, state, iterations=iterations)
    state = finish(rng, state)
    return _frames(rng, state)


def _csv_text(frame: pd.DataFrame) -> str:
    def cell(v) -> str:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
            return ""
        if isinstance(v, pd.Timestamp):
            return v.date().isoformat()
        if isinstance(v, float):
            return f"{v:g}"
        return str(v)

    out = pd.DataFrame({c: [cell(v) for v in frame[c].astype(object)] for c in frame.columns})
    return out.to_csv(index=False, lineterminator="\n")


def write_twin(out_dir: str | Path = SYNTHETIC_DIR, seed: int = DEFAULT_SEED, iterations: int = 40_000) -> dict[str, Path]:
    """Build the twin and write it as CSV files plus ``manifest.yml``.

    Parameters
    ----------
    out_dir : str or Path
        Target folder (created if needed); defaults to ``data/synthetic``.
    seed : int
        Seed passed to :func:`build_twin`.
    iterations : int
        Calibration steps passed to :func:`build_twin`.

    Returns
    -------
    dict
        File name -> written path. The same seed gives byte-identical files.
        Written to ``data/synthetic``, the package's list of the twin's
        checksums (:mod:`ipsreport.synth.checksums`) is rewritten too.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = build_twin(seed, iterations=iterations)
    written: dict[str, Path] = {}
    files = {}
    for name, frame in frames.items():
        text = _csv_text(frame)
        path = out / f"{name}.csv"
        path.write_bytes(text.encode("utf-8"))
        written[path.name] = path
        files[path.name] = {"rows": len(frame), "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    manifest = {
        "synthetic": True,
        "description": (
            "Syntetiske data (ikke rigtige personer), der genskaber de offentliggjorte tal i "
            "evalueringen af IPS UNG 2025. / Synthetic data (no real persons) reproducing the "
            "published figures of the 2025 IPS UNG evaluation."
        ),
        "generator": "ipsreport.synth.twin",
        "generator_version": GENERATOR_VERSION,
        "seed": int(seed),
        "calibration_iterations": int(iterations),
        "reference_edition": 2025,
        "evaluation_end": EVALUATION_END.isoformat(),
        "files": files,
        "unpublished": list(UNPUBLISHED),
        "published_values": "data/published/2025.yml",
    }
    path = out / "manifest.yml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), encoding="utf-8")
    written[path.name] = path
    if out.resolve() == Path(SYNTHETIC_DIR).resolve():
        # The package recognises the twin by these bytes (ipsreport.inputs.manifest), never by the manifest.
        from ipsreport.synth.checksums import write_checksums

        write_checksums()
    return written
