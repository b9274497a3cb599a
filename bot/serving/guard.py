"""A custom action that cannot run (action server down, knowledge base unreadable) becomes a clear notice.

Rasa's own handling of a failed custom action logs it, drops its events and predicts on, which ends in
the fallback ("Sorry, I didn't understand that") with the person's message half-applied: the person
is blamed for our fault. Here the person gets the notice of bot/serving/notice.py and the turn is
taken back (`UserUtteranceReverted`), so the conversation is exactly where it was and the same
message, sent again once the part is back, carries on from there. The emergency policy runs inside
the Rasa server before any custom action, so emergencies escalate all the same.
"""
from __future__ import annotations

import logging
from typing import Any, List, Text

from rasa.core.actions.action import Action, ActionExecutionRejection, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.channels.channel import OutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, FollowupAction, UserUtteranceReverted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.serving.notice import UNAVAILABLE, unavailable_message

logger = logging.getLogger(__name__)

ACTION_UNAVAILABLE = "action_unavailable"  # how a custom action that could not run is logged (never applied)


def unavailable_events() -> List[Event]:
    """Tell the person, take the turn back, then listen."""
    notice = unavailable_message()
    return [
        BotUttered(notice["text"], data={"custom": notice["custom"]}),
        UserUtteranceReverted(),
        FollowupAction(ACTION_LISTEN_NAME),
    ]


def says_unavailable(events: List[Event]) -> bool:
    """The action server's own way to say it cannot serve the turn (the KB database is down)."""
    return any(isinstance(e, BotUttered) and e.text == UNAVAILABLE for e in events)


class UnavailableGuard(Action):
    """Runs a custom action (a remote action, or a form that calls remote ones) and turns a failure into
    the notice."""

    def __init__(self, action: Action) -> None:
        self.action = action
        self.failed = False

    def name(self) -> Text:
        return self.action.name()

    def event_for_successful_execution(self, prediction: Any) -> Event:
        """What the processor logs before the action's events. A failed run is logged as ACTION_UNAVAILABLE:
        logged under a form's name, Rasa would fold it into the form's earlier steps (`applied_events`), and
        the revert that follows would then take back the person's previous message too."""
        event = self.action.event_for_successful_execution(prediction)
        if self.failed and isinstance(event, ActionExecuted):
            event.action_name = ACTION_UNAVAILABLE
        return event

    async def run(self, output_channel: OutputChannel, nlg: NaturalLanguageGenerator,
                  tracker: DialogueStateTracker, domain: Domain) -> List[Event]:
        try:
            events = await self.action.run(output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise  # a form rejecting its input: Rasa's normal flow, not a fault
        except Exception as error:  # noqa: BLE001 - whatever failed, the person gets the same notice
            logger.error("Custom action '%s' failed (%s); the person is told the check is unavailable.",
                         self.name(), error)
            self.failed = True
            return unavailable_events()
        if says_unavailable(events or []):
            logger.warning("Custom action '%s' could not serve the turn; it is taken back.", self.name())
            self.failed = True
            return unavailable_events()
        return events


def guarded(action: Action) -> Action:
    """Custom actions get the guard; Rasa's own actions and responses run as they are."""
    return UnavailableGuard(action) if isinstance(action, (RemoteAction, FormAction)) else action
