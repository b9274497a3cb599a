"""What the Rasa server needs to fail safely, installed before it starts (`python -m bot.serving run ...`).

Each adaptation wraps one Rasa 3.6 method and keeps its behaviour when nothing fails:

1. `MessageProcessor._run_action`: custom actions run inside `UnavailableGuard` (bot/serving/guard.py),
   so an action server that is down, or a knowledge base it cannot read, gives the person a clear
   notice and takes the turn back, instead of "Sorry, I didn't understand that".
2. `Agent._create_tracker_store`: Rasa wraps every tracker store in a `FailSafeTrackerStore` that, when
   the database cannot be read, silently starts a new conversation in memory (the person's answers are
   forgotten for that turn, and what they say then is never stored, or is appended out of place once the
   database is back). Here the error reaches the turn instead.
3. `Agent.handle_message`: a turn that fails that way, or because the lock store (Redis) is down, is
   answered by `answer_without_state` (bot/serving/stateless.py): the emergency response if the message
   alone shows one, then the notice; nothing of the turn is stored.
4. `MessageProcessor.handle_message` (inside the conversation's lock): a message whose `message_id` was
   served already is answered from the conversation (bot/serving/replay.py), so a retry after a lost
   answer is not stored twice.
"""
from __future__ import annotations

import functools
import logging
from typing import Any, Optional

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, TrackerStore

from bot.serving.guard import guarded
from bot.serving.replay import replayed
from bot.serving.stateless import answer_without_state

logger = logging.getLogger(__name__)


class ConversationStoreDown(RuntimeError):
    """The tracker store failed; the turn cannot be served with the person's conversation."""


def _raise(error: Exception) -> None:
    raise ConversationStoreDown(f"{error.__class__.__name__}: {error}") from error


def _tracker_store(store: Optional[TrackerStore], domain: Any) -> TrackerStore:
    if store is not None:
        store.domain = domain
    return FailSafeTrackerStore(store or InMemoryTrackerStore(domain), on_tracker_store_error=_raise)


def install() -> None:
    """Installs the four adaptations once; safe to call again."""
    if getattr(MessageProcessor._run_action, "adapted", False):
        return
    run_action = MessageProcessor._run_action
    handle_message = Agent.handle_message
    process_message = MessageProcessor.handle_message

    @functools.wraps(process_message)
    async def _process_message(self: MessageProcessor, message: UserMessage) -> Any:
        if await replayed(self, message):
            return None
        return await process_message(self, message)

    @functools.wraps(run_action)
    async def _run_action(self: MessageProcessor, action: Any, *args: Any, **kwargs: Any) -> bool:
        return await run_action(self, guarded(action), *args, **kwargs)

    @functools.wraps(handle_message)
    async def _handle_message(self: Agent, message: UserMessage) -> Any:
        try:
            return await handle_message(self, message)
        except Exception as error:  # noqa: BLE001 - the person gets an answer whatever broke
            logger.error("A turn could not be served with its conversation (%s: %s); answered without it.",
                         error.__class__.__name__, error)
            await answer_without_state(self.processor, message)
            return None

    _run_action.adapted = True  # type: ignore[attr-defined]
    MessageProcessor._run_action = _run_action
    MessageProcessor.handle_message = _process_message
    Agent.handle_message = _handle_message
    Agent._create_tracker_store = staticmethod(_tracker_store)
