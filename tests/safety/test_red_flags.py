"""The red-flag rules of the KB and their evaluation (bot/triage/red_flags.py): what escalates and what not."""
from __future__ import annotations

import pytest

from bot.interview.interview import InterviewState, escalate
from bot.interview.turn import Turn, fold, red_flag_evidence
from bot.kb.ids import SELF_REPORTED_EMERGENCY
from bot.kb.schema import RedFlagRule
from bot.triage.red_flags import RedFlags, escalation, matching_rules


def present(*ids: str) -> dict:
    return dict.fromkeys(ids, "present")


def mention(value: str, **fields) -> dict:
    return {"entity": "symptom", "value": value, **fields}


def patterns(kb, evidence) -> list:
    return [rule.pattern for rule in matching_rules(kb, evidence)]


# ---- the KB's rules: each pattern of the brief escalates, at the level its source gives
@pytest.mark.parametrize(
    "evidence, pattern, triage",
    [
        (present("face_droop"), "stroke", "emergency_ambulance"),
        (present("slurred_speech"), "stroke", "emergency_ambulance"),
        (present("sudden_onset", "one_sided", "leg_numbness"), "stroke", "emergency_ambulance"),
        (present("sudden_onset", "one_sided", "leg_weakness"), "stroke", "emergency_ambulance"),
        (present("one_sided", "leg_numbness", "vision_loss"), "stroke", "emergency_ambulance"),
        (present("sudden_onset", "loss_of_balance", "leg_numbness"), "stroke", "emergency_ambulance"),
        (present("sudden_severe_headache"), "stroke", "emergency_ambulance"),
        (present("numbness_spreading_up", "both_sides"), "gbs", "emergency"),
        (present("numbness_spreading_up", "leg_weakness"), "gbs", "emergency"),
        (present("leg_weakness", "breathing_difficulty"), "gbs_breathing", "emergency_ambulance"),
        (present("numbness_spreading_up", "swallowing_difficulty"), "gbs_breathing", "emergency_ambulance"),
        (present("saddle_numbness"), "cauda_equina", "emergency"),
        (present("bladder_problems", "lower_back_pain"), "cauda_equina", "emergency"),
        (present("bowel_incontinence", "leg_weakness"), "cauda_equina", "emergency"),
        (present("leg_weakness", "both_sides", "lower_back_pain"), "cauda_equina", "emergency"),
        (present("recent_injury", "severe_leg_pain", "leg_swelling"), "compartment_syndrome", "emergency"),
        (present("pale_or_blue_leg", "cold_feet", "leg_numbness"), "limb_ischaemia", "emergency_ambulance"),
        (present("cold_feet", "severe_leg_pain", "sudden_onset"), "limb_ischaemia", "emergency_ambulance"),
        (present("fever", "lower_back_pain", "leg_numbness"), "spinal_infection", "emergency"),
        (present("dialysis", "fever", "lower_back_pain"), "spinal_infection", "emergency"),
        (present("injected_drug_use", "fever", "lower_back_pain"), "spinal_infection", "emergency"),
        (present("leg_fracture", "foot_numbness"), "injury", "emergency"),
        (present("recent_injury", "leg_numbness", "both_sides"), "injury", "emergency"),
        (present(SELF_REPORTED_EMERGENCY), "self_reported", "emergency_ambulance"),
    ],
)
def test_each_pattern_escalates_at_its_level(knowledge_base, evidence, pattern, triage):
    found = escalation(knowledge_base, evidence)
    assert found is not None, f"{sorted(evidence)} did not escalate"
    assert pattern in found.patterns
    assert {rule.triage for rule in matching_rules(knowledge_base, evidence) if rule.pattern == pattern} == {triage}


@pytest.mark.parametrize(
    "evidence",
    [
        present("fever"),
        present("lower_back_pain"),
        present("fever", "lower_back_pain"),  # the flu
        present("foot_numbness", "both_sides", "diabetes", "gradual_onset", "burning_pain"),
        present("leg_numbness", "prolonged_pressure"),  # sat cross-legged
        present("foot_numbness", "one_sided"),  # one numb foot, not sudden
        present("leg_numbness", "sudden_onset"),  # a leg "falling asleep": no side given
        present("vision_loss", "foot_numbness", "diabetes"),  # blurry vision with diabetic feet
        present("headache", "tingling"),
        present("cold_feet", "smoking"),
        present("leg_swelling"),
        present("back_pain_shooting_down_leg", "one_sided"),  # ordinary one-sided sciatica
        present("leg_weakness", "gradual_onset", "one_sided"),
        present("recent_injury", "leg_numbness"),  # a bang on the knee with a numb patch
        present("bladder_problems"),
        present("loss_of_balance", "foot_numbness", "both_sides"),  # unsteady on numb feet
    ],
)
def test_ordinary_complaints_do_not_escalate(knowledge_base, evidence):
    assert matching_rules(knowledge_base, evidence) == []


