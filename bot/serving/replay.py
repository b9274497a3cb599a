"""A message sent again with the same id is answered from the conversation, not run a second time.

A connection can close after a server stored a turn but before its answer reached the person (a
server killed mid-turn, a load balancer timing out); the person's retry would then store the same
message twice. A client that puts a `message_id` in the message's metadata (docs/contracts.md) and
sends the same id with its retry gets the stored answer instead. The check runs inside the
conversation's lock, so a retry that arrives while the first try is still being served waits for it.
"""
from __future__ import annotations

from typing import Any, Optional

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

MESSAGE_ID = "message_id"


def message_id_of(metadata: Any) -> Optional[str]:
    value = metadata.get(MESSAGE_ID) if isinstance(metadata, dict) else None
    return str(value) if value else None


def stored_answer(tracker: DialogueStateTracker, message_id: str) -> Optional[list[BotUttered]]:
    """What the assistant said after the user message of this id, or None if no such message is stored."""
    events = list(tracker.events)
    for index, event in enumerate(events):
        if isinstance(event, UserUttered) and message_id_of(event.metadata) == message_id:
            answer = []
            for later in events[index + 1:]:
                if isinstance(later, UserUttered):
                    break
                if isinstance(later, BotUttered):
                    answer.append(later)
            return answer
    return None


async def replayed(processor: Any, message: UserMessage) -> bool:
    """Sends the stored answer if this message was served already; False when it must be served now."""
    message_id = message_id_of(message.metadata)
    if message_id is None:
        return False
    tracker = await processor.tracker_store.retrieve(message.sender_id)
    answer = stored_answer(tracker, message_id) if tracker is not None else None
    if answer is None:
        return False
    for bot in answer:
        await message.output_channel.send_response(message.sender_id, bot.message())
    return True
