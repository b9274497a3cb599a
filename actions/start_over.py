"""`action_start_over`: forget the interview and start again (the conversation log is kept for review)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher

from bot.interview.render import ASK_FOR_SYMPTOMS


class ActionStartOver(Action):
    def name(self) -> str:
        return "action_start_over"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        dispatcher.utter_message(text="Let's start again. " + ASK_FOR_SYMPTOMS)
        return [ActiveLoop(None), AllSlotsReset()]  # also ends the age-and-sex form if it was asking
