"""The symptom extractor without Rasa: `SymptomFinder.from_kb(kb).extract(text) -> [entity, ...]`.

Built once (spaCy pipeline, matchers, typo index), then `extract` costs well under a
millisecond or two per message. The Rasa component (symptoms.py), the emergency policy and the
tests all use this class. Entities follow the contract of docs/nlu.md:
`symptom` (value = KB symptom id, with negated, uncertain, hypothetical, subject, laterality,
onset, duration, since_hours, severity, body_site), `condition` (value = KB condition id, with
negated, uncertain, hypothetical, subject), `age` (whole years, as a string), `sex` ("female" |
"male") and `time` (a time no symptom took, with since_hours).
"""
from __future__ import annotations

from typing import Any, Dict, List

from bot.kb.schema import KnowledgeBase
from bot.nlu import lexicon
from bot.nlu.clauses import segment
from bot.nlu.context import ContextRules
from bot.nlu.demographics import find_ages, find_sexes
from bot.nlu.matching import (
    CONDITION,
    SYMPTOM,
    Candidate,
    Parsed,
    Phrase,
    PhraseIndex,
    attach_sites,
    classify,
    content_norms,
    select,
)
from bot.nlu.mention import Mention
from bot.nlu.text import Normaliser, base_norm, clean, contextual, make_nlp
from bot.nlu.typos import TypoCorrector
from bot.nlu.vocabulary import Vocabulary
from bot.triage.evidence import TIME_ENTITY

EXTRACTOR_NAME = "SymptomExtractor"
MAX_CHARS = 5000  # longer messages are read up to here: no one describes symptoms in more, and it bounds the cost


class SymptomFinder:
    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.nlp = make_nlp()
        self._lemmas = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        all_phrases = [(t, SYMPTOM, p) for t, p in vocabulary.symptom_phrases]
        all_phrases += [(t, CONDITION, p) for t, p in vocabulary.condition_phrases]
        roots = {base_norm(tok.lower_, self._lemma(tok.lower_)) for _, _, text in all_phrases for tok in self.nlp(text)}
        self.normaliser = Normaliser(roots | lexicon.BODY_SITES)
        phrases = []
        for target, kind, text in all_phrases:
            norms = tuple(self.norm_words(text))
            if norms:
                phrases.append(Phrase(target, kind, norms, content_norms(norms)))
        self.index = PhraseIndex(self.nlp, phrases, vocabulary.acronyms)
        self.typos = TypoCorrector(vocabulary.fuzzy_targets(), vocabulary.protected, same=self._same_norm)
        self.context = ContextRules(self.nlp, self.norm_words)

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> "SymptomFinder":
        return cls(Vocabulary.from_kb(kb))

    # ------------------------------------------------------------------ public
    def extract(self, text: Any) -> List[Dict[str, Any]]:
        """Entities found in `text`, in the Rasa entity format, ordered by position."""
        if not isinstance(text, str) or not text.strip():
            return []
        text = clean(text[:MAX_CHARS])
        parsed = self.parse(text)
        symptom_candidates, condition_candidates = [], self.index.acronym_candidates(parsed.doc)
        for candidate in self.index.candidates(parsed):
            if _inside_idiom(candidate, parsed.idioms):
                continue
            (symptom_candidates if candidate.kind == SYMPTOM else condition_candidates).append(candidate)
        mentions = [self._mention(c) for c in self._select_symptoms(symptom_candidates) + select(condition_candidates)]
        unclaimed_times = self.context.apply(parsed, mentions, text)
        mentions = _drop_contradicted_sides(mentions)
        entities = [self._entity(parsed, m) for m in sorted(mentions, key=lambda m: (m.start, m.end))]
        entities += _demographics(text, parsed, mentions)
        entities += [_plain_entity(TIME_ENTITY, value, start, end, since_hours=hours)
                     for start, end, value, hours in unclaimed_times]
        return sorted(entities, key=lambda e: (e["start"], e["end"], e["entity"]))

    def _select_symptoms(self, candidates: List[Candidate]) -> List[Candidate]:
        """The most specific phrases (`select`), plus any symptom that only lost its words to a context
        item (onset, sides, progression): a context item says how a symptom is and must not take the
        symptom's own words. "both my legs are getting weaker by the day" is leg weakness as well as
        both sides and getting worse from day to day."""
        chosen = select(candidates)
        symptoms = select([c for c in candidates if self.vocabulary.kinds.get(c.target) != "context"])
        return chosen + [c for c in symptoms if c not in chosen]

    def parse(self, text: str) -> Parsed:
        doc = self.nlp(text)
        raw = [token.lower_ for token in doc]
        lowers, norms = [], []
        for i, token in enumerate(doc):
            lower = raw[i]
            corrected = self.typos.correct(lower, raw[i - 1] if i else "", raw[i + 1] if i + 1 < len(raw) else "")
            if corrected:
                lower = corrected
            lemma = self._lemma(lower)
            norm = self.normaliser.norm(lower, lemma) if not token.is_space else ("\n" if "\n" in token.text else " ")
            lowers.append(lower)
            norms.append(norm)
        contextual(lowers, norms)
        for token, norm in zip(doc, norms, strict=True):
            token.norm_ = norm
        sentences, segments = segment(lowers, norms, [t.is_space and "\n" in t.text for t in doc])
        parsed = Parsed(doc, lowers, norms, classify(norms, lowers, self.index.pred_norms), sentences, segments)
        parsed.idioms = self.context.idioms(parsed)
        attach_sites(parsed)
        return parsed

    def norm_words(self, text: str) -> List[str]:
        lowers = [t.lower_ for t in self.nlp(clean(text)) if not t.is_space]
        return contextual(lowers, [self.normaliser.norm(lower, self._lemma(lower)) for lower in lowers])

    # ------------------------------------------------------------------ helpers
    def _lemma(self, lower: str) -> str:
        """The lookup lemma of the lower-case form ("Feet" and "FEET" are "foot" too)."""
        return self._lemmas.get(lower, lower)

    def _same_norm(self, a: str, b: str) -> bool:
        return self.normaliser.norm(a, self._lemma(a)) == self.normaliser.norm(b, self._lemma(b))

    def _mention(self, candidate: Candidate) -> Mention:
        return Mention(candidate.target, candidate.kind, candidate.tokens, candidate.start, candidate.end,
                       symptom_kind=self.vocabulary.kinds.get(candidate.target, "symptom"))

    @staticmethod
    def _entity(parsed: Parsed, mention: Mention) -> Dict[str, Any]:
        first, last = parsed.doc[mention.start], parsed.doc[mention.end - 1]
        entity = {
            "entity": mention.kind,
            "value": mention.target,
            "start": first.idx,
            "end": last.idx + len(last.text),
            "confidence": 1.0,
            "extractor": EXTRACTOR_NAME,
            "negated": mention.negated,
            "uncertain": mention.uncertain,
            "hypothetical": mention.hypothetical,
            "subject": mention.subject,
        }
        if mention.kind == SYMPTOM:
            entity.update(laterality=mention.laterality, onset=mention.onset, duration=mention.duration,
                          since_hours=mention.since_hours, severity=mention.severity, body_site=mention.body_site)
        return entity


