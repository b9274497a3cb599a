"""Red flags: which emergency patterns of the KB the evidence of a conversation completes.

Pure Python, no Rasa: the emergency policy (bot/policies/emergency.py), the triage engine and
the safety report (scripts/safety_report.py) all decide with these functions, so the report
measures exactly what the assistant does.

Safety choices made here (docs/safety.md):
- Only evidence marked present completes a rule; a negated mention ("no face drooping") is absent.
- A hedged mention in the latest message ("I think my speech is slurred") counts as present for
  the red flags, although the evidence itself keeps it as unknown: a possible stroke is escalated.
- Saying it is an emergency (the `emergency` intent, confident enough) is the evidence
  `self_reported_emergency`; the extractor finds the same id in phrases such as "I'm having a
  stroke", so escalation never rests on the intent classifier alone.
- A yes/no/not-sure answer to a pending question is evidence about that question's symptom.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, List, Mapping, Optional, Sequence, Union

from bot.kb.schema import KnowledgeBase, RedFlagRule
from bot.triage.evidence import ABSENT, PRESENT, UNKNOWN, Evidence, evidence_from_entities, merge, present
from bot.triage.levels import rank_of

SELF_REPORTED_EMERGENCY = "self_reported_emergency"  # KB symptom id (data/kb/symptoms_red_flags.yml)
EMERGENCY_INTENT = "emergency"
ANSWER_CHOICES = {"affirm": PRESENT, "deny": ABSENT, "unsure": UNKNOWN}
DEFAULT_SELF_REPORT_CONFIDENCE = 0.7

FINDING = "symptom"  # the KB kind of a clinical finding, as opposed to a risk factor or context


@dataclass(frozen=True)
class RedFlags:
    """The rules, and which ids are findings (what the person feels, not risk factors or context)."""

    rules: List[RedFlagRule]
    findings: Optional[frozenset] = None  # None: every id counts as a finding

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> "RedFlags":
        return cls(list(kb.red_flags), frozenset(s.id for s in kb.symptoms if s.kind == FINDING))


RulesSource = Union[KnowledgeBase, RedFlags, Iterable[RedFlagRule]]


def red_flags_of(source: RulesSource) -> RedFlags:
    if isinstance(source, KnowledgeBase):
        return RedFlags.from_kb(source)
    return source if isinstance(source, RedFlags) else RedFlags(list(source))


def rules_of(kb_or_rules: RulesSource) -> List[RedFlagRule]:
    return red_flags_of(kb_or_rules).rules


def completes(rule: RedFlagRule, present_ids: set) -> bool:
    return any(set(combination) <= present_ids for combination in rule.any_of)


def explained(rule: RedFlagRule, present_ids: set, findings: Optional[frozenset] = None) -> frozenset:
    """The present findings that the rule's completed combinations account for."""
    accounted = frozenset().union(*(c for c in rule.any_of if set(c) <= present_ids))
    return accounted if findings is None else accounted & findings


def matching_rules(kb_or_rules: RulesSource, evidence: Mapping[str, str]) -> List[RedFlagRule]:
    """The rules the present evidence completes, most urgent first, then KB order - except that a
    rule goes after another of its level that accounts for every finding it accounts for and more:
    a leg that turned cold, pale, numb and weak all at once is named limb ischaemia, not stroke,
    although sudden weakness alone completes a stroke rule of the same level. Risk factors and
    context (an injury, "sudden") do not count, so they never make a generic rule outdo a specific one."""
    red_flags = red_flags_of(kb_or_rules)
    found = present(evidence)
    matched = [rule for rule in red_flags.rules if completes(rule, found)]
    accounts = {rule.id: explained(rule, found, red_flags.findings) for rule in matched}

    def outdone(rule: RedFlagRule) -> int:
        return sum(1 for other in matched if other.triage == rule.triage and accounts[other.id] > accounts[rule.id])

    return sorted(matched, key=lambda rule: (rank_of(rule.triage), outdone(rule)))


