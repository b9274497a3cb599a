"""Slack and Telegram are configured from the environment only: credentials.yml holds no secret, a channel
without its variables stays off (503, naming what is missing), and a bad Telegram secret stops start-up."""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.core.run import create_http_input_channels
from rasa.shared.exceptions import InvalidConfigException

from bot.channels.settings import ChannelOff
from bot.channels.slack import SlackChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.widget import WidgetChannel
from tests.channels.harness import channel_env
from tests.conftest import ROOT

CREDENTIALS = str(ROOT / "credentials.yml")
VARIABLES = list(channel_env("http://s", "http://t"))


@pytest.fixture
def no_channel_env(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def by_prefix(channels):
    return {channel.url_prefix(): channel for channel in channels}


def test_without_secrets_the_server_starts_with_slack_and_telegram_off(no_channel_env):
    channels = by_prefix(create_http_input_channels(None, CREDENTIALS))
    assert isinstance(channels["widget"], WidgetChannel)
    assert isinstance(channels["slack"], ChannelOff) and isinstance(channels["telegram"], ChannelOff)
    assert channels["slack"].missing_variables == ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]

    blueprint = channels["telegram"].blueprint(on_new_message=None)
    [webhook] = [r for r in blueprint._future_routes if r.uri == "/webhook"]
    with ThreadPoolExecutor(1) as thread:  # its own event loop: Playwright's may be running in this one
        answer = thread.submit(asyncio.run, webhook.handler(None)).result()
    assert answer.status == 503
    assert json.loads(answer.body) == {"status": "off", "missing": [
        "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET_TOKEN"]}


def test_with_their_variables_set_both_are_on(no_channel_env, monkeypatch):
    for name, value in channel_env("http://127.0.0.1:9/api/", "http://127.0.0.1:9").items():
        monkeypatch.setenv(name, value)
    channels = by_prefix(create_http_input_channels(None, CREDENTIALS))
    assert isinstance(channels["slack"], SlackChannel) and isinstance(channels["telegram"], TelegramChannel)
    assert channels["slack"].slack_signing_secret == "test-signing-secret"


def test_a_telegram_secret_telegram_would_refuse_stops_start_up(no_channel_env, monkeypatch):
    for name, value in channel_env("http://s", "http://t").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TELEGRAM_SECRET_TOKEN", "has spaces & symbols")
    with pytest.raises(InvalidConfigException):
        create_http_input_channels(None, CREDENTIALS)

