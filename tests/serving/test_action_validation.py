"""Action-server responses are judged as Rasa judges them, with the schema checked once, not per call."""
from __future__ import annotations

import jsonschema
import pytest
from jsonschema.exceptions import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.serving import action_validation

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "evidence", "value": {"foot_numbness": "present"}},
                {"event": "active_loop", "name": None}],
     "responses": [{"text": "How old are you?", "custom": {"question": {"id": "age"}}}]},
]
INVALID = [
    {"events": {"event": "slot"}, "responses": []},
    {"events": [{"name": "evidence", "value": 1}], "responses": []},
    {"events": [{"event": "slot", "name": 3}], "responses": []},
    {"events": [], "responses": ["just text"]},
]


@pytest.fixture
def adapted():
    action_validation.install()
    yield RemoteAction("action_interview", None)
    action_validation.uninstall()


def original_verdict(response):
    try:
        return action_validation.ORIGINAL(RemoteAction("action_interview", None), response)
    except ValidationError as error:
        return error.message


@pytest.mark.parametrize("response", VALID + INVALID)
def test_a_response_gets_the_same_verdict_and_message_as_from_rasa(adapted, response):
    try:
        verdict = adapted._validate_action_result(response)
    except ValidationError as error:
        verdict = error.message
    assert verdict == original_verdict(response)


def test_a_bad_response_names_the_problem_and_where_to_read_about_it(adapted):
    with pytest.raises(ValidationError) as raised:
        adapted._validate_action_result(INVALID[1])
    assert "'event' is a required property" in raised.value.message
    assert "custom-actions" in raised.value.message


def test_the_schema_is_checked_once_not_at_every_response(monkeypatch):
    validator_class = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())
    checks = []
    original_check = validator_class.check_schema
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, s: checks.append(s) or
                                                                     original_check(s)))
    action_validation.install()
    try:
        action = RemoteAction("action_interview", None)
        for _ in range(5):
            action._validate_action_result(VALID[1])
        assert len(checks) == 1
    finally:
        action_validation.uninstall()
    action._validate_action_result(VALID[1])
    assert len(checks) == 2, "without the adapter Rasa checks the schema again"
