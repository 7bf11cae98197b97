"""Read the facts a person states in one message: years, certificates, schooling, 课时.

People write numbers as 五年半, 两年, 十来年, 40个课时, 30个小时; cn2an turns Chinese
numerals into digits, then small patterns pick out what each number is about.
Pure functions: text in, facts out; nothing is guessed that the text does not say.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Dict, Optional, Tuple

from bot.nlu.normalize import normalize_text

NUMBER = r"(-?\d+(?:\.\d+)?)"
APPROXIMATE = r"(?:来|多|几|左右|出头)"

# Words people use for each training type of 003 (点播免费 / 点播付费 / 自有课录播 / 线下).
TRAINING_TYPE_WORDS = (
    ("点播付费", ("付费", "收费", "买的课", "花钱")),
    ("点播免费", ("免费", "不收费", "不花钱")),
    ("自有课录播", ("自有", "录播", "自己的课", "自己课程")),
    ("线下", ("线下", "面授", "现场")),
)
EDUCATION_WORDS = (
    ("技工院校预备技师班或技师班", ("预备技师班", "技师班")),
    ("高级技工学校或技师学院", ("技师学院", "高级技工学校")),
    ("技工院校高级工班", ("高级工班",)),
    ("技工院校", ("技工院校", "技校", "技工学校")),
    ("中职", ("中专", "中职", "职高", "中等职业")),
    ("高职", ("高职",)),
    ("专科及以上", ("大专", "专科", "本科", "大学", "研究生", "硕士", "博士")),
)
NONE_OF_THE_ABOVE = "无"
NONE_OF_THE_ABOVE_WORDS = r"(以上都不是|都不是|都没有|没有|无|其他)"
CERTIFICATE_ANCHOR = r"(?:拿证|取证|拿到证|取得证|考下证|有证|拿证书|持证)"
NO_CERTIFICATE = ("没有证", "没证", "无证", "没有任何证", "没考过证", "没有证书")
CERTIFICATE_NAMES = (("高级技师", 1), ("技师", 2), ("高级工", 3), ("中级工", 4), ("初级工", 5))


@dataclass(frozen=True)
class YearsMention:
    years: float
    approximate: bool = False


@dataclass
class StatedFacts:
    work_years: Optional[YearsMention] = None
    years_since_certificate: Optional[YearsMention] = None
    certificate_level: Optional[int] = None
    no_certificate: bool = False
    education: Optional[str] = None
    major_related: Optional[bool] = None
    is_student: Optional[bool] = None
    unknown_certificate: Optional[str] = None
    class_hours: Dict[str, Decimal] = field(default_factory=dict)
    converted_from_clock_hours: Tuple[str, ...] = ()
    employees: Optional[int] = None


def to_digits(text: str) -> str:
    import cn2an

    normalized = normalize_text(text)
    try:
        return cn2an.transform(normalized, "cn2an")
    except (ValueError, KeyError, IndexError):
        return normalized


def _years_after(text: str, anchor: str) -> Tuple[Optional[int], Optional[YearsMention]]:
    """(position of the number, years) for the first years figure shortly after `anchor`."""
    match = re.search(anchor + r"[^0-9，,。；;]{0,8}?" + NUMBER + r"\s*(" + APPROXIMATE + r")?\s*年(半)?", text)
    if not match:
        return None, None
    years = float(match.group(1)) + (0.5 if match.group(3) else 0.0)
    return match.start(1), YearsMention(years, approximate=bool(match.group(2)))


def _all_years(text: str):
    pattern = r"(大概|大约|差不多)?\s*" + NUMBER + r"\s*(" + APPROXIMATE + r")?\s*(?:个)?年(半)?(多|左右)?"
    for match in re.finditer(pattern, text):
        years = float(match.group(2)) + (0.5 if match.group(4) else 0.0)
        rough = bool(match.group(1) or match.group(3) or match.group(5))
        yield match.start(2), YearsMention(years, approximate=rough)


def parse_certificate(text: str) -> Tuple[Optional[int], bool]:
    """(level, says_no_certificate)."""
    if any(word in text for word in NO_CERTIFICATE):
        return None, True
    match = re.search(r"([1-5])\s*级", text)
    if match:
        return int(match.group(1)), False
    for name, level in CERTIFICATE_NAMES:
        if name in text and not (name == "技师" and ("技师学院" in text or "技师班" in text)):
            return level, False
    return None, False


def parse_education(text: str) -> Optional[str]:
    for kind, words in EDUCATION_WORDS:
        if any(word in text for word in words):
            return kind
    return None


def parse_major_related(text: str) -> Optional[bool]:
    if re.search(r"(不相关|不对口|无关|不是相关|没关系|其他专业|别的专业)", text):
        return False
    if re.search(r"(相关专业|对口|人力资源|工商企业管理|行政管理|管理科学|劳动与社会保障|劳动经济|劳动关系)", text):
        return True
    return None


def parse_student(text: str) -> Optional[bool]:
    if re.search(r"(已经毕业|毕业了|早毕业)", text):
        return False
    if re.search(r"(在读|应届|还没毕业|在校|在上学|学生)", text):
        return True
    return None


def parse_yes_no(text: str) -> Optional[bool]:
    if re.fullmatch(r"\s*(不是|不对|否|没有|不)\s*[的啊呀]?\s*", text):
        return False
    if re.fullmatch(r"\s*(是|对|是的|对的|嗯|有)\s*[的啊呀]?\s*", text):
        return True
    return None


def parse_class_hours(text: str) -> Tuple[Dict[str, Decimal], Tuple[str, ...]]:
    """课时 per training type; clock hours (小时) become 课时 of 45 minutes, and are reported."""
    from bot.rules.subsidy import hours_to_class_hours

    hours: Dict[str, Decimal] = {}
    converted = []
    for clause in re.split(r"[，,、；;。\s]|(?:还有|另外|以及|加上|和|又)", text):
        match = re.search(NUMBER + r"\s*(?:个)?\s*(课时|学时|课|小时|钟头)", clause)
        if not match:
            continue
        kind = next((t for t, words in TRAINING_TYPE_WORDS if any(w in clause for w in words)), None)
        if kind is None:
            continue
        value = Decimal(match.group(1))
        if match.group(2) in ("小时", "钟头"):
            converted.append(f"{kind}{match.group(1)}小时")
            value = hours_to_class_hours(value)
        hours[kind] = hours.get(kind, Decimal("0")) + value
    return hours, tuple(converted)


def parse_employees(text: str) -> Optional[int]:
    match = re.search(NUMBER + r"\s*(?:个|名|位)?\s*(?:员工|职工|人|学员)", text)
    if match and "." not in match.group(1):
        return int(match.group(1))
    return None


def read_facts(text: str, expecting: Optional[str] = None) -> StatedFacts:
    """Every fact stated in `text`. `expecting` names the fact just asked for, for a bare '5年'."""
    text = to_digits(text)
    facts = StatedFacts()
    facts.certificate_level, facts.no_certificate = parse_certificate(text)
    if facts.certificate_level is None:
        odd = re.search(r"(\d+)\s*级", text)
        if odd:
            facts.unknown_certificate = odd.group(0)
    since_position, facts.years_since_certificate = _years_after(text, CERTIFICATE_ANCHOR + r"[^0-9]{0,3}后?")
    # The first other years figure is the total; the one just read as "since the certificate" is not.
    facts.work_years = next((mention for position, mention in _all_years(text) if position != since_position), None)
    if expecting == "years_since_certificate" and facts.years_since_certificate is None and facts.work_years:
        facts.years_since_certificate, facts.work_years = facts.work_years, None
    if expecting in ("work_years", "years_since_certificate") and facts.work_years is None \
            and facts.years_since_certificate is None:
        bare = re.fullmatch(r"\s*(?:是|大概|大约)?\s*" + NUMBER + r"\s*", text)
        if bare:
            setattr(facts, expecting, YearsMention(float(bare.group(1))))
    facts.education = parse_education(text)
    if facts.education is None and expecting == "education" and re.search(NONE_OF_THE_ABOVE_WORDS, text):
        facts.education = NONE_OF_THE_ABOVE
    facts.major_related = parse_major_related(text)
    facts.is_student = parse_student(text)
    if expecting in ("major_related", "is_student") and getattr(facts, expecting) is None:
        answer = parse_yes_no(text)
        if answer is not None:
            setattr(facts, expecting, answer)
    facts.class_hours, facts.converted_from_clock_hours = parse_class_hours(text)
    facts.employees = parse_employees(text)
    return facts
