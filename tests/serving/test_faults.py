"""The short fault test of every CI run: 10 simulated people through HAProxy to 2 Rasa servers, one of which is
killed (`kill -9`) mid-run and restarted. Every conversation ends in an assessment or an escalation, every
emergency escalates, and what is stored matches what the people sent and received (bot/serving/faults.py runs
the full version: `make scale-test`)."""
from __future__ import annotations

import pytest

from bot.load.people import ASSESSMENT, ESCALATION, vignette_people
from bot.serving.faults import all_vignettes, is_emergency_case, kill_and_restart, run, steady

pytestmark = pytest.mark.e2e


def test_ten_conversations_survive_a_killed_rasa_server(cluster):
    vignettes = all_vignettes()
    people = vignette_people(list(vignettes.values()), emergency_share=0.3, seed=7)
    plan = [(steady("steady"), 4),
            (kill_and_restart("rasa1", "a Rasa server killed", lambda c: c.start_rasa(0), 2), 0)]

    result = run(cluster, people, concurrency=5, plan=plan, count=10)

    assert {phase.name for phase in result.phases} == {"steady", "a Rasa server killed"}
    outcomes = {p.sender: p.outcome for p in result.load.people}
    assert len(outcomes) == 10 and set(outcomes.values()) <= {ASSESSMENT, ESCALATION}, result.load.people
    emergencies = [p for p in result.load.people if is_emergency_case(p.person, vignettes)]
    assert emergencies and all(p.outcome == ESCALATION for p in emergencies)
    findings = result.findings
    assert (findings.lost, findings.duplicated, findings.half_applied) == (0, 0, 0), findings.problems
    assert findings.answered >= 40
    assert result.phases[-1].back_at is not None, "the killed server answers its health check again"
