"""Load driver: simulated people talking to the assistant over its REST channel, concurrently.

Three small modules, each with one job:

- `bot.load.people`: who talks. `VignettePerson` plays a clinical vignette (tests/vignettes) with
  the evaluation's own reading and answering (`bot.evaluation.person`): the vignette's free-text
  opener, then answers typed or clicked (button payloads), one FAQ asked midway, until an
  assessment or an escalation. `ScriptedPerson` sends a fixed list of messages whatever the
  replies (a long conversation, say). `vignette_people(vignettes, emergency_share=..., seed=...)`
  is an endless, seeded stream of people; `emergency_share` sets the share of emergency cases.
- `bot.load.driver`: `run_load(url, people, concurrency, duration=... | count=...)` runs that many
  people at once against `{url}/webhooks/rest/webhook`, for a fixed time or a fixed number of
  people, each conversation in its own thread, one message after the other. It returns a
  `LoadResult` with one `MessageRecord` per HTTP attempt (sender, turn, attempt, text sent,
  replies received, HTTP status or `None` when there was no HTTP answer, error, wall-clock send and
  receive times, latency) and one `PersonRecord` per person (outcome: assessment, escalation,
  error or unfinished). With `retries=N`, a 5xx or a failed connection is sent again, up to N
  times, `retry_delay` seconds apart; every attempt keeps its own record, so a tracker store can
  be compared message by message. `on_message` sees each record as it is made, and setting the
  `stop` event ends the run early (people in the middle of a conversation end "unfinished").
- `bot.load.stats`: `summarise(result)` -> `Summary` (people, turns, errors, turns/s, p50/p95/p99
  and mean latency of answered turns, outcomes), `latencies_by_turn(result)`, `format_summary`.

From the command line (prints the summary; exit status 1 when a message got no answer):

    python -m bot.load --url http://127.0.0.1:5005 --people 5 --seconds 60
    python -m bot.load --url http://127.0.0.1:5005 --people 20 --count 40 --emergency-share 0.2

From Python:

    from bot.evaluation.vignettes import load_vignettes
    from bot.load.driver import run_load
    from bot.load.people import vignette_people
    from bot.load.stats import format_summary, summarise

    people = vignette_people(load_vignettes(path), emergency_share=0.2, seed=1)
    result = run_load("http://127.0.0.1:5005", people, concurrency=30, duration=120, retries=2)
    print(format_summary(summarise(result)))
    for record in result.messages: ...  # sender, text, replies, status, sent_at, received_at
"""
