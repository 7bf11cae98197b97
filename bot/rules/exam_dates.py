"""When a passed 人力资源市场从业人员 exam reaches the management system (000, 一、⑧). Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from bot.calendar import WorkingDayCalendar, weekday_name
from bot.policy import ParameterSet, load_parameters


@dataclass(frozen=True)
class ResultsDeadline:
    exam_date: dt.date
    deadline: dt.date  # the last working day by which passed candidates are entered
    working_days: int
    approximate: bool  # the count crosses a year without holiday data
    citation: str


def results_entry_deadline(
    exam_date: dt.date,
    calendar: WorkingDayCalendar,
    on: Optional[dt.date] = None,
    parameters: Optional[ParameterSet] = None,
) -> ResultsDeadline:
    """考试结束后5个工作日内录入: the 5th working day after the exam, the exam day not counted.
    `on` picks the rules in force (default: those on the exam date)."""
    params = parameters or load_parameters("hrm_practitioner_exam")
    working_days = params.value("results_entry_working_days", on or exam_date)
    result = calendar.add_working_days(exam_date, working_days)
    return ResultsDeadline(
        exam_date, result.date, working_days, result.approximate, params["results_entry_working_days"].citation
    )


def format_chinese_date(day: dt.date) -> str:
    """2026-10-09 → 2026年10月9日（周五）."""
    return f"{day.year}年{day.month}月{day.day}日（{weekday_name(day)}）"
