"""Read the facts a person states in one message: years, certificates, schooling, 课时, fees.

People write numbers as 五年半, 六年多, 快七年, 48个月, 九年十个月, 40个课时, 30个小时, 2400分钟;
cn2an turns Chinese numerals into digits, then small patterns pick out what each number is about.
Pure functions: text in, facts out; nothing is guessed that the text does not say. A rough figure
("六年多") is kept as a range, and the rules decide whether the range matters.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, Optional, Sequence, Tuple

from bot.nlu.homophones import correct_homophones
from bot.nlu.normalize import normalize_text
from bot.nlu.speakers import own_part

NUMBER = r"(\d+(?:\.\d+)?)"
SEPARATORS = r"[，,。；;！!？?\s、]"

# Words people use for each training type of 003 (点播免费 / 点播付费 / 自有课录播 / 线下).
TRAINING_TYPE_WORDS = (
    ("点播付费", ("付费", "收费", "买的课", "花钱", "购买", "付废")),
    ("点播免费", ("免费", "不收费", "不花钱", "免废")),
    ("自有课录播", ("自有", "录播", "自己的课", "自己课程", "自建", "自由课", "自己录", "自录", "内部录")),
    ("线下", ("线下", "面授", "面受", "现场", "实体", "脱产")),
)
# Longest and most specific first; a person may name several (a 技师学院 graduate of its 预备技师班).
EDUCATION_WORDS = (
    ("技工院校预备技师班或技师班", ("预备技师班", "技师班", "预备技师")),
    ("高级技工学校或技师学院", ("技师学院", "高级技工学校", "高级技校")),
    ("技工院校高级工班", ("高级工班",)),
    ("技工院校", ("技工院校", "技校", "技工学校")),
    ("中职", ("中专", "中职", "职高", "中等职业", "职业高中")),
    ("高职", ("高职", "高等职业")),
    (
        "专科及以上",
        (
            "大专",
            "专科",
            "本科",
            "大学",
            "研究生",
            "读研",
            "硕士",
            "博士",
            "学士",
            "大一",
            "大二",
            "大三",
            "大四",
            "研一",
            "研二",
            "研三",
            "大1",
            "大2",
            "大3",
            "大4",
            "研1",
            "研2",
            "研3",
        ),
    ),
)
NONE_OF_THE_ABOVE = "无"
NONE_OF_THE_ABOVE_WORDS = r"(以上都不是|都不是|都没有|没有|无|其他|初中|高中毕业|小学)"
# The words people use for this occupation itself and its kinds of work; the related occupations of
# 001 附件1 note ① are added from the parameters (`related_work`).
HR_WORK_WORDS = (
    "人事",
    "人力",
    "hr",
    "招聘",
    "薪酬",
    "绩效",
    "培训",
    "员工关系",
    "劳动关系",
    "社保",
    "行政",
    "咨询",
    "组织发展",
    "hrbp",
    "猎头",
    "人资",
)
OTHER_WORK = (
    "会计",
    "财务",
    "出纳",
    "销售",
    "程序员",
    "开发",
    "司机",
    "客服",
    "设计",
    "教师",
    "老师",
    "护士",
    "医生",
    "工程师",
    "电工",
    "厨师",
    "保安",
    "快递",
    "外卖",
    "服务员",
    "收银",
    "导游",
    "前台",
    "运营",
    "仓管",
    "技术员",
    "工人",
    "普工",
    "汽修",
    "维修",
    "修车",
    "机修",
    "餐饮",
    "保洁",
    "物业",
    "保姆",
    "电商",
    "主播",
    "美容",
    "美发",
    "装修",
    "施工",
    "生产",
    "质检",
    "采购",
    "仓库",
    "物流",
    "配送",
    "翻译",
    "网约车",
    "滴滴",
    "开车",
    "跑车",
    "出租车",
    "货车",
    "卖保险",
    "保险销售",
    "带娃",
    "全职妈妈",
    "个体",
    "卖房",
    "房产中介",
    "中介",
    "卖车",
    "开店",
    "做生意",
    "摆摊",
    "代码",
    "编程",
    "码农",
    "写程序",
)
OTHER_CERTIFICATES = (
    "电工",
    "焊工",
    "会计",
    "育婴",
    "保育",
    "茶艺",
    "美容",
    "美发",
    "厨师",
    "中式烹调",
    "健康管理",
    "心理咨询",
    "养老护理",
    "电子商务",
    "物流",
    "教师资格",
    "车工",
    "钳工",
    "营养",
)
# Majors other than HR's own and note ② that people name.
OTHER_MAJORS = (
    "计算机",
    "软件",
    "英语",
    "日语",
    "机电",
    "机械",
    "会计",
    "财务",
    "金融",
    "汽修",
    "护理",
    "电子",
    "土木",
    "建筑",
    "中文",
    "汉语言",
    "法律",
    "法学",
    "数学",
    "物理",
    "化学",
    "美术",
    "音乐",
    "市场营销",
    "营销",
    "电商",
    "电子商务",
    "物流",
    "旅游",
    "酒店",
    "医学",
    "药学",
    "新闻",
    "设计",
    "数控",
    "汽车",
    "烹饪",
    "学前教育",
    "幼师",
    "体育",
    "通信",
    "自动化",
    "国际贸易",
    "经济学",
    "统计",
    "english",
    "computer",
    "finance",
    "accounting",
    "marketing",
    "engineering",
)
HR_MAJOR = ("人力资源", "人力资源管理", "人资")
NO_CERTIFICATE = (
    "没有证",
    "没证",
    "无证",
    "没有任何证",
    "没考过证",
    "没有证书",
    "没考证",
    "没有考过",
    "没拿过证",
    "没有拿过证",
    "啥证都没",
    "什么证都没",
    "一个证都没",
    "没有职业资格",
    "没有等级证",
    "没考过任何",
)
# Certificate names without a level digit; the longest first so that 高级技师 is not read as 技师.
CERTIFICATE_NAMES = (
    ("高级技师", 1),
    ("技师", 2),
    ("高级工", 3),
    ("中级工", 4),
    ("初级工", 5),
    ("助理人力资源管理师", 3),
    ("人力资源管理员", 4),
    ("高级证", 3),
    ("中级证", 4),
    ("初级证", 5),
    ("高级职称", None),
    ("中级职称", None),
    ("中级", 4),
    ("初级", 5),
    ("高级", 3),
)
APPLY_BEFORE = r"(?:报|申报|申请|考|升|到|够|冲|直接|参加)\s*(?:企业)?(?:人力资源管理师|人力资源|人力)?(?:的)?\s*$"
HELD_BEFORE = r"(?:有|持有|拿了|拿到|拿的|取得|获得|考过|考了|考下|考取|已经是|是|持|手里)\s*[^0-9，,。？?]{0,6}$"
STUDYING_YEAR = r"((?:大[一二三]|大[1-3](?!\d)|研[一1](?!\d)|高[一二](?!\d))(?!\s*(?:的时候|那年|那会|时|期间))|还有.{0,4}年.{0,3}毕业|明年.{0,3}毕业|后年.{0,3}毕业|非毕业|不是毕业年级|没到毕业年级|还没到毕业)"
GRADUATING = r"(应届|(?:大四|大4(?!\d)|研三|研3(?!\d))(?!\s*(?:的时候|那年|那会|时|期间))|毕业班|今年毕业|今年夏天毕业|今年6月毕业|马上毕业|快毕业|即将毕业|今年.{0,4}毕业)"
UNLIKELY_NUMBER = r"(\d[\d.]*[eE][+-]?\d+|0[xX][0-9a-fA-F]+|\d+(?:\.\d+){2,}|∞|inf|nan)"
# 七八年, 三四个小时: two neighbouring numerals are a range, which cn2an would read as 78.
_NEIGHBOURS = "一二三四五六七八九"


@dataclass(frozen=True)
class YearsMention:
    """A number of years; a rough one ("六年多") is the range [years, high)."""

    years: float
    approximate: bool = False
    high: Optional[float] = None


@dataclass(frozen=True)
class InvalidGroup:
    """Some of the people, whose 课时 of these types do not count, for this reason (a key of `invalid_hours`)."""

    people: int
    hours: Dict[str, Decimal]
    reasons: Dict[str, str]


@dataclass
class StatedFacts:
    work_years: Optional[YearsMention] = None
    years_since_certificate: Optional[YearsMention] = None
    certificate_level: Optional[int] = None
    certificate_explicit: bool = False
    no_certificate: bool = False
    other_certificate: Optional[str] = None
    asked_level: Optional[int] = None
    education: FrozenSet[str] = frozenset()
    major_related: Optional[bool] = None
    is_student: Optional[bool] = None
    graduating_this_year: Optional[bool] = None
    other_work: Tuple[str, ...] = ()
    # The work named without its years: "related" ("做HR经理"), "other" ("做销售的"), or None.
    work_kind: Optional[str] = None
    other_work_named: Optional[str] = None
    unknown_certificate: Optional[str] = None
    class_hours: Dict[str, Decimal] = field(default_factory=dict)
    untyped_hours: Optional[Decimal] = None
    invalid_hours: Dict[str, Decimal] = field(default_factory=dict)
    # Why each excluded figure does not count, by training type: a key of the `invalid_hours` parameter.
    invalid_reasons: Dict[str, str] = field(default_factory=dict)
    converted_from_clock_hours: Tuple[str, ...] = ()
    employees: Optional[int] = None
    unlikely_number: Optional[str] = None
    certificate_related: bool = False  # the certificate held is of a related occupation (劳动关系协调员三级)
    disqualifications: Tuple[str, ...] = ()
    disqualified_people: Dict[str, int] = field(default_factory=dict)
    hours_done: bool = False
    all_passed: bool = False  # "都考过了": every course's exam passed
    asks_most: bool = False  # "一个员工最多能补多少钱": the highest subsidy there is
    asks_highest_level: bool = False  # "不能的话最高报几级": the highest level met, not only one above a certificate
    # "其中3个人有一门没参加考试": how many people the invalid hours are of (None: everyone's).
    invalid_people: Optional[int] = None
    # "其中3人…没考，另外2人…没考": each group's people, its invalid 课时 by type, and why (two groups or more).
    invalid_groups: Tuple[InvalidGroup, ...] = ()
    named_types: Tuple[str, ...] = ()
    fee_levels: Tuple[int, ...] = ()
    fee_subject: Optional[str] = None
    fee_subjects: Tuple[str, ...] = ()
    fee_passed: Tuple[str, ...] = ()  # "我只过了理论": subjects already passed, not to be retaken
    fee_all_failed: bool = False  # "二级三科全都没过": every subject of the level is retaken
    fee_with_first_sitting: bool = False  # "第一次报名交了全款，理论没过又补考了，前后一共花了多少"
    # Several people or levels in one question: (level, subject or None, people) each.
    fee_items: Tuple[Tuple[int, Optional[str], int], ...] = ()
    retake: bool = False
    difference: bool = False
    # "二级的理论知识收多少钱，跟四级一样吗": the amount asked comes first, the comparison after it.
    fee_amount_first: bool = False

    @property
    def has_eligibility_facts(self) -> bool:
        return bool(
            self.work_years
            or self.years_since_certificate
            or self.certificate_explicit
            or self.no_certificate
            or self.education
            or self.major_related is not None
            or self.other_certificate
            or self.other_work
            or self.is_student
        )

    @property
    def has_hours(self) -> bool:
        return bool(self.class_hours or self.untyped_hours is not None or self.invalid_hours)


def _ranges_first(text: str) -> str:
    """七八年 → 7-8年 and 两个半小时 → 2.5小时, before cn2an reads them as one number."""

    def neighbours(match: re.Match) -> str:
        a, b = match.group(1), match.group(2)
        if _NEIGHBOURS.index(b) == _NEIGHBOURS.index(a) + 1:
            return f"{_NEIGHBOURS.index(a) + 1}-{_NEIGHBOURS.index(b) + 1}{match.group(3)}"
        return match.group(0)

    return re.sub(
        r"(?<![十百千万零])([一二三四五六七八九])([二三四五六七八九])(个|年|课时|小时|学时)", neighbours, text
    )


# Words with 一 that are not numbers; cn2an would turn 一直 into 1直.
_NOT_NUMBERS = (
    "一直",
    "一起",
    "一共",
    "一样",
    "一下",
    "一些",
    "一般",
    "一点",
    "一边",
    "一定",
    "一切",
    "一致",
    "一旦",
    "一线",
    "统一",
    "唯一",
    "一项",
    "一律",
    "一体",
    "一向",
    "万一",
    "一再",
    "一并",
    "进一步",
    "一头",
    "一心",
    "一口气",
    "一块",
    "一同",
    "一道",
    "一概",
    "一番",
    "一阵",
    "一天到晚",
    "一声",
    "一部分",
)


@lru_cache(maxsize=512)
def to_digits(text: str) -> str:
    import cn2an

    normalized = _ranges_first(correct_homophones(normalize_text(text))).lower()
    kept = {f"\ue000{index}\ue001": word for index, word in enumerate(_NOT_NUMBERS) if word in normalized}
    for marker, word in kept.items():
        normalized = normalized.replace(word, marker)
    try:
        converted = cn2an.transform(normalized, "cn2an")
    except (ValueError, KeyError, IndexError):
        converted = normalized
    for marker, word in kept.items():
        converted = converted.replace(marker, word)
    # cn2an reads 两个半小时 as 2个0.5小时 and 半小时 as 0.5小时.
    converted = re.sub(r"(\d+)\s*个\s*0\.5\s*(小时|钟头|月|课时)", lambda m: f"{m.group(1)}.5{m.group(2)}", converted)
    # "做了6 years", "8 months", "40 hours": English units, as people mix them in
    for english, unit in (
        (r"years?|yrs?", "年"),
        (r"months?", "个月"),
        (r"hours?|hrs", "小时"),
        (r"minutes?|mins?", "分钟"),
    ):
        converted = re.sub(r"(\d+(?:\.\d+)?)\s*(?:" + english + r")(?![a-z])", r"\1" + unit, converted)
    return converted


# ---- years ----------------------------------------------------------------------------------------------------

_YEARS = re.compile(
    r"(?P<before>快|将近|接近|差不多|不到|大概|大约|约|差不多有|小|(?<!最)近)?\s*(?:满|整整|足足|足|整)?\s*"
    r"(?P<n>\d+(?:\.\d+)?)(?:\s*-\s*(?P<to>\d+))?\s*(?P<rough>来|多|几)?\s*(?:个)?\s*(?:周)?年"
    r"(?P<half>半)?(?:\s*零?\s*(?P<months>\d+)\s*个?月)?(?P<after>多|左右|出头|上下|有余)?"
)
_MONTHS = re.compile(
    r"(?P<before>快|将近|接近|差不多|不到|大概|大约)?\s*(?:满|整整)?\s*(?P<n>\d+)\s*个\s*月(?P<after>多|左右)?"
)


def _mention(match: re.Match) -> Optional[YearsMention]:
    n = float(match.group("n"))
    if n >= 1900 and "." not in match.group("n"):
        return None  # a calendar year (2019年), not a duration
    if match.group("to"):
        return YearsMention(n, True, float(match.group("to")) + 1)
    years = n + (0.5 if match.groupdict().get("half") else 0.0) + float(match.groupdict().get("months") or 0) / 12
    before, after, rough = match.group("before"), match.group("after"), match.groupdict().get("rough")
    if before in ("快", "将近", "接近", "不到", "近"):
        return YearsMention(max(years - 0.5, 0.0), True, years)
    if rough == "来":
        return YearsMention(years, True, years + 3)
    if rough in ("多", "几") or after in ("多", "出头", "有余"):
        return YearsMention(years, True, years + 1)
    if before or after:
        return YearsMention(max(years - 0.5, 0.0), True, years + 0.5)
    return YearsMention(round(years, 2))


# "差两个月就满五年", "还差半年满十年", "离满五年还差两个月", "六年差两个月": the years named less the shortfall.
_SHORT = r"(?P<n>\d+(?:\.\d+)?)\s*(?:(?P<months>(?:个)?\s*(?P<mhalf>半)?\s*月)|(?P<yr>年)(?P<yhalf>半)?)"
_SHORT_OF = (
    re.compile(r"(?:还)?差\s*" + _SHORT + r"?\s*(?:就|才)?\s*(?:能)?\s*(?:满|够|到|有)\s*(?P<of>\d+)\s*年"),
    re.compile(r"离\s*(?:满|够|到)?\s*(?P<of>\d+)\s*年\s*(?:还|就|只)?\s*差\s*" + _SHORT),
    re.compile(r"(?P<of>\d+)\s*年(?:还|就)?差\s*" + _SHORT + r"(?!\s*(?:就|才)?\s*(?:能)?\s*(?:满|够|到))"),
)
_HALF_SHORT_OF = re.compile(r"(?:还)?差\s*半年\s*(?:就|才)?\s*(?:能)?\s*(?:满|够|到|有)\s*(?P<of>\d+)\s*年")


def _shortfalls(text: str) -> Iterator[Tuple[int, int, YearsMention]]:
    taken: List[Tuple[int, int]] = []
    for pattern in _SHORT_OF:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            short = float(match.group("n") or 0) + (0.5 if match.group("mhalf") or match.group("yhalf") else 0.0)
            if match.group("months"):
                short /= 12  # "差两个半月": 2.5 months
            yield match.start(), match.end(), YearsMention(round(max(float(match.group("of")) - short, 0.0), 2))
    for match in _HALF_SHORT_OF.finditer(text):
        yield match.start(), match.end(), YearsMention(max(float(match.group("of")) - 0.5, 0.0))


def _told_again(years: float, shortfalls: Sequence[YearsMention]) -> bool:
    """ "做人事五年了，差两个月满六年": the five years are the 5.83 told again, not more years."""
    return any(short.years - 1 < years <= short.years for short in shortfalls)


def _year_mentions(text: str) -> Iterator[Tuple[int, int, YearsMention]]:
    """(start, end, years) for every duration in years or months."""
    taken = []
    shortfalls = []
    for start, end, mention in _shortfalls(text):
        taken.append((start, end))
        shortfalls.append(mention)
        yield start, end, mention
    for match in _YEARS.finditer(text):
        if any(start <= match.start("n") < end for start, end in taken):
            continue
        stated = _mention(match)
        if stated is not None and _told_again(stated.years, shortfalls):
            taken.append((match.start("n"), match.end()))
            continue
        if stated is not None:
            taken.append((match.start("n"), match.end()))
            yield match.start("n"), match.end(), stated
    for match in _MONTHS.finditer(text):
        if any(start <= match.start("n") < end for start, end in taken):
            continue
        months = float(match.group("n"))
        before, after = match.group("before"), match.group("after")
        years = round(months / 12, 2)
        if before in ("快", "将近", "接近", "不到"):
            yield match.start("n"), match.end(), YearsMention(max(years - 0.1, 0.0), True, years)
        elif before or after:
            yield match.start("n"), match.end(), YearsMention(years, True, round((months + 1) / 12, 2))
        else:
            yield match.start("n"), match.end(), YearsMention(years)


def _segment(text: str, start: int, end: int) -> str:
    """The stretch of text around a figure, up to the nearest separators."""
    left = max((m.end() for m in re.finditer(SEPARATORS, text[:start])), default=0)
    right_match = re.search(SEPARATORS, text[end:])
    right = end + right_match.start() if right_match else len(text)
    return text[left:right]


def _add(a: YearsMention, b: YearsMention) -> YearsMention:
    high = None
    if a.high is not None or b.high is not None:
        high = (a.high if a.high is not None else a.years) + (b.high if b.high is not None else b.years)
    return YearsMention(round(a.years + b.years, 2), high is not None, high)


def _after_certificate(before: str) -> bool:
    """Whether the words just before a figure say it counts from the certificate: 拿证后干了, 四级证拿了, 持证."""
    window = re.split(SEPARATORS, before)[-1]
    if (
        "证" not in window
        or any(word in window for word in OTHER_CERTIFICATES)
        or re.search(r"证书?(之前|以前|前)", window)
    ):
        return False
    return bool(re.search(r"(拿|取|考|获|持|证书?(后|以后|之后|到现在|至今|满|有|已经|快|将近))", window))


_TOTAL_WORDS = re.compile(r"(一共|总共|累计|加起来|合计|总的|总计|前后)")


# "2019年开始做人事", "17年3月入行", "四级是2022年11月发的证", "三级证今年3月拿的", "去年拿了四级证".
_DATE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*年|(?<![\d.])(?P<short>\d{2})\s*年(?=\s*\d{1,2}\s*月(?!份?\s*[底末]))|"
    r"(?P<relative>今年|去年|前年))\s*(?:(?P<month>\d{1,2})\s*月份?|(?P<edge>年?[底末初]))?"
)
_OBTAINED = r"(拿|取得|取的|考的|考过|考下|考取|考了|考完|考到|发|获|领|下证|到手|颁)"
# "一直" but not of a system's message: "去年刚退伍的同事一直提示实名认证不通过" states no years of work.
_STARTED = r"(开始|起|入行|入职|进|参加工作|工作|做|干|从事|到现在|至今|一直(?!提示|显示|报错|不通过|弹|出现|说|卡|登不|进不|失败))"
_RELATIVE_YEARS = {"今年": 0, "去年": 1, "前年": 2}


@dataclass(frozen=True)
class DatedMention:
    start: int
    end: int
    kind: str  # "certificate": the years since a certificate was obtained; "work": since work began
    years: YearsMention


def _span_years(first: dt.date, last: dt.date, today: dt.date) -> Optional[YearsMention]:
    """The years from a day between `first` and `last` until `today`, as a range unless the day is known."""
    if first > today:
        return None
    low, high = max((today - last).days, 0) / 365.25, (today - first).days / 365.25
    if high - low < 0.01:
        return YearsMention(round(high, 2))
    return YearsMention(round(low, 2), True, round(high, 2))


def dated_mentions(text: str, today: dt.date, certificate_asked: bool = False) -> List[DatedMention]:
    """Dates from which a person counts their years: since a certificate or since they began the work.
    `certificate_asked`: the certificate was just asked about, so "2021年8月拿的" is its date."""
    found = []
    for match in _DATE.finditer(text):
        if match.group("relative"):
            year = today.year - _RELATIVE_YEARS[match.group("relative")]
        else:
            year = int(match.group("year") or 2000 + int(match.group("short")))
        if not 1950 <= year <= today.year:
            continue
        month = int(match.group("month")) if match.group("month") else None
        edge = match.group("edge") or ""
        if month is not None and not 1 <= month <= 12:
            continue
        if month is None and edge:
            month = 1 if "初" in edge else 12
        first = dt.date(year, month or 1, 1)
        last = dt.date(year, month or 12, 1) + dt.timedelta(days=31)
        last = last.replace(day=1) - dt.timedelta(days=1)
        years = _span_years(first, last, today)
        if years is None:
            continue
        segment = _segment(text, match.start(), match.end())
        after = text[match.end() : match.end() + 14]
        before = text[max(0, match.start() - 10) : match.start()]
        after = re.split(SEPARATORS, after)[0] if not re.match(SEPARATORS, after) else after[:8]
        around = text[max(0, match.start() - 16) : match.end()] + segment
        names_certificate = certificate_asked or "证" in around or re.search(r"(\d级|高级工|中级工|技师)", around)
        if names_certificate and re.search(_OBTAINED, after[:8]) and not any(w in segment for w in OTHER_CERTIFICATES):
            found.append(DatedMention(match.start(), match.end(), "certificate", years))
        elif (
            re.search(_STARTED, after)
            or re.search(r"(从|自|打)\s*$", before)
            and re.search(r"(到现在|至今|一直)", segment)
            or re.search(
                r"毕业(?:后|以后|之后)?(?:就|便)?(?:进|入职|开始|到.{0,8}(?:做|干|工作))",
                after + text[match.end() + len(after) : match.end() + len(after) + 8],
            )
        ):
            clause = text[match.start() : match.start() + 30]
            if any(w in clause for w in OTHER_WORK) and not any(w in clause for w in related_work()):
                continue  # "2018年开始做销售": not years in this occupation
            found.append(DatedMention(match.start(), match.end(), "work", years))
    return found


NO_WORK = (
    r"(没工作过|没有工作过|没有工作经验|没工作经验|没有工作经历|还没工作|没参加过工作|没上过班|零经验|没有相关工作)"
)


def read_years(
    text: str, today: Optional[dt.date] = None, certificate_asked: bool = False
) -> Tuple[Optional[YearsMention], Optional[YearsMention], Tuple[str, ...]]:
    """(work years in this or a related occupation, years since the certificate, other occupations named)."""
    today = today or dt.date.today()
    dated = dated_mentions(text, today, certificate_asked)
    work, since, other = _read_years(
        text, [(m.start, m.end) for m in dated], dated_certificate=any(m.kind == "certificate" for m in dated)
    )
    if work is None:
        work = next((m.years for m in dated if m.kind == "work"), None)
    if since is None:
        obtained = next((m for m in dated if m.kind == "certificate"), None)
        since = _less_other_work(text[obtained.end :], obtained.years) if obtained else None
    if work is None and re.search(NO_WORK, text):
        # "拿证后做了三年人事 之前没工作过": the years since the certificate are all the years there are.
        work = since if since is not None else YearsMention(0.0)
    return work, since, other


# "考完就转行做了销售总监一直到现在": since the certificate, no work in this occupation at all.
_LEFT_FOR_GOOD = re.compile(
    r"(转行|改行|换行|去做|去干|转做|转去)[^，,。；;]{0,10}?(?P<work>"
    + "|".join(OTHER_WORK)
    + r")[^。；;]{0,12}(到现在|至今|一直)"
)


def _other_work_after(segment: str) -> bool:
    """ "之后去做了两年销售" is other work since the certificate; "我之前做过5年销售" came before it."""
    return (
        any(w in segment for w in OTHER_WORK)
        and not any(w in segment for w in related_work())
        and not re.search(r"(之前|以前|此前|先前|拿证前|考证前)", segment)
    )


def _less_other_work(after: str, since: YearsMention) -> YearsMention:
    """The years since a dated certificate, less the years in other work after it
    ("2020年3月拿的四级证，之后去做了两年销售，然后回来一直做人事")."""
    left = _LEFT_FOR_GOOD.search(after)
    if left and not any(word in after[left.end("work") :] for word in related_work()):
        return YearsMention(0.0)
    elsewhere = sum(
        mention.years for start, end, mention in _year_mentions(after) if _other_work_after(_segment(after, start, end))
    )
    if not elsewhere:
        return since
    high = None if since.high is None else round(max(since.high - elsewhere, 0.0), 2)
    return YearsMention(round(max(since.years - elsewhere, 0.0), 2), since.approximate, high)


_WISHED = r"(想转|想做|转行做|打算做|想去做|准备转|想换成|想从事|想当|想进)"


def _only_wished(segment: str) -> bool:
    """ "想转HR": an occupation the person wants, not one they have worked in."""
    # "后来转行做人事6年了" is done, not wished: a duration or 后来/已经 says so.
    return bool(re.search(_WISHED, segment)) and not re.search(
        r"(做了|干了|从事了|工作了|后来|已经|\d\s*(?:年|个月)|就转行)", segment
    )


# "从来没做过人事": an occupation the person says they have not worked in.
_NEVER_DONE = r"(没做过|没有做过|没干过|没有干过|没从事过|没有从事过|从没|从来没|不是做|没接触过)"


def _related_anywhere(text: str) -> bool:
    return any(
        word in segment
        for segment in re.split(SEPARATORS, text)
        if not _only_wished(segment) and not re.search(_NEVER_DONE, segment)
        for word in related_work()
    )


def _since_certificate(text: str, start: int) -> bool:
    """Whether the figure at `start` counts from a certificate named shortly before it: the words between say
    后 / 之后 / 到现在 / 满 (拿证后一直做人事 到现在四年), and no other figure stands between."""
    window = text[max(0, start - 30) : start]
    position = window.rfind("证")
    if position < 0:
        return False
    between = window[position + 1 :]
    if re.match(r"\s*(之前|以前|前)", between):
        return False  # "拿四级证之前已经做了四年人事": before it, not since
    # Another duration between them counts from something else ("1家公司" or "2021年9月" do not).
    if re.search(r"(?<![\d.])\d{1,2}(?:\.\d+)?\s*(?:年(?!\s*\d{1,2}\s*月)|个月)", between) or any(
        word in window[max(0, position - 6) : position] for word in OTHER_CERTIFICATES
    ):
        return False
    # "拿了劳动关系协调员四级证，四年零两个月了": the figure alone, right after the certificate, is its age.
    alone = not between.strip("，, ") and not re.search(
        r"(做|干|从事|工作|当|搞|在)", re.split(SEPARATORS, text[start:])[0]
    )
    return bool(
        re.search(r"(后|以后|之后|到现在|至今|满|已经|有|拿了|考了|快|将近)", between[:12])
        or re.search(r"(以后|之后)[^，,。]{0,6}$", between)
        or not between.strip()
        or alone
    )


_GAP_WORDS = r"(辞职|在家|带孩子|带娃|待业|失业|休息|离职|生孩子|生娃|空窗|没上班|没工作|脱产|休产假|gap)"


def _gap_in(segment: str, before: str) -> bool:
    """Whether a figure is a break, or other work, inside the years since the certificate: 中间在家带了一年孩子,
    这五年里有一年去做了销售."""
    within = re.search(r"(中间|期间|其间|其中|年里|年中|里面|当中)", segment) is not None
    other = any(w in segment for w in OTHER_WORK) and not any(w in segment for w in related_work())
    if re.search(r"(之前|以前|此前|先前|证前)", segment):
        return False
    return within and (other or re.search(_GAP_WORDS, segment) is not None)


def _work_named_before(text: str, start: int) -> bool:
    """Whether the clause just before the figure's own names related work and no figure of its own."""
    left = max((m.end() for m in re.finditer(SEPARATORS, text[:start])), default=0)
    if re.search(r"(做|干|从事|工作|当|搞|任|岗)", text[left:start]) or not left:
        return False
    clause = re.split(SEPARATORS, text[:left].rstrip("，, "))[-1]
    return (
        any(w in clause for w in related_work())
        and not any(w in clause for w in OTHER_WORK)
        and not re.search(r"\d", clause)
        and not _only_wished(clause)
        and not re.search(_NEVER_DONE, clause)
        and "证" not in clause
    )


