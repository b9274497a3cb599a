"""Which question to ask next: expected information gain over the current ranking.

A question's score is
- the expected entropy reduction of the condition distribution, plus
- `level_weight` times the expected entropy reduction of the urgency-level distribution (the
  probability held by each triage level's conditions): questions that split the urgent causes from
  the rest come forward while an urgent cause is plausible, even when they tell little about which
  of the non-urgent causes it is; plus
- `red_flag_weight` times the probability of a yes, for a question whose yes would complete one of
  the KB's red-flag rules: that answer escalates at once, so while it is plausible it is asked early.
  "Plausible" is at least `min_escalation_probability`: a yes no plausible cause explains has about
  the KB's default probability, and asking every red flag of the KB would leave no room to stop.

The same pass records whether an answer to the question could still change the triage level or
the top three, which the engine's stopping rule uses. `telltale_symptoms` names, per urgent
condition, the question the engine asks before stopping while that condition is not excluded.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.triage.evidence import ABSENT, PRESENT
from bot.triage.levels import EMERGENCY_LEVELS, level_masses, rank_of
from bot.triage.ranking import Ranker, top_ids


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
    joint_yes = [p * q for p, q in zip(prior, p_present, strict=True)]
    p_yes = sum(joint_yes)
    p_no = 1.0 - p_yes
    if p_yes <= 0.0 or p_no <= 0.0:
        return 0.0, p_yes, list(prior), list(prior)
    after_yes = [j / p_yes for j in joint_yes]
    after_no = [(p - j) / p_no for p, j in zip(prior, joint_yes, strict=True)]
    score = entropy(prior) - p_yes * entropy(after_yes) - p_no * entropy(after_no)
    if level_weight:
        levels_now = entropy(level_masses(prior, urgencies))
        levels_yes = entropy(level_masses(after_yes, urgencies))
        levels_no = entropy(level_masses(after_no, urgencies))
        score += level_weight * (levels_now - p_yes * levels_yes - p_no * levels_no)
    return score, p_yes, after_yes, after_no


@dataclass(frozen=True)
class Scoring:
    """What stays fixed between calls: the KB's tables and the engine's knobs."""

    condition_ids: Sequence[str]
    urgencies: Sequence[str]
    tables: dict  # symptom id -> P(present | condition), in condition_ids order
    level_weight: float
    red_flag_weight: float
    min_answer_probability: float
    min_escalation_probability: float


def candidates(
    scoring: Scoring,
    prior: Sequence[float],
    symptom_ids: Iterable[str],
    level_of: Callable[[Sequence[float], tuple[str, str]], str],
    closes: Callable[[str], bool],
) -> list[Candidate]:
    """Scores every candidate question; best first, ties broken by id.

    `level_of(distribution, (symptom_id, choice))` is the triage level the engine would tell after
    that answer (the answer matters beyond the distribution: it may complete a red-flag rule).
    `closes(symptom_id)` says whether a yes would complete a red-flag rule not complete yet. An
    answer counts as able to change the level or the top three only when it is not too unlikely:
    at least `min_escalation_probability` if it would make the level more urgent (under-triage is
    the worst failure, so even a rare answer that would escalate keeps the interview going), at
    least `min_answer_probability` otherwise.
    """
    level_now = level_of(prior, ("", ""))
    top_now = set(top_ids(prior, scoring.condition_ids, 3))
    found = []
    for symptom_id in symptom_ids:
        score, p_yes, after_yes, after_no = expected_gain(
            prior, scoring.tables[symptom_id], scoring.urgencies, scoring.level_weight
        )
        if scoring.red_flag_weight and p_yes >= scoring.min_escalation_probability and closes(symptom_id):
            score += scoring.red_flag_weight * p_yes
        changes_level = changes_top = False
        for likelihood, after, choice in ((p_yes, after_yes, PRESENT), (1.0 - p_yes, after_no, ABSENT)):
            if likelihood < scoring.min_escalation_probability:
                continue
            level = level_of(after, (symptom_id, choice))
            if level != level_now and (
                likelihood >= scoring.min_answer_probability or rank_of(level) < rank_of(level_now)
            ):
                changes_level = True
            top_after = set(top_ids(after, scoring.condition_ids, 3))
            if likelihood >= scoring.min_answer_probability and top_after != top_now:
                changes_top = True
        found.append(Candidate(symptom_id, score, p_yes, changes_level, changes_top))
    return sorted(found, key=lambda c: (-round(c.score, 12), c.id))


def telltale_symptoms(ranker: Ranker, urgencies: Sequence[str]) -> dict[str, str]:
    """Per emergency-level condition, the listed symptom (at least one in two) that best sets it apart.

    "Best" is the highest likelihood ratio against the prior-weighted mixture of the other
    conditions; computed once from the KB, so the screen asks the same thing every time.
    """
    priors = ranker.posterior({})
    telltales = {}
    for index, (condition, urgency) in enumerate(zip(ranker.conditions, urgencies, strict=True)):
        if urgency not in EMERGENCY_LEVELS:
            continue
        rest = sum(p for i, p in enumerate(priors) if i != index)

        def ratio(symptom_id: str, index: int = index, rest: float = rest) -> float:
            table = ranker.p_present[symptom_id]
            others = sum(p * q for i, (p, q) in enumerate(zip(priors, table, strict=True)) if i != index) / rest
            return table[index] / others

        listed = sorted(s for s, p in condition.symptoms.items() if p >= 0.5 and s in ranker.p_present)
        if listed:
            telltales[condition.id] = max(listed, key=lambda s: (ratio(s), s))
    return telltales
