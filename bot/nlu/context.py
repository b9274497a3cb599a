"""What the message says about each mention: negated, uncertain, whose, which side, since when,
how bad, where.

Negation follows NegEx (Chapman et al. 2001) with negspacy's `en_clinical` termset as the
trigger lists: preceding triggers ("no", "not", "denies", "without"), following triggers
("...: none", "free"), pseudo-triggers that look like negations but are not ("not only", "no
change") and terminations that end a trigger's scope ("but", "however", "except"). We use the
lists, not negspacy's `Negex` pipe, because the pipe works on `doc.ents` spans and decides per
entity from the text alone: our mentions are token sets that may be spread out ("feet are not
numb" has the trigger *inside* the mention), a trigger that is part of a symptom phrase ("can't
lift my foot", "no energy") must not negate anything, and lay lists need scope rules of their
own. So the lists come from negspacy (plus the lay words it lacks: "nor", "neither", "none",
"nothing", "not sure"...), and the scope rules are ours:

* a preceding trigger negates mentions after it in its clause; a clause ends at the end of a
  sentence, at a termination term, and where a new subject starts a new clause (", my",
  "and I"...), so "no fever, chills or rash" negates all three and "no fever and my leg is
  numb" does not negate the leg;
* a following trigger negates the mention just before it when nothing but filler follows it
  ("back pain? none", "numbness: no");
* a pseudo-trigger or an uncertainty phrase ("not sure if") is matched as the longer span, so
  its "not" negates nothing.

Uncertainty uses the same scope rules with hedges ("maybe", "not sure if", "possibly").
Subject: the nearest person before the mention decides ("my mom's leg" -> other, "my wife says
my speech is slurred" -> self). Laterality and body site come from the body-part words the
matcher attached to the mention; a plural of a paired part ("my feet") is both sides. Onset
comes from the KB's own sudden/gradual onset phrases, duration from durations.py; both apply to
the mentions of their clause, or, said on their own ("It started two days ago."), to the
nearest described symptoms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from negspacy.termsets import termset
from spacy.matcher import PhraseMatcher

from bot.nlu import lexicon
from bot.nlu.durations import find_durations
from bot.nlu.matching import CLAUSE_BREAKS, SENTENCE_ENDS, Parsed, is_lateral

ONSET_SYMPTOMS = {"sudden_onset": "sudden", "gradual_onset": "gradual"}  # KB context ids (see triage/evidence.py)

_LAY_PRECEDING = ["nor", "neither", "none", "nothing", "no longer", "not any", "zero", "lack of", "free from",
                  "deny", "denies having", "never get", "not had", "have not had", "no more", "no real",
                  "do not have", "no history of", "never been", "not experienced", "no sign", "not noticed",
                  "haven't noticed", "not been"]
_LAY_FOLLOWING = ["none", "no", "nope", "not really", "absent", "negative", "not present", "not at all",
                  "not anymore", "never", "not an issue", "not a problem", "nothing", "is fine", "are fine",
                  "is ok", "are ok", "is okay", "are okay", "is normal", "are normal", "feels fine", "feel fine",
                  "feels normal", "feel normal", "fine", "ok", "okay"]
_LAY_PSEUDO = ["no idea", "no matter", "not just", "not only", "no doubt", "can't stop", "cannot stop",
               "couldn't stop", "not stop", "won't stop", "doesn't stop", "not getting better", "no better",
               "not better", "not improving",
               "not improved", "no relief", "nothing helps", "doesn't help", "not help", "don't know why",
               "do not know why", "don't know what", "not know what", "no reason", "not normal", "no change",
               "not right", "not feel right", "not ease", "not easing",
               "can't get comfortable", "not able to get comfortable", "nothing else", "no other", "not too bad",
               "not that bad", "not so bad", "not as bad", "not bad", "no way", "not the only"]
_PRECEDING_UNCERTAIN = ["maybe", "perhaps", "possibly", "possible", "probably", "might", "might be", "may be",
                        "may have", "could be", "could have", "not sure", "not sure if", "not sure whether", "unsure",
                        "not certain", "uncertain", "don't know if", "do not know if", "don't know whether",
                        "not know if", "can't tell if", "cannot tell if", "can't tell whether", "hard to tell",
                        "hard to say", "wondering if", "wonder if", "i guess", "not 100% sure", "questionable",
                        "i am not sure", "i'm not sure", "no idea if", "no idea whether", "not quite sure",
                        "can't really tell", "not really sure", "kind of hard to say", "suspect", "i think maybe",
                        "hard to know", "not positive", "slight chance"]
_FOLLOWING_UNCERTAIN = ["maybe", "perhaps", "possibly", "i guess", "or not", "not sure", "i'm not sure",
                        "i am not sure", "not certain", "i think", "i don't know", "i dunno", "dunno", "or something",
                        "not really sure", "hard to say", "hard to tell", "i suppose"]
_TERMINATIONS = ["but", "however", "although", "though", "except", "apart from", "aside from", "other than",
                 "besides", "yet", "still", "whereas", "just", "only", "instead", "rather", "because", "since",
                 "until", "till", "when", "after", "so", "then", "now", "anyway", "which", "while", "although",
                 "otherwise", "also"]
_SEVERITY = {
    "mild": ["mild", "mildly", "slight", "slightly", "a little", "a bit", "a little bit", "little bit", "minor",
             "faint", "not too bad", "not that bad", "not so bad", "not bad", "barely", "a tad", "somewhat"],
    "moderate": ["moderate", "moderately", "quite", "fairly", "pretty bad", "considerable", "quite bad",
                 "noticeable", "medium"],
    "severe": ["severe", "severely", "very bad", "really bad", "so bad", "terrible", "terribly", "awful",
               "horrible", "excruciating", "unbearable", "agonising", "agonizing", "intense", "extreme",
               "extremely", "worst", "crippling", "debilitating", "killing me", "excruciatingly", "horrendous",
               "really severe", "very severe", "unbelievable", "incredibly", "insane"],
}
_SCALE = re.compile(r"^(\d{1,2})(?:/10|/ 10)?$")

RESTART_SUBJECTS = frozenset({"i", "my", "it", "he", "she", "they", "we", "there", "his", "her", "their", "our",
                              "you", "its", "im", "i'm", "ive"})
RESTART_LINKS = frozenset({",", "and", "so", "then", "plus", "because", "cause", "cuz", "-", "--", "also"})
TAIL_OK = frozenset({"there", "present", "anymore", "at", "all", "now", "really", "either", "too", "an", "a",
                     "issue", "problem", "noticed", "thankfully", "luckily", "though", "that", "i", "know", "of",
                     "so", "far", "thank", "god", "honestly", "whatsoever", "today", "lately"})
_SCOPED = frozenset({"PRE_NEG", "POST_NEG", "PRE_UNC", "POST_UNC"})
_ANSWER_GAP = frozenset({"be", "have", "do", "feel", "seem", "'s", "any", "at", "all"})
NEAR = 4  # severity and fallback laterality words are looked for this many tokens around a mention


@dataclass
class Mention:
    target: str
    kind: str  # symptom | condition
    tokens: Tuple[int, ...]
    start: int
    end: int  # token indices, end exclusive
    symptom_kind: str = "symptom"  # the KB kind: symptom | risk_factor | context
    negated: bool = False
    uncertain: bool = False
    subject: str = "self"
    subject_sex: Optional[str] = None
    subject_token: Optional[int] = None  # the word that names the other person
    laterality: Optional[str] = None
    onset: Optional[str] = None
    duration: Optional[str] = None
    severity: Optional[str] = None
    body_site: Optional[str] = None


class ContextRules:
    def __init__(self, nlp, norm_words):
        """`norm_words(text) -> list of norms`, the same normalisation the messages get."""
        patterns = termset("en_clinical").get_patterns()
        self._labels = {
            "PRE_NEG": patterns["preceding_negations"] + _LAY_PRECEDING,
            "POST_NEG": patterns["following_negations"] + _LAY_FOLLOWING,
            "PSEUDO": patterns["pseudo_negations"] + _LAY_PSEUDO,
            "TERM": patterns["termination"] + _TERMINATIONS,
            "PRE_UNC": _PRECEDING_UNCERTAIN,
            "POST_UNC": _FOLLOWING_UNCERTAIN,
            **{f"SEV_{level}": words for level, words in _SEVERITY.items()},
        }
        self._matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        for label, texts in self._labels.items():
            docs = []
            for text in dict.fromkeys(t.lower() for t in texts):
                words = norm_words(text)
                if words:
                    doc = nlp.make_doc(" ".join(words))
                    for token, norm in zip(doc, words, strict=False):
                        token.norm_ = norm
                    if len(doc) == len(words):
                        docs.append(doc)
            self._matcher.add(label, docs)

    # ------------------------------------------------------------------ entry point
    def apply(self, parsed: Parsed, mentions: List[Mention], text: str) -> None:
        taken = {i for m in mentions for i in m.tokens}
        triggers = self._triggers(parsed, taken)
        clauses = _clauses(parsed, [t for t in triggers if t[0] & {"TERM", "PRE_UNC"}])  # "no X, maybe Y"
        for mention in mentions:
            mention.negated = self._scoped(parsed, mention, mentions, triggers, clauses, "NEG")
            mention.uncertain = self._scoped(parsed, mention, mentions, triggers, clauses, "UNC")
            mention.subject, mention.subject_sex, mention.subject_token = _subject(parsed, mention)
            if mention.symptom_kind == "symptom" and mention.kind == "symptom":  # not risk factors, context
                _place_sites(parsed, mention)
        symptoms = [m for m in mentions if m.kind == "symptom"]
        self._severity(parsed, symptoms, triggers, clauses)
        # Time belongs to a whole clause: "since", "when", "after" end a negation's scope, not a duration's.
        time_clauses = _clauses(parsed, [])
        onsets = [(m.start, ONSET_SYMPTOMS[m.target]) for m in symptoms
                  if m.target in ONSET_SYMPTOMS and not m.negated and not m.uncertain]
        _place_attribute(parsed, time_clauses, symptoms, onsets, "onset", skip=set(ONSET_SYMPTOMS))
        durations = []
        for start, _, value in find_durations(text):
            token = _token_at(parsed, start)
            if token is not None:
                durations.append((token, value))
        _place_attribute(parsed, time_clauses, symptoms, durations, "duration", skip=set())

    # ------------------------------------------------------------------ triggers and scope
    def _triggers(self, parsed: Parsed, taken: Set[int]) -> List[Tuple[FrozenSet[str], int, int]]:
        """(labels, start, end) of each trigger; a span may be several ("maybe" precedes or follows)."""
        doc = parsed.doc
        matches = self._matcher(doc)
        labels: Dict[Tuple[int, int], Set[str]] = {}
        for match_id, start, end in matches:
            labels.setdefault((start, end), set()).add(doc.vocab.strings[match_id])
        out = []
        for (start, end), names in sorted(labels.items()):
            if any(s <= start and end <= e and (s, e) != (start, end) for s, e in labels):
                continue  # inside a longer trigger: "not" in "not sure", "no" in "no idea"
            if names & _SCOPED and taken & set(range(start, end)):
                continue  # part of a symptom phrase ("can't lift my foot", "no energy")
            out.append((frozenset(names), start, end))
        return out

    def _scoped(self, parsed, mention, mentions, triggers, clauses, what: str) -> bool:
        """Whether a trigger of kind `what` (NEG or UNC) has the mention in its scope."""
        heads = _heads(parsed, mention)
        for labels, start, end in triggers:
            if f"PRE_{what}" in labels and any(end <= h and clauses[start] == clauses[h] and h - end <= 12
                                                for h in heads):
                return True  # "no fever", "feet are not numb", "vision hasn't changed"
            if f"POST_{what}" in labels and start >= mention.end and _answers(parsed, mention.end, start) \
                    and not any(mention.end <= m.start < start for m in mentions if m is not mention) \
                    and _tail_ok(parsed, end, clauses):
                return True  # "back pain? none", "fever: no"
        return False

    def _severity(self, parsed: Parsed, mentions: List[Mention], triggers, clauses) -> None:
        cues = [(start, label[4:]) for labels, start, _ in triggers for label in labels if label.startswith("SEV_")]
        for i in range(len(parsed)):
            level = _scale_level(parsed.lowers, i)
            if level:
                cues.append((i, level))
        for mention in mentions:
            if mention.symptom_kind != "symptom":
                continue
            near = [(abs(_distance(mention, i)), level) for i, level in cues
                    if clauses[i] == clauses[mention.tokens[0]] and _distance(mention, i) <= NEAR]
            if near:
                mention.severity = min(near)[1]


# ---------------------------------------------------------------------- helpers
def _clauses(parsed: Parsed, terminations: Sequence[Tuple[str, int, int]]) -> List[int]:
    """Clause number per token: sentences split at terminations and at a new subject (", my")."""
    starts = {start for _, start, _ in terminations}
    clause, out = 0, []
    lowers = parsed.lowers
    for i, lower in enumerate(lowers):
        after = lowers[i + 1] if i + 1 < len(lowers) else ""
        boundary = (
            i in starts
            or (i > 0 and parsed.sentence[i] != parsed.sentence[i - 1])
            or lower in SENTENCE_ENDS or lower in CLAUSE_BREAKS
            or (lower in RESTART_LINKS and after in RESTART_SUBJECTS)
        )
        if boundary:
            clause += 1
        out.append(clause)
    return out


def _head(parsed: Parsed, mention: Mention) -> int:
    return _heads(parsed, mention)[0]


def _heads(parsed: Parsed, mention: Mention) -> List[int]:
    """The mention's describing words (not its body part); a negation before any of them counts."""
    return [i for i in mention.tokens if parsed.classes[i] != "site"] or [mention.tokens[0]]


