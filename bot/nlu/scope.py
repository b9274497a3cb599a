"""Triggers and their scope (bot/nlu/context_rules.yml): is a mention negated, uncertain, hypothetical,
long past, and how bad is it?

Triggers are found once per message by a PhraseMatcher on token norms. A trigger inside a longer
one counts only as the longer one ("not" in "not sure"), and a trigger that is part of a symptom
phrase ("can't lift my foot", "no energy") is none. Scope:
- forward: the mentions whose describing words come after the trigger, in its clause, at most
  `max_scope` tokens away ("no fever, chills or rash"; clauses end at terminations: "no fever but a rash");
- backward: the mention just before the trigger, when nothing but filler follows it ("back pain? none");
- bidirectional: the mentions on either side in its clause, at most `max_scope` tokens away.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Optional

from spacy.matcher import PhraseMatcher

from bot.nlu import lexicon
from bot.nlu.clauses import SENTENCE_ENDS, segment
from bot.nlu.context_rules import (
    BACKWARD,
    BIDIRECTIONAL,
    FORWARD,
    NEGATED,
    POSSIBLE,
    PSEUDO,
    TERMINATE,
    RuleSet,
    label,
)
from bot.nlu.matching import Parsed
from bot.nlu.mention import Mention

SEVERITY = "SEVERITY"
IDIOM = "IDIOM"
TAIL_OK = frozenset({"there", "present", "anymore", "at", "all", "now", "really", "either", "too", "an", "a",
                     "issue", "problem", "noticed", "thankfully", "luckily", "though", "that", "i", "know", "of",
                     "so", "far", "thank", "god", "honestly", "whatsoever", "today", "lately"})
ANSWER_GAP = frozenset({"be", "have", "do", "feel", "seem", "'s", "any", "at", "all"})
NEAR = 4  # severity words are looked for this many tokens around a mention
_SCALE = re.compile(r"^(\d{1,2})(?:/10|/ 10)?$")


@dataclass(frozen=True)
class Trigger:
    labels: frozenset  # `CATEGORY:direction` of every rule whose literal this is
    start: int
    end: int

    def has(self, category: str, direction: str) -> bool:
        return label(category, direction) in self.labels


class Triggers:
    """The rule set compiled for one spaCy vocabulary."""

    def __init__(self, nlp, norm_words: Callable[[str], list], rules: RuleSet):
        self.rules = rules
        literals = {rule.label: list(rule.literals) for rule in rules.rules}
        for rule in rules.rules:
            literals.setdefault(rule.label, [])
        for level, words in rules.severity.items():
            literals[label(SEVERITY, level)] = list(words)
        self._matcher = _phrase_matcher(nlp, norm_words, literals)
        self._idioms = _phrase_matcher(nlp, norm_words, {IDIOM: list(rules.idioms)})  # needed before the triggers

    def idioms(self, parsed: Parsed) -> list[tuple[int, int]]:
        """The token spans of the message's idioms (context_rules.yml)."""
        return [(start, end) for _, start, end in self._idioms(parsed.doc)]

    def find(self, parsed: Parsed, taken: set) -> list[Trigger]:
        """The message's triggers; `taken`: tokens of symptom phrases, which a negation or a hedge must not
        overlap (a time or a question may: "my leg cast came off" is a cast of long ago)."""
        doc = parsed.doc
        labels: dict[tuple[int, int], set] = {}
        for match_id, start, end in self._matcher(doc):
            labels.setdefault((start, end), set()).add(doc.vocab.strings[match_id])
        out = []
        for (start, end), names in sorted(labels.items()):
            if any(s <= start and end <= e and (s, e) != (start, end) for s, e in labels):
                continue  # inside a longer trigger: "not" in "not sure", "no" in "no idea"
            existence = any(name.startswith((f"{NEGATED}:", f"{POSSIBLE}:")) for name in names)
            if existence and taken & set(range(start, end)):
                continue  # part of a symptom phrase ("can't lift my foot", "no energy")
            out.append(Trigger(frozenset(names), start, end))
        return out


def _phrase_matcher(nlp, norm_words: Callable[[str], list], literals: dict[str, list]) -> PhraseMatcher:
    """A matcher on token norms, one label per entry, each text normalised as the messages are."""
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    for name, texts in literals.items():
        docs = []
        for text in dict.fromkeys(t.lower() for t in texts):
            words = norm_words(text)
            if words:
                doc = nlp.make_doc(" ".join(words))
                for token, norm in zip(doc, words, strict=False):
                    token.norm_ = norm
                if len(doc) == len(words):
                    docs.append(doc)
        matcher.add(name, docs)
    return matcher


def scope_clauses(parsed: Parsed, triggers: Sequence[Trigger]) -> list[int]:
    """Clause number per token, a termination or a forward hedge starting a new one ("no X, maybe Y")."""
    starts = [t.start for t in triggers if t.has("TERMINATE", TERMINATE) or t.has(POSSIBLE, FORWARD)]
    return segment(parsed.lowers, parsed.norms, newlines(parsed), starts)[1]


def newlines(parsed: Parsed) -> list[bool]:
    return [token.is_space and "\n" in token.text for token in parsed.doc]


