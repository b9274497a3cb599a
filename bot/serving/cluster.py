"""The reference topology on one machine: N Rasa servers and M action servers behind HAProxy, with the
cluster's own PostgreSQL (tracker store and knowledge base) and Redis (lock store) in a temporary folder.

`python -m bot.serving.cluster up [--rasa N] [--actions M]` starts it and leaves it running (`make cluster`);
`python -m bot.serving.cluster down` stops all of it and removes the folder (`make cluster-down`). The
state (folder, ports, process ids) is kept in var/cluster.json. The fault test drives the same `Cluster`
object: it kills and restarts servers, stops Redis and restarts PostgreSQL (bot/serving/faults.py).

Every server runs as a clinic would run it: `python -m bot.serving run` with endpoints.production.yml and
credentials.yml, `rasa run actions`, and HAProxy with deploy/haproxy.cfg.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import requests

from bot.channels.flood import DEFAULT_RATE_PER_SENDER, RATE_LIMITED_FILE

ROOT = Path(__file__).resolve().parents[2]
STATE_FILE = ROOT / "var" / "cluster.json"
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
MODEL = ROOT / "models" / "current.tar.gz"
PYTHON = Path(sys.executable)
RASA = PYTHON.parent / "rasa"
POSTGRES_USER = "postgres"
TRACKER_DB, KB_DB = "tracker", "kb"
RATE_PER_IP = 60  # messages and socket.io requests per client address in 10 seconds
LOCK_LIFETIME_SECONDS = 20  # a lock left by a killed server expires after this (Rasa's default: 60)


class ClusterError(RuntimeError):
    """A part of the cluster did not start; the message names its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path:
    """Debian keeps initdb and pg_ctl in /usr/lib/postgresql/<version>/bin, off the PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ClusterError("PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
                       "apt-get install postgresql")


@dataclass
class ClusterState:
    folder: str
    lb_port: int
    actions_lb_port: int
    stats_port: int
    postgres_port: int
    redis_port: int
    rasa_ports: List[int]
    actions_ports: List[int]
    model: str
    pids: Dict[str, int] = field(default_factory=dict)  # process name -> pid (postgres has its own pid file)


class Cluster:
    def __init__(self, state: ClusterState, state_file: Optional[Path] = STATE_FILE):
        self.state = state
        self.state_file = state_file
        self.folder = Path(state.folder)

    # --- creating, finding, describing ---

    @classmethod
    def new(cls, rasa: int = 2, actions: int = 2, model: Path = MODEL,
            state_file: Optional[Path] = STATE_FILE) -> "Cluster":
        if not Path(model).exists():
            raise ClusterError(f"no trained model at {model}: run `make train`")
        folder = Path(tempfile.mkdtemp(prefix="leg-numbness-cluster-"))
        folder.chmod(0o755)  # PostgreSQL runs as its own user when we are root
        state = ClusterState(
            folder=str(folder), lb_port=free_port(), actions_lb_port=free_port(), stats_port=free_port(),
            postgres_port=free_port(), redis_port=free_port(), rasa_ports=[free_port() for _ in range(rasa)],
            actions_ports=[free_port() for _ in range(actions)], model=str(Path(model).resolve()))
        return cls(state, state_file)

    @classmethod
    def existing(cls, state_file: Path = STATE_FILE) -> Optional["Cluster"]:
        if not state_file.exists():
            return None
        return cls(ClusterState(**json.loads(state_file.read_text())), state_file)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.state.lb_port}"

    @property
    def postgres_url(self) -> str:
        return f"postgresql+psycopg2://{POSTGRES_USER}@127.0.0.1:{self.state.postgres_port}"

    @property
    def tracker_url(self) -> str:
        return f"{self.postgres_url}/{TRACKER_DB}"

    @property
    def rasa_urls(self) -> List[str]:
        return [f"http://127.0.0.1:{port}" for port in self.state.rasa_ports]

    def summary(self) -> str:
        s = self.state
        return "\n".join([
            f"The cluster is running (folder {s.folder}, logs in {s.folder}/logs):",
            f"  assistant (HAProxy): {self.url}  e.g. curl -s {self.url}/webhooks/rest/webhook "
            "-d '{\"sender\": \"me\", \"message\": \"hi\"}'",
            f"  web widget demo:     {self.url}/webhooks/widget/demo",
            f"  HAProxy stats:       http://127.0.0.1:{s.stats_port}/",
            f"  Rasa servers:        {', '.join(self.rasa_urls)}",
            f"  action servers:      {', '.join(f'http://127.0.0.1:{p}' for p in s.actions_ports)} "
            f"(called through http://127.0.0.1:{s.actions_lb_port})",
            f"  PostgreSQL:          {self.tracker_url} (tracker store), {self.postgres_url}/{KB_DB} (KB)",
            f"  Redis (lock store):  127.0.0.1:{s.redis_port}",
            "Stop it with `make cluster-down`.",
        ])

    # --- the whole cluster ---

    def start(self) -> None:
        (self.folder / "logs").mkdir(exist_ok=True)
        self._save()
        self.start_postgres(initialise=True)
        self._create_databases()
        self.start_redis()
        for index in range(len(self.state.actions_ports)):
            self.start_actions(index, wait=False)
        self.start_haproxy()
        for index in range(len(self.state.rasa_ports)):
            self.start_rasa(index, wait=False)
        for index in range(len(self.state.actions_ports)):
            self._wait(f"http://127.0.0.1:{self.state.actions_ports[index]}/health", f"actions{index + 1}")
        for index in range(len(self.state.rasa_ports)):
            self._wait(f"{self.rasa_urls[index]}/webhooks/rest/", f"rasa{index + 1}", timeout=600)
        self._wait(f"{self.url}/webhooks/rest/", "haproxy")

    def stop(self) -> None:
        """Stops every process (also those a fault test left stopped) and removes the folder."""
        for name in [n for n in self.state.pids if n.startswith("rasa")] + \
                    [n for n in self.state.pids if not n.startswith("rasa")]:
            self._stop_process(name)
        self.stop_postgres()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.state_file and self.state_file.exists():
            self.state_file.unlink()

    # --- the parts, one by one (the fault test uses these) ---

    def start_postgres(self, initialise: bool = False) -> None:
        data = self.folder / "postgres"
        if initialise:
            data.mkdir()
            self._own_by_postgres(data)
            self._postgres_command("initdb", "-D", str(data), "-U", POSTGRES_USER, "--auth=trust",
                                   "--no-sync", "-E", "UTF8")
            config = data / "postgresql.conf"
            with config.open("a") as handle:  # a throwaway database: speed over durability
                handle.write("\nfsync = off\nsynchronous_commit = off\nmax_connections = 300\n")
        log = self.folder / "logs" / "postgres.log"
        if not log.exists():
            log.touch()
            self._own_by_postgres(log)
        self._postgres_command("pg_ctl", "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                               f"-p {self.state.postgres_port} -c listen_addresses=127.0.0.1 "
                               f"-c unix_socket_directories={data}", "start")

    def stop_postgres(self) -> None:
        data = self.folder / "postgres"
        if (data / "postmaster.pid").exists():
            self._postgres_command("pg_ctl", "-D", str(data), "-w", "-m", "fast", "stop", check=False)

    def restart_postgres(self) -> None:
        self._postgres_command("pg_ctl", "-D", str(self.folder / "postgres"), "-w", "-m", "fast", "restart",
                               "-l", str(self.folder / "logs" / "postgres.log"))

    def start_redis(self) -> None:
        self._spawn("redis", [shutil.which("redis-server") or "redis-server", "--port", str(self.state.redis_port),
                              "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                              "--dir", str(self.folder)])
        self._wait_for_port(self.state.redis_port, "redis")

    def stop_redis(self) -> None:
        self._stop_process("redis")

    def start_actions(self, index: int, wait: bool = True) -> None:
        port = self.state.actions_ports[index]
        self._spawn(f"actions{index + 1}", [str(RASA), "run", "actions", "--port", str(port)])
        if wait:
            self._wait(f"http://127.0.0.1:{port}/health", f"actions{index + 1}")

    def start_rasa(self, index: int, wait: bool = True) -> None:
        port = self.state.rasa_ports[index]
        self._spawn(f"rasa{index + 1}", [
            str(PYTHON), "-m", "bot.serving", "run", "--model", self.state.model, "--port", str(port),
            "--endpoints", str(ROOT / "endpoints.production.yml"), "--credentials", str(ROOT / "credentials.yml")])
        if wait:
            self._wait(f"{self.rasa_urls[index]}/webhooks/rest/", f"rasa{index + 1}", timeout=600)

    def start_haproxy(self) -> None:
        config = self.folder / "haproxy.cfg"
        config.write_text(haproxy_config(HAPROXY_CONFIG.read_text(), {
            "rasa": [f"127.0.0.1:{p}" for p in self.state.rasa_ports],
            "actions": [f"127.0.0.1:{p}" for p in self.state.actions_ports]}))
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        check = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], env=self.environment(),
                               capture_output=True, text=True)
        if check.returncode != 0:
            raise ClusterError(f"HAProxy refuses {config}: {check.stdout}{check.stderr}")
        self._spawn("haproxy", [haproxy, "-db", "-f", str(config)])

    def kill(self, name: str) -> None:
        """`kill -9` one process (rasa1, actions2, ...), as a crash would."""
        pid = self.state.pids.pop(name)
        self._save()
        os.kill(pid, signal.SIGKILL)

    # --- environment and helpers ---

    def environment(self) -> Dict[str, str]:
        s = self.state
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": str(s.postgres_port), "TRACKER_DB_NAME": TRACKER_DB,
            "TRACKER_DB_USER": POSTGRES_USER, "TRACKER_DB_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(s.redis_port),
            "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
            "ACTION_SERVER_URL": f"http://127.0.0.1:{s.actions_lb_port}/webhook",
            "KB_DATABASE_URL": f"{self.postgres_url}/{KB_DB}",
            "LB_BIND": f"127.0.0.1:{s.lb_port}", "ACTIONS_LB_BIND": f"127.0.0.1:{s.actions_lb_port}",
            "LB_STATS_BIND": f"127.0.0.1:{s.stats_port}",
            "RATE_PER_IP": os.environ.get("RATE_PER_IP", str(RATE_PER_IP)),
            "RATE_PER_SENDER": os.environ.get("RATE_PER_SENDER", str(DEFAULT_RATE_PER_SENDER)),
            "RATE_LIMITED_FILE": str(RATE_LIMITED_FILE),
        }

    def _create_databases(self) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(f"{self.postgres_url}/postgres", isolation_level="AUTOCOMMIT", future=True)
        with engine.connect() as connection:
            for database in (TRACKER_DB, KB_DB):
                connection.execute(text(f'CREATE DATABASE "{database}"'))
        engine.dispose()
        with open(self.folder / "logs" / "kb-load.log", "w") as log:
            code = subprocess.call([str(PYTHON), "-m", "bot", "kb", "load", "--url", f"{self.postgres_url}/{KB_DB}"],
                                   cwd=ROOT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT)
        if code != 0:
            raise ClusterError(f"loading the knowledge base failed: see {self.folder}/logs/kb-load.log")

    def _spawn(self, name: str, command: Sequence[str]) -> None:
        log = (self.folder / "logs" / f"{name}.log").open("a")
        process = subprocess.Popen(list(command), cwd=ROOT, env=self.environment(), stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.state.pids[name] = process.pid
        self._save()

    def _stop_process(self, name: str) -> None:
        pid = self.state.pids.pop(name, None)
        self._save()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)

    def _postgres_command(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(postgres_bin() / program), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", POSTGRES_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if check and result.returncode != 0:
            raise ClusterError(f"{program} failed: {result.stdout}{result.stderr}"
                               f" (log: {self.folder}/logs/postgres.log)")

    def _own_by_postgres(self, path: Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(path, POSTGRES_USER, POSTGRES_USER)

    def _wait(self, url: str, name: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid = self.state.pids.get(name)
            if pid is not None and not _alive(pid):
                raise ClusterError(f"{name} stopped while starting: see {self.folder}/logs/{name}.log")
            try:
                if requests.get(url, timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise ClusterError(f"{name} did not answer at {url} within {timeout:.0f} s: see {self.folder}/logs/")

    def _wait_for_port(self, port: int, name: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.2)
        raise ClusterError(f"{name} did not listen on port {port}: see {self.folder}/logs/{name}.log")

    def _save(self) -> None:
        if self.state_file:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            self.state_file.write_text(json.dumps(asdict(self.state), indent=2))


def haproxy_config(template: str, servers: Dict[str, List[str]]) -> str:
    """deploy/haproxy.cfg with a `server` line per address where `#@ servers <group>` stands."""
    lines = []
    for line in template.splitlines():
        marker = line.strip().split()
        if marker[:2] == ["#@", "servers"]:
            indent = line[: len(line) - len(line.lstrip())]
            group = marker[2]
            lines += [f"{indent}server {group}{n} {address}" for n, address in enumerate(servers[group], 1)]
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _alive(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)  # reaps our own children
        if finished == pid:
            return False
    except ChildProcessError:
        pass  # started by another process (make cluster, then make cluster-down)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.serving.cluster", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start the cluster and leave it running")
    up.add_argument("--rasa", type=int, default=int(os.environ.get("RASA_SERVERS", 2)))
    up.add_argument("--actions", type=int, default=int(os.environ.get("ACTION_SERVERS", 2)))
    up.add_argument("--model", type=Path, default=MODEL)
    commands.add_parser("down", help="stop the cluster and remove its folder")
    commands.add_parser("status", help="say where the running cluster is")
    args = parser.parse_args(argv)

    running = Cluster.existing()
    if args.command == "up":
        if running:
            print(f"A cluster is already running:\n{running.summary()}")
            return 0
        cluster = Cluster.new(args.rasa, args.actions, args.model)
        print(f"Starting {args.rasa} Rasa server(s) and {args.actions} action server(s) in {cluster.folder} ...",
              flush=True)
        try:
            cluster.start()
        except (ClusterError, KeyboardInterrupt) as error:
            cluster.stop()
            print(f"The cluster did not start: {error}", file=sys.stderr)
            return 1
        print(cluster.summary())
        return 0
    if running is None:
        print("No cluster is running.")
        return 0
    if args.command == "status":
        print(running.summary())
        return 0
    running.stop()
    print("The cluster is stopped and its folder removed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
