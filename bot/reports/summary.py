"""The figures of the report page, from turns, unanswered groups and callback requests (pure)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from bot.calendar import WorkingDayCalendar
from bot.inbox.grouping import Group
from bot.reports.repository import ANSWERED, REFUSED, UNSURE, Turn
from bot.rules.consultation import to_beijing

OUTCOMES = (ANSWERED, UNSURE, REFUSED)
OUTCOME_NAMES = {ANSWERED: "已回答", UNSURE: "没有把握", REFUSED: "无法回答"}


@dataclass(frozen=True)
class CallbackFigures:
    waiting: int
    closed: int
    closed_in_time: int  # by the end of the next working day after the request (Beijing time)


@dataclass(frozen=True)
class Summary:
    days: Tuple[dt.date, ...]
    channels: Tuple[str, ...]
    per_day: Dict[dt.date, Dict[str, int]]  # day → channel → messages
    outcomes: Dict[str, int]
    top_questions: List[Tuple[str, int]]  # FAQ key, times answered
    top_unanswered: List[Group]
    callbacks: CallbackFigures

    @property
    def messages(self) -> int:
        return sum(self.outcomes.values())

    def total(self, channel: str) -> int:
        return sum(counts.get(channel, 0) for counts in self.per_day.values())

    def share(self, outcome: str) -> float:
        return self.outcomes.get(outcome, 0) / max(self.messages, 1)


def _in_time(created: dt.datetime, closed: dt.datetime, calendar: WorkingDayCalendar) -> bool:
    """Called back by the end of the next working day after the request, Beijing time."""
    deadline = calendar.add_working_days(to_beijing(created).date(), 1).date
    return to_beijing(closed).date() <= deadline


def callback_figures(requests: Iterable, calendar: WorkingDayCalendar) -> CallbackFigures:
    waiting = closed = in_time = 0
    for request in requests:
        if request.closed_at is None:
            waiting += 1
        else:
            closed += 1
            in_time += _in_time(request.created_at, request.closed_at, calendar)
    return CallbackFigures(waiting, closed, in_time)


def summarise(
    turns: Sequence[Turn],
    first_day: dt.date,
    last_day: dt.date,
    groups: Sequence[Group],
    callbacks: CallbackFigures,
    top: int = 10,
) -> Summary:
    days = tuple(first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1))
    per_day: Dict[dt.date, Dict[str, int]] = {day: {} for day in days}
    outcomes: Counter = Counter()
    answered: Counter = Counter()
    for turn in turns:
        day = to_beijing(turn.at).date()
        if day not in per_day:
            continue
        per_day[day][turn.channel] = per_day[day].get(turn.channel, 0) + 1
        outcomes[turn.outcome] += 1
        if turn.faq_key:
            answered[turn.faq_key] += 1
    channels = tuple(sorted({channel for counts in per_day.values() for channel in counts}))
    ranked = sorted(groups, key=lambda g: (-g.count, -g.last_asked.timestamp()))
    return Summary(days, channels, per_day, dict(outcomes), answered.most_common(top), ranked[:top], callbacks)


def csv_rows(summary: Summary, question_of: Optional[Dict[str, str]] = None) -> List[List[str]]:
    """The per-day table, then the outcomes and the top questions, for a spreadsheet."""
    rows = [["日期", *summary.channels, "合计"]]
    for day in summary.days:
        counts = summary.per_day[day]
        rows.append([day.isoformat(), *(str(counts.get(c, 0)) for c in summary.channels), str(sum(counts.values()))])
    rows += [[], ["结果", "条数", "占比"]]
    rows += [[OUTCOME_NAMES[o], str(summary.outcomes.get(o, 0)), f"{summary.share(o):.1%}"] for o in OUTCOMES]
    rows += [[], ["常见问题", "回答次数"]]
    rows += [[(question_of or {}).get(key, key), str(count)] for key, count in summary.top_questions]
    rows += [[], ["未答问题", "次数"]] + [[g.text, str(g.count)] for g in summary.top_unanswered]
    return rows
