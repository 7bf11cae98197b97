"""Whose situation a message asks about, when it describes two people.

"我同事有三级证，拿证后做了六年；我有四级证，拿证后做了五年人事。我呢，能报几级？" asks about the
speaker: only the clauses about the speaker (and those about both) state facts for the calculator.
Pure: text in, text out.
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

SEPARATOR = re.compile(r"([，,。；;！!？?\n]+)")
_LEAD = r"^\s*(?:那么?|而|但是?|可是?|然后|其实|另外|至于|而且|不过)?\s*"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏方邹熊白孟秦邱侯江尹薛段雷龙史陶贺毛郝顾龚邵万钱严孔常汤康乔赖"
# Pronouns (他, 她们) refer back to someone already named, so they do not change whose clause it is:
# "我给员工报了付费课，他们每人学了45课时，我能拿多少补贴" is all about the speaker's question.
OTHER_PERSON = (
    r"(?:同事|朋友|同学|老公|老婆|爱人|媳妇|丈夫|妻子|领导|室友|闺蜜|哥哥|姐姐|弟弟|妹妹|表哥|表姐|男朋友|女朋友|"
    r"对象|对方|另一个人|另一位|小[" + _SURNAMES + r"]|老[" + _SURNAMES + r"])"
)
# "我同事", "我的同事" start a clause about someone else; "同事说…" reports them, it is not about them.
OTHER = re.compile(_LEAD + r"(?:我的?|我们的?|我那个)?" + OTHER_PERSON + r"(?!.{0,2}(?:说|讲|告诉|建议|觉得|问))")
BOTH = re.compile(
    _LEAD + r"(?:我们|我俩|咱们|咱俩|我和|我跟|我与|大家|(?:我的?)?" + OTHER_PERSON + r"\S{0,3}(?:和|跟|与)我)"
)
# "我也是", "跟他一样": the speaker's facts are the other person's, so nothing may be left out.
SAME_AS = re.compile(r"(也是|也有|也一样|一样|同样|也做了|也干了|也学了)")
SELF = re.compile(_LEAD + r"(?:我|本人|自己)(?!们|俩|和|跟|与)")
PRONOUN = re.compile(_LEAD + r"(?:他|她)(?!们)")
ASKING = re.compile(r"(呢|吗|几级|多少|能不能|可不可以|可以|能报|能否|哪|什么|怎么)")

ME, OTHERS, EVERYONE = "me", "others", "everyone"


def _speaker(clause: str) -> Optional[str]:
    if BOTH.match(clause):
        return EVERYONE
    if OTHER.match(clause):
        return OTHERS
    if SELF.match(clause):
        return ME
    return None


def _clauses(text: str) -> List[Tuple[str, str, Optional[str]]]:
    """(clause, the separator after it, whose it is), a clause without a subject being the last one's."""
    pieces = SEPARATOR.split(text)
    out: List[Tuple[str, str, Optional[str]]] = []
    current: Optional[str] = None
    for index in range(0, len(pieces), 2):
        clause = pieces[index]
        separator = pieces[index + 1] if index + 1 < len(pieces) else ""
        explicit = _speaker(clause)
        if explicit is None and PRONOUN.match(clause) and current in (OTHERS, EVERYONE):
            explicit = OTHERS  # "我和同事都是本科毕业。她有四级证": 她 is the other one
        current = explicit or current
        out.append((clause, separator, current if explicit is None else explicit))
    return out


def _asked_about(clauses: List[Tuple[str, str, Optional[str]]]) -> Optional[str]:
    """Whose situation the question is about: the last clause naming a person ("我呢", "他能报几级"),
    if it asks something."""
    for clause, _, speaker in reversed(clauses):
        explicit = _speaker(clause)
        if explicit is None and PRONOUN.match(clause):
            explicit = speaker
        if explicit is not None:
            return explicit if explicit != EVERYONE and ASKING.search(clause) else None
    return None


def own_part(text: str) -> str:
    """`text` with only the clauses about the person asked about, when it describes two people;
    `text` unchanged otherwise."""
    clauses = _clauses(text)
    speakers = {speaker for _, _, speaker in clauses}
    if not {ME, OTHERS} <= speakers:
        return text
    asked = _asked_about(clauses)
    if asked is None or any(speaker == ME and SAME_AS.search(clause) for clause, _, speaker in clauses):
        return text
    return "".join(clause + separator for clause, separator, speaker in clauses if speaker in (asked, EVERYONE, None))
