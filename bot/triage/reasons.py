"""Reasons for and against a cause: which answers make it likelier than the other causes, and which speak
against it (like Infermedica's /explain, with its supporting and conflicting evidence).

An answer's weight for a condition is its log-likelihood ratio between that condition and the mixture of
the other conditions, weighted by their probability: the same naive-Bayes terms the ranking multiplies
(bot/triage/ranking.py). A KB hard fact (a `never` symptom present, an `always` symptom denied) carries
the ranking's near-zero likelihood, so it always comes first against.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.triage.evidence import ABSENT, PRESENT
from bot.triage.ranking import Ranker

MIN_WEIGHT = 0.1  # nats: weaker answers hardly move the condition against the others


@dataclass(frozen=True)
class Weighed:
    symptom_id: str
    choice: str  # present | absent
    weight: float  # log-likelihood ratio: above zero for the condition, below zero against it


@dataclass(frozen=True)
class Reasons:
    supporting: tuple[Weighed, ...]  # strongest first
    conflicting: tuple[Weighed, ...]  # strongest first


def weigh(ranker: Ranker, evidence: Mapping[str, str], posterior: Sequence[float], condition_id: str) -> list[Weighed]:
    """Every yes or no answer with its weight for `condition_id` against the other causes."""
    index = ranker.condition_ids.index(condition_id)
    others = [p if i != index else 0.0 for i, p in enumerate(posterior)]
    total = sum(others)
    if total <= 0.0:
        return []
    weighed = []
    for symptom_id, choice in evidence.items():
        table = ranker.p_present.get(symptom_id)
        if table is None or choice not in (PRESENT, ABSENT):
            continue
        chance = [p if choice == PRESENT else 1.0 - p for p in table]
        rest = sum(w * c for w, c in zip(others, chance, strict=True)) / total
        weighed.append(Weighed(symptom_id, choice, math.log(chance[index] / rest)))
    return weighed


def reasons(ranker: Ranker, evidence: Mapping[str, str], posterior: Sequence[float], condition_id: str,
            limit: int = 3) -> Reasons:
    """The `limit` strongest answers for and against `condition_id`; ties by symptom id."""
    weighed = weigh(ranker, evidence, posterior, condition_id)
    supporting = sorted((w for w in weighed if w.weight > MIN_WEIGHT), key=lambda w: (-w.weight, w.symptom_id))
    conflicting = sorted((w for w in weighed if w.weight < -MIN_WEIGHT), key=lambda w: (w.weight, w.symptom_id))
    return Reasons(tuple(supporting[:limit]), tuple(conflicting[:limit]))
