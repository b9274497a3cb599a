"""Computes a conversation's dialogue states once per tracker, not once per policy.

To predict the next action Rasa 3.6 asks every policy, and each policy turns the whole
conversation into states (`Domain.states_for_tracker_history`, a replay of every event): TED
and MemoizationPolicy with the same options, RulePolicy with others, four to nine times per
message for the same tracker. The cost of each grows with the conversation. `install()` keeps
the states on the tracker for its current number of events and the options asked, and hands
each caller its own copy (callers edit the last state). A new event, or a new tracker, computes
them afresh, so the states are always those Rasa computes.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Optional, Text

from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker

ORIGINAL: Callable[..., List[State]] = Domain.states_for_tracker_history
MEMO = "_states_memo"  # attribute on the tracker: (number of events, {(domain, options...): states})


def _copy(states: List[State]) -> List[State]:
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in states]


def install() -> None:
    """Replaces Domain.states_for_tracker_history in this process (idempotent)."""
    if Domain.states_for_tracker_history is not ORIGINAL:
        return

    def states_for_tracker_history(self: Domain, tracker: DialogueStateTracker, omit_unset_slots: bool = False,
                                   ignore_rule_only_turns: bool = False,
                                   rule_only_data: Optional[Dict[Text, Any]] = None) -> List[State]:
        events, memo = tracker.__dict__.get(MEMO, (None, {}))
        if events != len(tracker.events):  # a new event: earlier states are never asked for again
            memo = {}
            tracker.__dict__[MEMO] = (len(tracker.events), memo)
        key = (id(self), omit_unset_slots, ignore_rule_only_turns,
               json.dumps(rule_only_data, sort_keys=True, default=str))
        if key not in memo:
            memo[key] = ORIGINAL(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        return _copy(memo[key])

    states_for_tracker_history.__doc__ = ORIGINAL.__doc__
    Domain.states_for_tracker_history = states_for_tracker_history


def uninstall() -> None:
    Domain.states_for_tracker_history = ORIGINAL
