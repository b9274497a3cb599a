"""What the bench plays against each server: the same people at 1, 5 and 20 at once, and one long
conversation. Contenders take turns at every step, so a machine that slows down mid-run slows both."""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bot.evaluation.vignettes import Vignette
from bot.load.driver import LoadResult, run_load
from bot.load.people import FAQ_QUESTIONS, ScriptedPerson, vignette_people
from bot.load.stats import latencies_by_turn

LEVELS = (1, 5, 20)
# One check from the first description to "start over": turn 40 repeats turn 1's message from the same
# point of the interview, with 39 turns of history behind it.
CHECK = (
    "my left foot has been numb and tingling for two weeks",
    "58",
    "female",
    "no",
    FAQ_QUESTIONS[0],
    "not sure",
    "yes",
    "no",
    "what could it be?",
    "what is sciatica?",
    "thanks",
    FAQ_QUESTIONS[4],
    "start over",
)
LONG_TURNS = 40
LONG_CONVERSATION = tuple((CHECK * (LONG_TURNS // len(CHECK) + 1))[:LONG_TURNS])


@dataclass
class LongConversation:
    """Latencies of the long conversation's turns, each the median over its plays."""

    by_turn: dict[int, float]

    @classmethod
    def of(cls, results: Sequence[LoadResult]) -> "LongConversation":
        pooled: dict[int, list[float]] = {}
        for result in results:
            for turn, latencies in latencies_by_turn(result).items():
                pooled.setdefault(turn, []).extend(latencies)
        return cls({turn: statistics.median(values) for turn, values in sorted(pooled.items())})

    @property
    def first(self) -> float:
        return self.by_turn[1]

    @property
    def last(self) -> float:
        return self.by_turn[LONG_TURNS]

    def check_mean(self, number: int) -> float:
        """Mean latency of the `number`-th check (1 = turns 1-13)."""
        start = (number - 1) * len(CHECK) + 1
        return statistics.fmean(self.by_turn[t] for t in range(start, start + len(CHECK)))


def warm_up(urls: dict[str, str], vignettes: Sequence[Vignette]) -> None:
    """A few conversations each, so that no first-call cost is measured."""
    for url in urls.values():
        run_load(url, vignette_people(vignettes, seed=99), concurrency=2, count=4, sender_prefix="warm-up")


def play_levels(urls: dict[str, str], vignettes: Sequence[Vignette], seconds: float,
                levels: Sequence[int] = LEVELS) -> dict[str, dict[int, LoadResult]]:
    """For each level, the same people (same seed) for `seconds` against each server in turn."""
    results: dict[str, dict[int, LoadResult]] = {label: {} for label in urls}
    for index, level in enumerate(levels):
        order = list(urls) if index % 2 == 0 else list(reversed(urls))
        for label in order:
            people = vignette_people(vignettes, seed=level)
            results[label][level] = run_load(urls[label], people, concurrency=level, duration=seconds,
                                             sender_prefix=f"bench-{level}")
    return results


def play_long_conversation(urls: dict[str, str], plays: int) -> dict[str, LongConversation]:
    runs: dict[str, list[LoadResult]] = {label: [] for label in urls}
    for index in range(plays):
        order = list(urls) if index % 2 == 0 else list(reversed(urls))
        for label in order:
            person = ScriptedPerson("40-turn conversation", LONG_CONVERSATION)
            runs[label].append(run_load(urls[label], [person], concurrency=1, count=1, sender_prefix="bench-long"))
    return {label: LongConversation.of(results) for label, results in runs.items()}
