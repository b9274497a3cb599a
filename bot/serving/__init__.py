"""How this project starts Rasa: `python -m bot.serving run ...` is `rasa run ...` with our adapters.

`make run` (scripts/run.sh), `make shell`, the end-to-end tests and `make bench` start the Rasa
server this way. Each adapter is a small, documented change to how Rasa serves, made in this
process only (never an edit to installed files), and `install()` applies them all:

- `action_validation`: the check of each action-server response against Rasa's JSON Schema is
  compiled once instead of at every call (Rasa 3.6 re-checks the schema itself each time; that
  was about 40% of the Rasa server's CPU under load, see docs/performance.md);
- `state_memo`: the policies share one computation of the conversation's dialogue states per
  tracker, instead of each replaying the whole conversation again;
- `model_loading`: DIET, the ResponseSelector and TED are loaded for prediction only, without the
  training graph and optimizer state Rasa builds when loading (0.6 GB less memory).
"""
from __future__ import annotations

from bot.serving import action_validation, model_loading, state_memo


def install() -> None:
    action_validation.install()
    state_memo.install()
    model_loading.install()
