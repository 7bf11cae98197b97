"""Answer an FAQ, or say honestly that we are unsure and offer the best guesses."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import settings
from bot.faq.decision import decide
from bot.knowledge import FaqItem, KnowledgeBase, load_knowledge_base

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
        if decision.suggestions:
            dispatcher.utter_message(
                response="utter_not_sure", buttons=suggestion_buttons(decision.suggestions)
            )
        else:
            dispatcher.utter_message(response="utter_not_understood")
        dispatcher.utter_message(response="utter_contact_human")
        return []
