"""When: a mention's onset (sudden or gradual), its duration, and about how long ago it began (`since_hours`).

Time belongs to a whole clause: "since", "when", "after" end a negation's scope, not a duration's.
A time that says when ("4 days ago", "since Sunday") outweighs one that says how long ("for 20
minutes") in its sentence; when two say when ("a stroke two years ago, and an hour ago my leg went
numb"), the more recent counts: a red flag must never be taken for an old one.
A time said on its own ("It started two days ago.") belongs to the symptoms described in the same
sentence, or in the one before. A mention in the scope of a HISTORICAL trigger ("used to", "as a
child", "in the past") happened long ago, if no time of its own says otherwise. A time no mention
takes (the answer "yes, years ago") is returned on its own, for the interview to give to the
question it answers.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Optional

from bot.kb.ids import GRADUAL_ONSET, SUDDEN_ONSET
from bot.nlu.durations import YEAR, find_durations, hours_since, is_estimate
from bot.nlu.matching import Parsed
from bot.nlu.mention import Mention

Time = tuple[int, int, str, Optional[float]]  # start, end (characters), normal form, hours ago
ONSET_SYMPTOMS = {SUDDEN_ONSET: "sudden", GRADUAL_ONSET: "gradual"}
LONG_AGO = YEAR  # "used to", "as a child": at least this many hours ago


def place_times(parsed: Parsed, text: str, clauses: Sequence[int], symptoms: Sequence[Mention],
                historical: Iterable[Mention] = ()) -> list[Time]:
    """Sets onset, duration and since_hours on the symptom mentions (which include risk factors and
    context); returns the times no mention took: (start, end, normal form, hours)."""
    onsets = [(m.start, ONSET_SYMPTOMS[m.target]) for m in symptoms
              if m.target in ONSET_SYMPTOMS and not m.negated and not m.uncertain]
    for mention, value in _placements(parsed, clauses, symptoms, onsets, skip=set(ONSET_SYMPTOMS)):
        mention.onset = mention.onset or value
    times, unclaimed = [], []
    for start, end, value in find_durations(text):
        token = _token_at(parsed, start)
        if token is not None:
            times.append((token, value))
            unclaimed.append((start, end, value, token))
    taken, ages = set(), {}
    for mention, value in _placements(parsed, clauses, symptoms, times, skip=set()):
        mention.duration = mention.duration or value
        hours = hours_since(value)
        if hours is not None:
            ages.setdefault(id(mention), []).append((_weight(value), hours))
        taken.add(value)
    anchors_by_sentence: dict[int, list[tuple[int, float]]] = {}
    for token, value in times:
        if is_anchor(value) and hours_since(value) is not None:
            anchors_by_sentence.setdefault(parsed.sentence[token], []).append((_weight(value), hours_since(value)))
    for mention in symptoms:
        mention.since_hours = _age(ages.get(id(mention), []), anchors_by_sentence.get(parsed.sentence[mention.start]))
    for mention in historical:
        if mention.since_hours is None:
            mention.since_hours = LONG_AGO
    return [(start, end, value, hours_since(value)) for start, end, value, _ in unclaimed if value not in taken]


def is_anchor(normal: str) -> bool:
    """A time that says when ("4 days ago", "since Sunday", "in 2015"), not for how long ("for 20 minutes")."""
    return normal.endswith(" ago") or normal.startswith(("since ", "in ", "on "))


WHEN, ESTIMATED_WHEN, HOW_LONG = 2, 1, 0  # how much a time says about when a thing began


def _weight(normal: str) -> int:
    if not is_anchor(normal):
        return HOW_LONG
    return ESTIMATED_WHEN if is_estimate(normal) else WHEN


def _age(times: list[tuple[int, float]], sentence_anchors: Optional[list[tuple[int, float]]]) -> Optional[float]:
    """How long ago a mention began: its clause's "when" if it has one, else its sentence's ("on Sunday my face
    went lopsided for 20 minutes"), else its clause's "for how long" (numb for 3 days). A precise "when" ("4 days
    ago") outweighs a guessed one ("on Sunday"). Of two of the same weight, the more recent: a red flag must never
    be taken for an old one."""
    own_anchors = [t for t in times if t[0] > HOW_LONG]
    chosen = own_anchors or sentence_anchors or times
    if not chosen:
        return None
    best = max(weight for weight, _ in chosen)
    return min(hours for weight, hours in chosen if weight == best)


def _placements(parsed: Parsed, clauses: Sequence[int], mentions: Sequence[Mention],
                values: Iterable[tuple[int, str]], skip: set) -> list[tuple[Mention, str]]:
    """(mention, value) for each value: to the mentions of its clause, or if none to the nearest described ones."""
    receivers = [m for m in mentions if m.target not in skip]
    described = [m for m in receivers if m.symptom_kind == "symptom"]
    out = []
    for token, value in values:
        chosen = [m for m in receivers if clauses[m.tokens[0]] == clauses[token]]
        if not chosen:  # said on its own ("it started 10 minutes ago"): about the symptoms described with it
            sentence = parsed.sentence[token]
            chosen = ([m for m in described if parsed.sentence[m.tokens[0]] == sentence]
                      or [m for m in described if parsed.sentence[m.tokens[0]] == sentence - 1])
        out += [(mention, value) for mention in chosen]
    return out


def _token_at(parsed: Parsed, char: int) -> Optional[int]:
    for token in parsed.doc:
        if token.idx + len(token.text) > char:
            return token.i
    return None
