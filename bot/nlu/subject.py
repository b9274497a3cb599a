"""Whose symptom it is: the nearest person named before the mention ("my mum's leg" -> other,
"my wife says my speech is slurred" -> self)."""
from __future__ import annotations

from typing import Optional

from bot.nlu import lexicon
from bot.nlu.matching import Parsed


def subject_of(parsed: Parsed, start: int) -> tuple[str, Optional[str], Optional[int]]:
    """("self" | "other", the other person's sex if known, the token naming them) for a mention at `start`."""
    for i in range(start - 1, -1, -1):
        lower = parsed.lowers[i]
        if lower in lexicon.FIRST_PERSON:
            return "self", None, None
        if lower in lexicon.THIRD_PERSON_PRONOUNS:
            return "other", lexicon.THIRD_PERSON_PRONOUNS[lower], i
        if parsed.norms[i] in lexicon.RELATIVES:
            return "other", lexicon.RELATIVES[parsed.norms[i]], i
    return "self", None, None
