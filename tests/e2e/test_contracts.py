"""The payloads a running assistant sends are the ones docs/contracts.md and its JSON Schema promise."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.e2e.test_rest_conversation import custom, sender

pytestmark = pytest.mark.e2e
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "contracts.schema.json").read_text())


def valid(kind: str, payload: dict) -> dict:
    jsonschema.validate({kind: payload}, SCHEMA)
    return payload


def test_questions_and_the_assessment_follow_the_schema(assistant):
    me = sender()
    reply = assistant.say(me, "both my feet have been numb and burning for months")
    assert valid("question", custom(reply, "question"))["type"] == "age"
    reply = assistant.say(me, "64")
    assert valid("question", custom(reply, "question"))["type"] == "sex"
    reply = assistant.say(me, "/give_sex{\"sex\": \"female\"}")
    assert valid("question", custom(reply, "question"))["type"] == "symptom"
    assessment = valid("assessment", custom(assistant.say(me, "just tell me"), "assessment"))
    assert assessment["triage_label"] and all(0 < c["probability"] < 1 for c in assessment["conditions"])


def test_an_emergency_follows_the_schema(assistant):
    reply = assistant.say(sender(), "my wife's face is drooping and her words are slurred")
    emergency = valid("emergency", custom(reply, "emergency"))
    assert emergency["pattern"] == "stroke" and emergency["findings"]


def test_the_schema_refuses_a_payload_that_breaks_the_contract():
    with pytest.raises(jsonschema.ValidationError):
        valid("assessment", {"version": "3", "triage": "soon", "conditions": []})
