"""Telephone consultation hours for the 人力资源市场从业人员 exam (000, 三、其他问题). Pure.

Open when the day is a working day, falls Monday–Friday (the document says 周一至周五, so a
make-up working Saturday stays closed), and the Beijing time is inside a window [start, end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from bot.calendar import WorkingDayCalendar, weekday_name
from bot.policy import ParameterSet, load_parameters
from bot.policy.placeholders import render

PARAMETERS = "hrm_practitioner_exam"
MAX_DAYS_AHEAD = 366  # no closure in China comes near this; it only stops a runaway override file


@dataclass(frozen=True)
class ConsultationStatus:
    is_open: bool
    now: dt.datetime  # Beijing time
    closes_at: Optional[dt.datetime]  # end of the current window when open
    next_opening: dt.datetime  # the next window start after `now`
    approximate: bool  # a day from today to next_opening lies in a year without holiday data
    phones: Tuple[Dict[str, str], ...]  # {number, contact}, as in the parameters
    citation: str


@lru_cache(maxsize=None)
def beijing_timezone() -> dt.timezone:
    # A fixed offset: China has no daylight saving time, and this avoids depending on tzdata.
    hours = load_parameters(PARAMETERS).value("timezone_offset_hours", dt.date.max)
    return dt.timezone(dt.timedelta(hours=hours), "北京时间")


def beijing_now() -> dt.datetime:
    return dt.datetime.now(beijing_timezone())


def to_beijing(moment: dt.datetime) -> dt.datetime:
    """Aware datetimes are converted; naive ones are taken to be Beijing time already."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=beijing_timezone())
    return moment.astimezone(beijing_timezone())


def format_beijing(moment: Optional[dt.datetime]) -> Optional[str]:
    """ "2026-11-25 09:30" in Beijing time, for staff lists; None stays None."""
    return to_beijing(moment).strftime("%Y-%m-%d %H:%M") if moment else None


def _windows(params: ParameterSet, day: dt.date) -> List[Tuple[dt.time, dt.time]]:
    return sorted(
        (dt.time.fromisoformat(start), dt.time.fromisoformat(end))
        for start, end in params.value("consultation_windows", day)
    )


def _consulting_day(day: dt.date, calendar: WorkingDayCalendar, params: ParameterSet) -> bool:
    return day.isoweekday() in params.value("consultation_weekdays", day) and calendar.is_working_day(day)


def _next_opening(now: dt.datetime, calendar: WorkingDayCalendar, params: ParameterSet) -> Tuple[dt.datetime, bool]:
    approximate = False
    for offset in range(MAX_DAYS_AHEAD):
        day = now.date() + dt.timedelta(days=offset)
        approximate = approximate or not calendar.is_known(day)
        if not _consulting_day(day, calendar, params):
            continue
        for start, _ in _windows(params, day):
            opening = dt.datetime.combine(day, start, tzinfo=now.tzinfo)
            if opening > now:
                return opening, approximate
    raise ValueError(f"no consultation day within {MAX_DAYS_AHEAD} days after {now.date().isoformat()}")


def consultation_status(
    now: dt.datetime, calendar: WorkingDayCalendar, parameters: Optional[ParameterSet] = None
) -> ConsultationStatus:
    params = parameters or load_parameters(PARAMETERS)
    now = to_beijing(now)
    today = now.date()
    current = None
    if _consulting_day(today, calendar, params):
        current = next(((start, end) for start, end in _windows(params, today) if start <= now.time() < end), None)
    closes_at = dt.datetime.combine(today, current[1], tzinfo=now.tzinfo) if current else None
    next_opening, approximate = _next_opening(now, calendar, params)
    phones = tuple(
        {"number": str(p["number"]), "contact": str(p["contact"])} for p in params.value("consultation_phones", today)
    )
    return ConsultationStatus(
        current is not None, now, closes_at, next_opening, approximate, phones, params["consultation_windows"].citation
    )


def _clock(time: dt.time) -> str:
    return f"{time.hour}:{time.minute:02d}"


def describe_opening(when: dt.datetime, now: dt.datetime) -> str:
    """今天 13:00 / 明天（周四）9:00 / 后天（周五）9:00 / 12月1日（周一）9:00."""
    when, now = to_beijing(when), to_beijing(now)
    days = (when.date() - now.date()).days
    clock = _clock(when.time())
    if days == 0:
        return f"今天 {clock}"
    if days in (1, 2):
        return f"{'明天' if days == 1 else '后天'}（{weekday_name(when)}）{clock}"
    year = f"{when.year}年" if when.year != now.year else ""
    return f"{year}{when.month}月{when.day}日（{weekday_name(when)}）{clock}"


def describe_hours(parameters: Optional[ParameterSet] = None, on: Optional[dt.date] = None) -> str:
    """周一至周五（法定节假日除外）9:00-11:00、13:00-16:00."""
    params = parameters or load_parameters(PARAMETERS)
    on = on or beijing_now().date()
    days = render(params.value("consultation_weekdays", on), "iso_weekday")
    return f"{days}（法定节假日除外）{render(params.value('consultation_windows', on), 'time_of_day')}"
