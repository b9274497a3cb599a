"""`make scale-test`: simulated people (bot/load) talk to the reference cluster through HAProxy while parts of it
fail; the figures are printed and written to reports/scale.md.

Phases, each while the load goes on: steady; a Rasa server `kill -9`ed, then restarted; an action server
`kill -9`ed, then restarted; Redis stopped for 5 s; PostgreSQL restarted; steady again; one client flooding.
People retry a message that got a 5xx or no answer (bot/load's retries), or the "unavailable" notice, as the
notice asks (`PatientPerson`). At the end
every stored conversation is compared with what its person sent and received (bot/serving/consistency.py).
"""
from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence

from requests_toolbelt.adapters.source import SourceAddressAdapter
from sqlalchemy.engine import make_url

from bot.conversations.store import connect, read_events
from bot.evaluation.vignettes import Vignette, load_vignettes
from bot.load.driver import ERROR, UNFINISHED, LoadResult, MessageRecord, run_load
from bot.load.people import ASSESSMENT, ESCALATION, Person, expects_emergency, vignette_people
from bot.load.stats import percentile
from bot.serving.cluster import Cluster
from bot.serving.consistency import ANSWERED, NOTICE, Attempt, Findings, check
from bot.serving.notice import is_unavailable

ROOT = Path(__file__).resolve().parents[2]
VIGNETTES = [ROOT / "tests" / "vignettes" / "tuning.yml", ROOT / "tests" / "vignettes" / "holdout.yml"]
REPORT = ROOT / "reports" / "scale.md"
RETRIES, RETRY_DELAY = 12, 1.0  # a person tries a message again up to 12 times, a second apart
SCALE_RATE_PER_IP = 5000  # every simulated person comes from 127.0.0.1; the flood phase has its own address


@dataclass
class Phase:
    name: str
    started_at: float
    fault_at: Optional[float] = None  # when the fault was made
    back_at: Optional[float] = None  # when the part answered its health check again


@dataclass
class FaultRun:
    load: LoadResult
    phases: List[Phase]
    findings: Findings
    flood_statuses: Counter = field(default_factory=Counter)
    expected_emergency: Dict[str, bool] = field(default_factory=dict)  # person name -> an emergency case


Step = Callable[[Cluster, "Timeline"], None]


class Timeline:
    """The phases as they happen; a step opens its phase, makes its fault and says when the part is back."""

    def __init__(self) -> None:
        self.phases: List[Phase] = []

    def open(self, name: str) -> Phase:
        phase = Phase(name, time.time())
        self.phases.append(phase)
        return phase


def kill_and_restart(name: str, title: str, restart: Callable[[Cluster], None], down_seconds: float) -> Step:
    def step(cluster: Cluster, timeline: Timeline) -> None:
        phase = timeline.open(title)
        phase.fault_at = time.time()
        cluster.kill(name)
        time.sleep(down_seconds)
        restart(cluster)
        phase.back_at = time.time()
    return step


def redis_stopped(seconds: float) -> Step:
    def step(cluster: Cluster, timeline: Timeline) -> None:
        phase = timeline.open(f"Redis stopped for {seconds:.0f} s")
        phase.fault_at = time.time()
        cluster.stop_redis()
        time.sleep(seconds)
        cluster.start_redis()
        phase.back_at = time.time()
    return step


def postgres_restarted(cluster: Cluster, timeline: Timeline) -> None:
    phase = timeline.open("PostgreSQL restarted")
    phase.fault_at = time.time()
    cluster.restart_postgres()
    phase.back_at = time.time()


def steady(name: str) -> Step:
    def step(cluster: Cluster, timeline: Timeline) -> None:
        timeline.open(name)
    return step


def full_plan(settle: float) -> List[tuple]:
    """(step, seconds of load after it) for `make scale-test`."""
    return [
        (steady("steady"), settle),
        (kill_and_restart("rasa1", "a Rasa server killed (kill -9), then restarted", lambda c: c.start_rasa(0), 5),
         settle),
        (kill_and_restart("actions1", "an action server killed (kill -9), then restarted",
                          lambda c: c.start_actions(0), 5), settle),
        (redis_stopped(5), settle),
        (postgres_restarted, settle),
        (steady("steady again"), settle),
    ]


