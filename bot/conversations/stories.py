"""Conversations as Rasa test stories (`rasa test` format): `user:` text with `intent:`, `action:`, `slot_was_set:`.

What a trainer gets is a draft: every story replays what the assistant did, including its
mistakes, and a `# REVIEW:` comment marks each step to check (not understood, unsure intent,
emergency escalation). Correct the intent or action, then copy the story into
tests/test_stories.yml.

Entities found by the extractors are annotated in the text (`[numb]{"entity": "symptom", "value":
"leg_numbness"}`), because without a user message `rasa test` takes the entities from the story.
A mention the extractor marked as negated ("no trouble speaking") is left unannotated: the
annotation cannot carry the negation, and a plain entity would read as present.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from bot.conversations.sessions import Conversation

# Actions that are implicit in a story or belong to Rasa's own bookkeeping.
SKIPPED_ACTIONS = {"action_listen", "action_session_start", "action_extract_slots", "action_unlikely_intent"}
FALLBACK_INTENT = "nlu_fallback"
LOW_CONFIDENCE = 0.6  # below this an intent is flagged for review (the fallback threshold is 0.4)
EMERGENCY_ACTIONS = {"utter_emergency"}


@dataclass
class Step:
    kind: str  # user | action | slot_was_set | active_loop
    lines: List[str]  # the YAML of the step, first line starting with "- "
    review: List[str] = field(default_factory=list)  # comments written above the step


def story_name(conversation: Conversation, number: int) -> str:
    start = datetime.fromtimestamp(conversation.start, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"conversation {number}: {conversation.sender_id}, {conversation.channel or 'unknown channel'}, {start}"


def stories_yaml(conversations: List[Conversation], header: str = "") -> str:
    """One test story per conversation, numbered as in the transcript."""
    out = [f"# {line}" if line else "#" for line in header.splitlines()]
    out += ['version: "3.1"', "", "stories:"]
    for number, conversation in enumerate(conversations, start=1):
        steps = story_steps(conversation)
        out.append(f"- story: {_quote(story_name(conversation, number))}")
        out.append("  steps:")
        for step in steps:
            out += [f"  # REVIEW: {note}" for note in step.review]
            out += [f"  {line}" for line in step.lines]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def story_steps(conversation: Conversation) -> List[Step]:
    """The story steps, with Rasa's own undo events applied (as the tracker applies them)."""
    steps: List[Step] = []
    seen_user = False
    for event in conversation.events:
        kind = event["event"]
        if kind == "user":
            seen_user = True
            steps.append(_user_step(event))
        elif kind == "action" and event.get("name") not in SKIPPED_ACTIONS and seen_user:
            steps.append(_action_step(event))
        elif kind == "slot" and seen_user:  # slots before the first message are carried over by the session
            slot = f"  - {event.get('name')}: {_json(event.get('value'))}"
            steps.append(Step("slot_was_set", ["- slot_was_set:", slot]))
        elif kind == "active_loop" and seen_user:
            steps.append(Step("active_loop", [f"- active_loop: {_json(event.get('name'))}"]))
        elif kind == "rewind":  # UserUtteranceReverted: the last user message and what followed are undone
            last_user = max((i for i, s in enumerate(steps) if s.kind == "user"), default=None)
            if last_user is not None:
                del steps[last_user:]
        elif kind == "undo":  # ActionReverted: the last action is undone
            last_action = max((i for i, s in enumerate(steps) if s.kind == "action"), default=None)
            if last_action is not None:
                del steps[last_action:]
    return steps


def _user_step(event: Dict[str, Any]) -> Step:
    parse = event.get("parse_data") or {}
    intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
    confidence = (parse.get("intent") or {}).get("confidence")
    review = []
    if intent == FALLBACK_INTENT:
        guess = next((i for i in parse.get("intent_ranking") or [] if i.get("name") != FALLBACK_INTENT), None)
        review.append("not understood (nlu_fallback)"
                      + (f"; best guess {guess['name']} ({guess.get('confidence', 0):.2f})" if guess else "")
                      + ": replace it with the intent the person meant")
    elif confidence is not None and confidence < LOW_CONFIDENCE:
        review.append(f"unsure intent {intent} ({confidence:.2f}): check it")
    text = event.get("text")
    lines = []
    if text:
        lines.append(f"- user: {_quote(annotated(text, parse.get('entities') or []))}")
        lines.append(f"  intent: {full_intent(parse, intent)}")
    else:
        lines.append(f"- intent: {full_intent(parse, intent)}")
    return Step("user", lines, review)


def _action_step(event: Dict[str, Any]) -> Step:
    name = event.get("name") or event.get("action_text")
    review = []
    if name in EMERGENCY_ACTIONS:
        review.append(f"emergency escalation ({name}): confirm it was right, and that nothing was missed before")
    elif name == "action_default_fallback":
        review.append("the assistant could not decide what to do next")
    key = "action" if event.get("name") else "bot"
    return Step("action", [f"- {key}: {_quote(name) if key == 'bot' else name}"], review)


def full_intent(parse: Dict[str, Any], intent: str) -> str:
    """`faq/spread` for a retrieval intent (what the response selector chose), else the intent."""
    selected = (parse.get("response_selector") or {}).get(intent) or {}
    key = (selected.get("response") or {}).get("intent_response_key")
    return key if key and key.startswith(f"{intent}/") else intent


def annotated(text: str, entities: List[Dict[str, Any]]) -> str:
    """`text` with each extracted, non-negated entity written as `[span]{"entity": ..., "value": ...}`."""
    if text.startswith("/"):
        return text  # a button payload: its entities are part of it already
    chosen: List[Dict[str, Any]] = []
    for entity in sorted(_annotatable(text, entities), key=lambda e: (e["start"], -e["end"])):
        if not chosen or entity["start"] >= chosen[-1]["end"]:  # annotations cannot overlap
            chosen.append(entity)
    out, position = [], 0
    for entity in chosen:
        span = text[entity["start"]:entity["end"]]
        attributes = {"entity": entity["entity"], "value": str(entity.get("value", span))}
        attributes.update({k: entity[k] for k in ("role", "group") if entity.get(k)})
        out += [_plain(text[position:entity["start"]]), f"[{span}]",
                json.dumps(attributes, ensure_ascii=False)]
        position = entity["end"]
    out.append(_plain(text[position:]))
    return "".join(out)


def _plain(text: str) -> str:
    """Text outside annotations, with square brackets made round so Rasa never reads them as one."""
    return text.replace("[", "(").replace("]", ")")


def _annotatable(text: str, entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [
        e for e in entities
        if isinstance(e.get("start"), int) and isinstance(e.get("end"), int) and 0 <= e["start"] < e["end"] <= len(text)
        and e.get("entity") and not e.get("negated") and "]" not in text[e["start"]:e["end"]]
    ]


def _quote(text: Optional[str]) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text or "", ensure_ascii=False)


def _json(value: Any) -> str:
    """A value in YAML flow syntax (JSON is a subset of YAML)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
