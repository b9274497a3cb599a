"""The engine's mechanics on small hand-made knowledge bases (triage_kb_fixtures.py)."""
from __future__ import annotations

import math

import pytest

from bot.kb.schema import TRIAGE_LEVELS
from bot.triage.engine import TriageEngine
from bot.triage.red_flags import matching_rules
from tests.triage.triage_kb_fixtures import build_kb, condition


def probability(engine: TriageEngine, condition_id: str, evidence: dict, age=None, sex=None) -> float:
    return {r.id: r.probability for r in engine.rank(evidence, age, sex)}[condition_id]


# ---------------------------------------------------------------------- ranking
def test_with_no_evidence_the_ranking_follows_the_rarity_priors(small_kb):
    ranking = TriageEngine(small_kb).rank({})
    assert [r.id for r in ranking] == ["alpha", "gamma", "beta"]  # common, uncommon, rare
    assert sum(r.probability for r in ranking) == pytest.approx(1.0)


def test_a_present_never_symptom_drops_its_condition_to_near_zero(small_kb):
    engine = TriageEngine(small_kb)
    before = probability(engine, "alpha", {"ache": "present"})
    after = probability(engine, "alpha", {"ache": "present", "palsy": "present"})
    assert before > 0.5
    assert after < 0.01


def test_a_required_symptom_raises_its_condition_and_its_absence_drops_it(small_kb):
    engine = TriageEngine(small_kb)
    base = {"cramp": "present"}
    assert probability(engine, "beta", {**base, "weak": "present"}) > probability(engine, "beta", base)
    assert probability(engine, "beta", {**base, "weak": "absent"}) < 0.001


def test_unknown_answers_and_unknown_ids_change_nothing(small_kb):
    engine = TriageEngine(small_kb)
    plain = engine.rank({"ache": "present"})
    noisy = engine.rank({"ache": "present", "cramp": "unknown", "not_in_the_kb": "present"})
    assert [(r.id, pytest.approx(r.probability)) for r in plain] == [(r.id, r.probability) for r in noisy]


def test_age_outside_the_typical_range_and_sex_modify_the_ranking(small_kb):
    engine = TriageEngine(small_kb)
    evidence = {"itch": "present"}
    in_range = probability(engine, "gamma", evidence, age=30)
    assert probability(engine, "gamma", evidence, age=70) < in_range
    assert probability(engine, "gamma", evidence, age=30, sex="female") > in_range
    assert probability(engine, "gamma", evidence, age=30, sex="male") == pytest.approx(in_range)


def test_an_unlisted_symptom_uses_the_default_probability():
    kb = build_kb([condition("aa", {"xx": 0.5, "yy": 0.5}), condition("bb", {"xx": 0.5, "zz": 0.9})], default=0.05)
    engine = TriageEngine(kb)
    # "zz" present: b lists it at 0.9, a does not list it (default 0.05), priors equal.
    assert probability(engine, "bb", {"zz": "present"}) > 0.9


# ---------------------------------------------------------------------- triage level
@pytest.mark.parametrize("urgent", TRIAGE_LEVELS[:-1])
def test_the_more_urgent_level_is_told_when_two_are_equally_supported(urgent):
    kb = build_kb([
        condition("urgent_one", {"xx": 0.5, "yy": 0.5}, urgency=urgent),
        condition("calm_one", {"xx": 0.5, "yy": 0.5}, urgency="self_care"),
    ])
    engine = TriageEngine(kb)
    assert probability(engine, "urgent_one", {"xx": "present"}) == pytest.approx(0.5)
    assert engine.assess({"xx": "present"}).triage == urgent


def test_a_likely_calm_cause_is_not_escalated_by_a_very_unlikely_urgent_one():
    kb = build_kb([
        condition("urgent_one", {"xx": 0.02, "yy": 0.9}, urgency="emergency_ambulance", rarity="rare"),
        condition("calm_one", {"xx": 0.9, "yy": 0.05}, urgency="self_care"),
    ])
    assert TriageEngine(kb).assess({"xx": "present", "yy": "absent"}).triage == "self_care"


