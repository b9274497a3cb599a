"""The symptom extractor used by the in-process evaluation.

The real one is `bot.nlu.extract(text)`. Where it cannot be imported yet, a crude stand-in
matches the KB's lay phrases literally, with a short look-back for negations; results obtained
with it say so (`Extractor.name`), because they measure the engine, not the NLU.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from bot.kb.schema import KnowledgeBase

NEGATIONS = re.compile(r"\b(no|not|never|without|nor|denies|n't|dont|don't|isnt|isn't|haven't|havent)\b")
NEGATION_WINDOW = 4  # words before the phrase in which a negation applies


@dataclass(frozen=True)
class Extractor:
    name: str
    extract: Callable[[str], list]


def load_extractor(kb: KnowledgeBase) -> Extractor:
    """bot.nlu's `extract`, else its `SymptomFinder` built from `kb`, else the literal stand-in."""
    try:
        from bot.nlu import extract
    except ImportError:
        pass
    else:
        return Extractor("bot.nlu.extract", extract)
    try:
        from bot.nlu.extractor import SymptomFinder
    except ImportError:
        return Extractor("phrase stand-in (bot.nlu's extractor not available)", PhraseExtractor(kb))
    return Extractor("bot.nlu.extractor.SymptomFinder", SymptomFinder.from_kb(kb).extract)


class PhraseExtractor:
    """Literal phrase matching; the longest phrase wins where two overlap."""

    def __init__(self, kb: KnowledgeBase):
        phrases = []
        for symptom in kb.symptoms:
            name = re.sub(r"\s*\(.*?\)", "", symptom.name).lower()
            phrases += [(p.lower(), symptom.id) for p in {name, *symptom.phrases}]
        phrases.sort(key=lambda item: -len(item[0]))
        self.patterns = [(re.compile(r"\b" + re.escape(p) + r"\b"), symptom_id) for p, symptom_id in phrases]

    def __call__(self, text: str) -> list:
        lowered = text.lower().replace("\u2019", "'")
        taken = [False] * len(lowered)
        entities = []
        for pattern, symptom_id in self.patterns:
            for match in pattern.finditer(lowered):
                if any(taken[match.start():match.end()]):
                    continue
                taken[match.start():match.end()] = [True] * (match.end() - match.start())
                before = re.split(r"[.;!?]|\bbut\b", lowered[: match.start()])[-1].split()[-NEGATION_WINDOW:]
                entities.append({
                    "entity": "symptom", "value": symptom_id, "start": match.start(), "end": match.end(),
                    "negated": bool(NEGATIONS.search(" ".join(before))), "uncertain": False,
                })
        return sorted(entities, key=lambda e: e["start"])
