"""Rasa's templated responses, with the whole `custom.emergency` contract (bot/contracts.py).

domain.yml's `utter_emergency` is worded by Rasa from slots, and slots can only put strings into a
response. The emergency policy puts the whole payload (with the findings it rests on and the
suspected condition) into the `emergency` slot; this generator puts that payload into the message.
It also tells, after the template's text, what was understood, so the person (or a paramedic reading
the screen) sees what the escalation rests on. Configured in endpoints.yml as
`nlg: {type: bot.nlg.EmergencyPayloadNLG}`; without it the message keeps the template's own text and
subset of the payload (version, triage, pattern, reason).
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.contracts import EMERGENCY

PAYLOAD_SLOT = "emergency"


class EmergencyPayloadNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        message = await super().generate(utter_action, tracker, output_channel, **kwargs)
        custom = (message or {}).get("custom")
        payload = tracker.get_slot(PAYLOAD_SLOT)
        if isinstance(custom, dict) and EMERGENCY in custom and isinstance(payload, dict):
            message["custom"] = {**custom, EMERGENCY: payload}
            understood = understood_line(payload)
            if understood and message.get("text"):
                message["text"] = f"{message['text']}\n\n{understood}"
        return message


def understood_line(payload: Dict[str, Any]) -> str:
    names = [str(f.get("name", "")).lower() for f in payload.get("findings") or [] if isinstance(f, dict)]
    return f"What I understood: {', '.join(n for n in names if n)}." if any(names) else ""
