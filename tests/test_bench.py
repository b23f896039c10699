"""Smoke test of the benchmark code (the ``benchmarks`` package) on tiny sizes; nothing is asserted about speed.

``benchmarks`` is importable because pytest puts the project folder on ``sys.path``
(``pythonpath`` in pyproject.toml), as ``python -m benchmarks.run`` does.
"""

from __future__ import annotations

import sys

import pytest

from benchmarks import compute, floor, measure, preview, project, results_md
from ipsreport import pipeline
from ipsreport.paths import SYNTHETIC_DIR


def test_benchmarks_import_no_circle():
    """``run`` imports the parts; no part imports ``run`` (the old ``run`` <-> ``preview`` circle)."""
    import ast

    from ipsreport.paths import PROJECT_DIR

    for path in sorted((PROJECT_DIR / "benchmarks").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        if path.stem != "run":
            assert not imported & {"run", "benchmarks.run"}, f"{path.name} imports run"


def test_stat():
    s = measure.Stat("x", [3.0, 1.0, 2.0, 10.0, 4.0], cpu=[1.0, 2.0, 3.0])
    assert (s.median, s.min, s.max) == (3.0, 1.0, 10.0)
    assert s.cell() == "3.00 (1.00–10.00)"
    assert s.cpu_cell() == "2.0"
    calls = []
    r = measure.repeat("y", 3, lambda: (len(calls) + 0.5, 0.25), before=lambda: calls.append(1))
    assert r.values == [1.5, 2.5, 3.5] and r.cpu == [0.25] * 3


def test_machine_info():
    info = measure.machine_info()
    assert info["cores"] >= 1 and info["python"].count(".") == 2
    assert info["libraries"]["pandas"][0].isdigit()


def test_copy_project(tmp_path):
    dest = project.copy_project(tmp_path / "p")
    assert (dest / "_quarto.yml").exists() and (dest / project.EDIT_CHAPTER).exists()
    (dest / "_book").mkdir()
    project.clean_project(dest)
    assert not (dest / "_book").exists()


@pytest.mark.twin
def test_compute_on_the_twin_and_results(tmp_path):
    res = compute.bench_compute(1, tmp_path, sizes=(66,))
    r = res[66]
    assert r["rows"] == {"registry": 66, "baseline": 55, "followup": 43}
    assert r["peak"].median > 50  # MiB: pandas alone needs more
    # Every step of the pipeline is timed, then each of its outputs.
    assert list(r["steps"])[: len(pipeline.STEPS)] == list(pipeline.STEPS)
    for name, _ in (*pipeline.TABLES, *pipeline.FIGURES, ("facts", None)):
        assert r["steps"][name] > 0
    assert r["time"].median >= sum(r["steps"][step] for step in pipeline.STEPS)
    render = {k: measure.Stat(k, [1.0, 2.0], cpu=[1.0, 1.0]) for k in ("cold", "warm", "edit")}
    floors = {k: measure.Stat(k, [0.5, 0.5], cpu=[0.2, 0.2]) for k in ("pandoc", "typst", "kernel", "floor")}
    sites = {"single": measure.Stat("one report", [2.0]), 3: measure.Stat("3 site reports", [3.0]),
             12: measure.Stat("12 site reports", [9.0])}
    info = measure.machine_info()
    out = tmp_path / "RESULTS.md"
    text = results_md.write_results(out, info, 2, render, floors, res, sites,
                               baseline={"render": {"cold": {"values": [4.0, 6.0], "cpu": [3.0]}}})
    assert out.read_text(encoding="utf-8") == text
    for heading in ("## Machine", "## Full render", "### Before and after", "## The floor",
                    "## Compute only", "## One report per site"):
        assert heading in text
    assert "Cold render / floor = **3.0 ×**" in text  # 1.5 / 0.5
    assert "5.00 (4.00–6.00)" in text  # the baseline's cold median
    assert "< 12 × single = 24.0 s" in text


def test_a_run_of_some_parts_replaces_their_sections_and_keeps_the_others(tmp_path):
    """``--only render,sites``: the render, sites and machine sections are new; compute, preview and the analysis stay."""
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\nWritten by `make bench` on then.\nEvery figure is the median of 5 runs.\n\n"
                   "## Machine\n\nold machine\n\n## Full render of the reference edition (HTML + PDF, pandoc engine)\n\n"
                   "old render 9.47\n\n## Compute only: load\n\nold compute 3.41\n\n## One report per site\n\n"
                   "old sites 5.04\n\n## Live preview\n\nold preview 0.49\n\n"
                   "## Where the time went, what was cut, what is left\n\nanalysis\n",
                   encoding="utf-8")
    info = measure.machine_info()
    render = {k: measure.Stat(k, [1.0, 2.0], cpu=[1.0, 1.0]) for k in ("cold", "warm", "edit")}
    sites = {"single": measure.Stat("one report", [2.0]), 3: measure.Stat("3 site reports", [3.0]),
             12: measure.Stat("12 site reports", [9.0])}
    fresh = tmp_path / "fresh.md"
    results_md.write_results(fresh, info, 3, render, None, None, sites)
    text = results_md.merge_results(out, fresh.read_text(encoding="utf-8"), ["render", "sites"], 3, info)
    assert out.read_text(encoding="utf-8") == text
    for kept in ("old compute 3.41", "old preview 0.49", "Written by `make bench` on then."):
        assert kept in text
    for replaced in ("old render 9.47", "old sites 5.04", "old machine", "left\n\nanalysis"):
        assert replaced not in text
    assert results_md.ANALYSIS.read_text(encoding="utf-8").strip() in text
    assert "< 12 × single = 24.0 s" in text and "| cold (no output, no cache) | 1.50 (1.00–2.00)" in text
    assert text.count("Parts measured again on") == 1 and "render, sites" in text
    assert text.index("## Full render") < text.index("## Compute only") < text.index("## One report per site")


