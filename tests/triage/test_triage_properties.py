"""Properties that hold for any evidence, checked with hypothesis on the project's real KB."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.kb.schema import TRIAGE_LEVELS
from bot.triage.engine import TriageEngine
from bot.triage.levels import rank_of

CHOICES = st.sampled_from(["present", "absent", "unknown"])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def engine(knowledge_base):
    return TriageEngine(knowledge_base)


def evidence_strategy(kb):
    return st.dictionaries(st.sampled_from(sorted(s.id for s in kb.symptoms)), CHOICES, max_size=15)


def people():
    return st.tuples(st.one_of(st.none(), st.integers(0, 100)), st.sampled_from([None, "female", "male"]))


@SETTINGS
@given(data=st.data())
def test_probabilities_sum_to_one_and_the_assessment_is_well_formed(engine, data):
    evidence = data.draw(evidence_strategy(engine.kb))
    age, sex = data.draw(people())
    ranking = engine.rank(evidence, age, sex)
    assert sum(r.probability for r in ranking) == pytest.approx(1.0)
    assert all(0.0 <= r.probability <= 1.0 for r in ranking)
    assert len(ranking) == len(engine.kb.conditions)
    assessment = engine.assess(evidence, age, sex)
    assert assessment.triage in TRIAGE_LEVELS
    assert 1 <= len(assessment.conditions) <= 5
    assert assessment.conditions[0].id == ranking[0].id


@SETTINGS
@given(data=st.data())
def test_a_completed_red_flag_rule_is_never_under_triaged(engine, data):
    """A rule completed now and not ruled out by what the person said (its `unless`)."""
    rule = data.draw(st.sampled_from(engine.kb.red_flags))
    combination = data.draw(st.sampled_from(rule.any_of))
    said = {i: choice for i, choice in data.draw(evidence_strategy(engine.kb)).items() if rule.unless.get(i) != choice}
    evidence = {**said, **dict.fromkeys(combination, "present")}
    assert rank_of(engine.assess(evidence).triage) <= rank_of(rule.triage)


@SETTINGS
@given(data=st.data())
def test_the_next_question_is_new_deterministic_and_stops_at_max_questions(engine, data):
    evidence = data.draw(evidence_strategy(engine.kb))
    age, sex = data.draw(people())
    asked = data.draw(st.lists(st.sampled_from(sorted(s.id for s in engine.kb.symptoms)), max_size=6, unique=True))
    question = engine.next_question(evidence, age, sex, asked)
    assert question == engine.next_question(dict(reversed(list(evidence.items()))), age, sex, list(asked))
    if question is not None:
        assert question not in evidence and question not in asked
        assert question in {s.id for s in engine.kb.symptoms}
    full = [s.id for s in engine.kb.symptoms][: engine.max_questions]
    assert engine.next_question(evidence, age, sex, full) is None


@SETTINGS
@given(data=st.data())
def test_a_present_never_symptom_makes_its_condition_unlikely(small_kb, data):
    """On the hand-made KB: the project's KB has no 'never' symptom yet, and the property must hold when it does."""
    engine = TriageEngine(small_kb)
    with_never = [c for c in engine.kb.conditions if c.never]
    condition = data.draw(st.sampled_from(with_never))
    symptom_id = data.draw(st.sampled_from(condition.never))
    evidence = {**data.draw(evidence_strategy(engine.kb)), symptom_id: "present"}
    before = {r.id: r.probability for r in engine.rank({k: v for k, v in evidence.items() if k != symptom_id})}
    after = {r.id: r.probability for r in engine.rank(evidence)}
    assert after[condition.id] <= before[condition.id] + 1e-12