_OWN_JOB = re.compile(
    r"(?:^|[，,。；;！!？?\s])(?:我|本人)\s*(?:是|当|做)(?:了)?\s*(?:[一1](?:名|个|位)|个|名|位)?\s*(?P<job>[^，,。；;\d]{1,6})$"
)


def _own_job_before(text: str, start: int) -> List[str]:
    """ "我是一名厨师，干了8年了": the clause before a figure that has no work of its own names the person's job."""
    left = max((m.end() for m in re.finditer(SEPARATORS, text[:start])), default=0)
    if not left or any(w in text[left:start] for w in related_work() + OTHER_WORK):
        return []
    match = _OWN_JOB.search(text[:left].rstrip("，, 。"))
    if not match or any(w in match.group("job") for w in related_work()):
        return []
    return [w for w in OTHER_WORK if w in match.group("job")]


def _read_years(
    text: str, dates: Sequence[Tuple[int, int]] = (), dated_certificate: bool = False
) -> Tuple[Optional[YearsMention], Optional[YearsMention], Tuple[str, ...]]:
    since: Optional[YearsMention] = None
    related: List[YearsMention] = []
    general: List[YearsMention] = []
    total: Optional[YearsMention] = None
    other: List[str] = []
    since_end: Optional[int] = None
    for start, end, mention in _year_mentions(text):
        if any(first <= start < last for first, last in dates) or re.match(r"\s*制", text[end : end + 2]):
            continue  # "17年3月入行" is a date; "三年制大专" is a course's length
        segment = _segment(text, start, end)
        previous = (
            _segment(text, max(0, text.rfind(" ", 0, max(0, start - len(segment) - 1)) + 1), max(0, start - 1))
            if start
            else ""
        )
        before = text[max(0, start - 12) : start]
        if re.search(r"(最后|第|头|那|这|前|每|差|还差|就差)\s*$", before):
            continue  # "最后一年", "第一年", "每年": a point in time, not a duration
        if re.match(
            r"\s*(?:的)?(?:工资|薪水|薪资|收入|能领|领|能拿|能补|交|缴|房租|多少钱)", text[end : end + 4]
        ) or re.search(r"(断缴|断交|停缴|欠缴|补缴|缴了|交了|领了)\s*$", before):
            continue  # "一个月工资多少", "失业金一个月能领多少", "社保断缴三个月": no years of work
        if re.search(
            r"(下个?月|明年|下半年|年底|过几天|再过[^，,。]{0,4}|马上|月底)\s*(?:才|就)?\s*(?:能)?\s*(?:满|到|够)\s*$",
            before,
        ):
            continue  # "下个月才满5年": when the years will be reached, not more years
        gap = _gap_in(segment, before)
        if since is not None and gap:
            # "拿证到现在五年半，中间在家带了一年孩子", "这五年里有一年去做了销售": not years in this occupation
            since = YearsMention(
                round(max(since.years - mention.years, 0.0), 2),
                since.approximate,
                None if since.high is None else round(max(since.high - mention.years, 0.0), 2),
            )
            continue
        if re.search(r"(年中|年里|其中|里面|当中)(?:有|的)?\s*$", before):
            continue  # "8年中有3年是主管": a part of years already counted
        if (
            re.match(
                r"\s*(?:能|可以|可|会|要)?\s*(?:考|有|办|举行|组织|开|补|补考|报|申请|考试)?\s*(?:几|\d+)\s*(?:次|回)|\s*(?:以|之)?内",
                text[end : end + 8],
            )
            or mention.years == 1
            and re.match(r"\s*(?:里|中|当中)", text[end : end + 3])
        ):
            continue  # "一年考几次", "一年内", "一年里": a period of a rule, not the person's years
        if since is None and re.match(r"\s*(?:以)?前\s*(?:就)?(?:考|拿|取|获|考下|考取)", text[end : end + 8]):
            if not any(word in re.split(SEPARATORS, text[end : end + 12])[0] for word in OTHER_CERTIFICATES):
                since = YearsMention(mention.years)  # "人力三级证是3年前考的", not "五年前考过电工四级证"
            continue
        if (
            re.search(r"(\d{4}\s*年|年前|以前)", text[start : end + 2])
            or re.search(r"(毕业|再过|离)\s*$", before)
            or before.endswith("还有")
            and not any(w in segment for w in related_work() + OTHER_WORK)
        ):
            continue
        in_other_work = any(word in segment for word in OTHER_WORK) and not any(w in segment for w in related_work())
        other_word = next((w for w in OTHER_WORK if w in segment), None)
        if not in_other_work and not any(w in segment for w in related_work() + OTHER_WORK):
            # "就去送外卖了，送了五年": the figure's work is named in the clause before it
            left = max((m.end() for m in re.finditer(SEPARATORS, text[:start])), default=0)
            clause = re.split(SEPARATORS, text[:left].rstrip("，, "))[-1] if left else ""
            clause = re.sub(r"(?:企业)?人力资源管理师|劳动关系协调员", "", clause)  # a certificate's name is no work
            # Only work the person moved to ("就去送外卖了"), not work done before ("之前做过两年销售").
            in_other_work = (
                any(w in clause for w in OTHER_WORK)
                and not any(w in clause for w in related_work())
                and bool(re.search(r"(送|做|干|开|跑|当|卖|去)", segment))
                and bool(re.search(r"(就去|去了|转行|改行|跑去|改做|转做|后来去|然后去)", clause))
                and not re.search(r"(之前|以前|当时|曾经|过)", clause)
            )
            other_word = next((w for w in OTHER_WORK if w in clause), None)
        if since is None and (
            _after_certificate(before)
            or _since_certificate(text, start)
            or re.search(r"^(?:了)?(?:的)?(?:证|证书)", text[end : end + 4])
        ):
            if in_other_work and dated_certificate:
                # "2020年拿的证，之后去做了两年销售": taken off the years since that date (`_less_other_work`)
                other.append(f"{_fmt_mention(mention)}{other_word}")
                continue
            if in_other_work:
                since = YearsMention(0.0)  # "拿证后七年一直在做销售": none of it in this occupation
                other.append(f"{_fmt_mention(mention)}{other_word}")
                continue
            since = mention
            since_end = end
            continue
        if (
            since is not None
            and since_end is not None
            and not in_other_work
            and re.search(r"(又|然后|后来|接着|再|之后)", text[since_end:start])
            and any(word in segment for word in related_work())
        ):
            since = _add(since, mention)  # "拿证后做了4年人事，又做了1年半行政": both since the certificate
            since_end = end
            continue
        if re.search(r"(?:已经|都)?(?:学|读|上)了?\s*$", before) and not re.search(r"(做|干|从事|工作)", segment):
            continue
        words_other = (
            [word for word in OTHER_WORK if word in segment]
            or _changed_to_other(segment)
            or _own_job_before(text, start)
            or ([word for word in OTHER_WORK if word in text] if not _related_anywhere(text) else [])
        )
        words_related = (
            any(word in segment for word in related_work())
            and not _only_wished(segment)
            or not words_other
            and (
                any(word in previous for word in related_work())
                and re.search(r"(到现在|至今|到今年|一共|满|正好|刚好)", segment)
                # "拿证前也干了三年": work before the certificate, in the occupation the message is about
                or re.search(r"(拿|取|考)证书?(?:之前|以前|前)", segment)
                # "后来跳槽做人事专员，两年零八个月了": the clause before names the work, this one its length
                or _work_named_before(text, start)
            )
        )
        if _TOTAL_WORDS.search(segment) and not words_other:
            total = total or mention
        elif words_related:
            related.append(mention)
        elif words_other:
            other.append(f"{_fmt_mention(mention)}{words_other[0]}")
        else:
            general.append(mention)
    # A total that includes other occupations (五年销售 + 五年人事 = 十年) is not the related years.
    work: Optional[YearsMention] = None if other and related else total
    if work is None and related:
        work = related[0]
        for mention in related[1:]:
            work = _add(work, mention)
    elif work is None and general:
        work = general[0]
        if re.search(r"(后来|之后|然后|又|再|加上|另外|一段|另一段|两段|第[一二两三1-3](?:家|份|段))", text):
            for mention in general[1:]:
                work = _add(work, mention)
    if (
        work is not None
        and since is not None
        and total is None
        and (
            re.search(r"(后来|之后|然后|又做|又干|再做)", text)
            and text.find("证") > _first_figure(text)
            or re.search(r"证书?(?:之前|以前|前)", text)
            and related
            and not general
        )
    ):
        work = _add(work, since)  # 之前做了4年行政，后来考了五级，拿证后又做了2年人事: 6 years in all
    return work, since, tuple(other)


