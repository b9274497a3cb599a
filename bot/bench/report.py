"""The bench's outputs: a console summary, reports/bench.md and a plot of latency against concurrency."""
from __future__ import annotations

import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from bot.bench.contenders import OURS, PLAIN, Training
from bot.bench.plan import LONG_TURNS, LongConversation
from bot.load.stats import Summary

GB = 1024**3


@dataclass
class BenchRun:
    started: str  # UTC
    seconds_per_level: float
    levels: dict[str, dict[int, Summary]]  # contender -> people at once -> figures
    memory: dict[str, dict[str, int]]  # contender -> "rasa server" / "action server" -> process -> peak bytes
    long: dict[str, LongConversation] = field(default_factory=dict)
    training: dict[str, Training] = field(default_factory=dict)

    @property
    def side_by_side(self) -> bool:
        return PLAIN in self.levels and OURS in self.levels


def machine() -> str:
    import os

    import rasa

    return (f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), Python "
            f"{platform.python_version()}, Rasa {rasa.__version__}")


def ms(seconds: Optional[float]) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.0f} ms"


def gb(size: int) -> str:
    return f"{size / GB:.2f} GB"


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 90 else f"{seconds:.0f} s"


def ratio(ours: Optional[float], plain: Optional[float]) -> str:
    return f"{ours / plain:.2f}x" if ours is not None and plain else "n/a"


def largest_rasa_process(memory: dict[str, dict[str, int]]) -> int:
    return max(memory.get("rasa server", {}).values(), default=0)


@dataclass(frozen=True)
class Target:
    label: str
    goal: str
    value: Callable[[BenchRun, str], Optional[float]]  # the contender's figure
    shown: Callable[[float], str]
    met: Callable[[BenchRun], Optional[bool]]


def _p50(run: BenchRun, who: str) -> Optional[float]:
    return run.levels[who][1]["p50"] if 1 in run.levels.get(who, {}) else None


def _throughput(run: BenchRun, who: str) -> Optional[float]:
    return run.levels[who][20]["turns_per_s"] if 20 in run.levels.get(who, {}) else None


def _growth(run: BenchRun, who: str) -> Optional[float]:
    long = run.long.get(who)
    return long.last / long.first if long else None


def _rss(run: BenchRun, who: str) -> Optional[float]:
    return float(largest_rasa_process(run.memory[who])) if who in run.memory else None


def _training(attribute: str) -> Callable[[BenchRun, str], Optional[float]]:
    def value(run: BenchRun, who: str) -> Optional[float]:
        return getattr(run.training[who], attribute) if who in run.training else None

    return value


def _relative(value: Callable[[BenchRun, str], Optional[float]], test: Callable[[float], bool]):
    def met(run: BenchRun) -> Optional[bool]:
        ours, plain = value(run, OURS), value(run, PLAIN)
        return test(ours / plain) if ours is not None and plain else None

    return met


def _absolute(value: Callable[[BenchRun, str], Optional[float]], test: Callable[[float], bool]):
    def met(run: BenchRun) -> Optional[bool]:
        ours = value(run, OURS)
        return test(ours) if ours is not None else None

    return met


TARGETS = (
    Target("single-person p50 turn latency", "<= 1.5x plain", _p50, ms, _relative(_p50, lambda r: r <= 1.5)),
    Target("throughput at 20 concurrent people (turns/s)", ">= 0.8x plain", _throughput, lambda v: f"{v:.1f}",
           _relative(_throughput, lambda r: r >= 0.8)),
    Target(f"turn {LONG_TURNS} of one conversation against its turn 1", "<= 1.2x", _growth, lambda v: f"{v:.2f}x",
           _absolute(_growth, lambda v: v <= 1.2)),
    Target("Rasa server RSS (largest process, peak)", "<= 1.2 GB", _rss, lambda v: gb(int(v)),
           _absolute(_rss, lambda v: v <= 1.2 * GB)),
    Target("full training", "< 4 min", _training("from_scratch"), minutes,
           _absolute(_training("from_scratch"), lambda v: v < 240)),
    Target("retraining after a one-line change to data/nlu.yml", "< 90 s", _training("after_change"), minutes,
           _absolute(_training("after_change"), lambda v: v < 90)),
)


def header(*columns: str) -> list[str]:
    """A Markdown table's first two lines."""
    return ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]


def target_table(run: BenchRun) -> list[str]:
    lines = header("target", "goal", "plain Rasa", "this assistant", "ratio to plain", "met")
    for target in TARGETS:
        ours, plain = target.value(run, OURS), target.value(run, PLAIN)
        met = target.met(run)
        lines.append(f"| {target.label} | {target.goal} | {target.shown(plain) if plain is not None else 'n/a'} | "
                     f"{target.shown(ours) if ours is not None else 'n/a'} | {ratio(ours, plain)} | "
                     f"{'n/a' if met is None else 'yes' if met else '**no**'} |")
    return lines


