"""The intent names of domain.yml that the adapters translate into the interview's terms, defined once.

Only the Rasa adapters (actions/, bot/policies/) and the in-process evaluation, which stands in for
the intent classifier, read these; the interview and the triage engine never see an intent.
"""
from __future__ import annotations

from bot.triage.evidence import ABSENT, PRESENT, UNKNOWN

AFFIRM, DENY, UNSURE = "affirm", "deny", "unsure"
ANSWER_CHOICES = {AFFIRM: PRESENT, DENY: ABSENT, UNSURE: UNKNOWN}  # a yes, no or not-sure answer
EMERGENCY = "emergency"  # the person says an emergency is happening
REQUEST_ASSESSMENT = "request_assessment"  # "just tell me"
GIVE_AGE, GIVE_SEX = "give_age", "give_sex"
ASK_WHY = "ask_why"  # "why do you ask?": what the question being asked tells apart
INTENT_NAMES = (AFFIRM, DENY, UNSURE, EMERGENCY, REQUEST_ASSESSMENT, GIVE_AGE, GIVE_SEX, ASK_WHY)
