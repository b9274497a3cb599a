"""Drops personal details from exported conversations, keeping what a trainer needs.

Removed: e-mail addresses, links, phone and other long numbers, dates (of birth, or any full
date), street addresses and UK postcodes, and names (after "my name is", "I'm", "call me",
"my wife", "Dr", a sign-off, and any name the channel sent in the message metadata). Kept: the
symptoms and their wording, durations ("for two weeks"), sex. Ages stay but are rounded to the
middle of their ten-year band (52 -> 55) so the age extractor still has a number to find.
Sender ids become stable pseudonyms: a keyed hash (HMAC-SHA256), so the same person gets the same
pseudonym in every export and the id cannot be recovered without the key.

Detection is by pattern, so it is not perfect: a name typed in lower case with no cue, or a
home town, stays. Reviewers still treat exports as health data.
"""
from __future__ import annotations

import copy
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Pattern, Tuple

from bot.conversations.sessions import Conversation

MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
        rf"|{DAY}(?: of)? {MONTH},? \d{{4}}|{MONTH} {DAY},? \d{{4}})")
NAME = r"[A-Z][a-z'\u2019-]+(?: [A-Z][a-z'\u2019-]+)?"
RELATIONS = (r"wife|husband|partner|boyfriend|girlfriend|son|daughter|mother|mum|mom|father|dad|brother|sister|"
             r"friend|neighbou?r|boss|colleague|grandma|grandmother|granny|grandpa|grandfather|aunt|uncle|"
             r"nurse|carer|gp|doctor|physio")
STREET = r"street|st|road|rd|avenue|ave|lane|ln|drive|way|close|court|crescent|place|boulevard|blvd|terrace"

# Words that follow "I'm" / "this is" with a capital letter without being a name.
_NOT_NAMES_TEXT = """
not so very really quite just also still now here back home fine ok okay good well sure unsure afraid sorry worried
scared anxious concerned tired exhausted diabetic pregnant male female man woman a an the in on at from with having
getting feeling going being trying wondering looking asking english british american canadian australian irish
scottish welsh retired unemployed married single old young new able unable numb sick ill better worse allergic
overweight vegan vegetarian type there that this what it monday tuesday wednesday thursday friday saturday sunday
today tonight yesterday done
"""
NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


@dataclass(frozen=True)
class _Rule:
    label: str  # what replaces the detail, e.g. "[email]"
    pattern: Pattern[str]
    group: int = 0  # the part of the match that is personal (the rest is a cue that stays)


