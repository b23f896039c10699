"""Every valid input renders: any optional item may be empty, any category absent.

Each optional codebook item is blanked in turn on the twin's frames (with the
small-number rule on, as for real data), and every fact, table, figure and
alt text of the report is computed. Nothing may raise, and facts degrade to
Danish words instead of printing a broken sentence.
"""

from __future__ import annotations


import pandas as pd
import pytest

from ipsreport.inputs.edition import Edition

from ipsreport.outputs import figures, tables
from ipsreport.inputs.codebook.codebook import load_codebook
from ipsreport.outputs.facts import Facts
from ipsreport.outputs.facts.fact import NO_ANSWERS, NO_ANSWERS_COUNT
from test_prose_context import ADJACENT, DETERMINER_BEFORE_PHRASE, NESTED

pytestmark = pytest.mark.twin  # the synthetic twin or a generated cohort

CODEBOOK = load_codebook()
# Items of the twin's three files (the optional fidelity reviews' blank items: tests/test_fidelity_reviews.py).
OPTIONAL = [(ds.name, var.name) for ds in CODEBOOK.datasets.values() if not ds.optional
            for var in ds.variables if not var.required]
FIGURES = [name for name in figures.__all__ if name.startswith("fig_")]


@pytest.fixture(scope="module")
def twin_frames(ed):
    return {name: getattr(ed, name) for name in ("registry", "baseline", "followup")}


def _edition(ed, frames, min_cell=3):
    return Edition(**frames, codebook=ed.codebook, settings=ed.settings.with_(min_cell=min_cell),
                           sources=[], synthetic=False, manifest={}, data_dir=ed.data_dir, twin=False, warnings=[],
                           manifest_problems=[])


def _blank(frames, dataset, variables):
    out = {name: frame.copy() for name, frame in frames.items()}
    for var in variables:
        column = out[dataset][var]
        out[dataset][var] = pd.Series(pd.NaT if column.dtype.kind == "M" else pd.NA, index=column.index,
                                      dtype=column.dtype)
    return out


def _render_everything(ed) -> dict[str, str]:
    f = Facts(ed)
    texts = dict(f.as_dict())
    for name in tables.__all__:
        texts[name] = getattr(tables, name)(ed).as_raw_html()
    for name in FIGURES:
        getattr(figures, name)(ed)
        texts[f"alt:{name}"] = figures.alt_text(name, ed)
    return texts


def _broken(texts: dict[str, str]) -> dict[str, str]:
    """Prose that reads broken: a missing value inside a sentence or an interval of nothing."""
    bad = {}
    for name, text in texts.items():
        if name.startswith("tab_"):
            continue
        if "[–; –]" in text or "nan" in text.split() or "None" in text.split() or "<NA>" in text:
            bad[name] = text
        # A phrase for a number inside a generated sentence: "alle et skjult antal", "(… (ingen har svaret))".
        if DETERMINER_BEFORE_PHRASE.search(text) or NESTED.search(text) or ADJACENT.search(text):
            bad[name] = text
    return bad


@pytest.mark.parametrize(("dataset", "variable"), OPTIONAL, ids=[f"{d}.{v}" for d, v in OPTIONAL])
def test_blank_optional_item_renders(ed, twin_frames, dataset, variable):
    texts = _render_everything(_edition(ed, _blank(twin_frames, dataset, [variable])))
    assert not _broken(texts)


def test_every_optional_item_blank_at_once(ed, twin_frames):
    frames = twin_frames
    for dataset in ("registry", "baseline", "followup"):
        frames = _blank(frames, dataset, [v for d, v in OPTIONAL if d == dataset])
    for min_cell in (0, 3):
        texts = _render_everything(_edition(ed, frames, min_cell))
        assert not _broken(texts)
        # A share of nobody says nobody answered: never "ingen" (as if all answered and none chose it), "nan %" or a crash.
        assert texts["duration_over12_pct"] == NO_ANSWERS
        # The whole class: every share, count or "x ud af y" of an item nobody answered says so.
        f = Facts(_edition(ed, frames, min_cell))
        unanswered = [name for name in f.names if f.fact(name).nobody_answered]
        assert {"female_pct", "goal_job_pct", "psych_dialogue_of", "support_mentor_n"} <= set(unanswered)
        for name in unanswered:
            assert getattr(f, name) in (NO_ANSWERS, NO_ANSWERS_COUNT), name
        for name in f.names:
            fact, source = f.fact(name), f.definition(name).source
            if source is not None and source.survey and fact.kind in ("pct", "of", "count") and fact.base == 0:
                assert fact.nobody_answered, name


def test_absent_categories_render(ed, twin_frames):
    """Every answer the same code: all other categories are absent."""
    frames = {name: frame.copy() for name, frame in twin_frames.items()}
    for dataset in ("baseline", "followup"):
        for var in CODEBOOK[dataset].variables:
            if var.type == "category" and var.values and var.name in frames[dataset]:
                first = next(iter(var.values))
                answered = frames[dataset][var.name].notna()
                frames[dataset].loc[answered, var.name] = first
    texts = _render_everything(_edition(ed, frames))
    assert not _broken(texts)
