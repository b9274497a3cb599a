"""Custom Rasa dialogue policies: the emergency escalation (emergency.py)."""
