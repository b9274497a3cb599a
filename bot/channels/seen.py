"""Remembers what was seen recently, so a replayed request is refused, on every server at once.

Behind a load balancer a replay can reach another server than the original: the memory is shared through
Redis when REDIS_HOST is set (the lock store's Redis, as in endpoints.production.yml), and kept in the
process otherwise (`make run`, one server). If Redis cannot be reached the request is let through and the
log says so: the signature and its five-minute window still hold, and a person's message is not lost.
"""
from __future__ import annotations

import logging
import os
import time
from typing import Dict, Mapping, Optional

logger = logging.getLogger(__name__)

KEY_PREFIX = "leg_numbness:seen:"
REDIS_DB = 1  # the lock store's database; keys of their own prefix


class SeenOnce:
    """`first_time(key, seconds)`: True the first time `key` is given within `seconds`, False after."""

    def __init__(self, redis_client: Optional[object] = None):
        self._redis = redis_client
        self._memory: Dict[str, float] = {}

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "SeenOnce":
        host = environ.get("REDIS_HOST", "").strip()
        if not host:
            return cls()
        import redis

        return cls(redis.Redis(host=host, port=int(environ.get("REDIS_PORT") or 6379), db=REDIS_DB,
                               password=environ.get("REDIS_PASSWORD") or None, socket_timeout=2,
                               socket_connect_timeout=2))

    @property
    def shared(self) -> bool:
        return self._redis is not None

    def first_time(self, key: str, seconds: float) -> bool:
        if self._redis is not None:
            try:
                return bool(self._redis.set(KEY_PREFIX + key, 1, nx=True, ex=max(1, int(seconds))))
            except Exception as error:  # noqa: BLE001 - any Redis failure: let it through, say so
                logger.warning("Redis unreachable for the replay check (%s); the request is let through.", error)
                return True
        now = time.time()
        self._memory = {k: t for k, t in self._memory.items() if now - t <= seconds}
        if key in self._memory:
            return False
        self._memory[key] = now
        return True
