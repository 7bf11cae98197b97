"""A message that is word for word one of the training examples of a non-FAQ intent gets that intent.

With thousands of FAQ examples beside a few dozen small-talk ones, the classifier's confidence in a
one- or two-character reply ("对", "好的", "没有") falls below the fallback threshold although the
reply is itself a training example. The examples are kept as written (normalised, without
punctuation or spaces); an example shared by two intents decides nothing.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.settings import understanding_enabled

logger = logging.getLogger(__name__)
EXAMPLES_FILE = "exact_examples.json"
_IGNORED = re.compile(r"[\s，,。.！!？?、~～…：:；;\"'“”‘’()（）]+")


def key(text: str) -> str:
    """The form in which a message and an example are compared."""
    return _IGNORED.sub("", text).lower()


def exact_examples(training_data: TrainingData, skip_intents: List[str]) -> Dict[str, str]:
    """Example → intent, for the intents not skipped; examples under two intents are left out."""
    found: Dict[str, Optional[str]] = {}
    for message in training_data.intent_examples:
        intent, text = message.get(INTENT), message.get(TEXT)
        if not intent or not isinstance(text, str) or intent in skip_intents:
            continue
        example = key(text)
        if example:
            found[example] = intent if found.get(example, intent) == intent else None
    shared = {
        message.get(TEXT) and key(message.get(TEXT))
        for message in training_data.intent_examples
        if message.get(INTENT) in skip_intents
    }
    return {example: intent for example, intent in found.items() if intent and example not in shared}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ExactExampleIntent(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # FAQ examples go through the selector, which picks the item; a rule intent set later wins anyway.
        return {"skip_intents": ["faq"], "keep_intents": []}

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        examples: Optional[Dict[str, str]] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._examples = examples or {}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ExactExampleIntent":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "ExactExampleIntent":
        try:
            with model_storage.read_from(resource) as directory:
                examples = json.loads((directory / EXAMPLES_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("ExactExampleIntent has no examples; the classifier decides alone")
            examples = {}
        return cls(config, model_storage, resource, examples)

    def train(self, training_data: TrainingData) -> Resource:
        self._examples = exact_examples(training_data, list(self._config["skip_intents"]))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / EXAMPLES_FILE).write_text(json.dumps(self._examples, ensure_ascii=False), encoding="utf-8")
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        from bot.nlu.components import set_intent

        if not understanding_enabled("exact"):
            return messages
        keep = set(self._config["keep_intents"])
        for message in messages:
            text = message.get(TEXT)
            intent = self._examples.get(key(text)) if isinstance(text, str) else None
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent and predicted != intent and predicted not in keep:
                set_intent(message, intent)
        return messages
