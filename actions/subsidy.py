"""How much subsidy: keep a running total of 课时 per training type, then ask the rules engine.

The hours may come in one message ("免费课60课时、付费课40课时，能补多少") or piece by piece
("免费课40课时" → "还有付费课10课时" → "没有了"). The form uses rasa_sdk's hooks: `extract_subsidy_hours`
adds what a message states to the running total, `extract_subsidy_complete` notices when the person
has given everything, and `action_ask_subsidy_complete` shows the total so far and asks for more.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Dict, Iterator, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import continues_calculation, gives_up, say_once, unlikely_number_problem
from bot.nlu.facts import StatedFacts, daily_cap_exceeded, read_facts, to_digits
from bot.nlu.routing import ASKS_AMOUNT, SWITCHING_TYPE
from bot.policy import load_parameters
from bot.replies.results import subsidy_reply, untyped_subsidy_line
from bot.rules.subsidy import CONVERSION_NOTE_START, SubsidyInputError, conversion_note, estimate_subsidy
from bot.rules.subsidy import reasons as subsidy_reasons

# "另外5个人都没考过", "有一门没去考试", "要是都考过了呢": more to tell or a question, not the rest of the picture.
NOT_ROUNDING_OFF = r"((没|未|不)(?:有)?(?:参加|去)?(?:考|通过|过|及格|合格|学完|看完)|[吗呢?？]|是不是|要是|如果|才算)"
SLOTS = (
    "subsidy_hours",
    "subsidy_untyped",
    "subsidy_pending_type",
    "subsidy_employees",
    "subsidy_notes",
    "subsidy_disqualified",
    "subsidy_reduced",
    "subsidy_complete",
)
# A question about these very 课时 (not "帮我算", which may come before the rest of them).
ASKS_ABOUT_THESE = (
    r"(补多少|补贴多少|多少补贴|能补吗|能补多少|能拿多少|多少钱|领多少|拿多少|能申请.{0,8}吗|可以申请.{0,8}吗|够不够|"
    r"能不能申请|能不能补|有没有补贴|有补贴吗|(补贴|补助|补|钱)[^，。？?]{0,6}(多少|几)|每人多少|一共多少|总共多少|"
    r"合计多少|估算|测算|能拿到?.{0,4}吗|能领到?.{0,4}吗|能不能拿|拿得到|领得到)"
)
# "不对 是80课时", "说错了": a correction of hours already given is answered with the new figure at once.
CORRECTING = r"^\s*(?:等下|等等|哦|啊|抱歉|不好意思)?[，,\s]*(?:我)?(不对|说错了|错了|更正|应该是|改一下|改成|不是|看错了|写错了|打错了|搞错了|弄错了|记错了)"


def today() -> dt.date:
    return dt.date.today()


def training_types() -> List[str]:
    return list(load_parameters("training_subsidy").value("rates", today()))


def _stated(tracker: Tracker) -> StatedFacts:
    if gives_up(tracker):
        return StatedFacts()  # "大概50课时吧……先不算了": giving up, not one more figure
    return read_facts(tracker.latest_message.get("text") or "")


def minimum_hours() -> Decimal:
    return Decimal(load_parameters("training_subsidy").value("minimum_hours", today()))


def _hours(value: Any) -> Dict[str, Decimal]:
    return {kind: Decimal(str(hours)) for kind, hours in (value or {}).items()}


def _fmt(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def _employees(value: Any) -> int:
    return int(value) if value else 1


MOST_NOTE_START = "您问的是最高补贴"


def most_hours(named: Tuple[str, ...] = ()) -> Dict[str, Decimal]:
    """The highest subsidy's 课时: the last tier's, of the one type named, else of the type with the highest rate."""
    params = load_parameters("training_subsidy")
    rates = params.value("rates", today())
    kinds = [kind for kind in named if kind in rates]
    best = kinds[0] if len(kinds) == 1 else max(rates, key=lambda kind: rates[kind])
    return {best: Decimal(params.value("hour_tiers", today())[-1])}


def most_note(named: Tuple[str, ...] = ()) -> str:
    params = load_parameters("training_subsidy")
    rates, cap = params.value("rates", today()), params.value("hour_tiers", today())[-1]
    kinds = [kind for kind in named if kind in rates]
    if len(kinds) == 1:
        rate = rates[kinds[0]]
        return f"{MOST_NOTE_START}：课时最多按{cap}课时认定，{kinds[0]}课程每课时{rate}元，即每人最多{cap * rate}元（第5问）"
    top = max(rates.values())
    highest = "、".join(kind for kind, rate in rates.items() if rate == top)
    lower = "；".join(f"{kind}课程最多{cap}×{rate}＝{cap * rate}元" for kind, rate in rates.items() if rate != top)
    return (
        f"{MOST_NOTE_START}：课时最多按{cap}课时认定，最高标准每课时{top}元（{highest}），"
        f"即每人最多{cap * top}元；{lower}（第5问）"
    )


def split_disqualified(disqualified: Dict[str, int], employees: int) -> Tuple[List[str], int, List[str]]:
    """(reasons that stop everyone, people still subsidised, notes on the people left out)."""
    reasons = subsidy_reasons("disqualifications", today())
    everyone = [reasons[key] for key, count in disqualified.items() if key in reasons and not count]
    left_out = sum(count for count in disqualified.values() if count)
    notes = [
        f"其中{count}人不能补贴：{reasons[key]}" for key, count in disqualified.items() if count and key in reasons
    ]
    if left_out >= employees and left_out:
        return everyone + [reasons[key] for key, count in disqualified.items() if count], employees, notes
    return everyone, employees - left_out, notes


def _earlier_messages(tracker: Tracker) -> Iterator[Tuple[str, str]]:
    """(text, first reply to it) of the person's messages before the one being read now, latest first."""
    replies: List[str] = []
    seen_latest = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "bot":
            replies.append(event.get("text") or "")
        elif event.get("event") == "user":
            if seen_latest:
                yield event.get("text") or "", replies[-1] if replies else ""
            seen_latest, replies = True, []


