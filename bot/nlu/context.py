"""What the message says about each mention: negated, uncertain, hypothetical, whose, which side, since
when, how bad, where. This module runs the steps in order; each lives in its own module: triggers and
scope in scope.py (rules as data in context_rules.yml), whose in subject.py, where and which side in
sites.py, when in timing.py.

Negation follows NegEx (Chapman et al. 2001) with negspacy's `en_clinical` termset as the
trigger lists: preceding triggers ("no", "not", "denies", "without"), following triggers
("...: none", "free"), pseudo-triggers that look like negations but are not ("not only", "no
change") and terminations that end a trigger's scope ("but", "however", "except"). We use the
lists, not negspacy's `Negex` pipe, because the pipe works on `doc.ents` spans and decides per
entity from the text alone: our mentions are token sets that may be spread out ("feet are not
numb" has the trigger *inside* the mention), a trigger that is part of a symptom phrase ("can't
lift my foot", "no energy") must not negate anything, and lay lists need scope rules of their
own. So the lists come from negspacy (plus the lay words it lacks: "nor", "neither", "none",
"nothing", "not sure"..., all in context_rules.yml), and the scope rules are ours:

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

from collections.abc import Callable, Sequence
from typing import Optional

from bot.kb.ids import SELF_REPORTED_EMERGENCY
from bot.nlu.context_rules import BIDIRECTIONAL, HISTORICAL, HYPOTHETICAL, NEGATED, POSSIBLE, RuleSet, load_rules
from bot.nlu.matching import Parsed
from bot.nlu.mention import Mention
from bot.nlu.scope import Trigger, Triggers, in_scope, question_sentences, scope_clauses, severity_of, tied_to_a_person
from bot.nlu.sites import place_sites
from bot.nlu.subject import subject_of
from bot.nlu.timing import LONG_AGO, Time, place_times

__all__ = ["ContextRules", "Mention"]


class ContextRules:
    def __init__(self, nlp, norm_words: Callable[[str], list], rules: Optional[RuleSet] = None):
        """`norm_words(text) -> list of norms`, the same normalisation the messages get."""
        self.rules = rules or load_rules()
        self.triggers = Triggers(nlp, norm_words, self.rules)

    def idioms(self, parsed: Parsed) -> list[tuple[int, int]]:
        """Token spans of figures of speech, whose words are no symptom ("I'm falling apart")."""
        return self.triggers.idioms(parsed)

    def apply(self, parsed: Parsed, mentions: Sequence[Mention], text: str) -> list[Time]:
        """Fills in every mention's context; returns the times said that no mention took (timing.py)."""
        taken = {i for m in mentions for i in m.tokens}
        triggers = self.triggers.find(parsed, taken)
        clauses = scope_clauses(parsed, triggers)
        scope = self.rules.max_scope

        def scoped(mention: Mention, category: str) -> bool:
            return in_scope(parsed, mention, mentions, triggers, clauses, category, scope)

        questions = question_sentences(parsed, self.rules)
        for mention in mentions:
            mention.negated = scoped(mention, NEGATED)
            mention.uncertain = scoped(mention, POSSIBLE)
            if scoped(mention, HYPOTHETICAL) or parsed.sentence[mention.start] in questions:
                self._suppose(parsed, mention)
            mention.subject, mention.subject_sex, mention.subject_token = subject_of(parsed, mention.start)
            if mention.describes:
                place_sites(parsed, mention)
                mention.severity = severity_of(parsed, mention, triggers, clauses)
        symptoms = [m for m in mentions if m.kind == "symptom"]
        historical = [m for m in symptoms
                      if in_scope(parsed, m, mentions, triggers, parsed.segment, HISTORICAL, scope)]
        unclaimed = place_times(parsed, text, parsed.segment, symptoms, historical)
        return unclaimed + self._historical_times(parsed, triggers, symptoms)

    @staticmethod
    def _suppose(parsed: Parsed, mention: Mention) -> None:
        """A mention in a question or a supposition. A symptom said of someone's body is still reported;
        an emergency asked about as happening now ("am I having a stroke?") is uncertain, so it escalates."""
        if mention.describes and tied_to_a_person(parsed, mention, parsed.segment):
            return
        if mention.target == SELF_REPORTED_EMERGENCY and "having" in parsed.lowers[mention.start:mention.end]:
            mention.uncertain = True
            return
        mention.hypothetical = True

    @staticmethod
    def _historical_times(parsed: Parsed, triggers: Sequence[Trigger], symptoms: Sequence[Mention]) -> list[Time]:
        """"Yes, when I was 16": a long-past time no symptom of its clause takes, for the question it answers."""
        taken = {parsed.segment[m.start] for m in symptoms}
        doc = parsed.doc
        return [(doc[t.start].idx, doc[t.end - 1].idx + len(doc[t.end - 1].text), "long ago", LONG_AGO)
                for t in triggers if t.has(HISTORICAL, BIDIRECTIONAL) and parsed.segment[t.start] not in taken]
