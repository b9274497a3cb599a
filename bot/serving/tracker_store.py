"""Rasa's SQL tracker store, made robust (`SQLTrackerStore`) and made fast (`IncrementalSQLTrackerStore`).

`SQLTrackerStore` tests pooled connections before use (`pool_pre_ping`). After the database restarts,
every pooled connection is dead; Rasa's store would fail one turn per server before SQLAlchemy
notices. With a ping first, a turn after the restart just works. Same settings as `type: SQL`.

`IncrementalSQLTrackerStore` is the same store reading only the events it has not seen. Rasa's store
reads and deserialises every event of the session on every message, and counts them again before
every save, so a turn costs more the longer the conversation (docs/performance.md). This one keeps,
per conversation, the deserialised events it last read or wrote and the range of their row ids; a
retrieve then asks the database only for rows with a higher id (written by another Rasa server or
worker, say) and a save writes only the events added since. The database stays the truth:

- every retrieve asks the database for new rows, so several servers sharing it stay in step (they
  take turns per conversation through the lock store), and checks that the rows it remembers are
  all still there: a conversation erased or purged meanwhile (bot/conversations/retention.py) is
  read afresh, never served from memory;
- a new session (`session_started`) or a tracker that did not come from this store's memory is
  read and saved exactly as Rasa's own store does;
- at most `cached_conversations` conversations are kept, least recently used first out.

With SQLite it also turns on write-ahead logging with `synchronous=NORMAL` and keeps its connections
open, so a commit does not wait for the disk: each commit used to stall the whole server (Rasa's SQL
store is synchronous). A crash of the process loses nothing; a power cut may lose the last commits.

In the endpoints: `type: bot.serving.tracker_store.IncrementalSQLTrackerStore` (or `...SQLTrackerStore`)
and the same keys as Rasa's `type: SQL` (`dialect`, `url`, `db`, ...), plus `cached_conversations`
(default 200) for the incremental store.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Text

import sqlalchemy as sa
from rasa.core import tracker_store
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_CACHED_CONVERSATIONS = 200


@dataclass
class _Known:
    events: List[Event]  # the session's events, as the database holds them
    first_id: int  # the lowest and highest row ids among them, and how many rows they came from
    last_id: int
    rows: int


class SQLTrackerStore(tracker_store.SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **tracker_store.create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


class IncrementalSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, cached_conversations: int = DEFAULT_CACHED_CONVERSATIONS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._known: OrderedDict[Text, _Known] = OrderedDict()
        self._saving: Dict[Text, _Known] = {}  # conversations being saved: what the database already holds
        self._capacity = max(0, int(cached_conversations))
        if self.engine.dialect.name == "sqlite":
            self.engine.dispose()
            self.engine = _sqlite_engine(self.engine.url)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        known = self._known.get(sender_id)
        if known is None:
            return self._read_session(sender_id)
        event = self.SQLEvent
        with self.session_scope() as session:
            still_there = session.query(sa.func.count(event.id)).filter(
                event.sender_id == sender_id, event.id.between(known.first_id, known.last_id)).scalar()
            rows = (session.query(event.id, event.type_name, event.data)
                    .filter(event.sender_id == sender_id, event.id > known.last_id).order_by(event.id).all())
        if still_there != known.rows or any(row.type_name == SessionStarted.type_name for row in rows):
            return self._read_session(sender_id)  # erased or purged meanwhile, or a new session
        if rows:
            known.events += deserialise_events([json.loads(row.data) for row in rows])
            known.last_id, known.rows = rows[-1].id, known.rows + len(rows)
        self._remember(sender_id, known)
        return DialogueStateTracker.from_events(sender_id, list(known.events), self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        known = self._known.pop(tracker.sender_id, None)
        base = known if known is not None and _is_prefix(known.events, tracker) else None
        if base is not None:
            self._saving[tracker.sender_id] = base
        try:
            await super().save(tracker)
        finally:
            self._saving.pop(tracker.sender_id, None)
        new = list(tracker.events)[len(base.events):] if base is not None else []
        if base is None or any(isinstance(event, SessionStarted) for event in new):
            return  # read afresh next time, as Rasa would
        with self.session_scope() as session:
            last_id = session.query(sa.func.max(self.SQLEvent.id)).filter(
                self.SQLEvent.sender_id == tracker.sender_id).scalar()
        self._remember(tracker.sender_id, _Known(base.events + new, base.first_id, last_id or base.last_id,
                                                 base.rows + len(new)))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events to write: those after the known ones, without counting the stored rows again."""
        base = self._saving.get(tracker.sender_id)
        if base is None:
            return super()._additional_events(session, tracker)
        return iter(list(tracker.events)[len(base.events):])

    def _read_session(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The session's events as Rasa's store reads them, remembered for next time."""
        self._known.pop(sender_id, None)
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
            if not rows:
                return None
            known = _Known(deserialise_events([json.loads(row.data) for row in rows]), rows[0].id, rows[-1].id,
                           len(rows))
        self._remember(sender_id, known)
        return DialogueStateTracker.from_events(sender_id, list(known.events), self.domain.slots)

    def _remember(self, sender_id: Text, known: _Known) -> None:
        self._known[sender_id] = known
        self._known.move_to_end(sender_id)
        while len(self._known) > self._capacity:
            self._known.popitem(last=False)


def _is_prefix(events: List[Event], tracker: DialogueStateTracker) -> bool:
    """Whether the tracker was built from exactly these events (and has only added to them)."""
    if len(tracker.events) < len(events):
        return False
    return not events or tracker.events[len(events) - 1] is events[-1]


def _sqlite_engine(url: Any) -> sa.engine.Engine:
    """SQLite with a write-ahead log, and connections kept open: SQLAlchemy 1.4 opens one per session,
    and closing the last one copies the log back into the database file, at every turn."""
    engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    with engine.connect():
        pass  # the log mode is the database file's: set it now
    return engine
