"""The Rasa adapter: trained and loaded through Rasa's model storage, and its entities' extra fields
reaching the tracker, the events and the parse output unchanged."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.symptoms import VOCABULARY_FILE, SymptomExtractor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("symptom_extractor")
    context = ExecutionContext(GraphSchema({}), "test")
    config = SymptomExtractor.get_default_config()
    component = SymptomExtractor.create(config, storage, resource, context)
    training = TrainingData([Message.build("my feet are numb", intent="describe_symptoms")])
    assert component.train(training) == resource
    return storage, resource, context, config, training


def parse(component, text: str) -> dict:
    message = Message.build(text)
    message.set("intent", {"name": "describe_symptoms", "confidence": 0.9}, add_to_output=True)
    component.process([message])
    return message.as_dict(only_output_properties=True)


def test_training_stores_the_vocabulary_and_leaves_training_messages_alone(trained):
    storage, resource, _, _, training = trained
    with storage.read_from(resource) as directory:
        vocabulary = json.loads((directory / VOCABULARY_FILE).read_text())
    assert any(symptom_id == "foot_numbness" for symptom_id, _ in vocabulary["symptom_phrases"])
    assert training.training_examples[0].get("entities") is None  # DIET never sees these entities


def test_a_loaded_model_extracts_with_extra_fields(trained):
    storage, resource, context, config, _ = trained
    component = SymptomExtractor.load(config, storage, resource, context)
    data = parse(component, "no back pain but my left foot is numb")
    by_value = {e["value"]: e for e in data["entities"]}
    assert by_value["lower_back_pain"]["negated"] is True
    assert by_value["foot_numbness"]["laterality"] == "left"
    assert by_value["foot_numbness"]["extractor"] == "SymptomExtractor"


def test_extra_fields_survive_the_tracker_and_event_serialisation(trained):
    storage, resource, context, config, _ = trained
    component = SymptomExtractor.load(config, storage, resource, context)
    data = parse(component, "my mom's right leg has been numb since Tuesday, no fever")
    event = UserUttered(data["text"], data["intent"], data["entities"], data)
    tracker = DialogueStateTracker.from_events("someone", [event])
    latest = tracker.current_state()["latest_message"]["entities"]
    assert latest == data["entities"]
    restored = UserUttered.from_parameters(json.loads(json.dumps(event.as_dict())))
    leg = next(e for e in restored.entities if e["value"] == "leg_numbness")
    assert (leg["subject"], leg["laterality"], leg["duration"]) == ("other", "right", "since tuesday")
    assert next(e for e in restored.entities if e["value"] == "fever")["negated"] is True


def test_an_untrained_component_leaves_messages_alone(tmp_path):
    component = SymptomExtractor.create(SymptomExtractor.get_default_config(), LocalModelStorage(tmp_path),
                                        Resource("x"), ExecutionContext(GraphSchema({}), "test"))
    [message] = component.process([Message.build("my feet are numb")])
    assert message.get("entities") is None


def test_a_kb_change_changes_the_fingerprint(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(ROOT / "data" / "kb", kb_dir)
    before = SymptomExtractor.fingerprint_addon({"kb_dir": str(kb_dir)})
    symptoms = kb_dir / "symptoms.yml"
    symptoms.write_text(symptoms.read_text().replace('"numb toes"', '"numb toes", "toes gone dead"'))
    assert SymptomExtractor.fingerprint_addon({"kb_dir": str(kb_dir)}) != before
