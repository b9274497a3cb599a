"""Evidence: what the person said about each KB symptom id (present, absent or unknown).

`symptom` entities from the extractor carry the KB symptom id as value and extra fields
(`negated`, `uncertain`, `laterality`, `onset`, `since_hours`...). This module turns them into
evidence, the one form the triage engine, the emergency rules and the actions share, and into
onsets: when what is present began, for the red-flag rules' time windows.
"""
from __future__ import annotations

from typing import Dict, Iterable, Mapping, Optional

from bot.kb.ids import BOTH_SIDES, GRADUAL_ONSET, ONE_SIDED, SUDDEN_ONSET

PRESENT, ABSENT, UNKNOWN = "present", "absent", "unknown"
CHOICES = (PRESENT, ABSENT, UNKNOWN)
SYMPTOM_ENTITY = "symptom"
TIME_ENTITY = "time"  # a time said with no symptom to take it ("yes, years ago"), with its since_hours

# Context evidence implied by a mention's attributes (KB symptom ids of kind `context`).
_ONSET_EVIDENCE = {"sudden": SUDDEN_ONSET, "gradual": GRADUAL_ONSET}
_LATERALITY_EVIDENCE = {"left": ONE_SIDED, "right": ONE_SIDED, "both": BOTH_SIDES}

Evidence = Dict[str, str]
Onsets = Dict[str, float]  # symptom id -> about how many hours ago it began (or happened); absent: not said


def choice_of(entity: Mapping) -> str:
    if entity.get("negated"):
        return ABSENT
    if entity.get("uncertain"):
        return UNKNOWN
    return PRESENT


def evidence_from_entities(entities: Iterable[Mapping]) -> Evidence:
    """Evidence stated in one message. Within a message a present mention beats an unsure one."""
    evidence: Evidence = {}
    for symptom_id, choice, _ in _stated(entities):
        _note(evidence, symptom_id, choice)
    return evidence


def onsets_from_entities(entities: Iterable[Mapping]) -> Onsets:
    """When what the message says is present (or maybe present) began, where it says so ("for three years", "since this
    morning", "as a child"); context ids implied by a mention ("suddenly", "my left leg") began with it."""
    onsets: Onsets = {}
    for symptom_id, choice, since_hours in _stated(entities):
        if choice != ABSENT and since_hours is not None:
            onsets[symptom_id] = float(since_hours)
    return onsets


def _stated(entities: Iterable[Mapping]) -> Iterable[tuple[str, str, Optional[float]]]:
    """(symptom id, choice, hours ago) of each reported symptom entity and of the context it implies."""
    for entity in entities:
        if entity.get("entity") != SYMPTOM_ENTITY or not entity.get("value") or entity.get("hypothetical"):
            continue  # a symptom asked about ("what are the signs of a stroke?") is not evidence
        choice, since_hours = choice_of(entity), entity.get("since_hours")
        yield str(entity["value"]), choice, since_hours
        if choice == PRESENT:
            implied = (_ONSET_EVIDENCE.get(entity.get("onset")), _LATERALITY_EVIDENCE.get(entity.get("laterality")))
            yield from ((symptom_id, PRESENT, since_hours) for symptom_id in implied if symptom_id)


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
