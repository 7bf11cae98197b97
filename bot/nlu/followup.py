"""Short follow-ups read against the conversation: "人力资源管理师四级多少钱" → "那二级呢".

A message such as "那二级呢", "学员的呢" or "线下的呢" means nothing alone. Read with the previous
question it is a whole question: a term of the same kind is swapped in ("四级" → "二级"), or the
fragment is added to the previous question. The rewritten question is parsed again and used when
it is understood. A typed reply to "您问的是哪一个？" ("从业人员的") is read as the button it names.
A long message whose whole is not understood is read by its question part (its last sentence or
two), not its preamble.

Pure apart from `resolve`, which takes the parser as an argument, so the Rasa processor (with the
tracker) and the staff console (with the previous question it keeps) share one implementation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from bot.nlu.lexicon import Lexicon, load_lexicon

# A follow-up is short; a longer message carries its own subject.
MAX_FOLLOW_UP_CHARS = 16
# Without a follow-up word, only a very short message that was not understood is read in context.
MAX_FRAGMENT_CHARS = 8
# A message this long may hide its question behind a preamble; a question part has at least this much.
LONG_MESSAGE_CHARS = 30
MIN_QUESTION_CHARS = 6
# A reply to "您问的是哪一个？" names one of the things offered, in a few words.
MAX_CLARIFICATION_CHARS = 24
BUTTON_MATCH = 0.6  # share of the character pairs of the shorter of typed words and title found in the other
BUTTON_MARGIN = 0.2
MIN_TITLE_COVERAGE = 0.3
# A short question without its subject ("多久能录进去", "要满足啥条件") continues the previous one.
ASKS = re.compile(r"(吗|多久|多长|多少|几|啥|什么|怎么|如何|哪|能不能|可不可以|要不要|是不是|是否|有没有|行不行)")
# How the assistant asks which of several things was meant (disambiguation answers, the unsure reply).
CLARIFYING_MARKS = ("您问的是哪一个", "您是不是想问")
LEADS = ("那如果是", "那要是", "那如果", "那假如", "那么", "如果是", "要是", "假如", "换成", "改成", "那")
TRAILS = ("的情况呢", "的话呢", "的呢", "呢", "的话", "怎么样", "怎么算", "的")
PUNCTUATION = re.compile(r"[\s?？。!！,，~～…]+")
FILLERS = re.compile(r"[的是呀啊吧]")
# Conversation control: never read in context.
CONTROL_INTENTS = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "stop", "bot_challenge"})
# Intents that are answers, conversation control or not understood: never a topic to continue.
NOT_A_TOPIC = CONTROL_INTENTS | {"nlu_fallback", "out_of_scope"}
# A follow-up continues one of the last this many user messages, not something from long ago.
TOPIC_WINDOW = 2


def _clean(text: str) -> str:
    return PUNCTUATION.sub("", text or "")


def is_follow_up(text: str) -> bool:
    """Shaped like a follow-up: "那二级呢", "学员的呢", "如果是线下"."""
    core = _clean(text)
    if not core or len(core) > MAX_FOLLOW_UP_CHARS:
        return False
    return core.startswith(LEADS) or core.endswith("呢")


def asks_to_clarify(bot_text: str) -> bool:
    return any(mark in (bot_text or "") for mark in CLARIFYING_MARKS)


def fragment(text: str) -> str:
    """The follow-up's content: "那二级的呢" → "二级"."""
    core = _clean(text)
    for lead in LEADS:
        if core.startswith(lead) and len(core) > len(lead):
            core = core[len(lead) :]
            break
    changed = True
    while changed:
        changed = False
        for trail in TRAILS:
            if core.endswith(trail) and len(core) > len(trail):
                core = core[: -len(trail)]
                changed = True
                break
    return core


@dataclass(frozen=True)
class Rewrite:
    text: str
    swapped: bool  # a term of the previous question was replaced, the strongest sign of a follow-up
    only_terms: bool = True  # the follow-up said nothing but such terms ("那二级呢", not "二级补考呢")


