"""Telegram end to end against a local fake Bot API: the webhook is registered with a secret token,
updates carrying it reach the bot and the fake API receives the rendered reply; updates without it
get 403 and reach nothing.

These use the real channel (credentials.yml + environment) in front of scripted replies (no model);
test_assistant_channels.py does the same through the trained assistant.
"""
from __future__ import annotations

import random
import time

import requests

from tests.channels.harness import TELEGRAM_SECRET, TELEGRAM_TOKEN, TELEGRAM_WEBHOOK, telegram_button, telegram_message
from tests.channels.stub_assistant import WHY_TEXT

SECRET = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}


def new_chat() -> int:
    return random.randint(10**8, 10**9)


def sent_to(api, chat_id, count=1, timeout=30):
    return api.wait_for("sendMessage", count, timeout, chat_id=chat_id)


def post(stub, update, headers=SECRET):
    return requests.post(f"{stub}/webhooks/telegram/webhook", json=update, headers=headers, timeout=30)


def test_the_webhook_is_registered_with_the_secret_token(stub, telegram_api):
    [registration] = telegram_api.wait_for("setWebhook")[:1]
    assert registration.path == f"/bot{TELEGRAM_TOKEN}/setWebhook"
    assert registration.params["url"] == TELEGRAM_WEBHOOK
    assert registration.params["secret_token"] == TELEGRAM_SECRET


def test_an_update_with_the_secret_is_answered_with_an_inline_keyboard(stub, telegram_api):
    chat = new_chat()
    assert post(stub, telegram_message("my feet are numb", chat)).status_code == 200
    echo, question = sent_to(telegram_api, chat, 2)
    assert echo.params["text"] == "You said: my feet are numb"
    assert question.params["text"] == "Do you feel tingling or pins and needles?"
    keys = question.params["reply_markup"]["inline_keyboard"]
    assert [[(k["text"], k["callback_data"]) for k in row] for row in keys] == [
        [("Yes", "/affirm"), ("No", "/deny"), ("Not sure", "/unsure"), ("Why ask?", "/ask_why")]]


def test_why_ask_is_answered_then_the_question_comes_again(stub, telegram_api):
    chat = new_chat()
    post(stub, telegram_message("my feet are numb", chat))
    question = sent_to(telegram_api, chat, 2)[-1].params
    post(stub, telegram_button("/ask_why", chat))
    why, again = sent_to(telegram_api, chat, 4)[2:]
    assert why.params["text"] == WHY_TEXT and "reply_markup" not in why.params
    assert (again.params["text"], again.params["reply_markup"]) == (question["text"], question["reply_markup"])


def test_pressing_buttons_reaches_a_formatted_assessment(stub, telegram_api):
    chat = new_chat()
    post(stub, telegram_message("my feet are numb", chat))
    sent_to(telegram_api, chat, 2)
    presses = [telegram_button("/affirm", chat), telegram_button("/deny", chat)]
    for press in presses:
        post(stub, press)
    assessment = sent_to(telegram_api, chat, 4)[-1].params
    assert assessment["parse_mode"] == "HTML"
    assert "<b>Assessment (not a diagnosis)</b>" in assessment["text"]
    assert "Diabetic neuropathy: <b>likely</b> (52%)" in assessment["text"]
    assert "<i>For: foot numbness, tingling; against: no diabetes &lt;type 2&gt;</i>" in assessment["text"]
    assert "✅ Foot numbness: yes" in assessment["text"]
    for press in presses:  # the button's spinner stops (the fake API is shared: wait for this press's own id)
        assert telegram_api.wait_for("answerCallbackQuery", 1, callback_query_id=press["callback_query"]["id"])
    assert len(telegram_api.wait_for("editMessageReplyMarkup", 2, chat_id=chat)) == 2  # old keyboards go away


def test_the_emergency_comes_first_and_plain(stub, telegram_api):
    chat = new_chat()
    post(stub, telegram_message("my face is drooping and my speech is slurred", chat))
    [first] = sent_to(telegram_api, chat, 1)
    assert first.params["text"].startswith("🚨 This could be a medical emergency") and "911" in first.params["text"]
    assert "parse_mode" not in first.params


def test_start_greets(stub, telegram_api):
    chat = new_chat()
    post(stub, telegram_message("/start", chat))
    assert "symptom checker" in sent_to(telegram_api, chat, 1)[0].params["text"]


def test_updates_without_the_secret_are_refused(stub, telegram_api):
    chat = new_chat()
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                    {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET + "x"}):
        answer = post(stub, telegram_message("my feet are numb", chat), headers=headers)
        assert answer.status_code == 403
    time.sleep(1.5)
    assert not telegram_api.of("sendMessage", chat_id=chat)
