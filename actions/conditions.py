"""`action_condition_info`: what the knowledge base says about the condition asked about."""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.interview.condition_info import NO_CONDITION, OVERVIEW, asked_topic, condition_text
from bot.interview.knowledge import KnowledgeUnavailable, knowledge_cache
from bot.interview.render import KNOWLEDGE_DOWN

logger = logging.getLogger(__name__)


class ActionConditionInfo(Action):
    def name(self) -> str:
        return "action_condition_info"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        try:
            kb = knowledge_cache.get().kb
        except KnowledgeUnavailable as error:
            logger.error("Condition info without knowledge base: %s", error)
            dispatcher.utter_message(text=KNOWLEDGE_DOWN)
            return []
        known = {c.id for c in kb.conditions}
        asked = [v for v in tracker.get_latest_entity_values("condition") if v in known]
        candidates = asked or [c for c in (tracker.get_slot("last_conditions") or []) if c in known][:1]
        if not candidates:
            dispatcher.utter_message(text=NO_CONDITION)
            return []
        topic = asked_topic(tracker.latest_message.get("text") or "")
        dispatcher.utter_message(text=condition_text(kb, kb.condition(candidates[0]), topic),
                                 json_message={"condition": {"id": candidates[0], "topic": topic or OVERVIEW}})
        return []
