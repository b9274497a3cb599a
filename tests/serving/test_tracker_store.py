"""IncrementalSQLTrackerStore reads and writes what Rasa's SQLTrackerStore does, reading only new rows."""
from __future__ import annotations

import sqlite3
import time
import uuid

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from bot.serving.tracker_store import IncrementalSQLTrackerStore
from tests.conftest import POSTGRES_ADMIN_URL, ROOT, port_open, skip_or_fail

DOMAIN = Domain.load(ROOT / "domain.yml")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    """Keyword arguments for a tracker store on an empty database."""
    if request.param == "sqlite":
        yield {"dialect": "sqlite", "db": str(tmp_path / "tracker.sqlite3")}
        return
    if not port_open("127.0.0.1", 5432):
        skip_or_fail("PostgreSQL is not listening on 127.0.0.1:5432")
    name = f"incremental_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield {"host": POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"}
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def store(db, **kwargs):
    return IncrementalSQLTrackerStore(domain=DOMAIN, **db, **kwargs)


async def rasa_reads(db, sender):
    """The session as Rasa's own SQL store reads it from the database."""
    tracker = await SQLTrackerStore(domain=DOMAIN, **db).retrieve(sender)
    return [event.as_dict() for event in tracker.events] if tracker else None


def events_of(tracker):
    return [event.as_dict() for event in tracker.events]


async def turn(store, sender, text, slot_value=None):
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text, {"name": "describe_symptoms", "confidence": 0.9},
                               entities=[{"entity": "symptom", "value": "foot_numbness", "negated": False}]))
    tracker.update(ActionExecuted("action_interview"))
    tracker.update(SlotSet("evidence", {"foot_numbness": "present", "turn": slot_value}))
    tracker.update(BotUttered(f"you said {text}", {"custom": {"question": {"id": "x"}}}))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    return tracker


async def test_a_conversation_reads_back_as_rasa_reads_it_turn_after_turn(db):
    ours = store(db)
    for n in range(5):
        said = await turn(ours, "amy", f"my feet are numb {n}", n)
        assert events_of(said) == await rasa_reads(db, "amy")
        again = await ours.retrieve("amy")
        assert events_of(again) == await rasa_reads(db, "amy")
        assert again.get_slot("evidence") == {"foot_numbness": "present", "turn": n}
    assert len(await rasa_reads(db, "amy")) == 1 + 5 * 5  # the first action_listen, then five turns


async def test_each_event_is_written_once(db):
    ours = store(db)
    for n in range(3):
        await turn(ours, "bo", f"turn {n}")
    with ours.engine.connect() as connection:
        rows = connection.execute(sa.text("select count(*), count(distinct data) from events where sender_id='bo'"))
        assert tuple(rows.fetchone()) == (16, 16)


async def test_two_servers_sharing_the_database_see_each_others_turns(db):
    first, second = store(db), store(db)
    await turn(first, "cy", "hello from one", 1)
    await turn(second, "cy", "hello from two", 2)
    await turn(first, "cy", "one again", 3)
    tracker = await second.retrieve("cy")
    assert events_of(tracker) == await rasa_reads(db, "cy")
    assert tracker.get_slot("evidence")["turn"] == 3
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["hello from one", "hello from two",
                                                                              "one again"]


async def test_a_new_session_reads_only_its_own_events(db):
    ours = store(db)
    await turn(ours, "di", "before", 1)
    tracker = await ours.retrieve("di")
    time.sleep(0.01)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await ours.save(tracker)
    await turn(ours, "di", "after", 2)
    tracker = await ours.retrieve("di")
    assert events_of(tracker) == await rasa_reads(db, "di")
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["after"]


async def test_a_tracker_it_did_not_read_is_saved_as_rasa_saves_it(db):
    ours = store(db)
    await turn(ours, "ed", "first", 1)
    elsewhere = await SQLTrackerStore(domain=DOMAIN, **db).retrieve("ed")
    elsewhere.update(UserUttered("from elsewhere", {"name": "greet", "confidence": 1.0}))
    await ours.save(elsewhere)
    assert events_of(await ours.retrieve("ed")) == await rasa_reads(db, "ed") == events_of(elsewhere)


async def test_conversations_beyond_the_cache_are_read_from_the_database(db):
    ours = store(db, cached_conversations=1)
    for n in range(3):
        for sender in ("fay", "gus"):
            await turn(ours, sender, f"{sender} {n}", n)
    for sender in ("fay", "gus"):
        assert events_of(await ours.retrieve(sender)) == await rasa_reads(db, sender)


async def test_an_unknown_conversation_is_none_and_a_new_one_starts_a_session(db):
    ours = store(db)
    assert await ours.retrieve("nobody") is None
    await ours.save(await ours.get_or_create_tracker("new"))
    assert [e.as_dict()["event"] for e in (await ours.retrieve("new")).events] == ["action"]


def test_sqlite_commits_through_a_write_ahead_log(tmp_path):
    store({"dialect": "sqlite", "db": str(tmp_path / "wal.sqlite3")})
    assert sqlite3.connect(tmp_path / "wal.sqlite3").execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.production.yml"])
def test_the_endpoints_name_this_store_and_the_conversation_export_reads_it(endpoints):
    import yaml

    from bot.conversations.store import SQL_STORE_TYPES

    kind = yaml.safe_load((ROOT / endpoints).read_text())["tracker_store"]["type"]
    assert kind == f"{IncrementalSQLTrackerStore.__module__}.{IncrementalSQLTrackerStore.__qualname__}"
    assert kind.lower() in SQL_STORE_TYPES


async def test_a_conversation_erased_or_purged_while_remembered_is_never_served_from_memory(db):
    from bot.conversations.retention import delete_senders

    ours = store(db)
    await turn(ours, "hal", "my feet are numb", 1)
    assert await ours.retrieve("hal") is not None
    delete_senders(ours.engine, ["hal"])
    assert await ours.retrieve("hal") is None
    await turn(ours, "hal", "starting again", 2)
    assert [e.text for e in (await ours.retrieve("hal")).events if isinstance(e, UserUttered)] == ["starting again"]
    assert events_of(await ours.retrieve("hal")) == await rasa_reads(db, "hal")
