"""KnowledgeFeaturizer: what the KB vocabulary recognises in a message, as features for DIET."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.knowledge_features import FEATURES, KnowledgeFeaturizer, feature_names
from bot.nlu.symptoms import SymptomExtractor


@pytest.fixture
def context(tmp_path):
    storage = LocalModelStorage(tmp_path)
    execution = ExecutionContext(GraphSchema({}), "test")
    return storage, execution


def tokenized(texts):
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message(data={TEXT: text}) for text in texts]
    tokenizer.process(messages)
    return messages


def features(message, origin_type):
    [feature] = [f for f in message.features if f.type == origin_type]
    return feature.features.toarray()


def test_each_kind_of_mention_has_its_own_feature():
    kinds = {"foot_numbness": "symptom", "diabetes": "risk_factor"}
    numb = {"entity": "symptom", "value": "foot_numbness"}
    assert feature_names(numb, kinds) == ["symptom"]
    assert feature_names({**numb, "negated": True}, kinds) == ["denied_symptom"]
    assert feature_names({**numb, "uncertain": True}, kinds) == ["hedged_symptom"]
    assert feature_names({"entity": "symptom", "value": "diabetes"}, kinds) == ["risk_factor"]
    assert feature_names({"entity": "symptom", "value": "self_reported_emergency"}, kinds) == ["emergency_statement"]
    assert feature_names({"entity": "age", "value": "45", "subject": "other"}, kinds) == ["age", "someone_else"]


def test_knowledge_features_mark_the_tokens_of_a_mention_and_the_sentence(context):
    storage, execution = context
    featurizer = KnowledgeFeaturizer.create({}, storage, Resource("knowledge"), execution)
    featurizer.train(TrainingData())
    loaded = KnowledgeFeaturizer.load({}, storage, Resource("knowledge"), execution)
    texts = ["my mum has no back pain but numb feet", "what's the weather tomorrow"]
    [numb, weather] = loaded.process(tokenized(texts))
    sentence = features(numb, FEATURE_TYPE_SENTENCE)[0]
    assert sentence[FEATURES.index("symptom")] == 1 and sentence[FEATURES.index("denied_symptom")] == 1
    assert sentence[FEATURES.index("someone_else")] == 1
    sequence = features(numb, FEATURE_TYPE_SEQUENCE)
    assert sequence.shape == (9, len(FEATURES))
    assert sequence[0, FEATURES.index("symptom")] == 0, "'my' is no symptom"
    assert features(weather, FEATURE_TYPE_SENTENCE).sum() == 0



def test_the_featurizer_and_the_extractor_share_one_extraction_per_message(context, monkeypatch):
    storage, execution = context
    KnowledgeFeaturizer.create({}, storage, Resource("knowledge"), execution).train(TrainingData())
    featurizer = KnowledgeFeaturizer.load({}, storage, Resource("knowledge"), execution)
    SymptomExtractor.create({}, storage, Resource("extractor"), execution).train(TrainingData())
    extractor = SymptomExtractor.load({}, storage, Resource("extractor"), execution)
    text = "my left foot has been numb for two weeks, no back pain, I'm 58"
    [alone] = extractor.process(tokenized([text]))
    expected = alone.as_dict(only_output_properties=True)

    calls = []
    for component in (featurizer, extractor):
        finder = component._finder
        monkeypatch.setattr(finder, "extract", lambda t, extract=finder.extract: calls.append(t) or extract(t))
    [message] = extractor.process(featurizer.process(tokenized([text])))
    assert calls == [text]
    assert message.as_dict(only_output_properties=True) == expected
    assert features(message, FEATURE_TYPE_SENTENCE)[0][FEATURES.index("symptom")] == 1
