"""Working days in mainland China: weekends, statutory holidays and make-up (调休) working days.

chinesecalendar knows the State Council notices for 2004–2026. The override file adds later years
or corrects a day; for a year neither knows, Monday–Friday is assumed and results say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, FrozenSet, Mapping, Optional, Tuple

import chinese_calendar
import yaml

from bot import settings

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
ENTRY_KEYS = {"date", "working", "name", "source"}


class _DatesAsText(yaml.SafeLoader):
    """Leaves dates as text, so an impossible date (2027-02-30) is reported with its entry."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def weekday_name(day: dt.date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def _published_is_workday(day: dt.date) -> Optional[bool]:
    """chinesecalendar's answer, or None for a year it has no data for."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


@dataclass(frozen=True)
class WorkingDayResult:
    date: dt.date
    approximate: bool  # some day counted lies in a year without holiday data


@dataclass(frozen=True)
class WorkingDayCalendar:
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)  # True = working day

    def __post_init__(self) -> None:
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))

    @cached_property
    def _override_years(self) -> FrozenSet[int]:
        return frozenset(day.year for day in self.overrides)

    def is_known(self, day: dt.date) -> bool:
        """Whether holidays are known for `day`'s year. The override file lists a whole year's
        notice, so one entry in a year makes the rest of that year ordinary weekdays and weekends."""
        return day.year in self._override_years or _published_is_workday(day) is not None

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        published = _published_is_workday(day)
        return published if published is not None else day.isoweekday() <= 5

    def next_working_day_on_or_after(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, count: int) -> WorkingDayResult:
        """The `count`-th working day after `start`; `start` itself never counts."""
        if count < 0:
            raise ValueError(f"count must not be negative, got {count}")
        day, approximate = start, False
        while count:
            day += dt.timedelta(days=1)
            approximate = approximate or not self.is_known(day)
            if self.is_working_day(day):
                count -= 1
        return WorkingDayResult(day, approximate)


def load_calendar(path: Optional[Path] = None) -> WorkingDayCalendar:
    """The calendar with overrides from `path`, else $BOT_HOLIDAY_OVERRIDES, else the packaged file."""
    path = Path(path) if path else settings.holiday_overrides_path()
    # Keyed on the modification time so an edited file is read again.
    return WorkingDayCalendar(dict(_read_overrides(path.resolve(), path.stat().st_mtime_ns)))


@lru_cache(maxsize=32)
def _read_overrides(path: Path, mtime_ns: int) -> Tuple[Tuple[dt.date, bool], ...]:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)
    if not isinstance(raw, dict) or "days" not in raw:
        raise ValueError(f"{path}: expected a top-level `days:` list (it may be empty: `days: []`)")
    entries = raw["days"] or []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: `days` must be a list of entries, got {type(entries).__name__}")
    overrides: dict = {}
    for number, entry in enumerate(entries, start=1):
        day, working = _parse_entry(entry, f"{path}: entry {number} ({entry!r})")
        if day in overrides:
            raise ValueError(f"{path}: entry {number} repeats the date {day.isoformat()}")
        overrides[day] = working
    return tuple(overrides.items())


def _parse_entry(entry: Any, where: str) -> Tuple[dt.date, bool]:
    if not isinstance(entry, dict):
        raise ValueError(
            f"{where}: each entry must be a mapping like {{date: 2027-01-01, working: false, name: 元旦, source: ...}}"
        )
    unknown = set(entry) - ENTRY_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(map(str, unknown))}; allowed: {sorted(ENTRY_KEYS)}")
    try:
        day = dt.date.fromisoformat(str(entry.get("date")))
    except ValueError:
        raise ValueError(f"{where}: `date` must be a real date written like 2027-01-01") from None
    if not isinstance(entry.get("working"), bool):
        raise ValueError(f"{where}: `working` must be true (working day) or false (day off)")
    if not isinstance(entry.get("source"), str) or not entry["source"].strip():
        raise ValueError(f"{where}: `source` must name the State Council notice the entry comes from")
    return day, entry["working"]
