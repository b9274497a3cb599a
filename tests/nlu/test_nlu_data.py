"""data/nlu.yml: every intent of the contract, enough varied examples, no symptom annotations."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.evaluation.extractor_scores import listed, unseen_intent_messages

ROOT = Path(__file__).resolve().parents[2]
INTENTS = ["greet", "goodbye", "affirm", "deny", "unsure", "describe_symptoms", "give_age", "give_sex",
           "request_assessment", "ask_why", "ask_condition", "emergency", "start_over", "thanks", "bot_challenge",
           "out_of_scope"]
FAQS = ["faq/gait", "faq/one_leg", "faq/spread", "faq/duration", "faq/life_threatening"]


@pytest.fixture(scope="module")
def examples():
    blocks = yaml.safe_load((ROOT / "data" / "nlu.yml").read_text())["nlu"]
    out = {}
    for block in blocks:
        if "intent" in block:
            out.setdefault(block["intent"], []).extend(listed(block))
    return out


def test_every_contract_intent_has_examples(examples):
    assert set(examples) == set(INTENTS) | set(FAQS)
    for intent in INTENTS:
        assert len(examples[intent]) >= 25, intent
    for faq in FAQS:
        assert len(examples[faq]) >= 10, faq
    assert len(examples["describe_symptoms"]) >= 120


def test_no_entity_is_annotated(examples):
    """The extractor finds symptoms; an annotation would teach DIET entities it must not extract."""
    for text in (t for texts in examples.values() for t in texts):
        assert not re.search(r"\[[^\]]+\]\s*[({]", text), text


def test_no_example_is_written_twice(examples):
    seen = {}
    for intent, texts in examples.items():
        for text in texts:
            key = text.lower()
            assert key not in seen, f"{text!r} in {intent} and {seen.get(key)}"
            seen[key] = intent


def test_symptom_descriptions_cover_many_kb_symptoms(examples, finder):
    found = {e["value"] for text in examples["describe_symptoms"] for e in finder.extract(text)
             if e["entity"] == "symptom"}
    assert len(found) >= 50


@pytest.fixture(scope="module")
def lookups():
    """The word lists of data/lookups.yml (the dialogue's moves) and data/topic_words.yml (topics)."""
    blocks = [block for name in ("lookups.yml", "topic_words.yml")
              for block in yaml.safe_load((ROOT / "data" / name).read_text())["nlu"] if "lookup" in block]
    return {block["lookup"]: listed(block) for block in blocks}


def test_each_word_list_means_one_thing(lookups):
    """A word in two lists would switch on two contradicting features ("no" as both yes and no)."""
    owner = {}
    for name, words in lookups.items():
        assert words, f"{name} is empty"
        for word in words:
            key = word.lower()
            assert key not in owner, f"{word!r} in {name} and {owner.get(key)}"
            owner[key] = name


def test_word_lists_know_words_no_example_uses(lookups, examples):
    """The lists exist to carry words the examples lack; a list that only repeats them adds nothing."""
    corpus = " ".join(text.lower() for texts in examples.values() for text in texts)
    for name, words in lookups.items():
        unseen = [w for w in words if not re.search(rf"\b{re.escape(w.lower())}\b", corpus)]
        assert unseen, f"every word of {name} is already in data/nlu.yml"


def test_held_out_intent_messages_measure_every_intent():
    """tests/nlu/intent_heldout.yml: the report scores only messages no training example repeats; each
    intent must keep enough of them for its F1 to mean something."""
    unseen, _ = unseen_intent_messages()
    per_intent = Counter(m["intent"] for m in unseen)
    assert set(per_intent) == set(INTENTS) | {"faq"}
    assert min(per_intent.values()) >= 4, per_intent
