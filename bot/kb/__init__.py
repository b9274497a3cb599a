"""The knowledge base: YAML under data/kb/ -> validated objects -> SQLAlchemy database. No Rasa here."""
