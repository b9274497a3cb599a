"""Cuts each sender's stored events into conversations: one per Rasa session (or restart)."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Dict, Iterable, List, Optional

from bot.conversations.store import StoredEvent

# A new conversation starts where Rasa starts a new session or the person restarts.
BOUNDARIES = {"session_started", "restart"}


@dataclass
class Conversation:
    sender_id: str
    events: List[Dict[str, Any]] = field(default_factory=list)  # Rasa event dicts, each with "event", "timestamp"

    @property
    def start(self) -> float:
        return self.events[0]["timestamp"] if self.events else 0.0

    @property
    def end(self) -> float:
        return self.events[-1]["timestamp"] if self.events else 0.0

    @property
    def user_events(self) -> List[Dict[str, Any]]:
        return [e for e in self.events if e["event"] == "user"]

    @property
    def channel(self) -> Optional[str]:
        return next((e.get("input_channel") for e in self.user_events if e.get("input_channel")), None)


def conversations(stored: Iterable[StoredEvent], since: float) -> List[Conversation]:
    """Conversations with at least one user message and activity at or after `since`, oldest first."""
    found: List[Conversation] = []
    for sender_id, sender_events in groupby(stored, key=lambda e: e.sender_id):
        current = Conversation(sender_id)
        for stored_event in sender_events:
            event = {**stored_event.data, "event": stored_event.type_name, "timestamp": stored_event.timestamp}
            if event["event"] in BOUNDARIES and current.events:
                # `action_session_start` logs itself just before the session_started it causes
                carried = [current.events.pop()] if _is_action(current.events[-1], "action_session_start") else []
                found.append(current)
                current = Conversation(sender_id, carried)
            current.events.append(event)
        found.append(current)
    kept = [c for c in found if c.user_events and c.end >= since]
    return sorted(kept, key=lambda c: (c.start, c.sender_id))


def _is_action(event: Dict[str, Any], name: str) -> bool:
    return event["event"] == "action" and event.get("name") == name
