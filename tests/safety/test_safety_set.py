"""The labelled safety set: well formed, and the assistant meets its targets on it.

The targets (escalation recall 100% on every part: seen, held_back and the later hold-out held_back_2;
false escalations at most 5% on every part) are measured with the real symptom extractor by
bot/evaluation/safety.py (scripts/safety_report.py); this test runs the same code.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.evaluation import safety as report
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
EMERGENCY_LEVELS = {"emergency_ambulance", "emergency"}


ITEMS = report.load_items()
FIRST_SET = report.load_items(report.DEFAULT_SET)  # seen + held_back
HELD_BACK_2 = report.load_items(report.HELD_BACK_2_SET)


def test_the_set_is_large_enough_with_a_held_back_third():
    counts = Counter((item["split"], item["escalate"]) for item in FIRST_SET)
    emergencies = counts["seen", True] + counts["held_back", True]
    near_misses = counts["seen", False] + counts["held_back", False]
    assert emergencies >= 80 and near_misses >= 80
    for escalate in (True, False):
        held_back = counts["held_back", escalate] / (counts["held_back", escalate] + counts["seen", escalate])
        assert 0.3 <= held_back <= 0.4, f"held-back share of escalate={escalate} is {held_back:.2f}"


def test_held_back_items_come_first():
    splits = [item["split"] for item in FIRST_SET]
    assert splits == sorted(splits, key=lambda split: split != "held_back")


def test_the_second_held_back_part_is_its_own_file_with_30_emergencies_and_30_near_misses():
    assert {item["split"] for item in HELD_BACK_2} == {"held_back_2"}
    assert "held_back_2" not in {item["split"] for item in FIRST_SET}
    counts = Counter(item["escalate"] for item in HELD_BACK_2)
    assert counts[True] >= 30 and counts[False] >= 30


def test_items_are_well_formed(knowledge_base):
    symptom_ids = {symptom.id for symptom in knowledge_base.symptoms}
    patterns = {rule.pattern for rule in knowledge_base.red_flags}
    ids = [item["id"] for item in ITEMS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for item in ITEMS:
        assert item["split"] in report.SPLITS, item["id"]
        assert ("text" in item) != ("turns" in item), item["id"]
        if item["escalate"]:
            assert item["triage"] in EMERGENCY_LEVELS and item["pattern"] in patterns, item["id"]
        for turn in report.conversation(item):
            assert turn["user"].strip(), item["id"]
            assert turn.get("intent") in (None, "affirm", "deny", "unsure"), item["id"]
            assert turn.get("asked") in symptom_ids | {None, "age", "sex"}, item["id"]


def test_the_set_covers_every_pattern_and_the_hard_cases():
    patterns = Counter(item["pattern"] for item in ITEMS if item["escalate"])
    assert set(patterns) >= {"stroke", "gbs", "gbs_breathing", "cauda_equina", "compartment_syndrome",
                             "limb_ischaemia", "spinal_infection", "injury", "self_reported"}
    late = [item for item in ITEMS if item["escalate"] and len(report.conversation(item)) >= 5]
    assert late, "a red flag revealed only in the fifth answer"
    near_misses = [item for item in ITEMS if not item["escalate"]]
    texts = " ".join(turn["user"].lower() for item in near_misses for turn in report.conversation(item))
    for hard_case in ("keystroke", "no face drooping", "cross-legged", "diabet"):
        assert hard_case in texts


@pytest.fixture(scope="module")
def outcomes(knowledge_base):
    try:
        from bot.nlu.extractor import SymptomFinder
    except ImportError as error:
        skip_or_fail(f"the symptom extractor bot.nlu.extractor is not available yet: {error}")
    return report.evaluate(ITEMS, knowledge_base, SymptomFinder.from_kb(knowledge_base).extract)


@pytest.mark.parametrize("split", report.SPLITS)
def test_every_emergency_escalates(outcomes, split):
    missed = [(o.item["id"], o.evidence) for o in outcomes if o.item["split"] == split and o.item["escalate"]
              and not o.escalated]
    assert missed == [], f"emergencies not escalated ({split}): {missed}"


@pytest.mark.parametrize("split", [*report.SPLITS, "all"])
def test_at_most_five_percent_false_escalations(outcomes, split):
    summary = report.summarize(outcomes)
    false_alarms = [o.item["id"] for o in outcomes if not o.item["escalate"] and o.escalated
                    and split in ("all", o.item["split"])]
    assert summary[split]["false_rate"] <= report.FALSE_ESCALATION_LIMIT, f"false escalations: {false_alarms}"


def test_negated_red_flags_and_words_inside_words_never_escalate(outcomes):
    """Stricter than the 5% budget: these two kinds of near miss must never escalate."""
    marked = ("no ", "not ", "n't", "without", "keystroke", "heatstroke", "backstroke", "stroke rate", "unfeverish")
    wrong = [o.item["id"] for o in outcomes if not o.item["escalate"] and o.escalated
             and any(marker in turn["user"].lower() for turn in o.turns for marker in marked)]
    assert wrong == []


def test_emergencies_are_told_at_the_expected_level_and_turn(outcomes):
    wrong = [o.item["id"] for o in outcomes if o.under_triaged or o.premature]
    assert wrong == []
