"""The action server's view of the knowledge base: read from the database once, re-read when it changes."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.kb.database import database_url, engine_for
from bot.kb.schema import KnowledgeBase
from bot.kb.store import read_stored_knowledge_base, stored_content_hash
from bot.triage.engine import TriageEngine

logger = logging.getLogger(__name__)
RECHECK_SECONDS = 30.0


class KnowledgeUnavailable(RuntimeError):
    """The knowledge-base database cannot be read."""


@dataclass(frozen=True)
class Knowledge:
    kb: KnowledgeBase
    engine: TriageEngine
    content_hash: str


class KnowledgeCache:
    """Holds one `Knowledge`; checks the stored content hash at most every RECHECK_SECONDS."""

    def __init__(self, url: Optional[str] = None):
        self._url = url
        self._lock = threading.Lock()
        self._knowledge: Optional[Knowledge] = None
        self._checked_at = 0.0

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
                self._knowledge = Knowledge(kb=kb, engine=TriageEngine(kb), content_hash=stored_hash)
                logger.info("Knowledge base %s [%s] loaded", kb.meta.version, stored_hash)
        except SQLAlchemyError as error:
            if self._knowledge is None:
                raise KnowledgeUnavailable(str(error.__class__.__name__)) from error
            logger.warning("Knowledge-base database unreachable; keeping version %s", self._knowledge.kb.meta.version)
        self._checked_at = time.monotonic()


knowledge_cache = KnowledgeCache()
