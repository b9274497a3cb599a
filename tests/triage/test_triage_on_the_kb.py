"""The engine on the project's knowledge base: textbook pictures get the cause and the urgency a clinician would."""
from __future__ import annotations

import pytest

from bot.triage.engine import TriageEngine
from bot.triage.levels import EMERGENCY_LEVELS

P, A = "present", "absent"

TEXTBOOK = [
    # (evidence, age, sex, expected first cause, accepted levels)
    ({"pain_when_walking": P, "calf_pain": P, "smoking": P, "leg_numbness": P}, 68, "male",
     "peripheral_arterial_disease", {"consultation"}),
    ({"diabetes": P, "burning_pain": P, "both_sides": P, "foot_numbness": P}, 61, "male",
     "diabetic_neuropathy", {"consultation", "consultation_24"}),
    ({"urge_to_move_legs": P, "worse_at_night": P, "relieved_by_moving": P}, 45, "female",
     "restless_legs", {"consultation", "self_care"}),
    ({"sudden_onset": P, "one_sided": P, "leg_numbness": P, "arm_numbness": P}, 70, "male",
     "stroke_tia", {"emergency_ambulance"}),
    ({"recent_infection": P, "leg_weakness": P, "numbness_spreading_up": P, "tingling": P, "both_sides": P}, 38, "male",
     "guillain_barre", set(EMERGENCY_LEVELS)),
    ({"fever": P, "lower_back_pain": P, "back_tenderness": P}, 57, "male",
     "vertebral_osteomyelitis", set(EMERGENCY_LEVELS)),
    ({"lower_back_pain": P, "back_pain_shooting_down_leg": P, "one_sided": P, "leg_numbness": P}, 41, "male",
     "herniated_lumbar_disc", {"consultation", "consultation_24"}),
    ({"prolonged_pressure": P, "tingling": P, "symptoms_resolved": P, "relieved_by_moving": P}, 27, "male",
     "positional_compression", {"self_care"}),
    ({"foot_drop": P, "recent_surgery": P, "one_sided": P, "lower_back_pain": A}, 58, "male",
     "fibular_nerve_injury", {"self_care", "consultation"}),
    ({"widespread_pain": P, "joint_pain": P, "fatigue": P, "sleep_problems": P, "foggy_thinking": P}, 44, "female",
     "fibromyalgia", {"consultation"}),
    ({"rash": P, "burning_pain": P, "one_sided": P, "thigh_numbness": P}, 71, "female",
     "shingles", {"consultation_24", "consultation"}),
    ({"high_arched_feet": P, "family_history_neuropathy": P, "foot_drop": P, "muscle_wasting": P}, 19, "male",
     "charcot_marie_tooth", {"consultation"}),
]


@pytest.fixture(scope="module")
def engine(knowledge_base):
    return TriageEngine(knowledge_base)


@pytest.mark.parametrize("evidence, age, sex, cause, levels", TEXTBOOK, ids=[case[3] for case in TEXTBOOK])
def test_a_textbook_picture_ranks_its_cause_first_at_a_fitting_urgency(engine, evidence, age, sex, cause, levels):
    assessment = engine.assess(evidence, age, sex)
    assert assessment.conditions[0].id == cause
    assert assessment.triage in levels
    assert assessment.advice == engine.kb.meta.triage_levels[assessment.triage].advice
    assert assessment.explanation, "the leading cause comes with reasons"


def test_the_explanation_quotes_what_the_person_said_in_kb_words(engine):
    evidence = {"pain_when_walking": P, "calf_pain": P, "leg_numbness": P, "fever": A}
    reasons = engine.assess(evidence, 68, "male").explanation
    names = {engine.kb.symptom(s).name.lower() for s in evidence}
    assert any(name in reason for reason in reasons for name in names)


def test_one_sided_sudden_numbness_asks_what_would_complete_the_stroke_rule_early(engine):
    """Red-flag questions come early while an urgent cause is plausible."""
    evidence, asked = {"sudden_onset": P, "leg_numbness": P}, []
    stroke_signs = {"one_sided", "face_droop", "slurred_speech", "arm_weakness", "arm_numbness", "vision_loss"}
    for _ in range(3):
        question = engine.next_question(evidence, 60, "male", asked)
        asked.append(question)
        evidence[question] = A
    assert stroke_signs & set(asked)


def test_a_benign_picture_is_not_sent_to_the_emergency_room(engine):
    evidence = {"urge_to_move_legs": P, "worse_at_night": P, "sleep_problems": P, "leg_numbness": P}
    assert engine.assess(evidence, 50, "female").triage not in EMERGENCY_LEVELS


def test_every_condition_can_lead_the_ranking(engine):
    """No cause of the KB is unreachable: its own common symptoms (at least one in two) put it first."""
    for condition in engine.kb.conditions:
        common = [s for s, p in condition.symptoms.items() if p >= 0.5]
        evidence = dict.fromkeys([*common, *condition.always], P)
        age = condition.demographics.age_min or 40
        assert engine.rank(evidence, age)[0].id == condition.id, condition.id
