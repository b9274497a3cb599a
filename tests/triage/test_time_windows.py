"""When: red-flag rules escalate within their guideline windows, and an old event counts for the ranking only."""
from __future__ import annotations

import pytest

from bot.triage.engine import TriageEngine
from bot.triage.red_flags import lapsed_level, matching_rules

P, A = "present", "absent"
HOUR, DAY, YEAR = 1.0, 24.0, 8766.0
TIA = {"face_droop": P, "symptoms_resolved": P}


@pytest.fixture(scope="module")
def engine(knowledge_base):
    return TriageEngine(knowledge_base)


def patterns(kb, evidence, onsets=None):
    return [rule.pattern for rule in matching_rules(kb, evidence, onsets)]


def test_a_tia_that_resolved_within_the_window_escalates_and_one_days_ago_calls_for_a_doctor_within_24_hours(
        knowledge_base, engine):
    assert patterns(knowledge_base, TIA) == ["stroke"], "no time said: it counts as now"
    assert patterns(knowledge_base, TIA, {"face_droop": 3 * HOUR}) == ["stroke"]
    four_days = {"face_droop": 4 * DAY}
    assert patterns(knowledge_base, TIA, four_days) == []
    assert lapsed_level(knowledge_base, TIA, four_days) == "consultation_24"
    assert engine.triage(TIA, 70, "female", four_days) == "consultation_24"
    assert lapsed_level(knowledge_base, TIA, {"face_droop": YEAR}) is None, "a year ago: no longer urgent"


def test_numbness_that_crept_up_for_years_is_not_guillain_barre(knowledge_base, engine):
    creeping = {"numbness_spreading_up": P, "both_sides": P, "foot_numbness": P, "gradual_onset": P}
    assert patterns(knowledge_base, creeping, {"numbness_spreading_up": 3 * DAY}) == ["gbs"]
    years = {"numbness_spreading_up": 6 * YEAR, "both_sides": 6 * YEAR, "foot_numbness": 6 * YEAR}
    assert patterns(knowledge_base, creeping, years) == []
    assert engine.triage(creeping, 70, "male", years) not in ("emergency_ambulance", "emergency")


def test_an_old_fracture_is_no_emergency_but_still_counts_for_the_ranking(knowledge_base, engine):
    evidence = {"leg_fracture": P, "leg_numbness": P}
    assert patterns(knowledge_base, evidence, {"leg_numbness": 2 * DAY}) == ["injury"]
    old = {"leg_fracture": 12 * YEAR}
    assert patterns(knowledge_base, evidence, old) == []
    ranked = [c.id for c in engine.rank(evidence)]
    assert ranked.index("fracture_trauma") < 3, "the old fracture still explains the numbness"


def test_a_cold_pale_foot_that_did_not_come_on_suddenly_is_no_limb_ischaemia(knowledge_base):
    foot = {"pale_or_blue_leg": P, "cold_feet": P, "foot_numbness": P}
    assert patterns(knowledge_base, foot) == ["limb_ischaemia"], "not yet said when: escalate"
    assert patterns(knowledge_base, {**foot, "sudden_onset": A}) == []
    assert patterns(knowledge_base, foot, {"pale_or_blue_leg": 90 * DAY, "cold_feet": 90 * DAY}) == []


def test_an_old_stroke_does_not_make_todays_numbness_an_emergency(knowledge_base, engine):
    evidence = {"vision_loss": P, "leg_numbness": P, "one_sided": P}
    onsets = {"vision_loss": 180 * DAY, "leg_numbness": 3 * DAY, "one_sided": 3 * DAY}
    assert patterns(knowledge_base, evidence) == ["stroke"]
    assert patterns(knowledge_base, evidence, onsets) == []
    urgencies = dict(zip(engine.ranker.condition_ids, engine.urgencies(evidence, onsets), strict=True))
    assert urgencies["stroke_tia"] == "consultation_24", "days-old findings: a doctor within 24 hours"
