"""Finding KB phrases in a message: exact phrases and phrases whose words are spread out.

Two matchers run over the token norms (text.py), never over raw characters, so "keystroke" can
never contain "stroke":

* a spaCy `PhraseMatcher` on NORM finds a phrase's words in a row ("numb feet", "can't feel my
  feet", "on edge"); it also finds condition names, and an ORTH one finds abbreviations ("MS");
* a window matcher finds a phrase's content words (function words dropped) in any order within
  one clause: "my left foot has been going numb" matches "numb foot". Two guards keep it honest:
  a negation inside a phrase keeps its place ("can't walk" needs "not" just before "walk"), and
  a body part must belong to the description it is matched with: "my legs tingle and my feet
  are numb" is no leg numbness. A body part belongs to the nearest description on its left when
  a preposition or adjective links them ("numbness and tingling in my legs", "numb feet"),
  otherwise to the one on its right ("my feet are numb"); coordinated descriptions share it.
  A phrase without a body part ("swollen") said of a body region none of its symptom's phrases
  names is another complaint ("swollen glands in my neck" is no leg swelling).

Candidates are then chosen greedily, most specific first (more content words; then an exact
phrase before a spread-out one; among exact phrases the longer, whose function words say more:
"is having a heart attack" before "heart attack"; among spread-out ones the tighter span); a
candidate is kept only if it adds a content word no kept candidate used, so "upper back pain" is
not also "back pain", while "numb and weak legs" gives both symptoms.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlu import lexicon
from bot.nlu.clauses import CLAUSE_BREAKS, SENTENCE_ENDS

SYMPTOM, CONDITION = "symptom", "condition"
MAX_EXTRA_TOKENS = 8  # a spread-out phrase may span at most this many tokens more than its content words
NEGATION_REACH = 3  # "not" must come at most this many tokens before the word it negates in a phrase
PLACE_REACH = 4  # a body part this close to a description without one says where it is
MAX_GAP = 2  # at most this many words (other than function words and body parts) between describing words
_SITE_NORMS = lexicon.BODY_SITES | lexicon.SITE_MODIFIERS
_MEANINGLESS = lexicon.BAG_OPTIONAL | {"now", "then", "here", "there", "away"}
RUN_BREAKS = frozenset({"just", "only", "except", "besides", "apart", "instead", "rather", "but", "however",
                        "although", "though", "whereas", "yet", "when", "whenever", "while", "after", "before",
                        "because", "since", "until"})
SITE_LINKS = frozenset({"of", "on", "in", "at", "near", "around", "under", "above", "below", "behind", "between"})
_MODAL_VARIANTS = (("not", "able"), ("unable",))  # "can't X" is also said "not able to X", "unable to X"


@dataclass(frozen=True)
class Phrase:
    target: str
    kind: str
    norms: Tuple[str, ...]  # every token's norm, for the exact matcher
    content: Tuple[str, ...]  # norms that are not function words, in order


@dataclass(frozen=True)
class Candidate:
    target: str
    kind: str
    tokens: Tuple[int, ...]  # content token indices, sorted
    start: int  # first token
    end: int  # one past the last token
    exact: bool
    claim: Tuple[int, ...] = ()  # tokens it accounts for: its own and the whole body-part phrases it names

    @property
    def span(self) -> int:
        return self.end - self.start


@dataclass
class Parsed:
    """One message, analysed once: everything the matchers and the context rules read."""

    doc: Doc
    lowers: List[str]  # lower case, typos corrected
    norms: List[str]
    classes: List[str]  # site | pred | skip | other | punct
    sentence: List[int]
    segment: List[int]  # sentence, also split at "but", "however"...
    attach: Dict[int, FrozenSet[int]] = field(default_factory=dict)  # site token -> its description's tokens
    site_run: Dict[int, Tuple[int, ...]] = field(default_factory=dict)  # site token -> its body-part phrase
    idioms: List[Tuple[int, int]] = field(default_factory=list)  # token spans of idioms (context_rules.yml)

    def __len__(self) -> int:
        return len(self.norms)


def content_norms(norms: Sequence[str]) -> Tuple[str, ...]:
    return tuple(n for n in norms if n not in lexicon.FUNCTION_WORDS and any(ch.isalnum() for ch in n))


def is_lateral(lowers: Sequence[str], i: int) -> bool:
    """Whether "left"/"right" at i names a side ("my left foot", "on the right"), not "right now"."""
    word = lowers[i]
    if word not in ("left", "right"):
        return word in lexicon.LATERALITY
    after = lowers[i + 1] if i + 1 < len(lowers) else ""
    before = lowers[i - 1] if i > 0 else ""
    that_is = before == "'s" and i > 1 and lowers[i - 2] in {"that", "it", "what"}
    if word == "right" and (after in lexicon.NOT_LATERAL_AFTER_RIGHT or before in {"all", "that"} or that_is):
        return False
    if after in lexicon.BODY_SITES or after in lexicon.PAIRED_PLURALS or after in {"toes", "fingers", "one", "-",
                                                                                    "sided", "sides"}:
        return True
    return before in lexicon.LATERAL_BEFORE


class PhraseIndex:
    """The compiled symptom and condition phrases of one vocabulary."""

    def __init__(self, nlp, phrases: Iterable[Phrase], acronyms: Iterable[Tuple[str, str]]):
        self.phrases: List[Phrase] = []
        for phrase in phrases:
            self.phrases += _with_modal_variants(phrase)
        # Describing words: what a body part can belong to (symptom words, not condition names).
        self.pred_norms: FrozenSet[str] = frozenset(
            n for p in self.phrases if p.kind == SYMPTOM for n in p.content
            if n not in _SITE_NORMS and n not in lexicon.NEGATION_PARTICLES and n not in lexicon.GENERIC_WORDS
        )
        self._exact = PhraseMatcher(nlp.vocab, attr="NORM")
        self._acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        for index, phrase in enumerate(self.phrases):
            pattern = Doc(nlp.vocab, words=list(phrase.norms))
            for token, norm in zip(pattern, phrase.norms, strict=True):
                token.norm_ = norm
            self._exact.add(str(index), [pattern])
        self._acronym_targets = {}
        for target, text in acronyms:
            key = f"A{len(self._acronym_targets)}"
            self._acronym_targets[key] = target
            self._acronyms.add(key, [nlp.make_doc(text)])
        # The body regions each symptom's phrases name ("burning feet", "legs burning": the lower limb).
        self._places: Dict[str, Set[str]] = defaultdict(set)
        for phrase in self.phrases:
            self._places[phrase.target].update(lexicon.REGION_OF[n] for n in phrase.content if n in lexicon.REGION_OF)
        # The window matcher looks for each phrase's content words without the optional ones.
        self._bags: List[Tuple[str, ...]] = [_bag(p.content) for p in self.phrases]
        self._by_norm: Dict[str, List[int]] = defaultdict(list)
        for index, bag in enumerate(self._bags):
            general = all(n in _MEANINGLESS for n in bag)  # "gone now", "comes and goes": word for word only
            if len(bag) >= 2 and len(set(bag)) == len(bag) and not general:
                for norm in bag:
                    self._by_norm[norm].append(index)

    # ------------------------------------------------------------------ candidates
    def candidates(self, parsed: Parsed) -> List[Candidate]:
        found = []
        for candidate in self._exact_candidates(parsed) + self._window_candidates(parsed):
            if not self._right_place(candidate, parsed):
                continue
            claim = set(candidate.tokens)
            for i in candidate.tokens:
                if parsed.classes[i] == "site":
                    claim.update(j for j in parsed.site_run.get(i, ()) if parsed.norms[j] in lexicon.BODY_SITES)
            found.append(replace(candidate, claim=tuple(sorted(claim))))
        return found

    def _right_place(self, candidate: Candidate, parsed: Parsed) -> bool:
        """A phrase without a body part ("swollen", "burning") said of a body region that none of its
        symptom's phrases names is another complaint: "swollen glands in my neck" is no leg swelling."""
        places = self._places.get(candidate.target)
        if not places or any(parsed.classes[i] == "site" for i in candidate.tokens):
            return True
        tokens = set(candidate.tokens)
        near = range(candidate.start - PLACE_REACH, candidate.end + PLACE_REACH)
        named = {lexicon.REGION_OF.get(parsed.norms[s]) for s, preds in parsed.attach.items()
                 if preds & tokens and s in near and parsed.norms[s] in lexicon.REGION_OF}
        return not named or bool(named & places)

    def acronym_candidates(self, doc: Doc) -> List[Candidate]:
        out = []
        for match_id, start, end in self._acronyms(doc):
            target = self._acronym_targets[doc.vocab.strings[match_id]]
            out.append(Candidate(target, CONDITION, tuple(range(start, end)), start, end, True))
        return out

    def _exact_candidates(self, parsed: Parsed) -> List[Candidate]:
        out = []
        for match_id, start, end in self._exact(parsed.doc):
            phrase = self.phrases[int(parsed.doc.vocab.strings[match_id])]
            tokens = tuple(i for i in range(start, end) if parsed.norms[i] not in lexicon.FUNCTION_WORDS)
            out.append(Candidate(phrase.target, phrase.kind, tokens or tuple(range(start, end)), start, end, True))
        return out

    def _window_candidates(self, parsed: Parsed) -> List[Candidate]:
        positions: Dict[Tuple[int, str], List[int]] = defaultdict(list)
        for i, norm in enumerate(parsed.norms):
            if norm in self._by_norm:
                positions[(parsed.segment[i], norm)].append(i)
        segments = {segment for segment, _ in positions}
        out = []
        for segment in segments:
            present = {norm for seg, norm in positions if seg == segment}
            tried: Set[int] = set()
            for norm in present:
                for index in self._by_norm[norm]:
                    if index in tried:
                        continue
                    tried.add(index)
                    bag = self._bags[index]
                    if all(n in present for n in bag):
                        occurrences = {n: positions[(segment, n)] for n in bag}
                        out += self._place(self.phrases[index], bag, occurrences, parsed)
        return out

    def _place(self, phrase: Phrase, bag: Tuple[str, ...], occurrences: Dict[str, List[int]],
               parsed: Parsed) -> List[Candidate]:
        """Tightest placements of the phrase's words (one per anchor occurrence) that pass the guards."""
        placements = set()
        for anchor_norm in bag:
            for anchor in occurrences[anchor_norm]:
                chosen = {anchor_norm: anchor}
                for norm in bag:
                    if norm != anchor_norm:
                        chosen[norm] = min(occurrences[norm], key=lambda i: (abs(i - anchor), i))
                placements.add(tuple(chosen[n] for n in bag))
        out = []
        n = len(bag)
        for placement in placements:
            tokens = tuple(sorted(placement))
            if len(set(tokens)) < n or tokens[-1] - tokens[0] + 1 > n + MAX_EXTRA_TOKENS:
                continue
            if not _compact(bag, placement, parsed) or not _order_kept(bag, placement):
                continue
            if not self._attached(placement, bag, parsed):
                continue
            out.append(Candidate(phrase.target, phrase.kind, tokens, tokens[0], tokens[-1] + 1, False))
        return out

    def _attached(self, placement: Sequence[int], content: Sequence[str], parsed: Parsed) -> bool:
        preds = {i for i in placement if parsed.classes[i] == "pred"}
        if not preds:
            return True
        for i in placement:
            if parsed.classes[i] == "site" and i in parsed.attach and not (parsed.attach[i] & preds):
                return False
        return True


