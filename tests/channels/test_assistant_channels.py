"""Every channel through the trained assistant (real Rasa and action servers, started once for this module):
the web widget in Debian's Chromium (a whole check by clicking buttons, an emergency on a phone, an XSS
attempt, a reload mid-conversation; screenshots in reports/screenshots/, the README shows
widget-assessment.png), and Slack and Telegram end to end with the fake APIs on 127.0.0.1 receiving what
the person would see."""
from __future__ import annotations

import json
import time

import pytest
import requests

from bot.interview.render import AGE_QUESTION
from tests.channels.harness import (
    SCREENSHOTS,
    TELEGRAM_SECRET,
    slack_headers,
    slack_message_event,
    telegram_button,
    telegram_message,
)
from tests.channels.test_slack import JSON, new_channel, nothing_posted_to, posts_to
from tests.channels.test_telegram import new_chat, sent_to
from tests.channels.widget_page import click, last_contract, open_widget, reply_button, say, transcript

pytestmark = pytest.mark.e2e
SECRET = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}


# The web widget

def demo(assistant) -> str:
    return f"{assistant.rasa_url}/webhooks/widget/demo"


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def test_a_whole_check_by_clicking_buttons_ends_in_an_assessment_card(browser, assistant_channels):
    context = browser.new_context(viewport={"width": 1100, "height": 1000})
    page = context.new_page()
    try:
        open_widget(page, demo(assistant_channels))
        assert "diagnos" in page.locator(".lnw-msg-bot").first.inner_text().lower()
        say(page, "both my feet have been numb and tingling for months")
        assert last_contract(page)["question"]["type"] == "age"
        say(page, "58")
        assert last_contract(page)["question"]["type"] == "sex"
        click(page, "Female")
        asked = 0
        while "assessment" not in last_contract(page):
            assert last_contract(page)["question"]["type"] == "symptom"
            buttons = page.locator(".lnw-reply:enabled").all_inner_texts()
            assert buttons == ["Yes", "No", "Not sure", "Why ask?"]
            if asked == 0:  # why, then the same question again
                question = last_contract(page)["question"]
                click(page, "Why ask?")
                assert "I ask " in page.locator(".lnw-msg-bot").all_inner_texts()[-2]
                assert last_contract(page)["question"] == question
            asked += 1
            assert asked <= 12, "the interview must end"
            click(page, "No")

        assessment = last_contract(page)["assessment"]
        card = page.get_by_role("article", name="Assessment").last
        assert card.is_visible()
        shown = [n.strip() for n in card.locator(".lnw-cause-name").all_inner_texts()]
        assert shown == [c["name"] for c in assessment["conditions"]] and 1 <= len(shown) <= 5
        shown_likelihoods = card.locator(".lnw-cause-pct").all_inner_texts()
        assert [t.strip() for t in shown_likelihoods] == [
            f"{c['likelihood']} ({min(99, max(1, round(c['probability'] * 100)))}%)" for c in assessment["conditions"]]
        percents = [int(t.split("(")[1].strip("%) \n")) for t in shown_likelihoods]
        assert percents == sorted(percents, reverse=True)
        understood = card.locator(".lnw-evidence li > span:not(.lnw-mark)").all_inner_texts()
        assert any(line.endswith(": yes") for line in understood) and len(understood) == len(assessment["evidence"])
        assert card.locator(".lnw-advice").inner_text() == assessment["advice"]
        badge = card.locator(".lnw-badge").inner_text()
        assert badge.strip() and assessment["triage"].replace("_", "-") in card.locator(".lnw-badge").get_attribute(
            "class")
        top = card.bounding_box()["y"] - page.locator(".lnw-log").bounding_box()["y"]
        assert 0 <= top < 40  # the card is shown from its start, not scrolled to its end
        shoot(page, "widget-assessment.png")
    finally:
        context.close()


def test_an_emergency_on_a_phone_is_a_banner_with_a_call_button(browser, assistant_channels):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_widget(page, demo(assistant_channels))
        say(page, "my face is drooping and my speech is slurred")
        emergency = last_contract(page)["emergency"]
        assert emergency["triage"] == "emergency_ambulance"
        banner = page.get_by_role("alert")
        assert banner.is_visible() and "Call 911 now" in banner.inner_text()
        assert banner.get_by_role("link", name="Call 911").get_attribute("href") == "tel:911"
        assert banner.bounding_box()["y"] < 200  # at the top of the phone's screen
        shoot(page, "widget-emergency-phone.png")
    finally:
        context.close()


def test_an_xss_attempt_is_shown_as_text(page, assistant_channels):
    attack = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> my left foot is numb'
    open_widget(page, demo(assistant_channels))
    say(page, attack, until="any")
    assert page.locator(".lnw-msg-user .lnw-msg-text").last.inner_text() == attack
    assert page.evaluate("() => legNumbnessWidget.shadow.querySelectorAll('img, script').length") == 0
    assert page.evaluate("window.__xss") is None
    assert page.locator(".lnw-entry").count() >= 3  # the assistant answered after it
    shoot(page, "widget-xss.png")


