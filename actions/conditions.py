"""`action_condition_info`: what the knowledge base says about one condition."""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.knowledge import KnowledgeUnavailable, knowledge_cache
from bot.kb.schema import Condition, KnowledgeBase

logger = logging.getLogger(__name__)

# Which part of a condition's entry a question is about. Words of the question, not medical facts.
TOPICS = [
    ("diagnosis", re.compile(r"\b(diagnos\w*|test\w*|scan\w*|check\w* for)\b", re.I)),
    ("treatment", re.compile(r"\b(treat\w*|cur\w*|medic\w*|therap\w*|surgery|drugs?|pills?)\b", re.I)),
    ("home_care", re.compile(r"\b(home|myself|self[- ]care|relie\w*|prevent\w*)\b", re.I)),
    ("when_to_seek_care", re.compile(r"\b(when|urgent\w*|serious|worried|doctor)\b", re.I)),
    ("causes", re.compile(r"\b(caus\w*|why|risk\w*|get it)\b", re.I)),
]
NO_CONDITION = (
    "Which condition would you like to know about? For example: \"what is peripheral arterial disease?\" "
    "or \"how is multiple sclerosis treated?\""
)


def asked_topic(text: str) -> Optional[str]:
    for topic, pattern in TOPICS:
        if pattern.search(text or ""):
            return topic
    return None


def condition_text(kb: KnowledgeBase, condition: Condition, topic: Optional[str]) -> str:
    sections = {
        "causes": "Causes and risk factors: " + "; ".join(condition.causes + condition.risk_factors) + ".",
        "diagnosis": "How it is diagnosed: " + "; ".join(condition.diagnosis) + ".",
        "treatment": "Treatment: " + "; ".join(condition.treatment) + ".",
        "home_care": ("What you can do at home: " + "; ".join(condition.home_care) + ".")
        if condition.home_care else "",
        "when_to_seek_care": "When to get care: " + condition.when_to_seek_care,
    }
    chosen = [sections[topic]] if topic and sections.get(topic) else list(sections.values())
    sources = ", ".join(s.publisher for s in kb.sources if s.id in condition.sources)
    return "\n".join([f"{condition.name}: {condition.description}", *filter(None, chosen), f"Sources: {sources}."])


class ActionConditionInfo(Action):
    def name(self) -> Text:
        return "action_condition_info"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        try:
            kb = knowledge_cache.get().kb
        except KnowledgeUnavailable as error:
            logger.error("Condition info without knowledge base: %s", error)
            dispatcher.utter_message(text=messages.KNOWLEDGE_DOWN)
            return []
        known = {c.id for c in kb.conditions}
        asked = [v for v in tracker.get_latest_entity_values("condition") if v in known]
        candidates = asked or [c for c in (tracker.get_slot("last_conditions") or []) if c in known][:1]
        if not candidates:
            dispatcher.utter_message(text=NO_CONDITION)
            return []
        topic = asked_topic(tracker.latest_message.get("text") or "")
        dispatcher.utter_message(
            text=condition_text(kb, kb.condition(candidates[0]), topic),
            json_message={"condition": {"id": candidates[0], "topic": topic or "overview"}},
        )
        return []