def test_a_completed_red_flag_rule_is_never_under_triaged(small_kb):
    engine = TriageEngine(small_kb)
    evidence = {"ache": "present", "itch": "present", "palsy": "present", "weak": "present"}
    assert engine.assess(evidence).triage == "emergency_ambulance"


# ---------------------------------------------------------------------- questions
def _entropy(values) -> float:
    return -sum(p * math.log2(p) for p in values if p > 0)


def _brute_force_score(engine: TriageEngine, evidence: dict, symptom_id: str) -> float:
    """The question's score recomputed from whole re-rankings, without the engine's question code."""
    def z(ev):
        return sum(math.exp(s) for s in engine.ranker.log_scores(ev))

    def level_entropy(ranking):
        urgency = {c.id: c.urgency for c in engine.kb.conditions}
        return _entropy([sum(r.probability for r in ranking if urgency[r.id] == lvl) for lvl in TRIAGE_LEVELS])

    now = engine.rank(evidence)
    yes_ev, no_ev = {**evidence, symptom_id: "present"}, {**evidence, symptom_id: "absent"}
    p_yes = z(yes_ev) / z(evidence)
    yes, no = engine.rank(yes_ev), engine.rank(no_ev)

    def gain(h):
        return h(now) - p_yes * h(yes) - (1 - p_yes) * h(no)

    before = {r.id for r in matching_rules(engine.kb, evidence)}
    completes_a_rule = {r.id for r in matching_rules(engine.kb, yes_ev)} - before
    plausible = p_yes >= engine.min_escalation_probability
    bonus = engine.red_flag_weight * p_yes if completes_a_rule and plausible else 0.0
    return gain(lambda r: _entropy(c.probability for c in r)) + engine.level_weight * gain(level_entropy) + bonus


@pytest.mark.parametrize(
    "evidence", [{}, {"ache": "present"}, {"cramp": "present", "ache": "absent"}, {"palsy": "present"}]
)
def test_the_question_asked_is_the_one_with_the_highest_gain(small_kb, evidence):
    engine = TriageEngine(small_kb, min_gain=0.0)
    decision = engine.decide(evidence)
    open_ids = [s.id for s in small_kb.symptoms if s.id not in evidence]
    brute = {s: _brute_force_score(engine, evidence, s) for s in open_ids}
    for candidate in decision.candidates:
        assert candidate.score == pytest.approx(brute[candidate.id], abs=1e-9)
    best = max(brute.values())
    assert decision.question is not None
    assert brute[decision.question] == pytest.approx(best, abs=1e-9)


def test_a_question_already_asked_or_answered_is_not_asked_again(small_kb):
    engine = TriageEngine(small_kb, min_gain=0.0)
    first = engine.next_question({})
    second = engine.next_question({}, asked=[first])
    third = engine.next_question({second: "unknown"}, asked=[first])
    assert len({first, second, third}) == 3


def test_red_flag_questions_come_early_while_an_urgent_cause_is_plausible():
    kb = build_kb([
        condition("calm_a", {"tired": 0.9, "itch": 0.1, "drool": 0.02}, urgency="consultation"),
        condition("calm_b", {"tired": 0.1, "itch": 0.9, "drool": 0.02}, urgency="consultation"),
        condition("urgent", {"tired": 0.5, "itch": 0.5, "drool": 0.9}, urgency="emergency_ambulance", rarity="rare"),
    ])
    calm_only = TriageEngine(kb, level_weight=0.0, red_flag_weight=0.0).next_question({})
    safety_first = TriageEngine(kb).next_question({})
    assert calm_only in {"tired", "itch"}
    assert safety_first == "drool"