def load_table(run: BenchRun) -> list[str]:
    lines = header("people at once", "contender", "turns/s", "p50", "p95", "p99", "failed attempts", "conversations")
    levels = sorted({level for figures in run.levels.values() for level in figures})
    for level in levels:
        for who in (PLAIN, OURS):
            summary = run.levels.get(who, {}).get(level)
            if summary is None:
                continue
            ended = ", ".join(f"{name} {n}" for name, n in sorted(summary["outcomes"].items()))
            lines.append(f"| {level} | {who} | {summary['turns_per_s']:.1f} | {ms(summary['p50'])} | "
                         f"{ms(summary['p95'])} | {ms(summary['p99'])} | {summary['failed_attempts']} | {ended} |")
        if run.side_by_side and level in run.levels[PLAIN] and level in run.levels[OURS]:
            ours, plain = run.levels[OURS][level], run.levels[PLAIN][level]
            lines.append(f"| {level} | ratio | {ratio(ours['turns_per_s'], plain['turns_per_s'])} | "
                         f"{ratio(ours['p50'], plain['p50'])} | {ratio(ours['p95'], plain['p95'])} | "
                         f"{ratio(ours['p99'], plain['p99'])} | | |")
    return lines


def long_table(run: BenchRun) -> list[str]:
    lines = header("contender", "turn 1", "turn 40", "turn 40 / turn 1", "turns 1-13 (mean)", "turns 27-39 (mean)",
                   "ratio")
    for who, long in run.long.items():
        lines.append(f"| {who} | {ms(long.first)} | {ms(long.last)} | {long.last / long.first:.2f}x | "
                     f"{ms(long.check_mean(1))} | {ms(long.check_mean(3))} | "
                     f"{long.check_mean(3) / long.check_mean(1):.2f}x |")
    return lines


def memory_table(run: BenchRun) -> list[str]:
    lines = header("contender", "server", "process", "peak RSS")
    for who, servers in run.memory.items():
        for server, processes in servers.items():
            for process, size in processes.items():
                lines.append(f"| {who} | {server} | {process} | {gb(size)} |")
    return lines


def training_table(run: BenchRun) -> list[str]:
    lines = header("contender", "from scratch", "after a one-line change to data/nlu.yml")
    for who, training in run.training.items():
        lines.append(f"| {who} | {minutes(training.from_scratch)} | {minutes(training.after_change)} |")
    if run.side_by_side and len(run.training) == 2:
        ours, plain = run.training[OURS], run.training[PLAIN]
        lines.append(f"| ratio | {ratio(ours.from_scratch, plain.from_scratch)} | "
                     f"{ratio(ours.after_change, plain.after_change)} |")
    return lines


def markdown(run: BenchRun, command: str) -> str:
    parts = [f"# Bench: this assistant side by side with plain Rasa\n\n{run.started}; {machine()}.\n"
             f"Command: `{command}`; {run.seconds_per_level:.0f} s of talking per level and contender.\n"
             "Plain Rasa is `rasa init`'s configuration trained on this project's domain and data; both are served "
             "as `make run` serves (see bot/bench/__init__.py). Ratios are this assistant's figure over plain Rasa's, "
             "measured in this run.\n"]
    if run.side_by_side:
        parts += ["## Targets (issue 16)\n", *target_table(run), ""]
    parts += ["## Load\n", "Simulated people from tests/vignettes: a free-text opener, answers typed or clicked, "
              "an FAQ midway; latency of answered turns.\n", *load_table(run), ""]
    if run.long:
        parts += [f"## One {LONG_TURNS}-turn conversation\n",
                  "Three checks from a description to 'start over', then the first message again; the median of "
                  "the plays for each turn.\n", *long_table(run), ""]
    parts += ["## Memory\n", *memory_table(run), ""]
    if run.training:
        parts += ["## Training\n", "`rasa train` in a temporary copy: from an empty cache, then after adding one "
                  "example to data/nlu.yml.\n", *training_table(run), ""]
    return "\n".join(parts) + "\n"


def console(run: BenchRun) -> str:
    lines = load_table(run) + [""] + (long_table(run) + [""] if run.long else []) + memory_table(run)
    if run.training:
        lines += [""] + training_table(run)
    if run.side_by_side:
        lines += [""] + target_table(run)
    return "\n".join(lines)


def write_plot(run: BenchRun, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(11, 4.2))
    for who, figures in run.levels.items():
        levels = sorted(figures)
        line = latency.plot(levels, [figures[n]["p50"] * 1000 for n in levels], marker="o", label=f"{who} p50")
        latency.plot(levels, [figures[n]["p95"] * 1000 for n in levels], marker="^", linestyle="--",
                     color=line[0].get_color(), label=f"{who} p95")
        throughput.plot(levels, [figures[n]["turns_per_s"] for n in levels], marker="o", label=who)
    latency.set(xlabel="people talking at once", ylabel="turn latency (ms)", title="Latency", yscale="log")
    throughput.set(xlabel="people talking at once", ylabel="turns per second", title="Throughput", ylim=(0, None))
    for axis in (latency, throughput):
        axis.legend(fontsize=8)
        axis.grid(alpha=0.3)
    figure.suptitle(f"make bench, {run.started}", fontsize=9)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