_CHANGED = re.compile(r"(转行|改行|跨行|换行)(?:去|做|干|当|搞)?了?(?P<work>[^，,。；;\d到]{1,6})")


def _changed_to_other(segment: str) -> List[str]:
    """ "转行卖房子到现在四年多了": work after changing occupation, unless it is a related one."""
    match = _CHANGED.search(segment)
    if not match or any(word in match.group("work") for word in related_work()) or _only_wished(segment):
        return []
    return [match.group("work")]


def _first_figure(text: str) -> int:
    match = re.search(r"\d", text)
    return match.start() if match else len(text)


def _fmt_mention(mention: YearsMention) -> str:
    return f"{mention.years:g}年" + ("多" if mention.approximate else "")


# ---- certificates, schooling, majors ----------------------------------------------------------------------------


def _level_of_name(text: str, start: int) -> Optional[int]:
    for name, level in CERTIFICATE_NAMES:
        if text.startswith(name, start):
            return level
    return None


def level_mentions(text: str) -> List[Tuple[int, int, Optional[int], str]]:
    """(start, end, level or None when impossible, raw text) for 四级, 4级, 中级工, 高级证 …, in order."""
    mentions: List[Tuple[int, int, Optional[int], str]] = [
        (m.start(), m.end(), int(m.group(1)) if len(m.group(1)) == 1 else None, m.group(0))
        for m in re.finditer(r"(?<![\d大研高初哪])(\d+)\s*级", text)
    ]
    for name, level in CERTIFICATE_NAMES:
        for m in re.finditer(re.escape(name), text):
            if (
                name == "技师"
                and re.match(r"技师(学院|班)", text[m.start() :])
                or name == "技师"
                and text[max(0, m.start() - 2) : m.start()] in ("高级", "预备")
                or text[m.end() : m.end() + 1] == "班"
                or name in ("中级", "初级", "高级")
                and re.match(r"(技|工|证|职称|人力|会计|经济|管理|中学|中)", text[m.end() :])
            ):
                continue
            if level is not None and not any(s <= m.start() < e for s, e, _, _ in mentions):
                mentions.append((m.start(), m.end(), level, name))
    return sorted(mentions)


