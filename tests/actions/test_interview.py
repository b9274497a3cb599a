"""action_interview: every event it returns and what the person sees, compared whole (as RasaHQ's rasa-demo does)."""
from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.interview import ActionInterview
from tests.actions.conftest import make_tracker, symptom, user_event


def run(dispatcher, events, slots=None):
    return ActionInterview().run(dispatcher, make_tracker(events, slots), domain={})


def question_of(dispatcher):
    return [m["custom"]["question"] for m in dispatcher.messages if (m.get("custom") or {}).get("question")][-1]


def test_a_first_description_is_acknowledged_and_starts_the_age_and_sex_form(loaded_knowledge, dispatcher):
    events = run(dispatcher, [user_event("my left foot is numb, no back pain", "describe_symptoms",
                                         [symptom("foot_numbness", laterality="left"),
                                          symptom("lower_back_pain", negated=True)])])
    assert events == [
        SlotSet("evidence", {"foot_numbness": "present", "one_sided": "present", "lower_back_pain": "absent"}),
        SlotSet("onsets", {}),
        SlotSet("demographics_due", True),
        SlotSet("pending_question", None),
    ]
    [message] = dispatcher.messages  # the form asks the age, not the interview
    assert message["text"] == ("I understood that you have foot numbness and one-sided (unilateral) and you don't "
                               "have lower back pain.")


def test_age_and_sex_given_in_the_description_skip_the_form(loaded_knowledge, dispatcher):
    events = run(dispatcher, [user_event("I'm a 45 year old woman and my foot is numb", "describe_symptoms",
                                         [symptom("foot_numbness")])], {"age": "45", "sex": "female"})
    question = question_of(dispatcher)["id"]
    assert events == [
        SlotSet("evidence", {"foot_numbness": "present"}),
        SlotSet("onsets", {}),
        SlotSet("demographics_due", False),
        SlotSet("pending_question", question),
        SlotSet("asked", [question]),
    ]
    assert question_of(dispatcher)["type"] == "symptom"


def test_just_tell_me_during_the_form_assesses_without_age_and_sex(loaded_knowledge, dispatcher):
    events = run(dispatcher, [user_event("just tell me", "request_assessment")],
                 {"evidence": {"foot_numbness": "present"}, "requested_slot": "age"})
    [assessment] = [m["custom"]["assessment"] for m in dispatcher.messages if (m.get("custom") or {}).get("assessment")]
    assert events == [
        SlotSet("evidence", {"foot_numbness": "present"}),
        SlotSet("onsets", {}),
        SlotSet("age", "unspecified"),  # declined, so the form is not started again
        SlotSet("sex", "unspecified"),
        SlotSet("demographics_due", False),
        SlotSet("pending_question", None),
        SlotSet("last_conditions", [c["id"] for c in assessment["conditions"]]),
    ]


def test_yes_and_no_answer_the_pending_question(loaded_knowledge, dispatcher):
    slots = {"evidence": {"foot_numbness": "present"}, "age": "60", "sex": "male",
             "pending_question": "diabetes", "asked": ["diabetes"]}
    events = run(dispatcher, [user_event("yes", "affirm")], slots)
    next_question = question_of(dispatcher)
    assert events == [
        SlotSet("evidence", {"foot_numbness": "present", "diabetes": "present"}),
        SlotSet("onsets", {}),
        SlotSet("demographics_due", False),
        SlotSet("pending_question", next_question["id"]),
        SlotSet("asked", ["diabetes", next_question["id"]]),
    ]
    assert next_question["type"] == "symptom" and next_question["id"] not in {"diabetes", "foot_numbness"}
    assert [b["title"] for b in dispatcher.messages[-1]["buttons"]] == ["Yes", "No", "Not sure", "Why ask?"]
    assert len(dispatcher.messages) == 1, "an answer is not repeated back"

    events = run(dispatcher, [user_event("no", "deny")], {**slots, "pending_question": "smoking"})
    assert events[0] == SlotSet("evidence", {"foot_numbness": "present", "smoking": "absent"})


def test_when_a_symptom_began_is_kept_and_a_yes_with_a_time_dates_the_question(loaded_knowledge, dispatcher):
    slots = {"evidence": {"foot_numbness": "present"}, "onsets": {"foot_numbness": 8766.0}, "age": "60",
             "sex": "male", "pending_question": "vision_loss", "asked": ["vision_loss"]}
    events = run(dispatcher, [user_event("yes, but that was years ago", "affirm",
                                         [{"entity": "time", "value": "years ago", "since_hours": 17532.0}])], slots)
    assert events[:2] == [SlotSet("evidence", {"foot_numbness": "present", "vision_loss": "present"}),
                          SlotSet("onsets", {"foot_numbness": 8766.0, "vision_loss": 17532.0})]


def test_a_correction_in_free_text_overrides_an_earlier_answer(loaded_knowledge, dispatcher):
    slots = {"evidence": {"foot_numbness": "present", "lower_back_pain": "absent"}, "age": "40", "sex": "female",
             "pending_question": "fever", "asked": ["lower_back_pain", "fever"]}
    events = run(dispatcher, [user_event("actually my lower back does hurt", "describe_symptoms",
                                         [symptom("lower_back_pain")])], slots)
    assert events[0] == SlotSet("evidence", {"foot_numbness": "present", "lower_back_pain": "present"})
    assert dispatcher.messages[0]["text"] == "I understood that you have lower back pain."


