"""Starting over forgets what the person said: only a click or a confident request does it at once."""
from __future__ import annotations

from rasa_sdk.events import ActiveLoop, AllSlotsReset

from actions.start_over import ActionStartOver
from tests.actions.conftest import make_tracker, user_event

SLOTS = {"evidence": {"foot_numbness": "present", "burning_pain": "present"}, "pending_question": "diabetes",
         "asked": ["diabetes"]}


def typed(text: str, confidence: float) -> dict:
    event = user_event(text, "start_over")
    event["parse_data"]["intent"]["confidence"] = confidence
    return event


def test_a_click_on_start_over_forgets_everything(dispatcher, loaded_knowledge):
    events = ActionStartOver().run(dispatcher, make_tracker([user_event("/start_over", "start_over")], SLOTS), {})
    assert events == [ActiveLoop(None), AllSlotsReset()]
    assert dispatcher.messages[0]["text"].startswith("Let's start again. Tell me what you feel")


def test_an_answer_the_classifier_is_unsure_of_is_confirmed_and_the_question_asked_again(dispatcher,
                                                                                         loaded_knowledge):
    events = ActionStartOver().run(dispatcher, make_tracker([typed("over the last few cycles", 0.62)], SLOTS), {})
    assert events == []  # nothing forgotten, the question still pending
    confirm, question = dispatcher.messages
    assert confirm["text"].startswith("Do you want to start over?")
    assert confirm["buttons"] == [{"title": "Start over", "payload": "/start_over"}]
    assert question["text"] == "Do you have diabetes or high blood sugar?"


def test_with_nothing_to_lose_even_an_unsure_start_over_starts_over(dispatcher, loaded_knowledge):
    events = ActionStartOver().run(dispatcher, make_tracker([typed("again please", 0.55)], {}), {})
    assert events == [ActiveLoop(None), AllSlotsReset()]
