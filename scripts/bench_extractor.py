"""Benchmark (not a test): the symptom extractor's time per message over the labelled set.

    python scripts/bench_extractor.py [--repeat 5] [--model models/current.tar.gz]

Builds the extractor once from data/kb/ (as Rasa does at model load), warms it up, then times
`extract` on every utterance of tests/nlu/labelled_utterances.yml, `--repeat` times over, and
prints the build time and the median, p95 and maximum time per message. Target: median < 2 ms.
With `--model`, it also times the trained model's whole NLU pipeline on the same messages (what
the Rasa server's `/model/parse` runs, without the HTTP round trip).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.kb.yaml_loader import read_knowledge_base  # noqa: E402
from bot.nlu.extractor import SymptomFinder  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--model", type=Path, help="also time the whole NLU pipeline of this trained model")
    args = parser.parse_args()

    texts = [u["text"] for u in yaml.safe_load((ROOT / "tests/nlu/labelled_utterances.yml").read_text())["utterances"]]
    started = time.perf_counter()
    finder = SymptomFinder.from_kb(read_knowledge_base())
    build = time.perf_counter() - started
    for text in texts:  # warm-up: first calls fill caches
        finder.extract(text)

    print(f"messages: {len(texts)} x {args.repeat}, mean length {statistics.mean(map(len, texts)):.0f} characters")
    print(f"build (KB -> extractor, once per process): {build:.2f} s")
    report("extractor, per message", timed(finder.extract, texts, args.repeat))
    if args.model:
        report("whole NLU pipeline (/model/parse), per message", timed(pipeline_of(args.model), texts, 1))
    return 0


def timed(run, texts, repeat: int) -> list:
    times = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            run(text)
            times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def report(label: str, times: list) -> None:
    print(f"{label}: median {statistics.median(times):.3f} ms, p95 {times[int(len(times) * 0.95)]:.3f} ms, "
          f"max {times[-1]:.3f} ms")


def pipeline_of(model: Path):
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    parse = lambda text: loop.run_until_complete(agent.parse_message(text))  # noqa: E731
    for text in ("warm up", "my feet are numb"):
        parse(text)
    return parse


if __name__ == "__main__":
    sys.exit(main())
