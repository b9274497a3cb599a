"""What a person is told while a part of the assistant is down: one message, one place (plain Python).

The text and `custom.unavailable` are a contract: clients (the widget, the load generator) read the
reply as "try again in a moment", and the action server sends the same text when the knowledge-base
database cannot be read, which the Rasa server recognises (bot/serving/guard.py).
"""
from __future__ import annotations

from typing import Any, Dict

UNAVAILABLE = (
    "Sorry, the symptom check is unavailable for a moment because of a problem on our side. "
    "If your symptoms are sudden or severe, call 911 or your local emergency number now, or go to an "
    "emergency room. Otherwise please try again in a minute: send your last message again and we will "
    "carry on where we were."
)
RETRY_AFTER_SECONDS = 10


def unavailable_message() -> Dict[str, Any]:
    """The notice as one bot message (`text` and `custom`), shaped like a REST reply."""
    return {"text": UNAVAILABLE, "custom": {"unavailable": {"retry_after": RETRY_AFTER_SECONDS}}}


def is_unavailable(message: Dict[str, Any]) -> bool:
    custom = message.get("custom")
    return isinstance(custom, dict) and "unavailable" in custom
