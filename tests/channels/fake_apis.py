"""Local stand-ins for the Slack Web API and the Telegram Bot API on 127.0.0.1, recording every call.

The connectors are pointed at them with SLACK_API_URL and TELEGRAM_API_URL; a test then reads what the
person would have seen in Slack or Telegram from `calls`.
"""
from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterator, List
from urllib.parse import parse_qsl

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Leg numbness checker", "username": "leg_numbness_bot"}


@dataclass
class Call:
    path: str
    method: str
    params: Dict[str, Any]
    headers: Dict[str, str]


@dataclass
class FakeApi:
    url: str
    calls: List[Call] = field(default_factory=list)

    def of(self, method: str, **params: Any) -> List[Call]:
        """The calls of `method` whose parameters include `params` (compared as strings)."""
        return [c for c in list(self.calls) if c.method == method
                and all(str(c.params.get(k)) == str(v) for k, v in params.items())]

    def wait_for(self, method: str, count: int = 1, timeout: float = 60, **params: Any) -> List[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.of(method, **params)) >= count:
                return self.of(method, **params)
            time.sleep(0.1)
        raise AssertionError(f"{method}{params} was called {len(self.of(method, **params))} times, expected {count}")

    def clear(self) -> None:
        self.calls.clear()


def _params(handler: BaseHTTPRequestHandler) -> Dict[str, Any]:
    body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0)).decode()
    if "json" in (handler.headers.get("Content-Type") or ""):
        return json.loads(body or "{}")
    params: Dict[str, Any] = dict(parse_qsl(body))
    for key in ("reply_markup", "allowed_updates"):
        if key in params:
            params[key] = json.loads(params[key])
    return params


def _slack_reply(method: str, params: Dict[str, Any]) -> Dict[str, Any]:
    return {"ok": True, "channel": params.get("channel"), "ts": f"{time.time():.6f}"}


def _telegram_reply(method: str, params: Dict[str, Any]) -> Dict[str, Any]:
    if method == "getMe":
        return {"ok": True, "result": BOT_USER}
    if method in {"sendMessage", "editMessageReplyMarkup"}:
        chat = {"id": int(params.get("chat_id", 0)), "type": "private"}
        return {"ok": True, "result": {"message_id": int(time.time() * 1000) % 10**9, "date": int(time.time()),
                                       "chat": chat, "from": BOT_USER, "text": params.get("text", "")}}
    return {"ok": True, "result": True}


@contextmanager
def _serve(path_to_method: Callable[[str], str], reply: Callable[[str, Dict], Dict], prefix: str) -> Iterator[FakeApi]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    api = FakeApi(f"http://127.0.0.1:{server.server_address[1]}{prefix}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            method = path_to_method(self.path)
            params = _params(self)
            api.calls.append(Call(self.path, method, params, {k.lower(): v for k, v in self.headers.items()}))
            body = json.dumps(reply(method, params)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, *args: Any) -> None:
            """Silent: the tests read the recorded calls, not the access log."""

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def fake_slack() -> Iterator[FakeApi]:
    """Slack Web API: POST /api/<method>."""
    with _serve(lambda path: path.split("?")[0].rsplit("/", 1)[-1], _slack_reply, "/api/") as api:
        yield api


@contextmanager
def fake_telegram() -> Iterator[FakeApi]:
    """Telegram Bot API: POST /bot<token>/<method> (the token is in each call's `path`)."""

    def method_of(path: str) -> str:
        return path.split("?")[0].rsplit("/", 1)[-1]

    with _serve(method_of, _telegram_reply, "") as api:
        yield api
