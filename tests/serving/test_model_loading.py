"""The trained model loaded for prediction only understands and predicts exactly as Rasa's own load."""
from __future__ import annotations

import asyncio

import pytest
import yaml
from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.serving import model_loading
from tests.conftest import ROOT, skip_or_fail
from tests.e2e.servers import MODEL

pytestmark = pytest.mark.e2e  # loads the trained model

MESSAGES = [m["text"] for m in yaml.safe_load((ROOT / "tests/nlu/intent_heldout.yml").read_text())["messages"]][:40]
MESSAGES += ["my left foot has been numb for two weeks", "58", "female", "will this change the way I walk?"]


def understood(agent: Agent) -> tuple[list, list]:
    """(intent rankings and FAQ answers of MESSAGES, next-action scores after each as the first message)."""
    async def run():
        parses, actions = [], []
        for text in MESSAGES:
            parsed = await agent.parse_message(text)
            faq = parsed.get("response_selector", {}).get("faq", {}).get("ranking", [])
            parses.append([(r["name"], r["confidence"]) for r in parsed["intent_ranking"]] +
                          [(r["intent_response_key"], r["confidence"]) for r in faq])
            tracker = DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"),
                                                             UserUttered(text, parsed["intent"], parsed["entities"],
                                                                         parsed)], agent.domain.slots)
            scores = agent.processor.predict_next_with_tracker(tracker)["scores"]
            actions.append([(s["action"], s["score"]) for s in scores])
        return parses, actions

    return asyncio.run(run())


def close(ours, theirs):
    return all(a[0] == b[0] and a[1] == pytest.approx(b[1], abs=1e-5)
               for mine, rasas in zip(ours, theirs, strict=True) for a, b in zip(mine, rasas, strict=True))


@pytest.fixture(scope="module")
def both():
    if not MODEL.exists():
        skip_or_fail(f"no trained model at {MODEL}: run `make train`")
    rasas = understood(Agent.load(str(MODEL)))
    model_loading.install()
    try:
        ours = understood(Agent.load(str(MODEL)))
    finally:
        model_loading.uninstall()
    return ours, rasas


def test_intents_and_faq_answers_are_the_same(both):
    (ours, _), (rasas, _) = both
    assert close(ours, rasas)


def test_next_action_scores_are_the_same(both):
    (_, ours), (_, rasas) = both
    assert close(ours, rasas)
