"""Answers to a question about one condition ("how is MS treated?"), from its KB entry."""
from __future__ import annotations

import re
from typing import Optional

from bot.kb.schema import Condition, KnowledgeBase

# Which part of a condition's entry a question is about. Words of the question, not medical facts.
TOPICS = [
    ("diagnosis", re.compile(r"\b(diagnos\w*|test\w*|scan\w*|check\w* for)\b", re.I)),
    ("treatment", re.compile(r"\b(treat\w*|cur\w*|medic\w*|therap\w*|surgery|drugs?|pills?)\b", re.I)),
    ("home_care", re.compile(r"\b(home|myself|self[- ]care|relie\w*|prevent\w*)\b", re.I)),
    ("when_to_seek_care", re.compile(r"\b(when|urgent\w*|serious|worried|doctor)\b", re.I)),
    ("causes", re.compile(r"\b(caus\w*|why|risk\w*|get it)\b", re.I)),
]
OVERVIEW = "overview"
NO_CONDITION = (
    "Which condition would you like to know about? For example: \"what is peripheral arterial disease?\" "
    "or \"how is multiple sclerosis treated?\""
)


def asked_topic(text: str) -> Optional[str]:
    for topic, pattern in TOPICS:
        if pattern.search(text or ""):
            return topic
    return None


def condition_text(kb: KnowledgeBase, condition: Condition, topic: Optional[str]) -> str:
    sections = {
        "causes": "Causes and risk factors: " + "; ".join(condition.causes + condition.risk_factors) + ".",
        "diagnosis": "How it is diagnosed: " + "; ".join(condition.diagnosis) + ".",
        "treatment": "Treatment: " + "; ".join(condition.treatment) + ".",
        "home_care": ("What you can do at home: " + "; ".join(condition.home_care) + ".")
        if condition.home_care else "",
        "when_to_seek_care": "When to get care: " + condition.when_to_seek_care,
    }
    chosen = [sections[topic]] if topic and sections.get(topic) else list(sections.values())
    sources = ", ".join(s.publisher for s in kb.sources if s.id in condition.sources)
    return "\n".join([f"{condition.name}: {condition.description}", *filter(None, chosen), f"Sources: {sources}."])
