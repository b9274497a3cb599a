"""Scripted people for load runs: what each one sends next, given the assistant's replies.

A person is asked for its first message, then for its next one after every response of the
assistant (a list of REST messages); `None` ends the conversation. `outcome` says how it ended
(`ASSESSMENT` or `ESCALATION`), or stays `None`.
"""
from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any, Optional, Protocol

from bot.evaluation.person import Reading, read, reply
from bot.evaluation.play import MAX_TURNS
from bot.evaluation.vignettes import Vignette
from bot.triage.levels import EMERGENCY_LEVELS

ASSESSMENT, ESCALATION = "assessment", "escalation"
RestMessages = Sequence[dict[str, Any]]

# Asked once, midway, by every vignette person: worded unlike the training examples of data/nlu.yml.
FAQ_QUESTIONS = (
    "will this numbness change the way I walk?",
    "why would it be only in one leg?",
    "could the numbness spread further up?",
    "how long does numbness like this usually last?",
    "can leg numbness ever be life threatening?",
)


class Person(Protocol):
    name: str  # what it plays, for reports: "tuning/t01 clicks"
    outcome: Optional[str]

    def first_message(self) -> str: ...

    def next_message(self, replies: RestMessages) -> Optional[str]: ...


class VignettePerson:
    """Plays a vignette as the evaluation does (bot.evaluation.person), with one FAQ asked midway.

    The FAQ replaces the answer after `faq_after` answers; the question it interrupted is answered
    next, unless the assistant asked another one meanwhile.
    """

    def __init__(self, vignette: Vignette, clicks: bool, faq: Optional[str] = FAQ_QUESTIONS[0],
                 faq_after: int = 2, max_turns: int = MAX_TURNS):
        self.vignette, self.clicks, self.faq, self.faq_after, self.max_turns = (
            vignette, clicks, faq, faq_after, max_turns)
        self.name = f"{vignette.set_name}/{vignette.id} {'clicks' if clicks else 'types'}"
        self.outcome: Optional[str] = None
        self._sent = 0
        self._answers = 0
        self._interrupted: Optional[Reading] = None

    def first_message(self) -> str:
        self._sent = 1
        return self.vignette.opener

    def next_message(self, replies: RestMessages) -> Optional[str]:
        reading = read(replies)
        if reading.emergency:
            self.outcome = ESCALATION
            return None
        if reading.assessment:
            self.outcome = ASSESSMENT
            return None
        if self._sent >= self.max_turns:
            return None
        self._sent += 1
        if self.faq and self._answers == self.faq_after and reading.question is not None:
            faq, self.faq, self._interrupted = self.faq, None, reading
            return faq
        if reading.question is None and self._interrupted is not None:
            reading = self._interrupted
        self._interrupted = None
        self._answers += 1
        return reply(self.vignette, reading, self.clicks).message


class ScriptedPerson:
    """Sends `messages` in order whatever the replies; notes an assessment or escalation on the way."""

    def __init__(self, name: str, messages: Sequence[str]):
        if not messages:
            raise ValueError("a scripted person needs at least one message")
        self.name, self.messages = name, list(messages)
        self.outcome: Optional[str] = None
        self._next = 0

    def first_message(self) -> str:
        self._next = 1
        return self.messages[0]

    def next_message(self, replies: RestMessages) -> Optional[str]:
        reading = read(replies)
        if reading.emergency:
            self.outcome = ESCALATION
        elif reading.assessment and self.outcome is None:
            self.outcome = ASSESSMENT
        if self._next >= len(self.messages):
            return None
        self._next += 1
        return self.messages[self._next - 1]


def expects_emergency(vignette: Vignette) -> bool:
    return all(level in EMERGENCY_LEVELS for level in vignette.expect.triage)


def vignette_people(vignettes: Sequence[Vignette], emergency_share: Optional[float] = None, seed: int = 0,
                    faq_after: int = 2) -> Iterator[VignettePerson]:
    """An endless stream of people playing the vignettes, the same for the same seed.

    Without `emergency_share` the vignettes come in a shuffled cycle, as many emergencies as the
    set holds; with it, each person is an emergency case with that probability. People take
    turns clicking and typing, and rotate through FAQ_QUESTIONS.
    """
    if emergency_share is not None and not 0.0 <= emergency_share <= 1.0:
        raise ValueError(f"emergency_share must be between 0 and 1, not {emergency_share}")
    if not vignettes:
        raise ValueError("no vignettes to play")
    rng = random.Random(seed)
    emergencies = [v for v in vignettes if expects_emergency(v)]
    others = [v for v in vignettes if not expects_emergency(v)]
    if emergency_share is not None and ((emergency_share > 0 and not emergencies)
                                        or (emergency_share < 1 and not others)):
        raise ValueError("the vignettes lack the emergency or non-emergency cases that emergency_share asks for")
    order: list[Vignette] = []
    index = 0
    while True:
        if emergency_share is None:
            if not order:
                order = rng.sample(list(vignettes), len(vignettes))
            vignette = order.pop()
        else:
            vignette = rng.choice(emergencies if rng.random() < emergency_share else others)
        person = VignettePerson(vignette, clicks=index % 2 == 0, faq=FAQ_QUESTIONS[index % len(FAQ_QUESTIONS)],
                                faq_after=faq_after)
        index += 1
        yield person
