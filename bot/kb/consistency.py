"""Do the trained model and the knowledge-base database hold the same KB?

The model keeps the KB it was trained on (the emergency policy's red-flag rules, the extractor's
vocabulary); the action server reads the database, which `kb load` can change without a retrain.
Both sides compare fingerprints (`KnowledgeBase.fingerprint`). On a mismatch they log an error
naming both and carry on, which is safe: the policy escalates on the model's red-flag rules and
the engine puts its triage floor on the database's, so the stricter of the two applies. Retrain
(`make train`) or reload the KB that was trained on to clear it (docs/operations.md).
"""
from __future__ import annotations

import logging
from typing import Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.kb.database import database_url, engine_for
from bot.kb.store import stored_content_hash

logger = logging.getLogger(__name__)


def mismatch(model_fingerprint: Optional[str], database_fingerprint: Optional[str]) -> Optional[str]:
    """The error to log when both fingerprints are known and differ, else None."""
    if not model_fingerprint or not database_fingerprint or model_fingerprint == database_fingerprint:
        return None
    return (f"The trained model was built on knowledge base {model_fingerprint}, but the database holds "
            f"{database_fingerprint}. Emergencies escalate on the model's red-flag rules and assessments use the "
            f"database's, so the stricter applies; retrain (make train) or load the KB the model was trained on.")


def check_model_kb(model_fingerprint: Optional[str], who: str, url: Optional[str] = None) -> bool:
    """Compares the model's KB with the database's, if the database can be read; logs the outcome.
    False only on a known mismatch (an unreachable database is not one: the action server reports it)."""
    try:
        stored = stored_content_hash(engine_for(url or database_url()))
    except SQLAlchemyError as error:
        logger.info("%s could not read the knowledge-base database to compare KBs (%s).", who,
                    error.__class__.__name__)
        return True
    problem = mismatch(model_fingerprint, stored)
    if problem:
        logger.error("%s: %s", who, problem)
    return problem is None
