"""Telegram: Rasa's connector, configured from the environment, with the secret-token check it lacks.

Settings (docs/channels.md): TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL (the public https address of
/webhooks/telegram/webhook) and TELEGRAM_SECRET_TOKEN turn it on; TELEGRAM_API_URL (another Bot API
base, e.g. a test server) is optional.

What this adds to Rasa's TelegramInput:
- the webhook is registered with `secret_token` (aiogram 2.15's `set_webhook` has no such parameter, so
  the raw setWebhook call is made), and every update must carry it in `X-Telegram-Bot-Api-Secret-Token`:
  without it, 403, and nothing reaches the bot. Rasa's own check (`verify`, a getMe call per update)
  proves nothing about the caller and is dropped.
- the webhook is set once the server runs, on its event loop (Rasa sets it with `asyncio.run` while
  building the app, leaving the bot's HTTP session on a closed loop), and a failure is logged, not fatal.
- native rendering: inline keyboards, an HTML assessment, the emergency first and in plain text; a
  pressed button is acknowledged and its keyboard removed so an old question can't be answered twice.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import json
import logging
import os
import re
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text

from aiogram import Bot
from aiogram.bot import api
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.contracts import AssessmentView, BotMessage
from bot.channels.settings import ChannelOff, missing
from bot.contracts import ASSESSMENT, EMERGENCY

logger = logging.getLogger(__name__)

REQUIRED = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET_TOKEN")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as a secret_token
CALLBACK_DATA_LIMIT = 64  # bytes
MESSAGE_LIMIT = 4096  # characters
EVIDENCE_MARKS = {"present": "✅", "absent": "❌", "unknown": "❔"}
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


def callback_data(button: Dict[str, str]) -> str:
    """Telegram refuses a whole message whose button data passes 64 bytes: compact the payload's JSON,
    and as a last resort send the button's title, which the NLU reads like typed text."""
    payload = button["payload"]
    if len(payload.encode()) > CALLBACK_DATA_LIMIT and "{" in payload:
        intent, _, entities = payload.partition("{")
        with contextlib.suppress(ValueError):
            payload = intent + json.dumps(json.loads("{" + entities), separators=(",", ":"))
    if len(payload.encode()) > CALLBACK_DATA_LIMIT:
        logger.warning("A button payload is too long for Telegram; its title is sent instead.")
        payload = button["title"].encode()[:CALLBACK_DATA_LIMIT].decode(errors="ignore")
    return payload


def keyboard(buttons: List[Dict[str, str]]) -> Optional[InlineKeyboardMarkup]:
    if not buttons:
        return None
    markup = InlineKeyboardMarkup()
    keys = [InlineKeyboardButton(b["title"], callback_data=callback_data(b)) for b in buttons]
    if len(keys) <= 4 and sum(len(b["title"]) for b in buttons) <= 30:
        markup.row(*keys)  # Yes / No / Not sure / Why ask? on one line
    else:
        for key in keys:
            markup.row(key)
    return markup


def assessment_html(payload: Dict[str, Any]) -> str:
    view = AssessmentView.from_payload(payload)
    parts = [f"<b>{html.escape(view.heading)}</b>", f"<b>{html.escape(view.urgency)}</b>"]
    if view.causes:
        causes = "\n".join(
            f"{n}. {html.escape(c.name)}: <b>{html.escape(c.likelihood)}</b> ({c.percent}%)\n<code>{c.bar}</code>"
            + (f"\n<i>{html.escape(c.reasons)}</i>" if c.reasons else "")
            for n, c in enumerate(view.causes, 1)
        )
        parts.append(f"<b>Possible causes, most likely first</b>\n{causes}")
    if view.understood:
        understood = "\n".join(f"{EVIDENCE_MARKS[u.choice]} {html.escape(u.name)}: {u.words}" for u in view.understood)
        parts.append(f"<b>What I understood</b>\n{understood}")
    if view.advice:
        parts.append(f"<b>What to do</b>\n{html.escape(view.advice)}")
    return "\n\n".join(parts)[:MESSAGE_LIMIT]


def render(message: BotMessage) -> List[Dict[str, Any]]:
    """sendMessage arguments (less the chat id) for one bot message, in the order to send them."""
    markup = keyboard(message.buttons)
    if message.kind == EMERGENCY:
        return [{"text": f"🚨 {message.text}"[:MESSAGE_LIMIT], "reply_markup": markup}]  # plain: no parse mode
    if message.kind == ASSESSMENT:
        return [{"text": assessment_html(dict(message.payload)), "parse_mode": "HTML", "reply_markup": markup}]
    if not message.text:
        return []
    chunks = [message.text[i : i + MESSAGE_LIMIT] for i in range(0, len(message.text), MESSAGE_LIMIT)]
    posts: List[Dict[str, Any]] = [{"text": chunk} for chunk in chunks]
    posts[-1]["reply_markup"] = markup
    return posts


