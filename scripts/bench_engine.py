#!/usr/bin/env python
"""How long the triage engine takes to choose the next question and to assess, on the real KB.

    python scripts/bench_engine.py [--runs 200]

Prints the median and 95th percentile in milliseconds (target: next question under 20 ms).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.kb.yaml_loader import read_knowledge_base  # noqa: E402
from bot.triage.engine import TriageEngine  # noqa: E402

EVIDENCE = {"foot_numbness": "present", "one_sided": "present", "lower_back_pain": "absent", "tingling": "present"}


def timed(call, runs: int) -> tuple[float, float]:
    call()  # warm caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args(argv)
    kb = read_knowledge_base()
    engine = TriageEngine(kb)
    print(f"KB: {len(kb.conditions)} conditions, {len(kb.symptoms)} symptoms; {args.runs} runs each")
    for name, call in (("next question", lambda: engine.next_question(EVIDENCE, 50, "female", ["sudden_onset"])),
                       ("assessment", lambda: engine.assess(EVIDENCE, 50, "female"))):
        median, p95 = timed(call, args.runs)
        print(f"{name:14} median {median:6.2f} ms   p95 {p95:6.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
