"""Figures of a load run: latency percentiles of answered turns, turns per second, errors, outcomes."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Optional, TypedDict

from bot.load.driver import LoadResult


class Summary(TypedDict):
    concurrency: int
    seconds: float  # wall time of the run
    people: int
    turns: int  # messages answered (200)
    failed_attempts: int  # HTTP attempts that got no 200 (retried or not)
    statuses: dict[str, int]  # failed attempts by HTTP status, "none" for no HTTP answer
    turns_per_s: float
    p50: Optional[float]  # seconds
    p95: Optional[float]
    p99: Optional[float]
    mean: Optional[float]
    outcomes: dict[str, int]  # people by outcome


def percentile(values: Sequence[float], q: float) -> Optional[float]:
    """The q-th percentile (0..100), linear between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(result: LoadResult) -> Summary:
    answered = [r.latency for r in result.messages if r.ok]
    failed = [r for r in result.messages if not r.ok]
    return Summary(
        concurrency=result.concurrency,
        seconds=result.seconds,
        people=len(result.people),
        turns=len(answered),
        failed_attempts=len(failed),
        statuses=dict(Counter("none" if r.status is None else str(r.status) for r in failed)),
        turns_per_s=len(answered) / result.seconds,
        p50=percentile(answered, 50),
        p95=percentile(answered, 95),
        p99=percentile(answered, 99),
        mean=sum(answered) / len(answered) if answered else None,
        outcomes=dict(Counter(p.outcome for p in result.people)),
    )


def latencies_by_turn(result: LoadResult) -> dict[int, list[float]]:
    """Answered latencies by the turn's position in its conversation (1 = the first message)."""
    by_turn: dict[int, list[float]] = {}
    for record in result.messages:
        if record.ok:
            by_turn.setdefault(record.turn, []).append(record.latency)
    return dict(sorted(by_turn.items()))


def format_summary(summary: Summary) -> str:
    def ms(value: Optional[float]) -> str:
        return "n/a" if value is None else f"{value * 1000:.0f} ms"

    outcomes = ", ".join(f"{name} {n}" for name, n in sorted(summary["outcomes"].items())) or "none"
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(summary["statuses"].items()))
    return (f"{summary['concurrency']} concurrent, {summary['seconds']:.1f} s: {summary['turns']} turns "
            f"({summary['turns_per_s']:.1f}/s), p50 {ms(summary['p50'])}, p95 {ms(summary['p95'])}, "
            f"p99 {ms(summary['p99'])}; {summary['people']} people ({outcomes}); "
            f"{summary['failed_attempts']} failed attempts{f' ({statuses})' if statuses else ''}")
