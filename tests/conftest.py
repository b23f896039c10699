"""Shared fixtures.

* ``ed`` — the shipped synthetic edition (fails when it is missing or the
  package cannot load it);
* ``published`` — the published 2025 numbers (fails when missing);
* ``fake`` / ``make_fake`` — seeded random editions (:func:`fake_edition`);
* ``make_edition`` — a factory for tiny hand-made editions: any object with
  ``registry/baseline/followup/codebook/settings`` works for the summaries,
  models, tables and facts, so tests can pin answers they work out by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ipsreport.inputs.codebook.codebook import load_codebook
from ipsreport.inputs.edition import Edition
from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.config.settings import get_settings

#: Lanes that are not the unit lane (see pyproject.toml [tool.pytest.ini_options]).
_SLOW_LANES = ("twin", "render", "browser")
#: Fixtures that load the shipped synthetic twin or write or draw a generated cohort (``ed`` and
#: ``valid_dir`` here; ``crowded`` in test_caseload.py, ``frames`` in test_synth.py, ``twin_edition`` in
#: test_audit_published.py, ``twin_frames`` in test_every_input_renders.py, ``twin`` and ``cohort`` in test_pipeline.py,
#: test_results_bundle.py, test_cli.py, test_load.py and test_sites.py, ``data_dir`` in test_edition.py,
#: ``other_cohort`` in test_report_prose.py). A test using one belongs in the twin lane (or a slower one)
#: and must say so with its marker.
TWIN_FIXTURES = frozenset({"ed", "valid_dir", "crowded", "frames", "twin_frames", "twin_edition", "twin", "cohort", "data_dir",
                           "other_cohort"})


def _twin_fixtures_used(item) -> list[str]:
    """The fixtures of :data:`TWIN_FIXTURES` a test uses: directly, through another fixture, or named by a
    parameter that a fixture looks up (``request.getfixturevalue(request.param)``, as the figure tests do)."""
    # A name given values by @pytest.mark.parametrize (not indirectly) is an argument, not a fixture.
    direct: set[str] = set()
    for mark in item.iter_markers("parametrize"):
        names = mark.args[0].split(",") if isinstance(mark.args[0], str) else mark.args[0]
        indirect = mark.kwargs.get("indirect", False)
        direct |= {n.strip() for n in names if not (indirect is True or (isinstance(indirect, (list, tuple))
                                                                           and n.strip() in indirect))}
    params = getattr(item, "callspec", None)
    named = {v for v in (params.params.values() if params else ()) if isinstance(v, str)}
    return sorted(({*item.fixturenames} - direct | named) & TWIN_FIXTURES)


def pytest_collection_modifyitems(config, items):
    """Lanes are declared by each test module (``pytestmark``) or test; this only checks them and marks the rest.

    A test that uses a twin fixture without the ``twin`` marker (or ``render`` / ``browser``, the slower
    lanes) stops the collection with an error naming it: it would otherwise slow the unit lane down. Every
    test in none of the slower lanes is marked ``unit``.
    """
    unmarked = []
    for item in items:
        if any(item.get_closest_marker(lane) for lane in _SLOW_LANES):
            continue
        used = _twin_fixtures_used(item)
        if used:
            unmarked.append(f"  {item.nodeid}: uses {', '.join(used)}")
        item.add_marker(pytest.mark.unit)
    if unmarked:
        raise pytest.UsageError(
            "these tests use the synthetic twin or a generated cohort but are not marked for the twin lane; "
            "add `pytestmark = pytest.mark.twin` to the module or `@pytest.mark.twin` to the test:\n"
            + "\n".join(unmarked))


_DTYPES = {"id": "string", "string": "string", "date": "datetime64[ns]", "integer": "Int64",
           "number": "Float64", "category": "Int64"}


def _typed(dataset, rows: list[dict] | pd.DataFrame | None) -> pd.DataFrame:
    """A frame with every codebook column of ``dataset`` in its contract dtype."""
    frame = pd.DataFrame(rows if rows is not None else [])
    n = len(frame)
    out = {}
    for var in dataset.variables:
        dtype = _DTYPES[var.type]
        if var.name in frame:
            col = frame[var.name]
            out[var.name] = pd.to_datetime(col) if var.type == "date" else col.astype(dtype)
        else:
            out[var.name] = pd.Series([pd.NA] * n if var.type != "date" else [pd.NaT] * n, dtype=dtype)
    return pd.DataFrame(out, index=pd.RangeIndex(n))


def build_edition(registry=None, baseline=None, followup=None, **settings) -> Edition:
    """An :class:`~ipsreport.inputs.edition.Edition` from lists of row dicts (missing columns are empty).

    ``id`` values are generated (``"p1"``, ``"p2"``, ...) when not given.
    The small-number rule is off unless ``min_cell`` is given: these
    editions test computations, and :func:`ipsreport.inputs.edition.edition` is what
    resolves ``auto`` for real folders.
    """
    settings.setdefault("min_cell", 0)
    codebook = load_codebook()
    frames = {}
    for name, rows in (("registry", registry), ("baseline", baseline), ("followup", followup)):
        rows = [dict(r) for r in (rows or [])]
        for i, row in enumerate(rows, start=1):
            row.setdefault("id", f"p{i}")
        frames[name] = _typed(codebook[name], rows)
    return Edition(
        **frames,
        codebook=codebook,
        settings=get_settings(overrides=settings or None),
        sources=[],
        synthetic=True,
        manifest={},
        data_dir=Path("."),
    )


def fake_edition(seed: int = 2025, n_registry: int = 66, n_baseline: int = 55, n_followup: int = 43,
                 **settings) -> Edition:
    """A seeded random edition that respects the codebook (codes, ``asked_if``).

    Not calibrated to anything: it only gives every table and fact realistic
    shapes (missing answers, empty categories) independent of the synthetic
    twin, so the table snapshots change only when the formatting does.
    """
    import numpy as np

    codebook = load_codebook()
    rng = np.random.default_rng(seed)

    def pick(name, dataset, p_missing=0.0):
        codes = list(codebook[dataset][name].values)
        if p_missing and rng.random() < p_missing:
            return None
        return int(rng.choice(codes))

    registry = []
    start0 = dt.date(2023, 3, 1)
    for i in range(n_registry):
        exit_status = int(rng.choice([1, 2, 3, 4, 5], p=[0.15, 0.05, 0.2, 0.25, 0.35]))
        start = start0 + dt.timedelta(days=int(rng.integers(0, 600)))
        end = None if exit_status == 5 else start + dt.timedelta(days=int(rng.integers(30, 400)))
        registry.append({
            "id": f"r{i + 1:03d}", "site": "Jobcenter", "consultant": f"K{i % 3 + 1}",
            "start_date": start, "end_date": end, "referral_status": int(rng.integers(1, 3)),
            "exit_status": exit_status, "placement_ever": int(rng.random() < 0.7),
            "placement_now": int(rng.random() < 0.8) if exit_status == 5 else None,
            "psychiatry_contact": int(rng.random() < 0.5), "uu_guidance": int(rng.random() < 0.33),
        })
    baseline = []
    bl_vars = [v for v in codebook["baseline"].variables if v.type == "category"]
    for row in registry[:n_baseline]:
        b = {"id": row["id"], "age": int(rng.integers(16, 30))}
        for var in bl_vars:
            b[var.name] = pick(var.name, "baseline", 0.01)
        if b["gender"] is None:
            b["gender"] = 2
        b["work_experience_years"] = float(round(rng.uniform(0, 8), 1)) if b["work_experience"] == 1 else None
        baseline.append(b)
    followup = []
    fu_vars = [v for v in codebook["followup"].variables if v.type == "category"]
    for b in baseline[:n_followup]:
        f = {"id": b["id"]}
        for var in fu_vars:
            f[var.name] = pick(var.name, "followup", 0.01)
        f["still_enrolled"] = int(rng.random() < 0.2)
        # Some signal so that Table 9 is estimable: mastery helps.
        mastery = sum(f[f"mastery_{i}"] or 2 for i in (1, 2, 3))
        f["in_job_education"] = int(rng.random() < 0.25 + 0.05 * (mastery - 3))
        followup.append(f)
    # The draws above stay row by row (the same random stream, so the table
    # snapshots keep their values); the questions not asked are blanked per
    # variable over all rows at once. In codebook order, as a later question's
    # asked_if may read an earlier one that was itself not asked.
    answers = pd.DataFrame([{k: v for k, v in f.items() if k != "id"} for f in followup],
                           columns=list(dict.fromkeys([*(v.name for v in fu_vars), "still_enrolled", "in_job_education"])))
    for var in fu_vars:
        if var.asked_if and len(answers):
            # asked_if is pandas query syntax; a missing answer (-1 here) never satisfies it.
            asked = answers.fillna(-1).astype("int64").eval(var.asked_if)
            answers[var.name] = answers[var.name].where(asked.to_numpy(dtype=bool))
    answers.insert(0, "id", [f["id"] for f in followup])
    return build_edition(registry, baseline, answers.to_dict("records"), **settings)


@pytest.fixture(scope="session")
def fake():
    """A seeded random edition (see :func:`fake_edition`)."""
    return fake_edition()


@pytest.fixture
def make_fake():
    """Factory for :func:`fake_edition` with other sizes or settings."""
    return fake_edition


@pytest.fixture
def make_edition():
    """Factory: ``make_edition(registry=[...], baseline=[...], followup=[...], min_cell=3)``."""
    return build_edition


@pytest.fixture(scope="session")
def ed():
    """The shipped synthetic twin, loaded and validated once per test session.

    Fails rather than skips: the twin ships with the project, so a missing
    file or a broken import is a defect the suite must report.
    """
    if not (SYNTHETIC_DIR / "registry.csv").exists():
        pytest.fail(f"the synthetic twin is missing from {SYNTHETIC_DIR}; run `make synth`")
    from ipsreport.inputs.edition import edition

    return edition(SYNTHETIC_DIR)


@pytest.fixture(scope="session")
def published():
    """The published 2025 numbers as ``{key: entry}`` (:func:`ipsreport.analysis.audit.load_published`).

    Fails rather than skips when the file is missing or malformed: it is an
    input of the report (Bilag 7), so its absence is a defect.
    """
    from ipsreport.analysis.audit import PUBLISHED_PATH, load_published

    if not PUBLISHED_PATH.exists():
        pytest.fail(f"the published numbers are missing: {PUBLISHED_PATH}")
    return {e["key"]: e for e in load_published()}


@pytest.fixture(scope="session")
def valid_dir(tmp_path_factory) -> Path:
    """A valid sampled cohort (60 registry rows, 2 sites) the validation tests copy and corrupt."""
    from ipsreport.synth.sample import write_cohort

    return write_cohort(tmp_path_factory.mktemp("valid"), 60, sites=2, seed=11)


__all__ = ["build_edition", "fake_edition"]


#: Debian's Chromium, for the browser lane (``.ci/run`` installs it).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through Playwright; fails in CI without it, skips (saying why) elsewhere."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (.ci/run installs Debian's chromium)")
        pytest.skip("Chromium not installed: `apt-get install chromium` to run the browser checks")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()
