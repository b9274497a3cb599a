"""LinearIntentVote: a logistic regression that votes with DIET's ranking instead of replacing it."""
from __future__ import annotations

import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_vote import LinearIntentVote

EXAMPLES = {
    "greet": ["hello", "hi there", "good morning", "hey"],
    "describe_symptoms": ["my feet are numb", "my left leg tingles", "numb toes", "my calves burn"],
    "out_of_scope": ["what's the weather", "tell me a joke", "book a table", "play some music"],
}


@pytest.fixture
def context(tmp_path):
    return LocalModelStorage(tmp_path), ExecutionContext(GraphSchema({}), "test")


@pytest.fixture
def featurize(context):
    """Tokenizes and counts words, as the pipeline does before the classifiers."""
    storage, execution = context
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    counter = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage,
                                            Resource("words"), execution)
    training = TrainingData([Message(data={TEXT: text, INTENT: intent})
                             for intent, texts in EXAMPLES.items() for text in texts])
    tokenizer.process_training_data(training)
    counter.train(training)
    counter.process_training_data(training)

    def messages(texts):
        out = [Message(data={TEXT: text}) for text in texts]
        tokenizer.process(out)
        counter.process(out)
        return out

    return training, messages


@pytest.fixture
def vote(context, featurize):
    storage, execution = context
    training, _ = featurize
    LinearIntentVote.create({}, storage, Resource("vote"), execution).train(training)
    return LinearIntentVote.load({}, storage, Resource("vote"), execution)


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_the_vote_is_the_mean_of_both_rankings():
    classifier = LinearIntentVote({"diet_weight": 0.5}, "vote", None, None)
    voted = classifier.vote(ranking(("greet", 0.9), ("thanks", 0.1)), {"greet": 0.2, "thanks": 0.8})
    assert [entry["name"] for entry in voted] == ["greet", "thanks"]
    assert voted[0]["confidence"] == pytest.approx(0.55)
    assert voted[1]["confidence"] == pytest.approx(0.45)


def test_an_intent_one_ranking_left_out_counts_as_zero():
    classifier = LinearIntentVote({"diet_weight": 0.5}, "vote", None, None)
    voted = {e["name"]: e["confidence"] for e in classifier.vote(ranking(("greet", 1.0)), {"thanks": 1.0})}
    assert voted == {"greet": pytest.approx(0.5), "thanks": pytest.approx(0.5)}


def test_without_an_earlier_ranking_its_own_probabilities_decide():
    classifier = LinearIntentVote({}, "vote", None, None)
    voted = classifier.vote([], {"greet": 0.3, "thanks": 0.7})
    assert voted == ranking(("thanks", 0.7), ("greet", 0.3))


def test_a_weight_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="diet_weight"):
        LinearIntentVote.validate_config({"diet_weight": 1.5})


def test_a_trained_vote_classifies_and_keeps_the_ranking_a_distribution(vote, featurize):
    _, messages = featurize
    [numb, hello] = vote.process(messages(["my toes are numb", "hello"]))
    assert numb.get(INTENT)["name"] == "describe_symptoms"
    assert hello.get(INTENT)["name"] == "greet"
    assert sum(entry["confidence"] for entry in numb.get(INTENT_RANKING_KEY)) == pytest.approx(1.0)


def test_the_earlier_classifiers_ranking_counts(vote, featurize):
    """DIET very sure of another intent outvotes a regression that is only fairly sure."""
    _, messages = featurize
    [message] = messages(["my toes are numb"])
    message.set(INTENT_RANKING_KEY, ranking(("greet", 1.0)))
    [message] = vote.process([message])
    assert message.get(INTENT)["name"] == "greet"


def test_training_leaves_the_labelled_intents_alone(vote, featurize):
    training, _ = featurize
    vote.process_training_data(training)
    assert all(isinstance(example.get(INTENT), str) for example in training.training_examples)


def test_a_message_without_features_is_left_as_it_was(vote):
    message = Message(data={TEXT: ""})
    message.set(INTENT, {"name": "greet", "confidence": 0.9})
    [message] = vote.process([message])
    assert message.get(INTENT) == {"name": "greet", "confidence": 0.9}


def test_a_message_some_featurizers_skipped_is_left_as_it_was(vote):
    """An empty message gets fewer features than the regression was trained on: DIET's intent stands."""
    message = Message(data={TEXT: " "})
    message.add_features(Features(scipy.sparse.coo_matrix([[1.0, 0.0]]), FEATURE_TYPE_SENTENCE, TEXT, "other"))
    message.set(INTENT, {"name": "greet", "confidence": 0.9})
    [message] = vote.process([message])
    assert message.get(INTENT) == {"name": "greet", "confidence": 0.9}
