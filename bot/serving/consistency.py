"""Compares what each person sent and received with what the tracker store kept, message by message.

The rules (issue 15): a message that got a reply is stored exactly once, in order, with its replies. A
message that got the "unavailable" notice or an error (a 5xx, no answer, a 429) is either absent or
stored complete and taken back, never half-applied; the person's retry then works like a first try.

`check(attempts, stored)` takes the client's attempts in the order each person sent them and the stored
events of the same senders (bot/conversations/store.read_events), and counts what breaks the rules.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from bot.conversations.store import StoredEvent
from bot.serving.notice import UNAVAILABLE, is_unavailable

ANSWERED, NOTICE, FAILED = "answered", "notice", "failed"


@dataclass(frozen=True)
class Attempt:
    """One message as the client saw it: what it sent and what came back (status None: no HTTP answer)."""

    sender: str
    text: str
    status: Optional[int]
    replies: Sequence[Mapping[str, Any]]

    @property
    def kind(self) -> str:
        if self.status != 200 or not self.replies:
            return FAILED
        return NOTICE if any(is_unavailable(dict(r)) for r in self.replies) else ANSWERED

    @property
    def reply_texts(self) -> List[str]:
        return [str(r["text"]) for r in self.replies if r.get("text")]


@dataclass
class StoredTurn:
    """A user message in the store and what followed it up to the next one."""

    text: str
    bot_texts: List[str] = field(default_factory=list)
    taken_back: bool = False  # a `rewind` (UserUtteranceReverted) followed


@dataclass
class Findings:
    conversations: int = 0
    answered: int = 0  # messages with a reply, each found stored once, in order, with its replies
    lost: int = 0  # a reply was received, but the message or its replies are not in the store
    duplicated: int = 0  # stored more often than the person sent it with success
    half_applied: int = 0  # stored without the notice/replies it got, or kept although the notice took it back
    problems: List[str] = field(default_factory=list)  # one line per finding, for the report

    def add(self, other: "Findings") -> None:
        for name in ("conversations", "answered", "lost", "duplicated", "half_applied"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems

    @property
    def broken(self) -> int:
        return self.lost + self.duplicated + self.half_applied


def stored_turns(events: Iterable[StoredEvent]) -> List[StoredTurn]:
    turns: List[StoredTurn] = []
    for event in events:
        if event.type_name == "user":
            turns.append(StoredTurn(str(event.data.get("text") or "")))
        elif turns and event.type_name == "bot" and event.data.get("text"):
            turns[-1].bot_texts.append(str(event.data["text"]))
        elif turns and event.type_name == "rewind":
            turns[-1].taken_back = True
    return turns


def check(attempts: Sequence[Attempt], stored: Iterable[StoredEvent]) -> Findings:
    by_sender: Dict[str, List[StoredEvent]] = defaultdict(list)
    for event in stored:
        by_sender[event.sender_id].append(event)
    sent: Dict[str, List[Attempt]] = defaultdict(list)
    for attempt in attempts:
        sent[attempt.sender].append(attempt)
    findings = Findings()
    for sender, own in sent.items():
        findings.add(check_conversation(sender, own, stored_turns(by_sender.get(sender, []))))
    return findings


def check_conversation(sender: str, attempts: Sequence[Attempt], turns: List[StoredTurn]) -> Findings:
    """Walks the person's attempts and the stored turns side by side. People repeat themselves ("no", "no"),
    so a stored turn is matched to an answered attempt by its text and its replies."""
    found = Findings(conversations=1)
    position = 0

    def stored(ahead: int = 0) -> Optional[StoredTurn]:
        return turns[position + ahead] if position + ahead < len(turns) else None

    def exactly(turn: Optional[StoredTurn], attempt: Attempt) -> bool:
        return turn is not None and turn.text == attempt.text and turn.bot_texts == attempt.reply_texts

    for number, attempt in enumerate(attempts, 1):
        where = f"{sender} message {number} {attempt.text[:40]!r}"
        turn = stored()
        if attempt.kind == ANSWERED:
            if exactly(turn, attempt):
                position += 1
                found.answered += 1
                if exactly(stored(), attempt) and (number == len(attempts) or attempts[number].text != attempt.text):
                    position += 1  # the same turn twice, with the same replies: an unanswered try, then its retry
                    found.duplicated += 1
                    found.problems.append(f"{where}: stored twice (the first try got no answer)")
            elif turn is not None and turn.text == attempt.text and exactly(stored(1), attempt):
                position += 2  # an earlier try that got no answer was stored complete: the retry repeated it
                found.duplicated += 1
                found.answered += 1
                found.problems.append(f"{where}: stored twice (the first try got no answer)")
            elif turn is not None and turn.text == attempt.text:
                position += 1
                found.half_applied += 1
                found.problems.append(f"{where}: stored with other replies than the person got")
            else:
                found.lost += 1
                found.problems.append(f"{where}: answered but not stored here")
        elif attempt.kind == NOTICE:
            if turn is not None and turn.text == attempt.text and UNAVAILABLE in turn.bot_texts:
                position += 1
                if not turn.taken_back:
                    found.half_applied += 1
                    found.problems.append(f"{where}: the notice was sent but the message was kept")
        elif turn is not None and turn.text == attempt.text:  # no answer, and yet something stored
            retry = attempts[number] if number < len(attempts) else None
            if turn.taken_back or retry is None or retry.text != attempt.text:
                position += 1  # absent from the conversation, or complete with no retry: both allowed
            # else: the stored turn is the retry's, or this try's twin, which the retry's match tells apart
    for turn in turns[position:]:
        found.duplicated += 1
        found.problems.append(f"{sender}: {turn.text[:40]!r} stored but never sent by the person here")
    return found
