"""The triage engine: evidence, ranking, next question, triage level, red-flag rules. Pure Python."""
