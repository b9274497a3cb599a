"""A symptom or condition found in a message, and what its context says about it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass
class Mention:
    target: str  # KB symptom or condition id
    kind: str  # symptom | condition
    tokens: tuple[int, ...]
    start: int
    end: int  # token indices, end exclusive
    symptom_kind: str = "symptom"  # the KB kind: symptom | risk_factor | context
    negated: bool = False
    uncertain: bool = False
    hypothetical: bool = False  # asked about or supposed, not reported ("what are the signs of a stroke?")
    subject: str = "self"
    subject_sex: Optional[str] = None
    subject_token: Optional[int] = None  # the word that names the other person
    laterality: Optional[str] = None
    onset: Optional[str] = None
    duration: Optional[str] = None
    since_hours: Optional[float] = None  # about how long ago it began (or happened); None: not said
    severity: Optional[str] = None
    body_site: Optional[str] = None

    @property
    def describes(self) -> bool:
        """A symptom the person feels, not a risk factor, a context item or a condition name."""
        return self.kind == "symptom" and self.symptom_kind == "symptom"
