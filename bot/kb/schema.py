"""The knowledge base as validated, in-memory objects (pydantic 1.x, which Rasa 3.6 pins).

`data/kb/` YAML is parsed into these models; the SQLAlchemy loader, the triage engine, the
symptom extractor and the emergency policy all read a `KnowledgeBase`. Nothing here imports Rasa.
"""
from __future__ import annotations

import hashlib
import json
from typing import Dict, List, Literal, Optional

from pydantic import BaseModel, Extra, Field, confloat, constr, root_validator, validator

Identifier = constr(regex=r"^[a-z][a-z0-9_]*$", min_length=2, max_length=64)
Probability = confloat(gt=0.0, lt=1.0)

TRIAGE_LEVELS = ("emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care")
TriageLevel = Literal["emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care"]
EmergencyLevel = Literal["emergency_ambulance", "emergency"]
Rarity = Literal["very_common", "common", "uncommon", "rare", "very_rare"]
Sex = Literal["female", "male"]


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True
        allow_mutation = False


class Source(Strict):
    id: Identifier
    title: str
    publisher: str
    url: Optional[str] = None


class TriageLevelInfo(Strict):
    label: str  # what the person is told to do, in a few words
    advice: str  # the full sentence(s) given with an assessment at this level


class Meta(Strict):
    version: str
    rarity_priors: Dict[Rarity, Probability]  # prior weight of a condition by its rarity
    default_symptom_probability: Probability  # P(symptom | condition) when the condition does not list it
    triage_levels: Dict[TriageLevel, TriageLevelInfo]

    @validator("triage_levels")
    def every_level_described(cls, levels):
        missing = set(TRIAGE_LEVELS) - set(levels)
        if missing:
            raise ValueError(f"triage levels without a description: {sorted(missing)}")
        return levels


class Symptom(Strict):
    id: Identifier
    name: str  # clinical name
    kind: Literal["symptom", "risk_factor", "context"] = "symptom"
    question: str  # patient-facing yes/no question
    phrases: List[constr(min_length=2)] = Field(..., min_items=2)  # lay phrases people type

    @validator("question")
    def is_a_question(cls, question):
        if not question.endswith("?"):
            raise ValueError("a question must end with '?'")
        return question


class Demographics(Strict):
    age_min: Optional[int] = Field(None, ge=0, le=120)  # typical age range, where the sources give one
    age_max: Optional[int] = Field(None, ge=0, le=120)
    outside_age_factor: confloat(gt=0, le=1) = 0.5  # likelihood multiplier outside the typical range
    sex: Dict[Sex, confloat(gt=0, le=10)] = {}  # likelihood multiplier by sex (1.0 = no effect)

    @root_validator(skip_on_failure=True)
    def range_in_order(cls, values):
        low, high = values.get("age_min"), values.get("age_max")
        if low is not None and high is not None and low > high:
            raise ValueError(f"age_min {low} is above age_max {high}")
        return values


class Condition(Strict):
    id: Identifier
    name: str
    aliases: List[str] = []
    group: Literal["seed", "named_cause"]
    description: str
    causes: List[str] = Field(..., min_items=1)
    risk_factors: List[str] = []
    demographics: Demographics = Demographics()
    rarity: Rarity
    urgency: TriageLevel
    urgency_wording: str  # the source's own wording, e.g. "Primary care doctor"
    symptoms: Dict[Identifier, Probability]  # P(present | condition), at least two
    never: List[Identifier] = []  # symptoms that never occur with it
    always: List[Identifier] = []  # symptoms that always occur with it
    diagnosis: List[str] = Field(..., min_items=1)
    treatment: List[str] = Field(..., min_items=1)
    home_care: List[str] = []
    when_to_seek_care: str
    sources: List[Identifier] = Field(..., min_items=1)

    @validator("symptoms")
    def enough_symptoms(cls, symptoms):
        if len(symptoms) < 2:
            raise ValueError("a condition needs at least two symptoms with their likelihoods")
        return symptoms

    @root_validator(skip_on_failure=True)
    def never_and_always_disjoint(cls, values):
        both = set(values["never"]) & set(values["always"])
        if both:
            raise ValueError(f"symptoms both 'never' and 'always': {sorted(both)}")
        clash = set(values["never"]) & set(values["symptoms"])
        if clash:
            raise ValueError(f"'never' symptoms also listed with a likelihood: {sorted(clash)}")
        return values


