"""Decide how to answer a question from the NLU result: answer, or say honestly that we are unsure.

Rasa's FallbackClassifier only sees intent confidence; the ResponseSelector's
confidence in the specific FAQ is checked here. Pure: parse data in, decision out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from bot.faq.coverage import uncovered
from bot.knowledge.model import RETRIEVAL_INTENT, FaqItem, KnowledgeBase
from bot.nlu.normalize import comparable_text
from bot.nlu.qualifications import asks_about_other_qualification, professional_exam
from bot.nlu.regions import other_place

MAX_SUGGESTIONS = 3
# 中国人事考试网's registration guide (002): the one document about professional qualification exams.
REGISTRATION_DOCUMENT = "002"
# "补贴", "证书": a bare topic word asks nothing yet; the guesses as buttons let the person say what.
BARE_TOPIC_CHARS = 3
OUT_OF_SCOPE_INTENT = "out_of_scope"
FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class Candidate:
    item: FaqItem
    confidence: float


@dataclass(frozen=True)
class FaqDecision:
    answer: Optional[FaqItem]
    suggestions: Tuple[FaqItem, ...]
    confidence: float
    reason: str
    uncovered: Tuple[str, ...] = ()  # the question's subjects that the documents never speak of

    @property
    def is_answer(self) -> bool:
        return self.answer is not None


def faq_candidates(parse_data: Mapping[str, Any], kb: KnowledgeBase) -> List[Candidate]:
    """FAQ items ranked by the ResponseSelector, best first, unknown keys dropped."""
    selector: Dict[str, Any] = (parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    ranking = selector.get("ranking") or []
    candidates = []
    for entry in ranking:
        item = kb.for_intent_response_key(str(entry.get("intent_response_key", "")))
        if item is not None:
            candidates.append(Candidate(item=item, confidence=float(entry.get("confidence") or 0.0)))
    candidates.sort(key=lambda c: c.confidence, reverse=True)
    return candidates


def left_document(previous: str, text: str, parse_data: Mapping[str, Any], kb: KnowledgeBase) -> bool:
    """Whether `text`, naming no document, was answered from another document than `previous` names
    ("从业人员考试多少分及格" → "没过怎么办" answered with the ATA retake rule)."""
    named = kb.document_named(previous)
    if named is None or kb.document_named(text) is not None:
        return False
    candidates = faq_candidates(parse_data, kb)
    return bool(candidates) and candidates[0].item.document != named


def answers_another_document(item: FaqItem, named: frozenset) -> bool:
    """The question names exactly one document's subject, and `item` comes from another one."""
    return len(named) == 1 and not item.is_disambiguation and item.document not in named


def top_share(candidates: List[Candidate]) -> float:
    """The best candidate's share of the two best: 1.0 when it stands alone, 0.5 for a tie."""
    if not candidates:
        return 0.0
    first = candidates[0].confidence
    second = candidates[1].confidence if len(candidates) > 1 else 0.0
    return first / (first + second) if first + second > 0 else 0.0


