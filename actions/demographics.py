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

from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.speaking import say
from bot.interview.demographics import UNSPECIFIED, declines, valid_age, valid_sex
from bot.interview.render import ask_age, ask_sex

FORM = "demographics_form"


class ValidateDemographicsForm(FormValidationAction):
    def name(self) -> str:
        return f"validate_{FORM}"

    def extract_age(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _refusal_for(tracker, "age")

    def extract_sex(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _refusal_for(tracker, "sex")

    def validate_age(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> dict[str, Any]:
        return {"age": valid_age(value)}

    def validate_sex(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> dict[str, Any]:
        return {"sex": valid_sex(value)}


def _refusal_for(tracker: Tracker, slot: str) -> dict[str, Any]:
    """`unspecified` when the person declines the question being asked, in words."""
    if tracker.get_slot("requested_slot") != slot or tracker.get_slot(slot) is not None:
        return {}
    return {slot: UNSPECIFIED} if declines(tracker.latest_message.get("text") or "") else {}


class ActionAskAge(Action):
    """The age question, with a hint when the previous answer was not an age."""

    def name(self) -> str:
        return "action_ask_age"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        say(dispatcher, [ask_age(retry=last_question_id(tracker) == "age")])
        return []


class ActionAskSex(Action):
    def name(self) -> str:
        return "action_ask_sex"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        say(dispatcher, [ask_sex()])
        return []


def last_question_id(tracker: Tracker) -> Optional[str]:
    """The id in `custom.question` of the assistant's latest question, if its latest message asked one."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            custom = (event.get("data") or {}).get("custom") or {}
            return (custom.get("question") or {}).get("id")
    return None
