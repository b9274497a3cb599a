"""The labelled evaluation set: its make-up, and the extractor's scores on it as a regression guard.

The full report (per symptom, with the intent cross-validation) is `python scripts/nlu_report.py`.
"""
from __future__ import annotations

import pytest

from bot.evaluation.extractor_scores import load_labelled, score, summary, tags_of, training_texts


@pytest.fixture(scope="module")
def items():
    return load_labelled()


def test_the_set_has_the_promised_make_up(items):
    tags = [tags_of(item) for item in items]
    assert len(items) >= 400
    assert sum("negated" in t for t in tags) >= 120
    assert sum("typo" in t for t in tags) >= 60
    assert sum("third_person" in t for t in tags) >= 40
    assert sum("laterality_or_duration" in t for t in tags) >= 40


def test_labels_name_kb_symptoms(items, knowledge_base):
    known = {s.id for s in knowledge_base.symptoms}
    for item in items:
        for expected in item.get("expect") or []:
            assert expected["id"] in known, item["text"]
            assert expected["choice"] in ("present", "absent", "unknown"), item["text"]
            assert expected.get("laterality", "left") in ("left", "right", "both"), item["text"]


def test_no_utterance_is_also_training_data(items):
    training = training_texts()
    assert not [item["text"] for item in items if item["text"].lower() in training]


def test_scores_stay_above_the_targets(finder, items):
    overall = summary(score(finder, items))
    assert overall["f1"] >= 0.93
    assert overall["negation_accuracy"] >= 0.97
    assert overall["laterality_accuracy"] >= 0.9
    assert overall["duration_accuracy"] >= 0.9
