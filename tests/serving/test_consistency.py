"""The fault tests' judge (bot/serving/consistency.py): what a person sent and got, against what was stored."""
from __future__ import annotations

from bot.conversations.store import StoredEvent
from bot.serving.consistency import Attempt, check
from bot.serving.notice import UNAVAILABLE, unavailable_message

ME = "person-1"


def reply(*texts):
    return [{"text": t} for t in texts]


def stored(*turns):
    """Events of `ME`: each turn is (user text, [bot texts], taken back?)."""
    events = []
    for text, bot_texts, taken_back in turns:
        events.append(StoredEvent(ME, "user", 0.0, {"text": text}))
        events.append(StoredEvent(ME, "action", 0.0, {"name": "action_interview"}))
        events += [StoredEvent(ME, "bot", 0.0, {"text": t}) for t in bot_texts]
        if taken_back:
            events.append(StoredEvent(ME, "rewind", 0.0, {}))
    return events


def test_a_clean_conversation_is_all_answered():
    attempts = [Attempt(ME, "my foot is numb", 200, reply("How old are you?")), Attempt(ME, "45", 200, reply("Sex?"))]
    findings = check(attempts, stored(("my foot is numb", ["How old are you?"], False), ("45", ["Sex?"], False)))
    assert (findings.answered, findings.broken) == (2, 0)


def test_a_notice_taken_back_or_absent_is_fine_and_a_kept_one_is_half_applied():
    notice = [unavailable_message()]
    attempts = [Attempt(ME, "45", 200, notice), Attempt(ME, "45", 200, notice), Attempt(ME, "45", 200, reply("Sex?"))]
    fine = check(attempts, stored(("45", [UNAVAILABLE], True), ("45", ["Sex?"], False)))
    assert (fine.answered, fine.broken) == (1, 0)
    kept = check(attempts[:1], stored(("45", [UNAVAILABLE], False)))
    assert kept.half_applied == 1


def test_a_reply_not_stored_is_lost_and_a_failed_try_stored_then_retried_is_a_duplicate():
    lost = check([Attempt(ME, "45", 200, reply("Sex?"))], stored())
    assert lost.lost == 1
    attempts = [Attempt(ME, "45", None, []), Attempt(ME, "45", 200, reply("Sex?"))]
    assert check(attempts, stored(("45", ["Sex?"], False))).broken == 0  # the failed try was never stored
    twice = check(attempts, stored(("45", ["Sex?"], False), ("45", ["Sex?"], False)))
    assert twice.duplicated == 1


def test_replies_other_than_received_and_unsent_messages_are_found():
    other = check([Attempt(ME, "45", 200, reply("Sex?"))], stored(("45", ["Something else"], False)))
    assert other.half_applied == 1
    extra = check([Attempt(ME, "45", 200, reply("Sex?"))], stored(("45", ["Sex?"], False), ("hi", ["Hi"], False)))
    assert extra.duplicated == 1


def test_a_repeated_answer_after_a_failed_try_is_matched_by_its_replies():
    attempts = [Attempt(ME, "no", None, []), Attempt(ME, "no", 200, reply("Tingling?")),
                Attempt(ME, "no", 200, reply("Weakness?"))]
    fine = check(attempts, stored(("no", ["Tingling?"], False), ("no", ["Weakness?"], False)))
    assert (fine.answered, fine.broken) == (2, 0)
    twin = check(attempts, stored(("no", ["Tingling?"], False), ("no", ["Tingling?"], False),
                                  ("no", ["Weakness?"], False)))
    assert (twin.answered, twin.duplicated, twin.lost, twin.half_applied) == (2, 1, 0, 0)


def test_a_twin_with_the_same_replies_is_a_duplicate():
    attempts = [Attempt(ME, "39", None, []), Attempt(ME, "39", 200, reply("Sex?")),
                Attempt(ME, "male", 200, reply("?"))]
    twin = check(attempts, stored(("39", ["Sex?"], False), ("39", ["Sex?"], False), ("male", ["?"], False)))
    assert (twin.answered, twin.duplicated, twin.lost) == (2, 1, 0)
