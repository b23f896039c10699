"""The disclosure audit: everything published together, checked with linear programs (ipsreport.analysis.disclosed).

Hand-made ledgers with the answers worked out by hand (each rule at its
boundary), the plan's choices, the appendix's verdicts, and hypothesis over
random small cohorts (5-12 persons) and their site splits: whatever the
cohort, no small count can be worked out of the book, nor of the cohort's
book with every site's.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsreport.analysis.scoring import edition_scores
from ipsreport.analysis.disclosed.audit_keys import key_quantity, verdict_implied
from ipsreport.analysis.disclosed.ledger import MISSING, Entry, Ledger, Partition, Population, cell, exact, share, size
from ipsreport.analysis.disclosed.plan import DisclosureAuditError, Plan, make_plan, marks, released
from ipsreport.analysis.disclosed.ranges import Solver, audit
from ipsreport.inputs.edition import Edition


def _ledger(truth: dict, codes=(1, 2, 3), missing_zero=True) -> Ledger:
    """One variable ``v`` of a population ``p``: cells ``truth`` (code -> n), its size the sum."""
    ledger = Ledger(partitions={("p", "v"): Partition("p", "v", (*codes, MISSING), missing_zero=missing_zero)},
                    populations={"p": Population("p")})
    for code in codes:
        ledger.truth[cell("p", "v", code)] = truth.get(code, 0)
    ledger.truth[cell("p", "v", MISSING)] = 0
    ledger.truth[size("p")] = sum(truth.values())
    return ledger


def _count(code, value) -> Entry:
    key = cell("p", "v", code)
    return Entry(f"kode {code}", ("cell", key), exact([key], value))


def _base(value) -> Entry:
    return Entry("N", ("size", size("p")), exact([size("p")], value))


# --- the feasible ranges -----------------------------------------------------------------


def test_hidden_cells_adding_up_to_the_rule_pass_and_one_less_fails():
    """Boundary: two hidden cells that add up to 3 leave each a range 0-3 (wide enough); adding up to 2, 0-2."""
    ledger = _ledger({1: 1, 2: 2, 3: 7})
    ledger.entries = [_base(10), _count(3, 7)]
    assert Solver(ledger, ledger.entries).range(cell("p", "v", 1)) == (0, 3)
    assert audit(ledger, 3) == []
    ledger = _ledger({1: 1, 2: 1, 3: 8})
    ledger.entries = [_base(10), _count(3, 8)]
    failures = audit(ledger, 3)
    assert {f.key for f in failures} == {cell("p", "v", 1), cell("p", "v", 2)}
    assert (failures[0].low, failures[0].high) == (0, 2)


def test_a_zero_complement_protects_nothing():
    """Table 2 of 12: Kvinde 8, Mand –, Andet – with N 10: Mand + Andet = 2, so each lies in 0-2."""
    ledger = _ledger({1: 2, 2: 8, 3: 0})
    ledger.entries = [_base(10), _count(2, 8)]
    assert [f.key for f in audit(ledger, 3)] == [cell("p", "v", 1)]


def test_a_rounded_share_of_a_published_base_bounds_the_count():
    """'Ja · N = 7' with 86 %: n in [(86 - 0,5) / 100 * 7, (86 + 0,5) / 100 * 7] = [5,985; 6,055], so 6 and 1 'Nej'."""
    ledger = _ledger({1: 6, 0: 1}, codes=(1, 0))
    yes = cell("p", "v", 1)
    ledger.entries = [_base(7), Entry("86 %", ("share", ("cell", yes), ("size", size("p"))),
                                      share([yes], [size("p")], 86, 0.5))]
    assert Solver(ledger, ledger.entries).range(yes) == (6, 6)
    assert [f.key for f in audit(ledger, 3)] == [cell("p", "v", 0)]
    # A coarser share, 80 % give or take 10 (70-90 % of 7 = 4,9-6,3), says 5 or 6 'Ja': 'Nej' 1 or 2, still disclosed.
    ledger.entries = [_base(7), Entry("80 %", ("share", ("cell", yes), ("size", size("p"))),
                                      share([yes], [size("p")], 80, 10))]
    assert Solver(ledger, ledger.entries).range(cell("p", "v", 0)) == (1, 2)


def test_a_share_with_an_unknown_base_stays_linear():
    """50 % of a hidden base: n = b / 2 for any b, so n can be anything; with n + m = 6 known, n = 3."""
    ledger = _ledger({1: 3, 2: 3}, codes=(1, 2))
    one = cell("p", "v", 1)
    ledger.entries = [Entry("50 %", ("share", ("cell", one), ("size", size("p"))), share([one], [size("p")], 50, 0))]
    assert Solver(ledger, ledger.entries).range(one) == (0, float("inf"))
    ledger.entries.append(_base(6))
    assert Solver(ledger, ledger.entries).range(one) == (3, 3)


def test_nothing_published_leaves_every_count_open():
    ledger = _ledger({1: 1, 2: 1})
    assert Solver(ledger, []).range(cell("p", "v", 1)) == (0, float("inf"))
    assert audit(ledger, 3) == []


def test_a_site_is_the_cohort_minus_the_other_sites():
    """An attacker holds the cohort's book and every site's: site A + site B = the cohort."""
    ledger = _ledger({1: 1, 2: 9})
    ledger.sites = ("A", "B")
    for site, truth in (("A", {1: 1, 2: 2}), ("B", {1: 0, 2: 7})):
        for code in (1, 2, 3):
            ledger.truth[cell("p", "v", code, site)] = truth.get(code, 0)
        ledger.truth[cell("p", "v", MISSING, site)] = 0
        ledger.truth[size("p", site)] = sum(truth.values())
    b1 = cell("p", "v", 1, "B")
    ledger.entries = [Entry("B: kode 1", ("cell", b1), exact([b1], 0)),
                      Entry("alle: kode 1", ("total", "p", "v", (1,), None), exact([cell("p", "v", 1)], 1))]
    assert Solver(ledger, ledger.entries).range(cell("p", "v", 1, "A")) == (1, 1)


# --- the plan -------------------------------------------------------------------------------


def test_the_plan_hides_a_non_empty_complement_and_passes_its_own_audit():
    ledger = _ledger({1: 2, 2: 8, 3: 0})
    candidates = [_base(10), _count(1, 2), _count(2, 8), _count(3, 0)]
    plan = make_plan(ledger, candidates, 3)
    assert not plan.shows(("cell", cell("p", "v", 1))) and not plan.shows(("cell", cell("p", "v", 2)))
    assert plan.shows(("cell", cell("p", "v", 3)))  # the empty cell is shown: it protects no-one
    ledger.entries = released(candidates, plan)
    assert audit(ledger, 3) == []


def test_the_plan_refuses_when_only_numbers_it_may_not_hide_give_a_count_away():
    """The cohort's book is published already: a joint audit may only hide in the site books."""
    ledger = _ledger({1: 1, 2: 9})
    fixed = [_base(10), _count(2, 9)]
    with pytest.raises(DisclosureAuditError) as raised:
        make_plan(ledger, [], 3, fixed=fixed, fixed_sites={None})
    message = str(raised.value)
    assert "småtalsrevisionen" in message and "antallet med v = 1 i p" in message and "mellem 0 og 1" in message
    assert "Tallene, der afslører det: kode 2; N." in message
    assert "Rapporten blev ikke skrevet" in message


