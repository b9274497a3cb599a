"""How well the symptom extractor reads a labelled set: precision, recall and F1 of (symptom id, choice)
pairs per utterance, per symptom, per tag and overall; negation accuracy; laterality, duration, subject and
`when` accuracy on the labelled mentions that state them. Used by scripts/nlu_report.py and the NLU tests.

A labelled file (tests/nlu/*.yml) holds `utterances`, each a `text`, optional `tags` and `expect`ed
entries ({id, choice, and optionally laterality, duration, subject, when}).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from bot.nlu.extractor import SymptomFinder
from bot.triage.evidence import ABSENT, PRESENT, UNKNOWN, choice_of

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "nlu" / "labelled_utterances.yml"
INTENT_HELDOUT = ROOT / "tests" / "nlu" / "intent_heldout.yml"  # intents written without looking at data/nlu.yml
CHOICES = (PRESENT, ABSENT, UNKNOWN)


@dataclass
class Scores:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    choice: Counter = field(default_factory=Counter)  # (gold, predicted) for found mentions, "missed"/"spurious"
    attribute: Dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # name -> right/wrong
    spurious_attribute: Counter = field(default_factory=Counter)
    by_tag: Dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: List[str] = field(default_factory=list)
    utterances: int = 0


def load_labelled(path: Path = LABELLED) -> List[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["utterances"]


def tags_of(item: dict) -> List[str]:
    tags = list(item.get("tags", []))
    expect = item.get("expect") or []
    if any(e["choice"] == ABSENT for e in expect):
        tags.append("negated")
    if any(e.get("subject") == "other" for e in expect):
        tags.append("third_person")
    if any("laterality" in e or "duration" in e for e in expect):
        tags.append("laterality_or_duration")
    return tags or ["plain"]


def predicted_pairs(entities: List[dict]) -> Dict[str, dict]:
    """symptom id -> the entity that decides its choice (present beats unknown, as in evidence.py)."""
    chosen: Dict[str, dict] = {}
    rank = {PRESENT: 2, ABSENT: 1, UNKNOWN: 0}
    for entity in entities:
        if entity["entity"] != "symptom" or entity.get("hypothetical"):
            continue  # asked about, not reported: no evidence (bot/triage/evidence.py)
        previous = chosen.get(entity["value"])
        if previous is None or rank[choice_of(entity)] > rank[choice_of(previous)]:
            chosen[entity["value"]] = entity
    return chosen


PAST_HOURS = 30 * 24  # `when: past` in the labelled sets: it began or happened at least a month ago


def when(entity: dict) -> Optional[str]:
    return "past" if (entity.get("since_hours") or 0) >= PAST_HOURS else None


def score(finder: SymptomFinder, items: List[dict]) -> Scores:
    scores = Scores()
    for item in items:
        scores.utterances += 1
        predicted = predicted_pairs(finder.extract(item["text"]))
        gold = {e["id"]: e for e in item.get("expect") or []}
        wrong = []
        for symptom_id, expected in gold.items():
            entity = predicted.get(symptom_id)
            if entity is None:
                scores.fn[symptom_id] += 1
                scores.choice[(expected["choice"], "missed")] += 1
                wrong.append(f"missed {symptom_id}={expected['choice']}")
                continue
            got = choice_of(entity)
            scores.choice[(expected["choice"], got)] += 1
            if got == expected["choice"]:
                scores.tp[symptom_id] += 1
            else:
                scores.fn[symptom_id] += 1
                scores.fp[symptom_id] += 1
                wrong.append(f"{symptom_id}: {got} for {expected['choice']}")
            for name in ("laterality", "duration", "subject", "when"):
                want = expected.get(name, "self" if name == "subject" else None)
                have = when(entity) if name == "when" else entity.get(name)
                if name in expected or name == "subject":
                    ok = have == want
                    scores.attribute[name]["right" if ok else "wrong"] += 1
                    if not ok:
                        wrong.append(f"{symptom_id}.{name}={have!r}, want {want!r}")
                elif have is not None:
                    scores.spurious_attribute[name] += 1
        for symptom_id, entity in predicted.items():
            if symptom_id not in gold:
                scores.fp[symptom_id] += 1
                scores.choice[("spurious", choice_of(entity))] += 1
                wrong.append(f"spurious {symptom_id}={choice_of(entity)}")
        for tag in tags_of(item):
            scores.by_tag[tag]["utterances"] += 1
            right = sum(1 for k in gold if k in predicted and choice_of(predicted[k]) == gold[k]["choice"])
            scores.by_tag[tag]["tp"] += right
            scores.by_tag[tag]["gold"] += len(gold)
            scores.by_tag[tag]["predicted"] += len(predicted)
        if wrong:
            scores.errors.append(f"{item['text']!r}: " + "; ".join(wrong))
    return scores


def prf(tp: int, fp: int, fn: int) -> Tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def summary(scores: Scores) -> Dict[str, float]:
    tp, fp, fn = (sum(c.values()) for c in (scores.tp, scores.fp, scores.fn))
    precision, recall, f1 = prf(tp, fp, fn)
    found = {k: v for k, v in scores.choice.items() if k[0] in CHOICES and k[1] in CHOICES}
    negation = sum(v for (g, p), v in found.items() if g == p) / max(1, sum(found.values()))
    out = {"precision": precision, "recall": recall, "f1": f1, "negation_accuracy": negation}
    for name, counts in scores.attribute.items():
        out[f"{name}_accuracy"] = counts["right"] / max(1, counts["right"] + counts["wrong"])
    return out


def listed(block: dict) -> List[str]:
    """The items of a Rasa NLU block's `examples` (an intent's examples, a lookup's words)."""
    return [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]


def training_texts() -> set:
    """Every example of data/nlu.yml, lower-cased."""
    blocks = yaml.safe_load((ROOT / "data" / "nlu.yml").read_text(encoding="utf-8"))["nlu"]
    return {text.lower() for block in blocks if "intent" in block for text in listed(block)}


def unseen_intent_messages() -> Tuple[List[dict], int]:
    """INTENT_HELDOUT's messages that are not also training examples ("yes", "hello" often are), and how
    many were left out for that reason."""
    messages = yaml.safe_load(INTENT_HELDOUT.read_text(encoding="utf-8"))["messages"]
    trained = training_texts()
    unseen = [m for m in messages if m["text"].strip().lower() not in trained]
    return unseen, len(messages) - len(unseen)
