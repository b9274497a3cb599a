"""Vignette evaluation: plays clinical vignettes against the assistant as a person would and scores them.

vignettes.py (the format) -> person.py (answers from the facts) -> play.py (one conversation over
a channel of channels.py: REST or in-process) -> scoring.py -> report.py. Run with
`python scripts/evaluate.py`.
"""