def test_a_hidden_base_hides_its_cells():
    plan = Plan()
    plan.hide(("total", "p", "v", (1, 2), None))
    assert not plan.shows(("cell", cell("p", "v", 1))) and plan.shows(("cell", cell("p", "v", 3)))


# --- the appendix ---------------------------------------------------------------------------


@pytest.mark.twin
def test_audit_keys_name_the_quantities_the_chapters_print(ed):
    num, den = key_quantity("registry.referral_status.n.2", ed.codebook)
    assert num.handle == ("cell", cell("registry", "referral_status", 2)) and den is None
    num, den = key_quantity("followup[had_placement==1].placement_needs.pct_all.1+2", ed.codebook)
    assert den.handle == ("size", size("followup[had_placement==1]"))
    assert [k[4] for k in num.keys] == [1, 2]
    num, den = key_quantity("registry[exit_status!=5].exit_status.pct.3", ed.codebook)
    assert den.handle == ("total", "registry", "exit_status", (1, 2, 3, 4), None)
    assert key_quantity("paired.burden.mean_end", ed.codebook) is None


@pytest.mark.parametrize("low,high,status,stated", [
    (0, 5, "not_reproduced", True),     # 0-5 persons against 28: never close, whatever the value
    (0, 28, "not_reproduced", False),   # 28 is possible: "not reproduced" says it is not 28
    (28, 28, "exact", True),
    (27, 28, "exact", False),
])
def test_a_verdict_is_stated_only_where_the_published_numbers_imply_it(low, high, status, stated):
    assert verdict_implied(status, low, high, published=28, rounding=0, tolerance=0) is stated