def test_a_negated_red_flag_never_escalates(knowledge_base):
    evidence = {"face_droop": "absent", "slurred_speech": "absent", "saddle_numbness": "absent",
                "leg_numbness": "present"}
    assert escalation(knowledge_base, evidence) is None


def test_symptoms_that_have_gone_away_still_escalate(knowledge_base):
    """A TIA is over within minutes and is still an emergency: `symptoms_resolved` cancels nothing."""
    found = escalation(knowledge_base, present("face_droop", "symptoms_resolved"))
    assert found is not None and found.pattern == "stroke"


def test_most_urgent_first_and_every_new_pattern_told_at_once(knowledge_base):
    evidence = present("fever", "lower_back_pain", "leg_numbness", "slurred_speech")
    rules = matching_rules(knowledge_base, evidence)
    assert [rule.triage for rule in rules][0] == "emergency_ambulance"
    found = escalation(knowledge_base, evidence)
    assert found.pattern == "stroke" and found.triage == "emergency_ambulance"
    assert found.patterns == ["stroke", "spinal_infection"]
    assert "stroke" in found.reason and "spine" in found.reason


def test_each_pattern_escalates_once_and_a_new_one_again(knowledge_base):
    evidence = present("face_droop")
    assert escalation(knowledge_base, evidence, escalated_patterns=["stroke"]) is None
    evidence["saddle_numbness"] = "present"
    found = escalation(knowledge_base, evidence, escalated_patterns=["stroke"])
    assert found.patterns == ["cauda_equina"] and found.triage == "emergency"


def test_matching_rules_accepts_a_plain_list_and_keeps_kb_order_within_a_level():
    def rule(rule_id, triage):
        return RedFlagRule(id=rule_id, pattern=rule_id, triage=triage, reason="r", any_of=[["xx"]], source="src")

    rules = [rule("aa", "emergency"), rule("bb", "emergency_ambulance"), rule("cc", "emergency")]
    assert [r.id for r in matching_rules(rules, present("xx"))] == ["bb", "aa", "cc"]
    assert matching_rules(rules, {"xx": "unknown"}) == []


def test_within_a_level_the_pattern_that_explains_more_is_named_first(knowledge_base):
    # a cold, pale, numb, weak leg that came on suddenly: limb ischaemia, although sudden weakness
    # alone completes a stroke rule at the same level
    evidence = present("cold_feet", "pale_or_blue_leg", "sudden_onset", "leg_numbness", "leg_weakness")
    found = escalation(knowledge_base, evidence)
    assert found.pattern == "limb_ischaemia" and found.triage == "emergency_ambulance"
    assert set(found.patterns) == {"limb_ischaemia", "stroke"}, "both are still told"
    assert escalation(knowledge_base, present("sudden_onset", "leg_weakness", "face_droop")).pattern == "stroke"


# ---- the turn: entities, answers, hedges and a reported emergency (bot/interview)
def decide(kb, evidence, turn, pending=None, escalated_patterns=()):
    state = InterviewState(evidence=evidence, pending=pending, escalated=tuple(escalated_patterns))
    found = escalate(RedFlags.from_kb(kb), state, turn)
    return found[1].escalation if found else None


def test_entities_of_the_latest_message_complete_a_rule(knowledge_base):
    turn = Turn(entities=[mention("leg_numbness", onset="sudden", laterality="left")])
    assert decide(knowledge_base, {}, turn).pattern == "stroke"


def test_negated_entities_do_not_escalate(knowledge_base):
    turn = Turn(entities=[mention("slurred_speech", negated=True), mention("face_droop", negated=True),
                          mention("toe_numbness")])
    assert decide(knowledge_base, {}, turn) is None