def run(cluster: Cluster, people, concurrency: int, plan: Sequence[tuple], count: Optional[int] = None,
        flood_seconds: float = 0.0) -> FaultRun:
    """Runs the load and the plan side by side; the load stops when the plan (and the flood) is over, or after
    `count` people."""
    timeline, stop, flood = Timeline(), threading.Event(), Counter()

    def faults() -> None:
        try:
            for step, seconds in plan:
                step(cluster, timeline)
                _sleep(seconds, stop)
            if flood_seconds:
                timeline.open("one client flooding")
                flood.update(_flood(cluster, flood_seconds))
                timeline.open("after the flood")
                _sleep(flood_seconds / 2, stop)
        finally:
            if count is None:
                stop.set()

    faulting = threading.Thread(target=faults, name="faults", daemon=True)
    faulting.start()
    load = run_load(cluster.url, patient(people), concurrency, count=count, duration=None if count else 24 * 3600,
                    retries=RETRIES, retry_delay=RETRY_DELAY, stop=stop, sender_prefix="scale")
    faulting.join()
    return FaultRun(load, timeline.phases, judge(cluster, load.messages), flood)


class PatientPerson:
    """A bot/load person who, told the check is unavailable for a moment, waits and sends the same message
    again (up to RETRIES times), as the notice asks; otherwise the person it wraps decides."""

    def __init__(self, person: Person, delay: float = RETRY_DELAY):
        self.person, self.delay = person, delay
        self.name = person.name
        self._last, self._tries = "", 0

    @property
    def outcome(self) -> Optional[str]:
        return self.person.outcome

    def first_message(self) -> str:
        self._last = self.person.first_message()
        return self._last

    def next_message(self, replies: Sequence[dict]) -> Optional[str]:
        if _says_unavailable(replies) and self._tries < RETRIES:
            self._tries += 1
            time.sleep(self.delay)
            return self._last
        self._tries = 0
        message = self.person.next_message(replies)
        self._last = message or ""
        return message


def patient(people: Iterable[Person]) -> Iterator[PatientPerson]:
    return (PatientPerson(person) for person in people)


def judge(cluster: Cluster, records: Sequence[MessageRecord]) -> Findings:
    senders = {r.sender for r in records}
    engine = connect(make_url(cluster.tracker_url))
    try:
        stored = [e for e in read_events(engine, 0) if e.sender_id in senders]
    finally:
        engine.dispose()
    attempts = [Attempt(r.sender, r.text, r.status, r.replies) for r in sorted(records, key=lambda r: r.sent_at)]
    return check(attempts, stored)


def _says_unavailable(replies: Sequence[dict]) -> bool:
    return any(is_unavailable(reply) for reply in replies)


def _sleep(seconds: float, stop: threading.Event) -> None:
    stop.wait(seconds)


FLOOD_THREADS = 8


