"""The age-and-sex form: what it accepts, what it asks again, and how its questions look."""
from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.demographics import ActionAskAge, ActionAskSex, ValidateDemographicsForm
from tests.actions.conftest import make_tracker, user_event

DOMAIN = {"forms": {"demographics_form": {"required_slots": ["age", "sex"]}},
          "slots": {"age": {"type": "text"}, "sex": {"type": "text"}}}


async def validate(text: str, intent: str, entities=None, slots=None):
    """Runs the form's validation action on a message, as Rasa does after extracting the entities."""
    slots = {"requested_slot": "age", **(slots or {})}
    events = [user_event(text, intent, entities)]
    for entity in entities or []:
        if entity["entity"] in ("age", "sex"):
            slots[entity["entity"]] = entity["value"]
            events.append({"event": "slot", "name": entity["entity"], "value": entity["value"]})
    tracker = make_tracker(events, slots)
    result = await ValidateDemographicsForm().run(CollectingDispatcher(), tracker, DOMAIN)
    return {e["name"]: e["value"] for e in result if e["event"] == "slot"}


@pytest.mark.parametrize("value, expected", [("45", "45"), ("45.0", "45"), ("7", "7"), ("unspecified", "unspecified")])
async def test_an_age_in_years_is_kept(value, expected):
    assert (await validate("my age", "give_age", [{"entity": "age", "value": value}]))["age"] == expected


@pytest.mark.parametrize("value", ["130", "-3", "forty"])
async def test_an_impossible_age_is_refused_so_the_form_asks_again(value):
    assert (await validate("my age", "give_age", [{"entity": "age", "value": value}]))["age"] is None


@pytest.mark.parametrize("text", ["I'd rather not say", "prefer not to say", "skip that", "that's private"])
async def test_declining_in_words_fills_unspecified(text):
    assert (await validate(text, "deny"))["age"] == "unspecified"
    assert (await validate(text, "deny", slots={"requested_slot": "sex", "age": "40"}))["sex"] == "unspecified"


async def test_words_that_are_not_a_refusal_fill_nothing():
    assert "age" not in await validate("my foot tingles too", "describe_symptoms")


@pytest.mark.parametrize("value, expected", [("female", "female"), ("male", "male"), ("unspecified", "unspecified"),
                                             ("banana", None)])
async def test_sex_is_one_of_three_answers(value, expected):
    slots = await validate("sex", "give_sex", [{"entity": "sex", "value": value}], {"requested_slot": "sex"})
    assert slots["sex"] == expected


def test_the_age_question_has_a_decline_button_and_the_question_contract():
    dispatcher = CollectingDispatcher()
    ActionAskAge().run(dispatcher, make_tracker([user_event("my foot is numb", "describe_symptoms")]), {})
    [message] = dispatcher.messages
    assert message["custom"]["question"] == {"version": "3", "id": "age", "type": "age", "text": message["text"]}
    assert [b["title"] for b in message["buttons"]] == ["Prefer not to say", "Why ask?"]
    assert "how old" in message["text"].lower()


def test_the_age_question_asked_again_gives_an_example():
    first = CollectingDispatcher()
    ActionAskAge().run(first, make_tracker([]), {})
    asked = {"event": "bot", "text": first.messages[0]["text"], "data": {"custom": first.messages[0]["custom"]}}
    again = CollectingDispatcher()
    ActionAskAge().run(again, make_tracker([asked, user_event("old enough", "give_age")]), {})
    assert "for example 45" in again.messages[0]["text"]


def test_the_sex_question_offers_three_answers_and_why():
    dispatcher = CollectingDispatcher()
    ActionAskSex().run(dispatcher, make_tracker([]), {})
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["Female", "Male", "Prefer not to say",
                                                                       "Why ask?"]
    assert dispatcher.messages[0]["custom"]["question"]["type"] == "sex"