# --- random small cohorts, and their sites ------------------------------------------------------


def _stand_in(frames: dict, folder: Path | None = None, min_cell: int = 3, site: str | None = None):
    """An edition of sampled frames, typed as the loader types them (no folder: real data to the rule)."""
    from ipsreport.inputs.codebook.codebook import load_codebook
    from ipsreport.config.settings import get_settings

    codebook = load_codebook()
    typed = {}
    for name, frame in frames.items():
        frame = frame.copy()
        for var in codebook[name].variables:
            if var.name not in frame:
                continue
            if var.type == "date":
                frame[var.name] = pd.to_datetime(frame[var.name])
            elif var.type in ("category", "integer"):
                frame[var.name] = frame[var.name].astype("Int64")
            elif var.type == "number":
                frame[var.name] = frame[var.name].astype("Float64")
            else:
                frame[var.name] = frame[var.name].astype("string")
        typed[name] = frame.reset_index(drop=True)
    # A site's part carries its site in the manifest, as ipsreport.book.sites writes it.
    return Edition(**typed, codebook=codebook, settings=get_settings().with_(min_cell=min_cell),
                           sources=[], synthetic=False, manifest={"site": site} if site else {},
                           data_dir=folder or Path("/nonexistent"), twin=False, warnings=[], manifest_problems=[])


def _split(frames: dict) -> dict:
    registry = frames["registry"]
    parts = {}
    for site in sorted(registry["site"].unique()):
        ids = set(registry.loc[registry["site"] == site, "id"])
        parts[site] = {name: frame[frame["id"].isin(ids)] for name, frame in frames.items()}
    return parts


@pytest.mark.twin  # sampled cohorts through every summary
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(5, 12), sites=st.integers(1, 3), seed=st.integers(0, 10_000))
def test_no_small_count_can_be_worked_out_of_a_small_cohorts_book(n, sites, seed):
    from test_disclosure_attacks import partition_leaks

    from ipsreport.analysis.disclosed.layer import Disclosed
    from ipsreport.synth.sample import sample_cohort

    ed = _stand_in(sample_cohort(n, sites=sites, seed=seed))
    protected = Disclosed(ed, edition_scores(ed))
    protected.verify()  # the linear programs over everything published
    assert partition_leaks(ed) == []  # and the simple subtraction, independently
    for frame in (protected.status, protected.duration, protected.exit, protected.goals):
        shown = frame.loc[~frame["suppressed"], "n"]
        assert not shown.between(1, 2).any()


@pytest.mark.twin
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(n=st.integers(6, 12), seed=st.integers(0, 10_000))
def test_the_site_books_with_the_cohorts_give_no_small_count_away(tmp_path_factory, n, seed):
    from ipsreport.analysis.disclosed.layer import Disclosed
    from ipsreport.analysis.disclosed.catalogue import book_entries, fill_structure
    from ipsreport.analysis.disclosed.joint import joint_plans
    from ipsreport.analysis.disclosed.site_plan import write_site_plan
    from ipsreport.analysis.disclosed.unprotected import derived_counts
    from ipsreport.synth.sample import sample_cohort

    frames = sample_cohort(n, sites=2, seed=seed)
    whole = _stand_in(frames)
    folders = {site: tmp_path_factory.mktemp("site") for site in _split(frames)}
    sites = {site: _stand_in(part, folders[site], site=site) for site, part in _split(frames).items()}
    extra = joint_plans(whole, sites, 3)
    books = {None: Disclosed(whole, edition_scores(whole))}
    for site, plan in extra.items():
        write_site_plan(folders[site], plan)  # as render --by site hands it to the site's chapters
        books[site] = Disclosed(sites[site], edition_scores(sites[site]))
    codebook = whole.codebook
    ledger = Ledger(sites=tuple(sites),
                    entries=[e for site, d in books.items() for e in book_entries(d.frames(), codebook, site)])
    fill_structure(ledger, {site: (d.ed, derived_counts(d.unprotected)) for site, d in books.items()}, codebook)
    # The site books print every hidden value as "–"; the cohort's book "<3" and "–" unless they would tell.
    assert not any(books[site].marks for site in sites)
    if books[None].marks:
        ledger.entries += marks(books[None].plan, ledger.truth, 3, books[None].candidates[1])
    assert audit(ledger, 3) == []


