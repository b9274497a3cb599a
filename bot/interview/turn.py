"""What one message of the person brings to the interview, and how it is folded into the evidence.

A `Turn` speaks the interview's language only: the extractor's entities, an answer as a choice,
whether the person says an emergency is happening now, whether they asked for the result. The
adapters (actions/, bot/policies/, bot/evaluation/) decide these from intents, buttons or text.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Optional

from bot.triage.evidence import (
    PRESENT,
    SYMPTOM_ENTITY,
    TIME_ENTITY,
    Evidence,
    Onsets,
    evidence_from_entities,
    merge,
    onsets_from_entities,
)


@dataclass(frozen=True)
class Turn:
    entities: Sequence[Mapping] = ()  # the symptom extractor's entities of the message
    answer: Optional[str] = None  # present / absent / unknown: a yes, no or not-sure to the pending question
    reported_emergency: bool = False  # the person says an emergency is happening now
    wants_assessment: bool = False  # "just tell me": no more questions
    asks_why: bool = False  # "why do you ask?": what the pending question tells apart, then the question again


def stated_evidence(turn: Turn, pending: Optional[str]) -> Evidence:
    """What this turn says: its answer to the pending question, then its own mentions, which win."""
    answered = {pending: turn.answer} if pending and turn.answer else {}
    return merge(answered, evidence_from_entities(turn.entities))


def fold(evidence: Mapping[str, str], turn: Turn, pending: Optional[str] = None) -> Evidence:
    """The conversation's evidence after this turn (later answers correct earlier ones)."""
    return merge(evidence, stated_evidence(turn, pending))


def red_flag_evidence(evidence: Mapping[str, str], turn: Turn, pending: Optional[str] = None) -> Evidence:
    """The evidence the red-flag rules are checked against: the folded evidence, with this turn's
    hedged mentions as present ("I think his speech is slurred"): a possible stroke is escalated,
    although the evidence itself keeps the hedge as unknown."""
    hedges_as_present = evidence_from_entities({**entity, "uncertain": False} for entity in turn.entities)
    return merge(fold(evidence, turn, pending), hedges_as_present)


def stated_onsets(turn: Turn, pending: Optional[str]) -> Onsets:
    """When what this turn says began: its mentions' times; and for the question a yes answers, a time said
    with it ("yes, years ago", "yes, very slowly, over ten years"), the most recent if several."""
    onsets = onsets_from_entities(turn.entities)
    times = [float(e["since_hours"]) for e in turn.entities
             if e.get("entity") in (TIME_ENTITY, SYMPTOM_ENTITY) and e.get("since_hours") is not None]
    if pending and turn.answer == PRESENT and pending not in onsets and times:
        onsets[pending] = min(times)
    return onsets


def fold_onsets(onsets: Mapping[str, float], turn: Turn, pending: Optional[str] = None) -> Onsets:
    """The conversation's onsets after this turn: the latest time said of a symptom is its time."""
    return {**onsets, **stated_onsets(turn, pending)}
