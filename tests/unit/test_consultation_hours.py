import datetime as dt

import pytest

from bot.calendar import WorkingDayCalendar, load_calendar
from bot.rules.consultation import (
    beijing_now,
    consultation_status,
    describe_hours,
    describe_opening,
    to_beijing,
)

BEIJING = dt.timezone(dt.timedelta(hours=8))
CALENDAR = WorkingDayCalendar()


def bj(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=BEIJING)


# 2025-11-26 is an ordinary Wednesday. Holidays checked against chinesecalendar 1.11.0.
STATUS_CASES = [
    ("8点59分还没开始，今天9点开", "2025-11-26 08:59", False, None, "2025-11-26 09:00"),
    ("9点整开始接听", "2025-11-26 09:00", True, "2025-11-26 11:00", "2025-11-26 13:00"),
    ("10点59分仍在上午时段", "2025-11-26 10:59", True, "2025-11-26 11:00", "2025-11-26 13:00"),
    ("11点整上午时段结束，今天13点开", "2025-11-26 11:00", False, None, "2025-11-26 13:00"),
    ("12点59分午休，今天13点开", "2025-11-26 12:59", False, None, "2025-11-26 13:00"),
    ("13点整下午开始接听", "2025-11-26 13:00", True, "2025-11-26 16:00", "2025-11-27 09:00"),
    ("15点59分仍在下午时段", "2025-11-26 15:59", True, "2025-11-26 16:00", "2025-11-27 09:00"),
    ("16点整下班，明天9点开", "2025-11-26 16:00", False, None, "2025-11-27 09:00"),
    ("周五16点整下班，下周一9点开", "2025-11-28 16:00", False, None, "2025-12-01 09:00"),
    ("周六不接听，下周一9点开", "2025-11-29 10:00", False, None, "2025-12-01 09:00"),
    ("周日不接听，周一9点开", "2025-11-30 10:00", False, None, "2025-12-01 09:00"),
    ("清明周末后的周一还放假，周二9点开", "2026-04-04 10:00", False, None, "2026-04-07 09:00"),
    ("劳动节周六后周一周二仍放假，周三9点开", "2026-05-02 10:00", False, None, "2026-05-06 09:00"),
    ("劳动节调休上班的周六不接听，周一9点开", "2026-05-09 10:00", False, None, "2026-05-11 09:00"),
    ("国庆节当天上午放假，10月8日9点开", "2026-10-01 10:00", False, None, "2026-10-08 09:00"),
    ("国庆假期最后一天晚上，10月8日9点开", "2026-10-07 20:00", False, None, "2026-10-08 09:00"),
    ("国庆后第一天上午照常接听", "2026-10-08 09:30", True, "2026-10-08 11:00", "2026-10-08 13:00"),
    ("国庆后周五16点，跳过调休上班的周六，周一9点开", "2026-10-09 16:00", False, None, "2026-10-12 09:00"),
    ("国庆调休上班的周六上午不接听，周一9点开", "2026-10-10 10:00", False, None, "2026-10-12 09:00"),
    ("2025年国庆前最后一个工作日16点，10月9日9点开", "2025-09-30 16:00", False, None, "2025-10-09 09:00"),
    ("2025年国庆调休上班的周日不接听，周一9点开", "2025-09-28 10:00", False, None, "2025-09-29 09:00"),
    ("春节前最后一个工作日下午照常接听，下次是节后2月24日", "2026-02-13 15:00", True, "2026-02-13 16:00",
     "2026-02-24 09:00"),
    ("春节调休上班的周六不接听，节后2月24日9点开", "2026-02-14 10:00", False, None, "2026-02-24 09:00"),
]


@pytest.mark.parametrize("now, is_open, closes_at, next_opening", [c[1:] for c in STATUS_CASES],
                         ids=[c[0] for c in STATUS_CASES])
def test_consultation_status(now, is_open, closes_at, next_opening):
    status = consultation_status(bj(now), CALENDAR)
    assert status.is_open is is_open
    assert status.closes_at == (bj(closes_at) if closes_at else None)
    assert status.next_opening == bj(next_opening)
    assert status.approximate is False


def test_a_naive_time_is_taken_as_beijing_time():
    status = consultation_status(dt.datetime(2025, 11, 26, 9, 0), CALENDAR)
    assert status.is_open is True
    assert status.now == bj("2025-11-26 09:00")


