import datetime as dt

import pytest

from bot.calendar import WorkingDayCalendar, load_calendar
from bot.settings import PROJECT_ROOT

D = dt.date.fromisoformat
CALENDAR = WorkingDayCalendar()

# Every expectation below was checked against chinesecalendar 1.11.0 (the State Council notices).
WORKING_DAY_CASES = [
    ("2025年1月26日周日春节调休上班", "2025-01-26", True),
    ("2025年1月27日周一是春节前最后一个工作日", "2025-01-27", True),
    ("2025年1月28日除夕放假", "2025-01-28", False),
    ("2025年2月4日周二是春节假期最后一天", "2025-02-04", False),
    ("2025年2月5日周三是春节后第一个工作日", "2025-02-05", True),
    ("2025年2月8日周六春节调休上班", "2025-02-08", True),
    ("2025年9月27日周六照常休息", "2025-09-27", False),
    ("2025年9月28日周日国庆调休上班", "2025-09-28", True),
    ("2025年10月1日国庆放假", "2025-10-01", False),
    ("2025年10月8日周三是国庆假期最后一天", "2025-10-08", False),
    ("2025年10月9日周四是国庆后第一个工作日", "2025-10-09", True),
    ("2025年10月11日周六国庆调休上班", "2025-10-11", True),
    ("2026年1月3日周六元旦放假", "2026-01-03", False),
    ("2026年1月4日周日元旦调休上班", "2026-01-04", True),
    ("2026年2月13日周五是春节前最后一个工作日", "2026-02-13", True),
    ("2026年2月14日周六春节调休上班", "2026-02-14", True),
    ("2026年2月15日周日春节放假", "2026-02-15", False),
    ("2026年2月23日周一是春节假期最后一天", "2026-02-23", False),
    ("2026年2月24日周二是春节后第一个工作日", "2026-02-24", True),
    ("2026年2月28日周六春节调休上班", "2026-02-28", True),
    ("2026年5月9日周六劳动节调休上班", "2026-05-09", True),
    ("2026年9月19日周六照常休息", "2026-09-19", False),
    ("2026年9月20日周日国庆调休上班", "2026-09-20", True),
    ("2026年9月25日周五中秋放假", "2026-09-25", False),
    ("2026年9月28日周一照常上班", "2026-09-28", True),
    ("2026年10月1日国庆放假", "2026-10-01", False),
    ("2026年10月7日周三是国庆假期最后一天", "2026-10-07", False),
    ("2026年10月8日周四是国庆后第一个工作日", "2026-10-08", True),
    ("2026年10月10日周六国庆调休上班", "2026-10-10", True),
    ("2026年10月11日周日照常休息", "2026-10-11", False),
]


@pytest.mark.parametrize("day, working", [c[1:] for c in WORKING_DAY_CASES], ids=[c[0] for c in WORKING_DAY_CASES])
def test_working_days_follow_the_holiday_notices(day, working):
    assert CALENDAR.is_working_day(D(day)) is working


ADD_CASES = [
    ("2025年国庆前周五考试，数到周日调休日并跳过长假", "2025-09-26", 5, "2025-10-10"),
    ("2025年国庆前周二考试，节后调休的周六也算一个工作日", "2025-09-30", 5, "2025-10-14"),
    ("2025年春节前周五考试，周日调休日算第一个工作日", "2025-01-24", 5, "2025-02-07"),
    ("2025年春节前周一考试，节后调休的周六也算", "2025-01-27", 5, "2025-02-10"),
    ("周六考试当天不是工作日也不算", "2025-01-25", 5, "2025-02-07"),
    ("2026年国庆前周五考试，周日调休日算第一个工作日", "2026-09-18", 5, "2026-09-24"),
    ("2026年中秋当天考试，跳过中秋和国庆两段假期", "2026-09-25", 5, "2026-10-09"),
    ("2026年国庆前周三考试，节后调休的周六也算", "2026-09-30", 5, "2026-10-13"),
    ("2026年春节前周五考试，第二天调休的周六就算一个工作日", "2026-02-13", 5, "2026-02-27"),
    ("2026年春节后周二考试，2月28日调休的周六也算", "2026-02-24", 5, "2026-03-02"),
    ("跨年考试，元旦放假而1月4日周日上班", "2025-12-26", 5, "2026-01-05"),
    ("零个工作日就是当天", "2026-10-01", 0, "2026-10-01"),
    ("周四加一个工作日是周五", "2026-10-08", 1, "2026-10-09"),
    ("周五加一个工作日是调休上班的周六", "2026-10-09", 1, "2026-10-10"),
]


@pytest.mark.parametrize("start, count, expected", [c[1:] for c in ADD_CASES], ids=[c[0] for c in ADD_CASES])
def test_adding_working_days_skips_holidays_and_counts_make_up_days(start, count, expected):
    result = CALENDAR.add_working_days(D(start), count)
    assert result.date == D(expected)
    assert result.approximate is False


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_working_days(D("2026-10-08"), -1)


NEXT_CASES = [
    ("国庆第一天之后的第一个工作日是10月8日", "2026-10-01", "2026-10-08"),
    ("工作日当天就是它自己", "2026-10-08", "2026-10-08"),
    ("调休上班的周六就是它自己", "2026-10-10", "2026-10-10"),
    ("普通周日之后是周一", "2026-10-11", "2026-10-12"),
    ("除夕之后的第一个工作日是2月5日", "2025-01-28", "2025-02-05"),
]


@pytest.mark.parametrize("day, expected", [c[1:] for c in NEXT_CASES], ids=[c[0] for c in NEXT_CASES])
def test_next_working_day_on_or_after(day, expected):
    assert CALENDAR.next_working_day_on_or_after(D(day)) == D(expected)


