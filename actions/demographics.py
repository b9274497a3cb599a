"""The age-and-sex form (`demographics_form` in domain.yml): its questions and its validation.

The interview activates the form once the person has described a symptom (slot
`demographics_due`). Age and sex fill from the extractor's `age` and `sex` entities whenever the
person states them ("I'm forty-five", "45 yo", "F"), so a form that already has both asks
nothing; the buttons send the same entities. Refusals ("I'd rather not say") fill `unspecified`,
and the engine then works without that modifier. Anything else said meanwhile - new symptoms,
a question about a condition, a FAQ - is handled by the rules in data/rules.yml and the form
asks again; the interview folds those symptoms into the evidence when it resumes.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import messages

FORM = "demographics_form"
UNSPECIFIED = "unspecified"
SEXES = ("female", "male", UNSPECIFIED)
REFUSAL = re.compile(
    r"\b(prefer not|rather not|not (?:telling|saying|say)|won'?t say|don'?t want to say|skip|private|"
    r"none of your business|no comment)\b",
    re.IGNORECASE,
)


def parse_age(value: Any) -> Optional[float]:
    """An age in years between 0 and 120, or None (also for `unspecified`)."""
    if value is None or value == UNSPECIFIED:
        return None
    try:
        age = float(value)
    except (TypeError, ValueError):
        return None
    return age if 0 <= age <= 120 else None


def valid_age(value: Any) -> Optional[str]:
    if value == UNSPECIFIED:
        return UNSPECIFIED
    age = parse_age(value)
    return None if age is None else f"{age:g}"


def valid_sex(value: Any) -> Optional[str]:
    return value if value in SEXES else None


def demographics_known(tracker: Tracker) -> bool:
    return valid_age(tracker.get_slot("age")) is not None and valid_sex(tracker.get_slot("sex")) is not None


class ValidateDemographicsForm(FormValidationAction):
    def name(self) -> Text:
        return f"validate_{FORM}"

    def extract_age(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return _refusal_for(tracker, "age")

    def extract_sex(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return _refusal_for(tracker, "sex")

    def validate_age(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> Dict[Text, Any]:
        return {"age": valid_age(value)}

    def validate_sex(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> Dict[Text, Any]:
        return {"sex": valid_sex(value)}


def _refusal_for(tracker: Tracker, slot: str) -> Dict[Text, Any]:
    """`unspecified` when the person declines the question being asked, in words."""
    if tracker.get_slot("requested_slot") != slot or tracker.get_slot(slot) is not None:
        return {}
    text = tracker.latest_message.get("text") or ""
    return {slot: UNSPECIFIED} if REFUSAL.search(text) else {}


class ActionAskAge(Action):
    """The age question, with a hint when the previous answer was not an age."""

    def name(self) -> Text:
        return "action_ask_age"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        dispatcher.utter_message(**messages.age_question(retry=last_question_id(tracker) == "age"))
        return []


class ActionAskSex(Action):
    def name(self) -> Text:
        return "action_ask_sex"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        dispatcher.utter_message(**messages.sex_question())
        return []


def last_question_id(tracker: Tracker) -> Optional[str]:
    """The id in `custom.question` of the assistant's latest question, if its latest message asked one."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            custom = (event.get("data") or {}).get("custom") or {}
            return (custom.get("question") or {}).get("id")
    return None