def _inside_idiom(candidate: Candidate, idioms: List[tuple]) -> bool:
    """Its words are part of an idiom it does not hold whole ("keep falling" in "keep falling asleep")."""
    return any(any(start <= t < end for t in candidate.tokens) and not candidate.start <= start < end <= candidate.end
               for start, end in idioms)


def _drop_contradicted_sides(mentions: List[Mention]) -> List[Mention]:
    """ "Left foot numb, not the right": a symptom present on one side is present, not absent."""
    present = {(m.target, m.laterality) for m in mentions if not m.negated}
    present_targets = {target for target, _ in present}
    return [m for m in mentions if not (m.negated and m.target in present_targets
                                        and m.laterality and (m.target, m.laterality) not in present)]


def _demographics(text: str, parsed: Parsed, mentions: List[Mention]) -> List[Dict[str, Any]]:
    out = []
    for start, end, value, subject in find_ages(text):
        out.append(_plain_entity("age", value, start, end, subject=subject))
    sexes = find_sexes(text)
    for start, end, value in sexes:
        out.append(_plain_entity("sex", value, start, end, subject="self"))
    others = [m for m in mentions if m.subject == "other" and m.kind == SYMPTOM]
    if not sexes and others and len({m.subject_sex for m in others}) == 1 and others[0].subject_sex:
        token = parsed.doc[others[0].subject_token]
        out.append(_plain_entity("sex", others[0].subject_sex, token.idx, token.idx + len(token.text), subject="other"))
    return out


def _plain_entity(name: str, value: str, start: int, end: int, **fields: Any) -> Dict[str, Any]:
    entity = {"entity": name, "value": value, "start": start, "end": end, "confidence": 1.0,
              "extractor": EXTRACTOR_NAME}
    entity.update({key: field for key, field in fields.items() if field is not None})
    return entity