def _flood(cluster: Cluster, seconds: float) -> Counter:
    """One client at 127.0.0.2 sending as fast as it can, as one sender, 8 requests at a time; its statuses."""
    import requests

    statuses: Counter = Counter()
    deadline = time.monotonic() + seconds

    def send() -> None:
        session = requests.Session()
        session.mount("http://", SourceAddressAdapter("127.0.0.2"))
        while time.monotonic() < deadline:
            try:
                answer = session.post(f"{cluster.url}/webhooks/rest/webhook",
                                      json={"sender": "flooder", "message": "hi"}, timeout=30)
                statuses[answer.status_code] += 1
            except requests.RequestException:
                statuses["no answer"] += 1

    threads = [threading.Thread(target=send, daemon=True) for _ in range(FLOOD_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


# --- figures ---

def classify(record: MessageRecord) -> str:
    if record.status == 200 and record.replies:
        return NOTICE if _says_unavailable(record.replies) else ANSWERED
    if record.status is None:
        return "no answer"
    return str(record.status)


def phase_of(moment: float, phases: Sequence[Phase]) -> Phase:
    current = phases[0]
    for phase in phases:
        if phase.started_at <= moment:
            current = phase
    return current


def phase_rows(result: FaultRun) -> List[Dict[str, str]]:
    rows = []
    for phase in result.phases:
        records = [r for r in result.load.messages if phase_of(r.sent_at, result.phases) is phase]
        kinds = Counter(classify(r) for r in records)
        answered = [r.latency for r in records if classify(r) == ANSWERED]
        troubled = [r.received_at for r in records if classify(r) != ANSWERED]
        recovery = (max(troubled) - phase.fault_at) if phase.fault_at and troubled else None
        rows.append({
            "phase": phase.name,
            "turns answered": str(kinds[ANSWERED]),
            "notices": str(kinds[NOTICE]),
            "errors": ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()) if k not in (ANSWERED, NOTICE))
                      or "0",
            "p50 / p95 / p99": " / ".join(_ms(percentile(answered, q)) for q in (50, 95, 99)),
            "people see trouble for": "-" if phase.fault_at is None else (
                "0 s" if recovery is None else f"{recovery:.1f} s"),
            "part back after": "-" if phase.back_at is None else f"{phase.back_at - phase.fault_at:.1f} s",
        })
    return rows


def emergencies_by_phase(result: FaultRun, vignettes: Dict[str, Vignette]) -> List[str]:
    lines = []
    for phase in result.phases:
        people = [p for p in result.load.people if phase_of(p.started_at, result.phases) is phase
                  and is_emergency_case(p.person, vignettes)]
        cut = sum(1 for p in people if p.outcome == UNFINISHED)
        ended = [p for p in people if p.outcome != UNFINISHED]
        escalated = sum(1 for p in ended if p.outcome == ESCALATION)
        lines.append(f"{phase.name}: {escalated} of {len(ended)}" + (f" ({cut} more cut short by the end of the run)"
                                                                    if cut else ""))
    return lines


def all_vignettes() -> Dict[str, Vignette]:
    """The vignettes people play, by the name bot/load gives them ("tuning/t01")."""
    return {f"{v.set_name}/{v.id}": v for path in VIGNETTES for v in load_vignettes(path)}


def is_emergency_case(person_name: str, vignettes: Dict[str, Vignette]) -> bool:
    """Whether the person (bot/load's name: "tuning/t01 clicks") plays an emergency vignette."""
    vignette = vignettes.get(person_name.split(" ")[0])
    return vignette is not None and expects_emergency(vignette)


def _ms(seconds: Optional[float]) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.0f} ms"


