"""How `make run` serves on one machine: how many Sanic workers, and the endpoints they share.

One Sanic worker uses one core. Several workers of one Rasa server may only run together with a
shared lock store (two workers must never handle one conversation at once), so:

- with Redis reachable (`REDIS_HOST`, default 127.0.0.1; `REDIS_PORT`, default 6379), `make run`
  starts one worker per core (or `RASA_WORKERS`) and adds endpoints.production.yml's Redis lock
  store to endpoints.yml;
- without it, one worker with endpoints.yml as it is (an in-memory lock store).

    python -m bot.serving.local workers                # the number of workers to start
    python -m bot.serving.local endpoints WORKERS      # the endpoints for them, as YAML
                                                       # (the action server on $ACTIONS_PORT if set)

scripts/run.sh writes the endpoints to var/endpoints.yml; `make bench` serves the same way.
"""
from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Optional

import yaml

ROOT = Path(__file__).resolve().parents[2]
LOCAL, SHARED = ROOT / "endpoints.yml", ROOT / "endpoints.production.yml"


def redis_address() -> tuple[str, int]:
    return os.environ.get("REDIS_HOST", "127.0.0.1"), int(os.environ.get("REDIS_PORT", "6379"))


def redis_reachable(timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection(redis_address(), timeout=timeout) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def workers() -> int:
    """RASA_WORKERS, or one per core; one when no Redis lock store can be shared."""
    wanted = int(os.environ.get("RASA_WORKERS") or os.cpu_count() or 1)
    return wanted if wanted > 1 and redis_reachable() else 1


def endpoints(worker_count: int, tracker_db: Optional[Path] = None, actions_url: Optional[str] = None) -> str:
    """endpoints.yml, plus the shared Redis lock store for several workers. `actions_url` names
    another action server; `tracker_db` moves a SQLite tracker store's database."""
    config = yaml.safe_load(LOCAL.read_text(encoding="utf-8")) or {}
    if actions_url:
        config["action_endpoint"] = {**config.get("action_endpoint", {}), "url": actions_url}
    if worker_count > 1:
        host, port = redis_address()
        lock_store = dict(yaml.safe_load(SHARED.read_text(encoding="utf-8"))["lock_store"])
        config["lock_store"] = {**lock_store, "url": host, "port": port}
    store = config.get("tracker_store") or {}
    if tracker_db is not None and store.get("dialect", "sqlite") == "sqlite":
        store["db"] = str(tracker_db)
    return yaml.safe_dump(config, sort_keys=False)


def main(argv: list[str]) -> int:
    if argv[:1] == ["workers"]:
        print(workers())
        return 0
    if argv[:1] == ["endpoints"] and len(argv) == 2:
        port = os.environ.get("ACTIONS_PORT")
        print(endpoints(int(argv[1]), actions_url=f"http://localhost:{port}/webhook" if port else None), end="")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
