"""Tokens and their normal forms: the one place that decides when two words count as the same.

The pipeline is `spacy.blank("en")` with the lookup lemmatizer (spacy-lookups-data), so no model
download is needed. On top of the lemma a token's *norm* folds the differences lay writing does not
care about: contractions ("ca" + "n't" -> "can" + "not"), derivations ("numbness" -> "numb",
"dizziness" -> "dizzy"), a few synonym classes ("trouble", "problems", "hard" -> "difficult";
"hurts", "aches", "sore" -> "pain") and, given the vocabulary's roots, adjectives in -y
("tingly" -> "tingle", "achy" -> "ache"). KB phrases and user messages go through the same
function, so whatever it folds is folded on both sides.
"""
from __future__ import annotations

from functools import lru_cache
from typing import FrozenSet, Iterable, List, Optional

import spacy
from spacy.language import Language

# Lookup lemmas that are wrong for this domain ("worse" -> "wrong", "calves" -> "calve").
LEMMA_OVERRIDES = {
    "worse": "worse", "worst": "worst", "better": "better", "best": "best",
    "calves": "calf", "calve": "calf", "ca": "can", "wo": "will", "nt": "not", "n't": "not",
    "'m": "be", "m": "be", "'re": "be", "'s": "'s", "'ve": "have", "ve": "have", "'d": "would", "'ll": "will",
    "cannot": "can", "could": "can", "im": "i", "ive": "i", "dont": "do", "cant": "can",
    "feets": "foot", "foots": "foot", "leggs": "leg", "falling": "fall", "fell": "fall",
    "lying": "lie", "left": "left", "felt": "feel", "lost": "lose", "sat": "sit", "stood": "stand",
    "shooting": "shoot", "shoots": "shoot", "spreading": "spread", "creeping": "creep",
    "sores": "sores",  # open sores (ulcers), not "sore" (painful)
    "bit": "bit",  # "a bit", not "bite"
    "does": "do", "doing": "do", "did": "do", "done": "do",
    "they": "they", "them": "them", "their": "their", "we": "we", "us": "us", "our": "our", "she": "she",
    "her": "her", "he": "he", "him": "him", "his": "his", "it": "it", "its": "its", "i": "i", "me": "me",
    "my": "my", "you": "you", "your": "your",
}

# Words that mean the same thing in a symptom description; the key is the class's norm.
SYNONYMS = {
    "difficult": ("difficulty", "difficulties", "trouble", "troubles", "problem", "problems", "hard", "struggle",
                  "struggling", "issue", "issues", "tough"),
    "pain": ("hurt", "hurts", "hurting", "ache", "aches", "aching", "achy", "sore", "soreness", "painful", "pains"),
    "numb": ("numbness", "numbed", "numbing", "numbly"),
    "weak": ("weakness", "weakened", "weaker"),
    "tingle": ("tingling", "tingly", "tingles", "tingled"),
    "swell": ("swollen", "swelling", "swelled"),
    "dizzy": ("dizziness",),
    "stiff": ("stiffness",),
    "cramp": ("cramps", "cramping", "crampy", "cramped"),
}
_SYNONYM_OF = {word: norm for norm, words in SYNONYMS.items() for word in words}

# Words never folded by the -y/-ly rule although a root exists ("easy" is not "ease").
_NO_DERIVATION = frozenset({"easy", "early", "only", "any", "many", "body", "busy", "lady", "really", "fully"})

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@lru_cache(maxsize=1)
def make_nlp() -> Language:
    """The shared pipeline, built once per process (the lemma tables take ~0.4 s to load)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def clean(text: str) -> str:
    """Same-length clean-up, so character offsets into the result are offsets into the input."""
    return text.translate(APOSTROPHES)


def base_norm(lower: str, lemma: str) -> str:
    """Norm without vocabulary knowledge: lemma, overrides, derivational suffixes, synonyms."""
    if lower in LEMMA_OVERRIDES:
        word = LEMMA_OVERRIDES[lower]
    elif lower in _SYNONYM_OF:
        word = lower
    else:
        word = lemma.lower() if lemma else lower
    if word in _SYNONYM_OF:
        return _SYNONYM_OF[word]
    if len(word) > 7 and word.endswith("iness"):
        word = word[:-5] + "y"
    elif len(word) > 6 and word.endswith("ness"):
        word = word[:-4]
    return _SYNONYM_OF.get(word, word)


class Normaliser:
    """Maps a token to its norm; `roots` (the vocabulary's base norms) enables the -y/-ly/-ful rule."""

    def __init__(self, roots: Iterable[str] = ()):
        self.roots: FrozenSet[str] = frozenset(roots)
        self._cache: dict = {}

    def norm(self, lower: str, lemma: str) -> str:
        key = (lower, lemma)
        cached = self._cache.get(key)
        if cached is None:
            word = base_norm(lower, lemma)
            cached = self._derive(word) or word
            if len(self._cache) < 50_000:
                self._cache[key] = cached
        return cached

    def _derive(self, word: str) -> Optional[str]:
        if len(word) < 4 or word in _NO_DERIVATION:
            return None
        candidates = []
        if word.endswith("ly"):
            candidates += [word[:-2], word[:-2] + "e", word[:-1]]
        if word.endswith("y"):
            candidates += [word[:-1], word[:-1] + "e"]
        if word.endswith("ful"):
            candidates.append(word[:-3])
        if word.endswith("s") and not word.endswith("ss"):
            candidates.append(word[:-1])
        for candidate in candidates:
            if len(candidate) >= 3 and candidate in self.roots and candidate != word:
                return candidate
        return None


def contextual(lowers: List[str], norms: List[str]) -> List[str]:
    """Norms that depend on the next word: "the back of my leg" is no back (in messages and phrases alike)."""
    for i in range(len(norms) - 1):
        if lowers[i] == "back" and lowers[i + 1] == "of":
            norms[i] = "rear"
    return norms