def _bag(content: Tuple[str, ...]) -> Tuple[str, ...]:
    """The words the window matcher needs: content words without the optional ones, except after a
    negation ("can't feel" keeps "feel") or where fewer than two words would be left."""
    bag = tuple(n for k, n in enumerate(content)
                if n not in lexicon.BAG_OPTIONAL or (k and content[k - 1] in lexicon.NEGATION_PARTICLES))
    return bag if len(bag) >= 2 else content


def select(candidates: Iterable[Candidate]) -> List[Candidate]:
    """Most specific first; keep a candidate only if it adds a content token (see module docstring)."""
    ranked = sorted(candidates, key=lambda c: (-len(c.tokens), not c.exact, -c.span if c.exact else c.span,
                                               c.start, c.target))
    kept: List[Candidate] = []
    used: Set[int] = set()
    for candidate in ranked:
        claim = set(candidate.claim or candidate.tokens)
        if claim <= used:
            continue
        if any(k.target == candidate.target and claim & set(k.tokens) for k in kept):
            continue
        kept.append(candidate)
        used |= claim
    return sorted(kept, key=lambda c: (c.start, c.end))


def _compact(content: Sequence[str], placement: Sequence[int], parsed: Parsed) -> bool:
    """The describing words of a phrase stay together (at most MAX_GAP other words between them,
    not counting function words and body parts); only body parts float.

    A phrase without a body part ("feeling low", "pain when walking") also keeps its word order,
    unless its words are next to each other ("walking hurts")."""
    described = sorted(i for i, norm in zip(placement, content, strict=True) if norm not in _SITE_NORMS)
    siteless = len(described) == len(content)
    for a, b in zip(described, described[1:], strict=False):
        if sum(1 for j in range(a + 1, b) if parsed.classes[j] not in ("skip", "site")) > MAX_GAP:
            return False
        if siteless and sum(1 for j in range(a + 1, b) if parsed.classes[j] != "site") > MAX_GAP + 1:
            return False  # nor, without a body part, many words of any kind
    if siteless and list(placement) != sorted(placement):
        return described[-1] - described[0] < len(content) + 1
    return True


