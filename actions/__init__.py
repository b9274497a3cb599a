"""The rasa-sdk action server: thin adapters from Rasa events to `bot/`. Run with `rasa run actions`."""
