"""The cluster the serving tests share: started once (a few minutes), stopped after the last of them."""
from __future__ import annotations

import pytest

from bot.serving.cluster import Cluster, ClusterError
from tests.conftest import skip_or_fail
from tests.e2e.servers import MODEL

RATE_PER_IP = 300  # per 10 s: above what the tests' people send from 127.0.0.1 together


@pytest.fixture(scope="package")
def cluster(monkeypatch_package):
    if not MODEL.exists():
        skip_or_fail(f"no trained model at {MODEL}: run `make train`")
    monkeypatch_package.setenv("RATE_PER_IP", str(RATE_PER_IP))
    running = Cluster.new(rasa=2, actions=1, state_file=None)
    try:
        running.start()
    except ClusterError as error:
        running.stop()
        skip_or_fail(f"the cluster did not start: {error}")
    yield running
    running.stop()


@pytest.fixture(scope="package")
def monkeypatch_package():
    with pytest.MonkeyPatch.context() as patch:
        yield patch