def _order_kept(content: Sequence[str], placement: Sequence[int]) -> bool:
    """Negation words inside a phrase keep their place: "can't walk" is not "I can walk, not numb"."""
    last = len(content) - 1
    for k, norm in enumerate(content):
        if norm == "can" and k < last and content[k + 1] == "not" and placement[k + 1] - placement[k] != 1:
            return False
        if norm in lexicon.NEGATION_PARTICLES:
            gap = placement[k + 1] - placement[k] if k < last else placement[k] - placement[k - 1] if k else 1
            if not 1 <= gap <= NEGATION_REACH:
                return False
    return True


def _with_modal_variants(phrase: Phrase) -> List[Phrase]:
    out = [phrase]
    for i in range(len(phrase.norms) - 1):
        if phrase.norms[i:i + 2] == ("can", "not"):
            for variant in _MODAL_VARIANTS:
                norms = phrase.norms[:i] + variant + ("to",) + phrase.norms[i + 2:]
                out.append(Phrase(phrase.target, phrase.kind, norms, content_norms(norms)))
            break
    return out


# ---------------------------------------------------------------------- message analysis
def classify(norms: Sequence[str], lowers: Sequence[str], pred_norms: FrozenSet[str]) -> List[str]:
    classes = []
    for i, norm in enumerate(norms):
        if norm in lexicon.BODY_SITES or norm in lexicon.SITE_MODIFIERS and _modifies_site(norms, lowers, i):
            classes.append("site")
        elif norm in pred_norms or (norm in lexicon.GENERIC_WORDS and _after_negation(norms, i)):
            classes.append("pred")  # "can't feel": a general verb that describes once negated
        elif norm in SENTENCE_ENDS or norm in CLAUSE_BREAKS:
            classes.append("punct")
        elif lowers[i] in RUN_BREAKS or lowers[i] in lexicon.SUBJECT_PRONOUNS:
            classes.append("other")
        elif norm in lexicon.SKIP_WORDS or not any(ch.isalnum() for ch in norm):
            classes.append("skip")
        else:
            classes.append("other")
    return classes


