"""The house rules of the code base (issue 10), checked on the source itself.

A newcomer must be able to follow the code with ``grep``; these checks keep
the mechanisms that made that impossible from coming back:

* no import cycle between the package's modules;
* the render engine (``ipsreport/render/``) imports nothing of the report;
* no ``__class__`` swap, no replacing of another module's functions (also not
  in code the engine sends to a kernel as a string), no module ``__getattr__``;
* every fact a chapter uses (``f.<name>``) is written literally in the package;
* no Python file over 500 lines (package, tests and benchmarks).

The render-cache rule (editing ``requirements.lock`` re-executes the chapters)
is checked where the cache lives: ``tests/test_render_engine.py``
(``test_editing_the_lock_file_reexecutes_every_chapter``,
``test_cache_keys_follow_the_lock_file_and_installed_versions``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ipsreport.paths import PROJECT_DIR

PACKAGE = PROJECT_DIR / "ipsreport"
ENGINE = PACKAGE / "render"
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PROJECT_DIR).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``from ... import`` statement names."""
    if not node.level:
        return node.module or ""
    package = module.split(".")
    # A package's __init__ is its own package; a module's package is its parent.
    is_package = MODULES[module].name == "__init__.py"
    base = package if is_package else package[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str, tree: ast.AST, top_level_only: bool) -> set[str]:
    """Package modules imported by ``tree`` (``from pkg import mod`` counts as ``pkg.mod``)."""
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    # Imports under `if TYPE_CHECKING:` are for annotations only; they never run.
    typing_only = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and ast.unparse(node.test).endswith("TYPE_CHECKING") for inner in ast.walk(node)}
    nodes = [node for node in nodes if id(node) not in typing_only]
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node)
            submodules = {f"{base}.{alias.name}" for alias in node.names} & MODULES.keys()
            # `from pkg import mod` depends on pkg.mod; `from mod import name` on mod.
            names.update(submodules if len(submodules) == len(node.names) else {base, *submodules})
    return {name for name in names if name in MODULES}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_no_import_cycle():
    """No two modules depend on each other, through module-level or function-level imports.

    A function-level import only postpones a cycle; the modules still cannot be
    understood (or moved) one without the other.
    """
    graph = {name: _imports(name, _tree(path), top_level_only=False) - {name} for name, path in MODULES.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def _report_imports(module: str, tree: ast.AST) -> list[tuple[int, str]]:
    """Line and target of every import in ``tree`` that reaches ``ipsreport`` outside ``ipsreport.render``."""
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node)
            targets = [base] if base != "ipsreport" else [f"ipsreport.{a.name}" for a in node.names]
        for target in targets:
            if (target == "ipsreport" or target.startswith("ipsreport.")) and not (
                    target == "ipsreport.render" or target.startswith("ipsreport.render.")):
                found.append((node.lineno, target))
    return found


def test_engine_imports_nothing_of_the_report():
    """``ipsreport/render/`` could be published on its own: it imports only itself and libraries.

    Everything a book needs beyond its sources reaches the engine through
    ``ipsreport.render.hooks.BookHooks``.
    """
    engine = [name for name in MODULES if name.startswith("ipsreport.render")]
    assert len(engine) > 10
    offending = [f"{MODULES[name].relative_to(PROJECT_DIR)}:{line} imports {target}"
                 for name in engine for line, target in _report_imports(name, _tree(MODULES[name]))]
    assert not offending, "\n".join(offending)


def test_the_boundary_check_sees_report_imports():
    """The check above finds every spelling of an import of the report, function-level and relative ones too."""
    tree = ast.parse("import os\nfrom ipsreport import paths\nfrom ipsreport.render.keys import tree_key\n"
                     "import ipsreport.settings\nimport ipsreport\nfrom ipsreport.render import engine\n"
                     "from . import hooks\nfrom .. import edition\n"
                     "def f():\n    from ipsreport.manifest import check_manifest\n")
    found = sorted(target for _, target in _report_imports("ipsreport.render.engine", tree))
    assert found == ["ipsreport", "ipsreport.edition", "ipsreport.manifest", "ipsreport.paths", "ipsreport.settings"]


