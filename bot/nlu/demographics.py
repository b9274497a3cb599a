"""Age and sex, only where the message states them plainly.

Age: "I'm 45", "I am forty-five", "45 yo", "45 y/o", "45-year-old", "aged 45", "age: 70", "45M",
"F 62", "turned 60", "my mom is 70", or a message that is nothing but an age ("45", "forty
five"). Not "in my forties", not "I'm 5 days in", not "born in 1970". Sex: "female", "male",
"F"/"M" on their own or beside an age, "I'm a woman/man/guy", "as a woman", "sex: f". A relative
described as having the symptoms ("my mom's leg is numb") gives the patient's sex in the
extractor, which knows who the mentions are about.
"""
from __future__ import annotations

import re
from typing import List, Tuple

from bot.nlu.lexicon import RELATIVES
from bot.nlu.numbers import NUMBER, format_number, to_number

MAX_AGE = 120
_NOT_AN_AGE_AFTER = (r"(?!\s*(?:%|percent|kgs?\b|lbs?\b|pounds|stones?\b|st\b|cm\b|ft\b|feet\b|foot\b|inch|'|\"|"
                     r"days?\b|weeks?\b|wks?\b|months?\b|hours?\b|hrs?\b|minutes?\b|mins?\b|times\b|miles\b|km\b|"
                     r"mg\b|units\b|steps\b|am\b|pm\b|o'clock|th\b|st\b|nd\b|rd\b|/10|out\s+of|\.\d|:\d|-\d))")
_AGE_ENDS = (r"(?=\s*(?:$|[,.!;)&]|and\b|but\b|with\b|so\b|now\b|this\b|myself\b|years?\b|yrs?\b|yo\b|y/o|"
             r"old\b|female\b|male\b|woman\b|man\b|guy\b|lady\b|f\b|m\b|next\b|last\b|in\b|if\b|btw\b|-))")
_RELATIVE = "|".join(sorted((r for r in RELATIVES if RELATIVES[r]), key=len, reverse=True))
_FEMALE = r"(?:female|woman|lady|girl|gal|f)"
_MALE = r"(?:male|man|guy|gentleman|dude|bloke|boy|m)"
_SELF_AGE = re.compile(
    rf"\b(?:i'?m|i\s+am|im|age[d]?\s*(?:is|:|-|=)?|turned|turning|my\s+age\s+is)\s*(?P<n>{NUMBER})\b{_NOT_AN_AGE_AFTER}{_AGE_ENDS}",
    re.IGNORECASE)
_YEARS_OLD = re.compile(
    rf"\b(?P<n>{NUMBER})\s*(?:-\s*)?(?:years?|yrs?|yr)\s*(?:-\s*)?old\b|\b(?P<m>{NUMBER})\s*(?:yo|y/o|y\.o\.?|yrs?\s+old)(?![a-z])",
    re.IGNORECASE)
_AGE_SEX = re.compile(rf"\b(?P<n>\d{{1,3}})\s*,?\s*(?P<sex>{_FEMALE}|{_MALE})\b"
                      rf"|(?<!['’])\b(?P<sex2>f|m|female|male)\s*[,/]?\s*(?P<m>\d{{1,3}})\b(?!\s*(?:mg|kg|lbs?|%|/))",
                      re.IGNORECASE)
_OTHER_AGE = re.compile(
    rf"\b(?:(?:my\s+)?(?:{_RELATIVE})|he|she)\s*(?:is|'s|was|just\s+turned|turned|,)\s*(?:only\s+|just\s+)?"
    rf"(?P<n>{NUMBER})\b{_NOT_AN_AGE_AFTER}{_AGE_ENDS}",
    re.IGNORECASE)
_ONLY_AGE = re.compile(
    rf"^\s*(?:about|around|i'?m|im|i\s+am|age:?|aged)?\s*(?P<n>{NUMBER})\s*(?:years?|yrs?|yo|y/o|y\.o\.?)?\s*(?:old)?"
    rf"\s*(?:years\s+old)?\s*[.!]?\s*$", re.IGNORECASE)
_SELF_SEX = re.compile(
    r"\b(?:i'?m|i\s+am|im|as)\s+(?:a\s+)?(?:\d{1,3}\s*(?:-\s*)?(?:years?|yrs?|yr)?\s*(?:-\s*)?(?:old|yo|y/o)?\s*)?"
    r"(?P<sex>female|male|woman|man|guy|lady|gentleman|dude|bloke|gal|girl|boy)\b"
    r"|\b(?:sex|gender)\s*(?::|is|-|=)?\s*(?P<sex2>female|male|woman|man|f|m)\b"
    r"|\b(?:\d{1,3}\s*(?:-\s*)?(?:years?|yrs?|yr)\s*(?:-\s*)?old|\d{1,3}\s*(?:yo|y/o))\s+"
    r"(?P<sex3>female|male|woman|man|guy|lady|gentleman)\b",
    re.IGNORECASE)
_ONLY_SEX = re.compile(
    r"^\s*(?:i'?m\s+|i\s+am\s+)?(?:a\s+)?(?P<sex>female|male|f|m|woman|man|girl|boy|guy|lady|gentleman)\s*[.!]?\s*$",
    re.IGNORECASE)


def find_ages(text: str) -> List[Tuple[int, int, str, str]]:
    """(start, end, age in whole years, subject) for each stated age."""
    found = []
    for pattern, subject in ((_ONLY_AGE, "self"), (_AGE_SEX, "self"), (_YEARS_OLD, "self"), (_SELF_AGE, "self"),
                             (_OTHER_AGE, "other")):
        for match in pattern.finditer(text):
            group = "n" if match.groupdict().get("n") else "m"
            value = to_number(match.group(group) or "")
            if value is None or not 0 < value <= MAX_AGE:
                continue
            start, end = match.span(group)
            if any(s < end and start < e for s, e, _, _ in found):
                continue
            who = _subject_near(text, match.start()) if pattern is _YEARS_OLD else subject
            found.append((start, end, format_number(int(value)), who))
    return sorted(found)


def find_sexes(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, "female" | "male") for each plainly stated sex of the speaker."""
    found = []
    for pattern in (_ONLY_SEX, _SELF_SEX, _AGE_SEX):
        for match in pattern.finditer(text):
            group = next((g for g in ("sex", "sex2", "sex3") if match.groupdict().get(g)), None)
            if group is None:
                continue
            start, end = match.span(group)
            if any(s < end and start < e for s, e, _ in found):
                continue
            word = match.group(group).lower()
            found.append((start, end, "female" if re.fullmatch(_FEMALE, word) else "male"))
    return sorted(found)


def _subject_near(text: str, start: int) -> str:
    """'my 80 year old dad' is about someone else; '45 year old here' about the speaker."""
    before = text[max(0, start - 12):start].lower()
    after = text[start:start + 40].lower()
    if re.search(r"\b(?:i'?m|i\s+am|im)\s+(?:a\s+|an\s+)?$", before):
        return "self"
    if re.search(rf"old\s+(?:{_RELATIVE}|patient|son|daughter|child|kid)\b", after):
        return "other"
    if re.search(r"\b(?:my|our|his|her)\s+$", before):
        return "other"
    return "self"
