"""The web widget in a real browser (Debian's Chromium via Playwright), against the real widget and REST
channels with scripted replies (no model): what it renders, escaping, keyboard use, a phone-sized screen,
a reload, and the REST fallback. test_assistant_channels.py drives it against the trained assistant."""
from __future__ import annotations

import re

import pytest

from tests.channels.widget_page import click, last_contract, open_widget, reply_button, say, transcript
from tests.conftest import ROOT


def demo(stub):
    return f"{stub}/webhooks/widget/demo"


def test_questions_then_an_assessment_card(page, stub):
    open_widget(page, demo(stub))
    say(page, "my feet are numb")
    question = page.locator(".lnw-replies").last
    assert [b.strip() for b in question.locator("button").all_inner_texts()] == ["Yes", "No", "Not sure", "Why ask?"]
    click(page, "Why ask?")
    why, again = page.locator(".lnw-msg-bot").all_inner_texts()[-2:]
    assert why.endswith("a yes would make Diabetic neuropathy more likely; a no would make Herniated lumbar disc "
                        "more likely.")
    assert again.endswith("Do you feel tingling or pins and needles?")  # the same question, asked again
    assert page.locator(".lnw-reply:enabled").all_inner_texts() == ["Yes", "No", "Not sure", "Why ask?"]
    click(page, "Yes")
    click(page, "No")

    card = page.get_by_role("article", name="Assessment")
    assert card.is_visible()
    badge = card.locator(".lnw-badge")
    assert "Book a doctor's visit" in badge.inner_text()
    assert "lnw-level-consultation" in badge.get_attribute("class")
    causes = card.locator(".lnw-cause")
    assert causes.count() == 3
    assert causes.nth(0).locator(".lnw-cause-name").inner_text() == "Diabetic neuropathy"
    assert [c.strip() for c in card.locator(".lnw-cause-pct").all_inner_texts()] == [
        "likely (52%)", "possible (27%)", "possible (11%)"]
    widths = [causes.nth(i).locator(".lnw-bar-fill").bounding_box()["width"] for i in range(3)]
    track = causes.nth(0).locator(".lnw-bar").bounding_box()["width"]
    assert widths[0] == pytest.approx(0.52 * track, abs=3) and widths[0] > widths[1] > widths[2]
    reasons = [causes.nth(i).locator(".lnw-reasons li").all_inner_texts() for i in range(3)]
    assert reasons == [["For: foot numbness, tingling", "Against: no diabetes <type 2>"], ["For: tingling"],
                       ["Against: no leg weakness"]]
    evidence = card.locator(".lnw-evidence li > span:not(.lnw-mark)").all_inner_texts()
    assert evidence == ["Foot numbness: yes", "Tingling: yes", "Leg weakness: no", "Diabetes: not sure"]
    assert card.locator(".lnw-evidence .lnw-mark").all_inner_texts() == ["✓", "✓", "✗", "?"]
    assert card.locator(".lnw-advice").inner_text() == "Book a visit with your doctor within the next two weeks."
    assert not card.get_by_text("Possible causes, most likely first:").is_visible()  # plain twin folded away
    assert page.locator(".lnw-reply:enabled").all_inner_texts() == ["Start over"]  # older buttons are spent
    assert page.locator(".lnw").get_attribute("data-transport") == "online"  # all of it came over socket.io
    assert page.js_errors == []


def test_the_emergency_is_a_banner_with_a_call_link(page, stub):
    open_widget(page, demo(stub))
    say(page, "my face is drooping and my speech is slurred")
    banner = page.get_by_role("alert")
    assert banner.is_visible()
    assert "Call 911 now" in banner.inner_text()
    call = banner.get_by_role("link", name="Call 911")
    assert call.get_attribute("href") == "tel:911"
    box, panel = banner.bounding_box(), page.locator(".lnw-panel").bounding_box()
    assert box["y"] < panel["y"] + 120  # right under the header, not scrolled away with the messages
    assert last_contract(page)["emergency"]["triage"] == "emergency_ambulance"