def _answers(parsed: Parsed, after_mention: int, trigger: int) -> bool:
    """A following trigger answers the mention right before it: only punctuation or a verb like
    "is"/"was" between them ("numbness? no", "fever: none", "pain was absent")."""
    between = parsed.norms[after_mention:trigger]
    return len(between) <= 2 and all(n in _ANSWER_GAP or not any(ch.isalnum() for ch in n) for n in between)


def _tail_ok(parsed: Parsed, end: int, clauses: List[int]) -> bool:
    """Nothing but filler follows a following trigger before its clause ends."""
    for i in range(end, min(end + 3, len(parsed))):
        if clauses[i] != clauses[end - 1] or parsed.lowers[i] in SENTENCE_ENDS:
            return True
        lower = parsed.lowers[i]
        if lower not in TAIL_OK and any(ch.isalnum() for ch in lower):
            return False
    return True


def _subject(parsed: Parsed, mention: Mention) -> Tuple[str, Optional[str], Optional[int]]:
    for i in range(mention.start - 1, -1, -1):
        lower = parsed.lowers[i]
        if lower in lexicon.FIRST_PERSON:
            return "self", None, None
        if lower in lexicon.THIRD_PERSON_PRONOUNS:
            return "other", lexicon.THIRD_PERSON_PRONOUNS[lower], i
        if parsed.norms[i] in lexicon.RELATIVES:
            return "other", lexicon.RELATIVES[parsed.norms[i]], i
    return "self", None, None


