"""Conversations as a transcript a trainer can read (Markdown, also fine as plain text).

Each conversation lists first what to review (messages not understood, unsure intents,
emergency escalations), then every turn: what the person wrote with the intent and symptoms the
assistant understood, and what the assistant answered (buttons, the question it asked, the
assessment it gave).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List

from bot.conversations.sessions import Conversation
from bot.conversations.stories import EMERGENCY_ACTIONS, FALLBACK_INTENT, LOW_CONFIDENCE, full_intent

ENTITY_DETAILS = ("laterality", "onset", "duration", "severity", "body_site")


def transcript_markdown(conversations: List[Conversation], title: str, intro: List[str]) -> str:
    out = [f"# {title}", "", *intro, ""]
    flagged = sum(1 for c in conversations if review_notes(c))
    out += [f"{len(conversations)} conversation(s), {flagged} with something to review.", ""]
    for number, conversation in enumerate(conversations, start=1):
        out += conversation_markdown(conversation, number)
    return "\n".join(out).rstrip() + "\n"


def conversation_markdown(conversation: Conversation, number: int) -> List[str]:
    start, end = _time(conversation.start, "%Y-%m-%d %H:%M"), _time(conversation.end, "%H:%M UTC")
    out = [f"## {number}. {conversation.sender_id} · {conversation.channel or 'unknown channel'} · {start}-{end} · "
           f"{len(conversation.user_events)} message(s) from the person", ""]
    notes = review_notes(conversation)
    if notes:
        out += ["To review:"] + [f"- {note}" for note in notes] + [""]
    for event in conversation.events:
        out += _event_lines(event)
    return out + [""]


def review_notes(conversation: Conversation) -> List[str]:
    """What a trainer should look at in this conversation, with the time of each."""
    notes = []
    for event in conversation.events:
        when = _time(event["timestamp"], "%H:%M:%S")
        if event["event"] == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            if intent.get("name") == FALLBACK_INTENT:
                notes.append(f"{when} not understood: \"{_one_line(event.get('text'))}\"")
            elif intent.get("confidence") is not None and intent["confidence"] < LOW_CONFIDENCE:
                notes.append(f"{when} unsure intent {intent.get('name')} ({intent['confidence']:.2f}): "
                             f"\"{_one_line(event.get('text'))}\"")
        elif event["event"] == "action" and event.get("name") in EMERGENCY_ACTIONS:
            notes.append(f"{when} emergency escalation ({event['name']})")
        elif event["event"] == "action" and event.get("name") == "action_default_fallback":
            notes.append(f"{when} the assistant could not decide what to do next")
    return notes


def _event_lines(event: Dict[str, Any]) -> List[str]:
    when = _time(event["timestamp"], "%H:%M:%S")
    if event["event"] == "user":
        return [f"**{when} Person:** {_one_line(event.get('text'))}  ", f"  _{_understood(event)}_", ""]
    if event["event"] == "bot":
        data = event.get("data") or {}
        lines = [f"**{when} Assistant:** {_one_line(event.get('text'))}  "]
        buttons = " ".join(f"[{b.get('title')}]" for b in data.get("buttons") or [])
        if buttons:
            lines.append(f"  buttons: {buttons}  ")
        lines += [f"  _{note}_  " for note in _custom_notes(data.get("custom") or {})]
        return lines + [""]
    if event["event"] == "rewind":
        return ["  _(the assistant set the last message aside)_", ""]
    if event["event"] in ("session_started", "restart"):
        return [f"_{when} {'new session' if event['event'] == 'session_started' else 'restart'}_", ""]
    return []


def _understood(event: Dict[str, Any]) -> str:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    name = full_intent(parse, intent.get("name") or "?")
    parts = [f"intent {name}" + (f" ({intent['confidence']:.2f})" if intent.get("confidence") is not None else "")]
    entities = [_entity(e) for e in parse.get("entities") or []]
    if entities:
        parts.append("found: " + ", ".join(entities))
    return " · ".join(parts)


def _entity(entity: Dict[str, Any]) -> str:
    details = [str(entity[k]) for k in ENTITY_DETAILS if entity.get(k)]
    if entity.get("negated"):
        details.insert(0, "NOT")
    if entity.get("uncertain"):
        details.insert(0, "unsure")
    if entity.get("subject") == "other":
        details.append("about someone else")
    value = entity.get("value")
    label = value if entity.get("entity") == "symptom" else f"{entity.get('entity')} {value}"
    return f"{label}" + (f" ({', '.join(details)})" if details else "")


def _custom_notes(custom: Dict[str, Any]) -> List[str]:
    notes = []
    if isinstance(custom.get("question"), dict):
        notes.append(f"asks about {custom['question'].get('id')}")
    if isinstance(custom.get("assessment"), dict):
        assessment = custom["assessment"]
        causes = ", ".join(f"{c.get('id')} {c.get('probability')}" for c in assessment.get("conditions") or [])
        notes.append(f"assessment: {assessment.get('triage')}; causes: {causes}")
    if isinstance(custom.get("emergency"), dict):
        emergency = custom["emergency"]
        notes.append(f"EMERGENCY {emergency.get('triage')}: pattern {emergency.get('pattern')}")
    return notes


def _time(timestamp: float, pattern: str) -> str:
    return datetime.fromtimestamp(timestamp or 0, tz=timezone.utc).strftime(pattern)


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())
