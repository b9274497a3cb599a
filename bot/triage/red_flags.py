"""Red flags: which emergency patterns of the KB the evidence of a conversation completes.

Pure Python, no Rasa: the emergency policy (bot/policies/emergency.py), the triage engine and
the safety report (scripts/safety_report.py) all decide with these functions, so the report
measures exactly what the assistant does.

Safety choices made here (docs/safety.md):
- Only evidence marked present completes a rule; a negated mention ("no face drooping") is absent.
- Saying that an emergency is happening is the evidence `self_reported_emergency`; the extractor
  finds the same id in phrases such as "I'm having a stroke", so escalation never rests on an
  intent classifier alone. Which evidence the rules see (hedges, answers) is the interview's
  business: bot/interview/turn.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, List, Mapping, Optional, Union

from bot.kb.ids import FINDING_KIND, SELF_REPORTED_EMERGENCY
from bot.kb.schema import KnowledgeBase, RedFlagRule
from bot.triage.evidence import PRESENT, present
from bot.triage.levels import rank_of

AFTER_WINDOW_DEFAULT = "consultation"  # a pattern whose time has passed, and that names no level of its own


@dataclass(frozen=True)
class RedFlags:
    """The rules, and which ids are findings (what the person feels, not risk factors or context)."""

    rules: List[RedFlagRule]
    findings: Optional[frozenset] = None  # None: every id counts as a finding

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> "RedFlags":
        return cls(list(kb.red_flags), frozenset(s.id for s in kb.symptoms if s.kind == FINDING_KIND))


RulesSource = Union[KnowledgeBase, RedFlags, Iterable[RedFlagRule]]


def red_flags_of(source: RulesSource) -> RedFlags:
    if isinstance(source, KnowledgeBase):
        return RedFlags.from_kb(source)
    return source if isinstance(source, RedFlags) else RedFlags(list(source))


def rules_of(kb_or_rules: RulesSource) -> List[RedFlagRule]:
    return red_flags_of(kb_or_rules).rules


def complete_combinations(rule: RedFlagRule, present_ids: set, onsets: Optional[Mapping[str, float]] = None,
                          in_window: bool = True) -> List[List[str]]:
    """The rule's combinations whose every id is present and, with `in_window`, began within the rule's
    window (a finding whose start was not said counts as now)."""
    onsets = onsets or {}
    window = rule.within_hours if in_window else None
    return [c for c in rule.any_of
            if set(c) <= present_ids and (window is None or all(onsets.get(i, 0.0) <= window for i in c))]


def ruled_out(rule: RedFlagRule, evidence: Mapping[str, str]) -> bool:
    """The person said what rules the pattern out ("it did not come on suddenly")."""
    return any(evidence.get(symptom_id) == choice for symptom_id, choice in rule.unless.items())


def completes(rule: RedFlagRule, present_ids: set, onsets: Optional[Mapping[str, float]] = None) -> bool:
    return bool(complete_combinations(rule, present_ids, onsets))


def explained(rule: RedFlagRule, present_ids: set, findings: Optional[frozenset] = None,
              onsets: Optional[Mapping[str, float]] = None) -> frozenset:
    """The present findings that the rule's completed combinations account for."""
    accounted = frozenset().union(*complete_combinations(rule, present_ids, onsets))
    return accounted if findings is None else accounted & findings


def matching_rules(kb_or_rules: RulesSource, evidence: Mapping[str, str], onsets: Optional[Mapping[str, float]] = None,
                   likelihoods: Optional[Mapping[str, float]] = None) -> List[RedFlagRule]:
    """The rules the present evidence completes within their time windows, most urgent first.

    Within a level, the most specific pattern first: a rule goes after another that accounts for
    every finding it accounts for and more (a leg that turned cold, pale, numb and weak all at once
    is limb ischaemia, although sudden weakness alone completes a stroke rule of the same level);
    then the rule whose condition is the likelier cause given everything said (`likelihoods`,
    condition id -> probability: a cold, pale foot in someone with an irregular heartbeat is limb
    ischaemia); a rule that names no condition (a self-reported emergency) comes last; then KB
    order. Risk factors and context (an injury, "sudden") do not count as accounted findings, so they
    never make a generic rule outdo a specific one."""
    red_flags = red_flags_of(kb_or_rules)
    found = present(evidence)
    matched = [rule for rule in red_flags.rules if not ruled_out(rule, evidence) and completes(rule, found, onsets)]
    accounts = {rule.id: explained(rule, found, red_flags.findings, onsets) for rule in matched}
    likelihoods = likelihoods or {}

    def outdone(rule: RedFlagRule) -> int:
        return sum(1 for other in matched if other.triage == rule.triage and accounts[other.id] > accounts[rule.id])

    def unlikely(rule: RedFlagRule) -> float:
        return -likelihoods.get(rule.condition, 0.0) if rule.condition else 1.0

    return sorted(matched, key=lambda rule: (rank_of(rule.triage), outdone(rule), unlikely(rule)))


