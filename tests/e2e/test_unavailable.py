"""A part of the assistant down, as `make run` meets it: the person is told the check is unavailable for a
moment and what to do if it is urgent (never "I didn't understand"), emergencies still escalate, and once the
part is back the same message carries on where the conversation was."""
from __future__ import annotations

import pytest

from bot.serving.notice import UNAVAILABLE
from tests.e2e.test_rest_conversation import custom, sender, texts

pytestmark = pytest.mark.e2e


def assert_unavailable(reply):
    assert custom(reply, "unavailable") == {"retry_after": 10}
    assert texts(reply).strip() == UNAVAILABLE
    assert "unavailable" in UNAVAILABLE and "911" in UNAVAILABLE and "try again" in UNAVAILABLE
    assert "understand" not in texts(reply)


def test_with_the_action_server_down_the_check_waits_and_emergencies_escalate(assistant):
    me = sender()
    assert custom(assistant.say(me, "my left foot has been numb for a week"), "question")["type"] == "age"
    assistant.stop_actions()
    try:
        assert_unavailable(assistant.say(me, "45"))
        assert_unavailable(assistant.say(me, "45"))  # a retry too soon gets the same notice
        emergency = assistant.say(sender(), "my face is drooping and my speech is slurred")
        assert custom(emergency, "emergency")["triage"] == "emergency_ambulance"
    finally:
        assistant.start_actions()
    assert custom(assistant.say(me, "45"), "question")["type"] == "sex", "the age is taken where it was asked"


def test_mid_interview_the_pending_question_is_still_pending_after_the_outage(assistant):
    me = sender()
    assistant.say(me, "both my feet have been numb and tingling for months")
    assistant.say(me, "60")
    question = custom(assistant.say(me, "male"), "question")
    assert question["type"] == "symptom"
    assistant.stop_actions()
    try:
        assert_unavailable(assistant.say(me, "no"))
    finally:
        assistant.start_actions()
    after = assistant.say(me, "no")
    following = custom(after, "question") or custom(after, "assessment")
    assert following is not None and following != question, "the answer goes to the question that was asked"


def test_with_the_knowledge_base_unreadable_the_check_waits(assistant):
    kb_url = assistant.env["KB_DATABASE_URL"]
    assistant.stop_actions()
    assistant.env["KB_DATABASE_URL"] = "postgresql+psycopg2://nobody@127.0.0.1:1/unreachable"
    assistant.start_actions()
    me = sender()
    try:
        assert_unavailable(assistant.say(me, "my left foot has been numb for a week"))
        emergency = assistant.say(me, "and now my face is drooping")
        assert custom(emergency, "emergency")["pattern"] == "stroke"
    finally:
        assistant.stop_actions()
        assistant.env["KB_DATABASE_URL"] = kb_url
        assistant.start_actions()
    assert custom(assistant.say(me, "my left foot has been numb for a week"), "question") is not None