def in_scope(parsed: Parsed, mention: Mention, mentions: Sequence[Mention], triggers: Sequence[Trigger],
             clauses: Sequence[int], category: str, max_scope: int) -> bool:
    """Whether a trigger of `category` has the mention in its scope."""
    heads = describing_tokens(parsed, mention)
    for trigger in triggers:
        if trigger.has(category, FORWARD) and any(
                trigger.end <= h and clauses[trigger.start] == clauses[h] and h - trigger.end <= max_scope
                for h in heads):
            return True  # "no fever", "feet are not numb", "vision hasn't changed"
        if trigger.has(category, BIDIRECTIONAL) and any(
                clauses[trigger.start] == clauses[h] and min(abs(h - trigger.start), abs(h - trigger.end)) <= max_scope
                for h in heads):
            return True  # "I broke my ankle as a child", "as a child I broke my ankle"
        if trigger.has(category, BACKWARD) and trigger.start >= mention.end \
                and _answers(parsed, mention.end, trigger.start) \
                and not any(mention.end <= m.start < trigger.start for m in mentions if m is not mention) \
                and _tail_ok(parsed, trigger.end, clauses):
            return True  # "back pain? none", "fever: no"
    return False


def question_sentences(parsed: Parsed, rules: RuleSet) -> set[int]:
    """Sentences that ask rather than report (context_rules.yml, "Questions")."""
    words: dict[int, list[int]] = {}
    for i, lower in enumerate(parsed.lowers):
        if any(ch.isalnum() for ch in lower) or lower == "?":
            words.setdefault(parsed.sentence[i], []).append(i)
    questions = set()
    for sentence, tokens in words.items():
        opener = parsed.lowers[tokens[0]]
        asks = "?" in (parsed.lowers[tokens[-1]], parsed.lowers[tokens[-1]][-1:])
        inverted = opener not in lexicon.WH_WORDS and len(tokens) > 1 \
            and parsed.lowers[tokens[1]] in rules.question_subjects  # "am I", not "when I"
        if opener in rules.wh_openers or ((asks or inverted) and opener in rules.question_openers):
            questions.add(sentence)
    return questions


def tied_to_a_person(parsed: Parsed, mention: Mention, clauses: Sequence[int]) -> bool:
    """Said of someone's body ("my toes", "his legs", "I have numb feet"): a person before it, in its clause."""
    clause = clauses[mention.start]
    for i in range(mention.end - 1, -1, -1):
        if clauses[i] != clause:
            break
        lower = parsed.lowers[i]
        if lower in lexicon.FIRST_PERSON or lower in lexicon.THIRD_PERSON_PRONOUNS \
                or parsed.norms[i] in lexicon.RELATIVES:
            return True
    return False


def describing_tokens(parsed: Parsed, mention: Mention) -> list[int]:
    """The mention's describing words (not its body part); a trigger before any of them counts."""
    return [i for i in mention.tokens if parsed.classes[i] != "site"] or [mention.tokens[0]]


def severity_of(parsed: Parsed, mention: Mention, triggers: Sequence[Trigger], clauses: Sequence[int]) -> Optional[str]:
    """The nearest severity word or "n/10" in the mention's clause, within NEAR tokens."""
    cues = [(t.start, name.split(":")[1]) for t in triggers for name in t.labels if name.startswith(SEVERITY + ":")]
    cues += [(i, level) for i in range(len(parsed)) if (level := _scale_level(parsed.lowers, i))]
    near = [(abs(_distance(mention, i)), level) for i, level in cues
            if clauses[i] == clauses[mention.tokens[0]] and _distance(mention, i) <= NEAR]
    return min(near)[1] if near else None


def is_pseudo(trigger: Trigger) -> bool:
    return any(name.endswith(f":{PSEUDO}") for name in trigger.labels)


def _answers(parsed: Parsed, after_mention: int, trigger: int) -> bool:
    """A backward trigger answers the mention right before it: only punctuation or a verb like
    "is"/"was" between them ("numbness? no", "fever: none", "pain was absent")."""
    between = parsed.norms[after_mention:trigger]
    return len(between) <= 2 and all(n in ANSWER_GAP or not any(ch.isalnum() for ch in n) for n in between)


def _tail_ok(parsed: Parsed, end: int, clauses: Sequence[int]) -> bool:
    """Nothing but filler follows a backward trigger before its clause ends."""
    for i in range(end, min(end + 3, len(parsed))):
        if clauses[i] != clauses[end - 1] or parsed.lowers[i] in SENTENCE_ENDS:
            return True
        lower = parsed.lowers[i]
        if lower not in TAIL_OK and any(ch.isalnum() for ch in lower):
            return False
    return True


def _distance(mention: Mention, i: int) -> int:
    if i < mention.start:
        return mention.start - i
    if i >= mention.end:
        return i - mention.end + 1
    return 0


def _scale_level(lowers: Sequence[str], i: int) -> Optional[str]:
    match = _SCALE.match(lowers[i])
    if not match:
        return None
    explicit = "/" in lowers[i] or (lowers[i + 1:i + 3] == ["out", "of"] if i + 3 < len(lowers) else False)
    if not explicit:
        return None
    value = int(match.group(1))
    if value > 10:
        return None
    return "mild" if value <= 3 else "moderate" if value <= 6 else "severe"
