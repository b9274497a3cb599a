#!/usr/bin/env python
"""Safety report: escalation recall and false escalations on the labelled set (bot/evaluation/safety.py).

    python scripts/safety_report.py [--set FILE ...] [--out FILE]

Writes reports/safety.md. Exit status 1 when a target is missed: recall below 100% on any part, or
more than 5% false escalations on any part or overall.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.evaluation.safety import (  # noqa: E402
    DEFAULT_OUT,
    ROOT,
    evaluate,
    load_items,
    print_summary,
    render,
    summarize,
    targets_met,
)
from bot.kb.yaml_loader import read_knowledge_base  # noqa: E402


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, action="append", dest="sets",
                        help="a labelled set (YAML); repeatable; default: every part")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the Markdown report")
    args = parser.parse_args(argv)

    from bot.nlu.extractor import SymptomFinder  # imported here: building it loads spaCy

    kb = read_knowledge_base()
    extract = SymptomFinder.from_kb(kb).extract
    started = time.perf_counter()
    outcomes = evaluate(load_items(*(args.sets or ())), kb, extract)
    seconds = time.perf_counter() - started
    summary = summarize(outcomes)
    print_summary(summary)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(summary, outcomes, kb, seconds), encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    if not targets_met(summary):
        print("Safety targets NOT met: see the report.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
