"""Health data under control: erase one person's conversations, purge conversations past their retention.

`python -m bot conversations delete --sender ID` deletes every event of a sender (GDPR erasure);
`python -m bot conversations purge --older-than 90d` deletes every conversation (Rasa session, as in
`sessions`) whose last event is older than that, keeping newer conversations of the same sender whole.
Both work on Rasa's SQL tracker store, SQLite or PostgreSQL, each in one transaction, while the
assistant runs: Rasa reads a sender's latest session only, so an older one can go without notice.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any, Callable, Iterable, List, Sequence, Tuple

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

from bot.conversations.sessions import BOUNDARIES
from bot.conversations.store import events

SESSION_START_ACTION = "action_session_start"


@dataclass(frozen=True)
class Deleted:
    senders: int
    conversations: int
    events: int

    def __str__(self) -> str:
        return f"{self.events} event(s) of {self.conversations} conversation(s) of {self.senders} sender(s)"


def delete_senders(engine: Engine, sender_ids: Sequence[str]) -> Deleted:
    """Deletes every event of these senders."""
    return _delete_conversations(engine, events.c.sender_id.in_(list(sender_ids)), lambda session: True)


def purge_before(engine: Engine, cutoff: float) -> Deleted:
    """Deletes every conversation whose last event is older than `cutoff` (epoch seconds)."""
    senders_with_old_events = select(events.c.sender_id).group_by(events.c.sender_id).having(
        func.min(events.c.timestamp) < cutoff)
    return _delete_conversations(engine, events.c.sender_id.in_(senders_with_old_events),
                                 lambda session: max(row.timestamp or 0.0 for row in session) < cutoff)


def _delete_conversations(engine: Engine, senders: Any, doomed: Callable[[List[Any]], bool]) -> Deleted:
    """In one transaction: the conversations of the `senders` for which `doomed` is true are deleted."""
    with engine.begin() as connection:
        rows = connection.execute(
            select(events.c.id, events.c.sender_id, events.c.type_name, events.c.action_name, events.c.timestamp)
            .where(senders).order_by(events.c.sender_id, events.c.id)).all()
        ids: List[int] = []
        found, conversations = set(), 0
        for sender_id, sender_rows in groupby(rows, key=lambda row: row.sender_id):
            for session in _sessions(list(sender_rows)):
                if doomed(session):
                    ids += [row.id for row in session]
                    found.add(sender_id)
                    conversations += 1
        for chunk in _chunks(ids, 1000):
            connection.execute(delete(events).where(events.c.id.in_(chunk)))
    return Deleted(len(found), conversations, len(ids))


def _sessions(rows: List) -> Iterable[List]:
    """One sender's rows cut where a session starts or the person restarts, as `sessions.conversations` does:
    the `action_session_start` just before a `session_started` belongs to the new session."""
    current: List = []
    for row in rows:
        if row.type_name in BOUNDARIES and current:
            carried = [current.pop()] if current[-1].action_name == SESSION_START_ACTION else []
            if current:
                yield current
            current = carried
        current.append(row)
    if current:
        yield current


def _chunks(items: List[int], size: int) -> Iterable[Tuple[int, ...]]:
    for start in range(0, len(items), size):
        yield tuple(items[start:start + size])