def test_symptoms_said_while_another_action_answered_are_not_lost(loaded_knowledge, dispatcher):
    """A question about a condition with a symptom in it is answered by action_condition_info; the
    interview folds the symptom in when it runs next."""
    history = [user_event("what is MS? my feet tingle too", "ask_condition", [symptom("tingling")]),
               {"event": "action", "name": "action_condition_info"},
               user_event("yes", "affirm")]
    slots = {"evidence": {"foot_numbness": "present"}, "age": "40", "sex": "female",
             "pending_question": "worse_at_night", "asked": ["worse_at_night"]}
    events = run(dispatcher, history, slots)
    assert events[0] == SlotSet("evidence", {"foot_numbness": "present", "tingling": "present",
                                             "worse_at_night": "present"})


def test_just_tell_me_gives_the_assessment_contract(loaded_knowledge, dispatcher, knowledge_base):
    slots = {"evidence": {"foot_numbness": "present", "burning_pain": "present", "diabetes": "present",
                          "both_sides": "present"}, "age": "64", "sex": "female", "asked": []}
    events = run(dispatcher, [user_event("just tell me", "request_assessment")], slots)
    [message] = dispatcher.messages
    assessment = message["custom"]["assessment"]
    assert events == [SlotSet("evidence", slots["evidence"]), SlotSet("onsets", {}), SlotSet("demographics_due", False),
                      SlotSet("pending_question", None),
                      SlotSet("last_conditions", [c["id"] for c in assessment["conditions"]])]
    assert set(assessment) == {"version", "triage", "triage_label", "conditions", "evidence", "explanation",
                               "advice", "kb_version"}
    assert assessment["conditions"][0]["id"] == "diabetic_neuropathy"
    assert all(0 < c["probability"] < 1 for c in assessment["conditions"]), "never certain, never ruled out"
    diabetes = {"id": "diabetes", "name": knowledge_base.symptom("diabetes").name, "choice": "present"}
    assert diabetes in assessment["evidence"]
    assert "not a diagnosis" in message["text"] and assessment["triage_label"] in message["text"]
    assert [b["title"] for b in message["buttons"]][-1] == "Start over"


def test_without_any_symptom_it_asks_the_person_to_describe_them(loaded_knowledge, dispatcher):
    events = run(dispatcher, [user_event("hmm", "describe_symptoms")])
    assert events == [SlotSet("evidence", {}), SlotSet("onsets", {}), SlotSet("demographics_due", False),
                      SlotSet("pending_question", None)]
    assert "in your own words" in dispatcher.messages[-1]["text"]


def test_a_dead_database_gets_a_clear_answer_with_emergency_advice(dead_knowledge, dispatcher):
    events = run(dispatcher, [user_event("my foot is numb", "describe_symptoms", [symptom("foot_numbness")])])
    assert events == []
    assert "emergency" in dispatcher.messages[-1]["text"]


def test_why_ask_says_what_the_answer_tells_apart_then_asks_the_same_question_again(loaded_knowledge, dispatcher):
    slots = {"evidence": {"foot_numbness": "present"}, "age": "60", "sex": "male",
             "pending_question": "diabetes", "asked": ["diabetes"]}
    events = run(dispatcher, [user_event("why do you ask?", "ask_why")], slots)
    assert events == [
        SlotSet("evidence", {"foot_numbness": "present"}),
        SlotSet("onsets", {}),
        SlotSet("demographics_due", False),
        SlotSet("pending_question", "diabetes"),
    ]
    why, question = dispatcher.messages
    assert why["text"] == (
        "I ask because your answer helps tell the possible causes apart: a yes would make Diabetic peripheral "
        "neuropathy more likely; a no would make Temporary nerve compression from posture or tight clothing more "
        "likely.")
    assert not why.get("buttons") and not why.get("custom")
    assert question["text"] == "Do you have diabetes or high blood sugar?"
    assert question["custom"]["question"]["id"] == "diabetes"
    assert [b["title"] for b in question["buttons"]] == ["Yes", "No", "Not sure", "Why ask?"]


def test_why_while_the_age_is_asked_names_the_causes_age_changes(loaded_knowledge, dispatcher):
    events = run(dispatcher, [user_event("why does that matter", "ask_why")],
                 {"evidence": {"foot_numbness": "present"}, "requested_slot": "age"})
    assert events == [
        SlotSet("evidence", {"foot_numbness": "present"}),
        SlotSet("onsets", {}),
        SlotSet("demographics_due", True),  # the form asks the age again
        SlotSet("pending_question", None),
    ]
    [why] = dispatcher.messages
    assert why["text"].startswith("I ask because your age changes how likely some causes are, for example "
                                  "Peripheral arterial disease (PAD)")


def test_why_with_no_question_pending_says_so(loaded_knowledge, dispatcher):
    events = run(dispatcher, [user_event("why?", "ask_why")])
    assert events == [SlotSet("evidence", {}), SlotSet("onsets", {}), SlotSet("demographics_due", False),
                      SlotSet("pending_question", None)]
    assert [m["text"] for m in dispatcher.messages] == [
        "I haven't asked you a question just now. Tell me what you feel, ask me about one of the causes, or say "
        "\"start over\"."]
