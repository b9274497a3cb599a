"""A turn that cannot be served because the conversation store or the lock store is down.

The person's conversation cannot be read or written, so nothing of the turn is stored (the message is
absent, and the person's retry carries on where they were). They still get an answer: the message alone
goes through the same model (NLU and policies) on a scratch conversation in memory, and if it completes
a red-flag pattern the emergency response is sent, then the notice of bot/serving/notice.py.
A red flag that needs what was said in earlier turns cannot be seen here; docs/safety.md logs that.
"""
from __future__ import annotations

import copy
import logging
from typing import Any, Dict, List

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.events import BotUttered

from bot.serving.notice import unavailable_message

logger = logging.getLogger(__name__)


def is_emergency(message: Dict[str, Any]) -> bool:
    custom = message.get("custom")
    return isinstance(custom, dict) and "emergency" in custom


async def emergencies_in(processor: MessageProcessor, message: UserMessage) -> List[Dict[str, Any]]:
    """The emergency responses the model gives to `message` alone, on a conversation kept in memory."""
    scratch = copy.copy(processor)
    scratch.tracker_store = InMemoryTrackerStore(processor.domain)
    scratch.action_endpoint = None  # custom actions would act on an empty conversation: they are not asked
    await scratch.handle_message(UserMessage(message.text, CollectingOutputChannel(), message.sender_id,
                                             input_channel=message.input_channel, metadata=message.metadata))
    tracker = await scratch.tracker_store.retrieve(message.sender_id)
    said = [event.message() for event in tracker.events if isinstance(event, BotUttered)] if tracker else []
    return [reply for reply in said if is_emergency(reply)]


async def answer_without_state(processor: MessageProcessor, message: UserMessage) -> None:
    """Sends the emergency response if the message alone shows one, then the notice."""
    output = message.output_channel
    if isinstance(output, CollectingOutputChannel) and isinstance(output.messages, list):
        output.messages.clear()  # replies to a turn that was not stored are withdrawn (not sent yet)
    try:
        replies = await emergencies_in(processor, message)
    except Exception:  # noqa: BLE001 - the notice below still tells the person what to do
        logger.exception("The emergency check of a turn without conversation store failed.")
        replies = []
    for reply in replies + [unavailable_message()]:
        await output.send_response(message.sender_id, dict(reply))
