"""What the channel tests share: the channels' test environment, Slack request signing, Chromium,
and starting the scripted stub assistant (tests/channels/stub_assistant.py) in its own process."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional
from urllib.parse import urlencode

from tests.conftest import ROOT, skip_or_fail
from tests.e2e.servers import spawn, stop, wait_for

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WIDGET_JS = ROOT / "widget" / "dist" / "widget.js"
SCREENSHOTS = ROOT / "reports" / "screenshots"

SLACK_TOKEN = "xoxb-test-token"
SLACK_SECRET = "test-signing-secret"
TELEGRAM_TOKEN = "123456:TEST-token-for-the-fake-api"
TELEGRAM_SECRET = "test-secret_Token-123"
TELEGRAM_WEBHOOK = "https://bot.example.test/webhooks/telegram/webhook"


def channel_env(slack_api: str, telegram_api: str) -> Dict[str, str]:
    """Turns Slack and Telegram on, pointed at the local fake APIs."""
    return {
        "SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_API_URL": slack_api,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_WEBHOOK_URL": TELEGRAM_WEBHOOK, "TELEGRAM_API_URL": telegram_api,
    }


def slack_signature(body: bytes, timestamp: int, secret: str = SLACK_SECRET) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def slack_headers(body: bytes, content_type: str, timestamp: Optional[int] = None,
                  secret: str = SLACK_SECRET) -> Dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": slack_signature(body, timestamp, secret)}


def slack_message_event(text: str, channel: str, user: Optional[str] = None) -> bytes:
    """A direct message; the person is one per channel unless `user` says otherwise."""
    user = user or f"U{channel}"
    return json.dumps({
        "token": "unused", "team_id": "T0TEAM", "type": "event_callback", "event_id": f"Ev{time.time_ns()}",
        "authorizations": [{"user_id": "U0BOT"}],
        "event": {"type": "message", "channel_type": "im", "channel": channel, "user": user, "text": text,
                  "ts": f"{time.time():.6f}"},
    }).encode()


def slack_button_click(value: str, title: str, response_url: str, blocks: list, channel: str,
                       user: Optional[str] = None) -> bytes:
    """A press of a button of the message whose `blocks` are given, as Slack's interactivity request."""
    user = user or f"U{channel}"
    payload = {"type": "block_actions", "user": {"id": user}, "channel": {"id": channel},
               "response_url": response_url, "message": {"ts": f"{time.time():.6f}", "text": "", "blocks": blocks},
               "actions": [{"type": "button", "action_id": "answer_0", "value": value,
                            "text": {"type": "plain_text", "text": title}}]}
    return urlencode({"payload": json.dumps(payload)}).encode()


def telegram_message(text: str, chat_id: int = 777001) -> Dict:
    now = int(time.time())
    user = {"id": chat_id, "is_bot": False, "first_name": "Pat"}
    return {"update_id": now, "message": {"message_id": now % 100000, "date": now, "text": text,
                                          "chat": {"id": chat_id, "type": "private"}, "from": user}}


def telegram_button(data: str, chat_id: int = 777001) -> Dict:
    now = int(time.time())
    user = {"id": chat_id, "is_bot": False, "first_name": "Pat"}
    message = {"message_id": 55, "date": now, "text": "question", "chat": {"id": chat_id, "type": "private"}}
    return {"update_id": now + 1, "callback_query": {"id": f"cb{time.time_ns()}", "from": user, "data": data,
                                                     "chat_instance": "1", "message": message}}


def need_chromium():
    """Playwright driving Debian's Chromium; it never downloads a browser of its own."""
    if not CHROMIUM.exists():
        skip_or_fail(f"no Chromium at {CHROMIUM}: `apt-get install chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the Python package playwright is not installed: `make install`")
    if not WIDGET_JS.exists():
        skip_or_fail(f"the widget is not built ({WIDGET_JS}): `make widget`")
    return sync_playwright


@contextmanager
def stub_assistant(port: int, env: Dict[str, str], log: Path) -> Iterator[str]:
    """The real channels (credentials.yml) in front of scripted replies; yields the server's URL."""
    url = f"http://127.0.0.1:{port}"
    process = spawn([sys.executable, "-m", "tests.channels.stub_assistant", str(port)], log,
                    {**os.environ, "PYTHONPATH": str(ROOT), **env})
    try:
        wait_for(f"{url}/webhooks/widget/", process, log, timeout=90)
        yield url
    finally:
        stop(process)
