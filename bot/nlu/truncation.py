"""`LongMessageTruncator`: the NLU pipeline reads at most `MAX_CHARS` characters of a message.

DIET's attention grows with the square of the message length: a 100 KB paste exhausts memory
and the person gets no answer at all. Nobody describes symptoms in more than a few thousand
characters, so the pipeline reads the start of the message, as the symptom extractor does.
Placed first in config.yml, before the tokenizer.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.extractor import MAX_CHARS


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LongMessageTruncator(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LongMessageTruncator":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and len(text) > MAX_CHARS:
                message.set(TEXT, text[:MAX_CHARS])
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