def _code_strings(tree: ast.AST) -> list[ast.Module]:
    """String constants that are Python code (e.g. a preamble the engine sends to a kernel)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "\n" in node.value:
            try:
                code = ast.parse(node.value)
            except SyntaxError:
                continue
            if any(isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Assign, ast.FunctionDef)) for stmt in code.body):
                found.append(code)
    return found


def _hidden_mechanisms(tree: ast.AST) -> list[str]:
    """``x.__class__ = …``, ``module.func = …`` on an imported module, ``setattr(module, …)``."""
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.update(alias.asname or alias.name for alias in node.names)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if not isinstance(target, ast.Attribute):
                    continue
                if target.attr == "__class__":
                    problems.append(f"line {node.lineno}: assigns __class__")
                root = target.value
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in imported and root.id not in ("self", "cls"):
                    problems.append(f"line {node.lineno}: replaces {ast.unparse(target)} of an imported name")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Name) and first.id in imported:
                problems.append(f"line {node.lineno}: setattr on imported {first.id}")
    return problems


def test_no_hidden_mechanisms():
    """No ``__class__`` swap, no monkeypatching, no module-level ``__getattr__`` (lazy loaders)."""
    problems = []
    for path in MODULES.values():
        tree = _tree(path)
        where = path.relative_to(PROJECT_DIR)
        problems += [f"{where}: {p}" for p in _hidden_mechanisms(tree)]
        for code in _code_strings(tree):
            problems += [f"{where} (code in a string): {p}" for p in _hidden_mechanisms(code)]
        problems += [f"{where}:{node.lineno}: module-level __getattr__ (a hidden lazy loader)"
                     for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "__getattr__"]
    assert not problems, "\n".join(problems)


_FACT_USE = re.compile(r"\bf\.(?!words\b|share_words\b|raw\b|names\b|as_dict\b)([a-z_][a-z0-9_]*)")
_FACT_BY_NAME = re.compile(r"\bf\.(?:words|share_words|raw)\(\s*[\"']([a-z_][a-z0-9_]*)[\"']")


def _chapter_facts() -> set[str]:
    names: set[str] = set()
    for qmd in [PROJECT_DIR / "index.qmd", *sorted((PROJECT_DIR / "report").glob("*.qmd"))]:
        text = qmd.read_text(encoding="utf-8")
        names.update(_FACT_USE.findall(text))
        names.update(_FACT_BY_NAME.findall(text))
    return names


def test_every_chapter_fact_is_written_literally_in_the_package():
    """``grep -rn <fact> ipsreport data/codebook_facts.csv`` finds every fact a chapter prints (no names built
    in loops): a name written in the package, or a cell of the table of pooled codebook items."""
    from ipsreport.paths import CODEBOOK_FACTS_PATH

    names = _chapter_facts()
    assert len(names) > 100, f"only {len(names)} facts found in the chapters: is the pattern still right?"
    source = "\n".join(path.read_text(encoding="utf-8") for path in MODULES.values())
    table = {cell for line in CODEBOOK_FACTS_PATH.read_text(encoding="utf-8").splitlines() for cell in line.split(",")}
    missing = sorted(name for name in names
                     if name not in table and not re.search(rf"[\"']{name}[\"']|\bdef {name}\b", source))
    assert not missing, f"{len(missing)} facts used in chapters are not written literally in ipsreport/: {missing}"


#: Every Python file of the repository held to the size limit: the package, its tests and benchmarks.
SOURCES = sorted(str(path.relative_to(PROJECT_DIR)) for folder in ("ipsreport", "tests", "benchmarks")
                 for path in (PROJECT_DIR / folder).rglob("*.py"))


def test_the_size_check_sees_the_whole_repository():
    assert {Path(name).parts[0] for name in SOURCES} == {"ipsreport", "tests", "benchmarks"}
    assert "tests/test_house.py" in SOURCES and "benchmarks/run.py" in SOURCES


@pytest.mark.parametrize("name", SOURCES)
def test_module_has_one_job_size(name):
    """No Python file over 500 lines: a larger one does several jobs and is split by concern."""
    lines = (PROJECT_DIR / name).read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines (> {MAX_LINES})"


#: The modules that may read an ``IPSREPORT_*`` environment variable: the command line (its
#: arguments' defaults, the debug switch, the cache folder) and the engine's hand-off of the cover to
#: Quarto's filter. Everything below them gets its inputs as arguments, the chapters as parameters.
ENVIRONMENT_READERS = {"ipsreport/cli.py", "ipsreport/cli_inputs.py", "ipsreport/book/hooks.py", "ipsreport/render/quarto.py"}


def test_no_ipsreport_variable_is_read_below_the_command_line():
    readers = set()
    for path in sorted((PROJECT_DIR / "ipsreport").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ(?:\.get)?\s*[\[(]\s*[\"']IPSREPORT_|[\"']IPSREPORT_[A-Z_]+[\"']", text):
            readers.add(str(path.relative_to(PROJECT_DIR)))
    assert readers <= ENVIRONMENT_READERS, sorted(readers - ENVIRONMENT_READERS)
