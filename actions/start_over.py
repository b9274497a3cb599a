"""`action_start_over`: forget the interview and start again (the conversation log is kept for review).

Starting over forgets everything the person said, so a typed "start over" the classifier is not sure of
(an answer such as "over the last few cycles" can look like one) only asks to confirm with a button,
and asks the pending question again; a click or a confident request starts over at once.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher

from actions.speaking import say
from bot.interview.knowledge import KnowledgeUnavailable, knowledge_cache
from bot.interview.render import ASK_FOR_SYMPTOMS, START_OVER_BUTTON
from bot.interview.replies import Question

logger = logging.getLogger(__name__)

SURE = 0.9  # below this, a typed start-over with something to lose is confirmed first
CONFIRM = ("Do you want to start over? I would forget everything you have told me. If so, press \"Start over\"; "
           "if not, just carry on.")


class ActionStartOver(Action):
    def name(self) -> str:
        return "action_start_over"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        confidence = (tracker.latest_message.get("intent") or {}).get("confidence", 1.0)
        if confidence < SURE and tracker.get_slot("evidence"):
            dispatcher.utter_message(text=CONFIRM, buttons=[START_OVER_BUTTON])
            _ask_again(dispatcher, tracker.get_slot("pending_question"))
            return []
        dispatcher.utter_message(text="Let's start again. " + ASK_FOR_SYMPTOMS)
        return [ActiveLoop(None), AllSlotsReset()]  # also ends the age-and-sex form if it was asking


def _ask_again(dispatcher: CollectingDispatcher, pending: str | None) -> None:
    if not pending:
        return  # nothing pending, or the age-and-sex form, which asks again itself
    try:
        renderer = knowledge_cache.get().renderer
    except KnowledgeUnavailable as error:
        logger.error("Cannot ask the pending question again: %s", error)
        return
    say(dispatcher, renderer.messages([Question(pending)]))
