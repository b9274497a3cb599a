"""A real (dialogue-only) model with the emergency policy, run by Rasa's Agent with NO action server and
no knowledge-base database: the emergency still gets through, once per pattern, and the dialogue goes on.

The model is trained in a temporary folder from the project's domain and a two-rule stand-in for
data/rules.yml (a few seconds, no NLU, no TED). Messages are given as `/intent{"symptom": ...}` so the
test does not depend on the intent classifier. The full check through the REST channel with the
project's trained model is the lead's end-to-end test (docs/safety.md).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.model_training import train_core

ROOT = Path(__file__).resolve().parents[2]
CONFIG = """
recipe: default.v1
language: en
assistant_id: emergency-policy-test
pipeline: []
policies:
  - name: bot.policies.emergency.EmergencyPolicy
  - name: RulePolicy
"""
RULES = """
version: "3.1"
rules:
- rule: a description feeds the interview
  steps:
  - intent: describe_symptoms
  - action: action_interview
- rule: yes answers a question
  steps:
  - intent: affirm
  - action: action_interview
"""


@pytest.fixture(scope="module")
def agent(tmp_path_factory, monkeypatch_module) -> Agent:
    folder = tmp_path_factory.mktemp("emergency_model")
    monkeypatch_module.setenv("RASA_CACHE_DIRECTORY", str(folder / "cache"))  # not the repository's .rasa/
    (folder / "config.yml").write_text(CONFIG)
    (folder / "rules.yml").write_text(RULES)
    model = train_core(str(ROOT / "domain.yml"), str(folder / "config.yml"), str(folder / "rules.yml"),
                       str(folder / "models"), fixed_model_name="emergency")
    assert model, "training the dialogue model failed"
    monkeypatch_module.setenv("KB_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/unreachable")
    return Agent.load(model)  # no action endpoint: the action server is "down"


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def emergencies(messages):
    return [message["custom"]["emergency"] for message in messages if "emergency" in message.get("custom", {})]


async def test_emergency_reaches_the_person_without_action_server_or_database(agent):
    replies = await agent.handle_text('/describe_symptoms{"symptom": "face_droop"}', sender_id="one")
    assert emergencies(replies) == [{
        "version": "3", "triage": "emergency_ambulance", "pattern": "stroke",
        "reason": emergencies(replies)[0]["reason"],
    }], "Rasa's own generator (no nlg endpoint here): the template's core payload"
    text = " ".join(message.get("text", "") for message in replies)
    assert "911" in text and emergencies(replies)[0]["reason"] in text
    assert "{emergency_reason}" not in text and "None" not in text

    # "I've called them": no second alarm; the interview is tried (and fails quietly: no action server)
    assert emergencies(await agent.handle_text("/affirm", sender_id="one")) == []

    # a new pattern escalates again
    replies = await agent.handle_text('/describe_symptoms{"symptom": "saddle_numbness"}', sender_id="one")
    assert [(e["triage"], e["pattern"]) for e in emergencies(replies)] == [("emergency", "cauda_equina")]


async def test_no_emergency_for_an_ordinary_complaint(agent):
    replies = await agent.handle_text('/describe_symptoms{"symptom": "toe_numbness"}', sender_id="two")
    assert emergencies(replies) == []
