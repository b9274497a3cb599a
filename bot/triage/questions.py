"""Which question to ask next: expected information gain over the current ranking.

A question's score is the expected entropy reduction of the condition distribution plus
`level_weight` times the expected entropy reduction of the urgency-level distribution (the
probability held by each triage level's conditions). The second term is what brings red-flag
questions forward while an urgent cause is still plausible: they split the urgent conditions from
the rest, so they lower the uncertainty about how urgent the case is, even when they tell little
about which of the non-urgent causes it is.

The same pass records whether an answer to the question could still change the triage level or
the top three, which the engine's stopping rule uses.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.triage.evidence import ABSENT, PRESENT
from bot.triage.levels import level_masses
from bot.triage.ranking import top_ids


@dataclass(frozen=True)
class Candidate:
    id: str
    score: float  # expected information gain (bits), condition + weighted level term
    p_yes: float  # predictive probability that the answer is yes
    changes_level: bool  # a not-unlikely answer would change the triage level
    changes_top: bool  # a not-unlikely answer would change which causes are the top three


def entropy(probabilities: Iterable[float]) -> float:
    """Shannon entropy in bits."""
    return -sum(p * math.log2(p) for p in probabilities if p > 0.0)


def expected_gain(
    prior: Sequence[float],
    p_present: Sequence[float],
    urgencies: Sequence[str],
    level_weight: float,
) -> tuple[float, float, list[float], list[float]]:
    """(score, P(yes), posterior if yes, posterior if no) for one yes/no question."""
    joint_yes = [p * q for p, q in zip(prior, p_present)]
    p_yes = sum(joint_yes)
    p_no = 1.0 - p_yes
    if p_yes <= 0.0 or p_no <= 0.0:
        return 0.0, p_yes, list(prior), list(prior)
    after_yes = [j / p_yes for j in joint_yes]
    after_no = [(p - j) / p_no for p, j in zip(prior, joint_yes)]
    score = entropy(prior) - p_yes * entropy(after_yes) - p_no * entropy(after_no)
    if level_weight:
        levels_now = entropy(level_masses(prior, urgencies))
        levels_yes = entropy(level_masses(after_yes, urgencies))
        levels_no = entropy(level_masses(after_no, urgencies))
        score += level_weight * (levels_now - p_yes * levels_yes - p_no * levels_no)
    return score, p_yes, after_yes, after_no


def candidates(
    prior: Sequence[float],
    condition_ids: Sequence[str],
    urgencies: Sequence[str],
    tables: dict,
    symptom_ids: Iterable[str],
    level_weight: float,
    level_of: Callable[[Sequence[float], tuple[str, str]], str],
    min_answer_probability: float,
) -> list[Candidate]:
    """Scores every candidate question; best first, ties broken by id.

    `level_of(distribution, (symptom_id, choice))` is the triage level the engine would tell after
    that answer (the answer matters beyond the distribution: it may complete a red-flag rule). An
    answer whose predictive probability is below `min_answer_probability` is not counted as able to
    change anything.
    """
    level_now = level_of(prior, ("", ""))
    top_now = set(top_ids(prior, condition_ids, 3))
    found = []
    for symptom_id in symptom_ids:
        score, p_yes, after_yes, after_no = expected_gain(prior, tables[symptom_id], urgencies, level_weight)
        likely = [
            (after, choice)
            for likelihood, after, choice in ((p_yes, after_yes, PRESENT), (1.0 - p_yes, after_no, ABSENT))
            if likelihood >= min_answer_probability
        ]
        changes_level = any(level_of(after, (symptom_id, choice)) != level_now for after, choice in likely)
        changes_top = any(set(top_ids(after, condition_ids, 3)) != top_now for after, _ in likely)
        found.append(Candidate(symptom_id, score, p_yes, changes_level, changes_top))
    return sorted(found, key=lambda c: (-round(c.score, 12), c.id))

