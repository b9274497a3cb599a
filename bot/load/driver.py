"""Runs simulated people concurrently against the REST channel and records every message.

One thread per concurrent person; each sends its next message only after the reply to the last
one, as someone chatting does. See the package docstring (bot/load/__init__.py) for the API.
"""
from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Optional, TypedDict

import requests

from bot.load.people import Person

ERROR, UNFINISHED = "error", "unfinished"  # person outcomes besides people.ASSESSMENT and people.ESCALATION


class RestRequest(TypedDict, total=False):
    """The body POSTed to Rasa's REST channel."""

    sender: str
    message: str
    metadata: dict[str, str]  # {"message_id": ...}: the same id on a retry (bot/serving/replay.py)


@dataclass(frozen=True)
class MessageRecord:
    """One HTTP attempt to deliver one message of a conversation."""

    sender: str
    person: str  # Person.name
    turn: int  # 1 for the conversation's first message
    attempt: int  # 1, then 2, 3... for retries of the same message
    text: str
    status: Optional[int]  # the HTTP status; None when no HTTP answer came (refused, reset, timed out)
    replies: list[dict[str, Any]]
    error: Optional[str]  # why the attempt failed; None when it was answered with 200
    sent_at: float  # time.time() when sent
    received_at: float  # time.time() when the answer (or the failure) came
    latency: float  # seconds, from a monotonic clock

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class PersonRecord:
    sender: str
    person: str
    outcome: str  # people.ASSESSMENT | people.ESCALATION | ERROR | UNFINISHED
    turns: int  # messages answered
    started_at: float
    finished_at: float


@dataclass
class LoadResult:
    url: str
    concurrency: int
    started_at: float
    finished_at: float = 0.0
    messages: list[MessageRecord] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return max(self.finished_at - self.started_at, 1e-9)


class RestClient:
    """Posts messages to `{url}/webhooks/rest/webhook`; one per thread (a requests.Session each)."""

    def __init__(self, url: str, timeout: float):
        self.endpoint = url.rstrip("/") + "/webhooks/rest/webhook"
        self.timeout = timeout
        self.session = requests.Session()

    def send(self, sender: str, text: str, message_id: Optional[str] = None
             ) -> tuple[Optional[int], list[dict[str, Any]], Optional[str]]:
        """(HTTP status or None, replies, error or None). A retry sends the same `message_id`, so a server that
        already served it answers from the conversation instead of storing it twice (bot/serving/replay.py)."""
        body: RestRequest = {"sender": sender, "message": text}
        if message_id:
            body["metadata"] = {"message_id": message_id}
        try:
            response = self.session.post(self.endpoint, json=body, timeout=self.timeout)
        except requests.RequestException as error:
            return None, [], f"{error.__class__.__name__}: {error}"
        if response.status_code != 200:
            return response.status_code, [], f"HTTP {response.status_code}: {response.text[:200]}"
        try:
            replies = response.json()
        except ValueError:
            return response.status_code, [], "the answer is not JSON"
        if not isinstance(replies, list):
            return response.status_code, [], "the answer is not a list of messages"
        return response.status_code, replies, None

    def close(self) -> None:
        self.session.close()


def run_load(url: str, people: Iterable[Person], concurrency: int, *, duration: Optional[float] = None,
             count: Optional[int] = None, retries: int = 0, retry_delay: float = 0.5, timeout: float = 60.0,
             sender_prefix: str = "load", on_message: Optional[Callable[[MessageRecord], None]] = None,
             stop: Optional[threading.Event] = None) -> LoadResult:
    """Runs `concurrency` people at a time until `duration` seconds have passed or `count` people
    have started (whichever comes first; at least one must be given), and waits for them.

    No new message is sent after `duration`; a conversation cut short ends UNFINISHED.
    A 5xx or no HTTP answer is retried `retries` times; a 4xx, a bad answer or a last failed
    attempt ends the conversation with ERROR.
    """
    if duration is None and count is None:
        raise ValueError("give a duration, a count, or both")
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    stop = stop or threading.Event()
    deadline = time.monotonic() + duration if duration is not None else float("inf")
    source = _People(iter(people), count)
    result = LoadResult(url=url, concurrency=concurrency, started_at=time.time())
    lock = threading.Lock()

    def keep(record: MessageRecord) -> None:
        with lock:
            result.messages.append(record)
        if on_message:
            on_message(record)

    def over() -> bool:
        return stop.is_set() or time.monotonic() >= deadline

    def worker() -> None:
        client = RestClient(url, timeout)
        try:
            while not over():
                person = source.next()
                if person is None:
                    return
                sender = f"{sender_prefix}-{uuid.uuid4().hex[:12]}"
                conversation = _Conversation(client, person, sender, retries, retry_delay, keep, over)
                record = conversation.play()
                with lock:
                    result.people.append(record)
        finally:
            client.close()

    threads = [threading.Thread(target=worker, name=f"load-{i}", daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.finished_at = time.time()
    result.messages.sort(key=lambda r: r.sent_at)
    return result


class _People:
    """The shared stream of people, cut at `count`."""

    def __init__(self, people: Iterator[Person], count: Optional[int]):
        self._people = itertools.islice(people, count) if count is not None else people
        self._lock = threading.Lock()

    def next(self) -> Optional[Person]:
        with self._lock:
            return next(self._people, None)


class _Conversation:
    def __init__(self, client: RestClient, person: Person, sender: str, retries: int, retry_delay: float,
                 keep: Callable[[MessageRecord], None], over: Callable[[], bool]):
        self.client, self.person, self.sender = client, person, sender
        self.retries, self.retry_delay, self.keep, self.over = retries, retry_delay, keep, over

    def play(self) -> PersonRecord:
        started = time.time()
        text: Optional[str] = self.person.first_message()
        turn, outcome = 0, UNFINISHED
        while text is not None:
            if self.over():
                break
            turn += 1
            replies = self._deliver(turn, text)
            if replies is None:
                outcome = ERROR
                break
            text = self.person.next_message(replies)
        else:
            outcome = self.person.outcome or UNFINISHED
        answered = turn - (outcome == ERROR)
        return PersonRecord(self.sender, self.person.name, outcome, answered, started, time.time())

    def _deliver(self, turn: int, text: str) -> Optional[list[dict[str, Any]]]:
        """The replies, or None when every attempt failed."""
        message_id = uuid.uuid4().hex
        for attempt in range(1, self.retries + 2):
            sent_at, start = time.time(), time.perf_counter()
            status, replies, error = self.client.send(self.sender, text, message_id)
            self.keep(MessageRecord(self.sender, self.person.name, turn, attempt, text, status, replies, error,
                                    sent_at, time.time(), time.perf_counter() - start))
            if error is None:
                return replies
            retriable = status is None or status >= 500
            if not retriable or attempt > self.retries or self.over():
                return None
            time.sleep(self.retry_delay)
        return None
