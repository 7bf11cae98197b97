"""Which level may I apply for: read every fact the person states, answer first, ask only what decides.

The form uses rasa_sdk's hooks: `required_slots` lists the facts known or stated and, when the answer
still depends on something the person half said, the one fact to ask for; `extract_<slot>` reads each
fact from the message; `validate_<slot>` refuses impossible values politely.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    continues_calculation,
    gives_up,
    previous_user_text,
    say_once,
    unlikely_number_problem,
    years_of_other_work,
)
from bot.nlu.facts import OTHER_CERTIFICATES, StatedFacts, read_facts, to_digits
from bot.replies.results import eligibility_reply, other_work_not_counted, raise_buttons
from bot.rules.eligibility import EligibilityInputError, OneOf
from bot.rules.facts import (
    BY_NAME,
    BY_SLOT,
    FACTS,
    RELATED_SLOT,
    ROUGH_SLOT,
    check_value,
    known_from_slots,
    level_names_by_code,
    plan,
    question_values,
    stated_related,
    stated_values,
)

REFINE_SLOT = "elig_refine"


def today() -> dt.date:
    return dt.date.today()


def _stated(tracker: Tracker) -> StatedFacts:
    """The facts this message states, read once per turn: every hook of the form asks for them."""
    cached = getattr(tracker, "_stated_facts", None)
    if cached is None:
        text = tracker.latest_message.get("text") or ""
        previous = years_of_other_work(tracker)
        if previous:
            # "做销售的" then "九年": the years of that work, which do not count
            cached = read_facts(f"{previous}，{text}", expecting="work_years")
        else:
            cached = read_facts(text, expecting=_expecting(tracker))
        tracker._stated_facts = cached
    return cached


ADDING_YEARS = re.compile(
    r"^\s*(?:哦|噢|喔|啊|对了|哦对了|忘了说)?[，,\s]*(?:我)?(后来|之后|然后|另外|又|再|之前|以前|加上|还|补充)"
)


def _stated_values(tracker: Tracker) -> Dict[str, Any]:
    """The facts this message states, read once per turn (the hooks ask several times, and the slots
    change between them, so an addition such as "后来又做了2年人事" must not be added twice)."""
    cached = getattr(tracker, "_stated_values", None)
    if cached is not None:
        return cached
    if gives_up(tracker):
        return {}  # "先不算了" after a figure: giving up, not one more fact
    stated = _stated(tracker)
    values = stated_values(stated, today(), expecting=_expecting(tracker))
    if stated.unknown_certificate and "certificate_level" not in values:
        digits = "".join(ch for ch in stated.unknown_certificate if ch.isdigit())
        values["certificate_level"] = int(digits) if digits else -1
    known = known_from_slots(tracker.slots)
    before = known.get("work_years")
    text = tracker.latest_message.get("text") or ""
    if isinstance(values.get("work_years"), float) and isinstance(before, float) and ADDING_YEARS.search(text):
        values["work_years"] = round(before + values["work_years"], 2)
    away = _years_away(stated, text) if not set(values) & {"work_years", "years_since_certificate"} else 0.0
    previous = previous_user_text(tracker) if away else ""
    if previous and _years_away(read_facts(previous), previous) == away:
        away = 0.0  # "对，就是中间有两年在卖保险" repeats what was already taken off
    for name in ("work_years", "years_since_certificate") if away else ():
        if known.get(name) is not None:
            values[name] = _less(known[name], away)  # "哦对了中间有两年去卖保险了": not in this occupation
    tracker._stated_values = values
    return values


# Other work inside the years already given; 后来 or 之前 work lies outside them.
MEANWHILE = re.compile(r"(中间|期间|其间|中途|有段时间)")


def _years_away(stated: StatedFacts, text: str) -> float:
    """Years of other work told as a part of the years already given ("中间有两年去卖保险了"); 0 if none."""
    if not stated.other_work or not MEANWHILE.search(to_digits(text)):
        return 0.0
    figures = [re.match(r"\s*(\d+(?:\.\d+)?)", item) for item in stated.other_work]
    return sum(float(figure.group(1)) for figure in figures if figure)


def _less(value: Any, away: float) -> Any:
    if isinstance(value, OneOf):
        return OneOf(tuple(sorted({round(max(v - away, 0.0), 2) for v in value.values})))
    return round(max(float(value) - away, 0.0), 2)


BARE_CORRECTION = re.compile(
    r"\s*(不对|不是|错了|说错了|更正|改一下|哦)?[，,、\s]*(是|应该是|其实是|改成)?\s*[0-9一二三四五六七八九十两半.]+\s*年[半多]?\s*[了的啊呀]?\s*"
)


DATE_OBTAINED = re.compile(
    r"((?:19|20)\d{2}\s*年|去年|前年|今年)[^，,。；;]{0,6}(拿|取得|发证|获得|领|考的|考过|考下|考取|考完)"
)


def _expecting(tracker: Tracker) -> Optional[str]:
    """The fact just asked for; right after a result, a bare "不对，是4年" corrects the last one asked."""
    requested = BY_SLOT.get(tracker.get_slot("requested_slot") or "")
    if requested:
        return requested.name
    text = tracker.latest_message.get("text") or ""
    if (
        tracker.get_slot("elig_certificate")
        and DATE_OBTAINED.search(to_digits(text))
        and not any(word in text for word in OTHER_CERTIFICATES)
    ):
        return "years_since_certificate"  # "说错了，是2020年拿的": the date of the certificate already stated
    if not BARE_CORRECTION.fullmatch(text):
        return None
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "requested_slot" and event.get("value"):
            asked = BY_SLOT.get(event["value"])
            return asked.name if asked else None
    return None


def _valid(values: Dict[str, Any]) -> Dict[str, Any]:
    good = {}
    for name, value in values.items():
        try:
            good[name] = check_value(name, value, today())
        except EligibilityInputError:
            continue
    return good


def current_facts(tracker: Tracker) -> Dict[str, Any]:
    """What is known after this message: the slots, with what the message states on top."""
    known = known_from_slots(tracker.slots)
    known.update(_valid(_stated_values(tracker)))
    related = stated_related(_stated(tracker))
    if related is not None:
        known["certificate_related"] = related
    known["asks_highest"] = asks_for_the_highest(tracker)
    return known


MAX_CALCULATION_MESSAGES = 6


def _messages_of_this_calculation(tracker: Tracker) -> List[Text]:
    """The person's messages since the one that began the level form, latest first."""
    texts: List[Text] = []
    began = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "active_loop" and event.get("name") == "eligibility_form":
            began = True
        elif event.get("event") == "user":
            texts.append(event.get("text") or "")
            if began or len(texts) == MAX_CALCULATION_MESSAGES:
                break
    return texts


