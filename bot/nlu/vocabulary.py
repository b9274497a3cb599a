"""The extractor's vocabulary, read from the knowledge base: what it persists in the Rasa model.

Symptom phrases are a symptom's clinical name plus its lay `phrases`; condition phrases are a
condition's name (also split at " or " and at its parenthesis) and its aliases. All-capital
abbreviations ("MS", "TIA") are matched case-sensitively so "ms" or "pad" in running text is no
condition. `protected` lists the common English words that are one or two edits away from a
vocabulary word: the typo corrector never rewrites them ("week" stays "week", "keystroke" stays
"keystroke"). Computing it needs spaCy's word-frequency table, so it is done once, at training.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

from bot.kb.schema import KnowledgeBase
from bot.nlu import lexicon
from bot.nlu.typos import protected_words

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]{1,5}$")
_PARENTHESIS = re.compile(r"\(([^)]*)\)")


@dataclass
class Vocabulary:
    symptom_phrases: List[Tuple[str, str]]  # (symptom id, phrase)
    condition_phrases: List[Tuple[str, str]]  # (condition id, phrase), matched on normalised words
    acronyms: List[Tuple[str, str]]  # (condition id, abbreviation), matched case-sensitively
    kinds: Dict[str, str]  # symptom id -> symptom | risk_factor | context
    protected: List[str] = field(default_factory=list)

    @classmethod
    def from_kb(cls, kb: KnowledgeBase, with_protected: bool = True) -> "Vocabulary":
        symptom_phrases = []
        for symptom in kb.symptoms:
            texts = [_strip_parenthesis(symptom.name).lower(), *symptom.phrases]
            symptom_phrases += [(symptom.id, text) for text in _unique(texts)]
        condition_phrases, acronyms = [], []
        for condition in kb.conditions:
            for text in _unique(_condition_names(condition.name) + list(condition.aliases)):
                if _ACRONYM.match(text):
                    acronyms.append((condition.id, text))
                else:
                    condition_phrases.append((condition.id, text.lower()))
        vocabulary = cls(
            symptom_phrases=symptom_phrases,
            condition_phrases=condition_phrases,
            acronyms=acronyms,
            kinds={symptom.id: symptom.kind for symptom in kb.symptoms},
        )
        if with_protected:
            vocabulary.protected = sorted(protected_words(vocabulary.fuzzy_targets()))
        return vocabulary

    def fuzzy_targets(self) -> List[str]:
        """Words a misspelt token may be corrected to: vocabulary words and the context lexicon."""
        words = set(lexicon.CORRECTABLE_WORDS)
        for _, text in self.symptom_phrases + self.condition_phrases:
            words.update(re.findall(r"[a-z]+", text.lower()))
        return sorted(word for word in words if len(word) >= 4)

    def to_dict(self) -> dict:
        return {
            "symptom_phrases": [list(p) for p in self.symptom_phrases],
            "condition_phrases": [list(p) for p in self.condition_phrases],
            "acronyms": [list(p) for p in self.acronyms],
            "kinds": dict(self.kinds),
            "protected": list(self.protected),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Vocabulary":
        return cls(
            symptom_phrases=[tuple(p) for p in data["symptom_phrases"]],
            condition_phrases=[tuple(p) for p in data["condition_phrases"]],
            acronyms=[tuple(p) for p in data["acronyms"]],
            kinds=dict(data["kinds"]),
            protected=list(data.get("protected", [])),
        )


def _strip_parenthesis(text: str) -> str:
    return " ".join(_PARENTHESIS.sub(" ", text).split())


def _condition_names(name: str) -> List[str]:
    """'Stroke or TIA (transient ischemic attack)' -> the name, 'stroke', 'TIA', 'transient ischemic attack'."""
    names = [name, _strip_parenthesis(name)]
    names += [inner.strip() for inner in _PARENTHESIS.findall(name)]
    for part in re.split(r"\s+or\s+|/", _strip_parenthesis(name)):
        names.append(part.strip())
    return [n for n in names if len(n) >= 2]


def _unique(texts: List[str]) -> List[str]:
    seen, out = set(), []
    for text in texts:
        key = text.strip()
        if key and key not in seen:
            seen.add(key)
            out.append(key)
    return out
