"""Where sentences and clauses of a message begin: the one segmenter the phrase matcher and the context
rules share.

A sentence ends at ".", "!", "?", ";" or a line break. A clause also ends before "but", "however"...
and where a new subject starts one (", my leg...", "and I have to..."), and, for the context
rules, where a termination trigger starts ("no fever, maybe a rash": the negation stops at "maybe").
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.nlu.lexicon import BODY_SITES

SENTENCE_ENDS = frozenset({".", "!", "?", ";", "...", "..", "!!", "?!", "\n"})
CLAUSE_BREAKS = frozenset({"but", "however", "although", "though", "whereas", "except", "yet"})
# A link followed by a new subject starts a new clause: ", my leg", "and I", "so it", "because she". Not
# "they": mostly the body parts just named ("my feet... and they're numb").
RESTART_LINKS = frozenset({",", "and", "so", "then", "plus", "because", "cause", "cuz", "-", "--", "also"})
RESTART_SUBJECTS = frozenset({"i", "my", "it", "he", "she", "we", "there", "his", "her", "our",
                              "you", "its", "im", "i'm", "ive"})
# ...except a possessive that goes on a list of body parts: "numbness in my leg and my arm".
POSSESSIVES = frozenset({"my", "his", "her", "our", "its"})


def is_sentence_end(lower: str, newline: bool = False) -> bool:
    return newline or lower in SENTENCE_ENDS or bool(lower) and all(ch in ".!?;" for ch in lower)


def segment(lowers: Sequence[str], norms: Sequence[str], newlines: Sequence[bool],
            starts: Iterable[int] = ()) -> tuple[list[int], list[int]]:
    """(sentence number, clause number) per token. `starts`: more tokens that begin a clause."""
    extra = set(starts)
    sentences, clauses = [], []
    sentence = clause = 0
    for i, lower in enumerate(lowers):
        if i and (i in extra or lower in CLAUSE_BREAKS or _restarts(lowers, norms, i)):
            clause += 1
        sentences.append(sentence)
        clauses.append(clause)
        if is_sentence_end(lower, newlines[i]):
            sentence += 1
            clause += 1
    return sentences, clauses


def _restarts(lowers: Sequence[str], norms: Sequence[str], i: int) -> bool:
    after = lowers[i + 1] if i + 1 < len(lowers) else ""
    if lowers[i] not in RESTART_LINKS or after not in RESTART_SUBJECTS:
        return False
    return not (after in POSSESSIVES and i > 0 and norms[i - 1] in BODY_SITES)
