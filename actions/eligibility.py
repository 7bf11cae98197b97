"""Which level may I apply for: collect the facts one question at a time, then ask the rules engine."""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.nlu.facts import NONE_OF_THE_ABOVE, StatedFacts, parse_yes_no, read_facts
from bot.rules.eligibility import (
    NO_CERTIFICATE,
    EligibilityInputError,
    PersonFacts,
    assess_eligibility,
    check_years,
    missing_facts,
)
from bot.rules.replies import eligibility_reply

SLOT_FOR_FACT = {
    "work_years": "elig_work_years",
    "certificate_level": "elig_certificate",
    "years_since_certificate": "elig_years_since_certificate",
    "education": "elig_education",
    "major_related": "elig_major_related",
    "is_student": "elig_student",
}
FACT_FOR_SLOT = {slot: fact for fact, slot in SLOT_FOR_FACT.items()}
UNCONFIRMED_YEARS = "elig_unconfirmed_years"
YEARS_WHAT = {"work_years": "从事本职业或相关职业的年限", "years_since_certificate": "取得证书后的工作年限"}


def today() -> dt.date:
    return dt.date.today()


def known_facts(slots: Dict[Text, Any]) -> Dict[str, Any]:
    facts = {fact: slots.get(slot) for fact, slot in SLOT_FOR_FACT.items()}
    if facts["certificate_level"] is not None:
        facts["certificate_level"] = int(facts["certificate_level"])
    return facts


def person_facts(known: Dict[str, Any]) -> PersonFacts:
    certificate = known.get("certificate_level") or None
    since = known.get("years_since_certificate") or 0.0
    # Not asked when it cannot change the answer; the years since the certificate are a lower bound.
    work_years = known.get("work_years")
    if work_years is None:
        work_years = since if certificate else 0.0
    education = known.get("education")
    return PersonFacts(work_years=work_years, certificate_level=certificate,
                       years_since_certificate=since if certificate else 0.0,
                       education=None if education in (None, NONE_OF_THE_ABOVE) else education,
                       major_related=bool(known.get("major_related")), is_student=bool(known.get("is_student")))


def stated_slot_values(stated: StatedFacts, expecting: Optional[str], text: str) -> Dict[str, Any]:
    values: Dict[str, Any] = {}
    for fact in ("work_years", "years_since_certificate"):
        mention = getattr(stated, fact)
        if mention is not None and not mention.approximate:
            values[SLOT_FOR_FACT[fact]] = mention.years
    if stated.certificate_level is not None:
        values["elig_certificate"] = float(stated.certificate_level)
    elif stated.no_certificate or (expecting == "certificate_level" and parse_yes_no(text) is False):
        values["elig_certificate"] = float(NO_CERTIFICATE)
        values["elig_years_since_certificate"] = 0.0
    for fact in ("education", "major_related", "is_student"):
        if getattr(stated, fact) is not None:
            values[SLOT_FOR_FACT[fact]] = getattr(stated, fact)
    return values


class ValidateEligibilityForm(FormValidationAction):
    """Reads every fact the message states (also corrections), then asks for the next one that matters."""

    def name(self) -> Text:
        return "validate_eligibility_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        expecting = FACT_FOR_SLOT.get(requested)
        text = tracker.latest_message.get("text") or ""
        stated = read_facts(text, expecting=expecting)
        values = stated_slot_values(stated, expecting, text)
        events: List[EventType] = []
        problems_before = len(dispatcher.messages)

        for fact, what in YEARS_WHAT.items():
            slot = SLOT_FOR_FACT[fact]
            if slot in values:
                try:
                    values[slot] = check_years(values[slot], what)
                except EligibilityInputError as problem:
                    dispatcher.utter_message(response="utter_input_problem", problem=str(problem))
                    del values[slot]
        if stated.unknown_certificate:
            dispatcher.utter_message(response="utter_input_problem", problem=(
                f"没有“{stated.unknown_certificate}”这个等级。职业技能等级从低到高是五级/初级工、四级/中级工、"
                "三级/高级工、二级/技师、一级/高级技师，请重新选择。"))
        rough = stated.work_years if stated.work_years and stated.work_years.approximate else None
        if rough is not None:
            events.append(SlotSet(UNCONFIRMED_YEARS, rough.years))

        slots = {**tracker.slots, **values}
        known = known_facts(slots)
        try:
            person = person_facts(known)
            assess_eligibility(person, today())
        except EligibilityInputError as problem:
            dispatcher.utter_message(response="utter_input_problem", problem=str(problem))
            values.pop("elig_years_since_certificate", None)
            known = known_facts({**tracker.slots, **values})

        events += [SlotSet(slot, value) for slot, value in values.items()]
        if len(dispatcher.messages) > problems_before and not values:
            # A slot event keeps the form active, so the explanation is sent and the question asked again.
            events.append(SlotSet(UNCONFIRMED_YEARS, tracker.get_slot(UNCONFIRMED_YEARS)))
        still_missing = [SLOT_FOR_FACT[f] for f in missing_facts(known, today())]
        return events + [SlotSet("requested_slot", still_missing[0] if still_missing else None)]


class ActionAskEligWorkYears(Action):
    """Asks for the work years, or asks to confirm a rough figure such as 十来年."""

    def name(self) -> Text:
        return "action_ask_elig_work_years"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        rough = tracker.get_slot(UNCONFIRMED_YEARS)
        if rough is None:
            dispatcher.utter_message(response="utter_ask_elig_work_years")
            return []
        start = int(rough)
        buttons = [{"title": f"{n}年", "payload": f"{n}年"} for n in range(start, start + 4)]
        dispatcher.utter_message(response="utter_confirm_approximate_years", years=start, buttons=buttons)
        return [SlotSet(UNCONFIRMED_YEARS, None)]


class ActionResetEligibility(Action):
    """A new question starts from no facts; the question itself is then read by the form."""

    def name(self) -> Text:
        return "action_reset_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        return [SlotSet(slot, None) for slot in [*SLOT_FOR_FACT.values(), UNCONFIRMED_YEARS]]


class ActionAssessEligibility(Action):
    def name(self) -> Text:
        return "action_assess_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        try:
            result = assess_eligibility(person_facts(known_facts(tracker.slots)), today())
        except EligibilityInputError as problem:
            dispatcher.utter_message(response="utter_input_problem", problem=str(problem))
            return [SlotSet("last_calculation", "eligibility")]
        verdict, details = eligibility_reply(result)
        dispatcher.utter_message(response="utter_eligibility_result", verdict=verdict, details=details)
        return [SlotSet("last_calculation", "eligibility")]
