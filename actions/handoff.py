"""Consultation hours, hand-over to a person, and callback requests outside the hours."""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import document_at_hand, is_leaving
from bot import privacy
from bot.calendar import load_calendar
from bot.db.repositories import CallbackRepository
from bot.knowledge import load_knowledge_base
from bot.replies.services import callback_saved_reply, consultation_reply
from bot.rules.consultation import ConsultationStatus, beijing_now, consultation_status
from bot.storage import database_session

logger = logging.getLogger(__name__)

CALLBACK_SLOTS = ("callback_name", "callback_phone", "callback_question")
# The phone slot holds the number encrypted: the tracker store redacts raw numbers between turns.
ENCRYPTED_PREFIX = "enc:"
NAME = re.compile(r"^[\u4e00-\u9fa5·A-Za-z][\u4e00-\u9fa5·A-Za-z .]{0,19}$")
NAME_PREFIX = re.compile(r"^(?:我叫|我是|姓名[是:：]?|名字[是:：]?|叫)")


def current_status() -> ConsultationStatus:
    return consultation_status(beijing_now(), load_calendar())


def offer_callback_buttons() -> List[Dict[Text, Text]]:
    return [{"title": "预约回电", "payload": "/request_callback"}, {"title": "不用了", "payload": "/deny"}]


class ActionConsultationStatus(Action):
    """现在能打电话吗: open now with the numbers, or the exact next opening and a callback offer."""

    def name(self) -> Text:
        return "action_consultation_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        status = current_status()
        if status.is_open:
            dispatcher.utter_message(response="utter_consultation_open", text=consultation_reply(status))
        else:
            dispatcher.utter_message(response="utter_consultation_closed", text=consultation_reply(status))
            dispatcher.utter_message(response="utter_offer_callback", buttons=offer_callback_buttons())
        return []


def all_contacts() -> str:
    """Whom to ask, one line per document, from the registry and the parameters."""
    return "\n".join(f"· {document.contact}" for document in load_knowledge_base().documents.values())


class ActionContactHuman(Action):
    """How to reach a person, by kind of question, without the consultation line's hours and callback."""

    def name(self) -> Text:
        return "action_contact_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_contact_human", contacts=all_contacts())
        return []


# Documents whose questions the consultation line (000's numbers and hours) does not answer.
OTHER_CONTACTS = ("001", "002", "003")


class ActionHandOver(Action):
    """我要找人工: after ATA, CPTA or 京训钉 questions, that document's contact; otherwise the consultation
    line, during its hours the numbers now, outside them the next opening and a callback offer."""

    def name(self) -> Text:
        return "action_hand_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        document = document_at_hand(tracker)
        if document in OTHER_CONTACTS:
            contact = load_knowledge_base().documents[document].contact
            dispatcher.utter_message(response="utter_contact_document", contact=contact)
            return []
        status = current_status()
        if status.is_open:
            dispatcher.utter_message(response="utter_consultation_open", text=consultation_reply(status))
        else:
            dispatcher.utter_message(response="utter_consultation_closed", text=consultation_reply(status))
            dispatcher.utter_message(response="utter_offer_callback", buttons=offer_callback_buttons())
        return []


def _read_name(text: str) -> str:
    return NAME_PREFIX.sub("", text.strip()).strip(" ，,。")


class ValidateCallbackForm(FormValidationAction):
    """Name, mainland mobile number and question; each may come in any message, the phone is checked."""

    def name(self) -> Text:
        return "validate_callback_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if is_leaving(tracker):
            return []
        text = (tracker.latest_message.get("text") or "").strip()
        requested = tracker.get_slot("requested_slot")
        values: Dict[Text, Any] = {}
        phone = privacy.find_mobile(text)
        if phone:
            values["callback_phone"] = ENCRYPTED_PREFIX + privacy.encrypt(phone)
        elif requested == "callback_phone":
            digits = re.sub(r"\D", "", text)
            problem = privacy.mobile_problem(digits) if digits else "没有看到手机号。"
            dispatcher.utter_message(
                response="utter_input_problem", problem=f"{problem}请输入11位大陆手机号，方便工作人员回电。"
            )
            return [SlotSet("callback_phone", None), SlotSet("requested_slot", "callback_phone")]
        if requested == "callback_name" and not phone:
            name = _read_name(text)
            if not NAME.match(name):
                dispatcher.utter_message(
                    response="utter_input_problem",
                    problem="请告诉我您的姓名（中文或英文，不超过20个字），例如“张女士”。",
                )
                return [SlotSet("callback_name", None), SlotSet("requested_slot", "callback_name")]
            values["callback_name"] = name
        if requested == "callback_question" and not phone:
            question = privacy.redact_text(text)
            if len(question) < 2:
                dispatcher.utter_message(response="utter_input_problem", problem="请简单说一下想咨询的问题。")
                return [SlotSet("callback_question", None), SlotSet("requested_slot", "callback_question")]
            values["callback_question"] = question
        slots = {**{s: tracker.get_slot(s) for s in CALLBACK_SLOTS}, **values}
        missing = [slot for slot in CALLBACK_SLOTS if not slots.get(slot)]
        events: List[EventType] = [SlotSet(slot, value) for slot, value in values.items()]
        return events + [SlotSet("requested_slot", missing[0] if missing else None)]


class ActionResetCallback(Action):
    def name(self) -> Text:
        return "action_reset_callback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return [SlotSet(slot, None) for slot in CALLBACK_SLOTS]


class ActionSubmitCallback(Action):
    """Stores the request (phone encrypted, question redacted) and says when to expect the call."""

    def name(self) -> Text:
        return "action_submit_callback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        reset = [SlotSet(slot, None) for slot in CALLBACK_SLOTS]
        token = tracker.get_slot("callback_phone") or ""
        try:
            phone = privacy.decrypt(token[len(ENCRYPTED_PREFIX) :]) if token.startswith(ENCRYPTED_PREFIX) else ""
        except Exception:
            phone = ""
        if privacy.mobile_problem(phone):
            dispatcher.utter_message(
                response="utter_input_problem", problem="回电号码没有保存成功，请重新发起“预约回电”并输入手机号。"
            )
            return reset
        try:
            with database_session() as session:
                request = CallbackRepository(session).add(
                    name=tracker.get_slot("callback_name"),
                    phone=phone,
                    question=tracker.get_slot("callback_question"),
                    channel=tracker.get_latest_input_channel() or "unknown",
                    sender_id=tracker.sender_id,
                )
                session.flush()
                number = request.id
        except Exception:
            logger.exception("callback request not stored")
            dispatcher.utter_message(response="utter_service_unavailable")
            dispatcher.utter_message(response="utter_contact_human", contacts=all_contacts())
            return reset
        dispatcher.utter_message(
            response="utter_callback_saved",
            text=callback_saved_reply(number, privacy.mask_mobile(phone), current_status()),
        )
        return reset
