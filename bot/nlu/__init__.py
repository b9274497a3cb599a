"""Custom NLU: the symptom extractor (extractor.py, pure) and its Rasa component (symptoms.py).

Import `bot.nlu.extractor.SymptomFinder` to extract without Rasa; only `bot.nlu.symptoms` imports Rasa.
"""
