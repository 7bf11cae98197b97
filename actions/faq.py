"""Answer an FAQ, or say honestly that we are unsure and offer the best guesses."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import TOPIC_SLOT, document_at_hand
from bot import privacy, settings
from bot.db.repositories import UnansweredRepository
from bot.faq.decision import decide, faq_candidates
from bot.knowledge import FaqItem, KnowledgeBase, load_knowledge_base
from bot.storage import database_session

logger = logging.getLogger(__name__)


def suggestion_buttons(items) -> List[Dict[Text, Text]]:
    """A button sends the FAQ's canonical question, which always resolves to that FAQ."""
    return [{"title": item.question, "payload": item.question} for item in items]


def utter_item(dispatcher: CollectingDispatcher, item: FaqItem, kb: KnowledgeBase, domain: Dict[Text, Any]) -> None:
    """The answer as the knowledge base has it now, so that an edited answer is live without retraining.
    The response name is kept on the message, for the logs and the tests; its text in the model is only a
    placeholder, which the knowledge base's text replaces."""
    buttons = item.option_buttons(kb)
    if item.response_name in (domain.get("responses") or {}):
        dispatcher.utter_message(response=item.response_name, text=item.reply_text, buttons=buttons)
        return
    # An item added since the model was trained: answer it all the same rather than go silent.
    logger.warning("response %s is not in the model's domain; retrain the model", item.response_name)
    dispatcher.utter_message(text=item.reply_text, buttons=buttons)


def contact_line(kb: KnowledgeBase, document: Optional[str]) -> str:
    """Whom to ask about the document at hand; without one, how to reach a person."""
    known = kb.documents.get(document) if document else None
    return f"如需人工帮助：{known.contact}" if known else "如需人工帮助，请回复“转人工”。"


def guessed_document(tracker: Tracker, suggestions) -> Optional[str]:
    """The conversation's document, or else the one most of the suggestions come from."""
    at_hand = document_at_hand(tracker)
    if at_hand:
        return at_hand
    documents = [item.document for item in suggestions if item.document]
    return max(set(documents), key=documents.count) if documents else None


def record_unanswered(tracker: Tracker, kb: KnowledgeBase) -> None:
    """Keeps the question (numbers masked) and the top candidates for staff; never blocks the reply."""
    candidates = [
        {"key": c.item.key, "question": c.item.question, "confidence": round(c.confidence, 4)}
        for c in faq_candidates(tracker.latest_message, kb)[:3]
    ]
    try:
        with database_session() as session:
            UnansweredRepository(session).add(
                question=privacy.redact_text(typed_text(tracker)),
                channel=tracker.get_latest_input_channel() or "unknown",
                candidates=candidates,
                sender_id=tracker.sender_id,
            )
    except Exception:
        logger.exception("unanswered question not recorded")


def typed_text(tracker: Tracker) -> str:
    """What the person wrote (a follow-up's "text" is the question as understood in context)."""
    message = tracker.latest_message or {}
    return str(message.get("original_text") or message.get("text") or "")


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = load_knowledge_base()
        decision = decide(tracker.latest_message, kb, **settings.faq_thresholds())
        answer = decision.answer
        if answer is not None:
            utter_item(dispatcher, answer, kb, domain)
            document = answer.document
            return [SlotSet(TOPIC_SLOT, document)] if document else []
        record_unanswered(tracker, kb)
        # One bubble: the apology and whom to ask first, the guesses last (they stay on a small screen).
        contact = contact_line(kb, guessed_document(tracker, decision.suggestions))
        if decision.uncovered:
            subject = "、".join(decision.uncovered)
            if decision.suggestions:
                dispatcher.utter_message(
                    response="utter_not_covered_related",
                    subject=subject,
                    contact=contact,
                    buttons=suggestion_buttons(decision.suggestions),
                )
            else:
                dispatcher.utter_message(response="utter_not_covered", subject=subject, contact=contact)
        elif decision.suggestions:
            dispatcher.utter_message(
                response="utter_not_sure", contact=contact, buttons=suggestion_buttons(decision.suggestions)
            )
        else:
            dispatcher.utter_message(response="utter_not_understood", contact=contact)
        return []


class ActionFallback(ActionAnswerFaq):
    """Rasa's core fallback, predicted when no rule applies: the same honest answer, then the turn ends.

    The RulePolicy predicts its fallback again after every action that no rule follows, so a fallback
    that does not end the turn itself is run until the ten-action limit (ten replies to one "算了").
    """

    def name(self) -> Text:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        events = await super().run(dispatcher, tracker, domain)
        return [*events, FollowupAction("action_listen")]
