"""`python -m bot conversations export`: recent conversations -> `test_stories.yml` + `transcripts.md`.

The output is health data (personal details too, unless `--anonymise`): it goes under `var/`
(ignored by git) by default, in a folder only its owner can read.
"""
from __future__ import annotations

import os
import re
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

from bot.conversations.anonymise import Anonymiser
from bot.conversations.sessions import conversations
from bot.conversations.store import ROOT, TrackerStoreError, connect, read_events, safe_url, tracker_store_url
from bot.conversations.stories import stories_yaml
from bot.conversations.transcript import transcript_markdown

KEY_VARIABLE = "CONVERSATION_PSEUDONYM_KEY"
DEFAULT_KEY_FILE = ROOT / "var" / "pseudonym.key"
DEFAULT_OUT = ROOT / "var" / "exports"
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class ExportError(RuntimeError):
    """The export cannot run (no tracker store, a bad --since); the message says what to do."""


def parse_since(since: str, now: Optional[datetime] = None) -> datetime:
    """'7d', '24h', '30m', '2w' before now, or a date / ISO time ('2026-11-01', UTC unless it says)."""
    now = now or datetime.now(timezone.utc)
    match = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", since.lower())
    if match:
        return now - timedelta(**{UNITS[match.group(2)]: int(match.group(1))})
    try:
        moment = datetime.fromisoformat(since.strip())
    except ValueError:
        raise ExportError(f"--since {since!r}: use 30m, 24h, 7d, 2w or a date such as 2026-11-01") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def pseudonym_key(key_file: Path = DEFAULT_KEY_FILE) -> bytes:
    """The key of the sender pseudonyms: $CONVERSATION_PSEUDONYM_KEY, else a random key kept in var/.

    The same key gives the same pseudonym for a person in every export; keep it secret (anyone
    with it can test whether a known sender id is behind a pseudonym).
    """
    if os.environ.get(KEY_VARIABLE):
        return os.environ[KEY_VARIABLE].encode("utf-8")
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip().encode("utf-8")


def export_conversations(since: str = "7d", tracker_url: Optional[str] = None, endpoints: Optional[Path] = None,
                         out_dir: Optional[Path] = None, anonymise: bool = False,
                         now: Optional[datetime] = None, key: Optional[bytes] = None) -> str:
    """Writes the two files and returns a summary for the terminal."""
    now = now or datetime.now(timezone.utc)
    start = parse_since(since, now)
    try:
        url = tracker_store_url(tracker_url, endpoints)
        engine = connect(url)
        try:
            found = conversations(read_events(engine, start.timestamp()), start.timestamp())
        finally:
            engine.dispose()
    except TrackerStoreError as error:
        raise ExportError(str(error)) from error

    if anonymise:
        anonymiser = Anonymiser(key or pseudonym_key())
        found = [anonymiser.conversation(c) for c in found]
    out_dir = Path(out_dir or DEFAULT_OUT / f"conversations-{now.strftime('%Y%m%d-%H%M%S')}")
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)

    period = f"{start.strftime('%Y-%m-%d %H:%M')} to {now.strftime('%Y-%m-%d %H:%M')} UTC"
    privacy = ("Personal details removed (names, e-mails, phone numbers, dates, addresses; ages rounded to the "
               "middle of their ten-year band; senders pseudonymised)." if anonymise else
               "NOT anonymised: contains what people typed, including any personal details. Health data: "
               "do not share or commit it.")
    source = safe_url(url)
    stories = out_dir / "test_stories.yml"  # the test_ prefix makes Rasa read it as test stories
    transcripts = out_dir / "transcripts.md"
    stories.write_text(stories_yaml(found, header=(
        f"Test stories from conversations {period}, exported from {source}.\n{privacy}\n"
        "Drafts: each replays what the assistant did. Fix what a REVIEW comment points at, then copy the story\n"
        "into tests/test_stories.yml and run `make story-test`.")), encoding="utf-8")
    transcripts.write_text(transcript_markdown(found, f"Conversations {period}", [
        f"Exported from {source}. {privacy}",
        "Story N in test_stories.yml is conversation N here."]), encoding="utf-8")
    for path in (stories, transcripts):
        path.chmod(0o600)
    return (f"Exported {len(found)} conversation(s) from {period} ({source})"
            f"{', anonymised' if anonymise else ''}:\n  {stories} (test stories)\n  {transcripts} (transcripts)")
