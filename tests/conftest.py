"""Shared fixtures. Under CI (CI=true) a missing service fails the test instead of skipping it."""
from __future__ import annotations

import os
import socket
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
KB_DIR = ROOT / "data" / "kb"
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


def skip_or_fail(reason: str) -> None:
    """Skip with a stated reason; under CI a missing prerequisite is a failure, not a skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def new_postgres_database(prefix: str) -> Iterator[str]:
    """A database of its own on the machine's PostgreSQL (dropped afterwards); yields its SQLAlchemy URL."""
    from sqlalchemy import create_engine, text

    if not port_open("127.0.0.1", 5432):
        skip_or_fail("PostgreSQL is not listening on 127.0.0.1:5432")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def knowledge_base():
    from bot.kb.yaml_loader import read_knowledge_base

    return read_knowledge_base(KB_DIR)
