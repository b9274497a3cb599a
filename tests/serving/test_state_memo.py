"""The policies' dialogue states are computed once per tracker and are always the states Rasa computes."""
from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.serving import state_memo
from tests.conftest import ROOT

DOMAIN = Domain.load(ROOT / "domain.yml")
OPTIONS = [{}, {"ignore_rule_only_turns": True, "rule_only_data": {"slots": ["requested_slot"], "loops": []}},
           {"omit_unset_slots": True}]


def conversation():
    """A tracker after each of several turns: a description, the form asking the age, an answer."""
    tracker = DialogueStateTracker("memo", DOMAIN.slots)
    turns = [
        [ActionExecuted("action_listen"), UserUttered("my feet are numb", {"name": "describe_symptoms"}),
         ActionExecuted("action_interview"), SlotSet("demographics_due", True)],
        [ActionExecuted("demographics_form"), ActiveLoop("demographics_form"), SlotSet("requested_slot", "age"),
         BotUttered("How old are you?")],
        [ActionExecuted("action_listen"), UserUttered("58", {"name": "give_age"}), ActionExecuted("demographics_form"),
         SlotSet("age", "58"), SlotSet("requested_slot", "sex")],
    ]
    for events in turns:
        for event in events:
            tracker.update(event)
        yield tracker


@pytest.fixture
def memo():
    state_memo.install()
    yield
    state_memo.uninstall()


def test_every_caller_gets_the_states_rasa_computes(memo):
    for tracker in conversation():
        for options in OPTIONS:
            expected = state_memo.ORIGINAL(DOMAIN, tracker, **options)
            assert tracker.past_states(DOMAIN, **options) == expected
            assert tracker.past_states(DOMAIN, **options) == expected


def test_a_caller_editing_its_states_does_not_change_the_next_callers(memo):
    tracker = next(conversation())
    first = tracker.past_states(DOMAIN)
    first[-1]["user"].pop("intent")
    first.pop(0)
    assert tracker.past_states(DOMAIN) == state_memo.ORIGINAL(DOMAIN, tracker)


def test_the_states_are_computed_once_per_tracker_events_and_options(memo, monkeypatch):
    computed = []
    monkeypatch.setattr(state_memo, "ORIGINAL", lambda *args: computed.append(args[2:]) or [])
    tracker = next(conversation())
    for _ in range(3):
        tracker.past_states(DOMAIN)
        tracker.past_states(DOMAIN, ignore_rule_only_turns=True)
    assert len(computed) == 2
    tracker.update(ActionExecuted("action_listen"))
    tracker.past_states(DOMAIN)
    assert len(computed) == 3, "a new event computes the states again"
