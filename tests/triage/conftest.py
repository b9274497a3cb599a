"""Small hand-made knowledge bases for the engine's mechanics, and the project's real KB where it loads."""
from __future__ import annotations

import pytest

from bot.kb.schema import TRIAGE_LEVELS, KnowledgeBase

PRIORS = {"very_common": 0.3, "common": 0.15, "uncommon": 0.06, "rare": 0.02, "very_rare": 0.005}


def symptom(symptom_id: str, kind: str = "symptom") -> dict:
    return {
        "id": symptom_id,
        "name": symptom_id.replace("_", " ").capitalize(),
        "kind": kind,
        "question": f"Do you have {symptom_id.replace('_', ' ')}?",
        "phrases": [symptom_id.replace("_", " "), f"my {symptom_id.replace('_', ' ')}"],
    }


def condition(condition_id: str, symptoms: dict, urgency: str = "consultation", rarity: str = "common", **extra) -> dict:
    return {
        "id": condition_id,
        "name": condition_id.replace("_", " ").title(),
        "group": "seed",
        "description": "A test condition.",
        "causes": ["test"],
        "rarity": rarity,
        "urgency": urgency,
        "urgency_wording": urgency,
        "symptoms": symptoms,
        "diagnosis": ["test"],
        "treatment": ["test"],
        "when_to_seek_care": "test",
        "sources": ["test_source"],
        **extra,
    }


def build_kb(conditions: list, symptom_ids=None, red_flags=(), default: float = 0.05) -> KnowledgeBase:
    """A valid KnowledgeBase with the given conditions; symptoms default to every id they mention."""
    if symptom_ids is None:
        mentioned = set()
        for c in conditions:
            mentioned |= set(c["symptoms"]) | set(c.get("never", [])) | set(c.get("always", []))
        for rule in red_flags:
            mentioned |= {i for combination in rule["any_of"] for i in combination}
        symptom_ids = sorted(mentioned)
    return KnowledgeBase(
        meta={
            "version": "test-1",
            "rarity_priors": PRIORS,
            "default_symptom_probability": default,
            "triage_levels": {level: {"label": level, "advice": f"advice for {level}"} for level in TRIAGE_LEVELS},
        },
        sources=[{"id": "test_source", "title": "Test", "publisher": "Test"}],
        symptoms=[symptom(s) for s in symptom_ids],
        conditions=conditions,
        red_flags=list(red_flags),
        faqs=[],
        general_care={"home_care": ["rest"], "treatments": ["none"], "doctor_questions": ["why?"],
                      "when_to_see_doctor": "soon"},
    )


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


@pytest.fixture(scope="session")
def real_kb():
    """The project's knowledge base; tests using it skip while it does not load yet."""
    from bot.kb.yaml_loader import read_knowledge_base

    try:
        kb = read_knowledge_base()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready", reported in the skip
        pytest.skip(f"data/kb does not load yet: {error}")
    if len(kb.conditions) < 2:
        pytest.skip("data/kb has fewer than two conditions yet")
    return kb
