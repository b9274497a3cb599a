"""Does what docs/trainers.md says, in a temporary copy of the project, and checks the assistant learnt it.

A clinician adds vitamin B12 deficiency with its distinguishing symptom, a sore tongue
(fixtures/new_condition.yml), and a trainer adds NLU examples (fixtures/nlu_sore_tongue.yml).
Then the guide's commands: `python -m bot kb validate`, `python -m bot generate`, and a retraining
with the project's pipeline at a few epochs. The retrained model must find the new symptom in
what people type, and the interview must ask about it for a person with the new condition.

Slow (one training; about two and a half minutes in all on two busy shared cores): `pytest -m slow tests/trainers`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from bot.kb.yaml_loader import read_knowledge_base
from bot.triage.engine import TriageEngine
from bot.triage.evidence import ABSENT, PRESENT, evidence_from_entities
from tests.conftest import ROOT, skip_or_fail
from tests.trainers.conftest import FIXTURES, add_new_condition

pytestmark = pytest.mark.slow

PROJECT_FILES = ["config.yml", "domain.yml", "credentials.yml", "endpoints.yml"]
PROJECT_DIRS = ["data", "bot", "actions"]
# The project's pipeline and policies, with just enough epochs to learn the data: the point is
# that the new KB reaches the model, not the classifiers' accuracy.
FAST_EPOCHS = {"DIETClassifier": 5, "ResponseSelector": 2, "TEDPolicy": 2}
TRAINING_TIMEOUT = 600  # seconds; about two minutes on a quiet machine, much more on a busy shared one
BIN = Path(sys.executable).parent

# A person with vitamin B12 deficiency: what they would answer yes to.
B12_PATIENT = {"foot_numbness", "leg_numbness", "tingling", "fatigue", "sore_tongue", "both_sides", "gradual_onset"}


def run(project: Path, *command: str, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project), "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    return subprocess.run(["nice", "-n", "10", *command], cwd=project, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def fast_config(config: Dict) -> Dict:
    for item in config.get("pipeline", []) + config.get("policies", []):
        if item.get("name") in FAST_EPOCHS:
            item["epochs"] = FAST_EPOCHS[item["name"]]
    return config


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project with the guide's edits made the way the guide says."""
    if not (ROOT / "data" / "nlu.yml").exists():
        skip_or_fail("data/nlu.yml does not exist yet: nothing to train the intents on")
    root = tmp_path_factory.mktemp("project")
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, root / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    add_new_condition(root / "data" / "kb")
    shutil.copy2(FIXTURES / "nlu_sore_tongue.yml", root / "data" / "nlu_sore_tongue.yml")
    config = fast_config(yaml.safe_load((root / "config.yml").read_text()))
    (root / "config.fast.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root


@pytest.fixture(scope="module")
def model(project) -> Path:
    """Validates, regenerates and retrains as the guide says; the trained model's path."""
    validated = run(project, str(BIN / "python"), "-m", "bot", "kb", "validate")
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.startswith("OK:")
    generated = run(project, str(BIN / "python"), "-m", "bot", "generate")
    assert generated.returncode == 0, generated.stderr

    started = time.monotonic()
    trained = run(project, str(BIN / "rasa"), "train", "--config", "config.fast.yml", "--domain", "domain.yml",
                  "--data", "data", "--out", "models", "--fixed-model-name", "guide", timeout=TRAINING_TIMEOUT)
    print(f"rasa train (fast config) took {time.monotonic() - started:.0f} s")
    assert trained.returncode == 0, trained.stdout[-3000:] + trained.stderr[-3000:]
    path = project / "models" / "guide.tar.gz"
    assert path.exists()
    return path


@pytest.fixture(scope="module")
def agent(model):
    from rasa.core.agent import Agent

    return Agent.load(str(model))


def symptoms_in(parsed: Dict) -> Dict[str, Dict]:
    return {e["value"]: e for e in parsed["entities"] if e["entity"] == "symptom"}


async def test_the_retrained_assistant_understands_the_new_symptom(agent):
    parsed = await agent.parse_message("my tongue is sore and my feet tingle")
    found = symptoms_in(parsed)
    assert "sore_tongue" in found, parsed["entities"]
    assert not found["sore_tongue"]["negated"]
    assert parsed["text"][found["sore_tongue"]["start"]:found["sore_tongue"]["end"]] == "tongue is sore"


async def test_a_denied_new_symptom_is_understood_as_absent(agent):
    parsed = await agent.parse_message("my feet are numb but I don't have a sore tongue")
    assert symptoms_in(parsed)["sore_tongue"]["negated"] is True


async def test_the_assistant_asks_about_the_new_symptom_and_finds_the_new_condition(agent, project):
    """A person with B12 deficiency describes numb, tingling feet; the interview asks about the tongue."""
    parsed = await agent.parse_message("my feet have been numb and tingling for weeks")
    evidence = evidence_from_entities(parsed["entities"])
    assert "sore_tongue" not in evidence

    engine = TriageEngine(read_knowledge_base(project / "data" / "kb"))
    asked: List[str] = []
    leaders_when_asked: List[str] = []
    while (question := engine.next_question(evidence, 50, None, asked)) is not None:
        if question == "sore_tongue":
            leaders_when_asked = [c.id for c in engine.rank(evidence, 50, None)[:2]]
        asked.append(question)
        evidence[question] = PRESENT if question in B12_PATIENT else ABSENT

    assert "sore_tongue" in asked, f"the interview asked {asked}"
    assert "vitamin_b12_deficiency" in leaders_when_asked, "asked when it tells the new condition apart"
    assert engine.assess(evidence, 50, None).conditions[0].id == "vitamin_b12_deficiency"