@pytest.mark.twin  # writes a sampled cohort
def test_make_cohort(tmp_path):
    assert project.make_cohort(66, tmp_path) == SYNTHETIC_DIR
    data = project.make_cohort(30, tmp_path, sites=2)
    assert (data / "registry.csv").read_text(encoding="utf-8").count("\n") == 31


def test_recording_pandoc_keeps_each_conversion_and_answers_as_pandoc(tmp_path):
    # The floor benchmark records a render's pandoc inputs through PYPANDOC_PANDOC (no patching).
    import subprocess

    from ipsreport.render.pandoc import pandoc_path

    stand_in = floor.recording_pandoc(tmp_path / "pandoc", tmp_path / "kept")
    version = subprocess.run([str(stand_in), "--version"], capture_output=True, text=True, check=True).stdout
    real = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True).stdout
    assert version == real and floor.recorded_calls(tmp_path / "kept") == []
    args = ["-f", "markdown", "-t", "html5", "--wrap=none"]
    got = subprocess.run([str(stand_in), *args], input="*æøå*\n", capture_output=True, text=True, check=True)
    assert got.stdout.strip() == "<p><em>æøå</em></p>"
    assert floor.recorded_calls(tmp_path / "kept") == [{"args": args, "text": "*æøå*\n"}]
    failed = subprocess.run([str(stand_in), "-f", "nosuchformat", "-t", "html5"], input="x", capture_output=True, text=True)
    assert failed.returncode != 0


def test_preview_bench_waits_for_an_idle_preview(tmp_path):
    # benchmarks/preview.py saves each edit once the preview and its kernel are idle.
    import subprocess
    import time

    module = preview
    busy = subprocess.Popen([sys.executable, "-c", "import time\nt = time.time()\nwhile time.time() - t < 2: pass"])
    try:
        before = module._cpu_ticks(busy.pid)
        assert before is not None
        waited = module.wait_idle(busy.pid, quiet=0.25, timeout=30)
        assert waited >= 1.0  # it waited for the busy loop to end
    finally:
        busy.wait(timeout=30)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3)"])
    try:
        time.sleep(0.5)  # the interpreter has started
        assert module.wait_idle(sleeper.pid, quiet=0.25) < 1.0  # a sleeping process is idle at once
    finally:
        sleeper.wait(timeout=30)
