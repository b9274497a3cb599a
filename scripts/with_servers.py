"""Runs a command against a freshly started assistant: `python scripts/with_servers.py CMD ARGS...`.

Starts the action server and the Rasa server (models/current.tar.gz) on free ports with the KB
loaded into a temporary SQLite database, exports ASSISTANT_URL for the command, then stops both.
Used by `make evaluate`; any `{url}` in the arguments is replaced by the server's address.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.cli import main as bot_cli  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.e2e.servers import running_servers  # noqa: E402


def main(command: list) -> int:
    with tempfile.TemporaryDirectory(prefix="assistant-") as workdir:
        kb_url = f"sqlite:///{Path(workdir) / 'kb.sqlite3'}"
        if bot_cli(["kb", "load", "--url", kb_url]) != 0:
            return 1
        with running_servers(Path(workdir), free_port(), free_port(), kb_url) as servers:
            print(f"assistant at {servers.rasa_url}", flush=True)
            args = [part.replace("{url}", servers.rasa_url) for part in command]
            return subprocess.call(args, env={**os.environ, "ASSISTANT_URL": servers.rasa_url})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
