"""Answer an FAQ, or say honestly that we are unsure and offer the best guesses."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import settings
from bot.faq.decision import decide
from bot.knowledge import load_knowledge_base


def suggestion_buttons(items) -> List[Dict[Text, Text]]:
    """A button sends the FAQ's canonical question, which always resolves to that FAQ."""
    return [{"title": item.question, "payload": item.question} for item in items]


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        decision = decide(
            tracker.latest_message,
            load_knowledge_base(),
            answer_threshold=settings.faq_answer_threshold(),
            suggestion_floor=settings.faq_suggestion_floor(),
            min_top_share=settings.faq_min_top_share(),
        )
        if decision.is_answer:
            dispatcher.utter_message(response=decision.answer.response_name)
            return []
        if decision.suggestions:
            dispatcher.utter_message(
                response="utter_not_sure", buttons=suggestion_buttons(decision.suggestions)
            )
        else:
            dispatcher.utter_message(response="utter_not_understood")
        dispatcher.utter_message(response="utter_contact_human")
        return []
