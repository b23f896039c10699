"""Packaging consistency: environment.yml and the lock follow pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml

from ipsreport.paths import PROJECT_DIR

_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def _norm(spec: str) -> str:
    return _NAME.match(spec).group(1).lower().replace("_", "-")


def _pyproject() -> dict:
    return tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> set[str]:
    project = _pyproject()["project"]
    deps = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        deps += extra
    return {_norm(d) for d in deps}


def _conda_names() -> set[str]:
    env = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text(encoding="utf-8"))
    names = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            names |= {_norm(d) for d in dep.get("pip", []) if not d.startswith("-")}
        else:
            names.add(_norm(dep))
    return names


def test_environment_yml_lists_every_dependency():
    missing = _declared() - _conda_names()
    assert not missing, f"environment.yml lacks {sorted(missing)} declared in pyproject.toml"


def test_environment_yml_has_quarto_and_python():
    names = _conda_names()
    assert {"quarto", "python"} <= names


def test_lock_pins_every_dependency_exactly():
    lock = (PROJECT_DIR / "requirements.lock").read_text(encoding="utf-8")
    pinned = {
        _norm(line) for line in lock.splitlines() if re.match(r"^[A-Za-z0-9_.\-]+==", line)
    }
    missing = _declared() - pinned
    assert not missing, f"requirements.lock does not pin {sorted(missing)}; run `make lock`"
