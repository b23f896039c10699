"""The facts registry: every name declared literally (in ipsreport/outputs/facts/registry_*.py or the
table data/codebook_facts.csv), chapters use only declared names, every declared fact has a
reader, CONTRACT.md's table follows the registry, and the package is a plain package."""

import re
import sys
import types
from pathlib import Path

import pytest

from ipsreport.outputs.facts import contract
from ipsreport.outputs.facts.registry import PARTS, REGISTRY
from ipsreport.paths import CODEBOOK_FACTS_PATH, PROJECT_DIR, REPORT_DIR

PACKAGE_DIR = PROJECT_DIR / "ipsreport" / "outputs" / "facts"
CONTRACT = PROJECT_DIR / "docs" / "CONTRACT.md"

#: ``f.<name>`` not followed by a call (``f.words(...)`` is a method).
_ATTRIBUTE = re.compile(r"\bf\.([a-z_][a-z0-9_]*)\b(?!\s*\()")
#: A name passed as a string to the accessor's methods.
_ARGUMENT = re.compile(r"\bf\.(?:words|share_words|raw)\(\s*['\"]([a-z_][a-z0-9_]*)['\"]")


def chapter_fact_names() -> dict[str, set[str]]:
    """Fact name -> the chapters (index.qmd, report/*.qmd) that use it."""
    used: dict[str, set[str]] = {}
    for path in [PROJECT_DIR / "index.qmd", *sorted(REPORT_DIR.glob("*.qmd"))]:
        text = path.read_text(encoding="utf-8")
        for name in {*_ATTRIBUTE.findall(text), *_ARGUMENT.findall(text)}:
            used.setdefault(name, set()).add(path.name)
    return used


def package_source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(PACKAGE_DIR.glob("*.py")))


def table_names() -> set[str]:
    """The fact names in data/codebook_facts.csv (its pct, n and of columns)."""
    import csv

    with CODEBOOK_FACTS_PATH.open(encoding="utf-8", newline="") as handle:
        return {row[kind] for row in csv.DictReader(handle) for kind in ("pct", "n", "of") if row[kind]}


#: Facts read by someone other than a chapter, and by whom. Every other fact must be printed by a
#: chapter: a fact nobody reads is deleted, not kept "in case" (issue 18).
READ_OUTSIDE_THE_CHAPTERS = {
    "registry_n": "the edition comparison (ipsreport.results.editions.record.FACT_KEYS)",
    "finished_n": "the edition comparison (ipsreport.results.editions.record.FACT_KEYS)",
    "success_pct": "the edition comparison (ipsreport.results.editions.record.FACT_KEYS)",
    "audit_result_sentence": "Bilag 8's method text (ipsreport.outputs.facts.editions.audit_method)",
    "edu_higher_mvu_lvu_n": "edu_higher_mvu_lvu_sentence (ipsreport.outputs.facts.sentences)",
    "had_placement_n": "placement_noanswer_sentence (ipsreport.outputs.facts.sentences)",
    "no_placement_n": "no_placement_sentence (ipsreport.outputs.facts.sentences)",
    "no_placement_short_n": "no_placement_sentence (ipsreport.outputs.facts.sentences)",
    "followup_finished_n": "the published 2025 value (tests/test_facts.py REFERENCE)",
    "who5_direction": "the published 2025 value (tests/test_facts.py REFERENCE)",
    "any_mental_health_significant": "the published 2025 value (tests/test_facts.py REFERENCE)",
    "burden_p": "the published 2025 value (tests/test_facts.py REFERENCE)",
    "meaning_or": "the published 2025 odds ratio (tests/test_facts.py)",
    "mastery_or": "the published 2025 odds ratio (tests/test_facts.py)",
}


def test_the_chapters_use_facts():
    used = chapter_fact_names()
    # The parser must see inline and string uses, or the next test proves nothing.
    assert "success_pct" in used and "cases_n" in used and "duration_over12_pct" in used
    assert len(used) > 100


def test_every_fact_a_chapter_uses_is_declared_literally():
    source = package_source()
    used = chapter_fact_names()
    undeclared = {name: sorted(where) for name, where in used.items() if name not in REGISTRY}
    assert undeclared == {}, "declare these facts in ipsreport/outputs/facts/registry_*.py"
    not_literal = sorted(name for name in used if f'"{name}"' not in source and name not in table_names())
    assert not_literal == [], "write these fact names out in ipsreport/outputs/facts/ (no names built in loops)"


