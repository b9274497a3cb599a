"""The interview, in pure Python: one step takes the state and what the person said, and returns the
new state and typed replies. The Rasa actions, the emergency policy and the vignette evaluation all
run it; they only translate their own world (trackers, intents, HTTP) to a `Turn` and back.
"""
