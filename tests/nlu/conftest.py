"""One extractor per test session: building it loads spaCy and the lemma tables (~1-2 s)."""
from __future__ import annotations

from typing import Dict, List

import pytest

from bot.nlu.extractor import SymptomFinder


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
