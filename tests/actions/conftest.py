"""Action fixtures in the style of RasaHQ/rasa-demo: trackers built with `Tracker.from_dict`."""
from __future__ import annotations

from typing import Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import conditions, interview, start_over
from bot.interview.knowledge import KnowledgeCache
from bot.kb.database import engine_for
from bot.kb.store import save_knowledge_base


def user_event(text: str, intent: str, entities: Optional[List[Dict]] = None) -> Dict:
    return {"event": "user", "text": text,
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}}


def symptom(value: str, **extra) -> Dict:
    return {"entity": "symptom", "value": value, **extra}


def make_tracker(events: List[Dict], slots: Optional[Dict] = None) -> Tracker:
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker.from_dict({
        "sender_id": "test-person", "slots": slots or {}, "latest_message": latest, "events": events,
        "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
    })


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def loaded_knowledge(tmp_path, monkeypatch, knowledge_base) -> KnowledgeCache:
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    save_knowledge_base(engine_for(url), knowledge_base)
    cache = KnowledgeCache(url)
    monkeypatch.setattr(interview, "knowledge_cache", cache)
    monkeypatch.setattr(conditions, "knowledge_cache", cache)
    monkeypatch.setattr(start_over, "knowledge_cache", cache)
    return cache


@pytest.fixture
def dead_knowledge(tmp_path, monkeypatch) -> KnowledgeCache:
    """A KB database that cannot be read (the path is a directory)."""
    cache = KnowledgeCache(f"sqlite:///{tmp_path}")
    monkeypatch.setattr(interview, "knowledge_cache", cache)
    monkeypatch.setattr(conditions, "knowledge_cache", cache)
    monkeypatch.setattr(start_over, "knowledge_cache", cache)
    return cache
