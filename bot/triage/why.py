"""What one question tells apart: how a yes or a no would move each cause, from the same information-gain
terms that chose the question (bot/triage/questions.py). The interview's answer to "why are you asking?"
is worded from this, never from text written per question."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.kb.schema import Condition

MIN_SHIFT = 0.03  # a cause an answer moves by less than three percentage points is not worth naming


@dataclass(frozen=True)
class Shift:
    condition_id: str
    name: str
    now: float  # probability before the answer
    after: float  # probability after it


@dataclass(frozen=True)
class QuestionValue:
    symptom_id: str
    gain: float  # bits the answer is expected to tell about the causes
    if_yes: tuple[Shift, ...]  # causes a yes would make likelier, most moved first
    if_no: tuple[Shift, ...]  # causes a no would make likelier, most moved first
    level_now: str
    level_if_yes: str
    level_if_no: str


def shifts(ids: Sequence[str], names: dict[str, str], now: Sequence[float], after: Sequence[float],
           limit: int = 2) -> tuple[Shift, ...]:
    """The `limit` causes an answer would make likelier by at least MIN_SHIFT, most moved first (ties by id)."""
    moved = [Shift(i, names[i], p, q) for i, p, q in zip(ids, now, after, strict=True) if q - p >= MIN_SHIFT]
    return tuple(sorted(moved, key=lambda s: (s.now - s.after, s.condition_id))[:limit])


def demographic_effects(conditions: Sequence[Condition], asked: str, limit: int = 3) -> tuple[str, ...]:
    """The ids of the causes whose likelihood `asked` ("age" or "sex") changes most, from the KB's demographics."""
    def effect(condition: Condition) -> float:
        demographics = condition.demographics
        if asked == "age":
            bounded = demographics.age_min is not None or demographics.age_max is not None
            return -math.log(demographics.outside_age_factor) if bounded else 0.0
        return max((abs(math.log(factor)) for factor in demographics.sex.values()), default=0.0)

    ranked = sorted(((effect(c), c.id) for c in conditions), key=lambda item: (-item[0], item[1]))
    return tuple(condition_id for strength, condition_id in ranked[:limit] if strength > 0.0)
