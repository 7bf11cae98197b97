"""My exam date (by ID number), the date results are entered, and the next certification month."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import is_leaving
from bot import privacy
from bot.calendar import load_calendar
from bot.db.repositories import ExamSessionRepository
from bot.nlu.dates import read_date
from bot.replies.exam_lookup import FOUND, look_up_exam
from bot.replies.services import (
    ask_exam_date_reply,
    next_certification_reply,
    results_date_reply,
)
from bot.rules.consultation import beijing_now
from bot.rules.exam_dates import results_entry_deadline
from bot.storage import database_session

logger = logging.getLogger(__name__)

ID_SLOT = "exam_id_number"
EXAM_DATE_SLOT = "exam_date"


def today() -> dt.date:
    return beijing_now().date()


def _keep_form_asking(slot: Text) -> List[EventType]:
    # A slot event keeps the form active, so the explanation is sent and the question asked again.
    return [SlotSet(slot, None), SlotSet("requested_slot", slot)]


class ValidateExamLookupForm(FormValidationAction):
    """Takes an ID number from any message, checks its GB 11643 check digit, or explains and asks again."""

    def name(self) -> Text:
        return "validate_exam_lookup_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if is_leaving(tracker):
            return []
        text = tracker.latest_message.get("text") or ""
        number = privacy.find_id_number(text) or _bare_id_attempt(text)
        if number is None:
            if tracker.get_slot("requested_slot") == ID_SLOT:
                dispatcher.utter_message(
                    response="utter_input_problem",
                    problem="没有看到身份证号。请输入18位身份证号，例如 1101**********1234 的完整号码。",
                )
                return _keep_form_asking(ID_SLOT)
            return [SlotSet("requested_slot", ID_SLOT)]
        problem = privacy.id_number_problem(number, today())
        if problem:
            dispatcher.utter_message(response="utter_input_problem", problem=f"{problem}请核对后重新输入。")
            return _keep_form_asking(ID_SLOT)
        return [SlotSet(ID_SLOT, number), SlotSet("requested_slot", None)]


def _bare_id_attempt(text: str) -> Optional[str]:
    """A reply that is mostly digits is an attempt at an ID number, even if it has the wrong length."""
    compact = privacy.normalize_id_number(text)
    digits = sum(ch.isdigit() for ch in compact)
    return compact if digits >= 6 and digits >= len(compact) - 1 else None


class ActionLookupExam(Action):
    """Answers with the registered exam, or explains 培训签到登记 when there is none; forgets the number."""

    def name(self) -> Text:
        return "action_lookup_exam"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        number = tracker.get_slot(ID_SLOT)
        if not number or privacy.id_number_problem(number, today()):
            dispatcher.utter_message(response="utter_ask_exam_id_number")
            return [SlotSet(ID_SLOT, None)]
        try:
            with database_session() as session:
                found = look_up_exam(session, number, today())
        except Exception:
            logger.exception("exam lookup failed")
            dispatcher.utter_message(response="utter_service_unavailable")
            return [SlotSet(ID_SLOT, None)]
        if found.outcome != FOUND:
            dispatcher.utter_message(response="utter_exam_not_found", text=found.text)
            return [SlotSet(ID_SLOT, None)]
        dispatcher.utter_message(response="utter_exam_found", text=found.text)
        exam_date = found.exam_date.isoformat() if found.exam_date else None
        return [SlotSet(ID_SLOT, None), SlotSet(EXAM_DATE_SLOT, exam_date)]


class ValidateResultsDateForm(FormValidationAction):
    """Takes the exam date from the message (12月5日, 昨天, 上周五 …), or keeps the one already looked up."""

    def name(self) -> Text:
        return "validate_results_date_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if is_leaving(tracker):
            return []
        stated = read_date(tracker.latest_message.get("text") or "", today())
        if stated is not None:
            if stated > today() + dt.timedelta(days=366):
                dispatcher.utter_message(
                    response="utter_input_problem", problem="这个日期离现在超过一年，请核对考试日期后重新输入。"
                )
                return _keep_form_asking(EXAM_DATE_SLOT)
            return [SlotSet(EXAM_DATE_SLOT, stated.isoformat()), SlotSet("requested_slot", None)]
        if tracker.get_slot(EXAM_DATE_SLOT):
            return [SlotSet("requested_slot", None)]
        if tracker.get_slot("requested_slot") == EXAM_DATE_SLOT:
            dispatcher.utter_message(
                response="utter_input_problem",
                problem="没有看出是哪一天。请输入考试日期，例如“12月5日”或“2026-12-05”。",
            )
            return _keep_form_asking(EXAM_DATE_SLOT)
        return [SlotSet("requested_slot", EXAM_DATE_SLOT)]


class ActionAskExamDate(Action):
    """Asks for the exam date, after stating the rule it will be applied to."""

    def name(self) -> Text:
        return "action_ask_exam_date"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_ask_exam_date", text=ask_exam_date_reply(today()))
        return []


class ActionResultsDate(Action):
    def name(self) -> Text:
        return "action_results_date"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        raw = tracker.get_slot(EXAM_DATE_SLOT)
        try:
            exam_date = dt.date.fromisoformat(raw)
        except (TypeError, ValueError):
            dispatcher.utter_message(response="utter_ask_exam_date", text=ask_exam_date_reply(today()))
            return [SlotSet(EXAM_DATE_SLOT, None)]
        deadline = results_entry_deadline(exam_date, load_calendar())
        dispatcher.utter_message(response="utter_results_date", text=results_date_reply(deadline))
        return []


class ActionNextCertification(Action):
    def name(self) -> Text:
        return "action_next_certification"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        on = today()
        try:
            with database_session() as session:
                sessions = ExamSessionRepository(session).upcoming("ata_hrm", on_or_after=on, limit=4)
                text = next_certification_reply(sessions, on)
        except Exception:
            # The months in the policy data still answer the question without the database.
            logger.exception("exam-session table unavailable")
            text = next_certification_reply([], on)
        dispatcher.utter_message(response="utter_next_certification", text=text)
        return []
