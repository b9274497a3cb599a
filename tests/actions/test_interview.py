"""action_interview: evidence, demographics, questions and the assessment, as the person sees them."""
from __future__ import annotations

from actions.interview import ActionInterview
from tests.actions.conftest import make_tracker, symptom, user_event


def run(dispatcher, events, slots=None):
    return ActionInterview().run(dispatcher, make_tracker(events, slots), domain={})


def slot_values(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def question_of(dispatcher):
    return [m["custom"]["question"] for m in dispatcher.messages if (m.get("custom") or {}).get("question")][-1]


def test_a_first_description_is_acknowledged_and_starts_the_age_and_sex_form(loaded_knowledge, dispatcher):
    events = run(dispatcher, [user_event("my left foot is numb, no back pain", "describe_symptoms",
                                         [symptom("foot_numbness", laterality="left"),
                                          symptom("lower_back_pain", negated=True)])])
    evidence = slot_values(events)["evidence"]
    assert evidence["foot_numbness"] == "present"
    assert evidence["one_sided"] == "present"
    assert evidence["lower_back_pain"] == "absent"
    assert "foot numbness" in dispatcher.messages[0]["text"].lower()
    assert slot_values(events)["demographics_due"] is True
    assert len(dispatcher.messages) == 1, "the form asks the age, not the interview"


def test_age_and_sex_given_in_the_description_skip_the_form(loaded_knowledge, dispatcher):
    events = run(dispatcher, [user_event("I'm a 45 year old woman and my foot is numb", "describe_symptoms",
                                         [symptom("foot_numbness")])], {"age": "45", "sex": "female"})
    assert slot_values(events)["demographics_due"] is False
    assert question_of(dispatcher)["type"] == "symptom"


def test_just_tell_me_during_the_form_assesses_without_age_and_sex(loaded_knowledge, dispatcher):
    events = run(dispatcher, [user_event("just tell me", "request_assessment")],
                 {"evidence": {"foot_numbness": "present"}, "requested_slot": "age"})
    slots = slot_values(events)
    assert slots["demographics_due"] is False
    assert slots["age"] == slots["sex"] == "unspecified", "declined, so the form is not started again"
    assert [m for m in dispatcher.messages if (m.get("custom") or {}).get("assessment")]


def test_yes_and_no_answer_the_pending_question(loaded_knowledge, dispatcher):
    slots = {"evidence": {"foot_numbness": "present"}, "age": "60", "sex": "male",
             "pending_question": "diabetes", "asked": ["diabetes"]}
    events = run(dispatcher, [user_event("yes", "affirm")], slots)
    assert slot_values(events)["evidence"]["diabetes"] == "present"
    next_question = question_of(dispatcher)
    assert next_question["type"] == "symptom" and next_question["id"] not in {"diabetes", "foot_numbness"}
    assert [b["title"] for b in dispatcher.messages[-1]["buttons"]] == ["Yes", "No", "Not sure"]

    events = run(dispatcher, [user_event("no", "deny")], {**slots, "pending_question": "smoking"})
    assert slot_values(events)["evidence"]["smoking"] == "absent"


def test_a_correction_in_free_text_overrides_an_earlier_answer(loaded_knowledge, dispatcher):
    slots = {"evidence": {"foot_numbness": "present", "lower_back_pain": "absent"}, "age": "40", "sex": "female",
             "pending_question": "fever", "asked": ["lower_back_pain", "fever"]}
    events = run(dispatcher, [user_event("actually my lower back does hurt", "describe_symptoms",
                                         [symptom("lower_back_pain")])], slots)
    assert slot_values(events)["evidence"]["lower_back_pain"] == "present"


def test_just_tell_me_gives_the_assessment_contract(loaded_knowledge, dispatcher, knowledge_base):
    slots = {"evidence": {"foot_numbness": "present", "burning_pain": "present", "diabetes": "present",
                          "both_sides": "present"}, "age": "64", "sex": "female", "asked": []}
    events = run(dispatcher, [user_event("just tell me", "request_assessment")], slots)
    [assessment] = [m["custom"]["assessment"] for m in dispatcher.messages if (m.get("custom") or {}).get("assessment")]
    assert set(assessment) >= {"triage", "conditions", "evidence", "advice", "kb_version"}
    assert assessment["conditions"][0]["id"] == "diabetic_neuropathy"
    diabetes = {"id": "diabetes", "name": knowledge_base.symptom("diabetes").name, "choice": "present"}
    assert diabetes in assessment["evidence"]
    assert slot_values(events)["last_conditions"][0] == "diabetic_neuropathy"
    assert "not a diagnosis" in dispatcher.messages[-1]["text"]


def test_without_any_symptom_it_asks_the_person_to_describe_them(loaded_knowledge, dispatcher):
    run(dispatcher, [user_event("hmm", "describe_symptoms")])
    assert "in your own words" in dispatcher.messages[-1]["text"]


def test_a_dead_database_gets_a_clear_answer_with_emergency_advice(dead_knowledge, dispatcher):
    events = run(dispatcher, [user_event("my foot is numb", "describe_symptoms", [symptom("foot_numbness")])])
    assert events == []
    assert "emergency" in dispatcher.messages[-1]["text"]