def test_the_same_state_always_gives_the_same_question(small_kb):
    engine = TriageEngine(small_kb)
    evidence = {"tired": "present", "ache": "absent"}
    reordered = dict(reversed(list(evidence.items())))
    answers = {engine.next_question(evidence, 35, "female", ["itch"]) for _ in range(5)}
    answers.add(TriageEngine(small_kb).next_question(reordered, 35, "female", ["itch"]))
    assert len(answers) == 1


def test_ties_between_equally_good_questions_are_broken_by_id():
    kb = build_kb([
        condition("aa", {"b_sym": 0.9, "a_sym": 0.9}),
        condition("bb", {"b_sym": 0.1, "a_sym": 0.1}, urgency="self_care"),
    ])
    assert TriageEngine(kb).next_question({}) == "a_sym"


def test_the_interview_stops_after_max_questions(small_kb):
    engine = TriageEngine(small_kb, max_questions=2, min_gain=0.0)
    assert engine.next_question({}, asked=["ache", "cramp"]) is None
    assert engine.decide({}, asked=["ache", "cramp"]).reason == "max_questions"


def test_an_interview_answered_no_throughout_ends_within_max_questions(small_kb):
    engine = TriageEngine(small_kb, max_questions=3, min_gain=0.0)
    evidence, asked = {}, []
    while (question := engine.next_question(evidence, asked=asked)) is not None:
        asked.append(question)
        evidence[question] = "absent"
        assert len(asked) <= 3


def test_the_interview_stops_when_the_leading_cause_is_clear():
    kb = build_kb([
        condition("aa", {"xx": 0.95, "yy": 0.5, "zz": 0.5}),
        condition("bb", {"xx": 0.05, "yy": 0.5, "zz": 0.6}),
    ])
    engine = TriageEngine(kb, min_questions=0)
    decision = engine.decide({"xx": "present"})
    assert decision.question is None
    assert decision.reason in {"clear", "settled", "no_gain"}


def test_a_few_questions_are_asked_before_stopping_however_clear_the_ranking_looks():
    kb = build_kb([
        condition("aa", {"xx": 0.95, "yy": 0.5, "zz": 0.5}),
        condition("bb", {"xx": 0.05, "yy": 0.5, "zz": 0.9}),
    ])
    engine = TriageEngine(kb, min_questions=1)
    assert engine.next_question({"xx": "present"}) == "zz"
    assert engine.next_question({"xx": "present", "zz": "absent"}, asked=["zz"]) is None


def test_an_unlikely_answer_that_would_escalate_keeps_the_interview_going():
    kb = build_kb([
        condition("calm", {"xx": 0.9, "red": 0.01}, urgency="self_care", rarity="very_common"),
        condition("urgent", {"xx": 0.9, "red": 0.95}, urgency="emergency", rarity="very_rare"),
    ])
    careful = TriageEngine(kb, min_questions=0, screen_probability=1.0, min_escalation_probability=0.01)
    careless = TriageEngine(kb, min_questions=0, screen_probability=1.0, min_escalation_probability=0.05)
    assert careful.next_question({"xx": "present"}) == "red"
    assert careless.next_question({"xx": "present"}) is None


def test_a_question_that_cannot_change_anything_is_not_asked():
    kb = build_kb([condition("aa", {"xx": 0.5, "yy": 0.5}), condition("bb", {"xx": 0.5, "yy": 0.5})])
    assert TriageEngine(kb).next_question({}) is None