# "我们用的是付费点播课", "都是线下培训": the only type there is, so its 课时 are all of them.
ONLY_TYPE = re.compile(r"(都是|全是|全部是|全都是|只有|只学了?|只上了?|用的是|就是|只是|全部都是)")


def _only_type_named_before(tracker: Tracker) -> bool:
    for text, _ in _earlier_messages(tracker):
        facts = read_facts(text)
        return len(facts.named_types) == 1 and not facts.has_hours and bool(ONLY_TYPE.search(to_digits(text)))
    return False


def _type_named_before(tracker: Tracker) -> Optional[str]:
    """The one training type the person's previous message named, if the calculation began after it."""
    for text, _ in _earlier_messages(tracker):
        types = read_facts(text).named_types
        return types[0] if len(types) == 1 else None
    return None


PART_OF_THOSE = re.compile(r"(其中|里面|当中|包括)")
# "还有一门2课时的课没考": a course besides those given ("第二门…没考" may be one of them).
ONE_MORE_COURSE = re.compile(r"^\s*(?:还有|另外还?有|另有|又有)")
# The unsure replies (utter_not_sure, utter_not_understood) open with this.
NOT_UNDERSTOOD = "没有完全理解"
MAX_PREAMBLE_MESSAGES = 3


def _preamble(tracker: Tracker) -> List[str]:
    """The person's messages just before this one that the assistant did not understand, latest first:
    "我们单位25个人参加了培训" → (unsure) → "每人都是六十二课时" is one situation told in pieces."""
    texts: List[str] = []
    for text, first_reply in _earlier_messages(tracker):
        if NOT_UNDERSTOOD not in first_reply:
            break  # the reply to it was an answer: an earlier topic
        texts.append(text)
        if len(texts) == MAX_PREAMBLE_MESSAGES:
            break
    return texts


