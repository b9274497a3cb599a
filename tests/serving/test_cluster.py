"""The reference cluster (bot/serving/cluster.py) under the faults a clinic meets: two Rasa servers and an action
server behind HAProxy, with their own PostgreSQL and Redis (tests/serving/conftest.py)."""
from __future__ import annotations

import threading
import time
import uuid
from typing import Callable, Dict, List, Tuple

import pytest
import requests
from requests_toolbelt.adapters.source import SourceAddressAdapter
from sqlalchemy.engine import make_url

from bot.channels.flood import DEFAULT_RATE_PER_SENDER as RATE_PER_SENDER
from bot.conversations.store import connect, read_events
from bot.serving.cluster import Cluster
from bot.serving.notice import UNAVAILABLE
from tests.e2e.test_rest_conversation import custom, texts
from tests.serving.conftest import RATE_PER_IP

pytestmark = pytest.mark.e2e


def new_sender() -> str:
    return f"cluster-{uuid.uuid4().hex[:10]}"


def client(source: str = "127.0.0.1") -> requests.Session:
    """A person's browser, on its own loopback address (HAProxy sees it as the client's IP)."""
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(source))
    return session


def say(url: str, sender: str, message: str, session: requests.Session = None) -> requests.Response:
    return (session or requests).post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                                      timeout=60)


def stored_turns(cluster: Cluster, sender: str) -> List[Tuple[str, str]]:
    """(event type, text or action name) of the stored conversation, as PostgreSQL holds it."""
    engine = connect(make_url(cluster.tracker_url))
    try:
        events = [e for e in read_events(engine, 0) if e.sender_id == sender]
    finally:
        engine.dispose()
    return [(e.type_name, e.data.get("text") or e.data.get("name") or "") for e in events
            if e.type_name in ("user", "bot", "action", "rewind")]


def test_any_server_carries_on_any_conversation(cluster):
    me = new_sender()
    first, second = cluster.rasa_urls
    assert custom(say(first, me, "my left foot has been numb for a week").json(), "question")["type"] == "age"
    assert custom(say(second, me, "45").json(), "question")["type"] == "sex"
    assert custom(say(first, me, "female").json(), "question")["type"] == "symptom"


def test_two_messages_at_once_to_one_sender_through_two_servers_are_taken_one_after_the_other(cluster):
    """The Redis lock store serialises the turns of one conversation across servers. Rasa's own RedisLockStore
    let both run when they came at the same moment (RasaHQ/rasa#7921): bot/serving/lock_store.py."""
    for _ in range(3):
        me = new_sender()
        say(cluster.url, me, "my left foot has been numb for a week")
        messages = ["I'm 45", "my toes tingle too"]
        answers = at_once([lambda url=url, message=message, me=me: say(url, me, message)
                           for url, message in zip(cluster.rasa_urls, messages, strict=True)])
        replies = dict(zip(messages, answers, strict=True))

        assert all(r.status_code == 200 and r.json() and not custom(r.json(), "unavailable")
                   for r in replies.values()), "both messages are answered"
        stored = stored_turns(cluster, me)
        users = [text for kind, text in stored if kind == "user"]
        assert sorted(users[1:]) == ["I'm 45", "my toes tingle too"], "each stored once"
        for message, reply in replies.items():
            turn = _turn_of(stored, message)
            assert [t for kind, t in turn if kind == "bot"] == [m["text"] for m in reply.json() if m.get("text")], \
                "each message is stored with the replies it got, not mixed with the other's"


def test_a_retry_with_the_same_message_id_is_answered_from_the_conversation_and_stored_once(cluster):
    """The answer was lost on the way (a server killed, a connection closed): the person's retry, on another
    server, gets the same answer, and the message is stored once (bot/serving/replay.py)."""
    me = new_sender()
    first, second = cluster.rasa_urls
    body = {"sender": me, "message": "my left foot has been numb for a week", "metadata": {"message_id": "m-1"}}
    original = requests.post(f"{first}/webhooks/rest/webhook", json=body, timeout=60).json()
    retried = requests.post(f"{second}/webhooks/rest/webhook", json=body, timeout=60).json()
    assert [m.get("text") for m in retried] == [m.get("text") for m in original]
    assert custom(retried, "question") == custom(original, "question")
    assert [text for kind, text in stored_turns(cluster, me) if kind == "user"] == [body["message"]]


def at_once(calls: List[Callable[[], requests.Response]]) -> List[requests.Response]:
    """Runs the calls in threads released together; their results in order."""
    results: List[requests.Response] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int) -> None:
        start.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _turn_of(stored: List[Tuple[str, str]], message: str) -> List[Tuple[str, str]]:
    start = stored.index(("user", message))
    end = next((i for i in range(start + 1, len(stored)) if stored[i][0] == "user"), len(stored))
    return stored[start + 1:end]


