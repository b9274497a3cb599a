"""Where vignettes are played: the whole assistant over REST, or the engine in-process.

Both answer `send(sender, text)` with a list of messages in the REST channel's shape (`text`,
`buttons`, `custom`), so the same simulated person plays either.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import requests

from bot.kb.schema import KnowledgeBase
from bot.triage.engine import TriageEngine
from bot.triage.evidence import ABSENT, PRESENT, UNKNOWN, evidence_from_entities, merge
from bot.triage.red_flags import Turn, escalation, red_flag_evidence

Messages = list[dict[str, Any]]


class RestChannel:
    """The trained assistant behind Rasa's REST channel (POST {url}/webhooks/rest/webhook)."""

    name = "rest"

    def __init__(self, url: str, timeout: float = 60.0):
        self.endpoint = url.rstrip("/") + "/webhooks/rest/webhook"
        self.timeout = timeout
        self.session = requests.Session()

    def send(self, sender: str, text: str) -> Messages:
        response = self.session.post(self.endpoint, json={"sender": sender, "message": text}, timeout=self.timeout)
        response.raise_for_status()
        return response.json() or []


# ---------------------------------------------------------------------- in-process
ANSWER_BUTTONS = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/unsure"},
]
SEX_BUTTONS = [
    {"title": "Female", "payload": '/give_sex{"sex": "female"}'},
    {"title": "Male", "payload": '/give_sex{"sex": "male"}'},
]
AGE_QUESTION = "How old are you?"
SEX_QUESTION = "What sex were you assigned at birth?"
ASK_FOR_SYMPTOMS = "Tell me what you feel in your own words."
ANSWER_INTENTS = {"affirm": PRESENT, "deny": ABSENT, "unsure": UNKNOWN}
_NO = re.compile(r"^\s*(n|no|nope|nah|never|not really|none|not at all|nothing)\b", re.I)
_UNSURE = re.compile(r"^\s*(not sure|unsure|i'?m not sure|i don'?t know|dont know|no idea|maybe|perhaps|"
                     r"possibly|can'?t say)\b", re.I)
_ASSESS = re.compile(r"what (do you think )?(it )?could (it )?be|just tell me|what (is it|do i have)", re.I)
_AGE = re.compile(r"\b(\d{1,3})\b")
_SEX = {"female": re.compile(r"\b(female|woman|girl|f)\b", re.I), "male": re.compile(r"\b(male|man|boy|m)\b", re.I)}


def typed_intent(text: str) -> str:
    """A stand-in for the intent classifier on an answer: affirm, deny or unsure.

    An answer that is none of these ("mostly the right leg") is taken as affirming the question
    it answers: the person is describing the symptom asked about.
    """
    if _UNSURE.search(text):
        return "unsure"
    if _NO.search(text):
        return "deny"
    return "affirm"


@dataclass
class _State:
    evidence: dict = field(default_factory=dict)
    asked: list = field(default_factory=list)
    age: Optional[float] = None
    sex: Optional[str] = None
    pending: Optional[str] = None
    escalated: list = field(default_factory=list)


class EngineChannel:
    """The interview of actions/interview.py and the emergency policy, replayed in-process.

    Follows the same order as the assistant: red flags first; then what was understood; age and sex
    when unknown; then the engine's questions until it assesses. Intents are guessed from the
    answer's first words (`typed_intent`), symptoms come from `extract` (bot.nlu's extractor).
    """

    name = "engine"

    def __init__(self, kb: KnowledgeBase, engine: TriageEngine, extract: Callable[[str], list], red_flags: bool = True):
        self.kb, self.engine, self.extract = kb, engine, extract
        self.red_flags = red_flags  # False: no emergency policy, to measure what the engine alone tells
        self.states: dict[str, _State] = {}

    def send(self, sender: str, text: str) -> Messages:
        state = self.states.setdefault(sender, _State())
        intent, slots = _payload(text)
        entities = [] if intent else list(self.extract(text) or [])
        if state.pending in ("age", "sex") and not intent:
            intent = "give_" + state.pending
        if intent is None and _ASSESS.search(text):
            intent = "request_assessment"
        if intent is None and state.pending:
            intent = typed_intent(text)
        self._demographics(state, entities, slots, text if intent in ("give_age", "give_sex") else "")

        symptoms = [e for e in entities if e.get("entity") == "symptom"]
        pending = state.pending if state.pending not in (None, "age", "sex") else None
        turn = Turn(entities=symptoms, intent=intent, intent_confidence=1.0, pending_question=pending)
        rule = self.red_flags and escalation(self.kb, red_flag_evidence(state.evidence, turn), state.escalated)
        if rule:
            state.escalated.extend(rule.patterns)
            custom = {"emergency": {"triage": rule.triage, "pattern": rule.pattern, "reason": rule.reason}}
            return [{"text": rule.reason}, {"custom": custom}]

        stated = evidence_from_entities(symptoms)
        if pending and intent in ANSWER_INTENTS and pending not in stated:
            stated[pending] = ANSWER_INTENTS[intent]
        state.evidence = merge(state.evidence, stated)
        return self._next(state, intent)

    def _demographics(self, state: _State, entities: list, slots: dict, typed: str) -> None:
        for entity in entities:
            if entity.get("entity") == "age" and state.age is None:
                state.age = _number(entity.get("value"))
            if entity.get("entity") == "sex" and state.sex is None and entity.get("value") in _SEX:
                state.sex = entity["value"]
        if "sex" in slots:
            state.sex = slots["sex"]
        if "age" in slots:
            state.age = _number(slots["age"])
        if typed and state.pending == "age" and state.age is None:
            match = _AGE.search(typed)
            state.age = _number(match.group(1)) if match else None
        if typed and state.pending == "sex" and state.sex is None:
            state.sex = next((sex for sex, pattern in _SEX.items() if pattern.search(typed)), None)

    def _next(self, state: _State, intent: Optional[str]) -> Messages:
        if not any(choice == PRESENT for choice in state.evidence.values()):
            state.pending = None
            return [{"text": ASK_FOR_SYMPTOMS}]
        if state.age is None:
            state.pending = "age"
            return _question(AGE_QUESTION, [], "age", "age")
        if state.sex is None:
            state.pending = "sex"
            return _question(SEX_QUESTION, SEX_BUTTONS, "sex", "sex")
        question = None
        if intent != "request_assessment":
            question = self.engine.next_question(state.evidence, state.age, state.sex, state.asked)
        if question:
            state.pending = question
            state.asked.append(question)
            return _question(self.kb.symptom(question).question, ANSWER_BUTTONS, question, "symptom")
        state.pending = None
        result = self.engine.assess(state.evidence, state.age, state.sex)
        return [{"text": "; ".join(result.explanation)}, {"custom": {"assessment": result.to_dict()}}]


def _question(text: str, buttons: list, question_id: str, kind: str) -> Messages:
    first = {"text": text, **({"buttons": buttons} if buttons else {})}
    return [first, {"custom": {"question": {"id": question_id, "type": kind, "text": text}}}]


def _payload(text: str) -> tuple[Optional[str], dict]:
    """'/intent{"slot": "value"}' -> ("intent", {"slot": "value"}); typed text -> (None, {})."""
    match = re.match(r"^/(\w+)(\{.*\})?\s*$", text.strip())
    if not match:
        return None, {}
    try:
        slots = json.loads(match.group(2)) if match.group(2) else {}
    except json.JSONDecodeError:
        slots = {}
    return match.group(1), slots


def _number(value: Any) -> Optional[float]:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
