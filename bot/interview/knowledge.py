"""The knowledge base as the action server uses it: read from the database once, re-read when it changes."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.interview.interview import Interview
from bot.interview.render import Renderer
from bot.kb.consistency import mismatch
from bot.kb.database import database_url, engine_for
from bot.kb.schema import KnowledgeBase
from bot.kb.store import read_stored_knowledge_base, stored_content_hash

logger = logging.getLogger(__name__)
RECHECK_SECONDS = 30.0


class KnowledgeUnavailable(RuntimeError):
    """The knowledge-base database cannot be read."""


@dataclass(frozen=True)
class Knowledge:
    kb: KnowledgeBase
    interview: Interview  # escalation is left to the emergency policy, which answers before any action
    renderer: Renderer
    content_hash: str

    @classmethod
    def of(cls, kb: KnowledgeBase, content_hash: str) -> "Knowledge":
        return cls(kb, Interview(kb), Renderer(kb), content_hash)


class KnowledgeCache:
    """Holds one `Knowledge`; checks the stored content hash at most every RECHECK_SECONDS."""

    def __init__(self, url: Optional[str] = None):
        self._url = url
        self._lock = threading.Lock()
        self._knowledge: Optional[Knowledge] = None
        self._checked_at = 0.0
        self._told: set = set()

    def get(self) -> Knowledge:
        with self._lock:
            if self._knowledge is None or time.monotonic() - self._checked_at > RECHECK_SECONDS:
                self._refresh()
            return self._knowledge

    def _refresh(self) -> None:
        engine = engine_for(self._url or database_url())
        try:
            stored_hash = stored_content_hash(engine)
            if stored_hash is None:
                raise KnowledgeUnavailable("the knowledge base has not been loaded (python -m bot kb load)")
            if self._knowledge is None or self._knowledge.content_hash != stored_hash:
                kb = read_stored_knowledge_base(engine)
                self._knowledge = Knowledge.of(kb, stored_hash)
                logger.info("Knowledge base %s [%s] loaded", kb.meta.version, stored_hash)
        except SQLAlchemyError as error:
            if self._knowledge is None:
                raise KnowledgeUnavailable(str(error.__class__.__name__)) from error
            logger.warning("Knowledge-base database unreachable; keeping version %s", self._knowledge.kb.meta.version)
        self._checked_at = time.monotonic()

    def check_model(self, model_fingerprint: Optional[str], knowledge: Knowledge) -> None:
        """Logs, once per pair, a model trained on another KB than the database's (bot/kb/consistency.py)."""
        problem = mismatch(model_fingerprint, knowledge.content_hash)
        if problem and (model_fingerprint, knowledge.content_hash) not in self._told:
            self._told.add((model_fingerprint, knowledge.content_hash))
            logger.error("Action server: %s", problem)


knowledge_cache = KnowledgeCache()