def lapsed_level(kb_or_rules: RulesSource, evidence: Mapping[str, str],
                 onsets: Optional[Mapping[str, float]] = None) -> Optional[str]:
    """The most urgent level of the patterns complete only with findings older than their window: a TIA
    four days ago calls for a doctor within 24 hours (`after_window`), not an ambulance. None if none."""
    found, onsets = present(evidence), onsets or {}
    levels = []
    for rule in red_flags_of(kb_or_rules).rules:
        if ruled_out(rule, evidence) or completes(rule, found, onsets):
            continue
        for combination in complete_combinations(rule, found, onsets, in_window=False):
            level = rule.level_at(max(onsets.get(i, 0.0) for i in combination))
            levels += [level] if level else []
    return min(levels, key=rank_of) if levels else None


def condition_level(rules: Iterable[RedFlagRule], base: str, hours: float) -> str:
    """A condition's urgency when the most recent of its findings began `hours` ago: its own urgency while
    any of its red-flag rules is in its window, then the most urgent level its rules call for later, or a
    doctor's visit. A condition without time-limited rules keeps its urgency."""
    rules = list(rules)
    if not rules or any(rule.within_hours is None or hours <= rule.within_hours for rule in rules):
        return base
    later = [level for level in (rule.level_at(hours) for rule in rules) if level]
    level = min(later, key=rank_of) if later else AFTER_WINDOW_DEFAULT
    return level if rank_of(level) >= rank_of(base) else base


@dataclass(frozen=True)
class Escalation:
    """What to tell: the most urgent new rule, and every new pattern this escalation covers."""

    rule: RedFlagRule
    patterns: List[str] = field(default_factory=list)  # new patterns, most urgent first
    reason: str = ""  # the reasons of those patterns, joined
    findings: List[str] = field(default_factory=list)  # what was said that any rule of these patterns looks for

    @property
    def triage(self) -> str:
        return self.rule.triage

    @property
    def pattern(self) -> str:
        return self.rule.pattern


def escalation(
    kb_or_rules: RulesSource,
    evidence: Mapping[str, str],
    escalated_patterns: Iterable[str] = (),
    onsets: Optional[Mapping[str, float]] = None,
    likelihoods: Optional[Mapping[str, float]] = None,
) -> Optional[Escalation]:
    """The escalation due now, or None when every completed pattern was escalated already.

    All patterns completed at the same moment are told in one message (the most urgent level,
    every reason) and all count as escalated, so the person is not sent a second, less urgent
    instruction on their next message. A pattern completed later escalates again.
    """
    done = set(escalated_patterns or ())
    found = present(evidence)
    matched = matching_rules(kb_or_rules, evidence, onsets, likelihoods)
    new_rules: List[RedFlagRule] = []
    for rule in matched:
        if rule.pattern not in done:
            done.add(rule.pattern)
            new_rules.append(rule)
    if not new_rules:
        return None
    patterns = [rule.pattern for rule in new_rules]
    relevant = {symptom_id for rule in red_flags_of(kb_or_rules).rules if rule.pattern in patterns
                for combination in rule.any_of for symptom_id in combination}
    return Escalation(
        rule=new_rules[0],
        patterns=patterns,
        reason=" ".join(rule.reason for rule in new_rules),
        findings=[symptom_id for symptom_id in evidence if symptom_id in relevant and symptom_id in found],
    )


def decide(
    kb_or_rules: RulesSource,
    evidence: Mapping[str, str],
    escalated_patterns: Iterable[str] = (),
    reported_emergency: bool = False,
    onsets: Optional[Mapping[str, float]] = None,
    likelihoods: Optional[Mapping[str, float]] = None,
) -> Optional[Escalation]:
    """The escalation due for this evidence, on plain data (the policy, the interview and the safety report).

    What the person described decides first; their saying that an emergency is happening counts
    only when the symptoms complete no new pattern, so a described cauda equina is told as cauda
    equina (with its own instructions), not as a generic self-reported emergency.
    """
    found = escalation(kb_or_rules, evidence, escalated_patterns, onsets, likelihoods)
    if found is None and reported_emergency:
        found = escalation(kb_or_rules, {**evidence, SELF_REPORTED_EMERGENCY: PRESENT}, escalated_patterns, onsets,
                           likelihoods)
    return found
