"""What Rasa's own channels lack: the web widget's channel, and Slack and Telegram connectors that render
the design's `custom` contracts (question, assessment, emergency) natively and check who is calling.

`contracts` and `settings` are plain Python; `widget`, `slack` and `telegram` are Rasa input channels,
named by their module path in credentials.yml.
"""
