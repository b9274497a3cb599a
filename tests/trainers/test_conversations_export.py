"""`python -m bot conversations export`: stored conversations -> Rasa test stories and a transcript for trainers."""
from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from bot.cli import main
from bot.conversations.anonymise import Anonymiser
from bot.conversations.export import export_conversations, parse_since
from tests.conftest import ROOT, new_postgres_database

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
DAY = 24 * 3600
KEY = b"test pseudonym key"
PERSONAL = ["Sarah", "Jones", "sarah.jones@example.com", "07700 900123", "12/03/1971", "1971", "telegram-5551234",
            "I'm 52", "age 52"]


def user(text, intent, at, confidence=0.95, entities=(), ranking=None, retrieval=None, metadata=None):
    parse = {"intent": {"name": intent, "confidence": confidence}, "entities": list(entities), "text": text,
             "intent_ranking": ranking or [{"name": intent, "confidence": confidence}]}
    if retrieval:
        parse["response_selector"] = {"all_retrieval_intents": [intent],
                                      intent: {"response": {"intent_response_key": retrieval}, "ranking": []}}
    return UserUttered(text, parse_data=parse, input_channel="telegram", timestamp=at, metadata=metadata)


def span(text, words, **extra):
    start = text.index(words)
    return {"start": start, "end": start + len(words), "extractor": "SymptomExtractor", **extra}


def session(at):
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
            ActionExecuted("action_listen", timestamp=at)]


def reply(action, text, at, **data):
    return [ActionExecuted(action, policy="RulePolicy", confidence=1.0, timestamp=at),
            BotUttered(text, data=data, timestamp=at + 0.1), ActionExecuted("action_listen", timestamp=at + 0.2)]


def worried_person(now):
    """A person who gives personal details, a symptom, a negated red flag, asks an FAQ, is not understood once."""
    t = now - 3600
    first = ("Hi, I'm Sarah Jones, sarah.jones@example.com or 07700 900123, born 12/03/1971. I'm 52 and my left "
             "leg went numb, no trouble speaking")
    return [
        *session(t),
        user(first, "describe_symptoms", t + 1, metadata={"first_name": "Sarah"}, entities=[
            {"entity": "symptom", "value": "leg_numbness", "laterality": "left", "negated": False,
             **span(first, "leg went numb")},
            {"entity": "symptom", "value": "slurred_speech", "negated": True, **span(first, "trouble speaking")},
            {"entity": "age", "value": "52", **span(first, "52")},
        ]),
        SlotSet("age", "52", timestamp=t + 1.1),
        ActionExecuted("action_interview", policy="RulePolicy", confidence=1.0, timestamp=t + 2),
        BotUttered("Did it start suddenly?", timestamp=t + 2.1, data={
            "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
            "custom": {"question": {"id": "sudden_onset", "type": "symptom"}}}),
        SlotSet("pending_question", "sudden_onset", timestamp=t + 2.2),
        ActionExecuted("action_listen", timestamp=t + 2.3),
        user("hmm what do you mean Sarah", "nlu_fallback", t + 10, confidence=0.35,
             ranking=[{"name": "nlu_fallback", "confidence": 0.35}, {"name": "unsure", "confidence": 0.31}]),
        *reply("action_default_fallback", "Sorry, I didn't understand that.", t + 11),
        UserUtteranceReverted(timestamp=t + 11.5),
        user("will it spread?", "faq", t + 20, confidence=0.8, retrieval="faq/spread"),
        *reply("utter_faq", "That depends on the cause.", t + 21),
        user("/affirm", "affirm", t + 30, confidence=1.0),
        *reply("action_interview", "Thanks. Is your speech slurred?", t + 31),
    ]


def stroke(now):
    t = now - 2 * DAY
    message = "my face is drooping on one side"
    return [
        *session(t),
        user(message, "describe_symptoms", t + 1, confidence=0.55, entities=[
            {"entity": "symptom", "value": "face_droop", "negated": False, **span(message, "face is drooping")}]),
        SlotSet("emergency_pattern", "stroke", timestamp=t + 1.5),
        *reply("utter_emergency", "This could be a medical emergency. Call 911 now.", t + 2,
               custom={"emergency": {"triage": "emergency_ambulance", "pattern": "stroke", "reason": "face"}}),
    ]


def last_month(now):
    t = now - 30 * DAY
    return [*session(t), user("hello", "greet", t + 1), *reply("utter_greet", "Hi!", t + 2)]


def save(store, sender_id, events):
    asyncio.run(store.save(DialogueStateTracker.from_events(sender_id, events, DOMAIN.slots)))


def fill(store, now):
    save(store, "telegram-5551234", worried_person(now))
    save(store, "rest-stroke", stroke(now))
    save(store, "rest-old", last_month(now))


@pytest.fixture
def now():
    return time.time()


