"""The JSON contracts that clients rely on, in Rasa's `custom` field: question, assessment, emergency.

One definition for every producer (the actions, the emergency policy, the vignette evaluation) and
every reader (the Slack and Telegram renderers; the web widget reads the same fields). The JSON
Schema in docs/contracts.schema.json describes the same shapes for clients in other languages;
docs/contracts.md explains them. Bump CONTRACT_VERSION when a field changes meaning or goes away.
"""
from __future__ import annotations

from typing import Literal, Optional, TypedDict

CONTRACT_VERSION = "2"

QUESTION, ASSESSMENT, EMERGENCY = "question", "assessment", "emergency"
Choice = Literal["present", "absent", "unknown"]


class QuestionPayload(TypedDict):
    """`custom.question`: what the assistant asks; its buttons travel beside it."""

    version: str
    id: str  # a KB symptom id, or "age" / "sex"
    type: Literal["symptom", "age", "sex"]
    text: str


class EvidencePayload(TypedDict):
    id: str  # KB symptom id
    name: str  # clinical name
    choice: Choice


class CausePayload(TypedDict):
    id: str  # KB condition id
    name: str
    probability: float  # strictly between 0 and 1
    likelihood: str  # the probability in words: "very likely", "possible"...


class AssessmentPayload(TypedDict):
    """`custom.assessment`: the end of an interview."""

    version: str
    triage: str  # a triage level id (data/kb/meta.yml)
    triage_label: str  # what the level tells the person, in a few words
    conditions: list[CausePayload]  # most likely first, at most five
    evidence: list[EvidencePayload]  # everything the person said, present, absent or unknown
    explanation: list[str]  # short reasons for the leading cause
    advice: str
    kb_version: str


class SuspectedCondition(TypedDict):
    id: str
    name: str


class EmergencyPayload(TypedDict):
    """`custom.emergency`: a red-flag pattern was found; the person is told to get emergency care now."""

    version: str
    triage: Literal["emergency_ambulance", "emergency"]
    triage_label: str
    pattern: str  # stroke, gbs, cauda_equina, ... or self_reported
    condition: Optional[SuspectedCondition]  # the cause the pattern points to, if it names one
    reason: str
    findings: list[EvidencePayload]  # what was understood that completes the pattern


SHOWN_PERCENT = (1, 99)  # a ranking of a few answers is never certain, and never rules anything out


def shown_percent(probability: float) -> int:
    """A probability as the percentage people are shown: never 0% or 100%."""
    low, high = SHOWN_PERCENT
    return min(high, max(low, round(probability * 100)))


def payload_kind(custom: object) -> Optional[str]:
    """Which contract a message's `custom` carries (the most urgent if several), or None."""
    if not isinstance(custom, dict):
        return None
    return next((kind for kind in (EMERGENCY, ASSESSMENT, QUESTION) if isinstance(custom.get(kind), dict)), None)
