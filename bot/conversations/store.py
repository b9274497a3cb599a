"""Reads the events of Rasa's SQL tracker store (`SQLTrackerStore`, table `events`) with SQLAlchemy Core.

Rasa writes one row per event: `id` (insertion order), `sender_id`, `type_name` ("user", "bot",
"action", "slot", "session_started", ...), `timestamp` (epoch seconds), `intent_name`,
`action_name` and `data`, the event's JSON (`Event.as_dict()`); see
rasa/core/tracker_store.py. The table is declared here rather than imported from Rasa so this
tool runs without loading Rasa, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import yaml
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, inspect, select
from sqlalchemy.engine import URL, Engine, make_url

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ENDPOINTS = ROOT / "endpoints.yml"
URL_VARIABLE = "TRACKER_STORE_URL"
# Rasa's SQL tracker store and ours on the same table (bot/serving/tracker_store.py), lower-cased.
SQL_STORE_TYPES = ("sql", "bot.serving.tracker_store.sqltrackerstore",
                   "bot.serving.tracker_store.incrementalsqltrackerstore")

metadata = MetaData()
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


class TrackerStoreError(RuntimeError):
    """The tracker store cannot be found or read; the message says what to do."""


@dataclass(frozen=True)
class StoredEvent:
    sender_id: str
    type_name: str
    timestamp: float
    data: Dict[str, Any]


def tracker_store_url(explicit: Optional[str] = None, endpoints: Optional[Path] = None) -> URL:
    """The store to read: `explicit`, else $TRACKER_STORE_URL, else the `tracker_store` of the endpoints file."""
    if explicit or (not endpoints and os.environ.get(URL_VARIABLE)):
        return make_url(explicit or os.environ[URL_VARIABLE])
    return url_from_endpoints(endpoints or DEFAULT_ENDPOINTS)


def url_from_endpoints(path: Path) -> URL:
    """The URL Rasa builds from an endpoints file's `tracker_store` (`SQLTrackerStore.get_db_url`).

    `${VARIABLES}` are read from the environment, as Rasa does. A relative SQLite path is taken
    relative to the endpoints file, which is where `make run` starts Rasa.
    """
    path = Path(path)
    if not path.exists():
        raise TrackerStoreError(f"{path} does not exist: pass --tracker-url or --endpoints")
    config = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tracker_store")
    if not config:
        raise TrackerStoreError(f"{path} has no tracker_store: Rasa kept conversations in memory only")
    config = {key: _with_environment(value, path) if isinstance(value, str) else value
              for key, value in config.items()}
    if str(config.get("type", "")).lower() not in SQL_STORE_TYPES:
        raise TrackerStoreError(f"the tracker store in {path} is of type {config.get('type')!r}; "
                                "only Rasa's SQL tracker store can be exported")
    dialect = config.get("dialect", "sqlite")
    host = config.get("url") or config.get("host")
    if host and "://" in str(host):
        return make_url(str(host))
    database = config.get("db", "rasa.db")
    if dialect == "sqlite":
        return URL.create("sqlite", database=str((path.parent / database).resolve()))
    port = config.get("port")
    return URL.create(dialect, username=config.get("username"), password=config.get("password"),
                      host=host, port=int(port) if port else None, database=database,
                      query=config.get("query") or {})


def _with_environment(text: str, path: Path) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise TrackerStoreError(f"{path} needs the environment variable {name}, which is not set")
        return os.environ[name]

    return re.sub(r"\$\{([^}]+)\}", value, text)


def connect(url: URL) -> Engine:
    """An engine on an existing tracker store; never creates an empty database by mistake."""
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        raise TrackerStoreError(f"no tracker store at {url.database}: has the assistant run with this endpoints "
                                "file (make run)? Or pass --tracker-url")
    connect_args = {}
    schema = os.environ.get("POSTGRESQL_SCHEMA")  # Rasa's own variable for a non-default schema
    if schema and url.get_backend_name() == "postgresql":
        connect_args["options"] = f"-csearch_path={schema}"
    engine = create_engine(url, future=True, connect_args=connect_args)
    try:
        has_events = inspect(engine).has_table("events")
    except Exception as error:  # noqa: BLE001 - any driver error means "cannot read", said in words
        raise TrackerStoreError(f"cannot connect to {safe_url(url)}: {error.__class__.__name__}: {error}") from error
    if not has_events:
        raise TrackerStoreError(f"{safe_url(url)} has no 'events' table: is it Rasa's SQL tracker store?")
    return engine


def safe_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def read_events(engine: Engine, since: float) -> Iterator[StoredEvent]:
    """Every event of every sender active since `since` (epoch seconds), by sender, in stored order.

    Whole histories are read, not only the recent rows, so a conversation that began before
    `since` is not cut in half; `sessions` keeps the conversations active since then.
    """
    active = select(events.c.sender_id).where(events.c.timestamp >= since).distinct()
    query = (
        select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data)
        .where(events.c.sender_id.in_(active))
        .order_by(events.c.sender_id, events.c.id)
    )
    with engine.connect() as connection:
        for row in connection.execution_options(stream_results=True).execute(query):
            try:
                data = json.loads(row.data) if row.data else {}
            except ValueError:
                data = {}
            yield StoredEvent(row.sender_id, row.type_name, row.timestamp or 0.0, data)