def rewrite(previous: str, text: str, lexicon: Optional[Lexicon] = None) -> Optional[Rewrite]:
    """The follow-up `text` as a whole question, from the `previous` one; None if it adds nothing."""
    part = fragment(text)
    if CORRECTION.match(part):
        return None  # "不是四级是二级呢": a correction, not a follow-up to rewrite ("没过怎么办" is one)
    return _swap(previous, part, lexicon or load_lexicon())


def _compounds(terms: List[Tuple[str, str, int]]) -> List[Tuple[str, str, int]]:
    """Course words written together are one course: "自有课录播" (subjects so written stay two, "理论知识综合评审")."""
    merged: List[Tuple[str, str, int]] = []
    for kind, term, start in terms:
        if merged and kind == "course" and merged[-1][0] == kind and merged[-1][2] + len(merged[-1][1]) == start:
            merged[-1] = (kind, merged[-1][1] + term, merged[-1][2])
        else:
            merged.append((kind, term, start))
    return merged


def _swap(previous: str, part: str, lexicon: Lexicon, joiner: str = " ") -> Optional[Rewrite]:
    """`previous` with the terms of `part` swapped in for those of the same kind, and the rest added."""
    if not part or not previous:
        return None
    terms = _compounds(lexicon.terms_in(part))
    kinds = [kind for kind, _, _ in terms]
    if len(kinds) != len(set(kinds)):
        return None  # "二级和三级呢": two questions in one, no single rewrite means both
    question = previous
    leftover = part
    swapped = False
    previous_terms = lexicon.terms_in(previous)
    for kind, term, _ in terms:
        same_kind = [t for k, t, _ in previous_terms if k == kind and t != term]
        if kind == "level":
            # "有四级证，…能报二级吗" → "那三级呢": the level asked about, not the certificate held
            asked = [
                t
                for k, t, at in previous_terms
                if k == kind
                and t != term
                and not re.match(r"\s*(?:的)?(?:证|资格)", previous[at + len(t) : at + len(t) + 3])
            ]
            same_kind = asked or same_kind
        if same_kind:
            # The counterpart most like the new term: "付费" swaps "免费" in "点播的免费课", not "点播".
            counterpart = max(same_kind, key=lambda t: len(set(t) & set(term)))
            # "点播的免费课" → "付费的呢": the course keeps its 课
            spoken = (
                term + "课" if counterpart.endswith("课") and not term.endswith("课") and kind == "course" else term
            )
            question = question.replace(counterpart, spoken, 1)
            if len(lexicon.terms_in(term)) > 1:
                for other in same_kind:  # "自有课录播" for "点播的免费课": the whole course named anew
                    if other != counterpart and other not in term:
                        question = question.replace(other, "", 1)
            leftover = leftover.replace(term, "", 1)
            swapped = True
        elif any(k == kind and t == term for k, t, _ in previous_terms):
            leftover = leftover.replace(term, "", 1)  # already the previous question's subject
    leftover = FILLERS.sub("", leftover)
    if swapped and re.fullmatch(r"\s*课程?\s*", leftover):
        leftover = ""  # "那免费课呢": the 课 of the course swapped in
    if leftover:
        question = f"{question}{joiner}{leftover}"
    if question == previous:
        return None
    return Rewrite(question, swapped, only_terms=not leftover)


# "不对，我说的是二级", "不是三级，是二级", "我看错了，应该是理论": a correction of the question just answered.
CORRECTION = re.compile(
    r"^(?:等下|等等|哦|啊|抱歉|不好意思)?(?:我)?(?:不对|不是|说错了|错了|看错了|写错了|打错了|搞错了|记错了|"
    r"更正一下|更正|纠正一下)"
)
# A follow-up of a calculation may be a little longer: "我们有6个人要报呢，一共多少".
MAX_CALCULATION_FOLLOW_UP_CHARS = 20
CONTINUING = ("还有", "另外", "再加", "加上", "如果", "要是", "假如", "换成", "改成")
ALSO_FAILED = re.compile(r"(也|还有|另外).{0,6}(没过|没通过|挂了|不及格|没及格|要补考|得补)")


