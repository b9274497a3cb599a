"""The emergency escalation policy: a red flag wins over every other policy, without the action server.

The red-flag rules are KB data (data/kb/red_flags.yml); the decision is the interview's own
(bot/interview). This module only translates the tracker into a `Turn`, and the escalation into
the slots the `utter_emergency` response reads (its `custom.emergency` comes from bot/nlg.py).
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Text

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain, InvalidDomain
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from bot import intents
from bot.interview.interview import InterviewState, escalate
from bot.interview.render import Renderer
from bot.interview.turn import Turn
from bot.kb.consistency import check_model_kb
from bot.kb.schema import KnowledgeBase
from bot.kb.yaml_loader import DEFAULT_KB_DIR, kb_files, read_knowledge_base
from bot.triage.ranking import Ranker
from bot.triage.red_flags import RedFlags

logger = logging.getLogger(__name__)

# Above RulePolicy (4), MemoizationPolicy (3), UnexpecTEDIntentPolicy (2) and TED (1); 5 stays free.
EMERGENCY_POLICY_PRIORITY = RULE_POLICY_PRIORITY + 2

# One response; domain.yml picks its wording (ambulance or emergency room) by the `emergency_triage` slot.
EMERGENCY_RESPONSE = "utter_emergency"

# Slots of domain.yml. The policy writes the emergency ones; it reads the interview's evidence,
# pending question and patterns, and writes them back when it escalates in place of the interview action.
PATTERN_SLOT, TRIAGE_SLOT, REASON_SLOT = "emergency_pattern", "emergency_triage", "emergency_reason"
PATTERNS_SLOT, PAYLOAD_SLOT = "emergency_patterns", "emergency"
EVIDENCE_SLOT, ONSETS_SLOT, PENDING_QUESTION_SLOT = "evidence", "onsets", "pending_question"
KB_SLOT = "kb_fingerprint"  # the model's KB, for the action server to compare with the database's
REQUIRED_SLOTS = (PATTERN_SLOT, TRIAGE_SLOT, REASON_SLOT, PATTERNS_SLOT, PAYLOAD_SLOT, EVIDENCE_SLOT,
                  ONSETS_SLOT, PENDING_QUESTION_SLOT, KB_SLOT)
DEFAULT_SELF_REPORT_CONFIDENCE = 0.7

KB_FILE = "knowledge_base.json"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True
)
class EmergencyPolicy(Policy):
    """Predicts `utter_emergency` when a red-flag pattern appears (its wording follows `emergency_triage`).

    Evidence at each prediction: the `evidence` slot (folded by the interview action so far),
    the symptom entities of the latest user message (a hedged mention counts as present), a
    yes/no/not-sure answer to the `pending_question` (only at the first prediction after the
    message, before an action changes the question), and the `emergency` intent when its
    confidence reaches `self_report_confidence` and the message is a statement, neither a question nor
    an answer to the pending question. The extractor also finds the
    `self_reported_emergency` symptom in "I'm having a stroke", and every other red flag is a
    symptom entity, so escalation never rests on a classifier's confidence alone.

    A pattern escalates once: the escalation sets `emergency_pattern`, `emergency_triage`,
    `emergency_reason` and appends to `emergency_patterns`; a pattern completed later escalates
    again. It also folds the turn's evidence into `evidence` and clears `pending_question` (the
    interview action does not run on this turn). Right after its own response it predicts
    `action_listen`, so the person can answer ("I've called them") and the dialogue carries on.

    Why it wins (rasa 3.6 `DefaultPolicyPredictionEnsemble._pick_best_policy` and
    `rasa/core/constants.py`):
    - The ensemble compares `(max confidence, priority)`: confidence first, priority only breaks
      ties. This policy predicts with confidence 1.0, the most any policy can give, so no
      prediction beats it on confidence; on a tie its priority (RULE_POLICY_PRIORITY + 2 = 6)
      beats RulePolicy (4), MemoizationPolicy (3), UnexpecTEDIntentPolicy (2) and TED (1).
    - Before comparing, the ensemble keeps only the predictions whose `is_no_user_prediction`
      matches: if ANY policy made a "no user" prediction, every prediction based on the user
      message is discarded, whatever its confidence or priority. RulePolicy makes such
      predictions while a form (active loop) runs: it predicts the form after each user
      message, and after any other action, with `is_no_user_prediction=True`. A plain
      prediction would therefore lose to an active form, and to the form's re-activation right
      after the emergency response. So this policy marks its predictions
      `is_no_user_prediction=True` too: it always competes in the winning group, and there
      (1.0, 6) beats the form's (1.0, 4). Nothing else in rasa reads that flag.
    - Among predictions that are not "no user" ones, end-to-end predictions (TED reading the
      message text) discard every intent-based one, again whatever its confidence: a plain
      prediction would lose to an end-to-end TED prediction too. As a "no user" prediction this
      policy is past that filter as well.
    - The slot events are `optional_events`: the ensemble applies `events` of every policy but
      `optional_events` only of the winner.
    When it has nothing to say it predicts all zeros without the flag, and the other policies
    decide as if it were not there.

    Training reads and validates data/kb (or `kb_dir`) and stores the red-flag rules in the
    model; prediction never reads files, the KB database or the action server.
    `fingerprint_addon` hashes the KB files, so a changed rule retrains this node.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            POLICY_PRIORITY: EMERGENCY_POLICY_PRIORITY,
            "kb_dir": None,  # None: the repository's data/kb
            "self_report_confidence": DEFAULT_SELF_REPORT_CONFIDENCE,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
        kb: Optional[KnowledgeBase] = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self._use(kb)

    def _use(self, kb: Optional[KnowledgeBase]) -> None:
        """The KB the model keeps: its red-flag rules, its ranking (to name the likelier of two patterns),
        and the names and labels the payload tells."""
        self.kb = kb
        self.red_flags = RedFlags.from_kb(kb) if kb else RedFlags([])
        self.ranker = Ranker(kb) if kb else None
        self.renderer = Renderer(kb) if kb else None
        self.symptom_ids = frozenset(s.id for s in kb.symptoms) if kb else frozenset()
        self.kb_fingerprint: Optional[str] = kb.fingerprint() if kb else None

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        digest = hashlib.sha256()
        kb_dir = _kb_dir(config)
        for path in kb_files(kb_dir):
            digest.update(str(path.relative_to(kb_dir)).encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        check_domain(domain)
        kb = read_knowledge_base(_kb_dir(self.config))
        self._use(kb)
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / KB_FILE).write_text(kb.json(), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EmergencyPolicy:
        """Loads the KB stored at training. Fails loudly: a model that cannot escalate must not run."""
        with model_storage.read_from(resource) as directory:
            kb = KnowledgeBase.parse_raw((Path(directory) / KB_FILE).read_text(encoding="utf-8"))
        if not kb.red_flags:
            raise RasaException("EmergencyPolicy: the model holds no red-flag rules; retrain with data/kb.")
        policy = cls(config, model_storage, resource, execution_context, kb=kb)
        check_model_kb(policy.kb_fingerprint, "the emergency policy")
        return policy

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        kb_events = [] if tracker.get_slot(KB_SLOT) == self.kb_fingerprint else [SlotSet(KB_SLOT, self.kb_fingerprint)]
        if tracker.latest_action_name == EMERGENCY_RESPONSE:
            return self._certain(ACTION_LISTEN_NAME, domain, kb_events)
        state = interview_state(tracker, self.symptom_ids)
        escalated = escalate(self.red_flags, state,
                             latest_turn(tracker, self.config["self_report_confidence"], state.pending is not None),
                             self.ranker.likelihoods if self.ranker else None)
        if escalated is None:
            return self._prediction(self._default_predictions(domain), events=kb_events)
        state, reply = escalated
        logger.debug(f"Escalating red-flag pattern(s) {reply.escalation.patterns} at '{reply.escalation.triage}'.")
        payload = self.renderer.emergency_payload(reply.escalation)
        events: List[Event] = [
            SlotSet(PATTERN_SLOT, payload["pattern"]),
            SlotSet(TRIAGE_SLOT, payload["triage"]),
            SlotSet(REASON_SLOT, payload["reason"]),
            SlotSet(PATTERNS_SLOT, list(state.escalated)),
            SlotSet(PAYLOAD_SLOT, payload),
            SlotSet(EVIDENCE_SLOT, dict(state.evidence)),
            SlotSet(ONSETS_SLOT, dict(state.onsets)),
            SlotSet(PENDING_QUESTION_SLOT, None),
        ]
        return self._certain(EMERGENCY_RESPONSE, domain, kb_events, events)

    def _certain(self, action_name: Text, domain: Domain, events: List[Event],
                 optional_events: Optional[List[Event]] = None) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action_name)] = 1.0
        return self._prediction(probabilities, events=events, optional_events=optional_events,
                                is_no_user_prediction=True)