def decide(
    parse_data: Mapping[str, Any],
    kb: KnowledgeBase,
    answer_threshold: float,
    suggestion_floor: float,
    min_top_share: float = 0.0,
    check_coverage: bool = True,
) -> FaqDecision:
    """Answer only when the best FAQ is both likely and clearly ahead of the runner-up.

    With ~170 FAQ items the softmax spreads confidence thinly, so a near-tie between
    two neighbouring items is a better sign of doubt than a low top confidence alone.
    """
    text = str(parse_data.get("text") or "")
    clicked = kb.by_question(text)
    if clicked is not None:
        return FaqDecision(clicked, (), 1.0, "canonical question")

    intent = (parse_data.get("intent") or {}).get("name")
    candidates = faq_candidates(parse_data, kb)
    top = candidates[0] if candidates else None
    named = kb.documents_named(text)
    elsewhere = top is not None and answers_another_document(top.item, named)
    # "考试能带计算器吗": a subject the documents never speak of is not answered with a neighbouring FAQ.
    # Also when the classifier is unsure: the honest reply names the subject rather than guessing.
    # Whatever the intent, out of scope included: the reply names what the documents do not speak of.
    foreign = uncovered(text, kb.vocabulary) if check_coverage else ()
    # "中级经济师人力资源管理专业考哪几科": another qualification, whose rules the documents do not give.
    another = asks_about_other_qualification(text) if check_coverage and intent != OUT_OF_SCOPE_INTENT else None
    # Answered from a document other than 002 (中国人事考试网, national): "二级建造师的报考条件是什么" asks about a
    # professional exam, of which only the registration is known; "天津那边有没有类似以训兴业的补贴" about another
    # place's rules, where the other documents are Beijing's.
    if (
        check_coverage
        and another is None
        and top is not None
        and top.item.document != REGISTRATION_DOCUMENT
        and intent != OUT_OF_SCOPE_INTENT
    ):
        another = professional_exam(text) or other_place(text)
    foreign = ((another,) if another else ()) + tuple(word for word in foreign if word != another)
    if (
        intent == RETRIEVAL_INTENT
        and top is not None
        and top.confidence >= answer_threshold
        and top_share(candidates) >= min_top_share
        and not elsewhere
        and not foreign
        and len(comparable_text(text)) > BARE_TOPIC_CHARS
    ):
        return FaqDecision(top.item, (), top.confidence, "confident retrieval")
    if elsewhere:
        # "从业人员考试有纸质合格证吗" is not answered with the ATA certificate: guesses from its document first.
        candidates = sorted(candidates, key=lambda c: c.item.document not in named)

    if intent == OUT_OF_SCOPE_INTENT or foreign:
        # Off-topic questions only get guesses that are plausible in their own right.
        suggestion_floor = max(suggestion_floor, answer_threshold)
    suggestions = tuple(c.item for c in candidates if c.confidence >= suggestion_floor)[:MAX_SUGGESTIONS]
    if intent == OUT_OF_SCOPE_INTENT:
        reason = "out of scope"
    elif elsewhere:
        reason = "answer from another document"
    elif foreign:
        reason = "subject not covered"
    elif intent == RETRIEVAL_INTENT:
        reason = "low retrieval confidence"
    else:
        reason = "low intent confidence"
    return FaqDecision(None, suggestions, top.confidence if top else 0.0, reason, foreign)


# Below this an intent other than an FAQ is a guess.
CONFIDENT_INTENT = 0.5


def understood(
    parse_data: Mapping[str, Any],
    kb: KnowledgeBase,
    answer_threshold: float,
    suggestion_floor: float,
    min_top_share: float = 0.0,
    check_coverage: bool = True,
) -> bool:
    """Would the assistant act on this with confidence: an FAQ it would not hedge on, or another intent?"""
    intent = parse_data.get("intent") or {}
    name = intent.get("name")
    if name in (None, FALLBACK_INTENT, OUT_OF_SCOPE_INTENT):
        return False
    if name == RETRIEVAL_INTENT:
        return decide(parse_data, kb, answer_threshold, suggestion_floor, min_top_share, check_coverage).is_answer
    return float(intent.get("confidence") or 0.0) >= CONFIDENT_INTENT


def settled(
    parse_data: Mapping[str, Any],
    kb: KnowledgeBase,
    answer_threshold: float,
    suggestion_floor: float,
    min_top_share: float = 0.0,
    check_coverage: bool = True,
) -> bool:
    """Understood well enough not to be read with the conversation: confident, and not "您问的是哪一个？"
    (a question that asks which of several things is meant may be settled by what was said before).
    A knowledge-base question as sent by a button is always settled: it means exactly itself."""
    if kb.by_question(str(parse_data.get("text") or "")) is not None:
        return True
    if (parse_data.get("intent") or {}).get("name") != RETRIEVAL_INTENT:
        return understood(parse_data, kb, answer_threshold, suggestion_floor, min_top_share, check_coverage)
    decision = decide(parse_data, kb, answer_threshold, suggestion_floor, min_top_share, check_coverage)
    return decision.answer is not None and not decision.answer.is_disambiguation


def disambiguation_options(parse_data: Mapping[str, Any], kb: KnowledgeBase) -> List[Dict[str, str]]:
    """The choices of "您问的是哪一个？" when the best FAQ for `parse_data` is that question."""
    candidates = faq_candidates(parse_data, kb)
    if candidates and candidates[0].item.is_disambiguation:
        return candidates[0].item.option_buttons(kb)
    return []
