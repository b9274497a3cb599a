"""The web widget's channel: socket.io that carries the `custom` contracts, and the widget's files.

Rasa 3.6's socket.io channel fails us twice: its output sends `custom` with `sio.emit(event, **custom)`,
which only works for a `{"data": ...}` payload (our `{"question": ...}` / `{"assessment": ...}` /
`{"emergency": ...}` raise a TypeError), and with python-socketio 5.18 its `session_request` handler calls
the coroutine `enter_room` without awaiting it, so with session persistence no reply reaches the browser.
This channel joins the room properly and emits each bot message as one event shaped like a REST reply,
`{"text", "buttons", "custom"}`, so the widget shows an assessment card instead of its plain-text twin.

Served under /webhooks/widget/: `widget.js` (the built bundle, `make widget`), `demo` (a demo clinic page),
and socket.io at /webhooks/widget/socket.io. Session ids are the widget's own 32-hex-digit random ids:
anything else is replaced, so a web client cannot pick another channel's sender id (a Slack user id, a
Telegram chat id) and read or write that conversation. A session sending more than RATE_PER_SENDER
messages in 10 s (default 20) is told to slow down (bot/channels/flood.py), as HAProxy tells REST clients.
"""
from __future__ import annotations

import logging
import re
import uuid
from http import HTTPStatus
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.flood import MessageRate, rate_limited_messages

logger = logging.getLogger(__name__)

WIDGET_DIR = Path(__file__).resolve().parents[2] / "widget"
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
MESSAGE_KEYS = ("text", "buttons", "custom", "image", "attachment")
DEMO_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def widget_event(message: Dict[Text, Any]) -> Dict[Text, Any]:
    """One bot message as the widget's event: its text, buttons and custom JSON kept together."""
    return {key: message[key] for key in MESSAGE_KEYS if message.get(key)}


class TurnOutput(CollectingOutputChannel):
    """Keeps a turn's replies until the turn is over: the widget shows only what was stored (if the
    conversation store fails at the end of the turn, bot/serving replaces them with its notice)."""

    @classmethod
    def name(cls) -> Text:
        return "widget"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        body = widget_event(message)
        if body:
            self.messages.append(body)


class WidgetOutput(TurnOutput):
    """Sends each bot message at once (what Rasa uses for messages outside a turn)."""

    def __init__(self, sio: Any, bot_message_evt: Text) -> None:
        super().__init__()
        self.sio, self.bot_message_evt = sio, bot_message_evt

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        body = widget_event(message)
        if body:
            await self.sio.emit(self.bot_message_evt, body, room=recipient_id)


class WidgetChannel(SocketIOInput):
    @classmethod
    def name(cls) -> Text:
        return "widget"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            True,  # session persistence: the conversation survives a page reload
            credentials.get("socketio_path", "/webhooks/widget/socket.io"),
            credentials.get("jwt_key"),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
        )

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WidgetOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        webhook.name = "widget_webhook"  # Rasa names every socket.io blueprint "socketio_webhook"
        sio = self.sio
        rate = MessageRate()

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and SESSION_ID.match(requested) else uuid.uuid4().hex
            await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Dict) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
                logger.warning("Ignored a widget message without a valid session id.")
                return
            if session_id not in sio.rooms(sid, namespace=self.namespace):
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            text = data.get("message")
            if not isinstance(text, str) or not text.strip():
                return
            if not rate.allows(session_id):
                for body in rate_limited_messages():
                    await sio.emit(self.bot_message_evt, body, room=sid, namespace=self.namespace)
                return
            metadata = data.get(self.metadata_key)
            output = TurnOutput()
            await on_new_message(
                UserMessage(
                    text[:2000],
                    output,
                    session_id,
                    input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else {},
                )
            )
            for body in output.messages:
                await sio.emit(self.bot_message_evt, body, room=session_id, namespace=self.namespace)

        @webhook.route("/widget.js", methods=["GET"])
        async def widget_js(_: Request) -> HTTPResponse:
            return await _static(WIDGET_DIR / "dist" / "widget.js", "application/javascript")

        @webhook.route("/widget.js.map", methods=["GET"])
        async def widget_map(_: Request) -> HTTPResponse:
            return await _static(WIDGET_DIR / "dist" / "widget.js.map", "application/json")

        @webhook.route("/demo", methods=["GET"])
        async def demo(_: Request) -> HTTPResponse:
            page = await _static(WIDGET_DIR / "demo" / "index.html", "text/html; charset=utf-8")
            page.headers["Content-Security-Policy"] = DEMO_CSP
            return page

        @webhook.route("/demo.css", methods=["GET"])
        async def demo_css(_: Request) -> HTTPResponse:
            return await _static(WIDGET_DIR / "demo" / "demo.css", "text/css")

        return webhook


async def _static(path: Path, mime_type: str) -> HTTPResponse:
    if not path.is_file():
        return response.text(
            f"{path.name} is missing: build the widget with `make widget`.", status=HTTPStatus.SERVICE_UNAVAILABLE
        )
    served = await response.file(str(path), mime_type=mime_type)
    served.headers["Cache-Control"] = "no-cache"
    served.headers["X-Content-Type-Options"] = "nosniff"
    return served
