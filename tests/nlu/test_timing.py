"""When and whether: the extractor dates what people say, and tells a question from a report."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.nlu.durations import DAY, YEAR, hours_since
from bot.triage.evidence import evidence_from_entities

WEDNESDAY = datetime(2026, 12, 2, 12, 0)


def since(finder, text, symptom_id):
    return next(e.get("since_hours") for e in finder.extract(text) if e.get("value") == symptom_id)


@pytest.mark.parametrize("normal, hours", [
    ("3 days", 3 * DAY), ("2-3 weeks ago", 14 * DAY), ("since yesterday", DAY), ("years", 2 * YEAR),
    ("since childhood", 20 * YEAR), ("since saturday", 4 * DAY), ("on friday", 5 * DAY),
    ("since wednesday", 12.0), ("in march", 9 * 730.0), ("since the accident", None),
    ("in spring", 7 * 730.0), ("in winter", 2 * 168.0),
])
def test_normal_forms_become_hours_on_a_wednesday_in_december(normal, hours):
    assert hours_since(normal, WEDNESDAY) == hours


def test_a_duration_dates_its_symptom(finder):
    assert since(finder, "my left foot has been numb for 3 days", "foot_numbness") == 3 * DAY
    assert since(finder, "I broke my ankle 10 years ago", "leg_fracture") == 10 * YEAR


def test_the_more_recent_of_two_times_counts(finder):
    text = "I had a stroke two years ago, and an hour ago my right leg suddenly went numb"
    assert since(finder, text, "leg_numbness") == 1.0


def test_a_when_outweighs_a_for_how_long_in_its_sentence(finder):
    text = "On Sunday (4 days ago) my left leg went numb and my arm was weak for about 20 minutes"
    assert since(finder, text, "arm_weakness") == 4 * DAY, "4 days ago (more precise than Sunday), not 20 minutes"
    assert since(finder, "On Sunday my arm was weak for about 20 minutes", "arm_weakness") == hours_since("on sunday")


def test_used_to_and_as_a_child_are_long_ago(finder):
    assert since(finder, "my ankles used to be weak", "leg_weakness") >= YEAR
    assert since(finder, "as a child I broke my leg", "leg_fracture") >= YEAR


def test_always_is_long_ago_and_a_season_is_a_time(finder):
    assert since(finder, "my right leg has always been weak", "leg_weakness") >= YEAR
    [fall] = [e for e in finder.extract("I fell in the garden in the spring") if e.get("value") == "recent_injury"]
    assert fall["duration"] == "in spring", "dated as the last spring (its hours depend on today)"


def test_a_time_said_alone_comes_back_as_a_time_entity(finder):
    [time] = [e for e in finder.extract("yes, but that was back in March") if e["entity"] == "time"]
    assert time["since_hours"] > 14 * DAY


@pytest.mark.parametrize("text", [
    "what are the signs of a stroke?",
    "can diabetes cause this?",
    "when should I call an ambulance for numbness?",
    "could this be another stroke?",
    "could this be another stroke",
    "should I worry about diabetes",
])
def test_what_a_person_asks_about_is_no_evidence(finder, text):
    evidence = evidence_from_entities(finder.extract(text))
    assert "self_reported_emergency" not in evidence and "diabetes" not in evidence


def test_a_question_typed_without_its_question_mark_asks_about_a_fall_it_never_had(finder):
    evidence = evidence_from_entities(finder.extract("my left foot is numb. am I falling to bits at 27"))
    assert evidence.get("foot_numbness") == "present" and "recent_injury" not in evidence


def test_a_sentence_opened_by_when_reports(finder):
    assert evidence_from_entities(finder.extract("when I stand up my left leg goes numb")).get("leg_numbness") == \
        "present"


def test_a_symptom_said_of_someones_body_inside_a_question_is_still_reported(finder):
    assert evidence_from_entities(finder.extract("should I be worried that my toes are tingly?")) == \
        {"tingling": "present"}


def test_an_emergency_asked_about_as_happening_now_is_uncertain_not_hypothetical(finder):
    [report] = [e for e in finder.extract("is he having a stroke?") if e.get("value") == "self_reported_emergency"]
    assert report["uncertain"] and not report["hypothetical"]
