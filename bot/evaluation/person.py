"""The simulated person: reads the assistant's messages and answers them from a vignette.

A response of the REST channel is a list of messages; Rasa sends an utterance's text and buttons
as one message and its `custom` JSON as the next one, so a response is read as a whole: the
question is the one carried by `custom.question` (or, failing that, the last text asking
something), the buttons are those offered with it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from bot.evaluation.vignettes import Vignette

AGE_TEXT = re.compile(r"\bhow old\b|\byour age\b", re.IGNORECASE)
SEX_TEXT = re.compile(r"\bsex\b|\bgender\b|\bmale or female\b|\bman or a woman\b", re.IGNORECASE)
NOT_SURE = re.compile(r"^\s*(not sure|unsure|i'?m not sure|i don'?t know|dont know|no idea)\b", re.IGNORECASE)
NO = re.compile(r"^\s*(no|nope|nah|never|not really|none)\b", re.IGNORECASE)
YES = re.compile(r"^\s*(yes|yeah|yep|yup|yes please|definitely|absolutely|correct|exactly)\b", re.IGNORECASE)
ASK_FOR_ASSESSMENT = "what do you think it could be?"


def answer_kind(answer: str) -> Optional[str]:
    """'unsure', 'no' or 'yes' when the answer starts like one of the offered buttons, else None."""
    if NOT_SURE.search(answer):
        return "unsure"
    if NO.search(answer):
        return "no"
    if YES.search(answer):
        return "yes"
    return None


BUTTON_PREFIX = {"yes": "yes", "no": "no", "unsure": "not sure"}


@dataclass(frozen=True)
class Reading:
    """What the person makes of one response of the assistant."""

    emergency: Optional[Mapping[str, Any]] = None
    assessment: Optional[Mapping[str, Any]] = None
    question: Optional[str] = None  # the question's text
    question_type: Optional[str] = None  # custom.question.type, or "age"/"sex" guessed from the text
    question_id: Optional[str] = None
    buttons: tuple = ()


def read(messages: Sequence[Mapping[str, Any]]) -> Reading:
    emergency = assessment = question_custom = None
    texts, buttons = [], ()
    for message in messages:
        custom = message.get("custom") or {}
        if isinstance(custom, dict):
            emergency = emergency or custom.get("emergency")
            assessment = assessment or custom.get("assessment")
            question_custom = custom.get("question") or question_custom
        if message.get("text"):
            texts.append(message["text"])
        if message.get("buttons"):
            buttons = tuple(message["buttons"])
    if emergency or assessment:
        return Reading(emergency=emergency, assessment=assessment)
    if question_custom:
        text = question_custom.get("text") or next((t for t in reversed(texts) if "?" in t), texts[-1] if texts else "")
        kind = question_custom.get("type")
        return Reading(question=text, question_type=_guess_type(text, kind), question_id=question_custom.get("id"),
                       buttons=buttons)
    asking = [t for t in texts if "?" in t]
    if asking:
        return Reading(question=asking[-1], question_type=_guess_type(asking[-1], None), buttons=buttons)
    return Reading(buttons=buttons)


def _guess_type(text: str, kind: Optional[str]) -> Optional[str]:
    if kind in ("age", "sex"):
        return kind
    if AGE_TEXT.search(text):
        return "age"
    if SEX_TEXT.search(text):
        return "sex"
    return kind


@dataclass(frozen=True)
class Reply:
    message: str  # what is sent: typed text or a button's payload
    shown: str  # what the transcript shows
    clicked: bool


def reply(vignette: Vignette, reading: Reading, clicks: bool) -> Reply:
    """The person's next message. With `clicks`, offered buttons are used where one fits the answer."""
    if reading.question is None:
        return Reply(ASK_FOR_ASSESSMENT, ASK_FOR_ASSESSMENT, False)
    if reading.question_type == "age":
        age = str(int(vignette.age)) if float(vignette.age).is_integer() else str(vignette.age)
        return Reply(age, age, False)
    if reading.question_type == "sex":
        button = _button(reading.buttons, vignette.sex) if clicks else None
        return _click(button) if button else Reply(vignette.sex, vignette.sex, False)
    answer = vignette.answer(reading.question)
    kind = answer_kind(answer)
    button = _button(reading.buttons, BUTTON_PREFIX[kind]) if clicks and kind else None
    return _click(button) if button else Reply(answer, answer, False)


def _button(buttons: Sequence[Mapping[str, Any]], prefix: str) -> Optional[Mapping[str, Any]]:
    for button in buttons:
        title = str(button.get("title", "")).strip().lower()
        if title == prefix or title.startswith(prefix + " ") or title.startswith(prefix + ","):
            return button
    return None


def _click(button: Mapping[str, Any]) -> Reply:
    return Reply(str(button.get("payload") or button.get("title")), f"[clicked {button.get('title')}]", True)
