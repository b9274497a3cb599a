"""The per-sender rate limit for what HAProxy cannot see: messages inside an open widget websocket.

HAProxy limits REST messages per sender and requests per address (deploy/haproxy.cfg); a websocket's
frames pass it unseen. A socket.io session lives in one server process (sticky routing), so counting its
messages in that process is exact. The limit is HAProxy's, RATE_PER_SENDER messages per 10 s (default 20),
and the answer over it is HAProxy's 429 body, deploy/rate-limited.json.
"""
from __future__ import annotations

import json
import os
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any, Deque, Dict, List

RATE_LIMITED_FILE = Path(__file__).resolve().parents[2] / "deploy" / "rate-limited.json"
WINDOW_SECONDS = 10.0
DEFAULT_RATE_PER_SENDER = 20  # a person reads each question; a script clicking at once may send ~1 a second


def rate_limited_messages() -> List[Dict[str, Any]]:
    """What a person sending too fast is told (the body of HAProxy's 429)."""
    return json.loads(RATE_LIMITED_FILE.read_text(encoding="utf-8"))


class MessageRate:
    """At most `limit` messages per sender in any WINDOW_SECONDS."""

    def __init__(self, limit: int = 0):
        self.limit = limit or int(os.environ.get("RATE_PER_SENDER") or DEFAULT_RATE_PER_SENDER)
        self._sent: Dict[str, Deque[float]] = defaultdict(deque)

    def allows(self, sender: str) -> bool:
        now = time.monotonic()
        sent = self._sent[sender]
        while sent and now - sent[0] > WINDOW_SECONDS:
            sent.popleft()
        if len(sent) >= self.limit:
            return False
        sent.append(now)
        return True

    def forget(self, sender: str) -> None:
        self._sent.pop(sender, None)
