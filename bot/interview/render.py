"""What the person sees: the interview's replies as chat messages (text, buttons and the `custom` contracts).

Messages have the REST channel's shape; the actions hand them to Rasa's dispatcher and the
in-process evaluation returns them as they are. In the Rasa assistant the emergency message is
domain.yml's `utter_emergency` (the policy answers without the action server); its `custom.emergency`
payload is built here for both.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from bot.contracts import (
    CONTRACT_VERSION,
    AssessmentPayload,
    CausePayload,
    EmergencyPayload,
    EvidencePayload,
    QuestionPayload,
    reasons_line,
    shown_percent,
)
from bot.interview.replies import (
    AskAge,
    AskForSymptoms,
    AskSex,
    AssessmentReply,
    EmergencyReply,
    NothingAsked,
    Question,
    Reply,
    Understood,
    WhyAsked,
    WhyAskedDemographic,
)
from bot.kb.schema import KnowledgeBase
from bot.serving.notice import UNAVAILABLE
from bot.triage.engine import Assessment, EvidenceItem, RankedCondition
from bot.triage.evidence import ABSENT, PRESENT
from bot.triage.levels import rank_of
from bot.triage.red_flags import Escalation
from bot.triage.why import QuestionValue


class Button(TypedDict):
    title: str
    payload: str


class Message(TypedDict, total=False):
    text: str
    buttons: list[Button]
    custom: dict[str, Any]


WHY_BUTTON: Button = {"title": "Why ask?", "payload": "/ask_why"}
ANSWER_BUTTONS: list[Button] = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/unsure"},
    WHY_BUTTON,
]
START_OVER_BUTTON: Button = {"title": "Start over", "payload": "/start_over"}
AGE_QUESTION = "How old are you? Please type your age in years."
AGE_RETRY = "Sorry, I need your age as a number of years, for example 45."
SEX_QUESTION = "What sex were you assigned at birth? Some causes are more common in women or in men."
SEX_BUTTONS: list[Button] = [
    {"title": "Female", "payload": '/give_sex{"sex": "female"}'},
    {"title": "Male", "payload": '/give_sex{"sex": "male"}'},
    {"title": "Prefer not to say", "payload": '/give_sex{"sex": "unspecified"}'},
    WHY_BUTTON,
]
AGE_BUTTONS: list[Button] = [{"title": "Prefer not to say", "payload": '/give_age{"age": "unspecified"}'}, WHY_BUTTON]
ASK_FOR_SYMPTOMS = (
    "Tell me what you feel in your own words, for example: \"my left foot has been numb and tingling for "
    "two weeks\"."
)
NOTHING_ASKED = (
    "I haven't asked you a question just now. Tell me what you feel, ask me about one of the causes, or say "
    "\"start over\"."
)
# Why the age or the sex is asked, before the causes it changes most.
DEMOGRAPHIC_WHY = {
    "age": "I ask because your age changes how likely some causes are",
    "sex": "I ask because some causes are more common in women or in men",
}
# The knowledge-base database cannot be read: the Rasa server recognises this text, sends the notice
# with its `custom.unavailable` and takes the turn back (bot/serving/guard.py).
KNOWLEDGE_DOWN = UNAVAILABLE
# The words for a cause's probability, from the highest band down.
LIKELIHOOD_WORDS = ((0.6, "very likely"), (0.3, "likely"), (0.1, "possible"), (0.0, "less likely"))


class Renderer:
    """Words replies over one knowledge base (question texts, symptom names, triage labels)."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._names = {s.id: s.name for s in kb.symptoms}
        self._conditions = {c.id: c.name for c in kb.conditions}

    def messages(self, replies: Iterable[Reply]) -> list[Message]:
        out: list[Message] = []
        for reply in replies:
            out.extend(self.message(reply))
        return out

    def message(self, reply: Reply) -> list[Message]:
        if isinstance(reply, Understood):
            text = self.understood(reply.evidence)
            return [{"text": text}] if text else []
        if isinstance(reply, AskForSymptoms):
            return [{"text": ASK_FOR_SYMPTOMS}]
        if isinstance(reply, AskAge):
            return [ask_age(reply.retry)]
        if isinstance(reply, AskSex):
            return [ask_sex()]
        if isinstance(reply, Question):
            text = self.kb.symptom(reply.symptom_id).question
            return [question_message(text, ANSWER_BUTTONS, reply.symptom_id, "symptom")]
        if isinstance(reply, WhyAsked):
            return [{"text": why_text(reply.value)}]
        if isinstance(reply, WhyAskedDemographic):
            return [{"text": self.demographic_why(reply)}]
        if isinstance(reply, NothingAsked):
            return [{"text": NOTHING_ASKED}]
        if isinstance(reply, AssessmentReply):
            return [self.assessment(reply.assessment)]
        if isinstance(reply, EmergencyReply):
            payload = self.emergency_payload(reply.escalation)
            return [{"text": payload["reason"], "custom": {"emergency": dict(payload)}}]
        raise TypeError(f"not a reply: {reply!r}")

    def understood(self, evidence: Mapping[str, str]) -> str:
        """A one-line summary of what was understood, so the person can correct it."""
        have = [self._names[s].lower() for s, c in evidence.items() if c == PRESENT]
        lack = [self._names[s].lower() for s, c in evidence.items() if c == ABSENT]
        parts = []
        if have:
            parts.append("you have " + _join(have))
        if lack:
            parts.append("you don't have " + _join(lack))
        return f"I understood that {' and '.join(parts)}." if parts else ""

    def demographic_why(self, reply: WhyAskedDemographic) -> str:
        names = [self._conditions[c] for c in reply.condition_ids]
        example = f", for example {_join(names)}" if names else ""
        return f"{DEMOGRAPHIC_WHY[reply.asked]}{example}. If you'd rather not say, press \"Prefer not to say\"."

    # ------------------------------------------------------------------ assessment
    def assessment_payload(self, assessment: Assessment) -> AssessmentPayload:
        return {
            "version": CONTRACT_VERSION,
            "triage": assessment.triage,
            "triage_label": self.triage_label(assessment.triage),
            "conditions": [self._cause(c) for c in assessment.conditions],
            "evidence": [self._evidence(e.id, e.choice) for e in assessment.evidence],
            "explanation": list(assessment.explanation),
            "advice": assessment.advice,
            "kb_version": assessment.kb_version,
        }

    def assessment(self, assessment: Assessment) -> Message:
        payload = self.assessment_payload(assessment)
        lines = [f"Based on what you told me (this is not a diagnosis): {payload['triage_label']}.", payload["advice"]]
        if payload["conditions"]:
            lines.append("Possible causes, most likely first:")
            for rank, cause in enumerate(payload["conditions"], 1):
                lines.append(f"{rank}. {cause['name']}: {cause['likelihood']} ({shown_percent(cause['probability'])}%)")
                reasons = reasons_line(cause["supporting"], cause["conflicting"])
                if reasons:
                    lines.append(f"   {reasons}.")
        if payload["explanation"]:
            lines.append("Why: " + "; ".join(payload["explanation"]) + ".")
        lines.append("You can ask me about any of these causes, or say \"start over\".")
        buttons: list[Button] = [
            {"title": f"About {c['name']}", "payload": f'/ask_condition{{"condition": "{c["id"]}"}}'}
            for c in payload["conditions"][:2]
        ] + [START_OVER_BUTTON]
        return {"text": "\n".join(lines), "buttons": buttons, "custom": {"assessment": dict(payload)}}

    # ------------------------------------------------------------------ emergency
    def emergency_payload(self, escalation: Escalation) -> EmergencyPayload:
        """`custom.emergency`: the pattern told, the condition it points to, and the findings it rests on."""
        rule = escalation.rule
        condition = {"id": rule.condition, "name": self._conditions.get(rule.condition, rule.condition)} \
            if rule.condition else None
        return {
            "version": CONTRACT_VERSION,
            "triage": escalation.triage,
            "triage_label": self.triage_label(escalation.triage),
            "pattern": escalation.pattern,
            "condition": condition,
            "reason": escalation.reason,
            "findings": [self._evidence(s, PRESENT) for s in escalation.findings],
        }

    def triage_label(self, level: str) -> str:
        return self.kb.meta.triage_levels[level].label

    def _cause(self, condition: RankedCondition) -> CausePayload:
        shown = min(0.999, max(0.001, round(condition.probability, 3)))  # never certain, never ruled out
        return {"id": condition.id, "name": condition.name, "probability": shown,
                "likelihood": likelihood_words(condition.probability),
                "supporting": self._findings(condition.supporting),
                "conflicting": self._findings(condition.conflicting)}

    def _findings(self, items: Iterable[EvidenceItem]) -> list[EvidencePayload]:
        return [self._evidence(item.id, item.choice) for item in items]

    def _evidence(self, symptom_id: str, choice: str) -> EvidencePayload:
        return {"id": symptom_id, "name": self._names.get(symptom_id, symptom_id), "choice": choice}


