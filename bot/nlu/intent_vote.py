"""`LinearIntentVote`: a logistic regression on the same features votes with DIET on the intent.

Placed in config.yml right after DIETClassifier. DIET learns our ~1,500 examples by heart (training
accuracy 1.0 after ten epochs) and, with no pretrained word vectors to lean on, is sure of itself on
a message whose words it never saw. A logistic regression on the same sparse sentence features
(words, character n-grams, the word lists, the KB features) is regularised and generalises better
here, but it sees no word order. Each gives a probability per intent; the vote is their weighted
mean (`diet_weight`, default one half), and FallbackClassifier and the emergency policy read the
voted confidence as they read DIET's. Scores by 3-fold cross-validation on the same folds are in
config.yml.

Built on Rasa's own LogisticRegressionClassifier (scikit-learn, L2, balanced class weights,
persisted with skops): only the prediction is changed, to vote instead of overwrite, and the
training data is left as it came (the parent writes its predictions over the labelled intents,
which the ResponseSelector after it still needs).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH

DIET_WEIGHT = "diet_weight"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentVote(LogisticRegressionClassifier):
    """Logistic regression whose intent probabilities are averaged with the ranking already set."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "max_iter": 2000, DIET_WEIGHT: 0.5}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        weight = config.get(DIET_WEIGHT, cls.get_default_config()[DIET_WEIGHT])
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"{DIET_WEIGHT} must be between 0 and 1, not {weight!r}")

    def process(self, messages: List[Message]) -> List[Message]:
        if not hasattr(self.clf, "classes_"):  # created but never trained
            return messages
        for message in messages:
            features = self._create_X([message]) if message.features_present(TEXT) else None
            if features is None or features.shape[1] != self.clf.n_features_in_:
                continue  # an empty message, which some featurizers skip: DIET's ranking stands
            row = self.clf.predict_proba(features)[0]
            ranking = self.vote(message.get(INTENT_RANKING_KEY) or [], dict(zip(self.clf.classes_, row, strict=True)))
            message.set(INTENT, ranking[0], add_to_output=True)
            if self.config[RANKING_LENGTH] > 0:
                ranking = ranking[: self.config[RANKING_LENGTH]]
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def vote(self, earlier: List[Dict[str, Any]], own: Dict[str, float]) -> List[Dict[str, Any]]:
        """The weighted mean of the earlier classifier's ranking and this one's probabilities, best
        first. An intent missing from a ranking (DIET keeps its top ten) counts as probability 0."""
        theirs = {entry["name"]: entry["confidence"] for entry in earlier}
        weight = self.config[DIET_WEIGHT] if theirs else 0.0
        votes = {name: weight * theirs.get(name, 0.0) + (1.0 - weight) * own.get(name, 0.0)
                 for name in set(theirs) | set(own)}
        return [{"name": name, "confidence": float(confidence)}
                for name, confidence in sorted(votes.items(), key=lambda item: (-item[1], item[0]))]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
