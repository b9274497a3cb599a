from __future__ import annotations

import pytest

from bot.cli import main as bot_cli
from tests.conftest import free_port, skip_or_fail
from tests.e2e.servers import MODEL, running_servers


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    """The trained assistant behind its real REST channel, with its own KB database."""
    if not MODEL.exists():
        skip_or_fail(f"no trained model at {MODEL}: run `make train`")
    workdir = tmp_path_factory.mktemp("assistant")
    kb_url = f"sqlite:///{workdir / 'kb.sqlite3'}"
    assert bot_cli(["kb", "load", "--url", kb_url]) == 0
    with running_servers(workdir, free_port(), free_port(), kb_url) as servers:
        yield servers
