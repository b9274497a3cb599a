"""Plays one vignette against a channel, as a person would, and records what happened."""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional, Protocol

from bot.evaluation.person import Reading, read, reply
from bot.evaluation.vignettes import Vignette

MAX_TURNS = 25


class Channel(Protocol):
    name: str

    def send(self, sender: str, text: str) -> list[dict[str, Any]]: ...


@dataclass
class Exchange:
    said: str  # what the person typed or clicked, as shown
    sent: str  # the message actually sent
    answers: list[dict[str, Any]]  # the assistant's messages
    seconds: float


@dataclass
class Played:
    vignette: Vignette
    clicks: bool
    exchanges: list[Exchange] = field(default_factory=list)
    ended_by: str = "turn_limit"  # assessment | emergency | turn_limit | error
    triage: Optional[str] = None
    conditions: list[tuple[str, str]] = field(default_factory=list)  # (id, name), ranked
    probabilities: list[float] = field(default_factory=list)  # as shown with the assessment, same order
    evidence: list[dict[str, Any]] = field(default_factory=list)
    questions: int = 0
    pattern: Optional[str] = None  # the emergency pattern, when escalated
    error: Optional[str] = None

    @property
    def latencies(self) -> list[float]:
        return [e.seconds for e in self.exchanges]


def play(vignette: Vignette, index: int, channel: Channel, max_turns: int = MAX_TURNS) -> Played:
    """Even-indexed vignettes click the offered buttons where one fits the answer; odd ones type.
    An aside is typed right after its question, before the question is answered (FORMAT.md)."""
    played = Played(vignette=vignette, clicks=index % 2 == 0)
    sender = f"eval-{vignette.set_name}-{vignette.id}-{uuid.uuid4().hex[:8]}"
    said, sent = vignette.opener, vignette.opener
    for _ in range(max_turns):
        reading = _exchange(played, channel, sender, said, sent)
        if reading is None:
            return played
        if reading.question is not None:
            played.questions += 1
            for aside in (a for a in vignette.asides if a.after == played.questions):
                after_aside = _exchange(played, channel, sender, aside.say, aside.say)
                if after_aside is None:
                    return played
                if after_aside.question is not None:  # asked again, or asked something new: answer that
                    reading = after_aside
        answer = reply(vignette, reading, played.clicks)
        said, sent = answer.shown, answer.message
    return played


def _exchange(played: Played, channel: Channel, sender: str, said: str, sent: str) -> Optional[Reading]:
    """Sends one message and records it; None when the case has ended (an outcome, or an error)."""
    start = time.perf_counter()
    try:
        answers = channel.send(sender, sent)
    except Exception as error:  # noqa: BLE001 - any failure ends this case and is reported with it
        played.ended_by, played.error = "error", f"{error.__class__.__name__}: {error}"
        return None
    played.exchanges.append(Exchange(said, sent, answers, time.perf_counter() - start))
    reading = read(answers)
    if reading.emergency:
        played.ended_by, played.triage = "emergency", reading.emergency.get("triage")
        played.pattern = str(reading.emergency.get("pattern") or "")
        condition = reading.emergency.get("condition") or {}
        played.conditions = [(played.pattern, f"{played.pattern.replace('_', ' ')} {condition.get('name', '')}")]
        return None
    if reading.assessment:
        played.ended_by, played.triage = "assessment", reading.assessment.get("triage")
        shown = reading.assessment.get("conditions", [])
        played.conditions = [(c.get("id", ""), c.get("name", "")) for c in shown]
        played.probabilities = [float(c.get("probability") or 0.0) for c in shown]
        played.evidence = list(reading.assessment.get("evidence") or [])
        return None
    return reading


def transcript(played: Played) -> str:
    lines = []
    for exchange in played.exchanges:
        shown = exchange.said if exchange.said == exchange.sent else f"{exchange.said} ({exchange.sent})"
        lines.append(f"PERSON: {shown}")
        for message in exchange.answers:
            if message.get("text"):
                lines.append("BOT: " + message["text"].replace("\n", "\n     "))
            if message.get("buttons"):
                lines.append("     buttons: " + " | ".join(str(b.get("title")) for b in message["buttons"]))
            if message.get("custom"):
                lines.append("     custom: " + json.dumps(message["custom"], ensure_ascii=False))
        lines.append(f"     ({exchange.seconds * 1000:.0f} ms)")
    if played.error:
        lines.append(f"ERROR: {played.error}")
    return "\n".join(lines)
