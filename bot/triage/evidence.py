"""Evidence: what the person said about each KB symptom id (present, absent or unknown).

`symptom` entities from the extractor carry the KB symptom id as value and extra fields
(`negated`, `uncertain`, `laterality`, `onset`...). This module turns them into evidence, the
one form the triage engine, the emergency rules and the actions share.
"""
from __future__ import annotations

from typing import Dict, Iterable, Mapping

from bot.kb.ids import BOTH_SIDES, GRADUAL_ONSET, ONE_SIDED, SUDDEN_ONSET

PRESENT, ABSENT, UNKNOWN = "present", "absent", "unknown"
CHOICES = (PRESENT, ABSENT, UNKNOWN)
SYMPTOM_ENTITY = "symptom"

# Context evidence implied by a mention's attributes (KB symptom ids of kind `context`).
_ONSET_EVIDENCE = {"sudden": SUDDEN_ONSET, "gradual": GRADUAL_ONSET}
_LATERALITY_EVIDENCE = {"left": ONE_SIDED, "right": ONE_SIDED, "both": BOTH_SIDES}

Evidence = Dict[str, str]


def choice_of(entity: Mapping) -> str:
    if entity.get("negated"):
        return ABSENT
    if entity.get("uncertain"):
        return UNKNOWN
    return PRESENT


def evidence_from_entities(entities: Iterable[Mapping]) -> Evidence:
    """Evidence stated in one message. Within a message a present mention beats an unsure one."""
    evidence: Evidence = {}
    for entity in entities:
        if entity.get("entity") != SYMPTOM_ENTITY or not entity.get("value") or entity.get("hypothetical"):
            continue  # a symptom asked about ("what are the signs of a stroke?") is not evidence
        choice = choice_of(entity)
        _note(evidence, str(entity["value"]), choice)
        if choice == PRESENT:
            implied_ids = (_ONSET_EVIDENCE.get(entity.get("onset")), _LATERALITY_EVIDENCE.get(entity.get("laterality")))
            for implied in implied_ids:
                if implied:
                    _note(evidence, implied, PRESENT)
    return evidence


def _note(evidence: Evidence, symptom_id: str, choice: str) -> None:
    if evidence.get(symptom_id) == PRESENT and choice == UNKNOWN:
        return
    evidence[symptom_id] = choice


def merge(earlier: Mapping[str, str], later: Mapping[str, str]) -> Evidence:
    """Later answers correct earlier ones, but an unsure answer never erases a definite one."""
    merged = dict(earlier)
    for symptom_id, choice in later.items():
        if choice == UNKNOWN and merged.get(symptom_id) in (PRESENT, ABSENT):
            continue
        merged[symptom_id] = choice
    return merged


def present(evidence: Mapping[str, str]) -> set:
    return {symptom_id for symptom_id, choice in evidence.items() if choice == PRESENT}
