"""Where a symptom is: its body part (`body_site`) and side (`laterality`), from the body-part words the
matcher attached to it; a plural of a paired part ("my feet") is both sides."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from bot.nlu import lexicon
from bot.nlu.matching import Parsed, is_lateral


def place_sites(parsed: Parsed, mention) -> None:
    """Sets the mention's `laterality` and `body_site`."""
    own = [i for i in mention.tokens if parsed.classes[i] == "site"]
    attached = [i for i, preds in parsed.attach.items() if preds & set(mention.tokens)]
    if not own:  # a description without its own body part ("tingling") takes the one it is attached to
        own = attached
    sites = sorted({j for i in own for j in parsed.site_run.get(i, (i,))})
    mention.laterality = laterality_of(parsed, sites)
    if mention.laterality is None:  # "my face went numb on the left": a side named on its own
        sides = [i for i in attached if parsed.norms[i] not in lexicon.BODY_SITES or parsed.norms[i] == "side"]
        mention.laterality = laterality_of(parsed, sides)
    nouns = [i for i in sites if parsed.norms[i] in lexicon.BODY_SITES
             and parsed.norms[i] not in lexicon.NOT_A_REPORTED_SITE]
    if nouns:
        head = ([i for i in mention.tokens if parsed.classes[i] != "site"] or [mention.tokens[0]])[0]
        noun = min(nouns, key=lambda i: (abs(i - head), i))
        name = lexicon.BODY_SITE_NAMES.get(parsed.norms[noun], parsed.norms[noun])
        if noun > 0 and parsed.norms[noun - 1] in ("upper", "lower", "low", "mid", "middle") and name == "back":
            name = ("lower" if parsed.norms[noun - 1] in ("lower", "low") else "upper") + " back"
        mention.body_site = name


def laterality_of(parsed: Parsed, sites: Sequence[int]) -> Optional[str]:
    sides = set()
    for i in sites:
        if parsed.lowers[i] in lexicon.LATERALITY and is_lateral(parsed.lowers, i):
            sides.add(lexicon.LATERALITY[parsed.lowers[i]])
    if "both" in sides or {"left", "right"} <= sides:
        return "both"
    if sides:
        return sides.pop()
    one = any(parsed.lowers[j] == "one" for i in sites for j in range(max(0, i - 3), i))
    if not one and any(parsed.lowers[i] in lexicon.PAIRED_PLURALS for i in sites):
        return "both"
    return None
