"""Answer an FAQ, or say honestly that we are unsure and offer the best guesses."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import privacy, settings
from bot.db.repositories import UnansweredRepository
from bot.faq.decision import decide, faq_candidates
from bot.knowledge import FaqItem, KnowledgeBase, load_knowledge_base
from bot.storage import database_session

logger = logging.getLogger(__name__)


def suggestion_buttons(items) -> List[Dict[Text, Text]]:
    """A button sends the FAQ's canonical question, which always resolves to that FAQ."""
    return [{"title": item.question, "payload": item.question} for item in items]


def utter_item(dispatcher: CollectingDispatcher, item: FaqItem, kb: KnowledgeBase,
               domain: Dict[Text, Any]) -> None:
    if item.response_name in (domain.get("responses") or {}):
        dispatcher.utter_message(response=item.response_name)
        return
    # The model was trained on an older knowledge base: answer from the current one rather than go silent.
    logger.warning("response %s is not in the model's domain; retrain the model", item.response_name)
    dispatcher.utter_message(text=item.reply_text, buttons=item.option_buttons(kb))


def record_unanswered(tracker: Tracker, kb: KnowledgeBase) -> None:
    """Keeps the question (numbers masked) and the top candidates for staff; never blocks the reply."""
    candidates = [
        {"key": c.item.key, "question": c.item.question, "confidence": round(c.confidence, 4)}
        for c in faq_candidates(tracker.latest_message, kb)[:3]
    ]
    try:
        with database_session() as session:
            UnansweredRepository(session).add(
                question=privacy.redact_text(tracker.latest_message.get("text") or ""),
                channel=tracker.get_latest_input_channel() or "unknown",
                candidates=candidates, sender_id=tracker.sender_id)
    except Exception:
        logger.exception("unanswered question not recorded")


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = load_knowledge_base()
        decision = decide(
            tracker.latest_message,
            kb,
            answer_threshold=settings.faq_answer_threshold(),
            suggestion_floor=settings.faq_suggestion_floor(),
            min_top_share=settings.faq_min_top_share(),
        )
        if decision.is_answer:
            utter_item(dispatcher, decision.answer, kb, domain)
            return []
        record_unanswered(tracker, kb)
        if decision.suggestions:
            dispatcher.utter_message(
                response="utter_not_sure", buttons=suggestion_buttons(decision.suggestions)
            )
        else:
            dispatcher.utter_message(response="utter_not_understood")
        dispatcher.utter_message(response="utter_contact_human")
        return []