def _place_sites(parsed: Parsed, mention: Mention) -> None:
    own = [i for i in mention.tokens if parsed.classes[i] == "site"]
    attached = [i for i, preds in parsed.attach.items() if preds & set(mention.tokens)]
    if not own:  # a description without its own body part ("tingling") takes the one it is attached to
        own = attached
    sites = sorted({j for i in own for j in parsed.site_run.get(i, (i,))})
    mention.laterality = _laterality(parsed, sites)
    if mention.laterality is None:  # "my face went numb on the left": a side named on its own
        sides = [i for i in attached if parsed.norms[i] not in lexicon.BODY_SITES or parsed.norms[i] == "side"]
        mention.laterality = _laterality(parsed, sides)
    nouns = [i for i in sites if parsed.norms[i] in lexicon.BODY_SITES
             and parsed.norms[i] not in lexicon.NOT_A_REPORTED_SITE]
    if nouns:
        head = _head(parsed, mention)
        noun = min(nouns, key=lambda i: (abs(i - head), i))
        name = lexicon.BODY_SITE_NAMES.get(parsed.norms[noun], parsed.norms[noun])
        if noun > 0 and parsed.norms[noun - 1] in ("upper", "lower", "low", "mid", "middle") and name == "back":
            name = ("lower" if parsed.norms[noun - 1] in ("lower", "low") else "upper") + " back"
        mention.body_site = name


def _laterality(parsed: Parsed, sites: Sequence[int]) -> Optional[str]:
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


def _place_attribute(parsed: Parsed, clauses: List[int], mentions: List[Mention],
                     values: Iterable[Tuple[int, str]], name: str, skip: Set[str]) -> None:
    """Give each (token, value) to the mentions of its clause, or if none to the nearest described ones."""
    receivers = [m for m in mentions if m.target not in skip]
    symptoms = [m for m in receivers if m.symptom_kind == "symptom"]
    for token, value in values:
        chosen = [m for m in receivers if clauses[m.tokens[0]] == clauses[token]]
        if not chosen:  # said on its own ("it started 10 minutes ago"): about the symptoms described with it
            sentence = parsed.sentence[token]
            chosen = ([m for m in symptoms if parsed.sentence[m.tokens[0]] == sentence]
                      or [m for m in symptoms if parsed.sentence[m.tokens[0]] == sentence - 1])
        for mention in chosen:
            if getattr(mention, name) is None:
                setattr(mention, name, value)


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


def _token_at(parsed: Parsed, char: int) -> Optional[int]:
    for token in parsed.doc:
        if token.idx + len(token.text) > char:
            return token.i
    return None

