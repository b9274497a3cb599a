"""The emergency policy inside Rasa's dialogue machinery: it escalates when it must, wins over rules,
forms and TED, escalates once per pattern, hands the turn back, and needs no action server or database."""
from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import List

import pytest
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain, InvalidDomain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph

import bot.kb.yaml_loader
from bot.nlg import EmergencyPayloadNLG
from bot.policies.emergency import EMERGENCY_POLICY_PRIORITY, EMERGENCY_RESPONSE, EmergencyPolicy

ROOT = Path(__file__).resolve().parents[2]
FORM = "symptom_form"
FORM_DOMAIN = f"""
version: "3.1"
forms:
  {FORM}:
    required_slots: [age]
"""
RULES = """
version: "3.1"
rules:
- rule: yes answers a question
  steps:
  - intent: affirm
  - action: action_interview
- rule: a description feeds the interview
  steps:
  - intent: describe_symptoms
  - action: action_interview
"""


@pytest.fixture(scope="module")
def domain() -> Domain:
    """The project's domain (responses, slots), plus a form to test escalation inside an active form."""
    return Domain.load(ROOT / "domain.yml").merge(Domain.from_yaml(FORM_DOMAIN))


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test-model")


@pytest.fixture(scope="module")
def storage(tmp_path_factory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model_storage"))


def trained_policy(storage, domain, resource_name="emergency", **config) -> EmergencyPolicy:
    config = {**EmergencyPolicy.get_default_config(), **config}
    policy = EmergencyPolicy.create(config, storage, Resource(resource_name), context())
    policy.train([], domain)
    return policy


@pytest.fixture(scope="module")
def policy(storage, domain) -> EmergencyPolicy:
    """Trained, then loaded back from the model storage, as the Rasa server does."""
    trained_policy(storage, domain)
    config = EmergencyPolicy.get_default_config()
    return EmergencyPolicy.load(config, storage, Resource("emergency"), context())


@pytest.fixture(scope="module")
def rule_policy(storage, domain) -> RulePolicy:
    steps = YAMLStoryReader(domain).read_from_string(RULES)
    trackers = TrainingDataGenerator(StoryGraph(steps), domain, augmentation_factor=0).generate()
    rules = RulePolicy.create(RulePolicy.get_default_config(), storage, Resource("rules"), context())
    rules.train(trackers, domain)
    return rules


def symptom(value: str, **fields) -> dict:
    return {"entity": "symptom", "value": value, "start": 0, "end": 1, "extractor": "SymptomExtractor", **fields}


def says(text: str, *entities: dict, intent: str = "describe_symptoms", confidence: float = 0.9) -> List[Event]:
    return [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered(text, intent={"name": intent, "confidence": confidence}, entities=list(entities)),
    ]


def tracker_of(domain: Domain, *events: Event) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", list(events), slots=domain.slots)


def action_of(prediction: PolicyPrediction, domain: Domain):
    """The predicted action; for the emergency response, with the level its variation is chosen by."""
    if prediction.max_confidence == 0:
        return None
    action = domain.action_names_or_texts[prediction.max_confidence_index]
    if action == EMERGENCY_RESPONSE:
        events = prediction.events + prediction.optional_events
        level = {e.key: e.value for e in events if isinstance(e, SlotSet)}.get("emergency_triage")
        return f"{action}[{level}]"
    return action


def winner(domain, tracker, *predictions) -> PolicyPrediction:
    return DefaultPolicyPredictionEnsemble().combine_predictions(list(predictions), tracker, domain)


def apply(tracker: DialogueStateTracker, prediction: PolicyPrediction, domain: Domain) -> None:
    """What the processor does with a winning prediction: its events, then the action."""
    for event in prediction.events + prediction.optional_events:
        tracker.update(event)
    tracker.update(ActionExecuted(domain.action_names_or_texts[prediction.max_confidence_index]))


STROKE_MESSAGE = says("my face is drooping", symptom("face_droop"))


# ---- when it escalates
def test_escalates_at_the_first_message_and_sets_what_the_response_tells(policy, domain):
    prediction = policy.predict_action_probabilities(tracker_of(domain, *STROKE_MESSAGE), domain)
    assert action_of(prediction, domain) == "utter_emergency[emergency_ambulance]"
    assert prediction.max_confidence == 1.0
    assert prediction.policy_priority == EMERGENCY_POLICY_PRIORITY
    slots = {event.key: event.value for event in prediction.optional_events if isinstance(event, SlotSet)}
    assert slots["emergency_pattern"] == "stroke"
    assert slots["emergency_triage"] == "emergency_ambulance"
    assert "stroke" in slots["emergency_reason"]
    assert slots["emergency_patterns"] == ["stroke"]
    assert slots["evidence"] == {"face_droop": "present"}
    assert prediction.events == [SlotSet("kb_fingerprint", policy.kb_fingerprint)], \
        "whoever wins, only the model's KB fingerprint is set; the escalation's slots only when the policy wins"


def test_the_emergency_room_response_for_an_emergency_level_pattern(policy, domain):
    tracker = tracker_of(domain, *says("I can't feel it when I wipe", symptom("saddle_numbness")))
    assert action_of(policy.predict_action_probabilities(tracker, domain), domain) == "utter_emergency[emergency]"


def test_says_nothing_without_a_red_flag(policy, domain):
    tracker = tracker_of(domain, *says("my toes are numb after sitting cross-legged",
                                       symptom("toe_numbness"), symptom("prolonged_pressure")))
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert prediction.max_confidence == 0 and not prediction.is_no_user_prediction


def test_a_negated_red_flag_does_not_escalate(policy, domain):
    tracker = tracker_of(domain, *says("no trouble speaking, no face drooping, a numb foot",
                                       symptom("slurred_speech", negated=True), symptom("face_droop", negated=True),
                                       symptom("foot_numbness")))
    assert action_of(policy.predict_action_probabilities(tracker, domain), domain) is None


def test_escalates_after_the_assessment(policy, domain):
    tracker = tracker_of(
        domain,
        *says("my left leg is numb", symptom("leg_numbness", laterality="left")),
        ActionExecuted("action_interview"),
        SlotSet("evidence", {"leg_numbness": "present", "one_sided": "present", "diabetes": "absent"}),
        SlotSet("pending_question", None),
        BotUttered("Possible causes: ... See a doctor within two weeks."),
        *says("oh and it started suddenly a few minutes ago", symptom("sudden_onset")),
    )
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert action_of(prediction, domain) == "utter_emergency[emergency_ambulance]"


def test_yes_to_a_pending_red_flag_question_escalates(policy, domain):
    tracker = tracker_of(domain, SlotSet("evidence", {"lower_back_pain": "present"}),
                         SlotSet("pending_question", "bladder_problems"), *says("yes", intent="affirm"))
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert action_of(prediction, domain) == "utter_emergency[emergency]"
    slots = {event.key: event.value for event in prediction.optional_events if isinstance(event, SlotSet)}
    assert slots["evidence"] == {"lower_back_pain": "present", "bladder_problems": "present"}
    assert slots["pending_question"] is None, "'I've called them' must not answer the interrupted question"


def test_an_old_yes_does_not_answer_the_next_question(policy, domain):
    """After the interview asked its next question, the same 'yes' is not an answer to it."""
    tracker = tracker_of(domain, SlotSet("pending_question", "diabetes"), *says("yes", intent="affirm"),
                         ActionExecuted("action_interview"), SlotSet("evidence", {"diabetes": "present"}),
                         SlotSet("pending_question", "face_droop"))
    assert action_of(policy.predict_action_probabilities(tracker, domain), domain) is None


def test_red_flag_entities_escalate_whatever_the_intent_classifier_says(policy, domain):
    tracker = tracker_of(domain, *says("my speech is slurred", symptom("slurred_speech"), intent="greet",
                                       confidence=0.2))
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert action_of(prediction, domain) == "utter_emergency[emergency_ambulance]"


def test_the_emergency_intent_escalates_only_when_confident(policy, domain):
    confident = tracker_of(domain, *says("help me please", intent="emergency", confidence=0.93))
    unsure = tracker_of(domain, *says("is this serious?", intent="emergency", confidence=0.35))
    prediction = policy.predict_action_probabilities(confident, domain)
    assert action_of(prediction, domain) == "utter_emergency[emergency_ambulance]"
    assert {e.key: e.value for e in prediction.optional_events}["emergency_pattern"] == "self_reported"
    assert action_of(policy.predict_action_probabilities(unsure, domain), domain) is None


def test_a_worried_question_or_an_answer_is_no_self_reported_emergency(policy, domain):
    """The classifier may call these `emergency`; they report nothing happening now."""
    question = tracker_of(domain, *says("could this be another stroke?", intent="emergency", confidence=0.97))
    assert action_of(policy.predict_action_probabilities(question, domain), domain) is None
    answer = tracker_of(domain, SlotSet("pending_question", "urge_to_move_legs"),
                        *says("yes I just have to move them, it drives me mad", intent="emergency", confidence=0.95))
    assert action_of(policy.predict_action_probabilities(answer, domain), domain) is None
    # ...but an emergency phrase the extractor finds escalates, question or not
    asked = tracker_of(domain, *says("is he having a stroke?", symptom("self_reported_emergency", uncertain=True),
                                     intent="emergency", confidence=0.97))
    assert action_of(policy.predict_action_probabilities(asked, domain), domain) == \
        "utter_emergency[emergency_ambulance]"


# ---- once per pattern, then the dialogue goes on
def test_once_per_pattern_a_new_pattern_again_and_listen_after_its_own_response(policy, rule_policy, domain):
    tracker = tracker_of(domain, *STROKE_MESSAGE)
    apply(tracker, policy.predict_action_probabilities(tracker, domain), domain)
    assert tracker.get_slot("emergency_patterns") == ["stroke"]

    after = policy.predict_action_probabilities(tracker, domain)
    assert action_of(after, domain) == ACTION_LISTEN_NAME and after.max_confidence == 1.0

    # "I've called them": the same stroke evidence is still there, but it does not escalate again;
    # the usual rules take the turn.
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    tracker.update(UserUttered("I've called them", intent={"name": "affirm", "confidence": 0.97}))
    quiet = policy.predict_action_probabilities(tracker, domain)
    assert action_of(quiet, domain) is None
    best = winner(domain, tracker, quiet, rule_policy.predict_action_probabilities(tracker, domain))
    assert action_of(best, domain) == "action_interview"

    # a new pattern escalates again
    for event in says("and now I can't control my bladder and my back hurts", symptom("bladder_problems"),
                      symptom("lower_back_pain")):
        tracker.update(event)
    again = policy.predict_action_probabilities(tracker, domain)
    assert action_of(again, domain) == "utter_emergency[emergency]"
    assert {e.key: e.value for e in again.optional_events}["emergency_patterns"] == ["stroke", "cauda_equina"]


# ---- priority in the ensemble
def test_wins_over_a_rule_that_matches_the_message(policy, rule_policy, domain):
    tracker = tracker_of(domain, *STROKE_MESSAGE)
    rule_prediction = rule_policy.predict_action_probabilities(tracker, domain)
    assert action_of(rule_prediction, domain) == "action_interview" and rule_prediction.max_confidence == 1.0
    best = winner(domain, tracker, rule_prediction, policy.predict_action_probabilities(tracker, domain))
    assert action_of(best, domain) == "utter_emergency[emergency_ambulance]"
    assert best.policy_name == "EmergencyPolicy"


def test_wins_over_ted_even_when_ted_is_certain(policy, domain):
    tracker = tracker_of(domain, *STROKE_MESSAGE)
    ted = PolicyPrediction.for_action_name(domain, "action_interview", "TEDPolicy", confidence=1.0)
    ted.is_end_to_end_prediction = True
    best = winner(domain, tracker, ted, policy.predict_action_probabilities(tracker, domain))
    assert action_of(best, domain) == "utter_emergency[emergency_ambulance]"


def test_wins_inside_an_active_form_and_listens_before_the_form_resumes(policy, rule_policy, domain):
    tracker = tracker_of(domain, ActionExecuted(FORM), ActiveLoop(FORM), *STROKE_MESSAGE)
    form_prediction = rule_policy.predict_action_probabilities(tracker, domain)
    assert action_of(form_prediction, domain) == FORM and form_prediction.is_no_user_prediction
    best = winner(domain, tracker, form_prediction, policy.predict_action_probabilities(tracker, domain))
    assert action_of(best, domain) == "utter_emergency[emergency_ambulance]"

    apply(tracker, best, domain)
    resume = rule_policy.predict_action_probabilities(tracker, domain)
    assert action_of(resume, domain) == FORM, "the form would take over right after the emergency response"
    best = winner(domain, tracker, resume, policy.predict_action_probabilities(tracker, domain))
    assert action_of(best, domain) == ACTION_LISTEN_NAME


# ---- what the person sees
async def test_the_response_tells_the_reason_and_carries_the_emergency_payload(policy, domain):
    tracker = tracker_of(domain, *STROKE_MESSAGE)
    apply(tracker, policy.predict_action_probabilities(tracker, domain), domain)
    message = await EmergencyPayloadNLG(domain=domain).generate(EMERGENCY_RESPONSE, tracker, "rest")
    assert "911" in message["text"]
    assert tracker.get_slot("emergency_reason") in message["text"]
    assert "What I understood: facial droop." in message["text"]
    assert message["custom"]["emergency"] == {
        "version": "3", "triage": "emergency_ambulance", "triage_label": "Call an ambulance now",
        "pattern": "stroke", "condition": {"id": "stroke_tia", "name": "Stroke or transient ischaemic attack (TIA)"},
        "reason": tracker.get_slot("emergency_reason"),
        "findings": [{"id": "face_droop", "name": "Facial droop", "choice": "present"}],
    }
    assert message["buttons"], "the person needs a way to say they have called"


async def test_without_the_payload_generator_the_template_still_carries_the_core_payload(policy, domain):
    tracker = tracker_of(domain, *STROKE_MESSAGE)
    apply(tracker, policy.predict_action_probabilities(tracker, domain), domain)
    message = await TemplatedNaturalLanguageGenerator(domain.responses).generate(EMERGENCY_RESPONSE, tracker, "rest")
    assert message["custom"]["emergency"] == {
        "version": "3", "triage": "emergency_ambulance", "pattern": "stroke",
        "reason": tracker.get_slot("emergency_reason"),
    }


# ---- independence from the action server, the database and the KB files
def test_prediction_needs_no_network_no_database_and_no_kb_files(policy, domain, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the emergency policy tried to reach the network, the database or data/kb")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(bot.kb.yaml_loader, "read_knowledge_base", refuse)
    monkeypatch.setattr("bot.policies.emergency.read_knowledge_base", refuse)
    monkeypatch.setenv("KB_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    prediction = policy.predict_action_probabilities(tracker_of(domain, *STROKE_MESSAGE), domain)
    assert action_of(prediction, domain) == "utter_emergency[emergency_ambulance]"


# ---- training
def test_fingerprint_changes_when_a_rule_changes(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(ROOT / "data" / "kb", kb_dir)
    config = {**EmergencyPolicy.get_default_config(), "kb_dir": str(kb_dir)}
    before = EmergencyPolicy.fingerprint_addon(config)
    rules = kb_dir / "red_flags.yml"
    rules.write_text(rules.read_text().replace("- [face_droop]\n", ""))
    assert EmergencyPolicy.fingerprint_addon(config) != before


def test_training_uses_the_rules_of_kb_dir(storage, domain, tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(ROOT / "data" / "kb", kb_dir)
    rules = kb_dir / "red_flags.yml"
    rules.write_text(rules.read_text().replace("  - [face_droop]\n", ""))
    policy = trained_policy(storage, domain, "emergency_edited", kb_dir=str(kb_dir))
    tracker = tracker_of(domain, *says("my face is drooping", symptom("face_droop")))
    assert action_of(policy.predict_action_probabilities(tracker, domain), domain) is None


def test_training_fails_without_the_emergency_responses(storage):
    bare = Domain.from_yaml('version: "3.1"\nintents: [greet]\nresponses:\n  utter_greet:\n  - text: hi\n')
    with pytest.raises(InvalidDomain, match=EMERGENCY_RESPONSE):
        trained_policy(storage, bare, "emergency_bare")
