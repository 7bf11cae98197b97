"""How much subsidy: collect the 课时 by training type, then ask the rules engine."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.nlu.facts import read_facts
from bot.rules.replies import subsidy_reply
from bot.rules.subsidy import SubsidyInputError, estimate_subsidy

SLOTS = ("subsidy_hours", "subsidy_employees", "subsidy_converted")


def today() -> dt.date:
    return dt.date.today()


def _employees(tracker_value: Any) -> int:
    return int(tracker_value) if tracker_value else 1


class ValidateSubsidyForm(FormValidationAction):
    """Reads the 课时 by type and the number of employees; a later figure for a type replaces the earlier one."""

    def name(self) -> Text:
        return "validate_subsidy_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        stated = read_facts(tracker.latest_message.get("text") or "")
        hours = dict(tracker.get_slot("subsidy_hours") or {})
        hours.update({kind: str(value) for kind, value in stated.class_hours.items()})
        converted = list(tracker.get_slot("subsidy_converted") or []) + list(stated.converted_from_clock_hours)
        employees = stated.employees or tracker.get_slot("subsidy_employees")
        events: List[EventType] = []
        if stated.class_hours or stated.employees:
            try:
                estimate_subsidy({k: Decimal(v) for k, v in hours.items()}, today(), employees=_employees(employees))
            except SubsidyInputError as problem:
                dispatcher.utter_message(response="utter_input_problem", problem=str(problem))
                # A slot event keeps the form active, so the explanation is sent and the question asked again.
                return [SlotSet("subsidy_converted", tracker.get_slot("subsidy_converted")),
                        SlotSet("requested_slot", "subsidy_hours")]
            events += [SlotSet("subsidy_hours", hours or None), SlotSet("subsidy_converted", converted),
                       SlotSet("subsidy_employees", float(employees) if employees else None)]
        return events + [SlotSet("requested_slot", None if hours else "subsidy_hours")]


class ActionResetSubsidy(Action):
    def name(self) -> Text:
        return "action_reset_subsidy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        return [SlotSet(slot, None) for slot in SLOTS]


class ActionEstimateSubsidy(Action):
    def name(self) -> Text:
        return "action_estimate_subsidy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        hours = {k: Decimal(v) for k, v in (tracker.get_slot("subsidy_hours") or {}).items()}
        try:
            result = estimate_subsidy(hours, today(), employees=_employees(tracker.get_slot("subsidy_employees")))
        except SubsidyInputError as problem:
            dispatcher.utter_message(response="utter_input_problem", problem=str(problem))
            return [SlotSet("last_calculation", "subsidy")]
        headline, details = subsidy_reply(result, tuple(tracker.get_slot("subsidy_converted") or ()))
        dispatcher.utter_message(response="utter_subsidy_result", headline=headline, details=details)
        return [SlotSet("last_calculation", "subsidy")]
