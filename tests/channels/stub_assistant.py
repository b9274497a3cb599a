"""A scripted stand-in for the trained assistant behind the real widget and REST channels.

It lets the tests check what the widget, Slack and Telegram render (question buttons, the assessment, the
emergency, escaping) in seconds and without a model: `python -m tests.channels.stub_assistant PORT`.
The channels are the ones credentials.yml configures (Slack and Telegram when their environment is set);
the replies have the shapes the real actions and domain send (bot/interview/render.py, domain.yml).
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict

from rasa.core.channels.channel import UserMessage
from rasa.core.run import create_http_input_channels
from sanic import Sanic
from sanic_cors import CORS

CREDENTIALS = Path(__file__).resolve().parents[2] / "credentials.yml"

ANSWERS = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"},
           {"title": "Not sure", "payload": "/unsure"}, {"title": "Why ask?", "payload": "/ask_why"}]
WHY_TEXT = ("I ask because your answer helps tell the possible causes apart: a yes would make Diabetic neuropathy "
            "more likely; a no would make Herniated lumbar disc more likely.")
QUESTIONS = [("tingling", "Do you feel tingling or pins and needles?"),
             ("leg_weakness", "Is your leg weak, or does your foot drag when you walk?")]
ASSESSMENT = {
    "version": "3",
    "triage": "consultation",
    "triage_label": "Book a doctor's visit",
    "conditions": [
        {"id": "diabetic_neuropathy", "name": "Diabetic neuropathy", "probability": 0.52, "likelihood": "likely",
         "supporting": [{"id": "foot_numbness", "name": "Foot numbness", "choice": "present"},
                        {"id": "tingling", "name": "Tingling", "choice": "present"}],
         "conflicting": [{"id": "diabetes", "name": "Diabetes <type 2>", "choice": "absent"}]},
        {"id": "idiopathic_peripheral_neuropathy", "name": "Idiopathic peripheral neuropathy", "probability": 0.27,
         "likelihood": "possible", "supporting": [{"id": "tingling", "name": "Tingling", "choice": "present"}],
         "conflicting": []},
        {"id": "herniated_lumbar_disc", "name": "Herniated lumbar disc", "probability": 0.11,
         "likelihood": "possible", "supporting": [],
         "conflicting": [{"id": "leg_weakness", "name": "Leg weakness", "choice": "absent"}]},
    ],
    "evidence": [
        {"id": "foot_numbness", "name": "Foot numbness", "choice": "present"},
        {"id": "tingling", "name": "Tingling", "choice": "present"},
        {"id": "leg_weakness", "name": "Leg weakness", "choice": "absent"},
        {"id": "diabetes", "name": "Diabetes", "choice": "unknown"},
    ],
    "explanation": ["you mentioned foot numbness"],
    "advice": "Book a visit with your doctor within the next two weeks.",
    "kb_version": "stub",
}
EMERGENCY_TEXT = ("This could be a medical emergency: face drooping with slurred speech can be a stroke.\n"
                  "Call 911 (or your local emergency number) now. Do not drive yourself.")


def assessment_message() -> Dict[str, Any]:
    lines = ["Based on what you told me (this is not a diagnosis): Book a doctor's visit.", ASSESSMENT["advice"],
             "Possible causes, most likely first:"]
    lines += [f"{n}. {c['name']} ({round(c['probability'] * 100)}%)" for n, c in enumerate(ASSESSMENT["conditions"], 1)]
    return {"text": "\n".join(lines), "buttons": [{"title": "Start over", "payload": "/restart"}],
            "custom": {"assessment": ASSESSMENT}}


class Script:
    def __init__(self) -> None:
        self.asked: Dict[str, int] = defaultdict(int)

    def replies(self, sender: str, text: str):
        lowered = text.lower()
        if text == "/greet":
            return [{"text": "Hi, I'm a symptom checker for numbness in the lower legs. I can't diagnose you."}]
        if "face" in lowered or "slurred" in lowered:
            return [{"text": EMERGENCY_TEXT, "buttons": [{"title": "I've called them", "payload": "/affirm"}],
                     "custom": {"emergency": {"triage": "emergency_ambulance", "pattern": "stroke",
                                              "reason": "face drooping with slurred speech can be a stroke."}}}]
        if text == "/ask_why" and self.asked[sender]:
            return [{"text": WHY_TEXT}, self.question(self.asked[sender] - 1)]
        if text in {"/affirm", "/deny", "/unsure"} and self.asked[sender] >= len(QUESTIONS):
            return [assessment_message()]
        if text.startswith("/") and text not in {"/affirm", "/deny", "/unsure"}:
            return [{"text": "Let's start over. Tell me what you feel."}]
        replies = [] if text.startswith("/") else [{"text": f"You said: {text}"}]
        replies.append(self.question(self.asked[sender]))
        self.asked[sender] += 1
        return replies

    @staticmethod
    def question(index: int) -> Dict[str, Any]:
        symptom, question = QUESTIONS[min(index, len(QUESTIONS) - 1)]
        return {"text": question, "buttons": ANSWERS,
                "custom": {"question": {"id": symptom, "type": "symptom", "text": question}}}


def build_app() -> Sanic:
    app = Sanic("stub_assistant")
    CORS(app, resources={r"/*": {"origins": "*"}}, automatic_options=True)
    script = Script()

    async def on_new_message(message: UserMessage) -> None:
        for reply in script.replies(message.sender_id, message.text):
            await message.output_channel.send_response(message.sender_id, dict(reply))

    for channel in create_http_input_channels(None, str(CREDENTIALS)):
        app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.url_prefix()}")
    return app


if __name__ == "__main__":
    build_app().run(host="127.0.0.1", port=int(sys.argv[1]), workers=1, access_log=False)
