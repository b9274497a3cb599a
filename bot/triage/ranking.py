"""Ranks the KB's conditions from evidence: a naive-Bayes model with a leak and hard exclusions.

P(condition | evidence) is proportional to

    rarity prior  x  demographic modifiers  x  product over answered symptoms of P(answer | condition)

- P(present | condition) is the KB's likelihood, or `meta.default_symptom_probability` for a symptom
  the condition does not list, mixed with a small leak (noisy-OR: a symptom can always be there for
  some unrelated reason), so no single answer can make a listed condition impossible...
- ...except the KB's hard facts: a present `never` symptom, or an absent `always` symptom, multiplies
  the condition by `EXCLUDED` (near zero, not zero: the person may have misread the question).
- "unknown" answers and ids the KB does not know are ignored.

Log-likelihood tables are built once per `Ranker`, so ranking and the question search are cheap.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.kb.schema import Condition, KnowledgeBase
from bot.triage.evidence import ABSENT, PRESENT

EXCLUDED = 1e-4  # likelihood of an answer the KB says can never happen with the condition
LEAK = 0.01  # chance a symptom is reported for a reason outside the model


@dataclass(frozen=True)
class Ranked:
    id: str
    name: str
    probability: float


class Ranker:
    """Posterior over the KB's conditions. Conditions are kept in id order, so results are deterministic."""

    def __init__(self, kb: KnowledgeBase, leak: float = LEAK, excluded: float = EXCLUDED):
        self.kb = kb
        self.conditions: list[Condition] = sorted(kb.conditions, key=lambda c: c.id)
        self.condition_ids: list[str] = [c.id for c in self.conditions]
        self.names: dict[str, str] = {c.id: c.name for c in self.conditions}
        self.symptom_ids: list[str] = sorted(s.id for s in kb.symptoms)
        default = kb.meta.default_symptom_probability
        self._log_prior = [math.log(kb.meta.rarity_priors[c.rarity]) for c in self.conditions]
        # P(present | condition) per symptom id, one float per condition (in self.conditions order).
        self.p_present: dict[str, list[float]] = {
            s: [_likelihood(c, s, default, leak, excluded) for c in self.conditions] for s in self.symptom_ids
        }
        self._log_present = {s: [math.log(p) for p in ps] for s, ps in self.p_present.items()}
        self._log_absent = {s: [math.log(1.0 - p) for p in ps] for s, ps in self.p_present.items()}
        # Symptoms that tell at least two conditions apart: the only ones worth asking about.
        self.informative: list[str] = [s for s in self.symptom_ids if _spread(self.p_present[s]) > 1e-9]

    def log_scores(self, evidence: Mapping[str, str], age: float | None = None, sex: str | None = None) -> list[float]:
        pairs = zip(self._log_prior, self.conditions, strict=True)
        scores = [prior + _log_demographics(c, age, sex) for prior, c in pairs]
        for symptom_id, choice in evidence.items():
            table = self._log_present if choice == PRESENT else self._log_absent if choice == ABSENT else None
            if table is None or symptom_id not in table:
                continue
            scores = [score + term for score, term in zip(scores, table[symptom_id], strict=True)]
        return scores

    def posterior(self, evidence: Mapping[str, str], age: float | None = None, sex: str | None = None,
                  temperature: float = 1.0) -> list[float]:
        """Probabilities in `self.condition_ids` order; they sum to one. A temperature above one softens them."""
        return normalise_logs([score / temperature for score in self.log_scores(evidence, age, sex)])

    def likelihoods(self, evidence: Mapping[str, str]) -> dict[str, float]:
        """Condition id -> probability, without age or sex (how the red flags name the likelier pattern)."""
        return dict(zip(self.condition_ids, self.posterior(evidence), strict=True))

    def rank(self, evidence: Mapping[str, str], age: float | None = None, sex: str | None = None) -> list[Ranked]:
        """Every condition, most probable first (ties by id)."""
        return ranked(self.condition_ids, self.names, self.posterior(evidence, age, sex))


def ranked(ids: Sequence[str], names: Mapping[str, str], probabilities: Sequence[float]) -> list[Ranked]:
    order = sorted(range(len(ids)), key=lambda i: (-probabilities[i], ids[i]))
    return [Ranked(ids[i], names[ids[i]], probabilities[i]) for i in order]


def normalise_logs(log_scores: Sequence[float]) -> list[float]:
    top = max(log_scores)
    weights = [math.exp(score - top) for score in log_scores]
    total = sum(weights)
    return [w / total for w in weights]


def _likelihood(condition: Condition, symptom_id: str, default: float, leak: float, excluded: float) -> float:
    """P(symptom present | condition), kept strictly inside (0, 1)."""
    if symptom_id in condition.never:
        return excluded
    if symptom_id in condition.always:
        return 1.0 - excluded
    p = condition.symptoms.get(symptom_id, default)
    return leak + (1.0 - leak) * p


def _spread(values: Sequence[float]) -> float:
    return max(values) - min(values)


def _log_demographics(condition: Condition, age: float | None, sex: str | None) -> float:
    demographics = condition.demographics
    factor = 1.0
    if age is not None:
        too_young = demographics.age_min is not None and age < demographics.age_min
        too_old = demographics.age_max is not None and age > demographics.age_max
        if too_young or too_old:
            factor *= demographics.outside_age_factor
    if sex is not None:
        factor *= demographics.sex.get(sex, 1.0)
    return math.log(factor)


def top_ids(probabilities: Sequence[float], ids: Sequence[str], n: int) -> tuple[str, ...]:
    order = sorted(range(len(ids)), key=lambda i: (-probabilities[i], ids[i]))
    return tuple(ids[i] for i in order[:n])