def correction_part(text: str) -> Optional[str]:
    """What a correction puts right: "不对，我说的是二级" → "二级"; None if `text` is no correction."""
    core = _clean(text)
    lead = CORRECTION.match(core)
    if not lead:
        return None
    rest = core[lead.end() :]
    if "是" in rest:
        rest = rest.rsplit("是", 1)[1]  # "不是三级是二级" → "二级"
    return fragment(rest) or None


def _levels(text: str, lexicon: Lexicon) -> List[str]:
    return [term for kind, term, _ in lexicon.terms_in(text) if kind == "level"]


def calculation_question(previous: str, text: str, lexicon: Optional[Lexicon] = None) -> Optional[str]:
    """A correction or follow-up of the calculation just answered, as the whole question it stands for:
    "三级一共多少钱" → "不对，我说的是二级" → "二级一共多少钱"; "四级要交多少钱" → "那如果理论没过，补考呢"."""
    part = correction_part(text)
    if part is None:
        core = _clean(text)
        if not (is_follow_up(text) or core.startswith(CONTINUING) or len(core) <= MAX_CALCULATION_FOLLOW_UP_CHARS):
            return None
        part = fragment(text)
    lexicon = lexicon or load_lexicon()
    if ALSO_FAILED.search(part) and not _levels(part, lexicon):
        # "我理论知识没过" → "我综合评审也没过": one more subject to retake, not another one instead
        # ("那四级的理论也没过呢" is about another level).
        return f"{previous.rstrip('？?。!！ ')}，{text.strip()}"
    # One clause, so that "我们有6个人" counts the people of the previous question's level.
    candidate = _swap(previous.rstrip("？?。!！ "), part, lexicon, joiner="")
    if candidate is not None:
        return candidate.text
    # "说错了，没过的是理论知识，综合评审过了": a whole new statement, about the previous question's level.
    levels = _levels(previous, lexicon)
    correction = CORRECTION.match(_clean(text))
    if levels and correction and not _levels(text, lexicon):
        return levels[0] + _clean(text)[correction.end() :]
    if levels and not _levels(text, lexicon):
        from bot.nlu.facts import read_fee_question, to_digits

        _, subjects, retake, _ = read_fee_question(to_digits(text))
        if subjects and retake:
            return f"{levels[0]}{_clean(text)}"  # "二级的" → "理论知识和综合评审两门没过": that level's retake
    return None


def _button_words(text: str) -> str:
    return re.sub(r"(那个|这个|的|是|呀|啊|吧)", "", _clean(text))


def _bigrams(text: str) -> set:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _overlap(a: str, b: str) -> float:
    """How much of the shorter of `a` and `b` the other contains, by character pairs (0 to 1)."""
    pairs_a, pairs_b = _bigrams(a), _bigrams(b)
    return len(pairs_a & pairs_b) / min(len(pairs_a), len(pairs_b))


def _names(typed: str, title: str) -> float:
    """How well typed words name a title: the share of the typed words found in it, and none at all
    unless they cover a fair part of the title ("从业人员的" names "从业人员培训考试"; "咨询" names nothing)."""
    pairs_typed, pairs_title = _bigrams(typed), _bigrams(title)
    shared = len(pairs_typed & pairs_title)
    if shared / len(pairs_title) < MIN_TITLE_COVERAGE and shared / len(pairs_typed) < 1:
        return 0.0
    return max(shared / len(pairs_typed), shared / len(pairs_title))


