"""The render engine stands on its own: nothing in ipsreport/render imports the report.

Everything a book needs beyond its sources reaches the engine through
``ipsreport.render.hooks.BookHooks``; this test keeps it that way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ipsreport.render

RENDER_DIR = Path(ipsreport.render.__file__).parent


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "ipsreport":
            # `from ipsreport import paths` imports ipsreport.paths (or a name of the package).
            found += [(node.lineno, f"ipsreport.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            found.append((node.lineno, "." * node.level + (node.module or "")))
    return found


def _outside(module: str) -> bool:
    """An ``ipsreport`` module other than ``ipsreport.render`` and its submodules (``import ipsreport`` too)."""
    if module.startswith("."):
        return False  # relative imports stay inside the package (none today)
    inside = module == "ipsreport.render" or module.startswith("ipsreport.render.")
    return (module == "ipsreport" or module.startswith("ipsreport.")) and not inside


def test_engine_imports_nothing_of_the_report():
    modules = sorted(RENDER_DIR.rglob("*.py"))
    assert len(modules) > 10
    bad = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        bad += [f"{path.relative_to(RENDER_DIR.parent.parent)}:{line}: imports {module}"
                for line, module in _imported_modules(tree) if _outside(module)]
    assert not bad, "the render engine must not import the report:\n" + "\n".join(bad)


def test_the_check_sees_report_imports():
    tree = ast.parse("import os\nfrom ipsreport import paths\nfrom ipsreport.render.keys import tree_key\n"
                     "import ipsreport.settings\nimport ipsreport\nfrom ipsreport.render import engine\n"
                     "def f():\n    from ipsreport.manifest import check_manifest\n")
    outside = sorted(m for _, m in _imported_modules(tree) if _outside(m))
    assert outside == ["ipsreport", "ipsreport.manifest", "ipsreport.paths", "ipsreport.settings"]


def test_engine_modules_are_small():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in RENDER_DIR.glob("*.py")}
    assert not {name: n for name, n in sizes.items() if n > 500}, sizes
