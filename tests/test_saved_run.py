"""The render's run of the pipeline: made once per book before any chapter, saved, read by the chapters.

The chapters get the run's place as their one parameter (``results``) and read
it with ``ips.results``; every summary, the plan and the printed facts come
from the run, so nothing is computed again in a chapter.
"""

from __future__ import annotations

import pytest

from ipsreport.book.hooks import book_hooks, resolve_settings
from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.outputs.facts import facts
from ipsreport.paths import SYNTHETIC_DIR
from ipsreport.render.store import RUN, open_store
from ipsreport.results.build import book_chapters, printed_facts, published_facts
from ipsreport.results.saved import RunMissing, open_run

pytestmark = pytest.mark.twin


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A twin book's hooks after the engine's start: the run is saved in the render's store."""
    cache = tmp_path_factory.mktemp("cache")
    hooks = book_hooks(SYNTHETIC_DIR, None, cache_dir=cache, settings=resolve_settings(SYNTHETIC_DIR, None))
    hooks.attachment.start(book_chapters())
    return hooks, cache


def test_the_chapters_get_one_parameter_naming_the_saved_run(saved):
    hooks, cache = saved
    assert dict(hooks.parameters) == {"results": str(hooks.attachment.folder)}
    assert len(open_store(cache).keys(RUN)) == 1


def test_a_chapter_reads_the_pipelines_summaries_and_facts(saved):
    hooks, _ = saved
    run = open_run(hooks.parameters["results"])
    # The tables' and facts' layer is the saved one: ips.tab_*(d) and f.<name> read what the pipeline made.
    assert disclosed(run.edition) is run.disclosed and facts(run.edition) is run.facts
    # Every frame the book publishes was computed in the pipeline, none is left for a chapter to compute.
    assert set(run.disclosed.frames()) and {"duration", "regression", "registry_counts"} <= set(vars(run.disclosed))
    # The facts the chapters print were computed too, with the values the bundle publishes.
    printed = printed_facts(book_chapters())
    assert set(printed) <= set(run.facts._facts)
    by_key = {r.key: r.text for r in run.results.facts}
    assert [getattr(run.facts, k) for k in printed] == [by_key[k] for k in printed]


def test_a_second_render_of_the_same_inputs_reads_the_run_instead_of_running_the_pipeline(saved):
    hooks, cache = saved
    again = book_hooks(SYNTHETIC_DIR, None, cache_dir=cache, settings=hooks.attachment.settings)
    assert again.parameters == hooks.parameters
    run = again.attachment.prepare()
    # The step timings are the first run's: the pipeline did not run again.
    assert run.seconds == hooks.attachment.prepare().seconds
    assert len(open_store(cache).keys(RUN)) == 1


def test_other_settings_are_another_run(saved):
    hooks, cache = saved
    other = book_hooks(SYNTHETIC_DIR, None, cache_dir=cache, settings=hooks.attachment.settings.with_(alpha=0.01))
    assert other.parameters["results"] != hooks.parameters["results"]


def test_a_missing_run_is_a_danish_message(tmp_path):
    with pytest.raises(RunMissing, match="ingen gemt kørsel"):
        open_run(tmp_path / "run-0000")


def test_two_hops_from_printed_numbers_picked_at_random(saved):
    """Key -> the bundle's record -> the one function that computed it -> the codebook variables it names."""
    import importlib
    import random

    from ipsreport.paths import PROJECT_DIR

    hooks, _ = saved
    run = open_run(hooks.parameters["results"])
    chapters = "\n".join(p.read_text(encoding="utf-8") for p in book_chapters())
    assert chapters and PROJECT_DIR.is_dir()
    # Numbers from the data (settings such as the success target or the confidence level have no source).
    numbers = [r for r in run.results.facts if r.kind.value in ("pct", "count", "num", "of") and r.source]
    known = {n for ds in run.edition.codebook.datasets.values() for n in ds.names}
    # Printed by a chapter, or inside a sentence fact a chapter prints (its number marked with the fact's name).
    inside = set(published_facts(run.facts, book_chapters())) - set(printed_facts(book_chapters()))
    for record in random.Random(2025).sample(numbers, 15):
        assert f"f.{record.key}" in chapters or f"'{record.key}'" in chapters or record.key in inside, record.key  # hop 0
        module, function = record.source.split(":")
        assert callable(getattr(importlib.import_module(module), function)), record.source  # hop 1
        assert record.variables, record.key
        assert set(record.variables) <= known, record.key  # hop 2


# A render validates once: the command's report is the one the run is made from (read neither again nor twice).
_COMMAND = """
import sys
from ipsreport.cli import _checked_inputs
from ipsreport.cli_args import build_parser

hooks = _checked_inputs(build_parser().parse_args(["render", "--data", sys.argv[1]]))[3]
handed = hooks.attachment.validation
run = hooks.attachment.prepare()
print(handed is not None and handed.ok, run.validation is handed)
"""


def test_the_run_is_made_from_the_validation_the_command_made(tmp_path):
    import os
    import subprocess
    import sys

    # A fresh store, so the pipeline runs (a saved run holds its own copy of the validation).
    env = {**os.environ, "IPSREPORT_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", _COMMAND, str(SYNTHETIC_DIR)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]


def test_book_hooks_hand_the_validation_to_the_run(tmp_path):
    from ipsreport.inputs.verdicts import validate_shared

    report = validate_shared(SYNTHETIC_DIR, tmp_path)
    hooks = book_hooks(SYNTHETIC_DIR, None, cache_dir=tmp_path, settings=resolve_settings(SYNTHETIC_DIR, None),
                       validation=report)
    assert hooks.attachment.validation is report


# A chapter of a plain `quarto render` (no parameter): the run of the project's settings, from the render's store.
_CHAPTER = """
import json
import ipsreport.api as ips

run = ips.results(None)
print(json.dumps(run.seconds))
"""


def test_without_a_parameter_the_first_chapter_saves_the_run_and_the_next_reads_it(tmp_path):
    import json
    import os
    import subprocess
    import sys

    from ipsreport.paths import PROJECT_DIR

    cache = tmp_path / "cache"
    env = {**os.environ, "IPSREPORT_CACHE_DIR": str(cache)}

    def chapter() -> dict:
        proc = subprocess.run([sys.executable, "-c", _CHAPTER], capture_output=True, text=True, env=env,
                              cwd=PROJECT_DIR, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.splitlines()[-1])

    first = chapter()
    # Saved where the command saves the run of the project's settings (book_hooks' key).
    place = book_hooks(cache_dir=cache).parameters["results"]
    assert open_store(cache).keys(RUN) == [os.path.basename(place)]
    # The second kernel did not run the pipeline: its step timings are the ones the first measured and saved.
    assert chapter() == first == open_run(place).seconds


def test_a_process_opens_a_run_once_and_keeps_the_last_few(saved):
    """A kernel runs a book's chapters one after another: the second chapter reads the run the first opened."""
    from ipsreport.results import saved as saved_module

    hooks, cache = saved
    place = hooks.parameters["results"]
    first = open_run(place)
    assert open_run(place) is first
    # Kept by place: a place names one run for good (its key hashes the run's inputs).
    store = open_store(cache)
    others = [cache / f"run-kept-{i}" for i in range(saved_module.OPENED_KEPT)]
    for other in others:
        store.put(other.name, first)
        open_run(other)
    # Only the last OPENED_KEPT places stay: the first was dropped and is read from the store again.
    assert list(saved_module._OPENED) == [str(p) for p in others]
    again = open_run(place)
    assert again is not first and again.results == first.results