# ---------------------------------------------------------------------- assessment
def test_the_assessment_matches_the_custom_assessment_contract(small_kb):
    assessment = TriageEngine(small_kb).assess({"ache": "present", "cramp": "absent", "tired": "unknown"}, 30, "male")
    data = assessment.to_dict()
    assert set(data) == {"triage", "conditions", "evidence", "advice", "kb_version"}
    assert data["triage"] in TRIAGE_LEVELS
    assert data["advice"] == f"advice for {data['triage']}"
    assert data["kb_version"] == "test-1"
    assert 1 <= len(data["conditions"]) <= 5
    assert all(set(c) == {"id", "name", "probability", "supporting", "conflicting"} for c in data["conditions"])
    assert data["conditions"][0]["id"] == "alpha"
    assert [c["probability"] for c in data["conditions"]] == sorted((c["probability"] for c in data["conditions"]),
                                                                     reverse=True)
    assert data["evidence"] == [
        {"id": "ache", "name": "Ache", "choice": "present"},
        {"id": "cramp", "name": "Cramp", "choice": "absent"},
        {"id": "tired", "name": "Tired", "choice": "unknown"},
    ]


def test_the_explanation_names_the_answers_that_support_the_leading_cause(small_kb):
    assessment = TriageEngine(small_kb).assess({"ache": "present", "itch": "absent", "tired": "unknown"})
    assert assessment.conditions[0].id == "alpha"
    assert set(assessment.explanation) == {"you mentioned ache", "you said you do not have itch"}
    assert not any("tired" in reason for reason in assessment.explanation)


def test_at_most_five_conditions_are_listed():
    kb = build_kb([condition(f"c{i}", {"xx": 0.5, "yy": 0.1 * (i % 9 + 1)}) for i in range(8)])
    assert len(TriageEngine(kb, min_listed_probability=0.0).assess({}).conditions) == 5


def test_a_finding_that_needs_a_doctor_makes_a_self_care_cause_a_visit_unless_it_has_gone():
    kb = build_kb([condition("pinched", {"foot_drop": 0.8, "tingling": 0.5}, urgency="self_care"),
                   condition("other", {"foot_drop": 0.05, "tingling": 0.5}, urgency="self_care")],
                  symptom_ids=["foot_drop", "tingling", "symptoms_resolved"], see_a_doctor_with=["foot_drop"])
    engine = TriageEngine(kb)
    assert engine.triage({"tingling": "present"}) == "self_care"
    assert engine.triage({"foot_drop": "present", "tingling": "present"}) == "consultation"
    assert engine.triage({"foot_drop": "present", "symptoms_resolved": "present"}) == "self_care"


def test_a_question_whose_yes_would_complete_a_red_flag_rule_comes_first_while_that_yes_is_likely():
    rule = {"id": "xx_red", "pattern": "test", "triage": "emergency", "reason": "test",
            "any_of": [["xx", "red"]], "source": "test_source"}
    kb = build_kb([
        condition("calm_a", {"xx": 0.5, "split": 0.7, "red": 0.3}),
        condition("calm_b", {"xx": 0.5, "split": 0.3, "red": 0.3}),
    ], red_flags=[rule])
    assert TriageEngine(kb, red_flag_weight=0.0).next_question({"xx": "present"}) == "split"
    assert TriageEngine(kb).next_question({"xx": "present"}) == "red"
    assert TriageEngine(kb).next_question({}) == "split"  # "red" alone completes nothing


def test_before_stopping_an_unlikely_urgent_cause_gets_its_telltale_question():
    kb = build_kb([
        condition("calm", {"xx": 0.9, "yy": 0.5, "pain": 0.03}, urgency="self_care", rarity="very_common"),
        condition("other", {"xx": 0.2, "yy": 0.5, "pain": 0.03}, urgency="consultation"),
        condition("urgent", {"xx": 0.5, "yy": 0.5, "pain": 0.9}, urgency="emergency", rarity="very_rare"),
    ])
    screening = TriageEngine(kb, min_questions=0, screen_probability=0.001)
    trusting = TriageEngine(kb, min_questions=0, screen_probability=1.0)
    evidence = {"xx": "present", "yy": "present"}
    assert trusting.next_question(evidence) is None
    decision = screening.decide(evidence)
    assert (decision.question, decision.reason) == ("pain", "screen")
    assert screening.next_question({**evidence, "pain": "absent"}, asked=["pain"]) is None
