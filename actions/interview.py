"""`action_interview`: the tracker as an interview state and turn, one step of bot/interview, replies as events."""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.speaking import say
from bot import intents
from bot.interview.interview import InterviewState
from bot.interview.knowledge import KnowledgeUnavailable, knowledge_cache
from bot.interview.render import KNOWLEDGE_DOWN
from bot.interview.replies import AskAge, AskSex, AssessmentReply
from bot.interview.turn import Turn, fold, fold_onsets

logger = logging.getLogger(__name__)

ACTION = "action_interview"
DEMOGRAPHICS_DUE = "demographics_due"  # True starts the age-and-sex form (actions/demographics.py)


class ActionInterview(Action):
    def name(self) -> str:
        return ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        try:
            knowledge = knowledge_cache.get()
        except KnowledgeUnavailable as error:
            logger.error("Interview without knowledge base: %s", error)
            dispatcher.utter_message(text=KNOWLEDGE_DOWN)
            return []
        knowledge_cache.check_model(tracker.get_slot("kb_fingerprint"), knowledge)
        before = interview_state(tracker)
        after, replies = knowledge.interview.step(before, latest_turn(tracker))
        say(dispatcher, knowledge.renderer.messages(r for r in replies if not isinstance(r, (AskAge, AskSex))))
        events = [SlotSet("evidence", dict(after.evidence)), SlotSet("onsets", dict(after.onsets))]
        events += [SlotSet(slot, getattr(after, slot)) for slot in ("age", "sex")
                   if getattr(after, slot) != getattr(before, slot)]
        events += [SlotSet(DEMOGRAPHICS_DUE, any(isinstance(r, (AskAge, AskSex)) for r in replies)),
                   SlotSet("pending_question", after.pending)]
        if after.asked != before.asked:
            events.append(SlotSet("asked", list(after.asked)))
        events += [SlotSet("last_conditions", [c.id for c in r.assessment.conditions])
                   for r in replies if isinstance(r, AssessmentReply)]
        return events


def interview_state(tracker: Tracker) -> InterviewState:
    """The slots as an interview state, with the symptoms of messages other actions answered (a question
    about a condition, a FAQ) since the interview last ran folded in."""
    evidence, onsets = tracker.get_slot("evidence") or {}, tracker.get_slot("onsets") or {}
    for parse_data in user_messages_since(tracker, ACTION)[:-1]:
        earlier = Turn(entities=parse_data.get("entities") or [])
        evidence, onsets = fold(evidence, earlier), fold_onsets(onsets, earlier)
    return InterviewState(evidence=evidence, onsets=onsets, asked=tuple(tracker.get_slot("asked") or ()),
                          pending=tracker.get_slot("pending_question"), age=tracker.get_slot("age"),
                          sex=tracker.get_slot("sex"))


def latest_turn(tracker: Tracker) -> Turn:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return Turn(entities=tracker.latest_message.get("entities") or [], answer=intents.ANSWER_CHOICES.get(intent),
                wants_assessment=intent == intents.REQUEST_ASSESSMENT, asks_why=intent == intents.ASK_WHY)


def user_messages_since(tracker: Tracker, action_name: str) -> list[dict[str, Any]]:
    """Parse data of the user messages since `action_name` last ran, oldest first."""
    messages: list[dict[str, Any]] = []
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == action_name:
            break
        if event.get("event") == "user":
            messages.append(event.get("parse_data") or {})
    return messages[::-1]
