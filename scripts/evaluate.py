#!/usr/bin/env python
"""Plays the clinical vignettes against the assistant and scores them (tests/vignettes/, FORMAT.md).

    python scripts/evaluate.py                                  # both default sets, REST on localhost:5005
    python scripts/evaluate.py tests/vignettes/tuning.yml --url http://localhost:5205
    python scripts/evaluate.py --engine                         # in-process: bot/triage + the extractor

Writes reports/evaluation.md, reports/evaluation.png, reports/calibration.md and .png (are the probabilities
shown honest?) and reports/failed/<set>/<id>.txt.
Exit status 0 when every case ran (whatever the scores), 1 when a case could not be played.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.evaluation import calibration, report  # noqa: E402
from bot.evaluation.play import MAX_TURNS, play, transcript  # noqa: E402
from bot.evaluation.scoring import score_case  # noqa: E402
from bot.evaluation.vignettes import load_vignettes  # noqa: E402

DEFAULT_FILES = [ROOT / "tests/vignettes" / name for name in
                 ("tuning.yml", "holdout.yml", "realistic.yml", "realistic_holdout.yml", "realistic_holdout_2.yml")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES, help="vignette YAML files")
    parser.add_argument("--url", default="http://localhost:5005", help="the Rasa server (REST channel)")
    parser.add_argument("--engine", action="store_true", help="play in-process against bot/triage, no servers")
    parser.add_argument("--no-red-flags", action="store_true",
                        help="with --engine: leave out the emergency policy, to measure the engine's own triage")
    parser.add_argument("--only", nargs="*", default=(), help="vignette ids to play (default: all)")
    parser.add_argument("--reports", type=Path, default=ROOT / "reports", help="output folder")
    parser.add_argument("--max-turns", type=int, default=MAX_TURNS)
    parser.add_argument("--quiet", action="store_true", help="no line per case")
    parser.add_argument("--show", action="store_true", help="print every played conversation")
    args = parser.parse_args(argv)

    channel, mode = _channel(args)
    results = {}
    for path in args.files:
        vignettes = load_vignettes(path)
        cases = []
        for index, vignette in enumerate(vignettes):
            if args.only and vignette.id not in args.only:
                continue
            case = score_case(play(vignette, index, channel, args.max_turns))
            cases.append(case)
            if not args.quiet:
                mark = "FAIL" if case.failed else "ok  "
                print(f"{mark} {path.stem}/{vignette.id}: {case.played.triage} {case.played.questions}q "
                      f"{[n for _, n in case.played.conditions[:3]]} {'; '.join(case.failures)}", flush=True)
            if args.show:
                print(transcript(case.played) + "\n", flush=True)
        results[path.stem] = cases

    print(f"\nPlayed against: {mode}\n")
    print(report.table(results))
    report.write_markdown(results, args.reports / "evaluation.md", mode)
    report.write_chart(results, args.reports / "evaluation.png")
    report.write_failures(results, args.reports / "failed")
    calibration.write_report(results, args.reports / "calibration.md", args.reports / "calibration.png")
    print(f"\nWrote {args.reports / 'evaluation.md'}, {args.reports / 'evaluation.png'}, {args.reports / 'failed'}/")
    errors = [c for cases in results.values() for c in cases if c.played.ended_by == "error"]
    return 1 if errors else 0


def _channel(args):
    if not args.engine:
        from bot.evaluation.channels import RestChannel

        return RestChannel(args.url), f"the whole assistant at {args.url} (REST channel)"
    from bot.evaluation.channels import EngineChannel
    from bot.kb.yaml_loader import read_knowledge_base
    from bot.nlu.extractor import SymptomFinder
    from bot.triage.engine import TriageEngine

    kb = read_knowledge_base()
    channel = EngineChannel(kb, TriageEngine(kb), SymptomFinder.from_kb(kb).extract, red_flags=not args.no_red_flags)
    policy = "without the emergency policy" if args.no_red_flags else "with the red-flag rules"
    return channel, f"in-process engine {policy}, extractor: bot.nlu SymptomFinder"


if __name__ == "__main__":
    sys.exit(main())
