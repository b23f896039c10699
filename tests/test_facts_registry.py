"""The facts registry: every name declared literally, chapters use only declared names,
CONTRACT.md's table follows the registry, and the package is a plain package."""

import re
import sys
import types
from pathlib import Path

import pytest

from ipsreport.facts import contract
from ipsreport.facts.registry import PARTS, REGISTRY
from ipsreport.paths import PROJECT_DIR, REPORT_DIR

PACKAGE_DIR = PROJECT_DIR / "ipsreport" / "facts"
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


def test_the_chapters_use_facts():
    used = chapter_fact_names()
    # The parser must see inline and string uses, or the next test proves nothing.
    assert "success_pct" in used and "cases_n" in used and "duration_over12_pct" in used
    assert len(used) > 100


def test_every_fact_a_chapter_uses_is_declared_literally():
    source = package_source()
    used = chapter_fact_names()
    undeclared = {name: sorted(where) for name, where in used.items() if name not in REGISTRY}
    assert undeclared == {}, "declare these facts in ipsreport/facts/registry_*.py"
    not_literal = sorted(name for name in used if f'"{name}"' not in source)
    assert not_literal == [], "write these fact names out in ipsreport/facts/ (no names built in loops)"


def test_every_declared_fact_is_written_out():
    """``grep -rn <name> ipsreport/facts`` finds the declaration of every fact."""
    declarations = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE_DIR.glob("registry_*.py"))
    found = set(re.findall(r'\b(?:pooled|counted|computed)\(\s*"([a-z0-9_]+)"', declarations))
    assert found == set(REGISTRY)
    assert sum(len(part) for part in PARTS.values()) == len(REGISTRY)


def test_table9_facts_follow_the_model_terms():
    from ipsreport.spec import TERM_NAMES

    for suffix in ("_or", "_p", "_ci"):
        declared = {name[: -len(suffix)] for name, d in REGISTRY.items()
                    if name.endswith(suffix) and d.source is not None and d.source.name == "regression"}
        assert declared == set(TERM_NAMES), suffix


@pytest.mark.parametrize(("dataset", "group", "suffixes"), [
    ("baseline", "supports", ("_n", "_pct", "_of")),
    ("baseline", "goals", ("_n", "_pct", "_of")),
    ("baseline", "motivation", ("_top_pct", "_second_pct", "_rest_pct")),
    ("followup", "evaluation", ("_top_pct", "_second_pct")),
    ("followup", "psychiatry", ("_pct", "_of", "_n")),
    ("followup", "placement", ("_high_pct", "_some_pct", "_low_pct", "_none_pct", "_noanswer_n")),
])
def test_the_codebook_items_have_their_facts(dataset, group, suffixes):
    """The registry names the codebook's items; a new item needs its facts declared."""
    from ipsreport.codebook import load_codebook

    for var in load_codebook()[dataset].group(group):
        for suffix in suffixes:
            definition = REGISTRY.get(var.name + suffix)
            assert definition is not None, f"no fact {var.name + suffix!r}"


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
    import ipsreport.facts as package
    from ipsreport.facts import Facts, facts

    assert type(sys.modules["ipsreport.facts"]) is types.ModuleType  # no __class__ swap
    assert package.facts is facts and callable(facts) and isinstance(Facts, type)
    assert package.__all__ == ["facts", "Facts"]


@pytest.mark.parametrize("path", sorted(PACKAGE_DIR.glob("*.py")), ids=lambda p: p.name)
def test_modules_stay_small(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400
