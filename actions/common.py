"""Small helpers shared by the form validations."""

import re
from typing import Optional, Text

from rasa_sdk import Tracker

# Intents that end a form: the rules then deactivate it and say so.
LEAVING_INTENTS = {"stop", "deny"}


def is_leaving(tracker: Tracker) -> bool:
    """True when the person wants out; the validation returns nothing so the form is rejected."""
    intent: Text = (tracker.latest_message.get("intent") or {}).get("name") or ""
    return intent in LEAVING_INTENTS


def gives_up(tracker: Tracker) -> bool:
    """ "大概50课时吧……先不算了": giving up, whatever figure comes with it ("没有了" ends a list instead)."""
    return (tracker.latest_message.get("intent") or {}).get("name") == "stop"


# Words that carry a calculation on from its last result rather than start a new one.
CONTINUING = (
    "还有",
    "另外",
    "再加",
    "加上",
    "那",
    "如果",
    "要是",
    "不对",
    "其实",
    "我还",
    "还",
    "补充",
    "忘了说",
    "对了",
    "又",
    "再",
    "后来",
    "之后",
    "然后",
    "而且",
    "并且",
    "也",
    "不是",
    "错了",
    "更正",
    "改一下",
    "哦",
)
# "哦对了，我之前还做过一年半行政": the continuing word may follow an interjection and the speaker.
LEAD = re.compile(r"^(?:哦|噢|喔|啊|对了|[，,\s])*(?:我|本人)?")
ADDING_STILL = re.compile(r"^.{0,3}还(?!是)")
# Words that start a new question even right after a result.
STARTING = (
    "帮我算",
    "帮我看",
    "再算一个",
    "重新算",
    "换一个",
    "另一个",
    "我同事",
    "我朋友",
    "新的",
    "我想问",
    "请问",
    "再问一个",
    "又来了",
)


def continues_calculation(tracker: Tracker, kind: Text) -> bool:
    """Whether this message adds to the facts of the `kind` calculation under way or just answered.

    Right after a result, a message that only adds facts goes on from it ("后来又做了2年人事", "我还有四级证");
    one that describes a situation afresh (with its work years, or its 课时 and the question) starts again."""
    if (tracker.active_loop or {}).get("name") == f"{kind}_form":
        return True
    if tracker.get_slot("last_calculation") != kind:
        return False
    text = (tracker.latest_message.get("text") or "").strip()
    if text.startswith(CONTINUING):
        return True
    from bot.nlu.speakers import OTHER

    if any(word in text for word in STARTING) or OTHER.match(text):
        return False  # "我再问一个，我朋友做了8年人事": someone else's situation
    lead = LEAD.match(text)  # matches every text, if only the empty start
    core = text[lead.end() :] if lead else text
    if core.startswith(CONTINUING) or ADDING_STILL.match(core):
        return True
    from bot.nlu.facts import read_facts
    from bot.nlu.routing import ASKS_AMOUNT, asks_the_amount_again

    if kind == "eligibility":
        return read_facts(text).work_years is None or years_of_other_work(tracker) is not None
    return not ASKS_AMOUNT.search(text) or asks_the_amount_again(text)


BARE_YEARS = re.compile(
    r"\s*(?:大概|大约|有|差不多|快|都)?\s*[\d一二三四五六七八九十两]+(?:\.\d+)?\s*(?:年|个月)[半多]?\s*"
    r"(?:了|左右|吧)?\s*"
)


def previous_user_text(tracker: Tracker) -> Text:
    """The person's message before the latest one ("" when there is none)."""
    users = [event for event in reversed(tracker.events or []) if event.get("event") == "user"]
    return (users[1].get("text") or "") if len(users) > 1 else ""


def years_of_other_work(tracker: Tracker) -> Optional[Text]:
    """The previous message when it named work outside this occupation without its years ("做销售的") and this
    one gives only years ("九年"): they are that work's years; None otherwise."""
    from bot.nlu.facts import read_facts

    text = tracker.latest_message.get("text") or ""
    if not BARE_YEARS.fullmatch(text):
        return None
    previous = previous_user_text(tracker)
    facts = read_facts(previous) if previous else None
    return previous if facts and facts.work_kind == "other" and facts.work_years is None else None


def say_once(dispatcher, problem: Text) -> None:
    """Explain a problem with the input once per turn, however many hooks notice it."""
    if not any(message.get("problem") == problem for message in dispatcher.messages):
        dispatcher.utter_message(response="utter_input_problem", problem=problem)


def unlikely_number_problem(raw: Text) -> Text:
    return f"“{raw}”不像是一个实际的数字，我没有采用它。请用普通的写法重新告诉我，例如 5、5.5 或 四十。"


# The document each calculation comes from, for "the document at hand".
CALCULATION_DOCUMENTS = {"eligibility": "001", "fee": "001", "subsidy": "003"}
TOPIC_SLOT = "topic_document"


def document_at_hand(tracker: Tracker) -> Optional[Text]:
    """The document of the latest answer or calculation in this conversation, if any."""
    for event in reversed(tracker.events or []):
        if event.get("event") != "slot" or event.get("value") is None:
            continue
        if event.get("name") == TOPIC_SLOT:
            return str(event["value"])
        if event.get("name") == "last_calculation":
            return CALCULATION_DOCUMENTS.get(str(event["value"]))
    return None