@pytest.mark.twin
def test_the_audit_benchmark_measures_the_twin():
    """Smoke test of benchmarks/audit_cost.py (nothing asserted about speed)."""
    from benchmarks import audit_cost as module
    from ipsreport.paths import SYNTHETIC_DIR

    off = module.child(str(SYNTHETIC_DIR), "auto")
    assert off["min_cell"] == 0 and off["hidden"] == 0 and off["ranges"] == 0
    on = module.child(str(SYNTHETIC_DIR), "3")
    assert on["min_cell"] == 3 and on["hidden"] > 0 and on["plan"] > 0
    stat = module.Stat("plan", [on["plan"]])
    results = {"the twin": {k: stat for k in ("summaries", "plan", "verify", "total")} | {
        "hidden": on["hidden"], "ranges": on["ranges"], "min_cell": 3}}
    text = module.section(results, {"date": "today", "commit": "abc"}, 1)
    assert text.startswith(module.HEADING) and "| the twin | 3 |" in text


@pytest.mark.twin
def test_the_chapters_publish_the_plan_the_gate_audited(tmp_path):
    """The command audits once; the pipeline reads the same edition, and the chapters read its saved plan."""
    from ipsreport.book.hooks import book_hooks, resolve_settings
    from ipsreport.analysis.disclosed.layer import disclosed
    from ipsreport.analysis.disclosed.gate import audit_before_render
    from ipsreport.inputs.edition import edition
    from ipsreport.results.build import book_chapters
    from ipsreport.results.saved import open_run
    from ipsreport.synth.sample import write_cohort
    from ipsreport.inputs.verdicts import validate_shared

    folder = write_cohort(tmp_path / "data", 8, sites=2, seed=0)
    (folder / "manifest.yml").unlink()
    cache = tmp_path / "cache"
    settings = resolve_settings(folder, None)
    assert audit_before_render(folder, settings, validate_shared(folder, cache)) == 3
    audited = disclosed(edition(folder, settings)).plan
    hooks = book_hooks(folder, None, cache_dir=cache, settings=settings)
    hooks.attachment.start(book_chapters())
    assert hooks.attachment.prepare().disclosed.plan is audited  # one edition, one plan: not made again
    run = open_run(hooks.parameters["results"])  # as a chapter's parameters cell hands it
    assert run.disclosed.plan.hidden == audited.hidden and run.disclosed.plan.hidden



def test_a_base_hidden_to_protect_another_count_is_not_called_small():
    """A site book may hide its N of 38 (the cohort's 40 minus it would give a site of 2): never 'under 3'."""
    from ipsreport.analysis.disclosed.apply import mark, suppression_of
    from ipsreport.analysis.disclosed.quantities import q_cell, q_total
    from ipsreport.outputs.facts.fact import Fact

    assert suppression_of(20, True, False, 3, base=38) == "secondary"
    assert suppression_of(2, True, False, 3, base=2) == "base"
    frame = pd.DataFrame({"variable": ["v", "v"], "code": [1, 2], "n": [20, 18], "base": [38, 38],
                          "pct": [52.6, 47.4]})
    base = q_total("p", "v", (1, 2))
    plan = Plan()
    plan.hide(base.handle)
    out = mark(frame, [q_cell("p", "v", 1), q_cell("p", "v", 2)], [base, base], plan, 3)
    assert out["suppression"].tolist() == ["secondary", "secondary"] and out["base"].isna().all()
    assert Fact(None, "of", base=pd.NA, suppression="secondary").render(3) == "et skjult antal ud af et skjult antal"
    assert Fact(None, "of", base=pd.NA, suppression="base").render(3) == "et skjult antal ud af et skjult antal"