def test_markup_in_messages_is_shown_as_text_and_never_runs(page, clinic):
    attack = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b> my feet are numb'
    open_widget(page, clinic)  # embedded in another origin's page, with no CSP to hide a mistake
    say(page, attack)
    assert page.locator(".lnw-msg-user .lnw-msg-text").last.inner_text() == attack
    assert page.get_by_text(f"You said: {attack}").is_visible()  # the assistant's echo, as text too
    assert page.evaluate("window.__xss") is None
    counts = page.evaluate("() => ['img', 'script', 'b'].map(t => legNumbnessWidget.shadow.querySelectorAll(t).length)")
    assert counts == [0, 0, 0]


def test_a_reload_keeps_the_conversation(page, stub):
    open_widget(page, demo(stub))
    say(page, "my feet are numb")
    before = transcript(page)
    page.reload()
    reply_button(page, "Yes").wait_for()
    assert transcript(page)["sessionId"] == before["sessionId"]
    assert page.locator(".lnw-msg-user").first.inner_text().endswith("my feet are numb")
    click(page, "Yes")
    assert page.get_by_text("Is your leg weak").is_visible()  # the server carried on the same conversation


def test_keyboard_only_and_screen_reader_structure(page, stub):
    page.goto(demo(stub))
    launcher = page.locator(".lnw-launcher")
    launcher.focus()
    page.keyboard.press("Enter")
    assert launcher.get_attribute("aria-expanded") == "true"
    assert page.evaluate("legNumbnessWidget.shadow.activeElement.id") == "lnw-input"
    page.locator(".lnw-msg-bot").first.wait_for()
    page.keyboard.type("my feet are numb")
    page.keyboard.press("Enter")
    reply_button(page, "Not sure").wait_for()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("legNumbnessWidget.shadow.activeElement.textContent") == "Why ask?"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("legNumbnessWidget.shadow.activeElement.textContent") == "Not sure"
    page.keyboard.press("Enter")
    page.get_by_text("Is your leg weak").wait_for()
    assert page.locator(".lnw-msg-user").last.inner_text().endswith("Not sure")

    log = page.get_by_role("log", name="Conversation")
    assert log.get_attribute("aria-live") == "polite"
    assert page.get_by_role("dialog", name="Leg numbness checker").is_visible()
    assert page.locator(".lnw-msg-bot .lnw-sr").first.inner_text().strip() == "Assistant:"
    page.keyboard.press("Escape")
    assert launcher.get_attribute("aria-expanded") == "false"
    assert page.evaluate("legNumbnessWidget.shadow.activeElement.className") == "lnw-launcher"


def test_a_phone_sized_screen(browser, stub):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_widget(page, demo(stub))
        say(page, "my feet are numb")
        panel = page.locator(".lnw-panel").bounding_box()
        assert (panel["x"], panel["y"], panel["width"], panel["height"]) == (0, 0, 390, 844)
        for button in page.locator(".lnw-reply").all():
            assert button.bounding_box()["height"] >= 40  # big enough for a finger
        assert page.evaluate("() => { const l = legNumbnessWidget.shadow.querySelector('.lnw-log');"
                             " return l.scrollWidth <= l.clientWidth; }")
    finally:
        context.close()


def test_rest_carries_the_conversation_when_socket_io_cannot_connect(page, clinic):
    open_widget(page, f"{clinic}?socket_path=/nowhere/socket.io")  # cross-origin REST needs CORS too
    say(page, "my feet are numb")
    click(page, "Yes")
    click(page, "Yes")
    card = page.get_by_role("article", name="Assessment")
    assert card.locator(".lnw-cause").count() == 3  # REST's separate custom message joined to its text
    assert page.locator(".lnw").get_attribute("data-transport") == "rest"


def test_the_widget_source_never_turns_text_into_html():
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function")
    sources = sorted((ROOT / "widget" / "src").glob("*.js"))
    assert sources
    assert [p.name for p in sources if sinks.search(p.read_text())] == []
