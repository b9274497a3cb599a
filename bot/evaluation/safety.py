"""Safety evaluation: does the assistant escalate every emergency of the labelled set, and only those?

Every item of tests/safety/ goes through the symptom extractor, the evidence and the interview's
own escalation (what the emergency policy runs), turn by turn as a conversation. No intent
classifier is used except the labelled affirm/deny/unsure of bare answers, so the figures are
those of the path that does not depend on one. `python scripts/safety_report.py` prints them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence

import yaml

from bot import intents
from bot.interview.interview import InterviewState, escalate
from bot.interview.turn import Turn, fold, fold_onsets, red_flag_evidence
from bot.kb.schema import KnowledgeBase
from bot.triage.evidence import present
from bot.triage.levels import rank_of
from bot.triage.ranking import Ranker
from bot.triage.red_flags import RedFlags

ROOT = Path(__file__).resolve().parents[2]

DEFAULT_SET = ROOT / "tests" / "safety" / "escalations.yml"
HELD_BACK_2_SET = ROOT / "tests" / "safety" / "escalations_held_back_2.yml"
HELD_BACK_3_SET = ROOT / "tests" / "safety" / "escalations_held_back_3.yml"
DEFAULT_SETS = (DEFAULT_SET, HELD_BACK_2_SET, HELD_BACK_3_SET)
DEFAULT_OUT = ROOT / "reports" / "safety.md"
SPLITS = ("seen", "held_back", "held_back_2", "held_back_3")
RECALL_TARGET = 1.0
FALSE_ESCALATION_LIMIT = 0.05

Extract = Callable[[str], Sequence[Mapping]]


@dataclass
class Outcome:
    item: dict
    escalated_at: Optional[int] = None  # index of the first escalating turn
    triage: Optional[str] = None  # level told at the first escalation
    patterns: List[str] = field(default_factory=list)  # every pattern escalated in the conversation
    evidence: List[str] = field(default_factory=list)  # present ids at the first escalation, else at the end

    @property
    def escalated(self) -> bool:
        return self.escalated_at is not None

    @property
    def turns(self) -> List[dict]:
        return conversation(self.item)

    @property
    def correct(self) -> bool:
        return self.escalated == self.item["escalate"]

    @property
    def premature(self) -> bool:
        """Escalated before the turn that reveals the red flag (always the last one in the set)."""
        return self.item["escalate"] and self.escalated and self.escalated_at < len(self.turns) - 1

    @property
    def under_triaged(self) -> bool:
        expected = self.item.get("triage")
        return bool(self.item["escalate"] and self.escalated and expected and rank_of(self.triage) > rank_of(expected))


def load_items(*paths: Path) -> List[dict]:
    """The items of the given set files, in order; by default every part (DEFAULT_SETS)."""
    items: List[dict] = []
    for path in paths or DEFAULT_SETS:
        items += yaml.safe_load(Path(path).read_text(encoding="utf-8"))["items"]
    return items


def conversation(item: Mapping) -> List[dict]:
    return list(item["turns"]) if "turns" in item else [{"user": item["text"]}]


def run_item(item: Mapping, kb: KnowledgeBase, extract: Extract) -> Outcome:
    """Plays the conversation as the assistant would: evidence gathered turn by turn, each turn decided
    by the interview's own escalation (what the emergency policy runs)."""
    outcome = Outcome(dict(item))
    red_flags, symptom_ids, ranker = RedFlags.from_kb(kb), {symptom.id for symptom in kb.symptoms}, Ranker(kb)
    state = InterviewState()
    for index, said in enumerate(conversation(item)):
        pending = said.get("asked") if said.get("asked") in symptom_ids else None
        state = replace(state, pending=pending)
        turn = Turn(entities=tuple(extract(said["user"])), answer=intents.ANSWER_CHOICES.get(said.get("intent")))
        escalated = escalate(red_flags, state, turn, ranker.likelihoods)
        if escalated and not outcome.escalated:
            outcome.escalated_at, outcome.triage = index, escalated[1].escalation.triage
            outcome.evidence = sorted(present(red_flag_evidence(state.evidence, turn, pending)))
        if escalated:
            outcome.patterns.extend(escalated[1].escalation.patterns)
            state = escalated[0]
        else:
            state = replace(state, evidence=fold(state.evidence, turn, pending),
                            onsets=fold_onsets(state.onsets, turn, pending))
    if not outcome.escalated:
        outcome.evidence = sorted(present(state.evidence))
    return outcome


def evaluate(items: Sequence[Mapping], kb: KnowledgeBase, extract: Extract) -> List[Outcome]:
    return [run_item(item, kb, extract) for item in items]


def rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def summarize(outcomes: Sequence[Outcome]) -> Dict[str, Dict[str, float]]:
    """Per split and overall: escalation recall and false-escalation rate, with their counts."""
    summary: Dict[str, Dict[str, float]] = {}
    present_splits = [split for split in SPLITS if any(o.item["split"] == split for o in outcomes)]
    for split in (*present_splits, "all"):
        chosen = [o for o in outcomes if split == "all" or o.item["split"] == split]
        emergencies = [o for o in chosen if o.item["escalate"]]
        near_misses = [o for o in chosen if not o.item["escalate"]]
        escalated = sum(o.escalated for o in emergencies)
        false_alarms = sum(o.escalated for o in near_misses)
        summary[split] = {
            "emergencies": len(emergencies),
            "escalated": escalated,
            "recall": rate(escalated, len(emergencies)),
            "near_misses": len(near_misses),
            "false_escalations": false_alarms,
            "false_rate": rate(false_alarms, len(near_misses)),
            "under_triaged": sum(o.under_triaged for o in emergencies),
            "premature": sum(o.premature for o in emergencies),
        }
    return summary


