"""The disclosure layer (ipsreport.analysis.disclosed): applied once, impossible to bypass.

Hand-made frames with answers worked out by hand, a structural check that no
output module reads the unprotected summaries, and tiny cohorts (every count
below the rule) run through every table, figure and fact.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from ipsreport.inputs.edition import Edition
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.analysis.disclosed.rules import PooledCell, pool_cells, protect_counts
from ipsreport.paths import PACKAGE_DIR

#: Modules (or packages) that format numbers for readers: they may read ipsreport.analysis.disclosed only.
OUTPUT_MODULES = ("outputs/tables", "outputs/figures", "outputs/facts")


def _module_files(name: str) -> list[Path]:
    """The source files of module or package ``name`` of ipsreport."""
    package = PACKAGE_DIR / name
    files = sorted(package.glob("*.py")) if package.is_dir() else [PACKAGE_DIR / f"{name}.py"]
    assert files and all(f.is_file() for f in files), f"ipsreport.{name} has no source file"
    return files


def _cells(rows):
    return pd.DataFrame(rows, columns=["variable", "code", "category", "n", "base", "pct"])


def test_protect_counts_primary_secondary_and_values_gone():
    frame = _cells([("x", 1, "a", 1, 20, 5.0), ("x", 2, "b", 4, 20, 20.0), ("x", 3, "c", 15, 20, 75.0)])
    out = protect_counts(frame, 3)
    assert out["suppression"].tolist() == ["primary", "secondary", ""]
    # The hidden values are gone, so no formatter can print them.
    assert out["n"].isna().tolist() == [True, True, False]
    assert out["pct"].isna().tolist() == [True, True, False]
    assert out["base"].tolist() == [20, 20, 20]


def test_protect_counts_small_base_hides_the_group_and_its_base():
    frame = _cells([("x", 1, "a", 2, 2, 100.0), ("x", 2, "b", 0, 2, 0.0),
                    ("y", 1, "a", 0, 9, 0.0), ("y", 2, "b", 9, 9, 100.0)])
    out = protect_counts(frame, 3)
    # The empty cell of "x" is no complement (it protects no-one); it is hidden with the small base.
    assert out["suppression"].tolist() == ["primary", "base", "", ""]
    assert out["base_suppressed"].tolist() == [True, True, False, False]
    assert out["base"].isna().tolist() == [True, True, False, False]
    assert out.loc[2:, "n"].tolist() == [0, 9]  # zero is not a disclosure


def test_protect_counts_rule_off_keeps_every_value():
    frame = _cells([("x", 1, "a", 1, 2, 50.0), ("x", 2, "b", 1, 2, 50.0)])
    out = protect_counts(frame, 0)
    assert out["n"].tolist() == [1, 1] and not out["suppressed"].any()


def test_pool_cells():
    out = protect_counts(_cells([("x", 1, "a", 1, 30, 0.0), ("x", 2, "b", 0, 30, 0.0),
                                    ("x", 3, "c", 0, 30, 0.0), ("x", 4, "d", 29, 30, 0.0)]), 3)
    # The complement of the 1 is the 29: the empty cells would leave the hidden ones adding up to 1.
    assert out["suppression"].tolist() == ["primary", "", "", "secondary"]
    assert pool_cells(out, "x", (2, 3)) == PooledCell(n=0, base=30, pct=0.0, suppression="")
    # A hidden cell pooled with visible empty ones is that cell.
    assert pool_cells(out, "x", (1, 2, 3)).suppression == "primary"
    # A pool of two hidden cells would give their sum away.
    assert pool_cells(out, "x", (1, 4)).suppression == "pooled"
    assert pool_cells(out, "x", (4,)).suppression == "secondary"
    with pytest.raises(KeyError):
        pool_cells(out, "x", (9,))


def test_paired_trajectories_below_the_rule_are_not_drawn(make_edition):
    baseline = [{"id": f"p{i}", "loneliness": s} for i, s in enumerate([1, 1, 1, 2, 3, 4], start=1)]
    followup = [{"id": f"p{i}", "loneliness": e} for i, e in enumerate([2, 2, 2, 2, 1, 5], start=1)]
    ed = make_edition(baseline=baseline, followup=followup, min_cell=3)
    pairs = disclosed(ed).paired_pairs("loneliness")
    # (1 -> 2) is shared by three; (2 -> 2), (3 -> 1) and (4 -> 5) by one each: three hidden persons.
    assert pairs[["start", "end", "n"]].to_numpy().tolist() == [[1.0, 2.0, 3]]
    assert pairs.attrs["hidden"] is True


def test_hidden_trajectories_that_add_up_to_a_small_count_hide_the_rest(make_edition):
    """6 pairs printed, 3 drawn on one line: the other two trajectories hold 2 persons, which is disclosed."""
    baseline = [{"id": f"p{i}", "loneliness": s} for i, s in enumerate([1, 1, 1, 2, 3], start=1)]
    followup = [{"id": f"p{i}", "loneliness": e} for i, e in enumerate([2, 2, 2, 2, 1], start=1)]
    ed = make_edition(baseline=baseline, followup=followup, min_cell=3)
    pairs = disclosed(ed).paired_pairs("loneliness")
    assert pairs.empty and pairs.attrs["hidden"] is True


def test_age_extremes_need_twice_the_rule(make_edition):
    ed = make_edition(baseline=[{"age": a} for a in (18, 19, 22, 25, 28)], min_cell=3)
    age = disclosed(ed).age.iloc[0]
    assert pd.isna(age["min"]) and pd.isna(age["max"]) and age["mean"] == pytest.approx(22.4)


def test_regression_withheld_when_an_outcome_group_is_small(make_fake):
    ed = make_fake(seed=7, n_registry=60, n_baseline=50, n_followup=40, min_cell=20)
    protected = disclosed(ed).regression
    assert protected.withheld
    assert protected.result.terms["odds_ratio"].isna().all()


def _imported_names(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
    return found


@pytest.mark.parametrize("module", OUTPUT_MODULES)
def test_outputs_read_only_the_disclosure_layer(module):
    """No table, figure or fact can reach an unprotected number: it cannot import one."""
    bad = []
    for source, name in [pair for path in _module_files(module) for pair in _imported_names(path)]:
        if re.match(r"(summarise|fit)_", name):
            bad.append(f"from {source} import {name}")
        if source.startswith("ipsreport.analysis.summaries") and name in ("", "pathways", "target_group",
                                                                   "mental_health", "supplementary", "caseload"):
            bad.append(f"import of the module {source}.{name}")
        if source in ("ipsreport", "ipsreport.analysis") and name in ("summaries", "models", "audit"):
            bad.append(f"from ipsreport import {name}")
    assert not bad, f"{module} bypasses ipsreport.analysis.disclosed: {bad}"


# --- tiny cohorts: every count is below the rule ---------------------------------


def _tiny(n: int, seed: int):
    
    from ipsreport.inputs.codebook.codebook import load_codebook
    from ipsreport.config.settings import get_settings
    from ipsreport.synth.sample import sample_cohort

    frames = sample_cohort(n, sites=1, seed=seed)
    codebook = load_codebook()
    typed = {}
    for name, frame in frames.items():
        frame = frame.copy()
        for var in codebook[name].variables:
            if var.name in frame and var.type == "date":
                frame[var.name] = pd.to_datetime(frame[var.name])
            elif var.name in frame and var.type in ("category", "integer"):
                frame[var.name] = frame[var.name].astype("Int64")
            elif var.name in frame and var.type == "number":
                frame[var.name] = frame[var.name].astype("Float64")
            elif var.name in frame:
                frame[var.name] = frame[var.name].astype("string")
        typed[name] = frame.reset_index(drop=True)
    settings = get_settings().with_(min_cell=3)
    return Edition(**typed, codebook=codebook, settings=settings, sources=[], synthetic=False,
                           manifest={}, data_dir=Path("."), twin=False, warnings=[], manifest_problems=[])


#: A count or share printed from data: "(2)", "N: 2", "2 unge", "heraf 1", "1 ud af", "50 %".
_SMALL = re.compile(
    r"\(\s*[12]\s*\)|N:\s*[12]\b|\b[12]\s+(?:unge|besvarelser|ud af|afsluttede|respondenter)\b|heraf\s+[12]\b"
    r"|\b(?:én|en|to)\s+(?:ud af|unge\b)|\b\d+(?:,\d+)?\s*%"
)


def _visible_text(html: str) -> str:
    text = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text.replace("&nbsp;", " ").replace("\u00a0", " "))


@pytest.mark.twin  # sampled cohorts
@pytest.mark.parametrize("n,seed", [(1, 11), (2, 12), (2, 13)])
def test_tiny_cohort_shows_no_small_count(n, seed):
    from ipsreport.outputs import figures, tables
    from ipsreport.outputs.facts import Facts

    ed = _tiny(n, seed)
    f = Facts(ed)
    data_facts = {k: v for k, v in f.as_dict().items()
                  if re.search(r"_(n|of|pct|share_words|start|end|mean|min|max|months|sentence|finding)$", k)
                  # settings, and consultant-days (days are not persons)
                  and not k.startswith(("success_target", "caseload_limit", "caseload_period", "evaluation"))}
    leaks = {k: v for k, v in data_facts.items() if _SMALL.search(v)}
    assert not leaks, leaks
    for name in tables.__all__:
        if name in ("tab_codebook", "tab_regression_spec", "tab_sources", "tab_audit"):
            continue  # no counts of persons (the audit's computed column is checked below)
        text = _visible_text(getattr(tables, name)(ed).as_raw_html())
        assert not _SMALL.search(text), (name, _SMALL.search(text).group(0), text[:300])
    audit = disclosed(ed).audit
    counts = audit[audit["key"].str.contains(r"\.n(?:\.|$)") & audit["reproduced"].notna()]
    assert not counts["reproduced"].between(1, 2).any(), counts[["key", "reproduced"]]
    # Everything the book publishes together: no small count can be worked out.
    disclosed(ed).verify()
    for name in [n for n in figures.__all__ if n.startswith("fig_")]:
        fig = getattr(figures, name)(ed)
        texts = " ".join(t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text")))
        assert not _SMALL.search(texts), (name, _SMALL.search(texts).group(0))
        alt = figures.alt_text(name, ed)
        assert not _SMALL.search(alt), (name, alt)


def test_withheld_figure_is_displayable(make_edition):
    """IPython shows no figure without axes: a withheld figure must still appear (and keep its label)."""
    from ipsreport.outputs import figures

    fig = figures.withheld_figure(3)
    assert fig.axes, "a figure without axes is silently dropped by IPython's display"
    assert "færre end 3" in " ".join(t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text")))


# --- properties of the rule, on frames hypothesis draws -------------------------

@st.composite
def _count_groups(draw):
    rows = []
    for g in range(draw(st.integers(1, 3))):
        counts = draw(st.lists(st.integers(0, 12), min_size=2, max_size=6))
        base = sum(counts)
        rows += [(f"v{g}", code, f"c{code}", n, base, (100 * n / base) if base else float("nan"))
                 for code, n in enumerate(counts, start=1)]
    return _cells(rows), draw(st.integers(2, 5))


@settings(max_examples=300, deadline=None)
@given(_count_groups())
def test_no_small_count_survives_and_no_hidden_cell_can_be_recovered(drawn):
    frame, min_cell = drawn
    out = protect_counts(frame, min_cell)
    shown = out.loc[~out["suppressed"], "n"]
    assert not ((shown > 0) & (shown < min_cell)).any()
    for _, group in out.groupby("variable"):
        if group["base"].isna().all():
            continue  # the whole group and its base are hidden
        hidden = group[group["suppressed"]]
        # A single hidden cell would follow from the base minus the visible cells.
        assert len(hidden) != 1
        # Hidden cells that are all zero would reveal "nobody" only if their sum were known to be 0,
        # which is fine; a hidden small count must be among at least two hidden cells.
        if ((hidden["n"].isna()) & (frame.loc[hidden.index, "n"] > 0)).any():
            assert len(hidden) >= 2
