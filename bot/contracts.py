"""The JSON contracts that clients rely on, in Rasa's `custom` field: question, assessment, emergency.

One definition for every producer (the actions, the emergency policy, the vignette evaluation) and
every reader (the Slack and Telegram renderers; the web widget reads the same fields). The JSON
Schema in docs/contracts.schema.json describes the same shapes for clients in other languages;
docs/contracts.md explains them. Bump CONTRACT_VERSION when a field changes meaning or goes away, or when
a payload the previous schema would refuse is sent (its objects allow no fields they do not name).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, Optional, TypedDict

CONTRACT_VERSION = "3"

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
    supporting: list[EvidencePayload]  # answers that make it likelier than the other causes, strongest first
    conflicting: list[EvidencePayload]  # answers that speak against it, strongest first


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


def finding_words(finding: Mapping[str, Any]) -> str:
    """One answer in a few plain words: "burning pain", or "no burning pain" for one the person denied."""
    name = str(finding.get("name") or finding.get("id") or "")
    name = name[:1].lower() + name[1:]
    return f"no {name}" if finding.get("choice") == "absent" else name


def reasons_line(supporting: Iterable[Mapping[str, Any]], conflicting: Iterable[Mapping[str, Any]]) -> str:
    """A cause's reasons as one short line: "For: burning pain, diabetes; against: no leg weakness"."""
    parts = [f"{label}: {', '.join(finding_words(f) for f in findings)}"
             for label, findings in (("for", list(supporting)), ("against", list(conflicting))) if findings]
    line = "; ".join(parts)
    return line[:1].upper() + line[1:]


def payload_kind(custom: object) -> Optional[str]:
    """Which contract a message's `custom` carries (the most urgent if several), or None."""
    if not isinstance(custom, dict):
        return None
    return next((kind for kind in (EMERGENCY, ASSESSMENT, QUESTION) if isinstance(custom.get(kind), dict)), None)
