"""BM25 baseline: jieba tokens, rank_bm25 over the same training questions, nearest question wins.

The refusal threshold is calibrated on training data only: a question is refused when
its best score is below the 10th percentile of leave-one-out best scores of the
training questions themselves.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Mapping, Tuple

import jieba
import numpy as np
from rank_bm25 import BM25Okapi

from bot.knowledge import load_knowledge_base
from bot.nlu.normalize import normalize_text

CALIBRATION_PERCENTILE = 10


def _tokens(text: str) -> List[str]:
    return [t for t in jieba.lcut(normalize_text(text)) if t.strip()]


class Bm25Faq:
    def __init__(self, examples: List[Tuple[str, str]]):
        self.labels = [label for _, label in examples]
        self.index = BM25Okapi([_tokens(text) for text, _ in examples])
        loo = []
        for position, (text, _) in enumerate(examples):
            scores = self.index.get_scores(_tokens(text))
            scores[position] = -np.inf
            loo.append(scores.max())
        self.threshold = float(np.percentile(loo, CALIBRATION_PERCENTILE))

    def predict(self, text: str) -> Tuple[str, float]:
        scores = self.index.get_scores(_tokens(text))
        best = int(np.argmax(scores))
        return self.labels[best], float(scores[best])


def training_examples(include_non_faq: bool = True) -> List[Tuple[str, str]]:
    """FAQ examples as `faq/<key>`, plus out_of_scope and small talk from data/nlu."""
    import yaml
    from pathlib import Path

    kb = load_knowledge_base()
    examples = [(t, item.intent) for item in kb.items.values() for t in item.training_examples()]
    if include_non_faq:
        for name in ("out_of_scope.yml", "smalltalk.yml"):
            data = yaml.safe_load((Path("data/nlu") / name).read_text(encoding="utf-8"))
            for block in data["nlu"]:
                for line in block["examples"].splitlines():
                    text = line.strip().removeprefix("- ").strip()
                    if text:
                        examples.append((text, block["intent"]))
    return examples


def bm25_parser() -> Callable[[str], Mapping]:
    """Parse data in Rasa's shape, so the same evaluation applies to the baseline."""
    model = Bm25Faq(training_examples())

    def parse(text: str) -> Dict:
        label, score = model.predict(text)
        if score < model.threshold:
            return {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.0}}
        if not label.startswith("faq/"):
            return {"text": text, "intent": {"name": label, "confidence": 1.0}}
        ranking = [{"intent_response_key": label, "confidence": 1.0}]
        return {"text": text, "intent": {"name": "faq", "confidence": 1.0},
                "response_selector": {"faq": {"ranking": ranking}}}

    return parse