class RedFlagRule(Strict):
    id: Identifier
    pattern: Identifier  # stroke, gbs, cauda_equina, ... (the `custom.emergency.pattern` contract)
    condition: Optional[Identifier] = None  # the KB condition the pattern points to (`custom.emergency.condition`)
    triage: EmergencyLevel
    reason: str  # why this is an emergency, told to the person
    any_of: List[List[Identifier]] = Field(..., min_items=1)  # escalate if every id of one list is present
    source: Identifier
    # Time: a finding that began longer ago than `within_hours` does not complete the rule (None: any time);
    # a pattern complete only with older findings calls for `after_window` at least, not an emergency, until
    # its findings are `after_window_hours` old (None: from then on).
    within_hours: Optional[confloat(gt=0)] = None
    after_window: Optional[TriageLevel] = None
    after_window_hours: Optional[confloat(gt=0)] = None
    window_source: Optional[str] = None  # the guideline the window comes from, in words
    # What the person said that rules the pattern out, e.g. {sudden_onset: absent}: it did not come on suddenly.
    unless: Dict[Identifier, Literal["present", "absent"]] = {}

    @root_validator(skip_on_failure=True)
    def window_explained(cls, values):
        if values.get("within_hours") and not values.get("window_source"):
            raise ValueError("a time window needs its `window_source`: the guideline it comes from")
        if values.get("after_window") and not values.get("within_hours"):
            raise ValueError("`after_window` needs `within_hours`")
        if values.get("after_window_hours") and not values.get("after_window"):
            raise ValueError("`after_window_hours` needs `after_window`")
        return values

    def level_at(self, hours: float) -> Optional[str]:
        """The level a complete pattern calls for when its findings began `hours` ago, or None."""
        if self.within_hours is None or hours <= self.within_hours:
            return self.triage
        if self.after_window and (self.after_window_hours is None or hours <= self.after_window_hours):
            return self.after_window
        return None

    @validator("any_of", each_item=True)
    def non_empty(cls, combination):
        if not combination:
            raise ValueError("an empty combination would match everything")
        return combination


class Faq(Strict):
    id: Identifier
    question: str
    answer: str


class GeneralCare(Strict):
    home_care: List[str] = Field(..., min_items=1)
    treatments: List[str] = Field(..., min_items=1)
    doctor_questions: List[str] = Field(..., min_items=1)
    when_to_see_doctor: str
    # Symptom ids that need a doctor's visit whatever the likeliest cause, unless they have gone away.
    see_a_doctor_with: List[str] = []


class KnowledgeBase(Strict):
    meta: Meta
    sources: List[Source]
    symptoms: List[Symptom]
    conditions: List[Condition]
    red_flags: List[RedFlagRule]
    faqs: List[Faq]
    general_care: GeneralCare

    def fingerprint(self) -> str:
        """The KB's content hash: the database stores it at `kb load` and a trained model keeps its own,
        so the action server and the emergency policy can tell whether they work from the same KB."""
        return hashlib.sha256(json.dumps(self.dict(), sort_keys=True).encode()).hexdigest()[:16]

    def symptom(self, symptom_id: str) -> Symptom:
        return self._symptoms_by_id()[symptom_id]

    def condition(self, condition_id: str) -> Condition:
        return {c.id: c for c in self.conditions}[condition_id]

    def _symptoms_by_id(self) -> Dict[str, Symptom]:
        return {s.id: s for s in self.symptoms}
