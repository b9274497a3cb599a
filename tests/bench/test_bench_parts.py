"""The bench's parts that need no server: the one-line change, the endpoints, the figures and the report."""
from __future__ import annotations

import os
import subprocess
import sys

import yaml

from bot.bench import report
from bot.bench.contenders import ADDED_EXAMPLE, OURS, PLAIN, Training, add_one_line, plain_config, project_copy
from bot.bench.plan import CHECK, LONG_CONVERSATION, LONG_TURNS, LongConversation
from bot.bench.servers import PeakMemory, make_run_endpoints
from bot.load.stats import Summary
from tests.conftest import ROOT


def test_the_one_line_change_adds_one_example_and_leaves_valid_training_data(tmp_path):
    project = project_copy(tmp_path / "copy", ROOT / "config.yml")
    before = (project / "data" / "nlu.yml").read_text().splitlines()
    add_one_line(project / "data" / "nlu.yml")
    after = (project / "data" / "nlu.yml").read_text().splitlines()
    assert len(after) == len(before) + 1 and ADDED_EXAMPLE in after
    greet = next(block for block in yaml.safe_load("\n".join(after))["nlu"] if block.get("intent") == "greet")
    assert ADDED_EXAMPLE.strip()[2:] in greet["examples"]
    assert (ROOT / "data" / "nlu.yml").read_text().splitlines() == before, "the repository is never touched"


def test_plain_rasa_is_rasa_inits_configuration_with_no_pipeline_or_policies_of_ours():
    config = yaml.safe_load(plain_config().read_text())
    assert config["recipe"] == "default.v1"
    assert config["pipeline"] is None and config["policies"] is None  # Rasa fills in its defaults


def test_the_bench_serves_with_the_stores_of_make_run_in_its_own_folder(tmp_path):
    served = yaml.safe_load(make_run_endpoints(tmp_path, workers=2))
    ours = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    assert "action_endpoint" not in served
    assert served["tracker_store"]["type"] == ours["tracker_store"]["type"]
    assert served["tracker_store"]["db"] == str(tmp_path / "tracker.sqlite3")
    assert served["lock_store"]["type"] == yaml.safe_load((ROOT / "endpoints.production.yml").read_text())[
        "lock_store"]["type"]


def test_process_memory_is_read_for_a_process_and_its_children():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with PeakMemory({"me": {"server": os.getpid()}}, interval=0.05) as memory:
            pass  # the sampler reads the processes on entering and leaving the block
        peaks = memory.peaks["me"]["server"]
        assert any(name.endswith(f" {child.pid}") for name in peaks)
        mine = next(size for name, size in peaks.items() if name.endswith(f" {os.getpid()}"))
        assert mine == max(peaks.values()) > 10_000_000  # this process holds Rasa's imports
    finally:
        child.kill()
        child.wait()


def test_the_long_conversation_repeats_its_first_message_at_turn_forty():
    assert len(LONG_CONVERSATION) == LONG_TURNS == 40
    assert LONG_CONVERSATION[0] == LONG_CONVERSATION[39] == CHECK[0]
    assert CHECK[-1] == "start over"


def figures(p50: float, turns_per_s: float) -> Summary:
    return Summary(concurrency=1, seconds=30.0, people=4, turns=100, failed_attempts=0, statuses={},
                   turns_per_s=turns_per_s, p50=p50, p95=p50 * 2, p99=p50 * 3, mean=p50,
                   outcomes={"assessment": 3, "escalation": 1})


def run(ours_p50: float, ours_growth: float) -> report.BenchRun:
    gb = 1024**3
    long = {who: LongConversation({t: 0.1 * (growth if t == 40 else 1.0) for t in range(1, 41)})
            for who, growth in ((PLAIN, 1.9), (OURS, ours_growth))}
    return report.BenchRun(
        started="2026-12-02 09:00 UTC", seconds_per_level=30,
        levels={PLAIN: {1: figures(0.1, 10.0), 20: figures(1.0, 12.0)},
                OURS: {1: figures(ours_p50, 8.0), 20: figures(1.2, 11.0)}},
        memory={PLAIN: {"rasa server": {"python 1": int(1.1 * gb)}},
                OURS: {"rasa server": {"python 2": int(1.0 * gb)}}},
        long=long, training={PLAIN: Training(900.0, 800.0, ROOT), OURS: Training(200.0, 60.0, ROOT)})


def test_the_report_gives_each_target_as_a_ratio_to_plain_rasa_and_says_whether_it_is_met():
    text = report.markdown(run(ours_p50=0.14, ours_growth=1.1), "make bench")
    rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines() if line.startswith("| ")}
    assert rows["single-person p50 turn latency"].endswith("| 140 ms | 1.40x | yes |")
    assert rows["throughput at 20 concurrent people (turns/s)"].endswith("| 11.0 | 0.92x | yes |")
    assert rows["turn 40 of one conversation against its turn 1"].endswith("| 1.10x | 0.58x | yes |")
    assert rows["Rasa server RSS (largest process, peak)"].endswith("| 1.00 GB | 0.91x | yes |")
    assert rows["full training"].endswith("| 3.3 min | 0.22x | yes |")
    assert rows["retraining after a one-line change to data/nlu.yml"].endswith("| 60 s | 0.07x | yes |")


def test_a_missed_target_is_marked():
    text = report.markdown(run(ours_p50=0.2, ours_growth=1.5), "make bench")
    assert "| single-person p50 turn latency | <= 1.5x plain | 100 ms | 200 ms | 2.00x | **no** |" in text
    assert "| 1.50x | 0.79x | **no** |" in text


def test_the_plot_is_written(tmp_path):
    report.write_plot(run(0.14, 1.1), tmp_path / "bench.png")
    assert (tmp_path / "bench.png").read_bytes()[:4] == b"\x89PNG"


def test_capacity_is_the_most_people_with_p95_under_a_second_and_nothing_unanswered():
    from bot.bench.capacity import Capacity, table

    def step(p95: float, failed: int = 0) -> Summary:
        return {**figures(p95 / 2, 10.0), "p95": p95, "failed_attempts": failed}

    one = Capacity(1, {2: step(0.3), 4: step(0.7), 6: step(1.2)})
    two = Capacity(2, {2: step(0.2), 4: step(0.4), 6: step(0.6, failed=1), 8: step(0.9)})
    assert (one.people, two.people) == (4, 8)
    rows = table([one, two])
    assert rows[2].startswith("| 1 | 4 | 4.0 | 10.0, 350 ms, 700 ms |")
    assert rows[3].startswith("| 2 | 8 | 4.0 |")
    assert Capacity(1, {2: step(1.5)}).people == 0
