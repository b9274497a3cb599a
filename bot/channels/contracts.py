"""Reads the `custom` contracts (bot/contracts.py, docs/contracts.md) out of a bot message and words them
for chat platforms.

Plain Python (no Rasa): the Slack and Telegram renderers share it and only add their own markup.
Every word shown comes from the payload (its triage label, names, advice); only the colour marks
are the channels' own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional

from bot.contracts import payload_kind, reasons_line, shown_percent

CHOICE_WORDS = {"present": "yes", "absent": "no", "unknown": "not sure"}
NO_LABEL = "Get medical advice"  # a payload without its label (an older assistant)
TRIAGE_MARKS = {
    "emergency_ambulance": "🔴",
    "emergency": "🔴",
    "consultation_24": "🟠",
    "consultation": "🔵",
    "self_care": "🟢",
}


@dataclass(frozen=True)
class BotMessage:
    """One message of Rasa's `send_response`, with its contract (if any) picked out."""

    text: str
    buttons: List[Dict[str, str]]
    kind: Optional[str]
    payload: Mapping[str, Any]

    @classmethod
    def from_rasa(cls, message: Mapping[str, Any]) -> "BotMessage":
        custom = message.get("custom") if isinstance(message.get("custom"), Mapping) else {}
        kind = payload_kind(dict(custom))
        buttons = [
            {"title": str(b["title"]), "payload": str(b["payload"])}
            for b in message.get("buttons") or []
            if isinstance(b, Mapping) and b.get("title") is not None and b.get("payload") is not None
        ]
        return cls(str(message.get("text") or ""), buttons, kind, custom.get(kind, {}) if kind else {})


def percent(probability: Any) -> int:
    try:
        return shown_percent(float(probability))
    except (TypeError, ValueError):
        return 0


def bar(probability: Any, width: int = 10) -> str:
    filled = round(percent(probability) * width / 100)
    return "█" * filled + "░" * (width - filled)


@dataclass(frozen=True)
class Cause:
    name: str
    likelihood: str  # in words: "very likely", "possible"...
    percent: int
    bar: str
    reasons: str  # "For: ...; against: ...", or "" when no answer tells for or against it


@dataclass(frozen=True)
class Understood:
    name: str
    choice: str  # present, absent or unknown

    @property
    def words(self) -> str:
        return CHOICE_WORDS[self.choice]


@dataclass(frozen=True)
class AssessmentView:
    """An assessment payload as every channel shows it, before markup."""

    heading: str
    urgency: str
    causes: List[Cause]
    understood: List[Understood]
    advice: str

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> "AssessmentView":
        level = str(payload.get("triage", ""))
        causes = [
            Cause(str(c.get("name") or c.get("id")), str(c.get("likelihood") or ""), percent(c.get("probability")),
                  bar(c.get("probability")), reasons_line(_findings(c, "supporting"), _findings(c, "conflicting")))
            for c in payload.get("conditions") or []
        ]
        understood = [
            Understood(str(e.get("name") or e.get("id")), e["choice"] if e.get("choice") in CHOICE_WORDS else "unknown")
            for e in payload.get("evidence") or []
        ]
        return cls(
            heading="Assessment (not a diagnosis)",
            urgency=f"{TRIAGE_MARKS.get(level, '⚪')} {payload.get('triage_label') or NO_LABEL}",
            causes=causes,
            understood=understood,
            advice=str(payload.get("advice") or ""),
        )


def _findings(cause: Mapping[str, Any], field: str) -> List[Mapping[str, Any]]:
    """A cause's reasons; none from an assistant older than contract version 3."""
    return [f for f in cause.get(field) or [] if isinstance(f, Mapping)]
