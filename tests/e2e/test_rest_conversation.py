"""A person talks to the trained assistant through the REST channel, as a web client would."""
from __future__ import annotations

import uuid

import pytest

from bot.kb.schema import TRIAGE_LEVELS

pytestmark = pytest.mark.e2e


def texts(messages):
    return " ".join(m.get("text", "") for m in messages)


def custom(messages, key):
    found = [m["custom"][key] for m in messages if isinstance(m.get("custom"), dict) and key in m["custom"]]
    return found[-1] if found else None


def sender():
    return f"test-{uuid.uuid4().hex[:8]}"


def test_greeting_says_what_it_is_and_is_not(assistant):
    reply = texts(assistant.say(sender(), "hello")).lower()
    assert "diagnos" in reply
    assert "911" in reply or "emergency number" in reply


def test_a_whole_check_by_clicking_buttons_ends_in_an_assessment_from_the_kb(assistant, knowledge_base):
    me = sender()
    first = assistant.say(me, "both my feet have been numb and tingling for months")
    assert "numb" in texts(first).lower()
    assert custom(first, "question")["type"] == "age"
    assert custom(assistant.say(me, "I'm 58"), "question")["type"] == "sex"

    reply = assistant.say(me, '/give_sex{"sex": "female"}')
    questions = 0
    while custom(reply, "assessment") is None:
        question = custom(reply, "question")
        assert question and question["type"] == "symptom", reply
        buttons = [b["title"] for m in reply for b in m.get("buttons", [])]
        assert buttons[:3] == ["Yes", "No", "Not sure"]
        questions += 1
        assert questions <= 12, "the interview must stop by the configured maximum"
        reply = assistant.say(me, "/deny")

    assessment = custom(reply, "assessment")
    assert assessment["triage"] in TRIAGE_LEVELS
    assert 1 <= len(assessment["conditions"]) <= 5
    probabilities = [c["probability"] for c in assessment["conditions"]]
    assert probabilities == sorted(probabilities, reverse=True)
    condition_names = {c.id: c.name for c in knowledge_base.conditions}
    assert all(condition_names[c["id"]] == c["name"] for c in assessment["conditions"])
    said = {e["id"]: e["choice"] for e in assessment["evidence"]}
    assert said.get("foot_numbness") == "present" and said.get("tingling") == "present"
    assert assessment["kb_version"] == knowledge_base.meta.version
    assert assessment["conditions"][0]["name"] in texts(reply)

    about = assistant.say(me, f"tell me more about {assessment['conditions'][0]['name']}")
    assert assessment["conditions"][0]["name"] in texts(about)
    assert "Sources:" in texts(about)


def test_the_age_and_sex_form_validates_and_survives_digressions(assistant):
    me = sender()
    assert custom(assistant.say(me, "my right foot has been numb for a week"), "question")["type"] == "age"

    retry = assistant.say(me, "I'm 250")
    assert custom(retry, "question")["type"] == "age"
    assert "for example 45" in texts(retry), "an impossible age is asked again, with an example"

    faq = assistant.say(me, "how long will the numbness last?")
    assert custom(faq, "question")["type"] == "age", "a FAQ is answered, then the age is asked again"
    assert len(texts(faq)) > len(texts(retry))

    added = assistant.say(me, "my toes tingle too")
    assert "tingling" in texts(added).lower()
    assert custom(added, "question")["type"] == "age"

    assert custom(assistant.say(me, "forty-five"), "question")["type"] == "sex"
    after_sex = assistant.say(me, "I'd rather not say")
    assert custom(after_sex, "question")["type"] == "symptom"


def test_typed_answers_and_just_tell_me(assistant):
    me = sender()
    assistant.say(me, "my left calf hurts and goes numb when I walk, it eases when I rest")
    assistant.say(me, "67")
    assistant.say(me, "male")
    assistant.say(me, "yes")
    reply = assistant.say(me, "just tell me what it could be")
    assessment = custom(reply, "assessment")
    assert assessment is not None
    assert "peripheral_arterial_disease" in [c["id"] for c in assessment["conditions"][:3]]


def test_an_faq_is_answered_from_the_kb(assistant, knowledge_base):
    reply = texts(assistant.say(sender(), "is numbness in the lower leg life threatening?"))
    answers = {f.id: f.answer for f in knowledge_base.faqs}
    assert reply.strip() in {a.strip() for a in answers.values()}
