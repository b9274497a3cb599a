"""What the person sees: text, buttons and the design's `custom` JSON contracts."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping

from bot.kb.schema import KnowledgeBase
from bot.serving.notice import UNAVAILABLE
from bot.triage.evidence import ABSENT, PRESENT

ANSWER_BUTTONS = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/unsure"},
]
AGE_QUESTION = "How old are you? Please type your age in years."
AGE_RETRY = "Sorry, I need your age as a number of years, for example 45."
SEX_QUESTION = "What sex were you assigned at birth? Some causes are more common in women or in men."
SEX_BUTTONS = [
    {"title": "Female", "payload": '/give_sex{"sex": "female"}'},
    {"title": "Male", "payload": '/give_sex{"sex": "male"}'},
    {"title": "Prefer not to say", "payload": '/give_sex{"sex": "unspecified"}'},
]
AGE_BUTTONS = [{"title": "Prefer not to say", "payload": '/give_age{"age": "unspecified"}'}]
ASK_FOR_SYMPTOMS = (
    "Tell me what you feel in your own words, for example: \"my left foot has been numb and tingling for "
    "two weeks\"."
)
# The knowledge-base database cannot be read: the Rasa server recognises this text, sends the notice
# with its `custom.unavailable` and takes the turn back (bot/serving/guard.py).
KNOWLEDGE_DOWN = UNAVAILABLE


def message(text: str, buttons: List[Dict] = (), custom: Mapping[str, Any] = None) -> Dict[str, Any]:
    """Keyword arguments for `dispatcher.utter_message`."""
    out: Dict[str, Any] = {"text": text}
    if buttons:
        out["buttons"] = list(buttons)
    if custom:
        out["json_message"] = dict(custom)
    return out


def symptom_question(kb: KnowledgeBase, symptom_id: str) -> Dict[str, Any]:
    question = kb.symptom(symptom_id).question
    return message(question, ANSWER_BUTTONS, {"question": {"id": symptom_id, "type": "symptom", "text": question}})


def age_question(retry: bool = False) -> Dict[str, Any]:
    text = AGE_RETRY if retry else AGE_QUESTION
    return message(text, AGE_BUTTONS, {"question": {"id": "age", "type": "age", "text": text}})


def sex_question() -> Dict[str, Any]:
    return message(SEX_QUESTION, SEX_BUTTONS, {"question": {"id": "sex", "type": "sex", "text": SEX_QUESTION}})


def understood(kb: KnowledgeBase, evidence: Mapping[str, str]) -> str:
    """A one-line summary of what was understood, so the person can correct it."""
    have = [kb.symptom(s).name.lower() for s, c in evidence.items() if c == PRESENT]
    lack = [kb.symptom(s).name.lower() for s, c in evidence.items() if c == ABSENT]
    parts = []
    if have:
        parts.append("you have " + _join(have))
    if lack:
        parts.append("you don't have " + _join(lack))
    return f"I understood that {' and '.join(parts)}." if parts else ""


def assessment(payload: Mapping[str, Any], explanation: Iterable[str], level_label: str) -> Dict[str, Any]:
    lines = [f"Based on what you told me (this is not a diagnosis): {level_label}.", payload["advice"]]
    if payload["conditions"]:
        lines.append("Possible causes, most likely first:")
        for rank, condition in enumerate(payload["conditions"], 1):
            lines.append(f"{rank}. {condition['name']} ({round(condition['probability'] * 100)}%)")
    reasons = list(explanation)
    if reasons:
        lines.append("Why: " + "; ".join(reasons) + ".")
    lines.append("You can ask me about any of these causes, or say \"start over\".")
    buttons = [
        {"title": f"About {c['name']}", "payload": f'/ask_condition{{"condition": "{c["id"]}"}}'}
        for c in payload["conditions"][:2]
    ] + [{"title": "Start over", "payload": "/start_over"}]
    return message("\n".join(lines), buttons, {"assessment": dict(payload)})


def _join(items: List[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
