"""Builders of small, valid knowledge bases for testing the engine's mechanics."""
from __future__ import annotations

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


def condition(
    condition_id: str, symptoms: dict, urgency: str = "consultation", rarity: str = "common", **extra
) -> dict:
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


def build_kb(conditions: list, symptom_ids=None, red_flags=(), default: float = 0.05,
             see_a_doctor_with=()) -> KnowledgeBase:
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
                      "when_to_see_doctor": "soon", "see_a_doctor_with": list(see_a_doctor_with)},
    )