def test_every_declared_fact_is_written_out():
    """``grep -rn <name> ipsreport/outputs/facts data/codebook_facts.csv`` finds the declaration of every fact."""
    declarations = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE_DIR.glob("registry_*.py"))
    found = set(re.findall(r'\b(?:counted|computed|written)\(\s*"([a-z0-9_]+)"', declarations))
    assert not found & table_names()
    assert found | table_names() == set(REGISTRY)
    assert sum(len(part) for part in PARTS.values()) == len(REGISTRY)


def test_every_declared_fact_has_a_reader():
    """A fact is printed by a chapter or read by a named consumer; anything else is dead weight."""
    readers = set(chapter_fact_names()) | set(READ_OUTSIDE_THE_CHAPTERS)
    assert sorted(set(REGISTRY) - readers) == [], "no one reads these facts: delete them"
    assert sorted(set(READ_OUTSIDE_THE_CHAPTERS) - set(REGISTRY)) == []


def test_the_readers_outside_the_chapters_read_them():
    """Each entry of READ_OUTSIDE_THE_CHAPTERS is true: its reader names the fact."""
    from ipsreport.results.editions.record import FACT_KEYS

    tests = (PROJECT_DIR / "tests" / "test_facts.py").read_text(encoding="utf-8")
    source = package_source()
    for name, reader in READ_OUTSIDE_THE_CHAPTERS.items():
        if "FACT_KEYS" in reader:
            assert name in FACT_KEYS, name
        elif "tests/test_facts.py" in reader:
            assert f'"{name}"' in tests, name
        else:
            uses = source.count(f'"{name}"') + source.count(f"f.{name}") + (name in table_names())
            assert uses >= 2, name  # the declaration (Python or the table) and the reader


def test_no_description_types_an_editions_value():
    """A description says what a fact is; the 2025 values are pinned by tests/test_facts.py, not typed here."""
    assert [name for name, d in REGISTRY.items() if re.search(r"\b20\d\d:", d.doc)] == []


def test_table9_facts_follow_the_model_terms():
    """A Table 9 fact (``<term>_or``, ``_p``, ``_ci``) is named after a term of the model."""
    from ipsreport.analysis.spec import TERM_NAMES

    for suffix in ("_or", "_p", "_ci"):
        declared = {name[: -len(suffix)] for name, d in REGISTRY.items()
                    if name.endswith(suffix) and d.source is not None and d.source.name == "regression"}
        assert declared <= set(TERM_NAMES), suffix


def test_contract_table_is_up_to_date():
    text = CONTRACT.read_text(encoding="utf-8")
    assert contract.updated(text) == text, (
        f"docs/CONTRACT.md's facts table does not match the registry; run `{contract.COMMAND}`")


def test_contract_lists_every_fact_once():
    text = CONTRACT.read_text(encoding="utf-8")
    section = text[text.index(contract.BEGIN): text.index(contract.END)]
    names = re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.M)
    assert sorted(names) == sorted(REGISTRY)


def test_contract_command_checks_and_rewrites(tmp_path, capsys):
    stale = tmp_path / "CONTRACT.md"
    stale.write_text(f"# Contract\n\n{contract.BEGIN}\n| `old` | | | | |\n{contract.END}\n\n## Next\n",
                     encoding="utf-8")
    assert contract.main([str(stale), "--check"]) == 1
    assert contract.COMMAND in capsys.readouterr().err
    assert contract.main([str(stale)]) == 0
    text = stale.read_text(encoding="utf-8")
    assert "`old`" not in text and "| `success_pct` |" in text and text.endswith(f"{contract.END}\n\n## Next\n")
    assert contract.main([str(stale), "--check"]) == 0


def test_contract_without_markers_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="facts-table"):
        contract.updated("# no markers\n")


def test_facts_is_a_plain_package():
    import ipsreport.outputs.facts as package
    from ipsreport.outputs.facts import Facts, facts

    assert type(sys.modules["ipsreport.outputs.facts"]) is types.ModuleType  # no __class__ swap
    assert package.facts is facts and callable(facts) and isinstance(Facts, type)
    assert package.__all__ == ["facts", "Facts"]


@pytest.mark.parametrize("path", sorted(PACKAGE_DIR.glob("*.py")), ids=lambda p: p.name)
def test_modules_stay_small(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400
