"""Rasa graph components of the NLU pipeline."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.homophones import correct_homophones
from bot.nlu.lexicon import load_lexicon
from bot.nlu.normalize import normalize_text
from bot.privacy import find_id_number
from bot.settings import understanding_enabled


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class TextNormalizer(GraphComponent):
    """First in the pipeline: traditional to simplified, full-width to half-width, the reviewed
    spellings of `bot/nlu/lexicon.yml` ("京讯钉" → "京训钉", "PC端" → "网页端"), then typos that sound
    like a word of the documents (`bot/nlu/homophones.py`: "补帖" → "补贴").

    Runs on training data and on every incoming message, whatever the channel.
    """

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TextNormalizer":
        return cls()

    @staticmethod
    def _normalize(message: Message) -> None:
        text = message.get(TEXT)
        if isinstance(text, str) and text:
            text = normalize_text(text)
            text = load_lexicon().standardize(text) if understanding_enabled("lexicon") else text
            message.set(TEXT, correct_homophones(text))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalize(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._normalize(message)
        return training_data


def set_intent(message: Message, intent: str) -> None:
    """A rule's decision: `intent` with full confidence, first in the ranking, the others kept after it."""
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != intent]
    chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IdNumberIntent(GraphComponent):
    """A message with an 18-character ID number asks for that person's exam, whatever else it says.

    An ID number is a string of arbitrary digits, so no n-gram model can learn it; this rule
    runs after the classifiers and overrides any intent but the ones that also take the number.
    """

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IdNumberIntent":
        return cls(config)

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"intent": "ask_my_exam_date", "keep_intents": ["ask_my_exam_date", "ask_results_date", "stop"]}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._intent = config["intent"]
        self._keep = set(config["keep_intents"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if not isinstance(text, str) or predicted in self._keep or find_id_number(text) is None:
                continue
            set_intent(message, self._intent)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CalculatorIntent(GraphComponent):
    """Facts first: a message that states facts a calculator can use, and asks what it computes, goes there.

    The FAQ intent has thousands of examples full of the same words (四级, 证书, 课时) as a person's own
    situation, so the classifier alone sends "我做了八年行政 没考过证 能报几级" to the FAQ. This rule runs
    last and reads the facts (bot.nlu.facts); a question about the general rule, with no personal facts,
    keeps its FAQ answer. See `bot.nlu.routing` for the decision itself.
    """

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CalculatorIntent":
        return cls(config)

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "overridable": [
                "faq",
                "nlu_fallback",
                "inform",
                "out_of_scope",
                "ask_eligibility",
                "ask_subsidy",
                "ask_fee",
                "affirm",
                "deny",
                "thank",
                "goodbye",
            ]
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        self._overridable = set(config["overridable"])

    def process(self, messages: List[Message]) -> List[Message]:
        from bot.nlu.routing import calculator_for, for_another_qualification

        for message in messages:
            text = message.get(TEXT)
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if not isinstance(text, str) or predicted not in self._overridable:
                continue
            intent = calculator_for(text, predicted)
            if intent is None and predicted in ("ask_fee", "ask_eligibility") and for_another_qualification(text):
                intent = "nlu_fallback"  # not this calculator's question: the unsure reply, with its suggestions
            if intent is None or intent == predicted:
                continue
            set_intent(message, intent)
        return messages