UTC_CASES = [
    ("UTC凌晨1点30分是北京9点30分，正在接听", "2026-11-25 01:30", True, "2026-11-25 09:30", "2026-11-25 13:00"),
    ("UTC前一天23点30分是北京7点30分，今天9点开", "2026-11-24 23:30", False, "2026-11-25 07:30", "2026-11-25 09:00"),
    ("UTC8点整是北京16点整，已经下班", "2026-11-25 08:00", False, "2026-11-25 16:00", "2026-11-26 09:00"),
]


@pytest.mark.parametrize("utc, is_open, beijing, next_opening", [c[1:] for c in UTC_CASES],
                         ids=[c[0] for c in UTC_CASES])
def test_an_aware_time_is_converted_to_beijing_time(utc, is_open, beijing, next_opening):
    status = consultation_status(dt.datetime.fromisoformat(utc).replace(tzinfo=dt.timezone.utc), CALENDAR)
    assert status.is_open is is_open
    assert status.now == bj(beijing)
    assert status.now.utcoffset() == dt.timedelta(hours=8)
    assert status.next_opening == bj(next_opening)


def test_beijing_now_is_aware_and_eight_hours_ahead_of_utc():
    now = beijing_now()
    assert now.utcoffset() == dt.timedelta(hours=8)
    assert abs(now - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=1)


def test_to_beijing_keeps_the_instant():
    moment = dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert to_beijing(moment) == moment
    assert to_beijing(moment).hour == 13


APPROXIMATE_CASES = [
    ("2026年最后一个工作日上午，下一时段还在2026年", "2026-12-31 10:00", "2026-12-31 13:00", False),
    ("2026年最后一个工作日下班后，下一次在没有数据的2027年", "2026-12-31 16:00", "2027-01-01 09:00", True),
]


@pytest.mark.parametrize("now, next_opening, approximate", [c[1:] for c in APPROXIMATE_CASES],
                         ids=[c[0] for c in APPROXIMATE_CASES])
def test_an_opening_in_a_year_without_data_is_marked_approximate(now, next_opening, approximate):
    status = consultation_status(bj(now), CALENDAR)
    assert (status.next_opening, status.approximate) == (bj(next_opening), approximate)


def test_an_override_for_the_new_year_makes_the_opening_exact(tmp_path):
    path = tmp_path / "overrides.yml"  # a made-up entry for the test
    path.write_text("days:\n  - {date: 2027-01-01, working: false, source: 测试用的假设通知}\n", encoding="utf-8")
    status = consultation_status(bj("2026-12-31 16:00"), load_calendar(path))
    assert (status.next_opening, status.approximate) == (bj("2027-01-04 09:00"), False)


def test_the_status_carries_the_phones_and_the_source():
    status = consultation_status(bj("2025-11-26 10:00"), CALENDAR)
    assert status.phones == ({"number": "010-64400680", "contact": "苑老师"},
                             {"number": "010-69554485", "contact": "王老师"})
    assert status.citation == "《关于北京市人力资源市场从业人员培训考试若干问题的说明（2021年版）》三、其他问题"


OPENING_CASES = [
    ("同一天下午", "2025-11-26 13:00", "2025-11-26 11:00", "今天 13:00"),
    ("第二天上午", "2025-11-27 09:00", "2025-11-26 16:00", "明天（周四）9:00"),
    ("快到午夜时说的第二天", "2025-11-27 09:00", "2025-11-26 23:59", "明天（周四）9:00"),
    ("调休周六说的后天周一", "2026-10-12 09:00", "2026-10-10 10:00", "后天（周一）9:00"),
    ("周五说的下周一已是三天后", "2025-12-01 09:00", "2025-11-28 16:00", "12月1日（周一）9:00"),
    ("国庆第一天说的10月8日", "2026-10-08 09:00", "2026-10-01 10:00", "10月8日（周四）9:00"),
    ("跨年时写出年份", "2027-01-04 09:00", "2026-12-31 16:00", "2027年1月4日（周一）9:00"),
]


@pytest.mark.parametrize("when, now, text", [c[1:] for c in OPENING_CASES], ids=[c[0] for c in OPENING_CASES])
def test_describe_opening(when, now, text):
    assert describe_opening(bj(when), bj(now)) == text


def test_describe_opening_compares_dates_in_beijing_time():
    # 17:00 UTC on the 26th is already 01:00 on the 27th in Beijing.
    now = dt.datetime(2025, 11, 26, 17, 0, tzinfo=dt.timezone.utc)
    assert describe_opening(bj("2025-11-27 09:00"), now) == "今天 9:00"


def test_describe_hours():
    assert describe_hours(on=dt.date(2026, 1, 1)) == "周一至周五（法定节假日除外）9:00-11:00、13:00-16:00"