def test_a_reload_mid_conversation_keeps_it(page, assistant_channels):
    open_widget(page, demo(assistant_channels))
    say(page, "my right foot has been numb for a week")
    say(page, "45")
    assert last_contract(page)["question"]["type"] == "sex"
    session = transcript(page)["sessionId"]
    page.reload()
    reply_button(page, "Male").wait_for()
    assert transcript(page)["sessionId"] == session
    assert page.locator(".lnw-msg-user").first.inner_text().endswith("my right foot has been numb for a week")
    click(page, "Male")
    after = last_contract(page)
    assert "assessment" in after or after["question"]["type"] == "symptom"  # not asked for age or sex again
    shoot(page, "widget-reload.png")


def test_new_chat_leaves_nothing_of_the_old_conversation_readable(page, assistant_channels):
    open_widget(page, demo(assistant_channels))
    say(page, "both my feet have been numb and tingling for months")
    say(page, "58")
    old = transcript(page)["sessionId"]
    with page.expect_response(lambda r: r.url.endswith("/webhooks/rest/webhook")) as ended:
        page.get_by_role("button", name="New chat").click()
    ended.value.finished()
    page.locator(".lnw-msg-bot").first.wait_for()

    kept = [(entry.get("text"), entry.get("custom")) for entry in transcript(page)["entries"]]  # no random ids
    shown = page.locator(".lnw-log").inner_text() + json.dumps(kept)
    assert "both my feet" not in shown and "58" not in shown
    assert transcript(page)["sessionId"] != old
    # The next person at this computer, even one who found the old session id, reads nothing of it:
    # asking for the result gives no assessment of those feet, only a request to describe symptoms.
    reply = assistant_channels.say(old, "just tell me what it could be")
    assert not any("assessment" in (m.get("custom") or {}) for m in reply)
    said = json.dumps([{key: value for key, value in message.items() if key != "recipient_id"} for message in reply])
    assert "58" not in said and "I understood" not in said


# Slack and Telegram

def slack(assistant, text, channel, **signing):
    body = slack_message_event(text, channel)
    return requests.post(f"{assistant.rasa_url}/webhooks/slack/webhook", data=body,
                         headers=slack_headers(body, JSON, **signing), timeout=30)


def telegram(assistant, update, headers=SECRET):
    return requests.post(f"{assistant.rasa_url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=120)


def test_slack_emergency_comes_first_and_plain(assistant_channels, slack_api):
    channel = new_channel()
    assert slack(assistant_channels, "my face is drooping and my speech is slurred", channel).status_code == 200
    first, second = posts_to(slack_api, channel, 2)[:2]
    assert "blocks" not in first.params and first.params["text"].startswith("🚨 ")
    assert "911" in first.params["text"]
    assert second.params["blocks"][0]["type"] == "actions"


def test_slack_question_has_buttons_and_forgeries_are_refused(assistant_channels, slack_api):
    channel = new_channel()
    assert slack(assistant_channels, "both my feet have been numb for months", channel, secret="forged").status_code \
        == 400
    assert nothing_posted_to(slack_api, channel)
    assert slack(assistant_channels, "both my feet have been numb for months", channel).status_code == 200
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        shown = json.dumps([c.params for c in posts_to(slack_api, channel)], ensure_ascii=False)
        if AGE_QUESTION in shown:
            break
        time.sleep(0.2)
    assert AGE_QUESTION in shown and '"type": "actions"' in shown and '"question"' not in shown


def test_telegram_whole_check_by_buttons_ends_in_a_formatted_assessment(assistant_channels, telegram_api):
    chat = new_chat()
    assert telegram(assistant_channels, telegram_message("both my feet have been numb and tingling for months",
                                                         chat)).status_code == 200
    telegram(assistant_channels, telegram_message("58", chat))
    telegram(assistant_channels, telegram_button('/give_sex{"sex": "female"}', chat))
    for _ in range(13):
        last = sent_to(telegram_api, chat)[-1].params
        if last.get("parse_mode") == "HTML":
            break
        keys = [k["callback_data"] for row in last.get("reply_markup", {}).get("inline_keyboard", []) for k in row]
        assert "/deny" in keys, last
        telegram(assistant_channels, telegram_button("/deny", chat))
    assert last["text"].startswith("<b>Assessment (not a diagnosis)</b>")
    assert "Possible causes, most likely first" in last["text"] and "%)" in last["text"]
    assert "What I understood" in last["text"]


def test_telegram_updates_without_the_secret_never_reach_the_assistant(assistant_channels, telegram_api):
    chat = new_chat()
    assert telegram(assistant_channels, telegram_message("hello", chat), headers={}).status_code == 403
    assert telegram(assistant_channels, telegram_message("hello", chat),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}).status_code == 403
    time.sleep(1.5)
    assert not telegram_api.of("sendMessage", chat_id=chat)
