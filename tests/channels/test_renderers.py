"""What a person sees in Slack and Telegram for each of the design's message contracts."""
from __future__ import annotations

import json

from bot.channels import slack, telegram
from bot.channels.contracts import BotMessage
from tests.channels.stub_assistant import ANSWERS, ASSESSMENT, EMERGENCY_TEXT, assessment_message

QUESTION = {"text": "Do you feel tingling?", "buttons": ANSWERS,
            "custom": {"question": {"id": "tingling", "type": "symptom"}}}
EMERGENCY = {"text": EMERGENCY_TEXT, "buttons": [{"title": "I've called them", "payload": "/affirm"}],
             "custom": {"emergency": {"triage": "emergency_ambulance", "pattern": "stroke", "reason": "stroke"}}}


def block_text(blocks):
    return "\n".join(json.dumps(b, ensure_ascii=False) for b in blocks)


def test_slack_question_has_native_buttons_and_no_raw_json():
    [post] = slack.render(BotMessage.from_rasa(QUESTION))
    section, buttons = post["blocks"]
    assert section["text"]["text"] == "Do you feel tingling?"
    assert [(b["text"]["text"], b["value"]) for b in buttons["elements"]] == [
        ("Yes", "/affirm"), ("No", "/deny"), ("Not sure", "/unsure"), ("Why ask?", "/ask_why")]
    assert len({b["action_id"] for b in buttons["elements"]}) == 4
    assert "question" not in json.dumps(post)


def test_slack_assessment_shows_urgency_causes_evidence_and_advice():
    [post] = slack.render(BotMessage.from_rasa(assessment_message()))
    shown = block_text(post["blocks"])
    assert post["blocks"][0]["type"] == "header"
    assert post["blocks"][0]["text"]["text"] == "Assessment (not a diagnosis)"
    assert "Book a doctor" in shown and "Book a doctor" in post["text"]
    assert "1. Diabetic neuropathy: *likely* (52%)" in shown
    assert "2. Idiopathic peripheral neuropathy: *possible* (27%)" in shown
    causes = next(b["text"]["text"] for b in post["blocks"] if "Possible causes" in b.get("text", {}).get("text", ""))
    assert causes.splitlines()[1:] == [
        "1. Diabetic neuropathy: *likely* (52%)  `█████░░░░░`",
        "      _For: foot numbness, tingling; against: no diabetes &lt;type 2&gt;_",
        "2. Idiopathic peripheral neuropathy: *possible* (27%)  `███░░░░░░░`",
        "      _For: tingling_",
        "3. Herniated lumbar disc: *possible* (11%)  `█░░░░░░░░░`",
        "      _Against: no leg weakness_",
    ]
    assert "█████░░░░░" in shown
    assert "✓ Foot numbness: yes" in shown and "✗ Leg weakness: no" in shown and "? Diabetes: not sure" in shown
    assert ASSESSMENT["advice"] in shown
    assert post["blocks"][-1]["elements"][0]["value"] == "/restart"


def test_an_assessment_from_an_older_assistant_shows_no_reasons():
    older = {**ASSESSMENT, "version": "2",
             "conditions": [{k: v for k, v in c.items() if k not in ("supporting", "conflicting")}
                            for c in ASSESSMENT["conditions"]]}
    message = BotMessage.from_rasa({**assessment_message(), "custom": {"assessment": older}})
    [post] = slack.render(message)
    assert "For:" not in block_text(post["blocks"]) and "Against:" not in block_text(post["blocks"])
    [post] = telegram.render(message)
    assert "<i>" not in post["text"]


def test_slack_emergency_comes_first_as_plain_text_then_its_button():
    first, second = slack.render(BotMessage.from_rasa(EMERGENCY))
    assert first == {"text": f"🚨 {EMERGENCY_TEXT}"}
    assert second["blocks"][0]["elements"][0]["value"] == "/affirm"


def test_slack_escapes_what_would_be_markup():
    [post] = slack.render(BotMessage.from_rasa({"text": "You said: <!channel> & <@U1>"}))
    assert post["text"] == "You said: &lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert post["blocks"][0]["text"]["text"] == post["text"]


def test_telegram_question_is_one_row_of_inline_buttons():
    [post] = telegram.render(BotMessage.from_rasa(QUESTION))
    rows = post["reply_markup"].inline_keyboard
    assert [[(k.text, k.callback_data) for k in row] for row in rows] == [
        [("Yes", "/affirm"), ("No", "/deny"), ("Not sure", "/unsure"), ("Why ask?", "/ask_why")]]
    assert "parse_mode" not in post


def test_telegram_assessment_is_formatted_html_with_escaped_names():
    message = assessment_message()
    message["custom"]["assessment"] = {**ASSESSMENT, "advice": "Rest <b>now</b> & see a doctor"}
    [post] = telegram.render(BotMessage.from_rasa(message))
    assert post["parse_mode"] == "HTML"
    assert post["text"].startswith("<b>Assessment (not a diagnosis)</b>")
    assert "1. Diabetic neuropathy: <b>likely</b> (52%)\n<code>█████░░░░░</code>" in post["text"]
    assert "✅ Foot numbness: yes" in post["text"] and "❌ Leg weakness: no" in post["text"]
    assert ("1. Diabetic neuropathy: <b>likely</b> (52%)\n<code>█████░░░░░</code>\n"
            "<i>For: foot numbness, tingling; against: no diabetes &lt;type 2&gt;</i>\n2.") in post["text"]
    assert "(11%)\n<code>█░░░░░░░░░</code>\n<i>Against: no leg weakness</i>" in post["text"]
    assert "Rest &lt;b&gt;now&lt;/b&gt; &amp; see a doctor" in post["text"]


def test_telegram_emergency_is_plain_text_first():
    [post] = telegram.render(BotMessage.from_rasa(EMERGENCY))
    assert post["text"] == f"🚨 {EMERGENCY_TEXT}"
    assert "parse_mode" not in post
    assert post["reply_markup"].inline_keyboard[0][0].callback_data == "/affirm"


def test_telegram_button_data_fits_in_64_bytes():
    long = {"title": "About Idiopathic peripheral neuropathy",
            "payload": '/ask_condition{"condition": "idiopathic_peripheral_neuropathy_b"}'}  # 65 bytes
    assert telegram.callback_data(long) == '/ask_condition{"condition":"idiopathic_peripheral_neuropathy_b"}'
    too_long = {"title": "About it", "payload": "/ask_condition" + json.dumps({"condition": "x" * 80})}
    assert telegram.callback_data(too_long) == "About it"
    rows = telegram.keyboard([long, {"title": "Start over", "payload": "/restart"}]).inline_keyboard
    assert len(rows) == 2 and all(len(k.callback_data.encode()) <= 64 for row in rows for k in row)