KNOWN_CASES = [
    ("2026年最后一天有数据", "2026-12-31", True),
    ("2027年第一天没有数据", "2027-01-01", False),
    ("2004年第一天有数据", "2004-01-01", True),
    ("2003年最后一天没有数据", "2003-12-31", False),
]


@pytest.mark.parametrize("day, known", [c[1:] for c in KNOWN_CASES], ids=[c[0] for c in KNOWN_CASES])
def test_which_years_have_holiday_data(day, known):
    assert CALENDAR.is_known(D(day)) is known


def test_a_year_without_data_falls_back_to_monday_to_friday_and_says_so():
    assert CALENDAR.is_working_day(D("2027-01-01")) is True  # a Friday; the real 元旦 is not known yet
    assert CALENDAR.is_working_day(D("2027-01-02")) is False
    result = CALENDAR.add_working_days(D("2026-12-25"), 5)
    assert (result.date, result.approximate) == (D("2027-01-01"), True)


def test_counting_that_stays_inside_a_known_year_is_exact():
    result = CALENDAR.add_working_days(D("2026-12-18"), 5)
    assert (result.date, result.approximate) == (D("2026-12-25"), False)


# Entries in these files are made up for the tests; a real file copies the State Council notice.
def _write(tmp_path, text, name="overrides.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


NEW_YEAR_2027 = """
days:
  - {date: 2027-01-01, working: false, name: 元旦, source: 测试用的假设通知}
"""


def test_an_override_holiday_in_a_new_year_is_skipped_and_the_result_is_exact(tmp_path):
    calendar = load_calendar(_write(tmp_path, NEW_YEAR_2027))
    result = calendar.add_working_days(D("2026-12-25"), 5)
    assert (result.date, result.approximate) == (D("2027-01-04"), False)
    assert calendar.is_known(D("2027-06-01")) is True
    assert calendar.is_known(D("2028-01-03")) is False


def test_an_override_working_saturday_is_counted(tmp_path):
    path = _write(tmp_path, NEW_YEAR_2027 + "  - {date: 2027-01-09, working: true, name: 调休, source: 测试用的假设通知}\n")
    with_override = load_calendar(path).add_working_days(D("2027-01-05"), 5)
    without = CALENDAR.add_working_days(D("2027-01-05"), 5)
    assert (with_override.date, with_override.approximate) == (D("2027-01-11"), False)
    assert (without.date, without.approximate) == (D("2027-01-12"), True)


def test_an_override_corrects_a_year_the_package_knows(tmp_path):
    path = _write(tmp_path, "days:\n  - {date: 2026-09-28, working: false, source: 测试用的假设通知}\n")
    result = load_calendar(path).add_working_days(D("2026-09-25"), 5)
    assert result.date == D("2026-10-10")  # the make-up Saturday becomes the fifth day


def test_a_quoted_date_is_accepted(tmp_path):
    path = _write(tmp_path, 'days:\n  - {date: "2027-01-01", working: false, source: 测试用的假设通知}\n')
    assert load_calendar(path).overrides == {D("2027-01-01"): False}


def test_the_environment_variable_chooses_the_override_file(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_HOLIDAY_OVERRIDES", str(_write(tmp_path, NEW_YEAR_2027)))
    assert load_calendar().is_working_day(D("2027-01-01")) is False


def test_the_packaged_override_file_is_empty(monkeypatch):
    monkeypatch.delenv("BOT_HOLIDAY_OVERRIDES", raising=False)
    assert dict(load_calendar().overrides) == {}
    assert (PROJECT_ROOT / "bot" / "policy" / "holiday_overrides.yml").exists()


GOOD = "  - {date: 2027-01-01, working: false, source: 测试用的假设通知}\n"
BAD_FILES = [
    ("不存在的日期2月30日", "days:\n" + GOOD + "  - {date: 2027-02-30, working: false, source: 通知}\n",
     "entry 2 .*`date` must be a real date"),
    ("日期写成了中文", "days:\n" + GOOD + "  - {date: 2027年2月1日, working: false, source: 通知}\n",
     "entry 2 .*`date`"),
    ("没写日期", "days:\n" + GOOD + "  - {working: false, source: 通知}\n", "entry 2 .*`date`"),
    ("缺少working", "days:\n" + GOOD + "  - {date: 2027-02-01, source: 通知}\n", "entry 2 .*`working`"),
    ("working写成了文字", "days:\n" + GOOD + "  - {date: 2027-02-01, working: 否, source: 通知}\n",
     "entry 2 .*`working`"),
    ("缺少来源", "days:\n" + GOOD + "  - {date: 2027-02-01, working: false}\n", "entry 2 .*`source`"),
    ("字段名拼错", "days:\n" + GOOD + "  - {date: 2027-02-01, working: false, souce: 通知}\n",
     "entry 2 .*unknown keys"),
    ("同一天写了两次", "days:\n" + GOOD + GOOD, "entry 2 repeats the date 2027-01-01"),
    ("条目不是映射", "days:\n" + GOOD + "  - 2027-02-01\n", "entry 2 .*must be a mapping"),
    ("没有days键", "- {date: 2027-01-01, working: false}\n", "top-level `days:`"),
    ("days不是列表", "days: {date: 2027-01-01}\n", "`days` must be a list"),
]


@pytest.mark.parametrize("text, message", [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_a_bad_override_file_is_refused_with_a_clear_message(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError, match=message) as error:
        load_calendar(path)
    assert str(path) in str(error.value)
