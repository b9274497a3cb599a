"""Starts the real action server and Rasa server (as `make run` does) on free ports, for end-to-end tests and
evaluations."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
BIN = Path(sys.executable).parent
DEFAULT_ENDPOINTS = "nlg:\n  type: bot.nlg.EmergencyPayloadNLG\n"


class Servers:
    def __init__(self, rasa_port: int, actions_port: int, workdir: Path, env: Dict[str, str]):
        self.rasa_url = f"http://127.0.0.1:{rasa_port}"
        self.actions_url = f"http://127.0.0.1:{actions_port}"
        self.actions_port = actions_port
        self.workdir = workdir
        self.env = env
        self.actions: Optional[subprocess.Popen] = None
        self.rasa: Optional[subprocess.Popen] = None

    def say(self, sender: str, message: str) -> List[dict]:
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}, timeout=60)
        response.raise_for_status()
        return response.json()

    def start_actions(self) -> None:
        self.actions = spawn([str(BIN / "rasa"), "run", "actions", "--port", str(self.actions_port)],
                              self.workdir / "actions.log", self.env)
        wait_for(f"{self.actions_url}/health", self.actions, self.workdir / "actions.log")

    def stop_actions(self) -> None:
        stop(self.actions)
        self.actions = None


@contextmanager
def running_servers(workdir: Path, rasa_port: int, actions_port: int, kb_url: str,
                    extra_env: Optional[Dict[str, str]] = None, model: Path = MODEL,
                    endpoints_extra: str = DEFAULT_ENDPOINTS) -> Iterator[Servers]:
    """The action server and the Rasa server (`model`). The endpoints name the action server, then
    `endpoints_extra` (YAML: the NLG, a tracker store, a lock store...); the tracker store defaults to memory."""
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n{endpoints_extra}')
    env = {**os.environ, "KB_DATABASE_URL": kb_url, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **(extra_env or {})}
    servers = Servers(rasa_port, actions_port, workdir, env)
    try:
        servers.start_actions()
        servers.rasa = spawn(
            [str(BIN / "python"), "-m", "bot.serving", "run", "--model", str(model), "--port", str(rasa_port),
             "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
            workdir / "rasa.log", env)
        wait_for(f"{servers.rasa_url}/", servers.rasa, workdir / "rasa.log", timeout=300)
        yield servers
    finally:
        stop(servers.rasa)
        servers.stop_actions()


def spawn(command: List[str], log: Path, env: Dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            response = requests.get(url, timeout=2)
            if response.ok:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{log.read_text()[-3000:]}")


def stop(process: Optional[subprocess.Popen]) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