def _after_negation(norms: Sequence[str], i: int) -> bool:
    j = i - 1
    while j >= 0 and norms[j] in ("really", "even", "just", "be", "to"):
        j -= 1
    return j >= 0 and norms[j] in lexicon.NEGATION_PARTICLES


def _modifies_site(norms: Sequence[str], lowers: Sequence[str], i: int) -> bool:
    if norms[i] in ("left", "right"):
        return is_lateral(lowers, i)
    after = norms[i + 1] if i + 1 < len(norms) else ""
    return after in lexicon.BODY_SITES or after in lexicon.SITE_MODIFIERS or (
        norms[i] == "both" and after in {"my", "the", "his", "her", "of", "your"})


_COPULAS = frozenset({"be", "'s", "feel", "get", "become", "seem", "keep", "go", "have", "really", "very", "so",
                      "also", "still", "always", "constantly", "both", "all", "sometimes", "often", "just", "now",
                      "too", "kinda", "kind", "of", "sort", "sorta", "a", "bit", "little", "quite", "pretty",
                      "been", "do", "can", "will", "would", "start", "begin", "completely", "totally", "slightly"})
_COORDINATORS = frozenset({"and", "or", ",", "&", "/", "nor", "plus"})


def attach_sites(parsed: Parsed) -> None:
    """Fills `parsed.attach` and `parsed.site_run`: which description each body part belongs to.

    A run of body-part words ("left foot", "lower back") belongs to the description on its left
    after a preposition ("pain in my foot"), to the one on its right when one follows directly
    ("my legs tingle", "feet are numb"), to the same one as a body part it is coordinated with
    ("in my feet and legs"), to an adjective just before it ("numb feet"), else to the right.
    """
    runs = _runs(parsed)
    preds = [members for cls, members in runs if cls == "pred"]
    decided: Dict[int, Optional[Tuple[int, ...]]] = {}
    for cls, members in runs:
        if cls != "site":
            continue
        first, last = members[0], members[-1]
        seg = parsed.segment[first]
        left = [p for p in preds if p[-1] < first and parsed.segment[p[-1]] == seg]
        right = [p for p in preds if p[0] > last and parsed.segment[p[0]] == seg]
        before = _skip_back(parsed, first - 1, lexicon.DETERMINERS)
        after = _skip_forward(parsed, last + 1, _COPULAS | lexicon.DETERMINERS)
        nearest_left = tuple(left[-1]) if left else None
        nearest_right = tuple(right[0]) if right else None
        particle = any(start <= before < end for start, end in parsed.idioms)  # "I stood up my foot was numb"
        if before >= 0 and parsed.lowers[before] in lexicon.SITE_PREPOSITIONS and not particle:
            chosen = nearest_left or nearest_right
        elif after < len(parsed) and parsed.classes[after] == "pred":
            chosen = nearest_right
        elif before >= 0 and parsed.lowers[before] in _COORDINATORS and _partner(parsed, before, decided):
            chosen = decided[_partner(parsed, before, decided)]
        elif before >= 0 and parsed.classes[before] == "pred":
            chosen = nearest_left
        else:
            chosen = nearest_right or nearest_left
        run = tuple(members)
        for i in members:
            decided[i] = chosen
            parsed.site_run[i] = run
            if chosen is not None:
                parsed.attach[i] = frozenset(chosen)


