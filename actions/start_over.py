"""`action_start_over`: forget the interview and start again (the conversation log is kept for review)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher

from actions import messages


class ActionStartOver(Action):
    def name(self) -> Text:
        return "action_start_over"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        dispatcher.utter_message(text="Let's start again. " + messages.ASK_FOR_SYMPTOMS)
        return [ActiveLoop(None), AllSlotsReset()]  # also ends the age-and-sex form if it was asking