def test_one_client_flooding_gets_a_clear_429_and_the_others_chat_on(cluster):
    stop = threading.Event()
    flood: Dict[str, List[int]] = {"per_sender": [], "per_ip": []}

    def flood_one_sender() -> None:
        session, flooder = client("127.0.0.2"), new_sender()
        # floods while the others chat, and on until refused: how soon it is refused does not depend on their speed
        while len(flood["per_sender"]) < 200 and not (stop.is_set() and 429 in flood["per_sender"]):
            flood["per_sender"].append(say(cluster.url, flooder, "hi", session).status_code)

    def flood_from_one_address() -> None:  # socket.io handshakes, then a message, from one address
        session = client("127.0.0.3")
        for _ in range(RATE_PER_IP + 20):
            session.get(f"{cluster.url}/webhooks/widget/socket.io/?EIO=4&transport=polling", timeout=10)
        flood["per_ip"].append(say(cluster.url, new_sender(), "hi", session).status_code)

    flooders = [threading.Thread(target=flood_one_sender), threading.Thread(target=flood_from_one_address)]
    for thread in flooders:
        thread.start()
    try:
        others = [(new_sender(), client(f"127.0.1.{n}")) for n in range(1, 4)]
        for message in ["my left foot has been numb for a week", "45", "female"]:
            for sender, session in others:
                answer = say(cluster.url, sender, message, session)
                assert answer.status_code == 200 and custom(answer.json(), "question") is not None
    finally:
        stop.set()
        for thread in flooders:
            thread.join()

    assert flood["per_sender"].count(200) <= RATE_PER_SENDER + 1 and 429 in flood["per_sender"]
    assert flood["per_ip"] == [429]
    refused = say(cluster.url, new_sender(), "hi", client("127.0.0.3"))
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "10"
    assert "faster than I can answer" in texts(refused.json()) and "911" in texts(refused.json())


def test_with_redis_down_people_are_told_to_retry_and_emergencies_escalate(cluster):
    me = new_sender()
    say(cluster.url, me, "my left foot has been numb for a week")
    cluster.stop_redis()
    try:
        notice = say(cluster.url, me, "45").json()
        assert texts(notice).strip() == UNAVAILABLE and custom(notice, "unavailable")
        emergency = say(cluster.url, new_sender(), "my face is drooping and my speech is slurred").json()
        assert custom(emergency, "emergency")["triage"] == "emergency_ambulance"
        assert custom(emergency, "unavailable"), "and the person hears the check itself must wait"
    finally:
        cluster.start_redis()
    assert custom(say(cluster.url, me, "45").json(), "question")["type"] == "sex", "carries on where it was"
    assert ("user", "45") in stored_turns(cluster, me) and stored_turns(cluster, me).count(("user", "45")) == 1


def test_with_the_action_servers_down_the_check_waits_and_emergencies_escalate(cluster):
    me = new_sender()
    say(cluster.url, me, "my left foot has been numb for a week")
    cluster.kill("actions1")
    try:
        _wait_until_haproxy_marks(cluster, "actions", "DOWN")
        assert texts(say(cluster.url, me, "45").json()).strip() == UNAVAILABLE
        emergency = say(cluster.url, me, "now my face is drooping").json()
        assert custom(emergency, "emergency")["pattern"] == "stroke"
    finally:
        cluster.start_actions(0)
    _wait_until_haproxy_marks(cluster, "actions", "UP")
    reply = say(cluster.url, me, "45").json()
    assert custom(reply, "question")["type"] == "sex"


def test_a_postgresql_restart_loses_nothing(cluster):
    me = new_sender()
    say(cluster.url, me, "my left foot has been numb for a week")
    cluster.restart_postgres()
    reply = say(cluster.url, me, "45").json()
    assert custom(reply, "question")["type"] == "sex", "pooled connections are tested before use"
    assert [t for kind, t in stored_turns(cluster, me) if kind == "user"] == [
        "my left foot has been numb for a week", "45"]


def _wait_until_haproxy_marks(cluster: Cluster, backend: str, state: str, seconds: float = 20) -> None:
    """HAProxy checks every 2 s and changes its mind after 3 failures or 2 successes; its stats CSV says when."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        stats = requests.get(f"http://127.0.0.1:{cluster.state.stats_port}/;csv", timeout=5).text
        rows = [line.split(",") for line in stats.splitlines() if line.startswith(f"{backend},")]
        if any(row[1] == "BACKEND" and row[17] == state for row in rows):
            return
        time.sleep(0.5)
    raise AssertionError(f"HAProxy did not mark {backend} {state} within {seconds} s")
