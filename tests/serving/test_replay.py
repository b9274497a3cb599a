"""A retried message (same message_id) is answered from the conversation and stored once (bot/serving/replay.py)."""
from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.serving.replay import stored_answer


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", list(events))


def test_the_answer_to_a_stored_message_is_found_by_its_id():
    conversation = tracker(
        UserUttered("my foot is numb", metadata={"message_id": "m1"}),
        ActionExecuted("action_interview"),
        BotUttered("I understood that you have foot numbness."),
        BotUttered("How old are you?", data={"custom": {"question": {"id": "age"}}}),
        ActionExecuted("action_listen"),
        UserUttered("45", metadata={"message_id": "m2"}),
        BotUttered("What sex were you assigned at birth?"),
    )
    assert [b.text for b in stored_answer(conversation, "m1")] == [
        "I understood that you have foot numbness.", "How old are you?"]
    assert [b.text for b in stored_answer(conversation, "m2")] == ["What sex were you assigned at birth?"]
    assert stored_answer(conversation, "m3") is None, "a new message is served"
    assert stored_answer(tracker(UserUttered("hi")), "m1") is None
