"""Driving the widget in a page the way a person does: through its launcher, buttons and text box."""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterator
from urllib.parse import parse_qsl, urlsplit

SEND_TIMEOUT_MS = 60_000


def host_page(server: str, **data: str) -> str:
    """A plain page on another origin that embeds the widget with one script tag (and no CSP)."""
    attributes = " ".join(f'data-{name.replace("_", "-")}="{value}"' for name, value in data.items())
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Clinic</title>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'></head><body><h1>Clinic</h1>"
            f"<script src='{server}/webhooks/widget/widget.js' {attributes} defer></script></body></html>")


@contextmanager
def clinic_site(server: str) -> Iterator[str]:
    """A clinic's own web site on another local origin: GET /?socket_path=... embeds the widget from
    `server` with those data-* settings (a real loopback server: Chromium won't let a page that no server
    of the loopback range sent load scripts from loopback)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            data = dict(parse_qsl(urlsplit(self.path).query))
            body = host_page(server, **data).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            """Silent: an access log would only clutter the test output."""

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{site.server_address[1]}/"
    finally:
        site.shutdown()
        site.server_close()


def open_widget(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Numb legs? Check your symptoms").click()
    page.locator(".lnw-msg-bot").first.wait_for(timeout=SEND_TIMEOUT_MS)


def entries(page) -> int:
    return page.locator(".lnw-entry").count()


def say(page, text: str, until: str = "buttons") -> None:
    before = entries(page)
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")
    wait_for_reply(page, before + 1, until)


def reply_button(page, title: str):
    """The enabled answer button whose title is exactly `title` ("Male" is not "Female")."""
    return page.locator(".lnw-reply:enabled", has_text=re.compile(f"^{re.escape(title)}$"))


def click(page, title: str, until: str = "buttons") -> None:
    before = entries(page)
    reply_button(page, title).click()
    wait_for_reply(page, before + 1, until)


def wait_for_reply(page, entries_before_reply: int, until: str = "buttons") -> None:
    """Waits until the assistant answered the person's message: with `until="buttons"`, until its last
    message offers buttons (every question, assessment and emergency does); with "any", any message."""
    page.wait_for_function(
        """([n, until]) => {
             const s = window.legNumbnessWidget.shadow;
             const all = s.querySelectorAll('.lnw-entry');
             if (all.length <= n || s.querySelector('.lnw').dataset.waiting === 'true') return false;
             return until === 'any' || all[all.length - 1].querySelector('.lnw-reply:enabled') !== null;
           }""",
        arg=[entries_before_reply, until], timeout=SEND_TIMEOUT_MS)
    page.wait_for_timeout(200)


def transcript(page) -> Dict:
    return page.evaluate("() => { const k = Object.keys(sessionStorage).find(k => k.startsWith('lnw:'));"
                         " return JSON.parse(sessionStorage.getItem(k)); }")


def last_contract(page) -> Dict:
    entries = [e for e in transcript(page)["entries"] if e["role"] == "bot" and e.get("custom")]
    return entries[-1]["custom"] if entries else {}
