"""The KB ids that code relies on by name. Each is defined here once; `kb validate` checks that the KB has them.

Everything else the code handles (most symptom ids, every condition) comes from data/kb/ and is
never named in code.
"""
from __future__ import annotations

# Context the extractor reads off how a symptom is described (its onset, its side).
SUDDEN_ONSET = "sudden_onset"
GRADUAL_ONSET = "gradual_onset"
ONE_SIDED = "one_sided"
BOTH_SIDES = "both_sides"
# The person says outright that an emergency is happening ("I'm having a stroke", "call an ambulance").
SELF_REPORTED_EMERGENCY = "self_reported_emergency"
# The symptoms have gone away: a finding of general_care's `see_a_doctor_with` then needs no visit.
SYMPTOMS_RESOLVED = "symptoms_resolved"

# The kind of symptom that counts as a finding (what the person feels), as opposed to a risk factor or context.
FINDING_KIND = "symptom"
CONTEXT_KIND = "context"

SYMPTOM_IDS_USED_BY_CODE = (SUDDEN_ONSET, GRADUAL_ONSET, ONE_SIDED, BOTH_SIDES, SELF_REPORTED_EMERGENCY,
                            SYMPTOMS_RESOLVED)
