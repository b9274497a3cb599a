"""The load driver against a tiny scripted REST server: people, records, retries, figures."""
from __future__ import annotations

import textwrap
import threading

import pytest

from bot.evaluation.vignettes import load_vignettes
from bot.load.driver import ERROR, UNFINISHED, run_load
from bot.load.people import ASSESSMENT, ESCALATION, FAQ_QUESTIONS, ScriptedPerson, expects_emergency, vignette_people
from bot.load.stats import format_summary, latencies_by_turn, percentile, summarise
from tests.conftest import free_port
from tests.load.fake_assistant import fake_assistant

VIGNETTES = """
vignettes:
- id: numb
  age: 64
  sex: female
  opener: "my feet are numb"
  facts:
    - ["diabet", "yes, type 2"]
  expect:
    triage: [consultation]
- id: stroke
  age: 70
  sex: male
  opener: "my face droops and my leg went numb"
  facts: []
  expect:
    triage: [emergency_ambulance]
"""


@pytest.fixture
def vignettes(tmp_path):
    path = tmp_path / "set.yml"
    path.write_text(textwrap.dedent(VIGNETTES))
    return load_vignettes(path)


@pytest.fixture
def assistant():
    with fake_assistant() as running:
        yield running


def conversation(result, sender):
    return [r.text for r in result.messages if r.sender == sender]


def test_each_person_opens_answers_asks_a_faq_midway_and_ends_with_an_outcome(assistant, vignettes):
    url, script = assistant
    people = vignette_people([v for v in vignettes if not expects_emergency(v)])
    result = run_load(url, people, concurrency=2, count=4)

    assert len(result.people) == 4
    assert {p.outcome for p in result.people} == {ASSESSMENT}
    clicker = next(p for p in result.people if p.person.endswith("clicks"))
    typer = next(p for p in result.people if p.person.endswith("types"))
    # opener, age, sex, the FAQ in place of the diabetes answer, then that answer
    assert conversation(result, clicker.sender) == ["my feet are numb", "64", '/give_sex{"sex": "female"}',
                                                    FAQ_QUESTIONS[0], "/affirm"]
    assert conversation(result, typer.sender) == ["my feet are numb", "64", "female", FAQ_QUESTIONS[1],
                                                  "yes, type 2"]
    assert all(r.status == 200 and r.replies and r.attempt == 1 for r in result.messages)
    assert len(script.received) == len(result.messages) == 20


def test_a_record_says_who_sent_what_and_what_came_back_in_order(assistant, vignettes):
    url, _ = assistant
    result = run_load(url, vignette_people(vignettes[:1]), concurrency=1, count=1)
    records = result.messages
    assert [r.turn for r in records] == [1, 2, 3, 4, 5]
    assert records[0].replies[1]["custom"]["question"]["type"] == "age"
    assert records[-1].replies[-1]["custom"]["assessment"]["triage"] == "consultation"
    assert all(a.received_at <= b.sent_at for a, b in zip(records, records[1:], strict=False))
    assert all(r.sent_at <= r.received_at and r.latency >= 0 for r in records)


def test_an_emergency_share_of_one_sends_only_emergencies_and_they_escalate(assistant, vignettes):
    url, _ = assistant
    result = run_load(url, vignette_people(vignettes, emergency_share=1.0, seed=3), concurrency=3, count=6)
    assert [p.outcome for p in result.people] == [ESCALATION] * 6
    assert all(p.turns == 1 for p in result.people)


def test_the_same_seed_gives_the_same_people(vignettes):
    def names(seed):
        stream = vignette_people(vignettes, emergency_share=0.5, seed=seed)
        return [next(stream).name for _ in range(20)]

    assert names(7) == names(7)
    assert {name.split()[0] for name in names(7)} == {"set/numb", "set/stroke"}


def test_a_5xx_is_sent_again_and_every_attempt_is_recorded():
    with fake_assistant(fail_first=1) as (url, script):
        result = run_load(url, [ScriptedPerson("two lines", ["hello there", "my feet are numb"])], concurrency=1,
                          count=1, retries=2, retry_delay=0.01)
    first, retry, second = result.messages
    assert (first.turn, first.attempt, first.status, first.text) == (1, 1, 500, "hello there")
    assert first.error and first.replies == []
    assert (retry.turn, retry.attempt, retry.status, retry.error) == (1, 2, 200, None)
    assert (second.turn, second.attempt, second.status) == (2, 1, 200)
    assert script.received[0][1] == "hello there"
    assert result.people[0].turns == 2
    first_try, retry_id, next_message = script.message_ids
    assert first_try == retry_id and next_message != first_try, "a retry carries its message's id"


