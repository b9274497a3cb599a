"""Numbers written in digits or words ("45", "forty-five", "a couple"), for durations and ages."""
from __future__ import annotations

import re
from typing import Optional

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}

# A number in words: "seven", "forty-five", "forty five", "a hundred and two", "one hundred".
_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
_TENS_WORDS = "|".join(sorted(TENS, key=len, reverse=True))
NUMBER_WORDS = (rf"(?:(?:a|one)\s+hundred(?:\s+(?:and\s+)?(?:(?:{_TENS_WORDS})(?:[\s-]+(?:{_UNIT_WORDS}))?"
                rf"|{_UNIT_WORDS}))?|(?:{_TENS_WORDS})(?:[\s-]+(?:{_UNIT_WORDS}))?|{_UNIT_WORDS})")
NUMBER = rf"(?:\d{{1,3}}(?:\.\d)?|{NUMBER_WORDS})"


def to_number(text: str) -> Optional[float]:
    """'45' -> 45, 'forty-five' -> 45, 'a hundred and two' -> 102; None if it is not a number."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    total = 0
    if len(words) >= 2 and words[1] == "hundred" and words[0] in ("a", "one"):
        total, words = 100, words[2:]
    if not words:
        return float(total) if total else None
    if words[0] in TENS:
        total += TENS[words[0]]
        words = words[1:]
    if words and words[0] in UNITS:
        total += UNITS[words[0]]
        words = words[1:]
    return float(total) if not words else None


def format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)
