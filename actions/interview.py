"""`action_interview`: folds what the person said into the evidence, then asks the next question or assesses."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.demographics import UNSPECIFIED, demographics_known, parse_age
from actions.knowledge import Knowledge, KnowledgeUnavailable, knowledge_cache
from bot.triage.evidence import ABSENT, PRESENT, UNKNOWN, evidence_from_entities, merge

logger = logging.getLogger(__name__)

ANSWER_INTENTS = {"affirm": PRESENT, "deny": ABSENT, "unsure": UNKNOWN}
DEMOGRAPHICS_DUE = "demographics_due"  # the form in actions/demographics.py asks age and sex when True


def new_user_messages(tracker: Tracker, action_name: str) -> List[Dict[str, Any]]:
    """User messages since `action_name` last ran, oldest first."""
    messages_since: List[Dict[str, Any]] = []
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == action_name:
            break
        if event.get("event") == "user":
            messages_since.append(event.get("parse_data") or {})
    return list(reversed(messages_since))


def stated_evidence(tracker: Tracker, action_name: str) -> Dict[str, str]:
    """Evidence from the symptoms mentioned in free text, plus the answer to the pending question."""
    evidence: Dict[str, str] = {}
    for parse_data in new_user_messages(tracker, action_name):
        evidence = merge(evidence, evidence_from_entities(parse_data.get("entities") or []))
    pending = tracker.get_slot("pending_question")
    answer = ANSWER_INTENTS.get((tracker.latest_message.get("intent") or {}).get("name"))
    if pending and answer and pending not in evidence:
        evidence[pending] = answer
    return evidence


class ActionInterview(Action):
    def name(self) -> Text:
        return "action_interview"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        try:
            knowledge = knowledge_cache.get()
        except KnowledgeUnavailable as error:
            logger.error("Interview without knowledge base: %s", error)
            dispatcher.utter_message(text=messages.KNOWLEDGE_DOWN)
            return []
        return Interview(knowledge, tracker, dispatcher, self.name()).turn()


class Interview:
    """One turn of the interview for one tracker."""

    def __init__(self, knowledge: Knowledge, tracker: Tracker, dispatcher: CollectingDispatcher, action_name: str):
        self.kb, self.engine = knowledge.kb, knowledge.engine
        self.tracker, self.dispatcher = tracker, dispatcher
        known_ids = {s.id for s in self.kb.symptoms}
        stated = {k: v for k, v in stated_evidence(tracker, action_name).items() if k in known_ids}
        self.new_evidence = stated
        self.evidence = merge(tracker.get_slot("evidence") or {}, stated)
        self.asked: List[str] = list(tracker.get_slot("asked") or [])
        self.intent = (tracker.latest_message.get("intent") or {}).get("name")

    def turn(self) -> List[Dict]:
        events = [SlotSet("evidence", self.evidence)]
        if any(choice == PRESENT for choice in self.new_evidence.values()) and self.intent not in ANSWER_INTENTS:
            summary = messages.understood(self.kb, self.new_evidence)
            if summary:
                self.dispatcher.utter_message(text=summary)
        if not any(choice == PRESENT for choice in self.evidence.values()):
            self.dispatcher.utter_message(text=messages.ASK_FOR_SYMPTOMS)
            return events + [SlotSet("pending_question", None), SlotSet(DEMOGRAPHICS_DUE, False)]
        if self.intent == "request_assessment":  # "just tell me": no more questions, age and sex included
            events += [SlotSet(slot, UNSPECIFIED) for slot in ("age", "sex") if self.tracker.get_slot(slot) is None]
        elif not demographics_known(self.tracker):
            return events + [SlotSet("pending_question", None), SlotSet(DEMOGRAPHICS_DUE, True)]
        return events + [SlotSet(DEMOGRAPHICS_DUE, False)] + self._question_or_assessment()

    def _question_or_assessment(self) -> List[Dict]:
        age = parse_age(self.tracker.get_slot("age"))
        sex = self.tracker.get_slot("sex")
        sex = sex if sex in ("female", "male") else None
        question = None
        if self.intent != "request_assessment":
            question = self.engine.next_question(self.evidence, age, sex, self.asked)
        if question:
            self.dispatcher.utter_message(**messages.symptom_question(self.kb, question))
            return [SlotSet("pending_question", question), SlotSet("asked", self.asked + [question])]
        result = self.engine.assess(self.evidence, age, sex)
        payload = result.to_dict()
        label = self.kb.meta.triage_levels[payload["triage"]].label
        self.dispatcher.utter_message(**messages.assessment(payload, result.explanation, label))
        return [SlotSet("pending_question", None), SlotSet("last_conditions", [c["id"] for c in payload["conditions"]])]
