"""Read a calendar date from a Chinese message: 2026-12-05, 2026年12月5日, 12月5号, 12.5, 昨天, 上周五."""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

import cn2an

WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
RELATIVE_DAYS = {"大前天": -3, "前天": -2, "昨天": -1, "今天": 0, "明天": 1, "后天": 2}

FULL_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
MONTH_DAY = re.compile(r"(?<![\d.])(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|[-/.]\s*(\d{1,2})(?![\d.]))")
PAST_TENSE = re.compile(r"考的|考完|考过|考了|已经|那天考")
WEEKDAY = re.compile(r"(上上|上|这|本|下)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天末])")


def _numerals_to_digits(text: str) -> str:
    try:
        return cn2an.transform(text, "cn2an")
    except (ValueError, KeyError, IndexError):
        return text


def _closest_year(month: int, day: int, today: dt.date, past: bool) -> Optional[dt.date]:
    """A date written without a year means the nearest such date to today (last, this or next year);
    the most recent one when the person speaks of an exam already taken."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if past:
        candidates = [d for d in candidates if d <= today] or candidates
    return min(candidates, key=lambda d: abs((d - today).days)) if candidates else None


def _weekday_date(prefix: Optional[str], weekday_char: str, today: dt.date) -> dt.date:
    weekday = WEEKDAYS[weekday_char]
    this_week_monday = today - dt.timedelta(days=today.weekday())
    weeks = {"上上": -2, "上": -1, "下": 1, "这": 0, "本": 0}.get(prefix or "")
    if weeks is not None:
        return this_week_monday + dt.timedelta(weeks=weeks, days=weekday)
    # A bare 周五 means the most recent one, today included: people ask after the exam.
    return today - dt.timedelta(days=(today.weekday() - weekday) % 7)


def read_date(text: str, today: dt.date) -> Optional[dt.date]:
    """The first date the text names, or None. Impossible dates (2月30日) are None."""
    original = text or ""
    text = _numerals_to_digits(original)
    match = FULL_DATE.search(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    match = MONTH_DAY.search(text)
    if match:
        month, day = int(match.group(1)), int(match.group(2) or match.group(3))
        return _closest_year(month, day, today, past=bool(PAST_TENSE.search(original)))
    for word, offset in RELATIVE_DAYS.items():
        if word in text:
            return today + dt.timedelta(days=offset)
    match = WEEKDAY.search(original)
    if match:
        return _weekday_date(match.group(1), match.group(2), today)
    return None
