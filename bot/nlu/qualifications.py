"""Qualifications other than this occupation, as people name them: one registry for the calculators'
routing and the FAQ's coverage check.

"劳动关系协调员证书怎么报名" shares its words with the documents, but the certificate it asks about is
another occupation's: its rules, fees and dates are nowhere in them. A question about how such a
certificate counts here ("劳动关系协调员证书算相关证书吗") is about this occupation. The calculators
compute nothing for any other qualification ("中级经济师报考要工作几年").
"""

from __future__ import annotations

import re
from typing import Optional

# Other occupations' skill certificates: the documents say only whether they count as related (001 note ③).
OTHER_SKILL = re.compile(
    r"(劳动关系协调员|育婴员|育婴师|保育员|电工证|焊工证|心理咨询师|养老护理员|健康管理师|茶艺师|美容师|美发师|厨师证|"
    r"电子商务师|消防设施操作员|教师资格证?)"
)
# Professional qualification exams: their registration on 中国人事考试网 is in 002, their own rules are not.
PROFESSIONAL = re.compile(
    r"((?:初级|中级|高级)?经济师|(?:初级|中级|高级)?会计师|初级会计|中级会计|会计证|审计师|统计师|职称|"
    r"(?:一级|二级)?建造师|律师证|社工证|社会工作者)"
)
THIS_QUALIFICATION = re.compile(
    r"(企业人力资源管理师|人力资源管理师|人力[一二三四1-4]级|人资师|人力师|hr证|hrm)", re.IGNORECASE
)
# How another certificate counts for this occupation: a question about this one.
COUNTS_HERE = re.compile(
    r"(相关|算不算|算不|算吗|能算|可以算|能不能用|可以用|能用|认可|认不认|能报|可以报|能不能报|申报|代替|替代|"
    r"顶用|抵|有用吗|有关系|对口|符合|^\W*(?:劳动关系)?协调员\W*$)"
)


# What is asked about a qualification named just before: its exam, fee, level or rules.
ITS_OWN = re.compile(
    r"^\W{0,2}(?:\S{0,8}?专业)?\W{0,2}(?:的)?(?:职业技能等级|职业资格|技能等级|等级)?(?:证书?|认定|考试|考哪|考几|报考|报名|条件|成绩|费|[一二三四五1-5]级|"
    r"初级|中级|高级|什么时候考|几月考)"
)
# Holding one: "我有会计证，三级认定费多少钱" asks about this occupation.
HELD = re.compile(r"(有|持有|拿了|拿到|考了|考过|考下|取得|持)\S{0,4}$")


def _asked_about(pattern: re.Pattern, text: str) -> Optional[str]:
    for match in pattern.finditer(text):
        if ITS_OWN.match(text[match.end() :]) and not HELD.search(text[: match.start()]):
            return match.group(0)
    return None


def other_qualification(text: str) -> Optional[str]:
    """The other qualification `text` asks about (its exam, fee, level or rules), and no word of this
    occupation's, if any."""
    if THIS_QUALIFICATION.search(text or ""):
        return None
    return _asked_about(OTHER_SKILL, text or "") or _asked_about(PROFESSIONAL, text or "")


def professional_exam(text: str) -> Optional[str]:
    """The professional qualification exam a question is about ("二级建造师的报考条件"): only 002's
    registration answers speak of it."""
    if THIS_QUALIFICATION.search(text or "") or COUNTS_HERE.search(text or ""):
        return None
    return _asked_about(PROFESSIONAL, text or "")


def asks_about_other_qualification(text: str) -> Optional[str]:
    """The other occupation's certificate a question is about, unless it asks how that one counts here.
    A professional exam ("经济师在哪报名") is asked about 中国人事考试网, which 002 covers."""
    if THIS_QUALIFICATION.search(text or "") or COUNTS_HERE.search(text or ""):
        return None
    return _asked_about(OTHER_SKILL, text or "")
