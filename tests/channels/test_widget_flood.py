"""A widget session sending faster than a person types is told to slow down, over its own socket; another
session is not affected. (Websocket frames pass HAProxy unseen, so the widget channel counts them itself.)"""
from __future__ import annotations

import time
import uuid

import socketio

from bot.channels.flood import DEFAULT_RATE_PER_SENDER


def widget_session(stub: str):
    """A socket.io client in the widget's place: its session id and the bot messages it receives."""
    client, received = socketio.Client(), []
    client.on("bot_uttered", received.append)
    client.connect(stub, socketio_path="/webhooks/widget/socket.io", transports=["polling"], wait_timeout=10)
    session_id = uuid.uuid4().hex
    client.emit("session_request", {"session_id": session_id})
    return client, session_id, received


def wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        time.sleep(0.1)
    return condition()


def test_a_flooding_session_is_told_to_wait_and_another_chats_on(stub):
    flooder, flood_id, flooded = widget_session(stub)
    person, person_id, answers = widget_session(stub)
    try:
        sent = DEFAULT_RATE_PER_SENDER + 5
        for number in range(sent):
            flooder.emit("user_uttered", {"message": f"numb {number}", "session_id": flood_id})
        person.emit("user_uttered", {"message": "my feet are numb", "session_id": person_id})

        assert wait_for(lambda: sum(1 for m in flooded if (m.get("custom") or {}).get("rate_limited")) == 5)
        echoed = lambda: [m for m in flooded if m.get("text", "").startswith("You said:")]  # noqa: E731
        assert wait_for(lambda: len(echoed()) == DEFAULT_RATE_PER_SENDER), "the first ten are answered"
        told = next(m for m in flooded if (m.get("custom") or {}).get("rate_limited"))
        assert "faster than I can answer" in told["text"] and "911" in told["text"]
        assert wait_for(lambda: any(m.get("text") == "You said: my feet are numb" for m in answers))
        assert not any((m.get("custom") or {}).get("rate_limited") for m in answers)
    finally:
        flooder.disconnect()
        person.disconnect()