def test_two_small_marks_and_their_shown_total_give_both_away():
    """Table 8 of 12: job »<3«, education »<3«, »I alt 4«: both are 2. What the marks say is audited too."""
    ledger = _ledger({1: 2, 2: 2, 3: 3})
    base = ("size", size("p"))
    cells = {code: cell("p", "v", code) for code in (1, 2, 3)}
    rows = [Entry(f"kode {c}", ("share", ("cell", k), base), exact([k], v)) for (c, k), v in zip(cells.items(), (2, 2, 3))]
    total = Entry("I alt", ("total", "p", "v", (1, 2), None), exact([cells[1], cells[2]], 4))
    candidates = [_base(7), *rows, total]
    naive = Plan({("cell", cells[1]), ("cell", cells[2])}, truth=ledger.truth)
    ledger.entries = [*released(candidates, naive), *marks(naive, ledger.truth, 3, candidates)]
    failures = audit(ledger, 3)
    assert {(f.key, f.low, f.high) for f in failures} == {(cells[1], 2, 2), (cells[2], 2, 2)}
    plan = make_plan(ledger, candidates, 3)
    assert not plan.shows(total.handle) and plan.marked
    ledger.entries = [*released(candidates, plan), *marks(plan, ledger.truth, 3, candidates)]
    assert audit(ledger, 3) == []


def test_a_row_keeps_its_hash_but_never_pickles_it():
    """Row hashes once (an audit hashes the same rows again and again); a string's hash differs per process."""
    import pickle

    from ipsreport.analysis.disclosed.ledger import Row

    row = exact([cell("followup", "goal", 1), cell("followup", "goal", 2)], 3)[0]
    assert hash(row) == hash((row.terms, row.low, row.high)) and row.__dict__["_hash"] == hash(row)
    back = pickle.loads(pickle.dumps(row))
    assert "_hash" not in back.__dict__ and back == row and hash(back) == hash(row)
    assert {row: 1}[Row(row.terms, 3.0, 3.0)] == 1


@settings(max_examples=200, deadline=None)
@given(truth=st.lists(st.integers(0, 9), min_size=2, max_size=5),
       shape=st.lists(st.tuples(st.lists(st.integers(-2, 3), min_size=5, max_size=5),
                                st.sampled_from(["eq", "le", "ge", "both"]), st.integers(0, 4)),
                      min_size=1, max_size=6))
def test_a_parts_program_gives_linprogs_ranges(truth, shape):
    """Oracle: the part's HiGHS program (built once, re-solved per count) against scipy.optimize.linprog per count."""
    import math

    import numpy as np
    from scipy.optimize import linprog

    from ipsreport.analysis.disclosed.ledger import Row
    from ipsreport.analysis.disclosed.programs import EPS, Program

    keys = [cell("p", "v", i) for i in range(len(truth))]
    rows = []
    for coefficients, kind, slack in shape:
        terms = tuple((k, float(c)) for k, c in zip(keys, coefficients) if c)
        if not terms:
            continue
        value = sum(c * truth[keys.index(k)] for k, c in terms)  # the truth satisfies every row
        low, high = {"eq": (value, value), "le": (None, value + slack), "ge": (value - slack, None),
                     "both": (value - slack, value + slack)}[kind]
        rows.append(Row(terms, low, high))
    rows = tuple(rows)
    # The direct call: every row as a dense inequality pair or equality, as the audit reads it.
    a_ub, b_ub, a_eq, b_eq = [], [], [], []
    for row in rows:
        vector = [dict(row.terms).get(k, 0.0) for k in keys]
        if row.low is not None and row.low == row.high:
            a_eq.append(vector), b_eq.append(row.low)
            continue
        if row.high is not None:
            a_ub.append(vector), b_ub.append(row.high + EPS)
        if row.low is not None:
            a_ub.append([-c for c in vector]), b_ub.append(-row.low + EPS)
    model = Program(rows)
    for i, key in enumerate(keys):
        for sign in (-1.0, 1.0):
            c = np.zeros(len(keys))
            c[i] = sign
            res = linprog(c, A_ub=a_ub or None, b_ub=b_ub or None, A_eq=a_eq or None, b_eq=b_eq or None,
                          bounds=(0, None), method="highs-ds", options={"presolve": False})
            expected = math.inf if res.status == 3 else sign * res.fun
            assert res.status in (0, 3) and model.optimum(key, sign) == pytest.approx(expected, abs=1e-7)
