"""Fixtures for the trainers' tools: small knowledge bases to edit, the new-condition fixture."""
from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

from tests.conftest import KB_DIR

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: retrains the assistant in a temporary copy of the project (minutes)")


def new_condition_fixture() -> Dict[str, Any]:
    """The source, symptom and condition a clinician adds (fixtures/new_condition.yml)."""
    return yaml.safe_load((FIXTURES / "new_condition.yml").read_text(encoding="utf-8"))


def add_new_condition(kb_dir: Path) -> None:
    """Does what docs/trainers.md says: source -> sources.yml, symptom -> symptoms.yml, condition -> its own file."""
    fixture = new_condition_fixture()
    for section, file_name in (("sources", "sources.yml"), ("symptoms", "symptoms.yml")):
        path = kb_dir / file_name
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        document[section] = document[section] + fixture[section]
        path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")
    [condition] = fixture["conditions"]
    (kb_dir / "conditions" / f"{condition['id']}.yml").write_text(
        yaml.safe_dump({"conditions": [condition]}, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")


@pytest.fixture
def kb_copy(tmp_path) -> Path:
    """A copy of the project's knowledge base to edit."""
    copy_dir = tmp_path / "kb"
    shutil.copytree(KB_DIR, copy_dir)
    return copy_dir


SMALL_KB: Dict[str, Dict[str, Any]] = {
    "meta.yml": {"meta": {
        "version": "1",
        "rarity_priors": {"very_common": 0.3, "common": 0.15, "uncommon": 0.06, "rare": 0.02, "very_rare": 0.005},
        "default_symptom_probability": 0.03,
        "triage_levels": {level: {"label": level, "advice": f"advice for {level}"} for level in
                          ("emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care")},
    }},
    "sources.yml": {"sources": [{"id": "nhs_stroke", "title": "Stroke", "publisher": "NHS"}]},
    "symptoms.yml": {"symptoms": [
        {"id": "face_droop", "name": "Drooping face", "question": "Has one side of your face dropped?",
         "phrases": ["face drooping", "face dropped"]},
        {"id": "slurred_speech", "name": "Slurred speech", "question": "Is your speech slurred?",
         "phrases": ["slurred speech", "can't speak properly"]},
        {"id": "leg_numbness", "name": "Leg numbness", "question": "Is your leg numb?",
         "phrases": ["numb leg", "leg is numb"]},
        {"id": "sudden_onset", "name": "Sudden onset", "kind": "context", "question": "Did it start suddenly?",
         "phrases": ["suddenly", "all of a sudden"]},
        # the context ids the code relies on (bot/kb/ids.py)
        {"id": "gradual_onset", "name": "Gradual onset", "kind": "context", "question": "Did it come on slowly?",
         "phrases": ["gradually", "slowly over time"]},
        {"id": "one_sided", "name": "One side", "kind": "context", "question": "Is it on one side only?",
         "phrases": ["one side only", "only on one side"]},
        {"id": "both_sides", "name": "Both sides", "kind": "context", "question": "Is it on both sides?",
         "phrases": ["both sides", "on both sides"]},
        {"id": "self_reported_emergency", "name": "Says it is an emergency", "kind": "context",
         "question": "Is this an emergency?", "phrases": ["this is an emergency", "call an ambulance"]},
        {"id": "symptoms_resolved", "name": "Gone away", "kind": "context", "question": "Has it gone away?",
         "phrases": ["it has gone", "went away"]},
    ]},
    "conditions/stroke_tia.yml": {"conditions": [{
        "id": "stroke_tia", "name": "Stroke or TIA", "group": "seed",
        "description": "A stroke happens when the blood supply to part of the brain is cut off.",
        "causes": ["A blocked artery"], "rarity": "uncommon", "urgency": "emergency_ambulance",
        "urgency_wording": "Emergency medical service",
        "symptoms": {"face_droop": 0.5, "slurred_speech": 0.5, "leg_numbness": 0.4},
        "diagnosis": ["Brain scan"], "treatment": ["Clot-busting medicine"],
        "when_to_seek_care": "Call an ambulance at once.", "sources": ["nhs_stroke"],
    }]},
    "red_flags.yml": {"red_flags": [{
        "id": "stroke_face_or_speech", "pattern": "stroke", "triage": "emergency_ambulance",
        "reason": "A drooping face can be a stroke.", "any_of": [["face_droop"]], "source": "nhs_stroke",
    }]},
    "faqs.yml": {"faqs": [{"id": "spread", "question": "Will it spread?",
                           "answer": "That depends on the cause of the numbness in your legs."}]},
    "general_care.yml": {"general_care": {"home_care": ["Rest"], "treatments": ["Pain relief"],
                                          "doctor_questions": ["When did it start?"],
                                          "when_to_see_doctor": "If it does not go away."}},
}


def write_kb(kb_dir: Path, files: Dict[str, Dict[str, Any]]) -> Path:
    for name, document in files.items():
        path = kb_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return kb_dir


@pytest.fixture
def small_kb_files() -> Dict[str, Dict[str, Any]]:
    """A small valid KB as {file name: document}, a fresh copy for each test to change."""
    return copy.deepcopy(SMALL_KB)
