"""scripts/supervise.sh, which `make run` uses for the action server: a process that dies is started again,
and its log says so; stopping the supervisor stops the process too."""
from __future__ import annotations

import os
import signal
import subprocess
import time

from tests.conftest import ROOT

SUPERVISE = ROOT / "scripts" / "supervise.sh"


def wait_until(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_dead_process_is_started_again_and_the_log_says_so(tmp_path):
    log, pid_file = tmp_path / "actions.log", tmp_path / "pid"
    # The supervised process writes its pid and waits, like a server.
    command = ["bash", "-c", f"echo $$ > {pid_file}; echo serving; exec sleep 600"]
    supervisor = subprocess.Popen([str(SUPERVISE), "fake server", str(log), *command], stderr=subprocess.PIPE,
                                  text=True, start_new_session=True)
    try:
        assert wait_until(lambda: pid_file.exists() and pid_file.read_text().strip())
        first = int(pid_file.read_text())
        os.kill(first, signal.SIGKILL)
        assert wait_until(lambda: pid_file.read_text().strip() not in ("", str(first)))
        second = int(pid_file.read_text())
        os.kill(second, 0)  # the new one is running
        assert "The fake server stopped (exit status 137); starting it again." in log.read_text()
        assert log.read_text().count("serving") == 2
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=20)
    assert "starting it again" in supervisor.stderr.read()  # said on the terminal of `make run` too
    assert wait_until(lambda: not _alive(second)), "stopping the supervisor stops the process"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
