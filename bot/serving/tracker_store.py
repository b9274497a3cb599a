"""Rasa's SQL tracker store, with connections tested before use (`pool_pre_ping`).

After the database restarts, every pooled connection is dead; Rasa's store would fail one turn per
server before SQLAlchemy notices. With a ping first, a turn after the restart just works. Used by
endpoints.production.yml (`type: bot.serving.tracker_store.SQLTrackerStore`), same settings as `type: SQL`.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core import tracker_store


class SQLTrackerStore(tracker_store.SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **tracker_store.create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
