"""Serving as `make run` does, in a scratch folder; and the memory of the processes that serve."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Optional

import psutil
import yaml

from bot.serving import local


def make_run_endpoints(workdir: Path, workers: int) -> str:
    """The endpoints `make run` gives `workers` workers, without the action endpoint (the caller
    names its own) and with a SQLite tracker store's database in `workdir`, as YAML."""
    config = yaml.safe_load(local.endpoints(workers, tracker_db=workdir / "tracker.sqlite3")) or {}
    config.pop("action_endpoint", None)
    return yaml.safe_dump(config, sort_keys=False)


def tree_rss(pid: int) -> dict[str, int]:
    """Resident memory (bytes) of a process and each of its descendants, by 'main PID' / 'child PID'
    (with several Sanic workers, the main process only starts them; each child serves)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return {}
    sizes = {}
    for process in processes:
        try:
            sizes[f"{'main' if process.pid == pid else 'child'} {process.pid}"] = process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return sizes


class PeakMemory:
    """Samples the resident memory of process trees every `interval` seconds and keeps each process's
    peak: `roots` and `peaks` are {contender: {server: ...}}, a root pid and {process: bytes}."""

    def __init__(self, roots: dict[str, dict[str, int]], interval: float = 1.0):
        self.roots, self.interval = roots, interval
        self.peaks: dict[str, dict[str, dict[str, int]]] = {
            who: {server: {} for server in servers} for who, servers in roots.items()}
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def sample(self) -> None:
        for who, servers in self.roots.items():
            for server, pid in servers.items():
                peaks = self.peaks[who][server]
                for name, rss in tree_rss(pid).items():
                    peaks[name] = max(rss, peaks.get(name, 0))

    def __enter__(self) -> "PeakMemory":
        def run() -> None:
            while not self._stop.wait(self.interval):
                self.sample()

        self.sample()
        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.sample()