def match_button(
    text: str, buttons: Iterable[Mapping[str, Any]], previous: Optional[str] = None
) -> Optional[Mapping[str, Any]]:
    """The one button that what was typed names ("从业人员的", "ATA企业人力资源管理师那个").

    When it names several alike ("企业人力资源管理师的" for two of its questions), the previous question
    decides between them."""
    typed = _button_words(text)
    if not typed or len(typed) > MAX_CLARIFICATION_CHARS:
        return None
    scored = []
    before = _button_words(previous) if previous else ""
    for button in buttons:
        title = _button_words(str(button.get("title") or ""))
        if title:
            tie_break = _overlap(before, title) if before else 0.0
            scored.append((_names(typed, title), tie_break, button))
    scored.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    if not scored or scored[0][0] < BUTTON_MATCH:
        return None
    if len(scored) > 1 and scored[1][0] > scored[0][0] - BUTTON_MARGIN and scored[0][1] <= scored[1][1]:
        return None  # it names two of them equally, and so did the question before
    return scored[0][2]


def question_parts(text: str) -> List[str]:
    """The question of a long message without its preamble: its last sentence, then its last two.

    "我刚帮公司注册好了账号，第一次弄这个。注册完是不是就可以直接建班了？" → "注册完是不是就可以直接建班了？"."""
    sentences = [part for part in re.split(r"(?<=[。？！?!；;])|\n", text or "") if part and part.strip()]
    if len(sentences) < 2:
        return []
    parts = [sentences[-1].strip(), "".join(sentences[-2:]).strip()]
    return [part for part in dict.fromkeys(parts) if len(_clean(part)) >= MIN_QUESTION_CHARS]


Parse = Callable[[str], Awaitable[Dict[str, Any]]]
Understood = Callable[[Mapping[str, Any]], bool]
Options = Callable[[Mapping[str, Any]], Sequence[Mapping[str, Any]]]
LeftDocument = Callable[[str, str, Mapping[str, Any]], bool]
Mentioned = Callable[[str], bool]


def intent_name(parse_data: Mapping[str, Any]) -> Optional[str]:
    return (parse_data.get("intent") or {}).get("name")