class TelegramRenderer(TelegramOutput):
    def __init__(self, access_token: Text, api_url: Optional[Text] = None) -> None:
        server = api.TelegramAPIServer.from_base(api_url) if api_url else api.TELEGRAM_PRODUCTION
        Bot.__init__(self, access_token, server=server)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        for post in render(BotMessage.from_rasa(message)):
            await self.send_message(recipient_id, **{k: v for k, v in post.items() if v is not None})
        if message.get("image"):
            await self.send_image_url(recipient_id, message["image"])

    async def set_webhook_with_secret(self, url: str, secret_token: str) -> bool:
        payload = {"url": url, "secret_token": secret_token, "allowed_updates": json.dumps(ALLOWED_UPDATES)}
        return await self.request(api.Methods.SET_WEBHOOK, payload)


class TelegramChannel(TelegramInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        env = os.environ
        absent = missing(REQUIRED, env)
        if absent:
            return ChannelOff(cls.name(), absent)
        return cls(env["TELEGRAM_BOT_TOKEN"], env["TELEGRAM_WEBHOOK_URL"], env["TELEGRAM_SECRET_TOKEN"],
                   env.get("TELEGRAM_API_URL") or None)

    def __init__(self, access_token: Text, webhook_url: Text, secret_token: Text,
                 api_url: Optional[Text] = None) -> None:
        if not SECRET_FORMAT.match(secret_token):
            raise InvalidConfigException("TELEGRAM_SECRET_TOKEN must be 1-256 characters of A-Z, a-z, 0-9, _ and -.")
        super().__init__(access_token, verify=None, webhook_url=webhook_url, debug_mode=False)
        self.secret_token = secret_token
        self.api_url = api_url
        self._renderer: Optional[TelegramRenderer] = None
        self._background: Set[asyncio.Task] = set()

    def get_output_channel(self) -> TelegramRenderer:
        if self._renderer is None:
            self._renderer = TelegramRenderer(self.access_token, self.api_url)
        return self._renderer

    def has_secret(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode(), self.secret_token.encode())

    async def register_webhook(self) -> None:
        try:
            me = await self.get_output_channel().get_me()
            await self.get_output_channel().set_webhook_with_secret(self.webhook_url, self.secret_token)
            logger.info("Telegram webhook set for @%s.", me.username)
        except Exception as error:  # the other channels keep serving; the log says what to fix
            logger.error("Could not set the Telegram webhook: %s", error)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("telegram_webhook", __name__)

        @webhook.listener("after_server_start")
        async def set_webhook(*_: Any) -> None:
            await self.register_webhook()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.has_secret(request):
                return response.text("Forbidden", status=HTTPStatus.FORBIDDEN)
            try:
                update = Update(**json.loads(request.body))
            except (ValueError, TypeError):
                return response.text("Not a Telegram update", status=HTTPStatus.BAD_REQUEST)
            text, chat_id = self._text_and_chat(update)
            if text is None or chat_id is None:
                return response.text("success")
            try:
                await on_new_message(UserMessage(text, self.get_output_channel(), str(chat_id),
                                                 input_channel=self.name(), metadata=self.get_metadata(request)))
            except Exception:
                logger.exception("The assistant failed to answer a Telegram update.")
            return response.text("success")

        return webhook

    def _text_and_chat(self, update: Update) -> tuple:
        if self._is_button(update):
            query = update.callback_query
            self._acknowledge(query)
            return query.data, query.message.chat.id if query.message else query.from_user.id
        msg = update.edited_message if self._is_edited_message(update) else update.message
        if msg is None or not self._is_user_message(msg):
            return None, None
        text = "/greet" if msg.text.strip().split("@")[0] == "/start" else msg.text
        return text, msg.chat.id

    def _acknowledge(self, query: Any) -> None:
        """Stops the button's spinner and removes the old keyboard, in the background."""

        async def acknowledge() -> None:
            bot = self.get_output_channel()
            try:
                await bot.answer_callback_query(query.id)
                if query.message:
                    await bot.edit_message_reply_markup(query.message.chat.id, query.message.message_id)
            except Exception as error:
                logger.debug("Could not acknowledge a Telegram button: %s", error)

        task = asyncio.ensure_future(acknowledge())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