def report(result: FaultRun, vignettes: Dict[str, Vignette], command: str, setup: str) -> str:
    load, findings = result.load, result.findings
    outcomes = Counter(p.outcome for p in load.people)
    finished = outcomes[ASSESSMENT] + outcomes[ESCALATION]
    rows = phase_rows(result)
    header = list(rows[0])
    table = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    table += ["| " + " | ".join(row[h] for h in header) + " |" for row in rows]
    status_5xx = sum(1 for r in load.messages if r.status is not None and r.status >= 500)
    flood_ratio = _flood_ratio(result)
    lines = [
        "# The cluster under load and faults",
        "",
        f"Command: `{command}`. {setup}",
        f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(load.started_at))}, {load.seconds:.0f} s, "
        f"{load.concurrency} people at a time.",
        "",
        "## Conversations",
        "",
        f"- started: {len(load.people)}; reached an outcome: {finished} (assessment {outcomes[ASSESSMENT]}, "
        f"escalation {outcomes[ESCALATION]}); cut short by the end of the run: {outcomes[UNFINISHED]}; "
        f"ended by an error: {outcomes[ERROR]}",
        f"- turns answered: {sum(1 for r in load.messages if classify(r) == ANSWERED)}; "
        f"\"unavailable, try again\" notices: {sum(1 for r in load.messages if classify(r) == NOTICE)}; "
        f"5xx replies: {status_5xx}; no answer: {sum(1 for r in load.messages if r.status is None)}",
        f"- stored conversations checked against what people sent and received: {findings.conversations}; "
        f"messages answered and stored once, in order, with their replies: {findings.answered}; "
        f"**lost: {findings.lost}, duplicated: {findings.duplicated}, half-applied: {findings.half_applied}**",
        "",
        "## Phases",
        "",
        "Latency of answered turns; \"people see trouble for\": from the fault to the last notice or error people "
        "got in that phase; \"part back after\": from the fault until the part answered its health check.",
        "",
        *table,
        "",
        "## Emergencies escalated, by the phase their conversation started in",
        "",
        *[f"- {line}" for line in emergencies_by_phase(result, vignettes)],
        "",
    ]
    if result.flood_statuses:
        lines += [
            "## One client flooding",
            "",
            f"- the flooder (one sender at 127.0.0.2, {FLOOD_THREADS} requests at a time): "
            f"{dict(result.flood_statuses)}",
            f"- the others' p95 while it floods / in the steady phase before: {flood_ratio}",
            "",
        ]
    failures = Counter(r.error.split(":")[0] for r in load.messages if r.error)
    if failures:
        lines += ["## Why attempts failed", "", *[f"- {why}: {n}" for why, n in failures.most_common(8)], ""]
    if findings.problems:
        lines += ["## Problems found", "", *[f"- {p}" for p in findings.problems[:50]], ""]
    return "\n".join(lines)


def _flood_ratio(result: FaultRun) -> str:
    by_name = {p.name: p for p in result.phases}
    flood, calm = by_name.get("one client flooding"), by_name.get("steady again")
    if not flood or not calm:
        return "n/a"

    def p95(phase: Phase) -> Optional[float]:
        return percentile([r.latency for r in result.load.messages if classify(r) == ANSWERED
                           and phase_of(r.sent_at, result.phases) is phase], 95)

    with_flood, without = p95(flood), p95(calm)
    if not with_flood or not without:
        return "n/a"
    return f"{_ms(with_flood)} / {_ms(without)} = {with_flood / without:.2f}x"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.serving.faults", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=30, help="people talking at once (default 30)")
    parser.add_argument("--phase-seconds", type=float, default=45, help="load after each fault (default 45)")
    parser.add_argument("--rasa", type=int, default=2)
    parser.add_argument("--actions", type=int, default=2)
    parser.add_argument("--emergency-share", type=float, default=0.2)
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)

    import os

    os.environ["RATE_PER_IP"] = str(SCALE_RATE_PER_IP)
    vignettes = all_vignettes()
    people = vignette_people(list(vignettes.values()), emergency_share=args.emergency_share, seed=15)
    cluster = Cluster.new(args.rasa, args.actions, state_file=None)
    print(f"Starting the cluster ({args.rasa} Rasa servers, {args.actions} action servers) ...", flush=True)
    try:
        cluster.start()
        print(f"Running {args.people} people through {cluster.url} with faults ...", flush=True)
        result = run(cluster, people, args.people, full_plan(args.phase_seconds), flood_seconds=args.phase_seconds)
    finally:
        cluster.stop()
    command = " ".join(["python -m bot.serving.faults", *(argv if argv is not None else sys.argv[1:])]).strip()
    setup = (f"{args.rasa} Rasa servers, {args.actions} action servers, HAProxy, PostgreSQL and Redis on one "
             f"2-core machine; {args.emergency_share:.0%} of people are emergency cases; each phase "
             f"{args.phase_seconds:.0f} s of load after its fault.")
    text = report(result, vignettes, command, setup)
    args.report.write_text(text, encoding="utf-8")
    print(text)
    print(f"Written to {args.report}")
    return 1 if result.findings.broken else 0


if __name__ == "__main__":
    sys.exit(main())