@pytest.fixture
def sqlite_store(tmp_path, now):
    """Conversations written by Rasa's own SQLTrackerStore into SQLite, as `make run` keeps them."""
    path = tmp_path / "var" / "tracker.sqlite3"
    path.parent.mkdir()
    fill(SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path)), now)
    return path


@pytest.fixture
def postgres_url(now):
    with new_postgres_database("tracker_test") as url:
        store = SQLTrackerStore(DOMAIN, host=url)
        fill(store, now)
        store.engine.dispose()
        yield url


def export(tmp_path, url, anonymise=False, **kwargs):
    out = tmp_path / ("anonymised" if anonymise else "plain")
    export_conversations(since="7d", tracker_url=url, out_dir=out, anonymise=anonymise, key=KEY, **kwargs)
    return (out / "test_stories.yml").read_text(), (out / "transcripts.md").read_text(), out


def read_stories(path: Path):
    """What `rasa test` reads: the story steps, through Rasa's own reader."""
    assert YAMLStoryReader.is_test_stories_file(path)
    return YAMLStoryReader(DOMAIN).read_from_file(path)


def steps_of(story):
    out = []
    for event in story.events:
        if isinstance(event, UserUttered):
            out.append(("user", event.intent.get("full_retrieval_intent_name") or event.intent_name))
        elif isinstance(event, ActionExecuted) and event.action_name != "action_listen":
            out.append(("action", event.action_name))
        elif isinstance(event, SlotSet):
            out.append(("slot", event.key))
    return out


def test_recent_conversations_become_rasa_test_stories(tmp_path, sqlite_store):
    stories, _, out = export(tmp_path, f"sqlite:///{sqlite_store}")
    story_steps = read_stories(out / "test_stories.yml")
    assert len(story_steps) == 2, "the conversation of last month is not exported"
    emergency, worried = story_steps  # oldest first, numbered as in the transcript
    # the message not understood was reverted by the fallback action, as Rasa's tracker does
    assert steps_of(worried) == [
        ("user", "describe_symptoms"), ("slot", "age"), ("action", "action_interview"), ("slot", "pending_question"),
        ("user", "faq/spread"), ("action", "utter_faq"), ("user", "affirm"), ("action", "action_interview"),
    ]
    assert steps_of(emergency) == [("user", "describe_symptoms"), ("slot", "emergency_pattern"),
                                   ("action", "utter_emergency")]
    first = next(e for e in worried.events if isinstance(e, UserUttered))
    entities = {(e["entity"], e["value"], first.text[e["start"]:e["end"]]) for e in first.entities}
    # a negated mention is not annotated: the annotation cannot carry "not", and would read as present
    assert entities == {("symptom", "leg_numbness", "leg went numb"), ("age", "52", "52")}
    assert "# REVIEW: emergency escalation (utter_emergency)" in stories
    assert "# REVIEW: unsure intent describe_symptoms (0.55)" in stories


def test_the_transcript_reads_like_the_conversation_with_what_to_review(tmp_path, sqlite_store):
    _, transcript, _ = export(tmp_path, f"sqlite:///{sqlite_store}")
    assert "2 conversation(s), 2 with something to review." in transcript
    assert transcript.index("## 1. rest-stroke") < transcript.index("## 2. telegram-5551234")
    assert 'not understood: "hmm what do you mean Sarah"' in transcript
    assert "emergency escalation (utter_emergency)" in transcript
    assert "EMERGENCY emergency_ambulance: pattern stroke" in transcript
    assert "found: leg_numbness (left), slurred_speech (NOT), age 52" in transcript
    assert "buttons: [Yes] [No]" in transcript and "asks about sudden_onset" in transcript
    assert "intent faq/spread (0.80)" in transcript
    assert "hello" not in transcript


def test_anonymised_export_has_no_personal_details_but_keeps_the_symptoms(tmp_path, sqlite_store):
    stories, transcript, out = export(tmp_path, f"sqlite:///{sqlite_store}", anonymise=True)
    for exported in (stories, transcript):
        for detail in PERSONAL:
            assert not re.search(rf"\b{re.escape(detail)}\b", exported), detail
        assert not re.search(r"[\w.]+@\w+", exported), "an e-mail address"
        assert not re.search(r"\d{5} ?\d{6}", exported), "a phone number"
        assert "leg went numb" in exported and "no trouble speaking" in exported
    assert "I'm 55" in transcript, "ages are kept, rounded to the middle of their ten-year band"
    assert "(name)" in stories and "[name]" in transcript
    worried = read_stories(out / "test_stories.yml")[1]  # the stroke, two days ago, comes first
    first = next(e for e in worried.events if isinstance(e, UserUttered))
    assert {(e["value"], first.text[e["start"]:e["end"]]) for e in first.entities} == {
        ("leg_numbness", "leg went numb"), ("55", "55")}, "entity offsets follow the shortened text"
    assert next(e for e in worried.events if isinstance(e, SlotSet) and e.key == "age").value == "55"


