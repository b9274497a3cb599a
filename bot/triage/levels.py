"""The triage level: how urgently to get care, from the ranked conditions' urgencies and the evidence.

The level told is the most urgent one whose conditions, together with every more urgent
condition, hold at least that level's threshold of the probability. Thresholds are lower for the
urgent levels (an urgent cause need not be the likeliest to be acted on), and all are at most one
half, so when two levels are equally supported the more urgent one wins. A red-flag rule of the KB
whose symptoms are all present sets a floor (`floor`): the engine never tells less than the rule.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.kb.schema import TRIAGE_LEVELS

# Cumulative probability (this level or more urgent) at which a level is told.
DEFAULT_THRESHOLDS: dict[str, float] = {
    "emergency_ambulance": 0.15,
    "emergency": 0.2,
    "consultation_24": 0.3,
    "consultation": 0.35,
    "self_care": 0.0,
}
EMERGENCY_LEVELS = ("emergency_ambulance", "emergency")


def rank_of(level: str) -> int:
    """0 for the most urgent level."""
    return TRIAGE_LEVELS.index(level)


def more_urgent(a: str, b: str) -> str:
    return a if rank_of(a) <= rank_of(b) else b


def level_masses(probabilities: Sequence[float], urgencies: Sequence[str]) -> list[float]:
    """Probability held by the conditions of each level, in TRIAGE_LEVELS order."""
    masses = [0.0] * len(TRIAGE_LEVELS)
    for probability, urgency in zip(probabilities, urgencies, strict=True):
        masses[rank_of(urgency)] += probability
    return masses


def level_from_masses(masses: Sequence[float], thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> str:
    cumulative = 0.0
    for level, mass in zip(TRIAGE_LEVELS, masses, strict=True):
        cumulative += mass
        if cumulative >= thresholds[level] - 1e-12:
            return level
    return TRIAGE_LEVELS[-1]


def triage_level(
    probabilities: Sequence[float],
    urgencies: Sequence[str],
    floor: str | None = None,
    thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS,
) -> str:
    level = level_from_masses(level_masses(probabilities, urgencies), thresholds)
    return more_urgent(level, floor) if floor else level
