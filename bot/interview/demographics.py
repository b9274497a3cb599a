"""Age and sex as the interview keeps them: years as text, "female" / "male", or "unspecified" when declined."""
from __future__ import annotations

import re
from typing import Any, Optional

UNSPECIFIED = "unspecified"
SEXES = ("female", "male", UNSPECIFIED)
REFUSAL = re.compile(
    r"\b(prefer not|rather not|not (?:telling|saying|say)|won'?t say|don'?t want to say|skip|private|"
    r"none of your business|no comment)\b",
    re.IGNORECASE,
)


def declines(text: str) -> bool:
    """The person declines to say ("I'd rather not say")."""
    return bool(REFUSAL.search(text))


def parse_age(value: Any) -> Optional[float]:
    """An age in years between 0 and 120, or None (also for `unspecified`)."""
    if value is None or value == UNSPECIFIED:
        return None
    try:
        age = float(value)
    except (TypeError, ValueError):
        return None
    return age if 0 <= age <= 120 else None


def valid_age(value: Any) -> Optional[str]:
    """The age as the interview keeps it ("45", "unspecified"), or None when `value` is not an age."""
    if value == UNSPECIFIED:
        return UNSPECIFIED
    age = parse_age(value)
    return None if age is None else f"{age:g}"


def valid_sex(value: Any) -> Optional[str]:
    return value if value in SEXES else None


def engine_sex(value: Any) -> Optional[str]:
    """The sex the ranking can use: female or male; None when unknown or declined."""
    return value if value in ("female", "male") else None
