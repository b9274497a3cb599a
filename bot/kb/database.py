"""Where the knowledge base database lives: `KB_DATABASE_URL`, or an SQLite file by default."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

DEFAULT_SQLITE_PATH = Path(__file__).resolve().parents[2] / "var" / "kb.sqlite3"


def database_url() -> str:
    return os.environ.get("KB_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def _enable_sqlite_foreign_keys(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
