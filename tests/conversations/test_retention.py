"""Erasure of one person's conversations and purge by age, on the SQLite and PostgreSQL tracker stores that Rasa
itself wrote, checked through Rasa's own store afterwards."""
from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.cli import main
from tests.conftest import ROOT, new_postgres_database

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
DAY = 24 * 3600
NOW = time.time()


def conversation(at: float, words: str):
    """One Rasa session: the session start, what the person said, the assistant's reply, a slot."""
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
            ActionExecuted("action_listen", timestamp=at),
            UserUttered(words, {"intent": {"name": "describe_symptoms", "confidence": 0.9}}, timestamp=at + 1),
            ActionExecuted("action_interview", timestamp=at + 2), BotUttered(f"About {words}?", timestamp=at + 2),
            SlotSet("pending_question", "tingling", timestamp=at + 2),
            ActionExecuted("action_listen", timestamp=at + 3)]


PEOPLE = {
    "alice": conversation(NOW - 60 * DAY, "alice's numb foot") + conversation(NOW - 3600, "alice's burning toes"),
    "bob": conversation(NOW - 45 * DAY, "bob's numb shin"),
    "carol": conversation(NOW - 2 * DAY, "carol's tingling calf"),
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def tracker_url(request, tmp_path):
    """A tracker store written by Rasa's SQLTrackerStore, as the assistant writes it."""
    if request.param == "sqlite":
        yield _filled(f"sqlite:///{tmp_path / 'tracker.sqlite3'}")
    else:
        with new_postgres_database("tracker_retention") as url:
            yield _filled(url)


def _filled(url: str) -> str:
    store = SQLTrackerStore(DOMAIN, host=url)
    for sender, events in PEOPLE.items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, DOMAIN.slots)))
    store.engine.dispose()
    return url


def stored_texts(url: str, sender: str):
    """Every user and bot text Rasa can still read for `sender`, all sessions."""
    store = SQLTrackerStore(DOMAIN, host=url)
    try:
        tracker = asyncio.run(store.retrieve_full_tracker(sender))
    finally:
        store.engine.dispose()
    if tracker is None:
        return []
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]


def test_deleting_a_person_erases_every_event_of_theirs_and_nothing_else(tracker_url, capsys):
    assert main(["conversations", "delete", "--sender", "alice", "--tracker-url", tracker_url]) == 0
    assert "16 event(s) of 2 conversation(s) of 1 sender(s)" in capsys.readouterr().out
    assert stored_texts(tracker_url, "alice") == []
    assert stored_texts(tracker_url, "bob") == ["bob's numb shin", "About bob's numb shin?"]
    assert stored_texts(tracker_url, "carol") == ["carol's tingling calf", "About carol's tingling calf?"]


def test_a_purge_removes_conversations_past_the_retention_and_keeps_newer_ones_whole(tracker_url, capsys):
    assert main(["conversations", "purge", "--older-than", "30d", "--tracker-url", tracker_url]) == 0
    assert "16 event(s) of 2 conversation(s) of 2 sender(s)" in capsys.readouterr().out
    assert stored_texts(tracker_url, "alice") == ["alice's burning toes", "About alice's burning toes?"]
    assert stored_texts(tracker_url, "bob") == []
    assert stored_texts(tracker_url, "carol") == ["carol's tingling calf", "About carol's tingling calf?"]


def test_the_assistant_carries_on_a_conversation_whose_older_sessions_were_purged(tracker_url):
    main(["conversations", "purge", "--older-than", "30d", "--tracker-url", tracker_url])
    store = SQLTrackerStore(DOMAIN, host=tracker_url)
    try:
        tracker = asyncio.run(store.retrieve("alice"))
    finally:
        store.engine.dispose()
    assert tracker.get_slot("pending_question") == "tingling"
    assert tracker.latest_message.text == "alice's burning toes"


def test_a_bad_age_or_a_missing_store_is_said_clearly(tmp_path, capsys):
    assert main(["conversations", "purge", "--older-than", "soon", "--tracker-url", "sqlite:///x.db"]) == 2
    assert "--older-than 'soon': use 30m, 24h, 7d, 2w or a date" in capsys.readouterr().err
    missing = tmp_path / "none.sqlite3"
    assert main(["conversations", "delete", "--sender", "x", "--tracker-url", f"sqlite:///{missing}"]) == 2
    assert "no tracker store at" in capsys.readouterr().err
    assert not missing.exists()
