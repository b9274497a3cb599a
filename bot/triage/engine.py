"""The triage engine: ranks causes, picks the next question, knows when to stop, tells the triage level.

Stateless: every call gets the whole state (evidence, age, sex, questions already asked), so the
same engine serves every conversation. All medical content comes from the `KnowledgeBase`; the
code only knows how to weigh it.

    engine = TriageEngine(read_knowledge_base())
    question = engine.next_question(evidence, age, sex, asked)   # a symptom id, or None: stop
    assessment = engine.assess(evidence, age, sex)               # .to_dict() is custom.assessment
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from bot.kb.ids import FINDING_KIND, SYMPTOMS_RESOLVED
from bot.kb.schema import KnowledgeBase
from bot.triage.evidence import ABSENT, PRESENT, merge, present
from bot.triage.levels import DEFAULT_THRESHOLDS, rank_of, triage_level
from bot.triage.questions import Candidate, Scoring, candidates, expected_gain, telltale_symptoms
from bot.triage.ranking import Ranker, ranked
from bot.triage.reasons import Weighed, reasons
from bot.triage.red_flags import condition_level, lapsed_level, matching_rules
from bot.triage.why import QuestionValue, shifts

MAX_LISTED = 5
DOCTOR_VISIT = "consultation"  # the level of a finding in general_care's `see_a_doctor_with`
SHOWN_TEMPERATURE = 1.0


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    name: str
    choice: str  # present | absent | unknown


@dataclass(frozen=True)
class RankedCondition:
    id: str
    name: str
    probability: float
    supporting: tuple[EvidenceItem, ...] = ()  # answers that make it likelier than the other causes, strongest first
    conflicting: tuple[EvidenceItem, ...] = ()  # answers that speak against it, strongest first


@dataclass(frozen=True)
class Assessment:
    triage: str
    conditions: list[RankedCondition]  # most probable first, at most five
    evidence: list[EvidenceItem]
    advice: str
    kb_version: str
    explanation: list[str] = field(default_factory=list)  # short reasons for the leading cause

    def to_dict(self) -> dict:
        """The `custom.assessment` JSON contract of the design."""
        return {
            "triage": self.triage,
            "conditions": [{**asdict(c), "probability": round(c.probability, 3)} for c in self.conditions],
            "evidence": [asdict(e) for e in self.evidence],
            "advice": self.advice,
            "kb_version": self.kb_version,
        }


@dataclass(frozen=True)
class Decision:
    question: str | None  # the symptom id to ask about, or None to stop
    reason: str  # "ask", "screen" (a screening question), or why it stops: "max_questions", "no_questions",
    # "settled" (no answer can change the level or the top three), "clear" (leading cause clear), "no_gain"
    candidates: tuple[Candidate, ...] = ()


class TriageEngine:
    """Naive-Bayes ranking, information-gain questions, threshold triage. See the modules it uses.

    Tuning knobs (keyword-only, defaults chosen on the tuning vignettes):
    - level_weight: weight of the urgency-level information in a question's score.
    - red_flag_weight: weight of the chance that a question's yes completes a red-flag rule.
    - thresholds: cumulative probability at which each triage level is told (levels.py).
    - clear_top / clear_margin: the leading cause is clear when it has at least clear_top and leads
      the second by clear_margin; then the interview stops unless the level could still change.
    - min_answer_probability: answers less likely than this do not keep the interview going...
    - min_escalation_probability: ...unless they would make the level more urgent and are at least this likely.
    - min_questions: the interview asks at least this many questions (when any is informative) before
      stopping on its own: a few answers cannot make a naive-Bayes ranking trustworthy, however peaked.
    - min_gain: a question worth less than this (bits) is not asked.
    - screen_probability: before stopping, every cause more urgent than the level told that holds at
      least this much has its telltale symptom asked (see `_screening_question`).
    - min_listed_probability: causes below this are left out of the assessment (the first is kept).
    - shown_temperature: the probabilities shown with an assessment are the ranking's, softened by this
      temperature (log-scores divided by it): naive Bayes multiplies answers as if each were independent
      evidence, so its raw probabilities are too sure of themselves. Fitted on the vignette sets for the
      lowest Brier score of the leading cause (reports/calibration.md); the order, the level and the
      questions do not depend on it.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        max_questions: int = 12,
        *,
        level_weight: float = 2.0,
        red_flag_weight: float = 1.0,
        thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS,
        clear_top: float = 0.8,
        clear_margin: float = 0.5,
        min_answer_probability: float = 0.05,
        min_escalation_probability: float = 0.05,
        min_questions: int = 4,
        min_gain: float = 0.01,
        screen_probability: float = 0.001,
        min_listed_probability: float = 0.01,
        shown_temperature: float = SHOWN_TEMPERATURE,
    ):
        self.kb = kb
        self.max_questions = max_questions
        self.level_weight = level_weight
        self.red_flag_weight = red_flag_weight
        self.thresholds = dict(thresholds)
        self.clear_top = clear_top
        self.clear_margin = clear_margin
        self.min_answer_probability = min_answer_probability
        self.min_escalation_probability = min_escalation_probability
        self.min_questions = min_questions
        self.min_gain = min_gain
        self.screen_probability = screen_probability
        self.min_listed_probability = min_listed_probability
        self.shown_temperature = shown_temperature
        self.ranker = Ranker(kb)
        self._urgencies = [c.urgency for c in self.ranker.conditions]
        self._needs_a_doctor = frozenset(kb.general_care.see_a_doctor_with)
        self._scoring = Scoring(
            condition_ids=self.ranker.condition_ids,
            urgencies=self._urgencies,
            tables=self.ranker.p_present,
            level_weight=level_weight,
            red_flag_weight=red_flag_weight,
            min_answer_probability=min_answer_probability,
            min_escalation_probability=min_escalation_probability,
        )
        self._symptom_names = {s.id: s.name for s in kb.symptoms}
        # Worth asking: what tells causes apart, and what can complete a red-flag rule.
        red_flag_ids = {s for rule in kb.red_flags for combination in rule.any_of for s in combination}
        self._askable = sorted(set(self.ranker.informative) | (red_flag_ids & set(self._symptom_names)))
        self._telltales = telltale_symptoms(self.ranker, self._urgencies)
        self._finding_ids = frozenset(s.id for s in kb.symptoms if s.kind == FINDING_KIND)
        self._rules_of: dict[str, list] = {}
        for rule in kb.red_flags:
            if rule.condition:
                self._rules_of.setdefault(rule.condition, []).append(rule)

    # ------------------------------------------------------------------ ranking and level
    def rank(
        self, evidence: Mapping[str, str], age: float | None = None, sex: str | None = None
    ) -> list[RankedCondition]:
        """Every condition of the KB with its probability, most probable first; they sum to one."""
        return [RankedCondition(r.id, r.name, r.probability) for r in self.ranker.rank(evidence, age, sex)]

    def triage(self, evidence: Mapping[str, str], age: float | None = None, sex: str | None = None,
               onsets: Mapping[str, float] | None = None) -> str:
        return self._level(self.ranker.posterior(evidence, age, sex), evidence, onsets)

    def _level(self, probabilities: Sequence[float], evidence: Mapping[str, str],
               onsets: Mapping[str, float] | None = None) -> str:
        """The level of the ranking, at least the level of a red-flag pattern said (or its level once lapsed)."""
        rules = matching_rules(self.kb, evidence, onsets)  # most urgent first
        floors = [level for level in (rules[0].triage if rules else None, lapsed_level(self.kb, evidence, onsets),
                                      self._doctor_floor(evidence)) if level]
        floor = min(floors, key=rank_of) if floors else None
        return triage_level(probabilities, self.urgencies(evidence, onsets), floor, self.thresholds)

    def _doctor_floor(self, evidence: Mapping[str, str]) -> str | None:
        """A doctor's visit for a finding that always needs one (foot drop), unless the symptoms have gone."""
        found = present(evidence)
        if SYMPTOMS_RESOLVED in found or not found & self._needs_a_doctor:
            return None
        return DOCTOR_VISIT

    def urgencies(self, evidence: Mapping[str, str], onsets: Mapping[str, float] | None = None) -> list[str]:
        """Each condition's urgency now: a condition whose red-flag window has passed for every finding of it
        that was said (an old stroke, numbness that has crept up for years) is only as urgent as its rules'
        `after_window` level (data/kb/red_flags.yml)."""
        if not onsets:
            return self._urgencies
        found = present(evidence)
        out = []
        for condition, urgency in zip(self.ranker.conditions, self._urgencies, strict=True):
            said = [s for s in condition.symptoms if s in found and s in self._finding_ids]
            hours = min((onsets.get(s, 0.0) for s in said), default=0.0)
            out.append(condition_level(self._rules_of.get(condition.id, ()), urgency, hours))
        return out

    # ------------------------------------------------------------------ questions
    def decide(
        self,
        evidence: Mapping[str, str],
        age: float | None = None,
        sex: str | None = None,
        asked: Sequence[str] = (),
        onsets: Mapping[str, float] | None = None,
    ) -> Decision:
        """The next question, or why the interview should stop."""
        if len(set(asked)) >= self.max_questions:
            return Decision(None, "max_questions")
        open_ids = [s for s in self._askable if s not in evidence and s not in asked]
        if not open_ids:
            return Decision(None, "no_questions")
        posterior = self.ranker.posterior(evidence, age, sex)
        matched = {rule.id for rule in matching_rules(self.kb, evidence, onsets)}

        def closes(symptom_id: str) -> bool:
            after = matching_rules(self.kb, _with(evidence, (symptom_id, PRESENT)), onsets)
            return any(rule.id not in matched for rule in after)

        def level_of(probabilities: Sequence[float], answer: tuple[str, str]) -> str:
            return self._level(probabilities, _with(evidence, answer), onsets)

        scored = tuple(candidates(self._scoring, posterior, open_ids, level_of, closes))
        best = scored[0]
        if len(set(asked)) < self.min_questions and best.score >= self.min_gain:
            return Decision(best.id, "ask", scored)
        if not any(c.changes_level or c.changes_top for c in scored):
            stop = "settled"
        elif self._clear(posterior) and not any(c.changes_level for c in scored):
            stop = "clear"
        elif best.score < self.min_gain:
            stop = "no_gain"
        else:
            return Decision(best.id, "ask", scored)
        screen = self._screening_question(posterior, evidence, asked, onsets)
        return Decision(screen, "screen", scored) if screen else Decision(None, stop, scored)

    def next_question(
        self,
        evidence: Mapping[str, str],
        age: float | None = None,
        sex: str | None = None,
        asked: Sequence[str] = (),
        onsets: Mapping[str, float] | None = None,
    ) -> str | None:
        """A KB symptom id to ask about next, or None when the interview should stop."""
        return self.decide(evidence, age, sex, asked, onsets).question

    def question_value(self, evidence: Mapping[str, str], symptom_id: str, age: float | None = None,
                       sex: str | None = None, onsets: Mapping[str, float] | None = None) -> QuestionValue:
        """What asking about `symptom_id` would tell: which causes a yes or a no would make likelier, and the
        triage level after each answer (a yes may complete a red-flag pattern)."""
        posterior = self.ranker.posterior(evidence, age, sex)
        gain, _, after_yes, after_no = expected_gain(posterior, self.ranker.p_present[symptom_id], self._urgencies, 0.0)
        ids, names = self.ranker.condition_ids, self.ranker.names
        return QuestionValue(
            symptom_id=symptom_id,
            gain=gain,
            if_yes=shifts(ids, names, posterior, after_yes),
            if_no=shifts(ids, names, posterior, after_no),
            level_now=self._level(posterior, evidence, onsets),
            level_if_yes=self._level(after_yes, _with(evidence, (symptom_id, PRESENT)), onsets),
            level_if_no=self._level(after_no, _with(evidence, (symptom_id, ABSENT)), onsets),
        )

    def _screening_question(
        self, posterior: Sequence[float], evidence: Mapping[str, str], asked: Sequence[str],
        onsets: Mapping[str, float] | None = None,
    ) -> str | None:
        """Before stopping: the telltale symptom of an urgent cause that is unlikely but not excluded.

        Each condition more urgent than the level the engine would tell, holding at least
        `screen_probability`, must have had its telltale symptom (telltale_symptoms) answered; the
        most probable such condition's is asked first. A cheap question rules out a cause that
        must not be missed, even when a few answers have made another cause look certain.
        """
        level = rank_of(self._level(posterior, evidence, onsets))
        pending = [
            (probability, condition_id)
            for condition_id, probability, urgency in zip(self.ranker.condition_ids, posterior,
                                                          self.urgencies(evidence, onsets), strict=True)
            if probability >= self.screen_probability and rank_of(urgency) < level
        ]
        for _, condition_id in sorted(pending, key=lambda item: (-item[0], item[1])):
            telltale = self._telltales.get(condition_id)
            if telltale and telltale not in evidence and telltale not in asked:
                return telltale
        return None

    def _clear(self, posterior: Sequence[float]) -> bool:
        first, second = sorted(posterior, reverse=True)[:2] if len(posterior) > 1 else (posterior[0], 0.0)
        return first >= self.clear_top and first - second >= self.clear_margin

    # ------------------------------------------------------------------ assessment
    def assess(self, evidence: Mapping[str, str], age: float | None = None, sex: str | None = None,
               onsets: Mapping[str, float] | None = None) -> Assessment:
        posterior = self.ranker.posterior(evidence, age, sex)
        level = self._level(posterior, evidence, onsets)
        ranking = ranked(self.ranker.condition_ids, self.ranker.names, posterior)
        listed = [r for r in ranking[:MAX_LISTED] if r.probability >= self.min_listed_probability] or ranking[:1]
        shown = dict(zip(self.ranker.condition_ids,
                         self.ranker.posterior(evidence, age, sex, temperature=self.shown_temperature), strict=True))
        return Assessment(
            triage=level,
            conditions=[self._with_reasons(r.id, r.name, shown[r.id], evidence, posterior) for r in listed],
            evidence=[EvidenceItem(s, self._symptom_names.get(s, s), choice) for s, choice in evidence.items()],
            advice=self.kb.meta.triage_levels[level].advice,
            kb_version=self.kb.meta.version,
            explanation=self.explain(evidence, posterior, ranking[0].id),
        )

    def _with_reasons(self, condition_id: str, name: str, probability: float, evidence: Mapping[str, str],
                      posterior: Sequence[float]) -> RankedCondition:
        found = reasons(self.ranker, evidence, posterior, condition_id)
        return RankedCondition(condition_id, name, probability, self._items(found.supporting),
                               self._items(found.conflicting))

    def _items(self, weighed: Sequence[Weighed]) -> tuple[EvidenceItem, ...]:
        return tuple(EvidenceItem(w.symptom_id, self._symptom_names[w.symptom_id], w.choice) for w in weighed)

    def explain(
        self, evidence: Mapping[str, str], posterior: Sequence[float], condition_id: str, limit: int = 3
    ) -> list[str]:
        """The answers that most favour `condition_id` over the other causes, as short sentences (reasons.py)."""
        supporting = reasons(self.ranker, evidence, posterior, condition_id, limit).supporting
        return [_reason(self._symptom_names[w.symptom_id], w.choice) for w in supporting]


def _reason(name: str, choice: str) -> str:
    name = name[:1].lower() + name[1:]
    return f"you mentioned {name}" if choice == PRESENT else f"you said you do not have {name}"


def _with(evidence: Mapping[str, str], answer: tuple[str, str]) -> dict[str, str]:
    symptom_id, choice = answer
    return merge(evidence, {symptom_id: choice}) if symptom_id else dict(evidence)
