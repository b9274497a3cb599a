"""A tiny scripted REST channel on 127.0.0.1 for the load driver's tests (no Rasa, no model).

Per sender: the opener gets the age question, then sex (with buttons), then one yes/no question
(with buttons), then an assessment; an opener mentioning "face" gets an emergency. A question
(text ending in "?") gets a plain answer and leaves the pending question as it was. The first
`fail_first` requests are answered with HTTP 500 and change nothing.
"""
from __future__ import annotations

import json
import threading
from collections import defaultdict
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"},
          {"title": "Not sure", "payload": "/unsure"}]
SEX = [{"title": "Female", "payload": '/give_sex{"sex": "female"}'},
       {"title": "Male", "payload": '/give_sex{"sex": "male"}'}]


def question(text: str, kind: str, qid: str, buttons: list | None = None) -> list[dict[str, Any]]:
    first: dict[str, Any] = {"text": text, **({"buttons": buttons} if buttons else {})}
    return [first, {"custom": {"question": {"id": qid, "type": kind, "text": text}}}]


class FakeAssistant:
    def __init__(self, fail_first: int = 0):
        self.fail_first = fail_first
        self.step: dict[str, int] = defaultdict(int)
        self.received: list[tuple[str, str]] = []  # (sender, text) of every request it answered with 200
        self.message_ids: list[str] = []  # the metadata's message_id of every request, in order
        self.lock = threading.Lock()

    def answer(self, sender: str, text: str) -> tuple[int, list[dict[str, Any]]]:
        with self.lock:
            if self.fail_first > 0:
                self.fail_first -= 1
                return 500, []
            self.received.append((sender, text))
            if text.endswith("?") and self.step[sender] > 0:
                return 200, [{"text": "An answer from the FAQ."}]
            step = self.step[sender]
            self.step[sender] += 1
        if step == 0 and "face" in text:
            return 200, [{"text": "Call an ambulance."}, {"custom": {"emergency": {"triage": "emergency_ambulance",
                                                                                   "pattern": "stroke"}}}]
        script = [question("How old are you?", "age", "age"),
                  question("What sex were you assigned at birth?", "sex", "sex", SEX),
                  question("Do you have diabetes?", "symptom", "diabetes", YES_NO)]
        if step < len(script):
            return 200, script[step]
        return 200, [{"text": "Possibly diabetic neuropathy."},
                     {"custom": {"assessment": {"triage": "consultation", "conditions": []}}}]


@contextmanager
def fake_assistant(fail_first: int = 0) -> Iterator[tuple[str, FakeAssistant]]:
    """(base URL, the script) while the server runs."""
    script = FakeAssistant(fail_first)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            script.message_ids.append((body.get("metadata") or {}).get("message_id"))
            status, replies = script.answer(body["sender"], body["message"])
            data = json.dumps(replies).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass  # no access log: the test output stays readable

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
