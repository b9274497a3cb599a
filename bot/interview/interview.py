"""One step of the interview: red flags first, then what was understood, age and sex, the next question
or the assessment. The order is the assistant's; every adapter runs this same step."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Optional

from bot.interview.demographics import UNSPECIFIED, engine_sex, parse_age, valid_age, valid_sex
from bot.interview.replies import (
    AskAge,
    AskForSymptoms,
    AskSex,
    AssessmentReply,
    EmergencyReply,
    NothingAsked,
    Question,
    Reply,
    Understood,
    WhyAsked,
    WhyAskedDemographic,
)
from bot.interview.turn import Turn, fold, fold_onsets, red_flag_evidence, stated_evidence
from bot.kb.schema import KnowledgeBase
from bot.triage.engine import TriageEngine
from bot.triage.evidence import PRESENT, merge
from bot.triage.red_flags import RedFlags, decide
from bot.triage.why import demographic_effects


@dataclass(frozen=True)
class InterviewState:
    evidence: Mapping[str, str] = field(default_factory=dict)  # KB symptom id -> present / absent / unknown
    onsets: Mapping[str, float] = field(default_factory=dict)  # symptom id -> about how many hours ago it began
    asked: tuple[str, ...] = ()  # symptom ids asked so far
    pending: Optional[str] = None  # the symptom id asked last, which a yes or no answers
    age: Optional[str] = None  # years as text, "unspecified", or None while not known
    sex: Optional[str] = None  # female, male, "unspecified", or None while not known
    escalated: tuple[str, ...] = ()  # red-flag patterns already escalated


Likelihoods = Callable[[Mapping[str, str]], Mapping[str, float]]  # evidence -> condition id -> probability


def escalate(red_flags: RedFlags, state: InterviewState, turn: Turn,
             likelihoods: Optional[Likelihoods] = None) -> Optional[tuple[InterviewState, EmergencyReply]]:
    """The escalation due after this turn, with the state after it, or None.

    Findings count only within their red-flag rule's time window (`onsets`); when several patterns
    match, the one whose condition is the likelier cause is named (`likelihoods`). Escalating ends the
    pending question ("I've called them" must not answer it) and keeps what the turn said, since the
    interview's question step does not run on this turn."""
    evidence = red_flag_evidence(state.evidence, turn, state.pending)
    onsets = fold_onsets(state.onsets, turn, state.pending)
    found = decide(red_flags, evidence, state.escalated, turn.reported_emergency, onsets,
                   likelihoods(evidence) if likelihoods else None)
    if found is None:
        return None
    folded = fold(state.evidence, turn, state.pending)
    after = replace(state, evidence=folded, onsets=onsets, pending=None,
                    escalated=state.escalated + tuple(found.patterns))
    return after, EmergencyReply(found, folded)


class Interview:
    """The whole interview over one knowledge base. Stateless: the state travels with each call."""

    def __init__(self, kb: KnowledgeBase, engine: Optional[TriageEngine] = None, red_flags: Optional[RedFlags] = None):
        self.kb = kb
        self.engine = engine or TriageEngine(kb)
        self.red_flags = red_flags  # None: escalation is someone else's job (Rasa's emergency policy)
        self._known = frozenset(s.id for s in kb.symptoms)

    def step(self, state: InterviewState, turn: Turn) -> tuple[InterviewState, list[Reply]]:
        if self.red_flags is not None:
            escalated = escalate(self.red_flags, state, turn, self.engine.ranker.likelihoods)
            if escalated:
                after, reply = escalated
                return after, [reply]
        return self._why(state, turn) if turn.asks_why else self._proceed(state, turn)

    def _proceed(self, state: InterviewState, turn: Turn) -> tuple[InterviewState, list[Reply]]:
        """What was understood, age and sex, then the next question or the assessment."""
        stated = {k: v for k, v in stated_evidence(turn, state.pending).items() if k in self._known}
        state = replace(state, evidence=merge(state.evidence, stated),
                        onsets=fold_onsets(state.onsets, turn, state.pending))
        replies: list[Reply] = []
        if turn.answer is None and PRESENT in stated.values():
            replies.append(Understood(stated))
        if PRESENT not in state.evidence.values():
            return replace(state, pending=None), replies + [AskForSymptoms()]
        if turn.wants_assessment:
            state = replace(state, age=state.age or UNSPECIFIED, sex=state.sex or UNSPECIFIED)
            return self._assess(state, replies)
        if valid_age(state.age) is None:
            return replace(state, pending=None), replies + [AskAge()]
        if valid_sex(state.sex) is None:
            return replace(state, pending=None), replies + [AskSex()]
        question = self.engine.next_question(state.evidence, parse_age(state.age), engine_sex(state.sex), state.asked,
                                             state.onsets)
        if question is None:
            return self._assess(state, replies)
        return replace(state, pending=question, asked=state.asked + (question,)), replies + [Question(question)]

    def _why(self, state: InterviewState, turn: Turn) -> tuple[InterviewState, list[Reply]]:
        """What the question being asked tells apart, then the same question again. A why adds no evidence."""
        if state.pending:
            value = self.engine.question_value(state.evidence, state.pending, parse_age(state.age),
                                               engine_sex(state.sex), state.onsets)
            return state, [WhyAsked(value), Question(state.pending)]
        after, replies = self._proceed(state, turn)
        for index, reply in enumerate(replies):
            if isinstance(reply, (AskAge, AskSex)):
                asked = "age" if isinstance(reply, AskAge) else "sex"
                why = WhyAskedDemographic(asked, demographic_effects(self.engine.ranker.conditions, asked))
                return after, replies[:index] + [why] + replies[index:]
        return state, [NothingAsked()]

    def _assess(self, state: InterviewState, replies: list[Reply]) -> tuple[InterviewState, list[Reply]]:
        assessment = self.engine.assess(state.evidence, parse_age(state.age), engine_sex(state.sex), state.onsets)
        return replace(state, pending=None), replies + [AssessmentReply(assessment)]
