"""Emergencies reach the person through the real REST channel, even with the action server down."""
from __future__ import annotations

import pytest

from tests.e2e.test_rest_conversation import custom, sender, texts

pytestmark = pytest.mark.e2e


def test_a_stroke_in_the_opening_message_escalates_at_once(assistant):
    reply = assistant.say(sender(), "my left leg went numb an hour ago and my face is drooping on one side")
    emergency = custom(reply, "emergency")
    assert emergency == {
        "version": "3", "triage": "emergency_ambulance", "triage_label": "Call an ambulance now", "pattern": "stroke",
        "condition": {"id": "stroke_tia", "name": "Stroke or transient ischaemic attack (TIA)"},
        "reason": emergency["reason"],
        "findings": [{"id": "leg_numbness", "name": "Leg numbness (lower leg)", "choice": "present"},
                     {"id": "one_sided", "name": "One-sided (unilateral)", "choice": "present"},
                     {"id": "face_droop", "name": "Facial droop", "choice": "present"}],
    }, "the pattern, the condition it points to, and what it rests on"
    assert "911" in texts(reply)
    assert "What I understood: leg numbness (lower leg), one-sided (unilateral), facial droop." in texts(reply)
    assert custom(reply, "question") is None


def test_a_red_flag_revealed_in_an_answer_escalates_mid_interview(assistant):
    me = sender()
    assistant.say(me, "my lower back hurts and my legs tingle")
    assistant.say(me, "45")
    reply = assistant.say(me, "female")
    for _ in range(6):
        if custom(reply, "emergency"):
            break
        reply = assistant.say(me, "I also can't control my bladder since this morning")
    assert custom(reply, "emergency")["pattern"] == "cauda_equina"


def test_a_negated_red_flag_does_not_escalate(assistant):
    reply = assistant.say(sender(), "my feet are numb but no trouble speaking and no face drooping")
    assert custom(reply, "emergency") is None


def test_escalation_works_with_the_action_server_down(assistant):
    assistant.stop_actions()
    try:
        reply = assistant.say(sender(), "my dad's speech is slurred and his right leg is weak")
        assert custom(reply, "emergency")["triage"] == "emergency_ambulance"
        assert "911" in texts(reply)
    finally:
        assistant.start_actions()
