"""Slack end to end against a local fake Slack Web API: signed requests reach the bot and the fake API
receives the rendered reply; forged, replayed, stale and unsigned requests are refused and reach nothing.

These use the real channel (credentials.yml + environment) in front of scripted replies (no model);
test_assistant_channels.py does the same through the trained assistant.
"""
from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from tests.channels.harness import (
    SLACK_TOKEN,
    channel_env,
    slack_button_click,
    slack_headers,
    slack_message_event,
    stub_assistant,
)
from tests.channels.stub_assistant import WHY_TEXT
from tests.conftest import free_port, port_open, skip_or_fail

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def new_channel() -> str:
    return f"D{uuid.uuid4().hex[:10].upper()}"


def posts_to(api, channel, count=1):
    return api.wait_for("chat.postMessage", count, 30, channel=channel)


def nothing_posted_to(api, channel, wait=2.0):
    time.sleep(wait)
    return not api.of("chat.postMessage", channel=channel)


def test_a_signed_message_is_answered_with_block_kit_buttons(stub, slack_api):
    channel = new_channel()
    body = slack_message_event("my feet are numb", channel=channel)
    reply = requests.post(f"{stub}/webhooks/slack/webhook", data=body, headers=slack_headers(body, JSON), timeout=10)
    assert reply.status_code == 200
    echo, question = posts_to(slack_api, channel, 2)
    assert question.headers["authorization"] == f"Bearer {SLACK_TOKEN}"
    assert echo.params["text"] == "You said: my feet are numb"
    section, buttons = question.params["blocks"]
    assert section["text"]["text"] == "Do you feel tingling or pins and needles?"
    assert [b["text"]["text"] for b in buttons["elements"]] == ["Yes", "No", "Not sure", "Why ask?"]


def test_why_ask_is_answered_then_the_question_comes_again(stub, slack_api):
    channel = new_channel()
    body = slack_message_event("my feet are numb", channel=channel)
    requests.post(f"{stub}/webhooks/slack/webhook", data=body, headers=slack_headers(body, JSON), timeout=10)
    question = posts_to(slack_api, channel, 2)[-1].params
    click = slack_button_click("/ask_why", "Why ask?", f"{slack_api.url}actions/{channel}-why", question["blocks"],
                               channel=channel)
    reply = requests.post(f"{stub}/webhooks/slack/webhook", data=click, headers=slack_headers(click, FORM), timeout=10)
    assert reply.status_code == 200
    why, again = posts_to(slack_api, channel, 4)[2:]
    assert why.params["text"] == WHY_TEXT and [b["type"] for b in why.params["blocks"]] == ["section"]
    assert again.params["blocks"] == question["blocks"]


def test_a_button_click_goes_on_to_the_assessment(stub, slack_api):
    channel = new_channel()
    body = slack_message_event("my feet are numb", channel=channel)
    requests.post(f"{stub}/webhooks/slack/webhook", data=body, headers=slack_headers(body, JSON), timeout=10)
    posts_to(slack_api, channel, 2)
    for count in (3, 4):
        question = posts_to(slack_api, channel, count - 1)[-1].params
        response_url = f"{slack_api.url}actions/{channel}-{count}"
        click = slack_button_click("/affirm", "Yes", response_url, question["blocks"], channel=channel)
        reply = requests.post(f"{stub}/webhooks/slack/webhook", data=click, headers=slack_headers(click, FORM),
                              timeout=10)
        assert reply.status_code == 200
        posts_to(slack_api, channel, count)
        [update] = slack_api.wait_for(f"{channel}-{count}")  # the pressed question, updated in place
        assert update.params["replace_original"] is True
        assert [b["type"] for b in update.params["blocks"]] == ["section", "context"]
        assert update.params["blocks"][1]["elements"][0]["text"] == "You answered: *Yes*"
    assessment = posts_to(slack_api, channel, 4)[-1].params
    shown = json.dumps(assessment["blocks"], ensure_ascii=False)
    assert assessment["blocks"][0]["text"]["text"] == "Assessment (not a diagnosis)"
    assert "Diabetic neuropathy: *likely* (52%)" in shown and "What I understood" in shown
    assert "_For: foot numbness, tingling; against: no diabetes &lt;type 2&gt;_" in shown


