"""Hands rendered messages (bot/interview/render.py) to Rasa's dispatcher."""
from __future__ import annotations

from collections.abc import Iterable

from rasa_sdk.executor import CollectingDispatcher

from bot.interview.render import Message


def say(dispatcher: CollectingDispatcher, messages: Iterable[Message]) -> None:
    for message in messages:
        dispatcher.utter_message(text=message.get("text"), buttons=message.get("buttons") or [],
                                 json_message=message.get("custom"))
