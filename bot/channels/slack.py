"""Slack: Rasa's connector, configured from the environment, rendering the contracts with Block Kit.

Settings (docs/channels.md): SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET turn it on; SLACK_CHANNEL,
SLACK_USE_THREADS, SLACK_CONVERSATION_GRANULARITY and SLACK_API_URL (another Web API base, e.g. a
test server) are optional.

A pressed button's message is updated through Slack's `response_url`: its buttons give way to the answer
chosen ("You answered: Yes"), so an old question can't be answered twice.

Request checks: Rasa's HMAC signature over `v0:timestamp:body` with a five-minute window, plus what it
lacks: a signature already seen inside that window is a replay and is refused (400) too, on every server
when several share Redis (bot/channels/seen.py), and Slack's URL verification gets its challenge back as
plain text (Rasa answers a JSON string).
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.contracts import AssessmentView, BotMessage
from bot.channels.seen import SeenOnce
from bot.channels.settings import ChannelOff, flag, missing
from bot.contracts import ASSESSMENT, EMERGENCY

logger = logging.getLogger(__name__)

REQUIRED = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
REPLAY_WINDOW_SECONDS = 60 * 5
SECTION_LIMIT = 3000  # characters in one Block Kit section
EVIDENCE_MARKS = {"present": "✓", "absent": "✗", "unknown": "?"}


def escape(text: str) -> str:
    """Slack's mrkdwn treats &, < and > as markup: a person's words must not become links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(markdown: str) -> List[Dict[str, Any]]:
    chunks = [markdown[i : i + SECTION_LIMIT] for i in range(0, len(markdown), SECTION_LIMIT)] or [""]
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in chunks if chunk.strip()]


def actions(buttons: List[Dict[str, str]]) -> List[Dict[str, Any]]:
    if not buttons:
        return []
    elements = [
        {
            "type": "button",
            "action_id": f"answer_{index}",
            "text": {"type": "plain_text", "text": button["title"][:75], "emoji": True},
            "value": button["payload"][:2000],
        }
        for index, button in enumerate(buttons[:25])
    ]
    return [{"type": "actions", "elements": elements}]


def assessment_blocks(payload: Dict[str, Any]) -> List[Dict[str, Any]]:
    view = AssessmentView.from_payload(payload)
    blocks: List[Dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": view.heading}},
        *section(f"*{escape(view.urgency)}*"),
    ]
    if view.causes:
        causes = "\n".join(f"{n}. {escape(c.name)}: *{escape(c.likelihood)}* ({c.percent}%)  `{c.bar}`"
                           + (f"\n      _{escape(c.reasons)}_" if c.reasons else "")
                           for n, c in enumerate(view.causes, 1))
        blocks += section(f"*Possible causes, most likely first*\n{causes}")
    if view.understood:
        understood = "\n".join(f"{EVIDENCE_MARKS[u.choice]} {escape(u.name)}: {u.words}" for u in view.understood)
        blocks += section(f"*What I understood*\n{understood}")
    if view.advice:
        blocks += section(f"*What to do*\n{escape(view.advice)}")
    return blocks


def render(message: BotMessage) -> List[Dict[str, Any]]:
    """The chat.postMessage arguments (less the channel) for one bot message, in the order to send them."""
    if message.kind == EMERGENCY:
        # First and plain: the whole instruction in the notification, no markup that could hide it.
        posts: List[Dict[str, Any]] = [{"text": f"🚨 {message.text}"}]
        if message.buttons:
            posts.append({"text": "When you have called for help:", "blocks": actions(message.buttons)})
        return posts
    if message.kind == ASSESSMENT:
        view = AssessmentView.from_payload(message.payload)
        return [{"text": f"{view.heading}: {view.urgency}",
                 "blocks": assessment_blocks(dict(message.payload)) + actions(message.buttons)}]
    if not message.text and not message.buttons:
        return []
    text = escape(message.text)
    return [{"text": text, "blocks": section(text) + actions(message.buttons)}]


