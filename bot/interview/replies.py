"""What the interview answers, as typed values; bot/interview/render.py words them for a channel."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.triage.engine import Assessment
from bot.triage.red_flags import Escalation
from bot.triage.why import QuestionValue


@dataclass(frozen=True)
class Understood:
    """What the person's own words added, so they can correct it."""

    evidence: Mapping[str, str]


@dataclass(frozen=True)
class AskForSymptoms:
    """Nothing present is known yet: the person is asked to describe what they feel."""


@dataclass(frozen=True)
class AskAge:
    retry: bool = False  # the last answer was not an age


@dataclass(frozen=True)
class AskSex:
    pass


@dataclass(frozen=True)
class Question:
    symptom_id: str


@dataclass(frozen=True)
class WhyAsked:
    """Why the pending symptom question matters: what a yes or a no would tell apart."""

    value: QuestionValue


@dataclass(frozen=True)
class WhyAskedDemographic:
    """Why the age or the sex is asked: the causes it changes most (KB condition ids)."""

    asked: str  # "age" or "sex"
    condition_ids: tuple[str, ...]


@dataclass(frozen=True)
class NothingAsked:
    """The person asked why, but no question is pending."""


@dataclass(frozen=True)
class AssessmentReply:
    assessment: Assessment


@dataclass(frozen=True)
class EmergencyReply:
    escalation: Escalation
    evidence: Mapping[str, str]  # what was understood when it escalated


Reply = (Understood | AskForSymptoms | AskAge | AskSex | Question | WhyAsked | WhyAskedDemographic | NothingAsked
         | AssessmentReply | EmergencyReply)