def asks_for_the_highest(tracker: Tracker) -> Optional[bool]:
    """True when the calculation's question asks for the highest level met ("不能的话最高报几级"); None
    otherwise, as for the facts that are only ever stated."""
    return True if any(read_facts(text).asks_highest_level for text in _messages_of_this_calculation(tracker)) else None


class ValidateEligibilityForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_eligibility_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        unlikely = _stated(tracker).unlikely_number
        if unlikely:
            say_once(dispatcher, unlikely_number_problem(unlikely))
        stated_facts = _stated(tracker)
        if (
            stated_facts.work_kind == "other"
            and stated_facts.other_work_named is not None  # always named with "other"
            and stated_facts.work_years is not None
            and stated_facts.work_years.years == 0
            and not gives_up(tracker)
        ):
            say_once(dispatcher, other_work_not_counted(stated_facts.other_work_named, today()))
        known = current_facts(tracker)
        stated = _stated_values(tracker)
        # Exact facts only: a rough one waits in ROUGH_SLOT, and its own slot is listed only when asked for.
        listed = {
            name for name, value in {**known, **stated}.items() if value is not None and not isinstance(value, OneOf)
        }
        refine = tracker.get_slot(REFINE_SLOT)
        if refine in BY_NAME and known.get(refine) is None:
            ask: Optional[str] = refine
        else:
            try:
                ask = plan(known, today()).ask
            except EligibilityInputError:
                ask = None
        slots = [fact.slot for fact in FACTS if fact.name in listed]
        # A fact refused by its validation is asked again before anything else.
        valid = _valid(stated)
        refused = [
            fact.slot
            for fact in FACTS
            if fact.name in stated and fact.name not in valid and not isinstance(stated[fact.name], OneOf)
        ]
        if ask is not None and BY_NAME[ask].slot not in slots:
            slots.append(BY_NAME[ask].slot)
        # Last, so that it is kept (rasa_sdk keeps only listed slots) and never asked (it is never empty).
        rough = [ROUGH_SLOT] if stated or tracker.get_slot(ROUGH_SLOT) is not None else []
        if (
            not gives_up(tracker)
            and stated_related(_stated(tracker)) is not None
            or tracker.get_slot(RELATED_SLOT) is not None
        ):
            rough.append(RELATED_SLOT)
        return refused + [slot for slot in slots if slot not in refused] + rough

    def _extract(self, name: str, tracker: Tracker) -> Dict[Text, Any]:
        values = _stated_values(tracker)
        if name not in values or isinstance(values[name], OneOf):
            return {}
        return {BY_NAME[name].slot: values[name]}

    async def extract_elig_rough(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        """Rough figures the message states wait here; an exact figure for the same fact replaces them."""
        stated = _stated_values(tracker)
        if not stated:
            return {}  # nothing for the calculation: the form is rejected, so "算了" or a question is handled
        rough = dict(tracker.get_slot(ROUGH_SLOT) or {})
        for name, value in stated.items():
            if isinstance(value, OneOf):
                try:
                    check_value(name, value, today())
                except EligibilityInputError as problem:
                    say_once(dispatcher, str(problem))
                    continue
                rough[name] = list(value.values)
            else:
                rough.pop(name, None)
        return {ROUGH_SLOT: rough}

    async def extract_elig_work_years(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract("work_years", tracker)

    async def extract_elig_certificate(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract("certificate_level", tracker)

    async def extract_elig_years_since_certificate(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract("years_since_certificate", tracker)

    async def extract_elig_education(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract("education", tracker)

    async def extract_elig_certificate_related(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        related = None if gives_up(tracker) else stated_related(_stated(tracker))
        return {} if related is None else {RELATED_SLOT: related}

    async def extract_elig_major_related(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract("major_related", tracker)

    async def extract_elig_student(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract("is_student", tracker)

    async def extract_elig_graduating(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract("graduating_this_year", tracker)

    def _validate(self, name: str, value: Any, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        try:
            check_value(name, value, today())
        except EligibilityInputError as problem:
            say_once(dispatcher, str(problem))
            return {BY_NAME[name].slot: None}
        return {BY_NAME[name].slot: value}

    async def validate_elig_work_years(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate("work_years", value, dispatcher)

    async def validate_elig_certificate(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate("certificate_level", value, dispatcher)

    async def validate_elig_years_since_certificate(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        checked = self._validate("years_since_certificate", value, dispatcher)
        work = known_from_slots(tracker.slots).get("work_years")
        most = work.values[-1] if isinstance(work, OneOf) else work
        if checked[BY_NAME["years_since_certificate"].slot] is not None and most is not None and value > most:
            say_once(dispatcher, "取得证书后的工作年限不能超过总的工作年限，请核对后重新输入。")
            return {BY_NAME["years_since_certificate"].slot: None}
        return checked


class ActionAskEligWorkYears(Action):
    """Asks for the work years, or asks to confirm a rough figure such as 大概5年 when it decides the answer."""

    def name(self) -> Text:
        return "action_ask_elig_work_years"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return ask_years(
            dispatcher,
            tracker,
            "elig_work_years",
            "utter_ask_elig_work_years",
            **question_values("work_years", today()),
        )


class ActionAskEligEducation(Action):
    """The schooling question, with one button per kind as the parameters label them."""

    def name(self) -> Text:
        return "action_ask_elig_education"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_ask_elig_education", **question_values("education", today()))
        return []


class ActionAskEligCertificate(Action):
    """The certificate question: the related certificates and the level buttons come from the parameters."""

    def name(self) -> Text:
        return "action_ask_elig_certificate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_ask_elig_certificate", **question_values("certificate_level", today()))
        return []


class ActionAskEligMajorRelated(Action):
    """Whether the major is related, naming note ②'s majors from the parameters."""

    def name(self) -> Text:
        return "action_ask_elig_major_related"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_ask_elig_major_related", **question_values("major_related", today()))
        return []


class ActionAskEligYearsSinceCertificate(Action):
    """Students are asked how long they have held the certificate; others how long they worked since."""

    def name(self) -> Text:
        return "action_ask_elig_years_since_certificate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        response = (
            "utter_ask_elig_certificate_held_years"
            if tracker.get_slot("elig_student")
            else "utter_ask_elig_years_since_certificate"
        )
        return ask_years(dispatcher, tracker, "elig_years_since_certificate", response)


def ask_years(
    dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, response: str, **values: Any
) -> List[EventType]:
    rough = (tracker.get_slot(ROUGH_SLOT) or {}).get(BY_SLOT[slot].name)
    if not rough:
        dispatcher.utter_message(response=response, **values)
        return []
    low, high = math.floor(rough[0]), math.ceil(rough[-1])
    buttons = [{"title": f"{n}年", "payload": f"{n}年"} for n in range(low, max(high, low + 1) + 1)][:5]
    dispatcher.utter_message(response="utter_confirm_approximate_years", years=f"{low}到{high}", buttons=buttons)
    return []


class ActionResetEligibility(Action):
    """A new question starts from no facts; one that goes on from the last result keeps them."""

    def name(self) -> Text:
        return "action_reset_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if continues_calculation(tracker, "eligibility"):
            return []
        return [SlotSet(fact.slot, None) for fact in FACTS] + [
            SlotSet(REFINE_SLOT, None),
            SlotSet(ROUGH_SLOT, None),
            SlotSet(RELATED_SLOT, None),
        ]


class ActionAssessEligibility(Action):
    def name(self) -> Text:
        return "action_assess_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        events: List[EventType] = [SlotSet("last_calculation", "eligibility"), SlotSet(REFINE_SLOT, None)]
        try:
            outcome = plan({**known_from_slots(tracker.slots), "asks_highest": asks_for_the_highest(tracker)}, today())
        except EligibilityInputError as problem:
            dispatcher.utter_message(response="utter_input_problem", problem=str(problem))
            return events
        if outcome.result is None:
            dispatcher.utter_message(
                response="utter_input_problem",
                problem=(
                    "还需要一些信息才能判断。请告诉我您的工作年限、证书等级和学历，例如：做人事6年，有四级证书，拿证后工作了4年。"
                ),
            )
            return events
        verdict, details = eligibility_reply(outcome.result, outcome.raises, stated=_stated_facts_line(tracker))
        dispatcher.utter_message(
            response="utter_eligibility_result", verdict=verdict, details=details, buttons=raise_buttons(outcome.raises)
        )
        return events


def _stated_facts_line(tracker: Tracker) -> str:
    """The facts the answer rests on, as the person would check them."""
    known = known_from_slots(tracker.slots)
    names = level_names_by_code(today())
    parts = []
    work = known.get("work_years")
    if work is not None:
        parts.append(f"相关工作{_years(work)}")
    certificate = known.get("certificate_level")
    if certificate:
        since = known.get("years_since_certificate")
        occupation = "相关职业" if known.get("certificate_related") else ""
        parts.append(
            f"持{occupation}{names.get(certificate, certificate)}证书"
            + (f"、取证后{_years(since)}" if since is not None else "")
        )
    elif certificate == 0:
        parts.append("无证书")
    education = known.get("education")
    if education and education != "无":
        major = known.get("major_related")
        parts.append(
            education.replace("+", "、") + ("（相关专业）" if major else "（专业不相关）" if major is False else "")
        )
    if known.get("is_student"):
        graduating = known.get("graduating_this_year")
        parts.append("应届毕业生" if graduating is True else "在读（非毕业年级）" if graduating is False else "在读")
    return "，".join(parts)


def _years(value: Any) -> str:
    if isinstance(value, OneOf):
        low = value.values[0]
        if float(low).is_integer():
            return f"{low:g}年多"
        years, months = divmod(round(low * 12), 12)  # from a date: "2019年拿的" is 6年11个月 or more
        return f"{years}年{months}个月以上" if months else f"{years}年以上"
    return f"{value:g}年"
