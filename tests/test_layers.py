"""The layering of docs/architecture.md, kept by a test: imports only go downwards.

Every import is checked, module level or inside a function (lazy imports count too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "jixiao"

# package → the jixiao packages its modules may import (besides itself)
ALLOWED = {
    "model": set(),
    "findings": {"model"},
    "readers": {"model", "findings"},
    "parse": {"model", "findings", "readers"},
    "rules": {"model", "findings", "scoring"},  # SE-SCORE recomputes with the scoring methods
    "scoring": {"model", "findings"},
    "selfeval": {"model", "findings", "scoring"},
    # mid-year monitoring (issue 11), pure: warnings, time progress, operational data mappings and metrics
    "monitoring": {"model", "findings", "scoring"},
    # outputs (JSON, text, xlsx, the generated docs) render any stage's result
    "render": {"model", "findings", "readers", "parse", "scoring", "rules", "selfeval"},
    # official documents out (issue 10): the model → format-neutral blocks → XLSX, DOCX, PDF
    "write": {"model", "findings", "readers", "scoring", "selfeval"},  # readers: LibreOffice (office.py) for PDF
    # storage: tables, migrations, the model as rows (no HTTP, no roles)
    "store": {"model", "findings"},
    # the use cases, shared by the three entry points; authorisation is decided here (policy.py)
    "services": {"model", "findings", "readers", "parse", "scoring", "rules", "selfeval", "monitoring", "render", "write",
                 "store"},
    # the entry points sit side by side on services/; none imports another
    "api": {"model", "findings", "monitoring", "render", "write", "services", "store"},
    # the web pages: templates over the same services (authorisation through services/policy)
    "web": {"model", "findings", "monitoring", "render", "write", "services", "store"},
    "cli": {"model", "findings", "readers", "parse", "scoring", "rules", "selfeval", "monitoring", "render", "write",
            "pipeline",
            "services", "store"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jixiao."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("jixiao."))
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_go_downwards(package):
    wrong = []
    for path in sorted((SRC / package).rglob("*.py")):
        for imported in _imports(path) - ALLOWED[package] - {package}:
            wrong.append(f"{path.relative_to(SRC)} imports jixiao.{imported}")
    assert wrong == []


def test_every_package_has_its_layer():
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(ALLOWED)


def test_nothing_imports_the_command_line():
    wrong = [str(p.relative_to(SRC)) for p in sorted(SRC.rglob("*.py"))
             if "cli" in _imports(p) and p.parent.name != "cli"]
    assert wrong == []


def test_the_test_sees_lazy_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from jixiao.parse.values import parse_value\n", encoding="utf-8")
    assert _imports(module) == {"parse"}
