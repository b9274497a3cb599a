"""Reads the design's `custom` contracts out of a bot message and words them for chat platforms.

Plain Python (no Rasa): the Slack and Telegram renderers share it and only add their own markup.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, List, Mapping, Optional

EMERGENCY, ASSESSMENT, QUESTION = "emergency", "assessment", "question"
CHOICE_WORDS = {"present": "yes", "absent": "no", "unknown": "not sure"}
# The design's "tells the person" column; the KB's own labels win when the KB can be read.
FALLBACK_LABELS = {
    "emergency_ambulance": "Call an ambulance now",
    "emergency": "Go to an emergency room now",
    "consultation_24": "See a doctor within 24 hours",
    "consultation": "Book a doctor's visit",
    "self_care": "Care for yourself at home",
}
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
        kind = next((k for k in (EMERGENCY, ASSESSMENT, QUESTION) if isinstance(custom.get(k), Mapping)), None)
        buttons = [
            {"title": str(b["title"]), "payload": str(b["payload"])}
            for b in message.get("buttons") or []
            if isinstance(b, Mapping) and b.get("title") is not None and b.get("payload") is not None
        ]
        return cls(str(message.get("text") or ""), buttons, kind, custom.get(kind, {}) if kind else {})


@lru_cache(maxsize=1)
def _kb_labels() -> Dict[str, str]:
    try:
        from bot.kb.yaml_loader import read_knowledge_base

        levels = read_knowledge_base().meta.triage_levels
        return {level: info.label for level, info in levels.items()}
    except Exception:  # the channel must still talk when the KB files cannot be read
        return {}


def triage_label(level: str) -> str:
    return _kb_labels().get(level) or FALLBACK_LABELS.get(level, "Get medical advice")


def percent(probability: Any) -> int:
    try:
        return round(min(1.0, max(0.0, float(probability))) * 100)
    except (TypeError, ValueError):
        return 0


def bar(probability: Any, width: int = 10) -> str:
    filled = round(percent(probability) * width / 100)
    return "█" * filled + "░" * (width - filled)


@dataclass(frozen=True)
class Cause:
    name: str
    percent: int
    bar: str


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
            Cause(str(c.get("name") or c.get("id")), percent(c.get("probability")), bar(c.get("probability")))
            for c in payload.get("conditions") or []
        ]
        understood = [
            Understood(str(e.get("name") or e.get("id")), e["choice"] if e.get("choice") in CHOICE_WORDS else "unknown")
            for e in payload.get("evidence") or []
        ]
        return cls(
            heading="Assessment (not a diagnosis)",
            urgency=f"{TRIAGE_MARKS.get(level, '⚪')} {triage_label(level)}",
            causes=causes,
            understood=understood,
            advice=str(payload.get("advice") or ""),
        )