def ask_age(retry: bool = False) -> Message:
    return question_message(AGE_RETRY if retry else AGE_QUESTION, AGE_BUTTONS, "age", "age")


def ask_sex() -> Message:
    return question_message(SEX_QUESTION, SEX_BUTTONS, "sex", "sex")


def question_message(text: str, buttons: list[Button], question_id: str, kind: str) -> Message:
    payload: QuestionPayload = {"version": CONTRACT_VERSION, "id": question_id, "type": kind, "text": text}
    return {"text": text, "buttons": list(buttons), "custom": {"question": dict(payload)}}


def why_text(value: QuestionValue) -> str:
    """Why a symptom question is asked, in plain words: the causes each answer would make likelier, and
    whether a yes would mean getting care sooner."""
    tells = [f"a {answer} would make {_join([s.name for s in shifted])} more likely"
             for answer, shifted in (("yes", value.if_yes), ("no", value.if_no)) if shifted]
    sooner = rank_of(value.level_if_yes) < rank_of(value.level_now)
    if tells:
        text = "I ask because your answer helps tell the possible causes apart: " + "; ".join(tells) + "."
        return text + (" A yes would also mean you should get care sooner." if sooner else "")
    if sooner:
        return "I ask because a yes would mean you should get care sooner."
    return "I ask to make sure nothing is missed, although your answer would change the likely causes only a little."


def likelihood_words(probability: float) -> str:
    return next(words for bound, words in LIKELIHOOD_WORDS if probability >= bound)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
