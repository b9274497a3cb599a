"""Scores of played vignettes, per case and per set (FORMAT.md).

- emergency sensitivity: of the cases whose every accepted level is an emergency level, the share
  told an emergency level (an escalation counts with its own triage);
- over-triage to emergency: of the cases accepting no emergency level, the share told one;
- triage accuracy: the level told is one of the accepted levels;
- safe triage: the level told is at least as urgent as the least urgent accepted level;
- top-1 / top-3: a condition regex matches the first / one of the first three ranked conditions
  (id or name; an escalation's pattern and the condition it names stand for its ranking);
- evidence checks: present/absent regexes matched by evidence with that choice (assessments only).
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Optional

from bot.evaluation.play import Played
from bot.kb.schema import TRIAGE_LEVELS
from bot.triage.levels import EMERGENCY_LEVELS, rank_of


@dataclass
class CaseScore:
    played: Played
    expected_emergency: bool
    told_emergency: bool
    triage_ok: bool
    safe: bool
    top1: Optional[bool]
    top3: Optional[bool]
    evidence_passed: int
    evidence_checked: int
    failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.failures)


def score_case(played: Played) -> CaseScore:
    expect = played.vignette.expect
    least_urgent = max(rank_of(level) for level in expect.triage)
    told = played.triage if played.triage in TRIAGE_LEVELS else None
    told_emergency = told in EMERGENCY_LEVELS
    triage_ok = told in expect.triage
    safe = told is not None and rank_of(told) <= least_urgent
    top1 = top3 = None
    if expect.conditions:
        hits = [_matches_any(expect.conditions, f"{cid} {name}") for cid, name in played.conditions]
        top1, top3 = any(hits[:1]), any(hits[:3])
    passed = checked = 0
    failures = []
    if played.ended_by == "assessment":
        for choice, patterns in (("present", expect.present), ("absent", expect.absent)):
            items = [f"{e.get('id', '')} {e.get('name', '')}" for e in played.evidence if e.get("choice") == choice]
            for pattern in patterns:
                checked += 1
                if any(re.search(pattern, item, re.IGNORECASE) for item in items):
                    passed += 1
                else:
                    failures.append(f"evidence: nothing {choice} matches /{pattern}/")
    if played.ended_by in ("turn_limit", "error"):
        failures.insert(0, f"no outcome ({played.ended_by}{': ' + played.error if played.error else ''})")
    if not triage_ok:
        failures.insert(0, f"triage {told} not in {list(expect.triage)}{'' if safe else ' (UNSAFE)'}")
    if top3 is False:
        failures.append(f"condition not in top 3: {[n for _, n in played.conditions[:3]]}")
    elif top1 is False:
        failures.append(f"condition not first: {[n for _, n in played.conditions[:3]]}")
    return CaseScore(played, least_urgent <= max(map(rank_of, EMERGENCY_LEVELS)), told_emergency, triage_ok, safe,
                     top1, top3, passed, checked, failures)


@dataclass(frozen=True)
class Metric:
    label: str
    value: Optional[float]  # a share in [0, 1], or a plain number for counts and times
    count: str  # "k/n" or ""
    share: bool = True
    decimals: int = 2  # for plain numbers

    def shown(self) -> str:
        if self.value is None:
            return "n/a"
        if self.share:
            return f"{self.value * 100:.1f}% ({self.count})"
        return f"{self.value:.{self.decimals}f}{self.count}"


def summarise(cases: list[CaseScore]) -> list[Metric]:
    emergencies = [c for c in cases if c.expected_emergency]
    non_emergencies = [c for c in cases if not any(lvl in EMERGENCY_LEVELS for lvl in c.played.vignette.expect.triage)]
    with_conditions = [c for c in cases if c.top1 is not None]
    latencies = [s for c in cases for s in c.played.latencies]
    return [
        Metric("cases", float(len(cases)), "", share=False, decimals=0),
        _share("emergency sensitivity", [c.told_emergency for c in emergencies]),
        _share("over-triage to emergency", [c.told_emergency for c in non_emergencies]),
        _share("triage accuracy", [c.triage_ok for c in cases]),
        _share("safe triage", [c.safe for c in cases]),
        _share("top-1 condition", [c.top1 for c in with_conditions]),
        _share("top-3 condition", [c.top3 for c in with_conditions]),
        _fraction("evidence checks", sum(c.evidence_passed for c in cases), sum(c.evidence_checked for c in cases)),
        Metric("mean questions asked", statistics.fmean([c.played.questions for c in cases]) if cases else None, "",
               share=False),
        Metric("turn latency median (s)", statistics.median(latencies) if latencies else None, "", share=False),
        Metric("turn latency p95 (s)", _percentile(latencies, 0.95), "", share=False),
    ]


def _share(label: str, flags: list[bool]) -> Metric:
    return _fraction(label, sum(bool(f) for f in flags), len(flags))


def _fraction(label: str, hits: int, total: int) -> Metric:
    return Metric(label, hits / total if total else None, f"{hits}/{total}")


def _percentile(values: list[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _matches_any(patterns, text: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)
