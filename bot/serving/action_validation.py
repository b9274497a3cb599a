"""Validates action-server responses with a JSON Schema validator built once per process.

Rasa 3.6's `RemoteAction._validate_action_result` calls `jsonschema.validate(result, schema)` on
every response of the action server. `jsonschema.validate` first checks the schema itself
against its meta-schema (`check_schema`), and Rasa's events schema is large: under load that
check alone took about 40% of the Rasa server's CPU. The schema never changes while Rasa runs,
so `install()` checks it once and keeps the validator. A response is judged exactly as before:
the same schema, `jsonschema.validate`'s best-matching error, Rasa's own hint added to it.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Text

import jsonschema
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

ORIGINAL: Callable[[RemoteAction, Dict[Text, Any]], bool] = RemoteAction._validate_action_result
HINT = (f". Failed to validate Action server response from API, make sure your response from the Action "
        f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions")


def compiled_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def install() -> None:
    """Replaces RemoteAction._validate_action_result in this process (idempotent)."""
    if RemoteAction._validate_action_result is not ORIGINAL:
        return
    validator = compiled_validator()

    def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is not None:
            error.message += HINT
            raise error
        return True

    validate_action_result.__doc__ = ORIGINAL.__doc__
    RemoteAction._validate_action_result = validate_action_result


def uninstall() -> None:
    RemoteAction._validate_action_result = ORIGINAL

