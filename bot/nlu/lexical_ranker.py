"""Re-rank the ResponseSelector's FAQ candidates with a lexical model, after it in the pipeline.

With ~170 FAQ items and a few dozen examples each, the ResponseSelector alone
ranks the right FAQ first for about 85% of unseen questions and spreads its
confidence thinly. A linear model over character n-grams (TF-IDF, linear SVM)
makes different mistakes; averaging the two distributions ranks better and
gives a confidence that separates right from wrong answers better
(docs/benchmarks.md). The fused ranking replaces the selector's output in place,
so everything downstream (the FAQ action, `rasa test nlu`) sees one ranking.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

logger = logging.getLogger(__name__)
MODEL_FILE = "lexical_ranker.joblib"


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    shifted = np.exp((scores - scores.max()) / temperature)
    return shifted / shifted.sum()


def fuse(
    selector_ranking: List[Dict[str, Any]], lexical: Dict[str, float], lexical_weight: float, ranking_length: int
) -> List[Dict[str, Any]]:
    """Weighted average of two distributions over intent-response keys, best first."""
    selector = {entry[INTENT_RESPONSE_KEY]: float(entry["confidence"]) for entry in selector_ranking}
    ids = {entry[INTENT_RESPONSE_KEY]: entry.get("id") for entry in selector_ranking}
    keys = set(selector) | set(lexical)
    fused = {
        key: (1 - lexical_weight) * selector.get(key, 0.0) + lexical_weight * lexical.get(key, 0.0) for key in keys
    }
    ordered = sorted(fused.items(), key=lambda item: item[1], reverse=True)[:ranking_length]
    return [{"id": ids.get(key), "confidence": round(score, 6), INTENT_RESPONSE_KEY: key} for key, score in ordered]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LexicalFaqRanker(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "retrieval_intent": "faq",
            "min_ngram": 1,
            "max_ngram": 3,
            "C": 1.0,
            # Spreads the SVM's margins into a distribution comparable with the selector's.
            "temperature": 0.2,
            "lexical_weight": 0.5,
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vectorizer: Optional[TfidfVectorizer] = None,
        classifier: Optional[LinearSVC] = None,
        responses: Optional[Dict[str, Any]] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._vectorizer = vectorizer
        self._classifier = classifier
        self._responses = responses or {}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LexicalFaqRanker":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LexicalFaqRanker":
        try:
            with model_storage.read_from(resource) as directory:
                saved = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("LexicalFaqRanker has no trained model; FAQ ranking is the selector's alone")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, saved["vectorizer"], saved["classifier"], saved["responses"])

    def train(self, training_data: TrainingData) -> Resource:
        retrieval_intent = self._config["retrieval_intent"]
        examples = [
            m
            for m in training_data.intent_examples
            if m.get(INTENT) == retrieval_intent and m.get(INTENT_RESPONSE_KEY) and m.get(TEXT)
        ]
        if len({m.get(INTENT_RESPONSE_KEY) for m in examples}) < 2:
            return self._resource
        self._vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(self._config["min_ngram"], self._config["max_ngram"]), sublinear_tf=True
        )
        features = self._vectorizer.fit_transform([m.get(TEXT) for m in examples])
        self._classifier = LinearSVC(C=self._config["C"])
        self._classifier.fit(features, [m.get(INTENT_RESPONSE_KEY) for m in examples])
        self._responses = training_data.responses
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(
                {"vectorizer": self._vectorizer, "classifier": self._classifier, "responses": self._responses},
                directory / MODEL_FILE,
            )
        return self._resource

    def lexical_distribution(self, text: str) -> Dict[str, float]:
        classifier, vectorizer = self._classifier, self._vectorizer
        if classifier is None or vectorizer is None:  # `process` only asks once trained or loaded
            raise RuntimeError("LexicalFaqRanker has no trained model")
        scores = classifier.decision_function(vectorizer.transform([text]))[0]
        probabilities = softmax(scores, self._config["temperature"])
        return dict(zip(classifier.classes_, probabilities.tolist()))

    def process(self, messages: List[Message]) -> List[Message]:
        if self._classifier is None:
            return messages
        retrieval_intent = self._config["retrieval_intent"]
        for message in messages:
            selectors = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            prediction = selectors.get(retrieval_intent)
            text = message.get(TEXT)
            if not prediction or not text:
                continue
            ranking = fuse(
                prediction.get(RESPONSE_SELECTOR_RANKING_KEY) or [],
                self.lexical_distribution(text),
                self._config["lexical_weight"],
                self._config["ranking_length"],
            )
            top = ranking[0]
            utter_action = f"utter_{top[INTENT_RESPONSE_KEY]}"
            prediction[RESPONSE_SELECTOR_RANKING_KEY] = ranking
            prediction[RESPONSE_SELECTOR_PREDICTION_KEY] = {
                **prediction.get(RESPONSE_SELECTOR_PREDICTION_KEY, {}),
                "id": top["id"],
                "confidence": top["confidence"],
                INTENT_RESPONSE_KEY: top[INTENT_RESPONSE_KEY],
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action,
                RESPONSE_SELECTOR_RESPONSES_KEY: self._responses.get(utter_action),
            }
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selectors, add_to_output=True)
        return messages