def read_certificate(text: str) -> Tuple[Optional[int], bool, Optional[int], Optional[str], Optional[str]]:
    """(held level, says none, asked-for level, an unrelated certificate, an unknown level such as 七级)."""
    held, says_none, asked, other, unknown, _ = read_certificate_mentions(text)
    return held, says_none, asked, other, unknown


def read_certificate_mentions(
    text: str,
) -> Tuple[Optional[int], bool, Optional[int], Optional[str], Optional[str], bool]:
    """As read_certificate, and whether the words say the person holds it (我有, 持有, …证书)."""
    says_none = any(word in text for word in NO_CERTIFICATE)
    held: Optional[int] = None
    explicit = False
    asked: Optional[int] = None
    other: Optional[str] = None
    unknown: Optional[str] = None
    mentions = level_mentions(text)
    others: set = set()
    for start, end, level, raw in mentions:
        if re.search(r"(不是|并非|而不是|不是企业人力资源管理师)\s*$", text[max(0, start - 6) : start]):
            continue  # "我拿的是四级证，不是三级"
        if level is None or not 1 <= level <= 5:
            unknown = unknown or raw
            continue
        before = text[max(0, start - 10) : start]
        after = text[end : end + 6]
        if any(word in before[-6:] for word in OTHER_CERTIFICATES):
            other = other or f"{next(w for w in OTHER_CERTIFICATES if w in before[-6:])}{raw}"
            others.add(level)
            continue
        if level in others and not re.search(THIS_OCCUPATION_WORDS, before.lower()):
            continue  # "我有电工五级证……听说五级证满三年能报四级": the same certificate again
        # "人力资源管理师三级的报考条件": a level named as the subject of a rule question, not one held.
        about_the_rule = re.match(
            r"\s*(的)?(报考|申报|报名|条件|要求|费用|收费|认定费|多少钱|考试|考什么|考几|怎么|如何|"
            r"能报|能不能报|可以报|可不可以报|能考|可以考|能申报|报得了|"
            r"是什么|有哪些|需要|及格|分数|合格|通过率|成绩|时长|教材|题型|科目|考几)",
            after,
        )
        applying = (re.search(APPLY_BEFORE, before) or about_the_rule) and not re.match(
            r"\s*(的)?(证|证书|资格)", after
        )
        held_words = (
            re.search(HELD_BEFORE, before)
            or re.match(r"\s*(的)?(证|证书|资格|职业资格)", after)
            or re.search(r"(劳动关系协调员|人力资源管理师|人力|人资)\s*$", before)
            and not applying
        )
        if applying and not (
            re.search(r"(有|持有|拿了|拿到|取得|考过|考了)\s*[^报]{0,4}$", before)
            and not re.search(r"(报|申报|能考|想考)\s*$", before)
        ):
            asked = asked or level
        elif held_words or held is None and asked is None and not re.search(r"(吗|么|不|呢|没)", after[:3]):
            held = level if held is None else min(held, level)
            explicit = explicit or bool(held_words)
        else:
            asked = asked or level
    if held is not None:
        says_none = False
    return held, says_none, asked, other, unknown, explicit


