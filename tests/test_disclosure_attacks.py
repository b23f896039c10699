"""The attacks of issue 17, each reproduced on small real-looking cohorts.

A sampled cohort with its manifest removed counts as real data (the rule is
on by default). Each test plays the reader who subtracts: a variable's base
minus every count the book gives of it, from the tables, the text's
tooltips and the reproduction appendix, must never leave one or two persons.
These tests use only the outputs' public frames, so they show the defects on
a version without the audit, and hold with it.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ipsreport.analysis.disclosed.layer import disclosed
from ipsreport.inputs.edition import edition
from ipsreport.synth.sample import write_cohort

pytestmark = pytest.mark.twin  # sampled cohorts, loaded and validated like real data

#: Frames of one count per variable and code, and the data file each counts.
_FRAMES = {
    "duration": "followup", "background": "baseline", "status": "registry", "supports": "baseline",
    "goals": "baseline", "motivation": "baseline", "resources": "baseline", "evaluation": "followup",
    "psychiatry": "followup", "placement": "followup", "experience": "followup", "statements": "followup",
    "effect": "followup",
}


def _real_cohort(tmp_path, n: int, sites: int = 2, seed: int = 0):
    folder = write_cohort(tmp_path / f"cohort{n}", n, sites=sites, seed=seed)
    (folder / "manifest.yml").unlink()  # no manifest: real data as far as anyone can tell
    return edition(folder)


def _audit_known(ed) -> dict:
    """What the appendix prints of single codes: ``(dataset, variable) -> {code: (kind, value)}``."""
    audit = disclosed(ed).audit
    known: dict = {}
    for key, value in zip(audit["key"], audit["reproduced"]):
        parts = key.split(".")
        if len(parts) != 4 or "[" in parts[0] or parts[2] not in ("n", "pct") or "+" in parts[3]:
            continue
        if value is None or pd.isna(value):
            continue
        known.setdefault((parts[0], parts[1]), {})[int(parts[3])] = (parts[2], float(value))
    return known


def partition_leaks(ed) -> list[str]:
    """Variables where the base minus every published count of a code leaves 1 to ``min_cell - 1`` persons."""
    protected = disclosed(ed)
    m = protected.min_cell
    appendix = _audit_known(ed)
    leaks = []
    for name, dataset in _FRAMES.items():
        frame = getattr(protected, name)
        frame = frame[frame["code"].notna()]
        for variable, rows in frame.groupby("variable", sort=False):
            base = rows["base"].dropna()
            if base.empty:
                continue
            base = int(base.iloc[0])
            known = {int(c): int(n) for c, n in zip(rows["code"], rows["n"]) if pd.notna(n)}
            for code, (kind, value) in appendix.get((dataset, variable), {}).items():
                known.setdefault(code, round(value if kind == "n" else value * base / 100))
            codes = set(ed.codebook[dataset][variable].values)
            rest = base - sum(v for c, v in known.items() if c in codes)
            if known.keys() >= codes:
                continue
            if 0 < rest < m:
                leaks.append(f"{name}/{variable}: N {base} minus {known} leaves {rest}")
    exit_ = protected.exit
    if exit_["base"].notna().any():
        base = int(exit_["base"].dropna().iloc[0])
        known = {int(c): int(n) for c, n in zip(exit_["code"], exit_["n"]) if pd.notna(n)}
        for code, (kind, value) in appendix.get(("registry", "exit_status"), {}).items():
            if code in set(exit_["code"]) and kind == "n":
                known.setdefault(code, int(value))
        rest = base - sum(known.values())
        if len(known) < len(exit_) and 0 < rest < m:
            leaks.append(f"exit: N {base} minus {known} leaves {rest}")
    return leaks


@pytest.mark.parametrize("n", [5, 8, 12])
def test_no_variable_leaves_one_or_two_persons_after_subtraction(tmp_path, n):
    """Differencing through the appendix, zero complements and 'Ja' of N (issue 17), on 5, 8 and 12 persons."""
    ed = _real_cohort(tmp_path, n)
    assert ed.settings.min_cell == 3
    assert partition_leaks(ed) == []


def test_appendix_prints_no_count_the_tables_hide(tmp_path):
    """n = 8: Table 3 hides both rows, so the appendix may not print referral status code 2 of N 8."""
    ed = _real_cohort(tmp_path, 8)
    status = disclosed(ed).status
    audit = disclosed(ed).audit.set_index("key")
    for code, n in zip(status["code"], status["n"]):
        for kind in ("n", "pct"):
            key = f"registry.referral_status.{kind}.{code}"
            if pd.isna(n) and key in audit.index:
                assert pd.isna(audit.loc[key, "reproduced"]), (key, audit.loc[key, "reproduced"])


def test_a_hidden_value_keeps_its_verdict_where_it_gives_nothing_away(tmp_path):
    """A recomputed value the rule hides prints as hidden; its verdict is still stated unless it would narrow it."""
    ed = _real_cohort(tmp_path, 12)
    audit = disclosed(ed).audit
    hidden = audit[audit["suppressed"]]
    assert len(hidden)
    assert (hidden["status"] != "hidden").any()
    assert hidden["reproduced"].isna().all()


def test_tooltip_share_and_base_do_not_give_the_other_answer(tmp_path):
    """'At komme i job – Ja · N = 7' with 86 % told that 1 answered Nej: a shown 'Ja' leaves 0 or >= 3 'Nej'."""
    from ipsreport.outputs.facts import facts

    for n in (5, 8, 12):
        ed = _real_cohort(tmp_path, n)
        f = facts(ed)
        for name in ("goal_job", "goal_education", "goal_everyday", "goal_social", "goal_understood"):
            yes = f.fact(f"{name}_pct").n  # the count behind the printed share
            goals = disclosed(ed).goals.set_index("variable")
            base = goals.loc[name, "base"]
            if yes is None or pd.isna(yes) or pd.isna(base):
                continue
            assert not 0 < int(base) - int(yes) < 3, (n, name, yes, base)


def test_site_book_prints_no_small_row_count_and_no_internal_path(tmp_path):
    """A site of one person: the data-files table prints neither 1 / 1 / 0 nor the cache folder it was split into."""
    from ipsreport.paths import PROJECT_DIR
    from ipsreport.book.sites import split_by_site
    from ipsreport.outputs.tables import tab_sources

    folder = write_cohort(tmp_path / "cohort", 12, sites=2, seed=0)
    (folder / "manifest.yml").unlink()
    registry = pd.read_csv(folder / "registry.csv", dtype=str)
    registry.loc[registry.index[0], "site"] = "Lillested"  # a site of one person
    registry.to_csv(folder / "registry.csv", index=False, lineterminator="\n")
    # Inside the project, as a render's cache is (.ipsreport-cache/sites/data/<site>).
    root = PROJECT_DIR / ".ipsreport-cache" / f"test-sites-{tmp_path.name}"
    try:
        sites = split_by_site(folder, root)
        tiny = next(s for s in sites if s.site == "Lillested")
        ed = edition(tiny.data_dir)
        assert ed.settings.min_cell == 3
        table = tab_sources(ed)
        data = table.data
        assert not pd.to_numeric(data["rows"], errors="coerce").dropna().between(1, 2).any(), data
        html = table.as_raw_html()
        assert ".ipsreport-cache" not in html and str(root) not in html
        assert ".ipsreport-cache" not in data.to_csv()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_hand_written_manifest_does_not_switch_the_rule_off(tmp_path):
    """Five lines claiming the twin, with the real files' own checksums: still real data, rule on."""
    import hashlib

    import yaml

    folder = write_cohort(tmp_path / "real", 8, sites=2, seed=0)
    files = {p.name: {"sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in folder.glob("*.csv")}
    (folder / "manifest.yml").write_text(
        yaml.safe_dump({"synthetic": True, "generator": "ipsreport.synth.twin", "files": files}), encoding="utf-8")
    ed = edition(folder)
    assert not ed.twin and not ed.synthetic and ed.settings.min_cell == 3
    status = disclosed(ed).status
    assert not status["n"].dropna().between(1, 2).any()
