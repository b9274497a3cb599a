"""The rule of the house (design.md): the KB and the triage engine know nothing about Rasa."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RASA_FREE = ["bot/kb", "bot/triage", "bot/evaluation", "bot/conversations"]


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("package", RASA_FREE)
def test_package_imports_nothing_from_rasa(package):
    offenders = {
        str(path.relative_to(ROOT)): module
        for path in (ROOT / package).rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in {"rasa", "rasa_sdk"}
    }
    assert offenders == {}