def interview_state(tracker: DialogueStateTracker, symptom_ids: Iterable[str]) -> InterviewState:
    """The interview's state as the slots hold it. The pending question counts only if it asks about a
    KB symptom, and only right after the message: once an action ran, it may be the next question."""
    pending = tracker.get_slot(PENDING_QUESTION_SLOT)
    answerable = tracker.latest_action_name == ACTION_LISTEN_NAME and pending in symptom_ids
    evidence, onsets = tracker.get_slot(EVIDENCE_SLOT), tracker.get_slot(ONSETS_SLOT)
    return InterviewState(
        evidence=evidence if isinstance(evidence, Mapping) else {},
        onsets=onsets if isinstance(onsets, Mapping) else {},
        pending=pending if answerable else None,
        escalated=tuple(tracker.get_slot(PATTERNS_SLOT) or ()),
    )


def latest_turn(tracker: DialogueStateTracker, self_report_confidence: float, answering: bool) -> Turn:
    """The latest user message as a `Turn`. It reports an emergency when the classifier is confident it
    says one and it is a statement: a worried question ("could this be another stroke?") or an answer to
    the question asked ("yes, I have to move them, it drives me mad") is none. Phrases such as "call an
    ambulance" or "I'm having a stroke" escalate from the extractor's entities whatever the classifier says."""
    message = tracker.latest_message
    intent = (message.intent if message else None) or {}
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    text = (message.text if message else None) or ""
    statement = "?" not in text and not answering
    return Turn(
        entities=tuple(message.entities if message else ()),
        answer=intents.ANSWER_CHOICES.get(name),
        reported_emergency=name == intents.EMERGENCY and confidence >= self_report_confidence and statement,
    )


def check_domain(domain: Domain) -> None:
    """Training fails, rather than a model that cannot escalate being deployed."""
    missing = [EMERGENCY_RESPONSE] if EMERGENCY_RESPONSE not in domain.action_names_or_texts else []
    slots = {slot.name for slot in domain.slots}
    missing += [f"slot {name}" for name in REQUIRED_SLOTS if name not in slots]
    if missing:
        raise InvalidDomain(f"EmergencyPolicy needs these in domain.yml: {', '.join(missing)}.")


def _kb_dir(config: Mapping[str, Any]) -> Path:
    return Path(config.get("kb_dir") or DEFAULT_KB_DIR)
