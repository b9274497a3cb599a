"""Reasons for and against each cause of an assessment, on the small hand-made KB (conftest.small_kb)."""
from __future__ import annotations

from bot.triage.engine import TriageEngine
from bot.triage.reasons import reasons


def shown(items):
    return [(item.id, item.choice) for item in items]


def test_each_listed_cause_has_the_answers_for_and_against_it(small_kb):
    assessment = TriageEngine(small_kb).assess({"ache": "present", "palsy": "present", "itch": "absent",
                                                "tired": "unknown"})
    by_id = {c.id: c for c in assessment.conditions}
    assert list(by_id) == ["beta", "gamma", "alpha"]
    assert shown(by_id["beta"].supporting) == [("palsy", "present"), ("itch", "absent")]
    assert shown(by_id["beta"].conflicting) == [("ache", "present")]  # beta does not list an ache
    assert shown(by_id["gamma"].supporting) == [("ache", "present")]
    assert shown(by_id["gamma"].conflicting) == [("palsy", "present"), ("itch", "absent")]  # itch is typical of gamma
    assert shown(by_id["alpha"].conflicting) == [("palsy", "present")]  # alpha never has palsy
    assert by_id["alpha"].conflicting[0].name == "Palsy"
    assert all(("tired", "unknown") not in shown(c.supporting + c.conflicting) for c in assessment.conditions)


def test_a_denied_always_symptom_and_a_present_never_symptom_come_first_against(small_kb):
    engine = TriageEngine(small_kb)
    evidence = {"cramp": "present", "palsy": "present", "weak": "absent", "ache": "present"}
    posterior = engine.ranker.posterior(evidence)
    beta = reasons(engine.ranker, evidence, posterior, "beta")
    assert beta.conflicting[0].symptom_id == "weak" and beta.conflicting[0].choice == "absent"
    assert {w.symptom_id for w in beta.supporting} == {"cramp", "palsy"}
    alpha = reasons(engine.ranker, evidence, posterior, "alpha")
    assert alpha.conflicting[0].symptom_id == "palsy"


def test_reasons_are_capped_strongest_first(small_kb):
    engine = TriageEngine(small_kb)
    evidence = {"ache": "present", "palsy": "present", "itch": "absent", "cramp": "absent"}
    found = reasons(engine.ranker, evidence, engine.ranker.posterior(evidence), "gamma", limit=1)
    assert len(found.supporting) <= 1 and len(found.conflicting) == 1
    assert found.conflicting[0].symptom_id == "palsy"
