"""The context rules of bot/nlu/context_rules.yml, with negspacy's trigger lists merged in, as data."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from negspacy.termsets import termset

RULES_FILE = Path(__file__).with_name("context_rules.yml")
NEGSPACY_TERMSET = "en_clinical"

NEGATED, POSSIBLE, HISTORICAL, HYPOTHETICAL = "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "HYPOTHETICAL"
FORWARD, BACKWARD, BIDIRECTIONAL = "forward", "backward", "bidirectional"
PSEUDO, TERMINATE = "pseudo", "terminate"
DIRECTIONS = (FORWARD, BACKWARD, BIDIRECTIONAL, PSEUDO, TERMINATE)


@dataclass(frozen=True)
class Rule:
    category: str
    direction: str
    literals: tuple[str, ...]

    @property
    def label(self) -> str:
        """The matcher label of its triggers: `CATEGORY:direction`."""
        return f"{self.category}:{self.direction}"


@dataclass(frozen=True)
class RuleSet:
    max_scope: int
    rules: tuple[Rule, ...]
    severity: dict[str, tuple[str, ...]]  # level -> words
    question_openers: frozenset[str]  # first words that make a sentence ending in "?" a question
    wh_openers: frozenset[str]  # first words that make any sentence a question
    question_subjects: frozenset[str]  # after an opener, words that make any sentence a question ("am I")
    idioms: tuple[str, ...]  # figures of speech that hold a phrase's words and mean something else


def label(category: str, direction: str) -> str:
    return f"{category}:{direction}"


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> RuleSet:
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    negspacy = termset(NEGSPACY_TERMSET).get_patterns()
    rules = []
    for entry in document["rules"]:
        if entry["direction"] not in DIRECTIONS:
            raise ValueError(f"{path}: rule {entry['category']}: direction must be one of {DIRECTIONS}")
        literals = list(negspacy[entry["negspacy"]]) if entry.get("negspacy") else []
        rules.append(Rule(entry["category"], entry["direction"], tuple(literals + list(entry.get("literals") or ()))))
    return RuleSet(
        max_scope=int(document["max_scope"]),
        rules=tuple(rules),
        severity={level: tuple(words) for level, words in document["severity"].items()},
        question_openers=frozenset(document.get("question_openers") or ()),
        wh_openers=frozenset(document.get("wh_openers") or ()),
        question_subjects=frozenset(document.get("question_subjects") or ()),
        idioms=tuple(document.get("idioms") or ()),
    )
