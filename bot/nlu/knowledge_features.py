"""`KnowledgeFeaturizer`: what the symptom extractor recognises, as features for the intent classifier.

Placed in config.yml after the tokenizer and before DIETClassifier. Without it DIET sees only
words and character n-grams, so "what's wrong with my feet?" and "what's wrong with my car?"
differ by one word it may never have seen. With it, every token carries whether the knowledge
base's vocabulary recognised it as a symptom (present, denied or hedged), a risk factor, a
named condition, an emergency statement, an age or a sex, and whether it is about someone else;
the sentence carries the same flags for the whole message. The vocabulary is the extractor's
(`bot.nlu.symptoms`), built from data/kb at `rasa train`, so a phrase added to the KB changes
the intent features too, with no code change.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.extractor import SymptomFinder
from bot.nlu.symptoms import findings_of, fingerprint_of, kb_dir_of, load_vocabulary, store_vocabulary
from bot.triage.red_flags import SELF_REPORTED_EMERGENCY

FEATURES = (
    "symptom",  # a symptom stated as present
    "denied_symptom",  # negated: "no back pain"
    "hedged_symptom",  # uncertain: "maybe a little weak"
    "risk_factor",  # diabetes, smoking, an injury...
    "emergency_statement",  # "I'm having a stroke"
    "condition",  # a named cause: "sciatica", "MS"
    "age",
    "sex",
    "someone_else",  # "my mum's leg is numb"
)
INDEX = {name: i for i, name in enumerate(FEATURES)}


def feature_names(entity: Dict[str, Any], kinds: Dict[str, str]) -> List[str]:
    """The features one extracted entity switches on."""
    names: List[str] = []
    kind = entity.get("entity")
    if kind == "symptom":
        if entity.get("value") == SELF_REPORTED_EMERGENCY:
            names.append("emergency_statement")
        elif entity.get("negated"):
            names.append("denied_symptom")
        elif entity.get("uncertain"):
            names.append("hedged_symptom")
        elif kinds.get(entity.get("value")) == "symptom":
            names.append("symptom")
        else:
            names.append("risk_factor")
    elif kind in ("condition", "age", "sex"):
        names.append(kind)
    if entity.get("subject") == "other":
        names.append("someone_else")
    return names


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class KnowledgeFeaturizer(SparseFeaturizer, GraphComponent):
    """Sparse token and sentence features from the KB vocabulary (see the module docstring)."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**SparseFeaturizer.get_default_config(), "kb_dir": None}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to check: `kb_dir` may be any folder, or None for the project's data/kb/."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        return fingerprint_of(config)

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, finder: Optional[SymptomFinder] = None) -> None:
        super().__init__(execution_context.node_name, {**self.get_default_config(), **config})
        self._model_storage = model_storage
        self._resource = resource
        self._finder = finder

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "KnowledgeFeaturizer":
        return cls(config, model_storage, resource, execution_context)

    def train(self, training_data: TrainingData) -> Resource:
        self._finder = SymptomFinder(store_vocabulary(self._model_storage, self._resource, kb_dir_of(self._config)))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "KnowledgeFeaturizer":
        vocabulary = load_vocabulary(model_storage, resource, kb_dir_of(config), cls.__name__)
        return cls(config, model_storage, resource, execution_context, SymptomFinder(vocabulary))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples, keep_findings=False)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Features for each message; the findings stay on the message for SymptomExtractor."""
        return self._featurize(messages, keep_findings=True)

    def _featurize(self, messages: List[Message], keep_findings: bool) -> List[Message]:
        if self._finder is None:  # created but never trained nor loaded (e.g. `rasa data validate`)
            return messages
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT], [])
            if message.get(TEXT) and tokens:
                entities = findings_of(message, self._finder) if keep_findings else self._finder.extract(
                    message.get(TEXT))
                sequence, sentence = self._features(entities, tokens)
                self.add_features_to_message(sequence, sentence, TEXT, message)
        return messages

    def _features(self, entities: List[Dict[str, Any]], tokens: list):
        sequence = np.zeros((len(tokens), len(FEATURES)))
        for entity in entities:
            columns = [INDEX[name] for name in feature_names(entity, self._finder.vocabulary.kinds)]
            for row, token in enumerate(tokens):
                if token.start < entity["end"] and entity["start"] < token.end:
                    sequence[row, columns] = 1.0
        sentence = sequence.max(axis=0, keepdims=True)
        return scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence)