def read_education(text: str) -> FrozenSet[str]:
    found = set()
    for kind, words in EDUCATION_WORDS:
        if any(word in text for word in words):
            found.add(kind)
    if "技工院校预备技师班或技师班" in found or "技工院校高级工班" in found:
        found.discard("技工院校")
    if "高级技工学校或技师学院" in found and not re.search(r"(预备技师|技师班)", text):
        found.discard("技工院校")
    if not found and re.search(r"(普通高中|高中(?!级)|初中|小学|没上过大学|没读过大学)", text):
        found.add(NONE_OF_THE_ABOVE)  # schooling that no clause of 附件1 counts
    return frozenset(found)


THIS_OCCUPATION = "企业人力资源管理师"
THIS_OCCUPATION_WORDS = r"(企业人力资源管理师|人力资源管理师|企业人力|人力资源|人力|人资|hr)"


def _other_related_occupations() -> Tuple[str, ...]:
    """The related occupations whose certificates count (note ③), other than this one."""
    from bot.policy import load_parameters

    names = load_parameters("ata_certification")["related_certificates"].values[-1][1]
    return tuple(name for name in names if name != THIS_OCCUPATION)


def certificate_of_related_occupation(text: str, level: Optional[int]) -> bool:
    """Whether the certificate of `level` held is another occupation's ("我现在有三级，是劳动关系协调员的三级"),
    not this one's: a related occupation is named just before it, and this occupation nowhere before it."""
    if level is None:
        return False
    related = others = False
    for start, end, mentioned, _ in level_mentions(text):
        before = text[max(0, start - 12) : start]
        if (
            mentioned != level
            or re.search(r"(报|申报|申请|考|升|想|能)\S{0,12}$", before)
            and not re.search(r"(有|持有|拿了|拿到|取得|考过|考了|考下|考取|是)\S{0,10}$", before)
        ):
            continue  # "…想报企业人力资源管理师三级": the level asked for, not the one held
        after = text[end : end + 10]
        if any(name in before or after.lstrip("的").startswith(name) for name in _other_related_occupations()):
            related = True
        elif re.search(THIS_OCCUPATION_WORDS + r"\S{0,3}$", before.lower()):
            others = True
    return related and not others


@lru_cache(maxsize=1)
def related_work() -> Tuple[str, ...]:
    """Note ①'s related occupations (企业管理、行政管理、管理咨询、管理研究) and the words for HR work itself."""
    from bot.policy import load_parameters

    return tuple(load_parameters("ata_certification")["related_occupations"].values[-1][1]) + HR_WORK_WORDS


def _related_majors() -> Tuple[str, ...]:
    from bot.policy import load_parameters

    parameter = load_parameters("ata_certification")["related_majors"]
    return tuple(parameter.values[-1][1]) + HR_MAJOR


def read_major(text: str) -> Optional[bool]:
    if re.search(r"(不相关|不对口|无关|不是相关|没关系|其他专业|别的专业|不是本专业|不是人力)", text):
        return False
    if re.search(r"(相关专业|专业对口|本专业|对口专业|专业相关|相关的专业)", text):
        return True
    segments = re.split(SEPARATORS, text)
    schooling = r"(专业|学|读|毕业|主修|方向|本科|大专|专科|中专|高职|研究生|硕士|major)"
    # "大专，劳动与社会保障": the words after a schooling are its major.
    contexts = [
        segment
        for index, segment in enumerate(segments)
        if re.search(schooling, segment)
        or index
        and re.fullmatch(r"(本科|大专|专科|中专|高职|研究生|硕士|职高|技校|中职)(毕业)?", segments[index - 1].strip())
        and not re.search(r"(证|做|干|公司|厂|工作|单位|年|在|当)", segment)  # a major, not a workplace
        or index
        and re.fullmatch(r"(major|专业)", segments[index - 1].strip().lower())
    ]  # "major 是english"
    context = " ".join(contexts)
    if not context:
        return None
    if any(word in context for word in _related_majors()):
        return True
    if any(word in context for word in OTHER_MAJORS) or re.search(r"\S{2,}专业", context):
        return False
    return None


LATER_GRADUATION = r"(明年|后年|还有.{0,4}年).{0,4}毕业"
# The third year of a three-year course is its last: "三年制大专，现在大三" graduates this year.
FINAL_YEAR_OF_THREE = r"(3年制|专科|大专|高职).{0,12}大3|大3.{0,12}(3年制|专科|大专|高职)"


def read_student(text: str) -> Tuple[Optional[bool], Optional[bool]]:
    """(is a student, graduates this year). "含在读应届毕业生" is read as graduating this calendar year."""
    # "现在大四，明年6月才毕业": the year named for graduating outweighs the year of study.
    if re.search(LATER_GRADUATION, text):
        return True, False
    if re.search(GRADUATING, text) or re.search(FINAL_YEAR_OF_THREE, text):
        return True, True
    if re.search(STUDYING_YEAR, text):
        return True, False
    if re.search(r"(已经毕业|毕业了|早毕业|毕业后|毕业以后|毕业.{0,3}年|已毕业|毕业证)", text):
        return False, None
    if re.search(r"(在读|在校|还没毕业|没毕业|在上学|学生|在念|还在读|在上)", text):
        return True, None
    return None, None


def parse_yes_no(text: str) -> Optional[bool]:
    if re.fullmatch(r"\s*(不是|不对|否|没有|不|没)\s*[的啊呀了]?\s*", text):
        return False
    if re.fullmatch(r"\s*(是|对|是的|对的|嗯|有|没错)\s*[的啊呀了]?\s*", text):
        return True
    return None


# ---- 课时 and employees -----------------------------------------------------------------------------------------


def _almost() -> Decimal:
    """Just short of a figure ("快80课时"): the platform's smallest step of 课时 less (Q38: one decimal)."""
    from bot.policy import load_parameters

    return Decimal(1).scaleb(-load_parameters("training_subsidy").value("class_hour_decimals", dt.date.today()))


# "四十多课时": a rough figure is taken at its lower bound, which stays in the same band of 课时.
_HOURS = re.compile(NUMBER + r"\s*(?:多|来|余)?\s*(?:个)?\s*(?:多)?\s*(?:有效)?\s*(课时|学时|节课|小时|钟头|分钟)")
_EXCLUDED = re.compile(
    r"(没(?:有)?去(?:参加)?(?:考试|考核)|未参加考(?:试|核)|没去考|没考|没过|没参加考试|没有考试|未考|考试没过|没及格|不及格|不合格|没合格|未合格|没通过|未通过|没看完|"
    r"没学完|挂了|没有参加考试|只看了\d+%|看到\d+%|只学了\d+%|\d+%就没|没看到100%|没有看完)"
)


# "只有30课时考了试并且及格": an exam taken and passed (a bare "考了" is not enough).
_PASSED_EXAM = re.compile(r"(考了试|考试了|参加了?考试|考过|考试通过|通过|合格|及格)(?!.{0,2}(没|不|未))")
# "一门30课时看完考过了，另一门…没看完": this clause's hours count, whatever the next clause says.
_PASSED = re.compile(r"(看完|学完|考过|通过|合格|及格)(?!.{0,2}(没|不|未))")
# An amount ("最多能补多少钱"), not how often or for how many ("最多能拿几次", "最多给几个人").
# "最高能报几级", "二级不行的话报啥": the highest level the person meets, whatever they hold.
ASKS_HIGHEST_LEVEL = r"(最高|几级|哪[个一]?级|哪个等级|什么等级|什么级别|哪个级别|报啥|考啥|报什么|不能的话|不行的话|不够的话|报不了的话|否则)"
ASKS_MOST = r"(最多|最高|封顶|上限|顶多|顶天)[^，,。；;]{0,8}(补|拿|领|给)[^，,。；;]{0,4}(多少钱|多少(?!次|年|个|人|回|课时)|几[块元百千万])"
# "其中3个人有一门没参加考试": the people the invalid 课时 are of, in the clause that says why.
_OF_PEOPLE = (
    r"\s*(?:有)?\s*(\d+)\s*(?:个|名|位)?\s*(?:人|员工|职工|同事|学员)"
    r"[^，,。；;]{0,12}(?:没|未|不)(?:有)?(?:参加|去|来)?(?:考|通过|过|及格|合格|看完|学完)"
)
INVALID_PEOPLE = r"(?:其中|里面|当中|这里面|这其中)" + _OF_PEOPLE
# "另外2个人有两门没考": a further group, after the first.
FURTHER_INVALID_PEOPLE = r"(?:另外|另有|还有|再有|剩下的?|其余的?|其他的?)(?:还)?" + _OF_PEOPLE
# "都考过了": every course's exam passed; watching or finishing is not passing, and a later "没考" undoes it.
ALL_PASSED = r"(都|全|全部|全都|也都)\s*(?:已经)?(?:考过|靠过|通过|合格|及格|过了)(?!.{0,2}(没|不|未))"
NOT_EXAMINED_AFTER = r"(没|未|不)(?:有)?(?:参加|去)?(?:考|通过|过|及格|合格)"
_AFTER_COMPLETION = re.compile(r"(结业|结班)(以后|之后|后)")
# "视频都看完了，但是一门考试都没参加": none of the 课时 stated counts (Q6, Q39).
_NONE_EXAMINED = re.compile(
    r"(一门(?:考试)?都没(?:有)?(?:考|参加)|考试(?:都|全都|一门都)没(?:有)?(?:参加|考)|(?:都|全都|全)没(?:有)?(?:参加)?考试|"
    r"一次(?:考试)?都没考|全都没考)"
)
_TYPE_WORD = r"(?:免费|付费|自有|录播|线下|面授|点播)[^，,。；;\d和跟与、]{0,4}?"


