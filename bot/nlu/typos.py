"""Typo correction with a bounded edit distance (rapidfuzz), that never invents a symptom.

A token is corrected only if all of these hold: it is letters only, at least 5 long (or 4 and
missing a letter: "stif", "dizy"), not a
vocabulary word itself, not a common English word that happens to be close to one (`protected`,
computed at training from spaCy's word-frequency table: "keystroke", "weary", "stoke" stay as
they are), it starts with the same letter as the correction, and exactly one vocabulary word is
nearest. The bound is 1 edit for 5-7 letters and 2 from 8 letters; a transposition ("rigth")
counts as one edit (optimal string alignment distance). Letters repeated for emphasis
("numbbbb") are squeezed first.

Real words typed for another ("my legs feel week") are corrected only in a context that
decides it, from a short list of known confusions.
"""
from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable, Optional, Set

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.nlu.lexicon import BODY_SITES, PAIRED_PLURALS

MIN_LENGTH = 5
SHORT_LENGTH = 4  # 4-letter tokens may only be missing a letter ("stif" -> "stiff", "dizy" -> "dizzy")
COMMON_WORD_LOG_PROB = -15.5  # a real word: at least this frequent in spaCy's table and a known word form,
FREQUENT_WORD_LOG_PROB = -12.5  # or this frequent whatever it is (the table is from web text, typos included)
_REPEATS = re.compile(r"(.)\1{2,}")

# Real-word confusions: typed word -> (meant word, the context that decides it).
_ADJECTIVE_BEFORE = frozenset({"feel", "feels", "felt", "feeling", "is", "are", "was", "were", "be", "been",
                               "so", "very", "really", "too", "bit", "little", "quite", "kinda", "and", "go",
                               "goes", "going", "gone", "went", "getting", "got", "extremely", "super",
                               "abit", "slightly", "real", "pretty", "weak", "numb", "tired"})
_POSSESSIVE_BEFORE = frozenset({"my", "his", "her", "your", "both", "left", "right", "big", "sore", "cold",
                                "numb", "swollen", "the", "our", "their"})
_SITE_WORDS = frozenset(BODY_SITES | PAIRED_PLURALS | {"toes", "fingers"})
_CONFUSIONS = {
    "week": ("weak", "adjective"),
    "weeker": ("weaker", "adjective"),
    "feat": ("feet", "noun"),
    "tow": ("toe", "noun"),
    "tows": ("toes", "noun"),
    "heal": ("heel", "noun"),
    "calve": ("calf", "noun"),
    "pane": ("pain", "after_site"),
    "rite": ("right", "before_site"),
    "write": ("right", "before_site"),
    "sever": ("severe", "adjective"),
}


@lru_cache(maxsize=1)
def common_english_words() -> frozenset:
    """Real lower-case English words, from spacy-lookups-data's frequency and lemma tables (~1.5 s).

    The frequency table comes from web text, so frequent misspellings ("diabetis", "alway") are in
    it; a word counts only if the lemma table knows it too, or if it is very frequent."""
    data = resources.files("spacy_lookups_data") / "data"
    with gzip.open(str(data / "en_lexeme_prob.json.gz"), "rt", encoding="utf-8") as handle:
        probabilities = json.load(handle)
    with gzip.open(str(data / "en_lemma_lookup.json.gz"), "rt", encoding="utf-8") as handle:
        lemmas = json.load(handle)
    forms = set(lemmas) | set(lemmas.values())
    return frozenset(
        w for w, p in probabilities.items()
        if w.isalpha() and w.islower() and (p >= FREQUENT_WORD_LOG_PROB or (p >= COMMON_WORD_LOG_PROB and w in forms))
    )


def edit_bound(word: str) -> int:
    return 1 if len(word) < 8 else 2


def protected_words(targets: Iterable[str]) -> Set[str]:
    """Common English words (not themselves targets) within the edit bound of a same-initial target."""
    target_set = set(targets)
    by_letter: dict = {}
    for word in target_set:
        by_letter.setdefault(word[0], []).append(word)
    protected = set()
    for word in common_english_words():
        if len(word) < SHORT_LENGTH or word in target_set:
            continue
        pool = by_letter.get(word[0])
        if pool and process.extractOne(word, pool, scorer=OSA.distance, score_cutoff=edit_bound(word)):
            protected.add(word)
    return protected


class TypoCorrector:
    """`same` tells whether two vocabulary words mean the same (a tie between them is no ambiguity)."""

    def __init__(self, targets: Iterable[str], protected: Iterable[str],
                 same: Callable[[str, str], bool] = lambda a, b: a == b):
        self._same = same
        self.targets = sorted(set(targets))
        self._target_set = frozenset(self.targets)
        self._by_letter = {}
        for word in self.targets:
            self._by_letter.setdefault(word[0], []).append(word)
        self.protected = frozenset(protected)
        self._cache: dict = {}

    def correct(self, lower: str, before: str = "", after: str = "") -> Optional[str]:
        """The word meant by `lower` (with its neighbours `before`/`after`), or None if it stands."""
        confusion = _CONFUSIONS.get(lower)
        if confusion is not None:
            return confusion[0] if _context_fits(confusion[1], before, after) else None
        if lower in self._cache:
            return self._cache[lower]
        corrected = self._fuzzy(lower)
        if len(self._cache) < 20_000:
            self._cache[lower] = corrected
        return corrected

    def _fuzzy(self, word: str) -> Optional[str]:
        if len(word) < SHORT_LENGTH or not word.isalpha() or not word.isascii():
            return None
        squeezed = _REPEATS.sub(r"\1\1", word)
        for form in dict.fromkeys((squeezed, _REPEATS.sub(r"\1", word))):
            if form != word and form in self._target_set:
                return form
        if len(squeezed) < SHORT_LENGTH or squeezed in self._target_set or squeezed in self.protected:
            return None
        bound = edit_bound(squeezed)
        pool = self._by_letter.get(squeezed[0], ())
        if len(squeezed) < MIN_LENGTH:
            pool = [t for t in pool if len(t) == len(squeezed) + 1]
        best = process.extract(squeezed, pool, scorer=OSA.distance, score_cutoff=bound, limit=4)
        if not best:
            return None
        nearest = [word for word, distance, _ in best if distance == best[0][1]]
        if len(nearest) > 1:  # equally near: the one that ends like the token, if only one does
            nearest = [w for w in nearest if w[-1] == squeezed[-1]] or nearest
        if any(not self._same(nearest[0], other) for other in nearest[1:]):
            return None  # still a tie between different words: do not guess
        return nearest[0]


def _context_fits(context: str, before: str, after: str) -> bool:
    if context == "adjective":
        return before in _ADJECTIVE_BEFORE or after in _SITE_WORDS
    if context == "noun":
        return before in _POSSESSIVE_BEFORE
    if context == "after_site":
        return before in _SITE_WORDS or before in {"in", "no", "of", "some", "bad"}
    if context == "before_site":
        return after in _SITE_WORDS or after in {"side", "one"}
    return False
