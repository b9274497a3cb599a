"""What a question tells apart, and the answer to "why are you asking?" worded from it (small hand-made KB)."""
from __future__ import annotations

from bot.interview.render import why_text
from bot.triage.engine import TriageEngine
from bot.triage.why import demographic_effects

ACHE = {"ache": "present"}


def moved(shifts):
    return [s.condition_id for s in shifts]


def test_a_question_names_the_causes_each_answer_would_make_likelier(small_kb):
    value = TriageEngine(small_kb).question_value(ACHE, "itch")
    assert moved(value.if_yes) == ["gamma"] and moved(value.if_no) == ["alpha"]
    assert value.if_yes[0].after > value.if_yes[0].now and value.gain > 0.1
    assert why_text(value) == ("I ask because your answer helps tell the possible causes apart: a yes would make "
                               "Gamma more likely; a no would make Alpha more likely.")


def test_a_yes_that_completes_an_urgent_cause_says_care_would_be_sooner(small_kb):
    value = TriageEngine(small_kb).question_value(ACHE, "palsy")
    assert moved(value.if_yes) == ["gamma", "beta"]
    assert (value.level_now, value.level_if_yes) == ("consultation", "emergency_ambulance")
    assert why_text(value) == ("I ask because your answer helps tell the possible causes apart: a yes would make "
                               "Gamma and Beta more likely. A yes would also mean you should get care sooner.")


def test_a_question_that_moves_little_says_so(small_kb):
    value = TriageEngine(small_kb).question_value(ACHE, "tired")
    assert value.if_yes == () and value.if_no == ()
    assert why_text(value) == ("I ask to make sure nothing is missed, although your answer would change the likely "
                               "causes only a little.")


def test_age_and_sex_name_the_causes_they_change(small_kb):
    conditions = TriageEngine(small_kb).ranker.conditions
    assert demographic_effects(conditions, "age") == ("gamma",)
    assert demographic_effects(conditions, "sex") == ("gamma",)
