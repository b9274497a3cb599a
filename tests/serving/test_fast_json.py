"""Requests to the action server carry the same JSON document, encoded faster."""
from __future__ import annotations

import asyncio
import json

from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot.serving import fast_json

BODY = {"next_action": "action_interview", "sender_id": "amy",
        "tracker": {"events": [{"event": "user", "text": "my feet are numb é ✓", "parse_data": {
            "intent": {"name": "describe_symptoms", "confidence": 0.9588163256645203}, "entities": []}},
            {"event": "slot", "name": "age", "value": None, "timestamp": 1764669000.123456}]}}


async def exchange(body):
    """(what the server received: raw body and content type), and what the client got back."""
    received = {}

    async def webhook(request: web.Request) -> web.Response:
        received["raw"], received["type"] = await request.text(), request.content_type
        return web.json_response({"events": [], "responses": [{"text": "ok"}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        answer = await EndpointConfig(f"http://127.0.0.1:{port}/webhook").request(json=body, method="post")
    finally:
        await runner.cleanup()
    return received, answer


def test_the_action_server_receives_the_same_json_and_the_answer_is_read_as_before():
    rasas = asyncio.run(exchange(BODY))
    fast_json.install()
    try:
        ours = asyncio.run(exchange(BODY))
    finally:
        fast_json.uninstall()
    assert json.loads(ours[0]["raw"]) == json.loads(rasas[0]["raw"]) == BODY
    assert ours[0]["raw"].isascii()
    assert ours[0]["type"] == rasas[0]["type"] == "application/json"
    assert ours[1] == rasas[1] == {"events": [], "responses": [{"text": "ok"}]}
