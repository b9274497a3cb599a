"""One extractor per test session: building it loads spaCy and the lemma tables (~1-2 s). And
scripts/nlu_report.py as a module, for the tests that check the sets it scores."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from bot.nlu.extractor import SymptomFinder

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def report():
    spec = importlib.util.spec_from_file_location("nlu_report", ROOT / "scripts" / "nlu_report.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["nlu_report"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def finder(knowledge_base) -> SymptomFinder:
    return SymptomFinder.from_kb(knowledge_base)


@pytest.fixture(scope="session")
def symptoms(finder):
    """text -> {symptom id: entity} (the last mention of each id)."""
    def find(text: str) -> Dict[str, dict]:
        return {e["value"]: e for e in finder.extract(text) if e["entity"] == "symptom"}
    return find


@pytest.fixture(scope="session")
def entities(finder):
    """text, entity type -> the entities of that type."""
    def find(text: str, kind: str) -> List[dict]:
        return [e for e in finder.extract(text) if e["entity"] == kind]
    return find