def read_class_hours(text: str) -> Tuple[Dict[str, Decimal], Optional[Decimal], Dict[str, Decimal], Tuple[str, ...]]:
    """(课时 per training type, 课时 of no stated type, 课时 to exclude, notes on converted figures).

    See `excluded_reasons` for why an excluded figure does not count.

    Clock hours (小时) and minutes become 课时 of 45 minutes, to one decimal."""
    from bot.rules.subsidy import minutes_to_class_hours

    hours: Dict[str, Decimal] = {}
    totals: Dict[str, Decimal] = {}
    remainders: Dict[str, Decimal] = {}
    valid_parts: Dict[str, Decimal] = {}
    excluded: Dict[str, Decimal] = {}
    untyped: Optional[Decimal] = None
    converted: List[str] = []
    text = normalise_hours(text)
    default_type = _only_type(text)
    none_examined = bool(_NONE_EXAMINED.search(text)) and not re.search(r"(其中|有\d+|有1门|有一门)", text)
    clauses = re.split(
        r"[，,、；;。\s+＋]|(?=还有|另外|以及|和|又|再)|(?=加(?:上)?(?:免费|付费|自有|录播|线下|面授|点播|\d))", text
    )
    for index, clause in enumerate(clauses):
        for match in _HOURS.finditer(clause):
            if re.match(r"\s*(多少|是多|等于|=|有多|几分钟|多长|算多|折合|换算|按多少)", clause[match.end() :]):
                continue  # "一个课时多少分钟" asks about the unit, it states no hours
            if re.search(
                r"(按|差|还差|就差|离|超过|不到|低于|高于|满|够)\s*$", clause[: match.start()]
            ) and not re.search(r"(学|看|上|完成)\S{0,2}$", clause[: match.start()]):
                continue  # "能按60课时算吗", "就差1课时到80": a figure the person asks about, not one they studied
            if match.group(1) == "1" and re.search(r"(多少钱|多少元|几块钱?|几元|每)\s*$", clause[: match.start()]):
                continue  # "补贴标准多少钱一课时": the rate per 课时, not one 课时 studied
            if re.search(r"(考试|考|测试|答题|测验)\S{0,2}$", clause[: match.start()]):
                continue  # "每门课后考试30分钟": the length of an exam, not of study
            value = Decimal(match.group(1))
            if re.search(r"(快|将近|接近|差一点|差点|不足)\s*$", clause[: match.start()]):
                value -= _almost()  # "快80课时了（79点几）": just short of the figure, and of its band
            unit = match.group(2)
            if unit in ("小时", "钟头"):
                converted.append(f"{match.group(1)}小时")
                value = minutes_to_class_hours(value * 60)
            elif unit == "分钟":
                converted.append(f"{match.group(1)}分钟")
                value = minutes_to_class_hours(value)
            kind = _nearest_type(clause, match.start(), match.end()) or (default_type if default_type else None)
            if kind is None and index and not _HOURS.search(clauses[index - 1]) and re.match(r"(又|再)", clause):
                # "平台免费课又学了40课时": the type just before the 又 that split the clause
                kind = _nearest_type(clauses[index - 1], len(clauses[index - 1]), len(clauses[index - 1]))
            following = "".join(clauses[index + 1 : index + 2])
            previous = clauses[index - 1] if index else ""
            # The next clause speaks of these 课时 unless it gives its own ("有一门16课时的第一次考了50分").
            following = "" if _HOURS.search(following) else following
            if (
                none_examined
                or _AFTER_COMPLETION.search(previous[-6:] + clause[: match.start()])
                or re.search(r"(其中|(?<!自)有|里|但|\d*门|这门|那门|另)", clause[: match.start()])
                and (
                    _EXCLUDED.search(clause)
                    or _failed_score(clause + following)
                    or _EXCLUDED.search(following)
                    and not _PASSED.search(clause[match.end() :])
                )
            ):
                excluded[kind or ""] = excluded.get(kind or "", Decimal("0")) + value
                continue
            part_kind = kind or default_type
            if (
                re.search(r"(只有|只|仅有|仅|就)\S{0,2}$", clause[: match.start()])
                and part_kind is not None
                and part_kind in hours
            ):
                # "学了40课时，只有30课时考了试并且及格": a part of the figure given; a part passed is what counts.
                if _PASSED_EXAM.search(clause[match.end() :]):
                    valid_parts[part_kind] = value
                continue
            if re.search(r"(其中|里面|当中|里头)", clause[: match.start()]) and (
                kind is None and untyped is not None or kind is not None and kind in hours
            ):
                continue  # "42课时，其中一门8课时的课重考及格了": a part of the figure given, and it counts
            if re.search(r"(其余|剩下|剩余|其他的?|另外的)\S{0,2}$", clause[: match.start()]) and kind:
                remainders[kind] = remainders.get(kind, Decimal("0")) + value  # "其余15课时考过了"
                continue
            if re.search(r"(一共|总共|合计|累计|加起来|总计|总共有)\S{0,3}$", clause[: match.start()]):
                totals[kind or ""] = value  # "加上其他付费课一共60课时": the total, not one more part
                continue
            if kind is None:
                untyped = (untyped or Decimal("0")) + value
                continue
            hours[kind] = hours.get(kind, Decimal("0")) + value
    for kind, value in valid_parts.items():
        if value < hours[kind]:
            excluded[kind] = hours[kind] - value  # what the person says does not count is the rest of it
    for kind, value in remainders.items():
        if kind not in hours:
            # Only the remainder was given: it is the valid part, the excluded part is not in it.
            hours[kind] = value
            excluded.pop(kind, None)
    for kind, value in totals.items():
        if kind:
            hours[kind] = value
        elif len(hours) <= 1 and untyped is None:
            hours = {next(iter(hours)): value} if hours else {}
            untyped = None if hours else value
    return hours, untyped, excluded, tuple(converted)


def normalise_hours(text: str) -> str:
    """Figures people give in other shapes, rewritten as "N课时" / "N小时" for the reader:
    "有效学时62" (unit first), "16门课，每门两个半小时" (a product), "连续五天每天学10个小时" (the daily cap, Q69)."""
    from bot.policy import load_parameters

    text = re.sub(r"(\d)\s+(?=(?:个\s*)?(?:课时|学时|小时|分钟|钟头|节课))", r"\1", text)  # "自有课 35 小时"
    # "是60课时不是60小时": the figure taken back is not read.
    text = re.sub(r"(?:而不是|不是|并非)\s*\d+(?:\.\d+)?\s*(?:个)?\s*(?:课时|学时|小时|分钟|钟头)", "", text)

    # "免费课和付费课各学了50课时", "免费、付费、自有课、线下各学了20课时": the figure for each of them.
    def each(m: re.Match) -> str:
        kinds = [kind for kind in re.split(r"和|跟|与|、|及", m.group("kinds")) if kind]
        return "，".join(f"{kind}{m.group('figure')}" for kind in kinds)

    text = re.sub(
        r"(?P<kinds>"
        + _TYPE_WORD
        + r"(?:(?:和|跟|与|、|及)"
        + _TYPE_WORD
        + r")+)(?:都)?各(?:自)?(?:学了?|上了?|有|是)?\s*"
        r"(?P<figure>\d+(?:\.\d+)?\s*(?:个)?\s*(?:课时|学时|小时|分钟))",
        each,
        text,
    )
    # "有效学时62" puts the unit first; "8课时 30个人" is a figure with its unit, then another figure.
    text = re.sub(
        r"(?<!\d)(?<!\d\s)(课时|学时)(数)?\s*(是|为|有|:|：|共|正好|刚好|一共|总共|达到|累计|够)?\s*(\d+(?:\.\d+)?)(?![\d.])"
        r"(?!\s*(?:个)?\s*(?:课时|学时|小时|分钟|%|人|门))",
        r"\4课时",
        text,
    )

    per_course: List[str] = []

    def product(m: re.Match) -> str:
        value = Decimal(m.group(1)) * Decimal(m.group(3))
        per_course.append(f"{m.group(3)}{m.group(5)}")
        return f"{m.group(2)}{value.normalize():f}{m.group(5)}"

    text = re.sub(
        r"(\d+)\s*门([^，,。\d]{0,10})[，,]?\s*(?:每门|各)\s*(\d+(?:\.\d+)?)\s*(个)?\s*(课时|学时|小时|分钟)",
        product,
        text,
    )
    # "办了5天，每天8节课": the sessions of all the days (their length follows, or they are 课时).
    text = re.sub(
        r"(?P<days>\d+)\s*天(?P<gap>[^，,。\d]{0,4})[，,]?\s*每天(?:都是|都|是)?(?:上|学|安排|排)?(?:了)?\s*"
        r"(?P<n>\d+(?:\.\d+)?)\s*(?:个)?\s*(?P<unit>节|次|课时|学时)",  # 每天N小时 is the daily cap (Q69)
        lambda m: (
            f"{m.group('gap')}{(Decimal(m.group('days')) * Decimal(m.group('n'))).normalize():f}{m.group('unit')}"
        ),
        text,
    )
    if re.search(r"(线下|面授|现场)", text):  # the daily cap is online study's; classroom days are all counted
        text = re.sub(
            r"(?P<days>\d+)\s*天(?P<gap>[^，,。\d]{0,4})[，,]?\s*每天(?:都是|都|是)?(?:上|学|安排|排|培训)?(?:了)?\s*"
            r"(?P<n>\d+(?:\.\d+)?)\s*(?:个)?\s*(?:小时|钟头)",
            lambda m: f"{m.group('gap')}{(Decimal(m.group('days')) * Decimal(m.group('n'))).normalize():f}小时",
            text,
        )
    # "一共8次课，每次3个小时": sessions of the same length.
    text = re.sub(
        r"(\d+)\s*(?:次|节|场|期)([^，,。\d]{0,6})[，,]?\s*每(?:次|节|场|期)(?:课)?(?:都是|是|上|学)?\s*"
        r"(\d+(?:\.\d+)?)\s*(个)?\s*(课时|学时|小时|分钟)",
        lambda m: f"{m.group(2)}{(Decimal(m.group(1)) * Decimal(m.group(3))).normalize():f}{m.group(5)}",
        text,
    )
    if len(per_course) == 1:
        # "5门，每门10课时 … 有两门没参加考试": those courses' 课时 are left out.
        shape = re.match(r"([\d.]+)(\D+)", per_course[0])
        if shape is None:  # `product` writes every entry as a figure and its unit
            raise ValueError(f"not a per-course figure: {per_course[0]!r}")
        figure, unit = shape.groups()

        def courses(m: re.Match) -> str:
            count = {"两": "2", "一": "1"}.get(m.group(1), m.group(1))
            return f"其中{(Decimal(count) * Decimal(figure)).normalize():f}{unit}"

        text = re.sub(
            r"(?:其中|但是|但|有|不过)*\s*(\d+|两|一)\s*门(?:课)?(?=[^，,。\d]{0,6}(?:没|未|只|不))", courses, text
        )
    cap = load_parameters("training_subsidy").value("daily_study_cap_hours", dt.date.today())

    def daily(m: re.Match) -> str:
        days, per_day = Decimal(m.group("days")), Decimal(m.group("hours"))
        return f"{m.group('what') or ''}{(days * min(per_day, Decimal(cap))).normalize():f}小时"

    text = re.sub(
        r"(?:连续)?(?P<days>\d+)\s*天[^，,。\d]{0,4}每天(?:都)?(?:学)?(?:了)?\s*(?P<hours>\d+(?:\.\d+)?)\s*(?:个)?\s*小时"
        r"(?P<what>[^，,。\d]{0,8})",
        daily,
        text,
    )
    # "每天学一个半小时，连续学了30天": the same, the day's hours first.
    return re.sub(
        r"每天(?:都)?(?:学|看)?(?:了)?\s*(?P<hours>\d+(?:\.\d+)?)\s*(?:个)?\s*小时[，,\s]*(?:连续|一共|总共)?(?:学|看)?(?:了)?\s*"
        r"(?P<days>\d+)\s*天(?P<what>)",
        daily,
        text,
    )


