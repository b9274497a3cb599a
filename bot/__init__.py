"""The lower-leg-numbness assistant: knowledge base, NLU, triage engine and policies."""
