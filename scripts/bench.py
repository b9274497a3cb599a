#!/usr/bin/env python
"""This assistant side by side with plain Rasa, in one run (bot/bench/__init__.py says what and how).

    python scripts/bench.py                 # everything: training both, then serving both (~1 hour)
    python scripts/bench.py --no-training   # serving only: models/current.tar.gz and models/plain.tar.gz
    python scripts/bench.py --short         # this assistant only, 1 and 5 people (about a minute; CI)
    python scripts/bench.py --capacity      # people served with p95 < 1 s, one Rasa worker and one per core

Writes reports/bench.md and reports/bench.png (not with --short; --capacity writes reports/capacity.md).
Prints every figure. Exit status
1 when a server did not answer a message (never because of a time), 0 otherwise.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.bench import capacity, report  # noqa: E402
from bot.bench.contenders import OURS, PLAIN, plain_config, timed_training  # noqa: E402
from bot.bench.plan import LEVELS, play_levels, play_long_conversation, warm_up  # noqa: E402
from bot.bench.servers import PeakMemory, make_run_endpoints  # noqa: E402
from bot.cli import main as bot_cli  # noqa: E402
from bot.evaluation.vignettes import load_vignettes  # noqa: E402
from bot.load.stats import summarise  # noqa: E402
from bot.serving import local  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.e2e.servers import MODEL, running_servers  # noqa: E402

PLAIN_MODEL = ROOT / "models" / "plain.tar.gz"  # kept for --no-training
VIGNETTES = [ROOT / "tests" / "vignettes" / "tuning.yml", ROOT / "tests" / "vignettes" / "holdout.yml"]
SHORT_LEVELS = (1, 5)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="this assistant only, 1 and 5 people, no training")
    parser.add_argument("--no-training", action="store_true", help="serve the models already trained")
    parser.add_argument("--seconds", type=float, help="talking time per level (default 30; 20 with --short)")
    parser.add_argument("--plays", type=int, default=3, help="plays of the 40-turn conversation")
    parser.add_argument("--capacity", action="store_true", help="people per core at p95 < 1 s, this assistant only")
    parser.add_argument("--reports", type=Path, default=ROOT / "reports")
    args = parser.parse_args(argv)
    if args.capacity:
        return measure_capacity(args.seconds or 30.0, args.reports)
    seconds = args.seconds or (20.0 if args.short else 30.0)
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    vignettes = [v for path in VIGNETTES for v in load_vignettes(path)]
    if not MODEL.exists():
        print(f"No model at {MODEL}: run `make train` first.", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        workdir = Path(scratch)
        training = {}
        models = {OURS: MODEL}
        if not args.short:
            if args.no_training:
                if not PLAIN_MODEL.exists():
                    print(f"No plain Rasa model at {PLAIN_MODEL}: run the bench once without --no-training.",
                          file=sys.stderr)
                    return 2
            else:
                for who, config in ((PLAIN, plain_config()), (OURS, ROOT / "config.yml")):
                    print(f"Training {who} from scratch, then after a one-line change...", flush=True)
                    training[who] = timed_training(workdir / f"train-{who.split()[0]}", config)
                    print(f"  {report.minutes(training[who].from_scratch)}, then "
                          f"{report.minutes(training[who].after_change)}", flush=True)
                shutil.copy(training[PLAIN].model, PLAIN_MODEL)
            models = {PLAIN: PLAIN_MODEL, OURS: MODEL}
        run = serve_and_play(workdir, models, vignettes, seconds, args.plays, args.short, training, started)

    print(report.console(run))
    if not args.short:
        (args.reports / "bench.md").write_text(report.markdown(run, "make bench"), encoding="utf-8")
        report.write_plot(run, args.reports / "bench.png")
        print(f"\nWrote {args.reports / 'bench.md'} and {args.reports / 'bench.png'}")
    unanswered = sum(figures["failed_attempts"] for levels in run.levels.values() for figures in levels.values())
    if unanswered:
        print(f"\n{unanswered} messages got no answer: see the servers' logs above.", file=sys.stderr)
    return 1 if unanswered else 0


def serve_and_play(workdir: Path, models: dict, vignettes: list, seconds: float, plays: int, short: bool,
                   training: dict, started: str) -> report.BenchRun:
    kb_url = f"sqlite:///{workdir / 'kb.sqlite3'}"
    if bot_cli(["kb", "load", "--url", kb_url]) != 0:
        raise RuntimeError("the knowledge base did not load")
    workers = local.workers()
    with ExitStack() as stack:
        servers = {}
        for who, model in models.items():
            folder = workdir / f"serve-{who.split()[0]}"
            folder.mkdir()
            print(f"Starting {who} ({model.name}, {workers} Rasa worker(s) as `make run` starts)...", flush=True)
            servers[who] = stack.enter_context(running_servers(
                folder, free_port(), free_port(), kb_url, extra_env={"SANIC_WORKERS": str(workers)}, model=model,
                endpoints_extra=make_run_endpoints(folder, workers)))
        urls = {who: s.rasa_url for who, s in servers.items()}
        roots = {who: {"rasa server": s.rasa.pid, "action server": s.actions.pid} for who, s in servers.items()}
        warm_up(urls, vignettes)
        with PeakMemory(roots) as memory:
            levels = play_levels(urls, vignettes, seconds, SHORT_LEVELS if short else LEVELS)
            long = {} if short else play_long_conversation(urls, plays)
    figures = {who: {n: summarise(result) for n, result in results.items()} for who, results in levels.items()}
    return report.BenchRun(started=started, seconds_per_level=seconds, levels=figures, memory=memory.peaks,
                           long=long, training=training)


def measure_capacity(seconds: float, reports: Path) -> int:
    vignettes = [v for path in VIGNETTES for v in load_vignettes(path)]
    setups = sorted({1, local.workers()})
    if setups == [1]:
        print("Only one Rasa worker can run here (no Redis lock store answers): measuring that.", flush=True)
    capacities = []
    with tempfile.TemporaryDirectory(prefix="capacity-") as scratch:
        workdir = Path(scratch)
        kb_url = f"sqlite:///{workdir / 'kb.sqlite3'}"
        if bot_cli(["kb", "load", "--url", kb_url]) != 0:
            return 1
        for workers in setups:
            folder = workdir / f"workers-{workers}"
            folder.mkdir()
            print(f"Serving with {workers} Rasa worker(s)...", flush=True)
            with running_servers(folder, free_port(), free_port(), kb_url, extra_env={"SANIC_WORKERS": str(workers)},
                                 endpoints_extra=make_run_endpoints(folder, workers)) as servers:
                warm_up({"this": servers.rasa_url}, vignettes)
                capacities.append(capacity.measure(servers.rasa_url, workers, vignettes, seconds))
            for people, figures in capacities[-1].steps.items():
                print(f"  {people} people: p95 {report.ms(figures['p95'])}, {figures['turns_per_s']:.1f} turns/s",
                      flush=True)
    lines = capacity.table(capacities)
    print("\n" + "\n".join(lines))
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    (reports / "capacity.md").write_text(
        f"# Capacity\n\n{started}; {report.machine()}. Command: `python scripts/bench.py --capacity`; "
        f"{seconds:.0f} s per step; people from tests/vignettes as in `make bench`.\n\n" + "\n".join(lines) + "\n",
        encoding="utf-8")
    print(f"\nWrote {reports / 'capacity.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
