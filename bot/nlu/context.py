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

from bot.nlu.context_rules import HISTORICAL, HYPOTHETICAL, NEGATED, POSSIBLE, RuleSet, load_rules
from bot.nlu.matching import Parsed
from bot.nlu.mention import Mention
from bot.nlu.scope import Triggers, in_scope, scope_clauses, severity_of
from bot.nlu.sites import place_sites
from bot.nlu.subject import subject_of
from bot.nlu.timing import Time, place_times

__all__ = ["ContextRules", "Mention"]


class ContextRules:
    def __init__(self, nlp, norm_words: Callable[[str], list], rules: Optional[RuleSet] = None):
        """`norm_words(text) -> list of norms`, the same normalisation the messages get."""
        self.rules = rules or load_rules()
        self.triggers = Triggers(nlp, norm_words, self.rules)

    def apply(self, parsed: Parsed, mentions: Sequence[Mention], text: str) -> list[Time]:
        """Fills in every mention's context; returns the times said that no mention took (timing.py)."""
        taken = {i for m in mentions for i in m.tokens}
        triggers = self.triggers.find(parsed, taken)
        clauses = scope_clauses(parsed, triggers)
        scope = self.rules.max_scope

        def scoped(mention: Mention, category: str) -> bool:
            return in_scope(parsed, mention, mentions, triggers, clauses, category, scope)

        for mention in mentions:
            mention.negated = scoped(mention, NEGATED)
            mention.uncertain = scoped(mention, POSSIBLE)
            mention.hypothetical = scoped(mention, HYPOTHETICAL)
            mention.subject, mention.subject_sex, mention.subject_token = subject_of(parsed, mention.start)
            if mention.describes:
                place_sites(parsed, mention)
                mention.severity = severity_of(parsed, mention, triggers, clauses)
        symptoms = [m for m in mentions if m.kind == "symptom"]
        historical = [m for m in symptoms if scoped(m, HISTORICAL)]
        return place_times(parsed, text, parsed.segment, symptoms, historical)
