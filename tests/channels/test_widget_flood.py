"""A widget session sending faster than a person types is told to slow down, over its own socket; another
session is not affected. (Websocket frames pass HAProxy unseen, so the widget channel counts them itself.)"""
from __future__ import annotations

import asyncio
import uuid

import socketio

from bot.channels.flood import DEFAULT_RATE_PER_SENDER


async def widget_session(stub: str):
    """A socket.io client in the widget's place (long polling): its session id and the messages it gets."""
    client, received = socketio.AsyncClient(), []
    client.on("bot_uttered", received.append)
    await client.connect(stub, socketio_path="/webhooks/widget/socket.io", transports=["polling"],
                         wait_timeout=10)
    session_id = uuid.uuid4().hex
    await client.emit("session_request", {"session_id": session_id})
    return client, session_id, received


async def wait_for(condition, seconds=20.0):
    for _ in range(int(seconds * 10)):
        if condition():
            return True
        await asyncio.sleep(0.1)
    return condition()


def rate_limited(messages):
    return [m for m in messages if (m.get("custom") or {}).get("rate_limited")]


def echoes(messages):
    return [m for m in messages if m.get("text", "").startswith("You said:")]


async def test_a_flooding_session_is_told_to_wait_and_another_chats_on(stub):
    flooder, flood_id, flooded = await widget_session(stub)
    person, person_id, answers = await widget_session(stub)
    try:
        for number in range(DEFAULT_RATE_PER_SENDER + 5):  # a few per request: engine.io takes 16 at most
            await flooder.emit("user_uttered", {"message": f"numb {number}", "session_id": flood_id})
            await asyncio.sleep(0.05)
        await person.emit("user_uttered", {"message": "my feet are numb", "session_id": person_id})

        assert await wait_for(lambda: len(rate_limited(flooded)) == 5), "the five over the limit are refused"
        assert await wait_for(lambda: len(echoes(flooded)) == DEFAULT_RATE_PER_SENDER), "the others are answered"
        told = rate_limited(flooded)[0]
        assert "faster than I can answer" in told["text"] and "911" in told["text"]
        assert await wait_for(lambda: any(m.get("text") == "You said: my feet are numb" for m in answers))
        assert not rate_limited(answers)
    finally:
        for client in (flooder, person):
            await client.eio.disconnect(abort=True)  # without waiting out the pending long poll