def test_a_hedged_red_flag_counts_for_escalation_but_stays_unknown_in_the_evidence(knowledge_base):
    turn = Turn(entities=[mention("face_droop", uncertain=True)])
    assert decide(knowledge_base, {}, turn).pattern == "stroke"
    assert fold({}, turn) == {"face_droop": "unknown"}


def test_an_earlier_unsure_answer_does_not_escalate_later(knowledge_base):
    """Only the hedges of the message being answered are promoted; a "not sure" button is no red flag."""
    gathered = {"face_droop": "unknown"}
    assert decide(knowledge_base, gathered, Turn(entities=[mention("toe_numbness")])) is None
    assert decide(knowledge_base, {}, Turn(answer="unknown"), pending="face_droop") is None


def test_yes_to_a_pending_red_flag_question_escalates(knowledge_base):
    turn = Turn(answer="present")
    assert decide(knowledge_base, present("lower_back_pain"), turn, pending="saddle_numbness").pattern == "cauda_equina"
    assert decide(knowledge_base, {}, Turn(answer="absent"), pending="saddle_numbness") is None


def test_evidence_gathered_earlier_completes_a_rule_with_the_latest_answer(knowledge_base):
    """The red flag revealed only in the fifth answer: the rule is completed across turns."""
    gathered = present("tingling", "both_sides", "leg_weakness")
    gathered["diabetes"] = "absent"
    found = decide(knowledge_base, gathered, Turn(answer="present"), pending="breathing_difficulty")
    assert found.pattern == "gbs_breathing" and found.triage == "emergency_ambulance"


def test_a_later_denial_corrects_an_earlier_mention(knowledge_base):
    turn = Turn(entities=[mention("face_droop", negated=True)])
    assert decide(knowledge_base, present("face_droop"), turn) is None


def test_a_reported_emergency_escalates_and_so_do_phrases_without_a_classifier(knowledge_base):
    assert decide(knowledge_base, {}, Turn(reported_emergency=True)).pattern == "self_reported"
    assert decide(knowledge_base, {}, Turn()) is None
    # the extractor's `self_reported_emergency` mention ("I'm having a stroke") escalates on its own
    turn = Turn(entities=[mention(SELF_REPORTED_EMERGENCY)])
    assert decide(knowledge_base, {}, turn).triage == "emergency_ambulance"


def test_described_symptoms_name_the_pattern_even_when_an_emergency_is_reported(knowledge_base):
    turn = Turn(entities=[mention("saddle_numbness"), mention("bladder_problems")], reported_emergency=True)
    found = decide(knowledge_base, {}, turn)
    assert found.pattern == "cauda_equina" and found.triage == "emergency"
    assert found.findings == ["saddle_numbness", "bladder_problems"], "what the escalation rests on"
    # once that pattern is told, "it's an emergency" escalates again as the person's own call
    again = decide(knowledge_base, {"saddle_numbness": "present"}, Turn(reported_emergency=True),
                   escalated_patterns=["cauda_equina"])
    assert again.pattern == "self_reported" and again.triage == "emergency_ambulance"


def test_red_flag_evidence_leaves_the_gathered_evidence_untouched(knowledge_base):
    gathered = present("leg_numbness")
    red_flag_evidence(gathered, Turn(entities=[mention("face_droop", uncertain=True)]))
    assert gathered == present("leg_numbness")


def test_the_likelier_condition_names_the_emergency(knowledge_base):
    """Neither pattern accounts for all the other's findings: the cause the ranking finds likelier is named."""
    from bot.triage.ranking import Ranker

    ranker = Ranker(knowledge_base)

    def named(*ids):
        evidence = present(*ids)
        rules = matching_rules(knowledge_base, evidence, likelihoods=ranker.likelihoods(evidence))
        return list(dict.fromkeys(rule.pattern for rule in rules))

    # a leg gone numb and cold all of a sudden: with heart disease, a clot in the leg; with a numb face, a stroke
    sudden_cold_numb_leg = ("sudden_onset", "one_sided", "leg_numbness", "cold_feet")
    assert named(*sudden_cold_numb_leg, "heart_disease") == ["limb_ischaemia", "stroke"]
    assert named(*sudden_cold_numb_leg, "face_numbness") == ["stroke", "limb_ischaemia"]


def test_pain_out_of_proportion_in_a_cast_is_compartment_syndrome(knowledge_base):
    assert patterns(knowledge_base, present("leg_fracture", "severe_leg_pain"))[0] == "compartment_syndrome"
