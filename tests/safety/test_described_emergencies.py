"""Emergencies told in words reach escalation through the extractor, with no intent classifier."""
from __future__ import annotations

import pytest

from bot.interview.interview import InterviewState, escalate
from bot.interview.turn import Turn
from bot.nlu.extractor import SymptomFinder
from bot.triage.red_flags import RedFlags


@pytest.fixture(scope="module")
def escalation_of(knowledge_base):
    finder = SymptomFinder.from_kb(knowledge_base)
    red_flags = RedFlags.from_kb(knowledge_base)

    def escalation_of(text):
        found = escalate(red_flags, InterviewState(), Turn(entities=finder.extract(text)))
        return found[1].escalation if found else None
    return escalation_of


@pytest.mark.parametrize("text, pattern", [
    ("I suddenly can't feel half my body", "stroke"),
    ("she can't move one side of her body, help", "stroke"),
    ("my grandad's face dropped and he's slurring", "stroke"),
    ("I think it's a stroke, hurry", "self_reported"),
    ("ring 999 please", "self_reported"),
    ("my father just collapsed", "self_reported"),
    ("my husband collapsed and won't wake up", "self_reported"),
    ("she's unconscious", "self_reported"),
    ("he's having a seizure", "self_reported"),
    ("he has stopped breathing", "self_reported"),
])
def test_said_in_words_it_escalates(escalation_of, text, pattern):
    found = escalation_of(text)
    assert found is not None and found.pattern == pattern


@pytest.mark.parametrize("text", [
    "my arches have collapsed and my toes tingle",
    "I'm not breathing well at night and my feet are numb",
    "I had a seizure years ago and my feet tingle",
    "it's not a stroke, my feet have been numb for years",
    "I'm not unconscious lol, my foot is numb",
])
def test_the_same_words_in_a_harmless_sense_do_not(escalation_of, text):
    assert escalation_of(text) is None
