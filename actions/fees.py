"""What does it cost: a level's fee, one subject, a retake, or the difference between two levels (001 附件2, 三（六）)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.nlu.facts import read_facts
from bot.rules.fees import FeeInputError, FeeQuestion, answer_fee_question


def today() -> dt.date:
    return dt.date.today()


class ActionCalculateFee(Action):
    def name(self) -> Text:
        return "action_calculate_fee"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        stated = read_facts(text)
        question = FeeQuestion(
            levels=stated.fee_levels,
            subject=stated.fee_subject,
            subjects=stated.fee_subjects,
            retake=stated.retake,
            passed=stated.fee_passed,
            all_failed=stated.fee_all_failed,
            with_first_sitting=stated.fee_with_first_sitting,
            amount_first=stated.fee_amount_first,
            difference=stated.difference,
            people=stated.employees or 1,
            items=stated.fee_items,
            adds_up=bool(re.search(r"(加起来|一共|总共|合计|全部|都考)", text)),
        )
        try:
            headline, details = answer_fee_question(question, today())
        except FeeInputError as problem:
            dispatcher.utter_message(response="utter_input_problem", problem=str(problem))
            return [SlotSet("last_calculation", "fee")]
        dispatcher.utter_message(response="utter_fee_result", headline=headline, details=details)
        return [SlotSet("last_calculation", "fee")]
