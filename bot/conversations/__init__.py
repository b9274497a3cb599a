"""Conversation review for trainers: stored conversations -> test stories and readable transcripts.

`store` reads Rasa's SQL tracker store (SQLAlchemy Core, no Rasa import), `sessions` cuts each
sender's events into conversations, `anonymise` drops personal details, `stories` and
`transcript` write what trainers read, and `export` ties them together for
`python -m bot conversations export`.
"""
