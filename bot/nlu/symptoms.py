"""Rasa adapter for the symptom extractor: `bot.nlu.symptoms.SymptomExtractor` in config.yml.

Trainable so that `rasa train` reads the knowledge base, builds the vocabulary (with the
typo-protection list, which needs spaCy's frequency table) and stores it in the model; loading
a model then needs neither data/kb/ nor that table. `fingerprint_addon` hashes the KB files and
this package's sources, so a changed phrase or extractor retrains this node even though the
training data did not change.

Training messages are never touched (only tokenizers and featurizers get a
`process_training_data` node in Rasa's DefaultV1Recipe), so DIET never sees these entities;
at inference the entities are appended, with their extra keys (`negated`, `laterality`...),
which Rasa passes through unchanged to the tracker and to `/model/parse`.

The extractor runs once per message: `findings_of` keeps its result on the Message, so the
KnowledgeFeaturizer earlier in the pipeline and this component read the same findings.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.kb.yaml_loader import DEFAULT_KB_DIR, kb_files, read_knowledge_base
from bot.nlu.extractor import SymptomFinder
from bot.nlu.vocabulary import Vocabulary

logger = logging.getLogger(__name__)
VOCABULARY_FILE = "vocabulary.json"
FINDINGS = "symptom_findings"  # Message key: (the text read, its entities); never in the parse output


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class SymptomExtractor(GraphComponent, EntityExtractorMixin):
    """Finds KB symptoms, conditions, age and sex in a message (see bot/nlu/extractor.py)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"kb_dir": None}  # None: the project's data/kb/

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy", "spacy_lookups_data", "negspacy", "rapidfuzz"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        return fingerprint_of(config)

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 finder: Optional[SymptomFinder] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._finder = finder

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SymptomExtractor":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self._finder = SymptomFinder(store_vocabulary(self._model_storage, self._resource, kb_dir_of(self._config)))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SymptomExtractor":
        vocabulary = load_vocabulary(model_storage, resource, kb_dir_of(config), cls.__name__)
        return cls(config, model_storage, resource, SymptomFinder(vocabulary))

    def process(self, messages: List[Message]) -> List[Message]:
        if self._finder is None:  # created but never trained nor loaded (e.g. `rasa data validate`)
            return messages
        for message in messages:
            entities = self.add_extractor_name([dict(e) for e in findings_of(message, self._finder)])
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages


def findings_of(message: Message, finder: SymptomFinder) -> List[Dict[str, Any]]:
    """What the extractor finds in the message's text, extracted at the first call for that text."""
    text = message.get(TEXT)
    kept = message.get(FINDINGS)
    if kept is not None and kept[0] == text:
        return kept[1]
    entities = finder.extract(text)
    message.set(FINDINGS, (text, entities))
    return entities


def kb_dir_of(config: Dict[Text, Any]) -> Path:
    return Path(config.get("kb_dir") or DEFAULT_KB_DIR)


def fingerprint_of(config: Dict[Text, Any]) -> str:
    """A hash of the KB files and this package's sources: a changed phrase or matcher retrains the node."""
    digest = hashlib.sha256()
    sources = sorted(Path(__file__).parent.glob("*.py"))
    for path in [*kb_files(kb_dir_of(config)), *sources]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def store_vocabulary(model_storage: ModelStorage, resource: Resource, kb_dir: Path) -> Vocabulary:
    """Builds the vocabulary from the KB and stores it in the model, so loading needs neither."""
    vocabulary = Vocabulary.from_kb(read_knowledge_base(kb_dir))
    with model_storage.write_to(resource) as directory:
        rasa.shared.utils.io.dump_obj_as_json_to_file(directory / VOCABULARY_FILE, vocabulary.to_dict())
    return vocabulary


def load_vocabulary(model_storage: ModelStorage, resource: Resource, kb_dir: Path, owner: str) -> Vocabulary:
    try:
        with model_storage.read_from(resource) as directory:
            return Vocabulary.from_dict(rasa.shared.utils.io.read_json_file(directory / VOCABULARY_FILE))
    except (ValueError, FileNotFoundError):
        rasa.shared.utils.io.raise_warning(
            f"{owner}: no vocabulary in the model; building it from the knowledge base on disk.")
        return Vocabulary.from_kb(read_knowledge_base(kb_dir))
