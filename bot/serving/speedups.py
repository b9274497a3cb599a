"""What makes the Rasa server fast, installed before it starts (`python -m bot.serving run ...`).

Each adapter is a small, documented change to how Rasa 3.6 serves, made in this process only
(never an edit to installed files), and gives the same answers (docs/performance.md has the figures):

- `action_validation`: the check of each action-server response against Rasa's JSON Schema is
  compiled once instead of at every call (Rasa re-checks the schema itself each time: about 40%
  of the Rasa server's CPU under load);
- `state_memo`: the policies share one computation of the conversation's dialogue states per
  tracker, instead of each replaying the whole conversation again;
- `model_loading`: DIET, the ResponseSelector and TED are loaded for prediction only, without the
  training graph and optimizer state Rasa builds when loading (0.6 GB less memory);
- `fast_json`: the conversation sent with every custom action is encoded with ujson, about three
  times faster than the standard library (it grows with the conversation: 190 KB by turn 40).

The tracker store that reads only new rows is chosen in the endpoints (bot/serving/tracker_store.py).
"""
from __future__ import annotations

from bot.serving import action_validation, fast_json, model_loading, state_memo


def install() -> None:
    action_validation.install()
    state_memo.install()
    model_loading.install()
    fast_json.install()
