"""`python -m bot.load --url URL --people N (--seconds S | --count C)`: a load run, its summary printed."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.evaluation.vignettes import load_vignettes
from bot.load.driver import run_load
from bot.load.people import vignette_people
from bot.load.stats import format_summary, summarise

VIGNETTES = Path(__file__).resolve().parents[2] / "tests" / "vignettes"
DEFAULT_FILES = [VIGNETTES / "tuning.yml", VIGNETTES / "holdout.yml"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the Rasa server, e.g. http://127.0.0.1:5005")
    parser.add_argument("--people", type=int, default=5, help="people talking at once")
    parser.add_argument("--seconds", type=float, help="stop sending after this long")
    parser.add_argument("--count", type=int, help="stop after this many people")
    parser.add_argument("--emergency-share", type=float, help="share of emergency cases (default: as the sets)")
    parser.add_argument("--retries", type=int, default=0, help="resend after a 5xx or no answer, this many times")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES, help="vignette YAML files")
    args = parser.parse_args(argv)
    if args.seconds is None and args.count is None:
        parser.error("give --seconds, --count or both")
    vignettes = [v for path in args.files for v in load_vignettes(path)]
    people = vignette_people(vignettes, emergency_share=args.emergency_share, seed=args.seed)
    result = run_load(args.url, people, args.people, duration=args.seconds, count=args.count, retries=args.retries)
    summary = summarise(result)
    print(format_summary(summary))
    return 1 if summary["failed_attempts"] else 0


if __name__ == "__main__":
    sys.exit(main())