def test_the_emergency_comes_first_and_plain(stub, slack_api):
    channel = new_channel()
    body = slack_message_event("my face is drooping and my speech is slurred", channel=channel)
    requests.post(f"{stub}/webhooks/slack/webhook", data=body, headers=slack_headers(body, JSON), timeout=10)
    first, second = posts_to(slack_api, channel, 2)
    assert "blocks" not in first.params
    assert first.params["text"].startswith("🚨 This could be a medical emergency") and "911" in first.params["text"]
    assert second.params["blocks"][0]["elements"][0]["text"]["text"] == "I've called them"


def test_forged_stale_replayed_and_unsigned_requests_are_refused(stub, slack_api):
    channel = new_channel()
    body = slack_message_event("my feet are numb", channel=channel)
    url = f"{stub}/webhooks/slack/webhook"
    forged = slack_headers(body, JSON, secret="not-the-secret")
    stale = slack_headers(body, JSON, timestamp=int(time.time()) - 6 * 60)
    unsigned = {"Content-Type": JSON}
    for headers in (forged, stale, unsigned):
        assert requests.post(url, data=body, headers=headers, timeout=10).status_code == 400
    tampered = slack_headers(body, JSON)
    assert requests.post(url, data=body.replace(b"numb", b"fine"), headers=tampered, timeout=10).status_code == 400
    assert nothing_posted_to(slack_api, channel)

    signed = slack_headers(body, JSON)
    assert requests.post(url, data=body, headers=signed, timeout=10).status_code == 200
    assert requests.post(url, data=body, headers=signed, timeout=10).status_code == 400  # the same request again
    assert len(posts_to(slack_api, channel, 2)) == 2  # one answer (echo + question), not two
    time.sleep(1.5)
    assert len(slack_api.of("chat.postMessage", channel=channel)) == 2


def test_url_verification_returns_the_challenge_only_when_signed(stub):
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmd", "token": "x"})
    url = f"{stub}/webhooks/slack/webhook"
    answer = requests.post(url, data=body, headers=slack_headers(body.encode(), JSON), timeout=10)
    assert answer.status_code == 200 and answer.text == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmd"
    forged = slack_headers(body.encode(), JSON, secret="nope")
    assert requests.post(url, data=body, headers=forged, timeout=10).status_code == 400


def test_slack_text_is_escaped(stub, slack_api):
    channel = new_channel()
    body = slack_message_event("<!channel> look <https://evil.example|here>", channel=channel)
    requests.post(f"{stub}/webhooks/slack/webhook", data=body, headers=slack_headers(body, JSON), timeout=10)
    echo = posts_to(slack_api, channel, 1)[0].params["text"]
    assert "<" not in echo and "&lt;!channel&gt;" in echo


@pytest.fixture(scope="module")
def two_servers_sharing_redis(tmp_path_factory, slack_api, telegram_api):
    """Two servers behind one Slack app, as behind a load balancer, with the machine's Redis configured."""
    if not port_open("127.0.0.1", 6379):
        skip_or_fail("Redis is not listening on 127.0.0.1:6379")
    env = {**channel_env(slack_api.url, telegram_api.url), "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379"}
    folder = tmp_path_factory.mktemp("two-servers")
    with stub_assistant(free_port(), env, folder / "a.log") as first, \
            stub_assistant(free_port(), env, folder / "b.log") as second:
        yield first, second


def test_a_request_replayed_to_another_server_is_refused_too(two_servers_sharing_redis, slack_api):
    first, second = two_servers_sharing_redis
    channel = new_channel()
    body = slack_message_event("my feet are numb", channel=channel)
    signed = slack_headers(body, JSON)
    assert requests.post(f"{first}/webhooks/slack/webhook", data=body, headers=signed, timeout=10).status_code == 200
    assert requests.post(f"{second}/webhooks/slack/webhook", data=body, headers=signed, timeout=10).status_code == 400
    assert len(posts_to(slack_api, channel, 2)) == 2  # one answer (echo + question), not two
    time.sleep(1.5)
    assert len(slack_api.of("chat.postMessage", channel=channel)) == 2
