"""Fixtures: a small hand-made knowledge base for the engine's mechanics (the real one is `knowledge_base`)."""
from __future__ import annotations

import pytest

from bot.kb.schema import KnowledgeBase
from tests.triage.triage_kb_fixtures import build_kb, condition


@pytest.fixture
def small_kb() -> KnowledgeBase:
    """Three causes: a common office one, a rare emergency with a required symptom, a self-care one."""
    return build_kb(
        [
            condition("alpha", {"ache": 0.9, "cramp": 0.2, "tired": 0.3}, never=["palsy"]),
            condition("beta", {"cramp": 0.8, "palsy": 0.7, "tired": 0.4}, urgency="emergency_ambulance",
                      rarity="rare", always=["weak"]),
            condition("gamma", {"ache": 0.5, "itch": 0.9, "tired": 0.35}, urgency="self_care", rarity="uncommon",
                      demographics={"age_min": 20, "age_max": 40, "outside_age_factor": 0.2,
                                    "sex": {"female": 2.0}}),
        ],
        red_flags=[{"id": "palsy_weak", "pattern": "palsy", "triage": "emergency_ambulance", "reason": "test",
                    "any_of": [["palsy", "weak"]], "source": "test_source"}],
    )