def no_options(_parse_data: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    return []


def stays_in_document(_previous: str, _text: str, _parse_data: Mapping[str, Any]) -> bool:
    return False


def mentions_nothing(_words: str) -> bool:
    return False


def new_subject(text: str, mentioned: Mentioned) -> bool:
    """Whether a follow-up names a subject of its own that the knowledge base never mentions ("那驾照呢"),
    rather than only asking on ("要多久") or about something it covers ("公示多久")."""
    subject = FILLERS.sub("", ASKS.sub("", fragment(text)))
    subject = re.sub(r"[要能会还可以呢啊吧呀了么吗\s？?，,。！!]", "", subject)
    if len(subject) < 2:
        return False
    pairs = [subject[index : index + 2] for index in range(len(subject) - 1)]
    return sum(map(mentioned, pairs)) * 2 < len(pairs)  # mostly words the documents never use


async def resolve(
    text: str,
    parse_data: Dict[str, Any],
    previous: Optional[str],
    parse: Parse,
    understood: Understood,
    buttons: Iterable[Mapping[str, Any]] = (),
    clarifying: bool = False,
    options: Options = no_options,
    left_document: LeftDocument = stays_in_document,
    mentioned: Mentioned = mentions_nothing,
) -> Dict[str, Any]:
    """`parse_data` for `text`, or the parse of what it means in context when that is understood.

    `previous` is the question being continued, `buttons` what the last reply offered, `clarifying`
    whether that reply asked which of several things was meant, `options` the choices a parse would
    offer ("您问的是哪一个？"), `left_document` whether `text`, naming no document, was answered from
    another one than `previous` names, `mentioned` whether the knowledge base mentions some words.
    The result's "text" is the question as understood;
    "original_text" keeps what was typed.
    """
    if (text or "").startswith("/"):
        return parse_data
    intent = intent_name(parse_data)
    lexicon = load_lexicon()
    if intent in CONTROL_INTENTS and not (previous and is_follow_up(text) and lexicon.terms_in(fragment(text))):
        return parse_data  # "好的", "没有了"; but "付费的呢" is a follow-up, however it was classified
    length = len(_clean(text))
    answering = clarifying and length <= MAX_CLARIFICATION_CHARS  # typed instead of clicking
    clear = understood(parse_data)
    if answering or not clear and length <= MAX_FOLLOW_UP_CHARS:
        button = match_button(text, buttons, previous)
        if button is not None and button.get("payload"):
            chosen = await parse(str(button["payload"]))
            return {**chosen, "original_text": text}
    if not clear and length > LONG_MESSAGE_CHARS:
        for part in question_parts(text):
            reparsed = await parse(part)
            if understood(reparsed):
                return {**reparsed, "text": part, "original_text": text}
    if not previous:
        return parse_data
    follow_up = is_follow_up(text) or intent in CONTROL_INTENTS
    # "没过怎么办" after a question about one document's exam asks on about it, even when the classifier is
    # sure of an answer from another document: a short question that names no document keeps the previous one.
    # So does a follow-up ("外籍的呢" after 京训钉's rule for 港澳台 staff, "那交的报名费能退吗").
    keeps_document = (
        clear
        and (length <= MAX_FRAGMENT_CHARS and bool(ASKS.search(text)) or is_follow_up(text))
        and left_document(previous, text, parse_data)
    )
    if not (follow_up or answering or keeps_document) and (clear or length > MAX_FRAGMENT_CHARS):
        return parse_data
    if clear and intent not in ("faq", None) and intent not in CONTROL_INTENTS and not answering:
        return parse_data  # a calculator or service question in its own right
    candidate = rewrite(previous, text)
    if candidate is None:
        return parse_data
    if clear and not (candidate.swapped and candidate.only_terms) and not keeps_document:
        return parse_data  # "那第一次怎么登录", "人事考试网准考证怎么打印呢": whole questions of their own
    if intent == "out_of_scope" and not candidate.swapped and new_subject(text, mentioned):
        return parse_data  # "那驾照呢": a subject the documents do not cover stays uncovered
    if not (follow_up or answering or candidate.swapped or ASKS.search(text)):
        return parse_data  # "补贴" after another question: a new subject; "多久能录进去" asks on about the old
    reparsed = await parse(candidate.text)
    # "学员的呢" after the unit's password: the whole question asks "which password?", the follow-up says.
    picked = match_button(fragment(text), options(reparsed), previous)
    if picked is not None and picked.get("payload"):
        payload = str(picked["payload"])
        return {**await parse(payload), "text": payload, "original_text": text}
    if keeps_document and left_document(previous, candidate.text, reparsed):
        return parse_data  # the whole question leaves the document too: no better reading
    if understood(reparsed) or candidate.swapped and follow_up:
        return {**reparsed, "text": candidate.text, "original_text": text}
    return parse_data


CALCULATOR_INTENTS = {"subsidy": "ask_subsidy", "eligibility": "ask_eligibility", "fee": "ask_fee"}


def _states_a_retake(text: str) -> bool:
    from bot.nlu.facts import read_fee_question, to_digits

    _, subjects, retake, _ = read_fee_question(to_digits(text or ""))
    return bool(subjects) and retake


async def resolve_calculation(
    text: str, parse_data: Dict[str, Any], calculated: Optional[str], previous: Optional[str], parse: Parse
) -> Optional[Dict[str, Any]]:
    """The parse of a message that goes on with the calculation whose answer was the last reply; None if it
    does not. `calculated` is that calculation ("fee", "subsidy", "eligibility"), `previous` its question.

    A fee has no form to keep its facts, so "不对，我说的是二级" is read as the previous question with the
    level swapped; a subsidy or a level keeps its facts in its form, so the message goes to that form."""
    if not calculated or (text or "").startswith("/"):
        return None
    if intent_name(parse_data) in CONTROL_INTENTS and not (calculated == "fee" and _states_a_retake(text)):
        return None  # "好的", "不用了"; but "我理论知识没过" says which subject to retake, however classified
    if calculated == "fee":
        from bot.nlu.facts import read_facts

        if (
            not previous
            or intent_name(parse_data) == "ask_fee"
            and correction_part(text) is None
            and read_facts(text).fee_levels
        ):
            return None  # a whole fee question of its own, with its level
        candidate = calculation_question(previous, text)
        if candidate is None:
            return None
        reparsed = await parse(candidate)
        if intent_name(reparsed) != "ask_fee":
            from bot.nlu.routing import calculator_for

            if calculator_for(candidate) != "ask_fee":
                return None
            reparsed = {**reparsed, "intent": {"name": "ask_fee", "confidence": 1.0}}  # facts first, as ever
        return {**reparsed, "text": candidate, "original_text": text}
    from bot.nlu.routing import calculator_continued

    intent = calculator_continued(text, calculated)
    if intent is None or intent_name(parse_data) == intent:
        return None
    return {**parse_data, "intent": {"name": intent, "confidence": 1.0}}


def fee_with_level_before(previous: Optional[str], text: str, lexicon: Optional[Lexicon] = None) -> Optional[str]:
    """A fee question told in two messages, as one: "我去年考的二级" → "就综合评审没过，今年补考交多少";
    "考试报名费多少" → "二级的，全部加起来". None unless one message names the level and the other asks the fee."""
    from bot.nlu.routing import calculator_for

    if not previous or (text or "").startswith("/"):
        return None
    lexicon = lexicon or load_lexicon()
    now, before = _levels(text, lexicon), _levels(previous, lexicon)
    core = _clean(text)
    if not now and len(set(before)) == 1:
        candidate = f"{before[0]}，{text.strip()}"  # the level of the message before, this one's fee question
    elif (
        len(set(now)) == 1
        and not before
        and len(core) <= MAX_CALCULATION_FOLLOW_UP_CHARS
        and calculator_for(previous) is None
    ):
        candidate = f"{previous.strip()}，{text.strip()}"  # the fee question before, this one's level
    else:
        return None
    return candidate if calculator_for(candidate) == "ask_fee" and calculator_for(text) is None else None


async def fee_told_in_two(
    text: str, parse_data: Dict[str, Any], previous: Optional[str], parse: Parse
) -> Optional[Dict[str, Any]]:
    """The parse of a fee question whose level or question came in the message before (see
    `fee_with_level_before`); None otherwise."""
    if intent_name(parse_data) in CONTROL_INTENTS:
        return None
    candidate = fee_with_level_before(previous, text)
    if candidate is None:
        return None
    reparsed = await parse(candidate)
    return {**reparsed, "intent": {"name": "ask_fee", "confidence": 1.0}, "text": candidate, "original_text": text}


def situation(text: str, parse_data: Dict[str, Any], previous: Optional[str]) -> Optional[Dict[str, Any]]:
    """The parse of a message that describes the person who just said they want to apply ("他在读大专"
    after "我儿子想报人力资源管理师"): the level calculator; None otherwise."""
    from bot.nlu.routing import situation_after_wish

    if (text or "").startswith("/") or intent_name(parse_data) in CALCULATOR_INTENTS.values():
        return None
    intent = situation_after_wish(previous, text)
    return None if intent is None else {**parse_data, "intent": {"name": intent, "confidence": 1.0}}


def previous_topic(user_messages: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """The question a follow-up continues: the latest user message that was about something.

    `user_messages` are parse data, oldest first. Only the last two count: a follow-up continues
    what was just discussed, not something from long ago.
    """
    for parse_data in reversed(user_messages[-TOPIC_WINDOW:]):
        text = str(parse_data.get("text") or "")
        if text.startswith("/"):
            continue
        if intent_name(parse_data) not in NOT_A_TOPIC:
            return text
    return None