@dataclass(frozen=True)
class Turn:
    """What the latest user message adds: its entities, its intent, the question it answers."""

    entities: Sequence[Mapping] = ()
    intent: Optional[str] = None
    intent_confidence: float = 0.0
    pending_question: Optional[str] = None  # the symptom id the assistant asked about last


def answer_evidence(turn: Turn) -> Evidence:
    choice = ANSWER_CHOICES.get(turn.intent or "")
    return {turn.pending_question: choice} if choice and turn.pending_question else {}


def folded_evidence(gathered: Optional[Mapping[str, str]], turn: Turn) -> Evidence:
    """The conversation's evidence after this turn, as the interview keeps it."""
    return merge(merge(gathered or {}, answer_evidence(turn)), evidence_from_entities(turn.entities))


def red_flag_evidence(
    gathered: Optional[Mapping[str, str]],
    turn: Turn,
    self_report_confidence: float = DEFAULT_SELF_REPORT_CONFIDENCE,
) -> Evidence:
    """The evidence the red flags are checked against: folded evidence, hedges of this turn as present,
    and a confident `emergency` intent as `self_reported_emergency`."""
    evidence = symptom_evidence(gathered, turn)
    if classified_as_emergency(turn, self_report_confidence):
        evidence[SELF_REPORTED_EMERGENCY] = PRESENT
    return evidence


def symptom_evidence(gathered: Optional[Mapping[str, str]], turn: Turn) -> Evidence:
    hedges_as_present = evidence_from_entities({**entity, "uncertain": False} for entity in turn.entities)
    return merge(folded_evidence(gathered, turn), hedges_as_present)


def classified_as_emergency(turn: Turn, self_report_confidence: float) -> bool:
    return turn.intent == EMERGENCY_INTENT and turn.intent_confidence >= self_report_confidence


@dataclass(frozen=True)
class Escalation:
    """What to tell: the most urgent new rule, and every new pattern this escalation covers."""

    rule: RedFlagRule
    patterns: List[str] = field(default_factory=list)  # new patterns, most urgent first
    reason: str = ""  # the reasons of those patterns, joined

    @property
    def triage(self) -> str:
        return self.rule.triage

    @property
    def pattern(self) -> str:
        return self.rule.pattern


def escalation(
    kb_or_rules: RulesSource, evidence: Mapping[str, str], escalated_patterns: Iterable[str] = ()
) -> Optional[Escalation]:
    """The escalation due now, or None when every completed pattern was escalated already.

    All patterns completed at the same moment are told in one message (the most urgent level,
    every reason) and all count as escalated, so the person is not sent a second, less urgent
    instruction on their next message. A pattern completed later escalates again.
    """
    done = set(escalated_patterns or ())
    new_rules: List[RedFlagRule] = []
    for rule in matching_rules(kb_or_rules, evidence):
        if rule.pattern not in done:
            done.add(rule.pattern)
            new_rules.append(rule)
    if not new_rules:
        return None
    return Escalation(
        rule=new_rules[0],
        patterns=[rule.pattern for rule in new_rules],
        reason=" ".join(rule.reason for rule in new_rules),
    )


def decide(
    kb_or_rules: RulesSource,
    gathered: Optional[Mapping[str, str]],
    turn: Turn,
    escalated_patterns: Iterable[str] = (),
    self_report_confidence: float = DEFAULT_SELF_REPORT_CONFIDENCE,
) -> Optional[Escalation]:
    """The emergency policy's whole decision for one turn, on plain data (the safety report runs it too).

    What the person described decides first; the intent classifier's "emergency" counts only when the
    symptoms complete no new pattern, so a described cauda equina is told as cauda equina (with its
    own instructions), not as a generic self-reported emergency.
    """
    found = escalation(kb_or_rules, symptom_evidence(gathered, turn), escalated_patterns)
    if found is None and classified_as_emergency(turn, self_report_confidence):
        found = escalation(kb_or_rules, red_flag_evidence(gathered, turn, self_report_confidence), escalated_patterns)
    return found