def test_without_retries_a_5xx_ends_the_conversation_as_an_error():
    with fake_assistant(fail_first=1) as (url, script):
        result = run_load(url, [ScriptedPerson("one", ["hello", "more"])], concurrency=1, count=1)
    assert [(r.status, r.text) for r in result.messages] == [(500, "hello")]
    assert result.people[0].outcome == ERROR
    assert script.received == []
    assert summarise(result)["statuses"] == {"500": 1}


def test_no_server_is_an_error_with_no_status():
    url = f"http://127.0.0.1:{free_port()}"
    result = run_load(url, [ScriptedPerson("alone", ["hello"])], concurrency=1, count=1, retries=1,
                      retry_delay=0.01, timeout=5)
    assert [(r.attempt, r.status) for r in result.messages] == [(1, None), (2, None)]
    assert all("Connection" in r.error for r in result.messages)
    assert result.people[0].outcome == ERROR
    summary = summarise(result)
    assert (summary["turns"], summary["failed_attempts"], summary["statuses"]) == (0, 2, {"none": 2})
    assert summary["p50"] is None
    assert "2 failed attempts (none: 2)" in format_summary(summary)


def test_a_timed_run_stops_by_itself_and_cuts_conversations_short(assistant, vignettes):
    url, _ = assistant
    long_talk = (ScriptedPerson("chatty", ["my feet are numb"] + ["and another thing"] * 10_000) for _ in iter(int, 1))
    result = run_load(url, long_talk, concurrency=2, duration=0.5)
    assert len(result.people) == 2
    assert {p.outcome for p in result.people} == {UNFINISHED}
    assert summarise(result)["turns"] == len(result.messages) > 0


def test_setting_stop_ends_the_run(assistant):
    url, _ = assistant
    stop = threading.Event()
    seen = []

    def watch(record):
        seen.append(record)
        if len(seen) == 3:
            stop.set()

    endless = (ScriptedPerson("chatty", ["hi"] * 1000) for _ in iter(int, 1))
    result = run_load(url, endless, concurrency=1, duration=600, on_message=watch, stop=stop)
    assert len(result.messages) == len(seen) == 3
    assert result.people[0].outcome == UNFINISHED


def test_a_scripted_person_goes_on_after_the_assessment_and_notes_it(assistant):
    url, _ = assistant
    person = ScriptedPerson("long", ["my feet are numb", "60", "female", "yes", "thanks", "bye"])
    result = run_load(url, [person], concurrency=1, count=1)
    assert len(result.messages) == 6
    assert result.people[0].outcome == ASSESSMENT
    assert sorted(latencies_by_turn(result)) == [1, 2, 3, 4, 5, 6]


def test_percentiles_interpolate_between_ranks():
    values = [0.1 * n for n in range(1, 11)]  # 0.1 .. 1.0
    assert percentile(values, 50) == pytest.approx(0.55)
    assert percentile(values, 95) == pytest.approx(0.955)
    assert percentile(values, 100) == pytest.approx(1.0)
    assert percentile([0.3], 99) == 0.3
    assert percentile([], 50) is None


def test_the_summary_counts_answered_turns_per_second_and_outcomes(assistant, vignettes):
    url, _ = assistant
    result = run_load(url, vignette_people(vignettes, seed=1), concurrency=2, count=4)
    summary = summarise(result)
    assert summary["turns"] == len(result.messages)
    assert summary["turns_per_s"] == pytest.approx(summary["turns"] / result.seconds)
    assert sum(summary["outcomes"].values()) == 4
    assert summary["p50"] <= summary["p95"] <= summary["p99"]
    assert "4 people" in format_summary(summary)


def test_run_load_needs_an_end_and_people():
    with pytest.raises(ValueError):
        run_load("http://127.0.0.1:1", [], concurrency=1)
    with pytest.raises(ValueError):
        run_load("http://127.0.0.1:1", [], concurrency=0, count=1)