def _rules() -> List[_Rule]:
    i = re.IGNORECASE
    return [
        _Rule("[email]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
        _Rule("[link]", re.compile(r"\b(?:https?://|www\.)\S+", i)),
        _Rule("[date of birth]", re.compile(
            rf"\b(?:born(?: on| in)?|dob|d\.o\.b\.?|date of birth(?: is)?)\W{{0,3}}({DATE}|\d{{4}})", i), 1),
        _Rule("[date]", re.compile(rf"\b{DATE}\b", i)),
        _Rule("[phone]", re.compile(r"(?<![\w+])\+?\d(?:[\d ().-]*\d)?(?!\w)")),  # kept only if >= 7 digits
        _Rule("[address]", re.compile(rf"\b\d{{1,5}},? (?:[A-Z][a-z]+ ){{1,3}}(?i:{STREET})\b\.?")),
        _Rule("[postcode]", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")),
        _Rule("[name]", re.compile(r"\b(?:my name is|my name's|name:|call me|i am called|i'm called)\s+"
                                   r"([A-Za-z][a-z'\u2019-]+(?: [A-Z][a-z'\u2019-]+)?)", i), 1),
        # weak cues ("I'm Tired"): only a capitalised word that ends the clause counts as a name
        _Rule("[name]", re.compile(rf"\b(?:[Ii]'m|[Ii]\u2019m|I am|[Tt]his is)\s+({NAME})"
                                   r"(?=\s*(?:[,.!?;]|$|\band\b|\bhere\b|\bfrom\b|\bspeaking\b))"), 1),
        _Rule("[name]", re.compile(rf"\b(?:[Mm]y|[Oo]ur) (?:{RELATIONS}),? ({NAME})"), 1),
        _Rule("[name]", re.compile(rf"\b(?:Dr|Doctor|Mr|Mrs|Ms|Miss|Prof)\.? ({NAME})"), 1),
        _Rule("[name]", re.compile(rf"\b(?:thanks|thank you|cheers|regards|best wishes|love|bye)[,!.]?\s+({NAME})"
                                   r"\W*$", i), 1),
    ]


AGE_PATTERNS = [
    re.compile(r"\b(?:i'm|i\u2019m|im|i am|aged?:?|he's|she's|he is|she is|they're|they are)\s+(\d{1,3})\b"
               r"(?!\s*(?:%|percent|days?|weeks?|months?|hours?|hrs?|minutes?|mins?|times|kg|lbs?|stone|cm|ft|foot|"
               r"feet|inch|miles?|km|weeks? pregnant))", re.IGNORECASE),
    re.compile(r"\b(\d{1,3})\s*(?:-|\s)?(?:years?|yrs?)(?:\s*|-)old\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,3})\s*(?:y/?o)\b", re.IGNORECASE),
]
AGE_SLOT = "age"


def age_band(age: float) -> int:
    """The middle of the ten-year band of `age`: 52 -> 55, 7 -> 5, 101 -> 105."""
    return int(age) // 10 * 10 + 5


class Anonymiser:
    def __init__(self, key: bytes):
        self._key = key
        self._rules = _rules()

    def pseudonym(self, sender_id: str) -> str:
        return "person-" + hmac.new(self._key, sender_id.encode("utf-8"), hashlib.sha256).hexdigest()[:12]

    def conversation(self, conversation: Conversation) -> Conversation:
        """A copy with pseudonymous sender, redacted texts, rounded ages, and no metadata."""
        names = sorted(_metadata_names(conversation.events), key=len, reverse=True)
        events = []
        for original in conversation.events:
            event = {k: v for k, v in copy.deepcopy(original).items() if k != "metadata"}
            if event["event"] == "user":
                self._user_event(event, names)
            elif event["event"] == "bot" and isinstance(event.get("text"), str):
                event["text"], _ = self.text(event["text"], [], names)
            elif event["event"] == "slot":
                event["value"] = self._slot_value(event.get("name"), event.get("value"), names)
            events.append(event)
        return Conversation(self.pseudonym(conversation.sender_id), events)

    def _user_event(self, event: Dict[str, Any], names: List[str]) -> None:
        parse = event.get("parse_data") or {}
        entities = parse.get("entities") or []
        text = event.get("text")
        if isinstance(text, str) and not text.startswith("/"):
            event["text"], entities = self.text(text, entities, names)
        else:
            entities = [self._entity_without_text(e) for e in entities]
        event.pop("message_id", None)
        if parse:
            parse.pop("message_id", None)
            parse.pop("metadata", None)
            parse["text"], parse["entities"] = event.get("text"), entities

    def text(self, text: str, entities: List[Dict[str, Any]], names: Iterable[str] = ()) -> Tuple[str, List[Dict]]:
        """`text` without personal details, and `entities` with their offsets moved to match."""
        replacements = self._age_replacements(text, entities) + self._replacements(text, names)
        replacements = _without_overlaps(replacements, _protected_spans(entities))
        new_text, shift = _apply(text, replacements)
        moved = []
        for entity in entities:
            entity = dict(entity)
            if "start" in entity and "end" in entity:
                start, end = shift(entity["start"], entity["end"])
                if start is None:
                    continue  # the entity was inside a personal detail
                entity["start"], entity["end"] = start, end
            if entity.get("entity") == AGE_SLOT:
                entity["value"] = _rounded_age(entity.get("value"))
            moved.append(entity)
        return new_text, moved

    def _replacements(self, text: str, names: Iterable[str]) -> List[Tuple[int, int, str]]:
        found = []
        for rule in self._rules:
            for match in rule.pattern.finditer(text):
                start, end = match.span(rule.group)
                if rule.label == "[phone]" and sum(ch.isdigit() for ch in match.group()) < 7:
                    continue
                if rule.label == "[name]" and match.group(rule.group).split()[0].lower() in NOT_NAMES:
                    continue
                found.append((start, end, rule.label))
        for name in names:
            for match in re.finditer(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
                found.append((*match.span(), "[name]"))
        return found

    @staticmethod
    def _age_replacements(text: str, entities: List[Dict[str, Any]]) -> List[Tuple[int, int, str]]:
        found = []
        for entity in entities:
            if entity.get("entity") == AGE_SLOT and "start" in entity:
                for number in re.finditer(r"\d{1,3}", text[entity["start"]:entity["end"]]):
                    start = entity["start"] + number.start()
                    found.append((start, start + len(number.group()), str(age_band(int(number.group())))))
        for pattern in AGE_PATTERNS:
            for match in pattern.finditer(text):
                found.append((*match.span(1), str(age_band(int(match.group(1))))))
        return found

    @staticmethod
    def _entity_without_text(entity: Dict[str, Any]) -> Dict[str, Any]:
        entity = dict(entity)
        if entity.get("entity") == AGE_SLOT:
            entity["value"] = _rounded_age(entity.get("value"))
        return entity

    def _slot_value(self, name: Optional[str], value: Any, names: List[str]) -> Any:
        if name == AGE_SLOT and value is not None:
            return _rounded_age(value)
        if isinstance(value, str):
            return self.text(value, [], names)[0]
        if isinstance(value, list):
            return [self._slot_value(None, v, names) for v in value]
        if isinstance(value, dict):
            return {k: self._slot_value(None, v, names) for k, v in value.items()}
        return value


def _rounded_age(value: Any) -> Any:
    try:
        age = float(value)
    except (TypeError, ValueError):
        return value
    rounded = age_band(age)
    return str(rounded) if isinstance(value, str) else type(value)(rounded)


def _metadata_names(events: List[Dict[str, Any]]) -> set:
    """Names a channel sent along (e.g. Telegram `first_name`, Slack `real_name`)."""
    found = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if isinstance(inner, str) and "name" in str(key).lower() and len(inner.strip()) >= 2:
                    found.update(part for part in re.split(r"\s+", inner.strip()) if len(part) >= 2)
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for event in events:
        if event["event"] == "user":
            walk(event.get("metadata"))
            walk((event.get("parse_data") or {}).get("metadata"))
    return found


def _protected_spans(entities: List[Dict[str, Any]]) -> List[Tuple[int, int]]:
    """Spans of extracted entities other than age: symptom words are never redacted."""
    return [(e["start"], e["end"]) for e in entities
            if e.get("entity") != AGE_SLOT and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)]


def _without_overlaps(replacements: List[Tuple[int, int, str]],
                      protected: List[Tuple[int, int]]) -> List[Tuple[int, int, str]]:
    """Earlier rules win over later ones where they overlap; protected spans are never touched."""
    kept: List[Tuple[int, int, str]] = []
    for start, end, label in replacements:
        clashes = any(start < e and s < end for s, e, _ in kept) or any(start < e and s < end for s, e in protected)
        if not clashes and end > start:
            kept.append((start, end, label))
    return sorted(kept)


def _apply(text: str, replacements: List[Tuple[int, int, str]]):
    """The new text, and a function moving an old span to the new text ((None, None) if it was cut)."""
    pieces, position = [], 0
    for start, end, label in replacements:
        pieces += [text[position:start], label]
        position = end
    pieces.append(text[position:])

    def shift(start: int, end: int):
        for old_start, old_end, _ in replacements:
            inside = start <= old_start and old_end <= end
            if old_start < end and start < old_end and not inside:
                return None, None
        return start + _growth(replacements, start), end + _growth(replacements, end)

    return "".join(pieces), shift


def _growth(replacements: List[Tuple[int, int, str]], position: int) -> int:
    """How much longer the text before `position` has become."""
    return sum(len(label) - (end - start) for start, end, label in replacements if end <= position)
