"""Each speed-up replaces one Rasa method in this process, once, and can be taken back."""
from __future__ import annotations

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.models import RasaModel

from bot.serving import action_validation, fast_json, model_loading, speedups, state_memo

ADAPTERS = [(action_validation, RemoteAction, "_validate_action_result"),
            (state_memo, Domain, "states_for_tracker_history"),
            (model_loading, RasaModel, "load"),
            (fast_json, EndpointConfig, "request")]


def current(owner, name):
    return owner.__dict__[name]


@pytest.mark.parametrize(("adapter", "owner", "name"), ADAPTERS)
def test_installing_twice_keeps_one_adapter_and_uninstalling_restores_rasas(adapter, owner, name):
    rasas = current(owner, name)
    try:
        adapter.install()
        installed = current(owner, name)
        assert installed is not rasas
        adapter.install()
        assert getattr(current(owner, name), "__func__", current(owner, name)) is getattr(
            installed, "__func__", installed)
    finally:
        adapter.uninstall()
    assert getattr(current(owner, name), "__func__", current(owner, name)) is getattr(rasas, "__func__", rasas)


def test_the_server_gets_every_speed_up():
    before = [current(owner, name) for _, owner, name in ADAPTERS]
    try:
        speedups.install()
        assert all(current(owner, name) is not old for (_, owner, name), old in zip(ADAPTERS, before, strict=True))
    finally:
        for adapter, _, _ in ADAPTERS:
            adapter.uninstall()
