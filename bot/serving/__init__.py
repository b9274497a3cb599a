"""Serving many people: the Rasa server's failure handling and speed-ups (`python -m bot.serving run ...`), the
notice a person gets while a part is down, and the tools that run the reference cluster (docs/operations.md)."""
