"""How `make run` serves: one worker per core with a shared Redis lock store, else one worker."""
from __future__ import annotations

import os

import pytest
import yaml

from bot.serving import local
from tests.conftest import free_port, port_open, skip_or_fail


@pytest.fixture
def redis(monkeypatch):
    monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("REDIS_PORT", "6379")
    if not port_open("127.0.0.1", 6379):
        skip_or_fail("Redis is not listening on 127.0.0.1:6379")


def test_with_redis_there_is_one_worker_per_core_or_as_many_as_asked(redis, monkeypatch):
    monkeypatch.delenv("RASA_WORKERS", raising=False)
    assert local.workers() == (os.cpu_count() or 1)
    monkeypatch.setenv("RASA_WORKERS", "3")
    assert local.workers() == 3


def test_without_redis_there_is_one_worker(monkeypatch):
    monkeypatch.setenv("REDIS_PORT", str(free_port()))
    monkeypatch.setenv("RASA_WORKERS", "4")
    assert not local.redis_reachable()
    assert local.workers() == 1


def test_several_workers_share_the_production_lock_store_on_the_redis_named(monkeypatch):
    monkeypatch.setenv("REDIS_HOST", "10.0.0.5")
    monkeypatch.setenv("REDIS_PORT", "6380")
    config = yaml.safe_load(local.endpoints(2))
    production = yaml.safe_load(local.SHARED.read_text())["lock_store"]
    assert config["lock_store"] == {**production, "url": "10.0.0.5", "port": 6380}
    assert config["tracker_store"] == yaml.safe_load(local.LOCAL.read_text())["tracker_store"]


def test_one_worker_serves_with_endpoints_yml_as_it_is():
    assert yaml.safe_load(local.endpoints(1)) == yaml.safe_load(local.LOCAL.read_text())


def test_the_action_server_port_can_be_changed(monkeypatch, capsys):
    monkeypatch.setenv("ACTIONS_PORT", "5155")
    assert local.main(["endpoints", "1"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["action_endpoint"]["url"] == "http://localhost:5155/webhook"
