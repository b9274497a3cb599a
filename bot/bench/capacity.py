"""How many people one server setup serves with 95% of turns answered within a second.

The people of bot.load (vignettes, answers typed or clicked, an FAQ midway) talk for a while at
each step of `STEPS`; the capacity is the largest number at which the p95 turn latency stayed under
`P95_LIMIT`. Run for one Rasa worker and for one per core (`python scripts/bench.py --capacity`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.bench.report import header
from bot.evaluation.vignettes import Vignette
from bot.load.driver import run_load
from bot.load.people import vignette_people
from bot.load.stats import Summary, summarise

P95_LIMIT = 1.0  # seconds
STEPS = (2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40)


@dataclass
class Capacity:
    workers: int
    steps: dict[int, Summary] = field(default_factory=dict)  # people at once -> figures

    @property
    def people(self) -> int:
        """The most people at once with p95 under the limit and every message answered (0: none)."""
        good = [n for n, s in self.steps.items() if s["p95"] is not None and s["p95"] < P95_LIMIT
                and not s["failed_attempts"]]
        return max(good, default=0)


def measure(url: str, workers: int, vignettes: Sequence[Vignette], seconds: float,
            steps: Sequence[int] = STEPS) -> Capacity:
    """Steps up until the p95 passes the limit (or a message goes unanswered)."""
    capacity = Capacity(workers)
    for people in steps:
        result = run_load(url, vignette_people(vignettes, seed=people), concurrency=people, duration=seconds,
                          sender_prefix=f"capacity-{workers}-{people}")
        summary = capacity.steps[people] = summarise(result)
        if summary["p95"] is None or summary["p95"] >= P95_LIMIT or summary["failed_attempts"]:
            break
    return capacity


def table(capacities: Sequence[Capacity]) -> list[str]:
    """One row per setup; a worker takes one core, so people per core is people per worker."""
    lines = header("Rasa workers (cores)", "people at once, p95 < 1 s", "people per core",
                   "at that load: turns/s, p50, p95")
    for capacity in capacities:
        people = capacity.people
        figures = capacity.steps.get(people)
        at_load = (f"{figures['turns_per_s']:.1f}, {figures['p50'] * 1000:.0f} ms, {figures['p95'] * 1000:.0f} ms"
                   if figures else "n/a")
        lines.append(f"| {capacity.workers} | {people} | {people / capacity.workers:.1f} | {at_load} |")
    return lines
