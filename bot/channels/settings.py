"""Channel settings come only from the environment, so no secret is ever written in credentials.yml.

A channel whose required variables are not all set stays off: its webhook answers 503 and says which
variables are missing (names only), and `make run` works without any Slack or Telegram secret.
"""
from __future__ import annotations

import logging
import os
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)


def missing(names: Sequence[str], environ: Mapping[str, str] = os.environ) -> List[str]:
    return [name for name in names if not environ.get(name, "").strip()]


def flag(value: Optional[str]) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


class ChannelOff(InputChannel):
    """Stands in for a channel whose environment is incomplete: nothing reaches the bot through it."""

    def __init__(self, channel_name: str, missing_variables: List[str]) -> None:
        self.channel_name = channel_name
        self.missing_variables = missing_variables
        logger.info("The %s channel is off: set %s to turn it on.", channel_name, ", ".join(missing_variables))

    def url_prefix(self) -> str:
        return self.channel_name

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        off = Blueprint(f"{self.channel_name}_off", __name__)
        body: Dict[str, Any] = {"status": "off", "missing": self.missing_variables}

        @off.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json(body, status=HTTPStatus.SERVICE_UNAVAILABLE)

        @off.route("/webhook", methods=["GET", "POST"])
        async def webhook(_: Request) -> HTTPResponse:
            return response.json(body, status=HTTPStatus.SERVICE_UNAVAILABLE)

        return off