def daily_cap_exceeded(text: str) -> bool:
    """Whether a daily figure above the cap was read: the reply says that the rest is not recorded (Q69)."""
    from bot.policy import load_parameters

    cap = load_parameters("training_subsidy").value("daily_study_cap_hours", dt.date.today())
    return any(
        Decimal(h) > cap for h in re.findall(r"每天(?:都)?(?:学)?(?:了)?\s*(\d+(?:\.\d+)?)\s*(?:个)?\s*小时", text)
    )


def read_invalid_groups(text: str) -> Tuple[InvalidGroup, ...]:
    """ "其中3人有一门没考，另外2人有两门没考": each group's invalid 课时, read with the other groups left out.

    One group, or none, gives (): `invalid_people` and `invalid_hours` say it."""
    first = re.search(INVALID_PEOPLE, text)
    if not first:
        return ()
    starts = [first] + [m for m in re.finditer(FURTHER_INVALID_PEOPLE, text) if m.start() > first.end()]
    if len(starts) < 2:
        return ()
    # The groups' clauses follow one another: the last ends with its clause.
    ends = [m.start() for m in starts[1:]] + [_clause_end(text, starts[-1].end())]
    groups = []
    for match, end in zip(starts, ends):
        alone = text[: first.start()] + text[match.start() : end] + text[ends[-1] :]
        hours, _, excluded, _ = read_class_hours(alone)
        segment = text[match.end(1) : end]
        if not excluded and not re.search(r"(\d|门|课时|小时)", segment):
            excluded = dict(hours)  # "还有2个人没参加考试": none of their 课时 count
        if not excluded:
            return ()  # a group whose 课时 cannot be told apart: better one figure than a wrong split
        reasons = excluded_reasons(alone)
        groups.append(
            InvalidGroup(int(match.group(1)), excluded, {kind: reasons.get(kind, "not_passed") for kind in excluded})
        )
    return tuple(groups)


def _people_counts(text: str, colleagues: bool = True) -> List[Tuple[int, int]]:
    """(position, number) of each "12人", "3个员工" (and "2个同事" unless `colleagues` is False)."""
    words = r"员工|职工|人(?!事|力|资)|学员" + (r"|同事" if colleagues else "")
    return [
        (m.start(), int(m.group(1))) for m in re.finditer(r"(?<![\d.])(\d+)\s*(?:个|名|位)?\s*(?:" + words + ")", text)
    ]


def _clause_end(text: str, start: int) -> int:
    end = re.search(r"[，,。；;]", text[start:])
    return start + end.start() if end else len(text)


def excluded_reasons(text: str) -> Dict[str, str]:
    """For each training type with excluded 课时: "after_completion" (003 Q61) or "not_passed" (Q6, Q39)."""
    _, _, excluded, _ = read_class_hours(text)
    reasons = {}
    for clause in re.split(r"[，,、；;。\s]", text):
        if not _AFTER_COMPLETION.search(clause):
            continue
        named = {k for k, words in TRAINING_TYPE_WORDS if any(w in clause for w in words)}
        for kind in excluded:
            if not named or kind in named or not kind:
                reasons[kind] = "after_completion"
    return {kind: reasons.get(kind, "not_passed") for kind in excluded}


def _failed_score(text: str) -> bool:
    """ "只考了50分": a score below the pass mark (003 Q6) makes the course's 课时 invalid."""
    from bot.policy import load_parameters

    pass_score = load_parameters("training_subsidy").value("pass_score", dt.date.today())
    scores = [
        int(score)
        for score in re.findall(r"考(?:了|到|出)?\s*(?:\d+\s*次)?[^\d，,。；;]{0,3}?(\d{1,3})\s*分(?!钟)", text)
    ]
    return bool(scores) and scores[-1] < pass_score  # a retake that passed (后来重考考了75分) counts


def _nearest_type(clause: str, start: int, end: int) -> Optional[str]:
    """The training type named nearest to a figure: 付费课30课时加免费课35课时 has one of each."""
    best: Optional[Tuple[float, str]] = None
    for kind, words in TRAINING_TYPE_WORDS:
        for word in words:
            for m in re.finditer(re.escape(word), clause):
                # A type named before the figure wins a tie: "免费点播45课时+付费点播14课时".
                distance = start - m.end() if m.end() <= start else m.start() - end + 1.5 if m.start() >= end else 0
                if best is None or distance < best[0]:
                    best = (distance, kind)
    return best[1] if best else None


def _only_type(text: str) -> Optional[str]:
    kinds = {kind for kind, words in TRAINING_TYPE_WORDS if any(w in text for w in words)}
    return kinds.pop() if len(kinds) == 1 else None


def read_employees(text: str) -> Optional[int]:
    if re.search(
        r"(我和|我跟|我与|我同)(?:一个|一位|1个|1位)?(?:同事|朋友|同学|老公|老婆|爱人)(?!们)|我俩|我们俩|咱俩|我们两个",
        text,
    ) and not re.search(r"\d+\s*(?:个|名|位)?\s*(?:人|员工|同事)", text):
        return 2  # "我和同事都考的二级"
    count = re.search(r"人数\s*(?:改成|改为|变成|是|为|有|共|一共)?\s*(\d+)(?![\d.])", text)
    if count:
        return int(count.group(1))  # "人数改成30"
    match = (
        re.search(r"(?<![\d.])(\d+)\s*(?:个|名|位)?\s*(?:员工|职工|人(?!事|力|资)|学员|同事|工人|伙计)", text)
        or re.search(r"(?<![\d.])(\d+)\s*(?:个|名|位)\s*[^\d，,。；;课]{1,6}?(?:人员|员工|职工|学员|工人)", text)
        or re.search(
            r"(?:员工|职工|学员|工人|人数)\s*(?:一共|总共|共)?\s*(?:有|是)\s*(\d+)\s*(?:个|名|位|人)(?!\s*(?:课时|学时|小时|月|年))",
            text,
        )
    )
    # "30个劳务派遣人员", "北京交社保的员工有3个"
    return int(match.group(1)) if match else None


# The situations of 003 in which a person gets no subsidy, by the key of the `disqualifications` parameter.
DISQUALIFYING_WORDS = (
    (
        "social_insurance_outside_beijing",
        r"((外地|老家|外省|异地|河北|天津|廊坊|燕郊|上海|不在北京|北京以外|北京外)\S{0,6}(交|缴|上)的?\S{0,2}社保|"
        r"社保\S{0,4}(在外地|不在北京|在老家|在河北|在天津|外地|在外省)|"
        r"社保\S{0,6}(外地|老家|外省|异地|河北|天津|廊坊|燕郊|上海)\S{0,6}(交|缴)|(没|没有|不)在北京\S{0,2}(交|缴)社保)",
    ),
    ("left_employer", r"(已经?离职|离职了|已经走了|辞职了|已辞职|不在我们?(单位|公司)了)"),
    ("cheating", r"(刷课|挂机|代学|作弊|舞弊|找人代|插件)"),
    ("not_verifiable", r"(外籍|外国|港澳台|香港|澳门|台湾)"),
)
DONE_WORDS = (
    r"^\s*(?:(没有了|没了|就这些|就这么多|没有别的|没有其他|没别的|就这|没其他|没有|算吧|算一下吧?|开始计算|开始算|"
    r"计算吧|好了|完了|就这样|可以了|没有其他类型|其他没有|全部就这些)(了|吧|啊|呀|的|课时|类型)*[。！!，,\s]*)+"
    r"(帮我算|算一下|开始算|算吧|开始计算|计算吧|开始吧)?[吧。！!]*\s*$"
)


def read_disqualifications(text: str) -> Tuple[Tuple[str, ...], Dict[str, int]]:
    """(situations that stop the subsidy, how many people each concerns when the message says so).

    "其中3个人社保在河北交的" concerns 3 people; without a count it concerns everyone. A dissatisfaction
    rate at or above the limit (Q8, Q59) stops the whole class."""
    from bot.policy import load_parameters

    keys: List[str] = []
    people: Dict[str, int] = {}
    for clause in re.split(r"[，,。；;]", text):
        for key, pattern in DISQUALIFYING_WORDS:
            match = re.search(pattern, clause)
            if not match or re.search(
                r"(不是|并非|没有|没|不|未|无)\s*$", clause[max(0, match.start() - 3) : match.start()]
            ):
                continue  # "正常学的不是刷课": said not to be so
            if key not in keys:
                keys.append(key)
            count = re.search(r"(\d+)\s*(?:个人|个|人|名|位)", clause[: match.start()] + clause[match.end() :])
            if count and re.search(r"(其中|有|里|其余|另外)", clause):
                people[key] = people.get(key, 0) + int(count.group(1))
    limit = load_parameters("training_subsidy").value("dissatisfaction_limit", dt.date.today())
    rate = re.search(r"差评(?:率)?\s*(?:正好|刚好|达到|超过|是|为|有|了)?\s*(\d+(?:\.\d+)?)\s*%", text)
    if rate and Decimal(rate.group(1)) >= Decimal(str(limit)) * 100:
        keys.append("dissatisfaction")
    return tuple(keys), people


# ---- fees ---------------------------------------------------------------------------------------------------------

SUBJECT_WORDS = (
    ("理论知识", ("理论",)),
    ("技能考核", ("技能", "操作", "实操")),
    ("综合评审", ("综合评审", "综合", "文件筐", "评审")),
)


WITH_FIRST_SITTING = (
    r"(前后|一共花|总共花|花了多少|加上第一次|连同|第一次.{0,6}(?:报|交)|报名交了|全报了|交了全款|加起来花)"
)
ALL_FAILED = r"(全都没过|都没过|全没过|全部没过|全挂|都挂了|全部挂|\d\s*科(?:全|都)|一科都没过|全都没通过|都没通过)"


def read_fee_question(text: str) -> Tuple[Tuple[int, ...], Tuple[str, ...], bool, bool]:
    """(levels named, subjects named, is a retake, asks for a difference)."""
    levels: List[int] = []
    for _, _, level, _ in level_mentions(text):
        if level is not None and 1 <= level <= 5 and level not in levels:
            levels.append(level)
    failed = [
        clause
        for clause in re.split(SEPARATORS, text)
        if re.search(r"(没过|没通过|挂|不及格|未通过|没考过|补考)", clause)
    ]
    scope = " ".join(failed) if failed and re.search(r"(补考|没过|没通过|挂|不及格)", text) else text
    if not any(w in scope for _, words in SUBJECT_WORDS for w in words):
        scope = text
    subjects = tuple(s for s, words in SUBJECT_WORDS if any(w in scope for w in words))
    retake = bool(re.search(r"(补考|重考|没过|没通过|挂了|不及格|未通过|只补)", text))
    climb = re.search(
        r"(\d)\s*级.{0,8}?(?:一路|逐级|依次|一级一级).{0,4}?(?:考|升)?到\s*(\d)\s*级|"
        r"从\s*(\d)\s*级.{0,4}?考到\s*(\d)\s*级",
        text,
    )
    if climb:
        low, high = (int(g) for g in (climb.group(1, 2) if climb.group(1) else climb.group(3, 4)))
        step = -1 if high < low else 1
        levels = [level for level in range(low, high + step, step) if 1 <= level <= 5]  # every level on the way
    difference = bool(
        HOW_MUCH_MORE.search(text)
        or re.search(
            r"(一样(?:的)?(?:吗|么|嘛|不|呢)|一不一样|相同(?:的)?(?:吗|么|不)|是不是一样|是否一样|是否相同|有区别|区别|一个价)",
            text,
        )
    )
    return tuple(levels), subjects, retake, difference