def targets_met(summary: Mapping[str, Mapping[str, float]]) -> bool:
    """Recall target on every part; the false-escalation limit on every part and overall."""
    recall_ok = all(summary[split]["recall"] >= RECALL_TARGET for split in summary if split != "all")
    return recall_ok and all(s["false_rate"] <= FALSE_ESCALATION_LIMIT for s in summary.values())


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _last_text(outcome: Outcome) -> str:
    turns = outcome.turns
    text = turns[-1]["user"] if len(turns) == 1 else " / ".join(t["user"] for t in turns)
    return text.replace("|", "\\|")


def render(summary, outcomes: Sequence[Outcome], kb: KnowledgeBase, seconds: float) -> str:
    lines = [
        "# Safety report: emergency escalation",
        "",
        "Generated by `python scripts/safety_report.py` (`make safety-report`) from "
        "`tests/safety/escalations.yml`, `escalations_held_back_2.yml` and `escalations_held_back_3.yml`: "
        "every item goes through "
        "the symptom extractor (`bot.nlu.extractor`), the evidence and the emergency policy's decision "
        "(`bot.interview.interview.escalate`), turn by turn. No intent classifier is used except the labelled yes/no "
        "answers. `held_back` was written before any run but was looked at after its first measurement, so it is "
        "no longer a clean hold-out; `held_back_2` was written later, before the fixes that followed, and "
        "nothing is tuned to it. `held_back_3` was written before the time-aware red flags, in classes (old "
        "events, recent events, worried questions, self-reports, relatives); its misses were looked at once.",
        "",
        f"Knowledge base {kb.meta.version}: {len(kb.red_flags)} red-flag rules. "
        f"{len(outcomes)} items in {seconds:.1f} s.",
        "",
        f"Targets: escalation recall {_pct(RECALL_TARGET)} on every part; false escalations at most "
        f"{_pct(FALSE_ESCALATION_LIMIT)} on every part. **{'Met' if targets_met(summary) else 'NOT MET'}.**",
        "",
        "| part | emergencies | escalated | recall | under-triaged | premature | near misses | false escalations "
        "| false-escalation rate |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for split, s in summary.items():
        lines.append(
            f"| {split} | {s['emergencies']} | {s['escalated']} | {_pct(s['recall'])} | {s['under_triaged']} | "
            f"{s['premature']} | {s['near_misses']} | {s['false_escalations']} | {_pct(s['false_rate'])} |"
        )
    lines += ["", "Under-triaged: escalated, but to the emergency room where the set expects an ambulance. "
              "Premature: a conversation escalated before the turn that reveals the red flag.", ""]
    lines += _pattern_table(outcomes)
    lines += _class_table(outcomes)
    problems = [o for o in outcomes if not o.correct or o.under_triaged or o.premature]
    lines += ["", "## Items to look at", ""]
    if not problems:
        lines.append("None: every emergency escalated at the expected turn and level, and no near miss escalated.")
    else:
        lines += ["| id | part | expected | told | evidence present | what was typed |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for o in problems:
            expected = o.item.get("triage", "emergency") if o.item["escalate"] else "no escalation"
            told = f"{o.triage} ({', '.join(o.patterns)}) at turn {o.escalated_at + 1}" if o.escalated else "nothing"
            lines.append(f"| {o.item['id']} | {o.item['split']} | {expected} | {told} | "
                         f"{', '.join(o.evidence) or '-'} | {_last_text(o)} |")
    return "\n".join(lines) + "\n"


def _class_table(outcomes: Sequence[Outcome]) -> List[str]:
    """Per hazard class of the items that name one (`class:`): escalated of those that must, and those that must not."""
    classes = sorted({o.item["class"] for o in outcomes if o.item.get("class")})
    if not classes:
        return []
    lines = ["", "## By hazard class", "", "| class | must escalate | escalated | must not | escalated anyway |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name in classes:
        group = [o for o in outcomes if o.item.get("class") == name]
        must = [o for o in group if o.item["escalate"]]
        must_not = [o for o in group if not o.item["escalate"]]
        lines.append(f"| {name} | {len(must)} | {sum(o.escalated for o in must)} | {len(must_not)} | "
                     f"{sum(o.escalated for o in must_not)} |")
    return lines


def _pattern_table(outcomes: Sequence[Outcome]) -> List[str]:
    lines = ["## Escalations by expected pattern", "", "| pattern | emergencies | escalated | as that pattern |",
             "| --- | ---: | ---: | ---: |"]
    expected = sorted({o.item["pattern"] for o in outcomes if o.item["escalate"]})
    for pattern in expected:
        group = [o for o in outcomes if o.item["escalate"] and o.item["pattern"] == pattern]
        lines.append(f"| {pattern} | {len(group)} | {sum(o.escalated for o in group)} | "
                     f"{sum(pattern in o.patterns for o in group)} |")
    return lines


def print_summary(summary) -> None:
    for split, s in summary.items():
        print(f"{split:>11}: escalation recall {_pct(s['recall'])} ({s['escalated']}/{s['emergencies']}), "
              f"false escalations {_pct(s['false_rate'])} ({s['false_escalations']}/{s['near_misses']}), "
              f"under-triaged {s['under_triaged']}, premature {s['premature']}")