def test_pseudonyms_are_stable_and_distinct(tmp_path, sqlite_store):
    _, first, _ = export(tmp_path / "a", f"sqlite:///{sqlite_store}", anonymise=True)
    _, second, _ = export(tmp_path / "b", f"sqlite:///{sqlite_store}", anonymise=True)
    pseudonyms = re.findall(r"## \d\. (person-[0-9a-f]{12})", first)
    assert len(set(pseudonyms)) == 2
    assert pseudonyms == re.findall(r"## \d\. (person-[0-9a-f]{12})", second)
    assert Anonymiser(b"another key").pseudonym("telegram-5551234") not in first


@pytest.mark.postgres
def test_a_postgresql_tracker_store_exports_the_same(tmp_path, sqlite_store, postgres_url):
    from_sqlite, _, _ = export(tmp_path / "sqlite", f"sqlite:///{sqlite_store}")
    from_postgres, _, _ = export(tmp_path / "postgres", postgres_url)
    assert _without_header(from_postgres) == _without_header(from_sqlite)


def _without_header(stories: str) -> str:
    return "\n".join(line for line in stories.splitlines() if not line.startswith("#"))


def test_the_command_reads_the_tracker_store_of_an_endpoints_file(tmp_path, sqlite_store, capsys):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite",
                                                           "db": "var/tracker.sqlite3"}}))
    out = tmp_path / "export"
    assert main(["conversations", "export", "--since", "3d", "--endpoints", str(endpoints), "--out", str(out)]) == 0
    assert "Exported 2 conversation(s)" in capsys.readouterr().out
    assert (out / "test_stories.yml").exists() and (out / "transcripts.md").exists()
    assert oct((out / "transcripts.md").stat().st_mode & 0o777) == "0o600", "health data: owner only"

    assert main(["conversations", "export", "--since", "1d", "--endpoints", str(endpoints), "--out", str(out)]) == 0
    assert "Exported 1 conversation(s)" in capsys.readouterr().out


def test_a_missing_tracker_store_is_explained(tmp_path, capsys):
    assert main(["conversations", "export", "--tracker-url", f"sqlite:///{tmp_path / 'none.sqlite3'}"]) == 2
    assert "no tracker store at" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists(), "no empty database is created by mistake"


def test_since_accepts_durations_and_dates():
    from datetime import datetime, timezone

    now = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
    assert parse_since("7d", now) == datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)
    assert parse_since("36h", now) == datetime(2026, 11, 24, 0, 0, tzinfo=timezone.utc)
    assert parse_since("2026-11-01", now) == datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("message, expected", [
    ("my name is john smith and my feet are numb", "my name is [name] and my feet are numb"),
    ("Hi, I'm Priya. numb toes", "Hi, I'm [name]. numb toes"),
    ("I'm Tired and numb", "I'm Tired and numb"),
    ("my husband Tom says I drag my foot", "my husband [name] says I drag my foot"),
    ("Dr Okafor said it's my back", "Dr [name] said it's my back"),
    ("call me on +44 20 7946 0958", "call me on [phone]"),
    ("numb for 2 weeks, 3 times a day", "numb for 2 weeks, 3 times a day"),
    ("DOB 1971-03-12", "DOB [date of birth]"),
    ("started on 3 March 2024", "started on [date]"),
    ("I'm a 67 year old man", "I'm a 65 year old man"),
    ("I live at 12 Acacia Avenue, LS1 4AB", "I live at [address], [postcode]"),
    ("thanks for the help, Maria", "thanks for the help, Maria"),
    ("thanks, Maria", "thanks, [name]"),
])
def test_personal_details_are_removed_from_text(message, expected):
    assert Anonymiser(KEY).text(message, [])[0] == expected


def test_the_production_endpoints_give_the_postgresql_url_from_the_environment(monkeypatch):
    from bot.conversations.store import TrackerStoreError, url_from_endpoints

    for name, value in {"TRACKER_DB_HOST": "db.internal", "TRACKER_DB_PORT": "5433", "TRACKER_DB_NAME": "tracker",
                        "TRACKER_DB_USER": "rasa", "TRACKER_DB_PASSWORD": "s3cret:@/"}.items():
        monkeypatch.setenv(name, value)
    url = url_from_endpoints(ROOT / "endpoints.production.yml")
    assert (url.get_backend_name(), url.host, url.port, url.database, url.username, url.password) == (
        "postgresql", "db.internal", 5433, "tracker", "rasa", "s3cret:@/")
    assert "s3cret" not in url.render_as_string(hide_password=True)

    monkeypatch.delenv("TRACKER_DB_PASSWORD")
    with pytest.raises(TrackerStoreError, match="TRACKER_DB_PASSWORD"):
        url_from_endpoints(ROOT / "endpoints.production.yml")