class SlackRenderer(SlackBot):
    """Sends each bot message as native Slack messages; the raw `custom` JSON is never posted."""

    def __init__(self, token: Text, slack_channel: Optional[Text] = None, thread_id: Optional[Text] = None,
                 proxy: Optional[Text] = None, api_url: Optional[Text] = None) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_url:
            self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        channel = self.slack_channel or recipient_id
        for post in render(BotMessage.from_rasa(message)):
            await self._post_message(channel=channel, **post)
        if message.get("image"):
            await self.send_image_url(recipient_id, message["image"])


class SlackChannel(SlackInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        env = os.environ
        absent = missing(REQUIRED, env)
        if absent:
            return ChannelOff(cls.name(), absent)
        channel = cls(
            env["SLACK_BOT_TOKEN"],
            env.get("SLACK_CHANNEL") or None,
            slack_retry_reason_header="x-slack-retry-reason",
            slack_retry_number_header="x-slack-retry-num",
            use_threads=flag(env.get("SLACK_USE_THREADS")),
            slack_signing_secret=env["SLACK_SIGNING_SECRET"],
            conversation_granularity=env.get("SLACK_CONVERSATION_GRANULARITY") or "sender",
        )
        channel.api_url = env.get("SLACK_API_URL") or None
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url: Optional[str] = None
        self._seen = SeenOnce.from_environment()
        self._background: Set[asyncio.Task] = set()

    def is_request_from_slack_authentic(self, request: Request) -> bool:
        """Rasa's signature and timestamp check, then a replay check; decided once per request."""
        if getattr(request.ctx, "slack_authentic", None) is None:
            request.ctx.slack_authentic = super().is_request_from_slack_authentic(request) and self._first_seen(
                request.headers.get("X-Slack-Signature", "")
            )
        return request.ctx.slack_authentic

    def _first_seen(self, signature: str) -> bool:
        if self._seen.first_time(f"slack:{signature}", 2 * REPLAY_WINDOW_SECONDS):
            return True
        logger.warning("Refused a replayed Slack request.")
        return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def url_verification(request: Request) -> Any:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            if request.headers.get("content-type") != "application/json":
                return None
            body = request.json if request.body else None
            if not isinstance(body, dict) or body.get("type") != "url_verification":
                return None
            if not self.is_request_from_slack_authentic(request):
                return response.text("Not signed by Slack.", status=HTTPStatus.BAD_REQUEST)
            return response.text(str(body.get("challenge", "")))

        return webhook

    async def process_message(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              text: Text, sender_id: Optional[Text], metadata: Optional[Dict]) -> Any:
        if request.headers.get("content-type") == "application/x-www-form-urlencoded":
            self._answered_in_place(json.loads(request.form["payload"][0]))
        return await super().process_message(request, on_new_message, text, sender_id, metadata)

    def _answered_in_place(self, payload: Dict[str, Any]) -> None:
        """Replaces a pressed button's message with its text and the answer chosen, in the background."""
        url, message, action = payload.get("response_url"), payload.get("message") or {}, payload["actions"][0]
        if not url or not message.get("blocks"):
            return
        chosen = (action.get("text") or {}).get("text") or action.get("value", "")
        kept = [block for block in message["blocks"] if block.get("type") != "actions"]
        update = {"replace_original": True, "text": message.get("text", ""),
                  "blocks": kept + [{"type": "context", "elements": [
                      {"type": "mrkdwn", "text": f"You answered: *{escape(chosen)}*"}]}]}

        async def post() -> None:
            try:
                async with aiohttp.ClientSession() as session, session.post(url, json=update) as answer:
                    answer.raise_for_status()
            except Exception as error:  # the conversation goes on; only the old buttons stay
                logger.debug("Could not update a pressed Slack button's message: %s", error)

        task = asyncio.ensure_future(post())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        return SlackRenderer(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url)
