"""Rasa's Redis lock store, with the lock taken atomically: one turn at a time per conversation, across servers.

Rasa's `RedisLockStore` issues a ticket by reading the conversation's lock from Redis, adding a ticket and
writing it back. Two servers that take messages of one conversation at the same moment can both read "no
lock", both issue ticket 0 and both run the turn; the second save then drops or mangles the first's events
(RasaHQ/rasa#7921; tests/serving/test_cluster.py caught it). Here a turn holds a Redis lock taken with one
atomic `SET NX` with an expiry (redis-py's `Lock`), polled every 50 ms; a server that dies holding it frees
it after the lock lifetime (TICKET_LOCK_LIFETIME, as for Rasa's store). Same settings as `type: redis`.
"""
from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Text

from rasa.core import lock_store
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import LockNotOwnedError

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.05


class AtomicRedisLockStore(lock_store.RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Rasa builds a lock store named by its class path from the whole endpoint configuration."""
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = lock_store.LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_SECONDS) -> AsyncGenerator[Any, None]:
        turn = self.red.lock(f"{self.key_prefix}turn:{conversation_id}", timeout=lock_lifetime)
        deadline = time.monotonic() + 2 * lock_lifetime  # a holder that died has let go by then
        while not turn.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise lock_store.LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            await asyncio.sleep(POLL_SECONDS)
        try:
            yield turn
        finally:
            try:
                turn.release()
            except LockNotOwnedError:
                logger.warning("A turn took longer than the lock lifetime (%s s); raise TICKET_LOCK_LIFETIME.",
                               lock_lifetime)