HOW_MUCH_MORE = re.compile(r"(贵多少|便宜多少|差多少|相差|差价|多多少|少多少|贵了多少|多出|比.{1,6}(贵|便宜|多|少))")


def asks_amount_then_sameness(text: str) -> bool:
    """ "X收多少钱，跟Y一样吗": asks an amount and whether another is the same, not by how much they differ."""
    return bool(re.search(r"(多少钱|收多少|要多少|交多少|是多少|几多钱|什么价)", text)) and not HOW_MUCH_MORE.search(
        text
    )


def read_passed_subjects(text: str) -> Tuple[str, ...]:
    """Subjects the person says they passed ("我只过了理论", "技能考核过了"), none that they failed."""
    passed: List[str] = []
    # "理论过了技能没过": each subject with what follows it, up to the next subject.
    starts = sorted({m.start() for _, words in SUBJECT_WORDS for w in words for m in re.finditer(re.escape(w), text)})
    pieces = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])] if len(starts) > 1 else []
    for clause in re.split(SEPARATORS, text) + [re.split(SEPARATORS, piece)[0] for piece in pieces]:
        if not re.search(r"((?<![错超经越跳])过了|通过了|及格了|合格了|已通过|过啦)", clause) or re.search(
            r"(没|未|不|吗|\?|？)", clause
        ):
            continue
        passed += [s for s, words in SUBJECT_WORDS if any(w in clause for w in words) and s not in passed]
    return tuple(passed)


_PEOPLE = r"(?<![\d.])(\d+)\s*(?:个人|人|名|位|个同事)"


def read_fee_items(text: str) -> Tuple[Tuple[int, Optional[str], int], ...]:
    """ "4人报四级，2人报二级", "我三级技能没过，同事二级技能没过", "四级理论3个人要补考，技能2个人要补考":
    one item per part with its own level, subject or number of people; () when the question has one part."""
    items: List[Tuple[int, Optional[str], int]] = []
    level: Optional[int] = None
    passed = read_passed_subjects(text)
    for clause in re.split(r"[，,；;。\s]|(?<!个|位|名)(?=同事)|(?=另外|还有)", text):
        levels = [lv for _, _, lv, _ in level_mentions(clause) if lv and 1 <= lv <= 5]
        if re.search(r"((?<![没不未])过了|通过了|及格了|合格了)", clause) and not re.search(
            r"(没|不|未)(过|通过|及格|合格)", clause
        ):
            continue  # "技能过了": a passed subject is not retaken
        subjects = [name for name, words in SUBJECT_WORDS if any(w in clause for w in words) and name not in passed]
        people = re.search(_PEOPLE, clause)
        count = (
            int(people.group(1))
            if people
            else 2
            if re.search(r"(我们俩|我俩|两个人|咱俩)", clause) and not items
            else 1
        )
        if levels:
            level = levels[0]
        if level is None or not (levels or subjects or people):
            continue
        for subject in subjects or (None,):
            items.append((level, subject, count))
    with_subject = {lv for lv, subj, _ in items if subj}
    items = [item for item in items if item[1] or item[0] not in with_subject or item[2] > 1]
    parts = {(lv, subj) for lv, subj, _ in items}
    if len(items) < 2 or len(parts) < 2 and not any(n > 1 for _, _, n in items):
        return ()
    return tuple(items)


# "做销售的", "一直在做人事": work someone does ("是" would take "是学会计的", a major, as work).
_DOING = r"(?<![不没别])(?:做|干|当|从事|搞|在做|一直做|一直在做|一直干)\s*(?:的)?\s*"
# "我不是做销售的", "没做过销售", "前台算不算": no work of theirs, or a question about one.
_NOT_DOING = re.compile(
    r"(不是|并非|没|没有|不|别|非)\s*(?:在)?(?:做|干|当|从事|搞)|(算不算|算吗|算不|可以吗|行吗|能算|属于|是不是)"
)


def read_work_kind(text: str) -> Tuple[Optional[str], Optional[str]]:
    """("related" or "other", the other work's word) for work named in a doing phrase, without its years."""
    segments = [
        segment
        for segment in re.split(SEPARATORS, text.lower())
        if not _only_wished(segment) and not _NOT_DOING.search(segment)
    ]
    lowered = " ".join(segments)
    if any(re.search(_DOING + r"[^，,。；;\d]{0,4}" + re.escape(word), lowered) for word in related_work()):
        return "related", None
    for word in OTHER_WORK:
        if re.search(_DOING + r"[^，,。；;\d]{0,2}" + re.escape(word), lowered) or re.fullmatch(
            r"\s*" + re.escape(word) + r"(?:的|吧|啊|呢)?\s*", lowered
        ):
            return "other", word
    return None, None


def read_facts(text: str, expecting: Optional[str] = None, today: Optional[dt.date] = None) -> StatedFacts:
    """Every fact stated in `text`. `expecting` names the fact just asked for, for a bare '5年' or '是'.
    When the text describes two people, only the facts of the one it asks about count."""
    whole = to_digits(text)
    text = own_part(whole)
    facts = StatedFacts()
    unlikely = re.search(UNLIKELY_NUMBER, text)
    if unlikely:
        facts.unlikely_number = unlikely.group(0)
        text = text[: unlikely.start()] + " " + text[unlikely.end() :]
    (
        facts.certificate_level,
        facts.no_certificate,
        facts.asked_level,
        facts.other_certificate,
        facts.unknown_certificate,
        facts.certificate_explicit,
    ) = read_certificate_mentions(text)
    facts.certificate_explicit = facts.certificate_explicit or expecting == "certificate_level"
    facts.certificate_related = certificate_of_related_occupation(text, facts.certificate_level)
    facts.work_years, facts.years_since_certificate, facts.other_work = read_years(
        text, today, certificate_asked=expecting == "years_since_certificate"
    )
    if facts.certificate_level is None and facts.other_certificate and facts.years_since_certificate:
        # The years since another occupation's certificate (电工证) are still years in this occupation's work.
        facts.work_years = facts.work_years or facts.years_since_certificate
        facts.years_since_certificate = None
    if expecting == "years_since_certificate" and facts.years_since_certificate is None and facts.work_years:
        facts.years_since_certificate, facts.work_years = facts.work_years, None
    facts.work_kind, facts.other_work_named = read_work_kind(text)
    if (
        expecting == "work_years"
        and facts.work_years is None
        and facts.work_kind == "other"
        and not _related_anywhere(text)
    ):
        facts.work_years = YearsMention(0.0)  # "做销售的" when asked for the years in this or a related occupation
    if (
        expecting in ("work_years", "years_since_certificate")
        and facts.work_years is None
        and facts.years_since_certificate is None
    ):
        bare = re.fullmatch(r"\s*(?:是|大概|大约|有)?\s*" + NUMBER + r"\s*", text)
        if bare:
            setattr(facts, expecting, YearsMention(float(bare.group(1))))
    facts.education = read_education(text)
    if not facts.education and expecting == "education" and re.search(NONE_OF_THE_ABOVE_WORDS, text):
        facts.education = frozenset({NONE_OF_THE_ABOVE})
    facts.major_related = read_major(text)
    facts.is_student, facts.graduating_this_year = read_student(text)
    if expecting == "major_related" and facts.major_related is None:
        facts.major_related = parse_yes_no(text)
    if expecting == "major_related" and facts.major_related is None:
        facts.major_related = read_major(f"专业：{text}")  # a bare "劳动与社会保障" or "计算机"
    if expecting == "graduating_this_year" and facts.graduating_this_year is None:
        facts.graduating_this_year = parse_yes_no(text)
    if expecting == "is_student" and facts.is_student is None:
        facts.is_student = parse_yes_no(text)
    (facts.class_hours, facts.untyped_hours, facts.invalid_hours, facts.converted_from_clock_hours) = read_class_hours(
        text
    )
    if facts.invalid_hours:
        facts.invalid_reasons = excluded_reasons(text)
        some = re.search(INVALID_PEOPLE, text)
        facts.invalid_people = int(some.group(1)) if some else None
        facts.invalid_groups = read_invalid_groups(text)
    facts.employees = read_employees(text)
    if facts.invalid_people is not None:
        # "其中3个人有一门没参加考试": those three are not the headcount; a figure outside that clause is.
        spans = [m.span() for pattern in (INVALID_PEOPLE, FURTHER_INVALID_PEOPLE) for m in re.finditer(pattern, text)]
        others = [count for at, count in _people_counts(text) if not any(start <= at < end for start, end in spans)]
        facts.employees = others[0] if others else None
    facts.disqualifications, facts.disqualified_people = read_disqualifications(text)
    if facts.employees is not None and facts.employees in facts.disqualified_people.values():
        # "其中有两个人社保在天津交的": those two are the excluded, not the size of the class.
        others = [
            count
            for _, count in _people_counts(text, colleagues=False)
            if count not in facts.disqualified_people.values()
        ]
        facts.employees = others[0] if others else None
    facts.hours_done = bool(re.search(DONE_WORDS, text))
    passed = re.search(ALL_PASSED, text)
    facts.all_passed = passed is not None and not re.search(NOT_EXAMINED_AFTER, text[passed.end() :])
    facts.asks_most = bool(re.search(ASKS_MOST, text)) and not facts.has_hours
    facts.asks_highest_level = bool(re.search(ASKS_HIGHEST_LEVEL, text))
    facts.named_types = tuple(kind for kind, words in TRAINING_TYPE_WORDS if any(w in text for w in words))
    facts.fee_levels, facts.fee_subjects, facts.retake, facts.difference = read_fee_question(text)
    facts.fee_amount_first = facts.difference and asks_amount_then_sameness(text)
    if not facts.fee_levels and text != whole:
        # "我同事考二级三门全挂了；我只有综合评审没过": both sat the level named for the colleague.
        facts.fee_levels = read_fee_question(whole)[0]
    facts.fee_subject = facts.fee_subjects[0] if facts.fee_subjects else None
    facts.fee_passed = read_passed_subjects(text)
    facts.fee_all_failed = facts.retake and not facts.fee_subjects and bool(re.search(ALL_FAILED, text))
    facts.fee_with_first_sitting = facts.retake and bool(re.search(WITH_FIRST_SITTING, text))
    if facts.fee_passed and facts.retake:
        facts.fee_subjects = tuple(s for s in facts.fee_subjects if s not in facts.fee_passed)
        facts.fee_subject = facts.fee_subjects[0] if len(facts.fee_subjects) == 1 else None
    facts.fee_items = read_fee_items(text) if facts.fee_levels else ()
    return facts
