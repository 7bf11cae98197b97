"""Mainland China working days, with an override file for years the calendar data lacks."""

from bot.calendar.working_days import (
    WEEKDAY_NAMES,
    WorkingDayCalendar,
    WorkingDayResult,
    load_calendar,
    weekday_name,
)

__all__ = ["WEEKDAY_NAMES", "WorkingDayCalendar", "WorkingDayResult", "load_calendar", "weekday_name"]
