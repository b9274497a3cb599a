"""action_condition_info answers from the KB entry of the condition asked about."""
from __future__ import annotations

from actions.conditions import ActionConditionInfo
from bot.serving.notice import UNAVAILABLE
from tests.actions.conftest import make_tracker, user_event


def ask(dispatcher, text, entities=(), slots=None):
    ActionConditionInfo().run(dispatcher, make_tracker([user_event(text, "ask_condition", list(entities))], slots), {})
    return dispatcher.messages[-1]["text"]


def test_a_named_condition_gets_its_kb_description_and_sources(loaded_knowledge, dispatcher, knowledge_base):
    reply = ask(dispatcher, "what is MS?", [{"entity": "condition", "value": "multiple_sclerosis"}])
    ms = knowledge_base.condition("multiple_sclerosis")
    assert reply.startswith(f"{ms.name}: {ms.description}")
    assert "Sources:" in reply


def test_a_question_about_treatment_answers_treatment_of_the_last_assessed_cause(
        loaded_knowledge, dispatcher, knowledge_base):
    reply = ask(dispatcher, "how is it treated?", slots={"last_conditions": ["restless_legs", "fibromyalgia"]})
    rls = knowledge_base.condition("restless_legs")
    assert rls.name in reply and rls.treatment[0] in reply
    assert rls.diagnosis[0] not in reply


def test_without_a_condition_it_asks_which_one(loaded_knowledge, dispatcher):
    assert "Which condition" in ask(dispatcher, "tell me about it")


def test_a_dead_database_gets_a_clear_answer(dead_knowledge, dispatcher):
    # The notice the Rasa server recognises, sends with `custom.unavailable` and takes back (bot/serving/guard.py)
    assert ask(dispatcher, "what is MS?", [{"entity": "condition", "value": "multiple_sclerosis"}]) == UNAVAILABLE