def _runs(parsed: Parsed) -> List[Tuple[str, List[int]]]:
    """Maximal runs of description words (joined by function words, "numb and tingly") and of
    body-part words (joined only by determiners, "left big toe")."""
    runs: List[Tuple[str, List[int]]] = []
    current: Optional[Tuple[str, List[int]]] = None
    for i, cls in enumerate(parsed.classes):
        if cls in ("site", "pred"):
            joinable = current is not None and current[0] == cls and parsed.segment[current[1][-1]] == parsed.segment[i]
            if joinable and cls == "site":
                between = [parsed.lowers[j] for j in range(current[1][-1] + 1, i)]
                links = [w for w in between if w in SITE_LINKS]
                joinable = len(links) <= 1 and all(w in lexicon.DETERMINERS or w in SITE_LINKS for w in between)
            if joinable:
                current[1].append(i)
            else:
                current = (cls, [i])
                runs.append(current)
        elif cls != "skip" and not _listed(parsed, i):
            current = None
    return runs


def _listed(parsed: Parsed, i: int) -> bool:
    """An unknown word inside a list does not end it: "red, hot and swollen"."""
    before = parsed.lowers[i - 1] if i else ""
    after = parsed.lowers[i + 1] if i + 1 < len(parsed) else ""
    return parsed.classes[i] == "other" and before in _COORDINATORS and after in _COORDINATORS


def _skip_back(parsed: Parsed, i: int, words: FrozenSet[str]) -> int:
    while i >= 0 and parsed.norms[i] in words and parsed.classes[i] != "site":
        i -= 1
    return i


def _skip_forward(parsed: Parsed, i: int, words: FrozenSet[str]) -> int:
    while i < len(parsed) and parsed.norms[i] in words and parsed.classes[i] not in ("site", "pred"):
        i += 1
    return i


def _partner(parsed: Parsed, coordinator: int, decided: Dict[int, Optional[Tuple[int, ...]]]) -> Optional[int]:
    """The body part before "and"/"," that a following body part is coordinated with."""
    i = _skip_back(parsed, coordinator - 1, lexicon.DETERMINERS)
    return i if i >= 0 and i in decided and decided[i] is not None else None
