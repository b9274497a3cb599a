"""The rule of the house (README, "Where things live"): the KB, the triage engine and the interview know nothing
about Rasa, and the interview and the engine know no intent name."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RASA_FREE = ["bot/kb", "bot/triage", "bot/interview", "bot/evaluation", "bot/conversations", "bot/contracts.py",
             "bot/intents.py"]


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
        for path in ([ROOT / package] if package.endswith(".py") else (ROOT / package).rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] in {"rasa", "rasa_sdk"}
    }
    assert offenders == {}


@pytest.mark.parametrize("package", ["bot/triage", "bot/interview"])
def test_the_interview_and_the_engine_know_no_intent_name(package):
    """Adapters translate intents into a Turn (bot/intents.py); below them no intent is named."""
    from bot.intents import INTENT_NAMES
    from bot.kb.schema import TRIAGE_LEVELS

    names = set(INTENT_NAMES) - set(TRIAGE_LEVELS)  # "emergency" is a triage level's id as well
    quoted = {f'"{name}"' for name in names} | {f"'{name}'" for name in names}
    offenders = {str(path.relative_to(ROOT)): sorted(q for q in quoted if q in path.read_text(encoding="utf-8"))
                 for path in (ROOT / package).rglob("*.py")}
    assert {path: found for path, found in offenders.items() if found} == {}
