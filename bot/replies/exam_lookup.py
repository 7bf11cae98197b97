"""The exam-date look-up by ID number, shared by the chat and the staff console: the number checked,
the registration found, and the reply with the number masked (the number itself is never kept)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Dict, Optional

from sqlalchemy.orm import Session

from bot import privacy
from bot.calendar import load_calendar
from bot.db.repositories import RegistrationRepository
from bot.replies.services import exam_found_reply, exam_not_found_reply
from bot.rules.exam_dates import results_entry_deadline

FOUND = "found"
NOT_FOUND = "not_found"
INVALID = "invalid"


@dataclass(frozen=True)
class ExamLookup:
    outcome: str  # found, not_found or invalid
    text: str  # the reply, or why the number cannot be an ID number
    exam_date: Optional[dt.date] = None


def _exam_facts(exam_session) -> Dict[str, Any]:
    return {
        "title": exam_session.title,
        "exam_date": exam_session.exam_date,
        "exam_time": exam_session.exam_time,
        "place": exam_session.place,
        "notes": exam_session.notes,
    }


def look_up_exam(session: Session, number: str, today: dt.date) -> ExamLookup:
    number = privacy.normalize_id_number(number or "")
    problem = privacy.id_number_problem(number, today)
    if problem:
        return ExamLookup(INVALID, f"{problem}请核对后重新输入。")
    masked = privacy.mask_id_number(number)
    registration = RegistrationRepository(session).find_by_id_number(number)
    if registration is None:
        return ExamLookup(NOT_FOUND, exam_not_found_reply(masked))
    found = _exam_facts(registration.exam_session)
    deadline = results_entry_deadline(found["exam_date"], load_calendar())
    return ExamLookup(FOUND, exam_found_reply(masked, **found, deadline=deadline), found["exam_date"])
