"""What the assistant would do with a caller's question, for staff: pure, parse data in, result out.

The decision is the chat's own (`bot.faq.decision.decide` with the `bot.settings` thresholds, as in
actions/faq.py), so staff see exactly what a person typing the same words would get.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from bot import privacy, settings
from bot.faq.decision import OUT_OF_SCOPE_INTENT, decide, disambiguation_options, faq_candidates, settled
from bot.knowledge import FaqItem, KnowledgeBase
from bot.knowledge.model import RETRIEVAL_INTENT
from bot.policy.documents import documents

MAX_QUESTION_LENGTH = 500
OTHER_CANDIDATES = 2


@dataclass(frozen=True)
class Tool:
    label: str
    path: str


@dataclass(frozen=True)
class IntentInfo:
    label: str  # what the caller asks, in Chinese
    handling: str  # what the assistant does with it
    tool: Optional[Tool] = None


ELIGIBILITY_TOOL = Tool("申报等级计算", "/calculators/eligibility")
SUBSIDY_TOOL = Tool("培训补贴估算", "/calculators/subsidy")
HOURS_TOOL = Tool("咨询时间与电话", "/#consultation")
CALLBACKS_TOOL = Tool("回电请求", "/callbacks")

# Intents the chat does not answer from the FAQ (see data/rules/), and the console tool for each.
INTENTS = {
    "ask_eligibility": IntentInfo(
        "问能申报几级", "助手会询问工作年限、证书等情况，再给出可申报的最高等级", ELIGIBILITY_TOOL
    ),
    "ask_subsidy": IntentInfo("问培训补贴金额", "助手会询问各类课时和人数，再估算补贴", SUBSIDY_TOOL),
    "ask_call_now": IntentInfo("问现在能不能打电话", "助手会按北京时间回答是否在咨询时间，并给出电话", HOURS_TOOL),
    "request_human": IntentInfo("要找人工", "助手在咨询时间内给出电话，其他时间提供预约回电", HOURS_TOOL),
    "request_callback": IntentInfo(
        "要预约回电", "助手会登记姓名、手机号和问题，工作人员在咨询时间回电", CALLBACKS_TOOL
    ),
    "ask_my_exam_date": IntentInfo("查本人的考试时间", "助手会请对方提供身份证号，再从培训签到登记中查询考试安排"),
    "ask_results_date": IntentInfo("问考试结果什么时候录入", "助手会按考试日期推算5个工作日后的录入日期"),
    "ask_next_certification": IntentInfo("问下一次等级认定是几月", "助手会列出即将举行的认定场次或认定月份"),
    "greet": IntentInfo("打招呼", "助手会问候并介绍能回答的问题"),
    "goodbye": IntentInfo("道别", "助手会道别"),
    "thank": IntentInfo("致谢", "助手会回应感谢"),
    "bot_challenge": IntentInfo("问是不是机器人", "助手会说明自己是自动咨询助手"),
    "affirm": IntentInfo("表示肯定", "助手会按上下文继续对话"),
    "deny": IntentInfo("表示否定", "助手会按上下文继续对话"),
    "stop": IntentInfo("不想继续", "助手会结束当前的询问"),
}
# Intents the chat hands to the FAQ answer (action_answer_faq).
FAQ_INTENTS = {RETRIEVAL_INTENT, OUT_OF_SCOPE_INTENT, "nlu_fallback", "inform"}

REASONS = {
    "canonical question": "与知识库中的标准问法一致，助手会直接回答",
    "confident retrieval": "助手有把握，会直接回答",
    "low retrieval confidence": "助手没有把握：会列出“您是不是想问”供选择，并给出人工咨询电话",
    "low intent confidence": "助手没有把握：没能确定这是哪一类问题，会给出猜测和人工咨询电话",
    "out of scope": "助手判断这不在四份文件的范围内，不会直接回答，会给出人工咨询电话",
}


class QuestionError(ValueError):
    """The question cannot be sent; the message is for staff."""


def clean_question(text: Optional[str]) -> str:
    question = " ".join((text or "").split())
    if not question:
        raise QuestionError("请先输入来电人的问题。")
    if len(question) > MAX_QUESTION_LENGTH:
        raise QuestionError(f"问题太长了（最多{MAX_QUESTION_LENGTH}个字），请只输入关键的一句话。")
    return question


def question_to_keep(question: str, parse_data: Mapping[str, Any], result: "AskResult") -> Optional[str]:
    """What the page keeps for the next follow-up: the question as understood, numbers masked; nothing
    after small talk or a question not understood (as the chat, which continues only a topic)."""
    from bot.nlu.followup import NOT_A_TOPIC

    if (parse_data.get("intent") or {}).get("name") in NOT_A_TOPIC:
        return None
    return privacy.redact_text(result.understood_as or question)


def understood(parse_data: Mapping[str, Any], kb: KnowledgeBase) -> bool:
    return settled(parse_data, kb, **settings.faq_thresholds())


def options(parse_data: Mapping[str, Any], kb: KnowledgeBase) -> List[Dict[str, str]]:
    return disambiguation_options(parse_data, kb)


def previous_question(text: Optional[str]) -> Optional[str]:
    """The question asked before, kept by the page, so that "那二级呢" is read with it; None if unusable."""
    try:
        return clean_question(text)
    except QuestionError:
        return None


@dataclass(frozen=True)
class ShownItem:
    item: FaqItem
    confidence: Optional[float]  # None when not ranked by the model (e.g. an option of a disambiguation)
    options: Tuple[FaqItem, ...] = ()  # the specific answers of a question the documents answer differently

    @property
    def document_name(self) -> str:
        """Which document the answer belongs to (its short name in the registry), for the answer's badge:
        an ATA-only rule must not look general."""
        if self.item.document is None:
            return "多份文件：" + "、".join(
                dict.fromkeys(documents()[o.document].short for o in self.options if o.document)
            )
        return documents()[self.item.document].short


@dataclass(frozen=True)
class AskResult:
    question: str
    intent: Optional[str]
    intent_confidence: float
    would_answer: bool
    verdict: str  # 会直接回答 / 没有把握 …, in Chinese
    main: Optional[ShownItem]
    others: Tuple[ShownItem, ...]
    intent_info: Optional[IntentInfo]  # set when the question is not handled as an FAQ
    understood_as: Optional[str] = None  # a follow-up ("那二级呢") read with the previous question

    @property
    def handled_as_faq(self) -> bool:
        return self.intent_info is None


def _shown(item: FaqItem, confidence: Optional[float], kb: KnowledgeBase) -> ShownItem:
    options = tuple(kb.items[o.key] for o in item.options if o.key in kb.items)
    return ShownItem(item, confidence, options)


def build_result(
    question: str,
    parse_data: Mapping[str, Any],
    kb: KnowledgeBase,
    answer_threshold: Optional[float] = None,
    suggestion_floor: Optional[float] = None,
    min_top_share: Optional[float] = None,
) -> AskResult:
    """The answer (or best guess) with its confidence, the next two candidates, and what the chat would do."""
    if answer_threshold is None or suggestion_floor is None or min_top_share is None:
        configured = settings.faq_thresholds()
        answer_threshold = configured["answer_threshold"] if answer_threshold is None else answer_threshold
        suggestion_floor = configured["suggestion_floor"] if suggestion_floor is None else suggestion_floor
        min_top_share = configured["min_top_share"] if min_top_share is None else min_top_share
    decision = decide(
        parse_data,
        kb,
        answer_threshold=answer_threshold,
        suggestion_floor=suggestion_floor,
        min_top_share=min_top_share,
    )
    candidates = faq_candidates(parse_data, kb)
    intent = (parse_data.get("intent") or {}).get("name")
    intent_confidence = float((parse_data.get("intent") or {}).get("confidence") or 0.0)

    if decision.answer is not None:
        main = _shown(decision.answer, decision.confidence, kb)
    elif candidates:
        main = _shown(candidates[0].item, candidates[0].confidence, kb)
    else:
        main = None
    others = tuple(_shown(c.item, c.confidence, kb) for c in candidates if main is None or c.item.key != main.item.key)[
        :OTHER_CANDIDATES
    ]

    intent_info = None
    if not decision.is_answer and intent not in FAQ_INTENTS:
        known = INTENTS.get(intent) if intent is not None else None
        intent_info = known or IntentInfo(f"其他意图（{intent or '未知'}）", "助手不会按常见问题回答")
    if intent_info is not None:
        verdict = f"这不是常见问题：识别为“{intent_info.label}”。{intent_info.handling}。"
    else:
        verdict = REASONS.get(decision.reason, decision.reason)
    resolved = str(parse_data.get("text") or "")
    understood_as = resolved if parse_data.get("original_text") and resolved != question else None
    return AskResult(
        question, intent, intent_confidence, decision.is_answer, verdict, main, others, intent_info, understood_as
    )


def percent(confidence: Optional[float]) -> str:
    """0.8734 → 87.3%; below 0.1% shows as <0.1%."""
    if confidence is None:
        return "—"
    value = confidence * 100
    if 0 < value < 0.1:
        return "<0.1%"
    return f"{value:.1f}%"
