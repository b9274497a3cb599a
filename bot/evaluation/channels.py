"""Where vignettes are played: the whole assistant over REST, or the engine in-process.

Both answer `send(sender, text)` with a list of messages in the REST channel's shape (`text`,
`buttons`, `custom`), so the same simulated person plays either.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

import requests

from bot import intents
from bot.interview.demographics import valid_age, valid_sex
from bot.interview.interview import Interview, InterviewState
from bot.interview.render import Message, Renderer
from bot.interview.replies import AskAge, AskSex
from bot.interview.turn import Turn
from bot.kb.schema import KnowledgeBase
from bot.triage.engine import TriageEngine
from bot.triage.evidence import SYMPTOM_ENTITY
from bot.triage.red_flags import RedFlags

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
_ASSESS = re.compile(r"what (do you think )?(it )?could (it )?be|just tell me|what (is it|do i have)", re.I)
_NO = re.compile(r"^\s*(n|no|nope|nah|never|not really|none|not at all|nothing|not since|not now|not any ?more|"
                 r"not that i|i don'?t think so|i do not think so|don'?t think so)\b", re.I)
_UNSURE = re.compile(r"^\s*(not sure|unsure|i'?m not sure|i don'?t know|dont know|no idea|maybe|perhaps|"
                     r"possibly|can'?t say)\b", re.I)
_AGE = re.compile(r"\b(\d{1,3})\b")
_SEX = {"female": re.compile(r"\b(female|woman|girl|f)\b", re.I), "male": re.compile(r"\b(male|man|boy|m)\b", re.I)}


def typed_intent(text: str) -> Optional[str]:
    """A stand-in for the intent classifier on an answer: affirm, deny or unsure; None for a question.

    An answer that is none of these ("mostly the right leg") is taken as affirming the question
    it answers: the person is describing the symptom asked about. A question ("what is restless
    legs syndrome?") answers nothing.
    """
    if "?" in text:
        return None
    if _UNSURE.search(text):
        return intents.UNSURE
    if _NO.search(text):
        return intents.DENY
    return intents.AFFIRM


@dataclass
class _Conversation:
    state: InterviewState = field(default_factory=InterviewState)
    asking: Optional[str] = None  # "age" or "sex" while the stand-in for the age-and-sex form asks


class EngineChannel:
    """The assistant's interview (bot/interview) in-process, with stand-ins for Rasa's parts.

    The interview, its red flags and its wording are the assistant's own; what Rasa does around them
    is stood in for: intents are guessed from the answer's first words (`typed_intent`), the age and
    sex form from numbers and words, and the emergency policy by the interview's own escalation.
    Symptoms come from `extract` (bot.nlu's extractor).
    """

    name = "engine"

    def __init__(self, kb: KnowledgeBase, engine: TriageEngine, extract: Callable[[str], list], red_flags: bool = True):
        self.extract = extract
        # red_flags False: no emergency policy, to measure what the engine alone tells
        self.interview = Interview(kb, engine, RedFlags.from_kb(kb) if red_flags else None)
        self.renderer = Renderer(kb)
        self.conversations: dict[str, _Conversation] = {}

    def send(self, sender: str, text: str) -> Messages:
        conversation = self.conversations.setdefault(sender, _Conversation())
        intent, slots = _payload(text)
        entities = [] if intent else list(self.extract(text) or [])
        if conversation.asking and not intent:
            intent = "give_" + conversation.asking
        if intent is None and _ASSESS.search(text):
            intent = intents.REQUEST_ASSESSMENT
        if intent is None and conversation.state.pending:
            intent = typed_intent(text)
        state = _demographics(conversation, entities, slots, text if intent in (intents.GIVE_AGE, intents.GIVE_SEX)
                              else "")
        turn = Turn(entities=[e for e in entities if e.get("entity") == SYMPTOM_ENTITY],
                    answer=intents.ANSWER_CHOICES.get(intent or ""), reported_emergency=intent == intents.EMERGENCY,
                    wants_assessment=intent == intents.REQUEST_ASSESSMENT, asks_why=intent == intents.ASK_WHY)
        conversation.state, replies = self.interview.step(state, turn)
        conversation.asking = next(({AskAge: "age", AskSex: "sex"}[type(r)] for r in replies
                                    if isinstance(r, (AskAge, AskSex))), None)
        return [part for message in self.renderer.messages(replies) for part in _as_rest(message)]


def _demographics(conversation: _Conversation, entities: list, slots: dict, typed: str) -> InterviewState:
    state = conversation.state
    age, sex = state.age, state.sex
    for entity in entities:
        if entity.get("entity") == "age" and age is None:
            age = valid_age(entity.get("value"))
        if entity.get("entity") == "sex" and sex is None and entity.get("value") in _SEX:
            sex = entity["value"]
    age, sex = valid_age(slots["age"]) if "age" in slots else age, valid_sex(slots.get("sex")) or sex
    if typed and conversation.asking == "age" and age is None:
        match = _AGE.search(typed)
        age = valid_age(match.group(1)) if match else None
    if typed and conversation.asking == "sex" and sex is None:
        sex = next((name for name, pattern in _SEX.items() if pattern.search(typed)), None)
    return replace(state, age=age, sex=sex)


def _as_rest(message: Message) -> Messages:
    """As Rasa's REST channel sends it: the text and buttons, then the custom payload on its own."""
    first = {key: message[key] for key in ("text", "buttons") if message.get(key)}
    return [part for part in (first, {"custom": message["custom"]} if message.get("custom") else {}) if part]


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