def _employees_told_before(tracker: Tracker) -> Optional[int]:
    return next((facts.employees for facts in map(read_facts, _preamble(tracker)) if facts.employees), None)


class ValidateSubsidyForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_subsidy_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        # Every slot the running total uses is listed, so that rasa_sdk keeps it; the helpers are never empty
        # after a message (see extract_subsidy_hours), so only the hours and "anything more?" are asked.
        return list(SLOTS[:-1]) + ["subsidy_complete"]

    async def extract_subsidy_hours(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        stated = _stated(tracker)
        text = tracker.latest_message.get("text") or ""
        if stated.unlikely_number:
            say_once(dispatcher, unlikely_number_problem(stated.unlikely_number))
            return self._unchanged(tracker)
        hours = _hours(tracker.get_slot("subsidy_hours"))
        notes = list(tracker.get_slot("subsidy_notes") or [])
        untyped = tracker.get_slot("subsidy_untyped")
        pending = tracker.get_slot("subsidy_pending_type")
        found = dict(stated.class_hours)
        resolved = False
        says_something = (
            stated.has_hours or stated.named_types or stated.employees or stated.disqualifications or stated.hours_done
        )
        named = list(stated.named_types)
        if hours and not found and stated.untyped_hours is None and SWITCHING_TYPE.search(text):
            target = [kind for kind in named if kind not in hours] or named
            if len(target) == 1:
                hours = {target[0]: sum(hours.values(), Decimal("0"))}
                named = []
                found = dict(hours)
        bare = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(个)?\s*(课时|学时)?\s*", to_digits(text))
        if pending and bare and not found:
            found[pending] = Decimal(bare.group(1))
        if stated.asks_most and not found and not hours and tracker.get_slot("requested_slot") is None:
            # "一个员工最多能补多少钱": the 课时 cap at the highest rate, and the free courses' own highest
            hours, found = {}, most_hours(stated.named_types)  # empty first: "再" or "又" adds nothing twice
            notes.append(most_note(stated.named_types))
            resolved = True
        if not says_something and not found:
            return {}  # nothing for the estimate: the form is rejected, so "算了" or a question is handled
        # "第二门15课时", "还有一门10课时": one more part of the same hours, not a correction of them.
        adding = bool(re.search(r"(又|再|另外又|额外|还有|另一门|下一门|第[二三四五六七八九十\d]+门)", text))
        if stated.untyped_hours is not None and not found and not named and not pending and not hours:
            # "员工学的免费课，都考过了" → "第一门900分钟": the type was named just before the calculation began.
            earlier = _type_named_before(tracker)
            if earlier:
                named = [earlier]
        if stated.untyped_hours is not None and not found:
            if pending and not named:
                found[pending] = stated.untyped_hours  # "都是免费点播课" … "第一门12课时"
            elif len(named) == 1:
                found[named[0]] = stated.untyped_hours
            elif len(hours) == 1:
                found[next(iter(hours))] = stated.untyped_hours  # "不对 是80课时": the one type given so far
            else:
                untyped = str(stated.untyped_hours + (Decimal(untyped) if untyped and adding else Decimal("0")))
        elif untyped and len(named) == 1 and not found:
            found[named[0]] = Decimal(untyped)
            untyped = None
            resolved = True
        correcting = bool(found) and re.search(CORRECTING, text)
        if correcting and (len(found) > 1 or not set(found) & set(hours)):
            hours = {}  # "更正一下：每人学的是免费课62课时": the corrected hours replace what was given
        if correcting:
            notes = [note for note in notes if not note.startswith(CONVERSION_NOTE_START)]
        for kind, value in found.items():
            hours[kind] = hours.get(kind, Decimal("0")) + value if adding else value
        reasons = subsidy_reasons("invalid_hours", today())
        # Corrected hours replace the earlier ones, and with them whose 课时 were fewer.
        reduced = {} if correcting else dict(tracker.get_slot("subsidy_reduced") or {})
        employees = (
            stated.employees
            or tracker.get_slot("subsidy_employees")
            or (None if tracker.get_slot("subsidy_hours") else _employees_told_before(tracker))
        )
        some = stated.invalid_people  # compared with the headcount at the estimate, which may come later
        groups = _reduced_groups(stated.invalid_groups, hours, reasons)
        if groups:
            reduced = {"groups": groups}  # "其中3人…没考，另外2人…没考": each group's 课时 apart
        for kind, value in {} if groups else stated.invalid_hours.items():
            reason = stated.invalid_reasons.get(kind, "not_passed")
            # "其中8课时没考试" is part of the hours given; "结业后又学了10课时" comes on top and is left out.
            part_of_total = reason == "not_passed" or PART_OF_THOSE.search(text)
            if (
                not found
                and tracker.get_slot("subsidy_hours")
                and ONE_MORE_COURSE.match(text)
                and not PART_OF_THOSE.search(text)
            ):
                part_of_total = None  # "还有一门2课时的付费课没考" after the 课时 given: one more course, not counted
            course = _course_of(kind, hours)
            if not part_of_total:
                notes.append(f"未计入{course or ''}{_fmt(value)}课时：{reasons[reason]}")
            elif course is None:
                say_once(
                    dispatcher, f"不计入的{_fmt(value)}课时是哪类课程的？请说明，例如：其中点播付费8课时没有考试。"
                )
            elif some:
                # "其中3个人有一门没参加考试": only those people's 课时 are fewer
                reduced = {"people": some, "hours": {course: str(value)}, "reason": reasons[reason]}
            else:
                hours[course] = max(hours.get(course, Decimal("0")) - value, Decimal("0"))
                notes.append(f"已扣除{course}{_fmt(value)}课时：{reasons[reason]}")
        if stated.converted_from_clock_hours:
            notes.append(conversion_note(stated.converted_from_clock_hours, today()))
        try:
            estimate_subsidy(hours, today(), employees=_employees(employees))
        except SubsidyInputError as problem:
            say_once(dispatcher, str(problem))
            return self._unchanged(tracker)
        pending = next((kind for kind in named if kind not in hours), None) if not found and not untyped else None
        # Situation → how many people it concerns (0: everyone), e.g. {"left_employer": 2}.
        disqualified = dict(tracker.get_slot("subsidy_disqualified") or {})
        for key in stated.disqualifications:
            disqualified[key] = stated.disqualified_people.get(key, 0)
        if daily_cap_exceeded(text):
            cap = load_parameters("training_subsidy").value("daily_study_cap_hours", today())
            notes.append(
                f"学员每天学习时间不能超过{cap}小时，超过后学习的课时不做记录（第69问），已按每天{cap}小时计算"
            )
        values = {"subsidy_complete": True} if resolved else {}
        return {
            **values,
            "subsidy_hours": {k: str(v) for k, v in hours.items()} or ({} if untyped or pending else None),
            "subsidy_untyped": untyped or "",
            "subsidy_pending_type": pending or "",
            "subsidy_notes": notes,
            "subsidy_employees": float(employees) if employees else 0.0,
            "subsidy_disqualified": disqualified,
            "subsidy_reduced": reduced,
        }

    @staticmethod
    def _unchanged(tracker: Tracker) -> Dict[Text, Any]:
        """The running total as it was, with the helpers filled so that only the hours are asked again."""
        return {
            "subsidy_untyped": tracker.get_slot("subsidy_untyped") or "",
            "subsidy_pending_type": tracker.get_slot("subsidy_pending_type") or "",
            "subsidy_notes": list(tracker.get_slot("subsidy_notes") or []),
            "subsidy_employees": tracker.get_slot("subsidy_employees") or 0.0,
            "subsidy_disqualified": dict(tracker.get_slot("subsidy_disqualified") or {}),
            "subsidy_reduced": dict(tracker.get_slot("subsidy_reduced") or {}),
        }

    async def extract_subsidy_complete(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        stated = _stated(tracker)
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("subsidy_untyped") or tracker.get_slot("subsidy_pending_type"):
            return {}
        gave_hours = stated.has_hours or bool(tracker.get_slot("subsidy_disqualified"))
        # "一共15个人，总补贴多少" after the 课时 were given piece by piece: the question ends the list.
        gave_hours = gave_hours or bool(tracker.get_slot("subsidy_hours")) and bool(re.search(ASKS_ABOUT_THESE, text))
        # "10个人" or "都考过了" when asked for more 课时: the rest of the picture, so the list is complete.
        rounds_off = (
            bool(tracker.get_slot("subsidy_hours"))
            and not stated.has_hours
            and not stated.named_types
            and (bool(stated.employees) or stated.all_passed)
            and not re.search(NOT_ROUNDING_OFF, text)
        )
        if rounds_off and self._reaches_minimum(tracker):
            return {"subsidy_complete": True}
        # "另外每人还学了10课时免费课，都考过了": the last part, with the exams of all of them (rasa_sdk has
        # already put this message's 课时 into the running total)
        if (
            stated.all_passed
            and (stated.class_hours or stated.untyped_hours is not None)
            and not re.search(NOT_ROUNDING_OFF, text)
            and self._reaches_minimum(tracker)
        ):
            return {"subsidy_complete": True}
        if (
            stated.untyped_hours is not None
            and not stated.class_hours
            and tracker.get_slot("subsidy_hours")
            and _only_type_named_before(tracker)
            and self._reaches_minimum(tracker)
        ):
            return {"subsidy_complete": True}  # "都是线下培训" → "每人认定了48课时": nothing more to add
        only_excluded = bool(stated.invalid_hours) and not stated.class_hours and stated.untyped_hours is None
        if (
            stated.hours_done
            or only_excluded
            or stated.disqualifications
            or (re.search(CORRECTING, text) and stated.has_hours)
        ):
            return {"subsidy_complete": True} if tracker.get_slot("subsidy_hours") or gave_hours else {}
        if self._revises_estimate(tracker, stated, text):
            return {"subsidy_complete": True}
        # Hours with a question about them, or a first message or one with the headcount that reaches the
        # minimum, are everything the person has; fewer hours may be the first of several, so the running
        # total is shown and more asked for.
        opening = tracker.get_slot("requested_slot") is None
        # "5门付费课，每门10课时……有两门没参加考试": a first message that says which of its 课时 do not count
        # has gone through all of them.
        accounted = opening and bool(stated.invalid_hours) and bool(stated.class_hours)
        if gave_hours and (
            re.search(ASKS_ABOUT_THESE, text)
            or accounted
            or (opening or ASKS_AMOUNT.search(text) or stated.employees)
            and self._reaches_minimum(tracker)
        ):
            return {"subsidy_complete": True}
        return {}

    @staticmethod
    def _revises_estimate(tracker: Tracker, stated: StatedFacts, text: str) -> bool:
        """ "人数改成30", "那如果全换成付费课呢" right after an estimate: the estimate again, with the change."""
        if tracker.get_slot("last_calculation") != "subsidy" or tracker.get_slot("requested_slot") is not None:
            return False
        before = next(
            (
                event.get("value")
                for event in reversed(tracker.events or [])
                if event.get("event") == "slot" and event.get("name") == "subsidy_hours"
            ),
            None,
        )
        return bool(before) and bool(
            stated.employees
            or stated.has_hours
            or stated.disqualifications
            or stated.named_types
            and SWITCHING_TYPE.search(text)
        )

    @staticmethod
    def _reaches_minimum(tracker: Tracker) -> bool:
        """Below the minimum the person most likely has more 课时 to add, so they are asked first."""
        return sum(_hours(tracker.get_slot("subsidy_hours")).values(), Decimal("0")) >= minimum_hours()


class ActionAskSubsidyHours(Action):
    """The first question of the estimate: the course types and the length of a 课时 from the parameters."""

    def name(self) -> Text:
        return "action_ask_subsidy_hours"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        minutes = load_parameters("training_subsidy").value("class_hour_minutes", today())
        dispatcher.utter_message(response="utter_ask_subsidy_hours", types="、".join(training_types()), minutes=minutes)
        return []


class ActionAskSubsidyComplete(Action):
    """Shows the 课时 so far and asks whether there are more; or asks the type of 课时 given without one."""

    def name(self) -> Text:
        return "action_ask_subsidy_complete"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        types = training_types()
        untyped = tracker.get_slot("subsidy_untyped")
        if untyped:
            rates = load_parameters("training_subsidy").value("rates", today())
            if not tracker.get_slot("subsidy_hours"):
                # Answer first: what these 课时 decide whatever their type, then the type that refines it.
                try:
                    by_type = {kind: estimate_subsidy({kind: Decimal(untyped)}, today()) for kind in types}
                except SubsidyInputError as problem:
                    dispatcher.utter_message(response="utter_input_problem", problem=str(problem))
                    return [SlotSet("subsidy_untyped", "")]
                dispatcher.utter_message(
                    response="utter_subsidy_untyped_result",
                    headline=untyped_subsidy_line(_fmt(Decimal(untyped)), by_type, minimum_hours()),
                )
            dispatcher.utter_message(
                response="utter_ask_subsidy_type",
                hours=_fmt(Decimal(untyped)),
                rates="，".join(f"{kind}{rate}元/课时" for kind, rate in rates.items()),
                buttons=[{"title": kind, "payload": kind} for kind in types],
            )
            return []
        pending = tracker.get_slot("subsidy_pending_type")
        if pending:
            dispatcher.utter_message(response="utter_ask_subsidy_type_hours", training_type=pending)
            return []
        hours = _hours(tracker.get_slot("subsidy_hours"))
        so_far = "、".join(f"{kind}{_fmt(value)}课时" for kind, value in hours.items())
        total = _fmt(sum(hours.values(), Decimal("0")))
        buttons = [{"title": "没有了，开始计算", "payload": "没有了"}] + [
            {"title": f"还有{kind}", "payload": f"还有{kind}课"} for kind in types if kind not in hours
        ]
        dispatcher.utter_message(response="utter_ask_subsidy_more", so_far=so_far, total=total, buttons=buttons)
        return []


class ActionResetSubsidy(Action):
    """A new question starts from no 课时; one that adds to the last estimate keeps them."""

    def name(self) -> Text:
        return "action_reset_subsidy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if continues_calculation(tracker, "subsidy"):
            return [SlotSet("subsidy_complete", None)]
        return [SlotSet(slot, None) for slot in SLOTS]


class ActionEstimateSubsidy(Action):
    def name(self) -> Text:
        return "action_estimate_subsidy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        events: List[EventType] = [SlotSet("last_calculation", "subsidy"), SlotSet("subsidy_complete", None)]
        hours = _hours(tracker.get_slot("subsidy_hours"))
        stopped, employees, left_out = split_disqualified(
            dict(tracker.get_slot("subsidy_disqualified") or {}), _employees(tracker.get_slot("subsidy_employees"))
        )
        groups = [] if stopped else _groups_of(tracker.get_slot("subsidy_reduced"))
        some = sum(int(group["people"]) for group in groups)
        known = bool(tracker.get_slot("subsidy_employees"))
        everyone_reduced = len(groups) == 1 and known and some >= employees  # those people are everyone
        everyone_less = groups[0] if everyone_reduced else {}
        if everyone_reduced:
            hours, groups, some = _less(hours, _hours(everyone_less.get("hours"))), [], 0
        # Without a headcount the others are counted per person, beside those people's own amount.
        others = max(employees - some, 1) if known else employees
        try:
            result = estimate_subsidy(hours, today(), employees=others, disqualified=tuple(stopped))
            fewer = [
                estimate_subsidy(_less(hours, _hours(group.get("hours"))), today(), employees=int(group["people"]))
                for group in groups
            ]
        except SubsidyInputError as problem:
            dispatcher.utter_message(response="utter_input_problem", problem=str(problem))
            return events
        notes = tuple(tracker.get_slot("subsidy_notes") or ()) + tuple(left_out)
        if everyone_reduced:
            notes += (f"已扣除{_deducted(everyone_less)}课时：{everyone_less.get('reason')}",)
        notes += tuple(_fewer_note(group, estimate) for group, estimate in zip(groups, fewer))
        headline, details = subsidy_reply(result, notes)
        if any(estimate.per_person for estimate in fewer) and known:
            headline = _with_groups(headline, result, fewer, employees)
        dispatcher.utter_message(response="utter_subsidy_result", headline=headline, details=details)
        if any(note.startswith(MOST_NOTE_START) for note in notes):
            # The highest subsidy's 课时 are not the person's own: the next estimate starts afresh.
            events += [SlotSet("subsidy_hours", None), SlotSet("subsidy_notes", [])]
        return events


def _less(hours: Dict[str, Decimal], deducted: Dict[str, Decimal]) -> Dict[str, Decimal]:
    return {kind: max(value - deducted.get(kind, Decimal("0")), Decimal("0")) for kind, value in hours.items()}


def _groups_of(reduced: Any) -> List[Dict[str, Any]]:
    """The groups of people with fewer 课时: {"groups": [...]}, or one group as {"people", "hours", "reason"}."""
    if not isinstance(reduced, dict):
        return []
    if reduced.get("groups"):
        return [dict(group) for group in reduced["groups"] if group.get("people")]
    return [dict(reduced)] if reduced.get("people") else []


def _reduced_groups(groups: Any, hours: Dict[str, Decimal], reasons: Dict[str, str]) -> List[Dict[str, Any]]:
    """Two groups or more, each with 课时 of a type the estimate has; [] when one cannot be placed."""
    placed = []
    for group in groups:
        typed = {}
        for kind, value in group.hours.items():
            target = _course_of(kind, hours)
            if target is None:
                return []
            typed[target] = str(value)
        why = "；".join(dict.fromkeys(reasons[group.reasons.get(kind, "not_passed")] for kind in group.hours))
        placed.append({"people": group.people, "hours": typed, "reason": why})
    return placed


def _course_of(kind: str, hours: Dict[str, Decimal]) -> Optional[str]:
    """The training type of excluded 课时: the one named, else the only one given, else None."""
    return kind or (next(iter(hours)) if len(hours) == 1 else None)


def _deducted(group: Dict[str, Any]) -> str:
    return "、".join(f"{kind}{_fmt(Decimal(value))}" for kind, value in (group.get("hours") or {}).items())


def _fewer_note(group: Dict[str, Any], fewer: Any) -> str:
    """ "其中3人有12课时不计入……": the people whose invalid 课时 leave them fewer."""
    outcome = f"每人{fewer.per_person}元" if fewer.per_person else f"累计有效课时未达到{minimum_hours()}课时，不能补贴"
    return (
        f"其中{group['people']}人有{_deducted(group)}课时不计入（{group.get('reason')}），"
        f"累计{_fmt(fewer.total_hours)}课时：{outcome}"
    )


def _with_groups(headline: str, result: Any, fewer: Sequence[Any], employees: int) -> str:
    """The headline with the smaller amounts of those people and the total of everyone."""
    total = result.total + sum(estimate.total for estimate in fewer)
    parts = "，".join(f"{estimate.employees}人每人{estimate.per_person}元" for estimate in fewer if estimate.per_person)
    everyone = f"其中{parts}，{employees}人共{total}元"
    if f"{result.employees}人共{result.total}元" in headline:
        return headline.replace(f"{result.employees}人共{result.total}元", everyone)
    return f"{headline}，{everyone}"
