import datetime as dt

import pytest

from bot.calendar import WorkingDayCalendar, load_calendar
from bot.policy import load_parameters
from bot.rules.exam_dates import format_chinese_date, results_entry_deadline

D = dt.date.fromisoformat
CALENDAR = WorkingDayCalendar()
CITATION = "《关于北京市人力资源市场从业人员培训考试若干问题的说明（2021年版）》一、⑧"

# Deadlines checked against chinesecalendar 1.11.0; the exam day itself never counts.
DEADLINE_CASES = [
    ("2026年9月18日周五考试，周日调休日算第一个工作日", "2026-09-18", "2026-09-24"),
    ("2026年9月23日周三考试，第五个工作日是国庆后第一天", "2026-09-23", "2026-10-08"),
    ("2026年9月24日周四考试，中秋放假不算，期限延到10月9日", "2026-09-24", "2026-10-09"),
    ("2026年9月25日中秋当天考试，10月9日前录入", "2026-09-25", "2026-10-09"),
    ("2026年9月30日考试，节后调休的周六也算", "2026-09-30", "2026-10-13"),
    ("2026年10月9日周五考试，第二天调休的周六算第一个工作日", "2026-10-09", "2026-10-15"),
    ("2025年9月26日周五考试，跨过国庆", "2025-09-26", "2025-10-10"),
    ("2026年2月13日春节前周五考试", "2026-02-13", "2026-02-27"),
    ("2026年12月18日考试，期限仍在2026年", "2026-12-18", "2026-12-25"),
    ("2026年12月24日考试，期限正好是12月31日", "2026-12-24", "2026-12-31"),
]


@pytest.mark.parametrize("exam, deadline", [c[1:] for c in DEADLINE_CASES], ids=[c[0] for c in DEADLINE_CASES])
def test_results_entry_deadline(exam, deadline):
    result = results_entry_deadline(D(exam), CALENDAR)
    assert result.exam_date == D(exam)
    assert result.deadline == D(deadline)
    assert result.working_days == 5
    assert result.approximate is False
    assert result.citation == CITATION


def test_a_deadline_in_a_year_without_data_is_approximate():
    result = results_entry_deadline(D("2026-12-25"), CALENDAR)
    assert (result.deadline, result.approximate) == (D("2027-01-01"), True)


def test_an_override_makes_the_deadline_in_the_new_year_exact(tmp_path):
    path = tmp_path / "overrides.yml"  # a made-up entry for the test
    path.write_text("days:\n  - {date: 2027-01-01, working: false, source: 测试用的假设通知}\n", encoding="utf-8")
    result = results_entry_deadline(D("2026-12-25"), load_calendar(path))
    assert (result.deadline, result.approximate) == (D("2027-01-04"), False)


DATE_CASES = [
    ("周五", "2026-10-09", "2026年10月9日（周五）"),
    ("周一且月份日期都是一位数", "2027-01-04", "2027年1月4日（周一）"),
    ("周日且月份日期都是两位数", "2026-10-11", "2026年10月11日（周日）"),
]


@pytest.mark.parametrize("day, text", [c[1:] for c in DATE_CASES], ids=[c[0] for c in DATE_CASES])
def test_format_chinese_date(day, text):
    assert format_chinese_date(D(day)) == text


def test_the_exam_parameters_carry_the_document_figures():
    params = load_parameters("hrm_practitioner_exam")
    on = D("2026-01-01")
    assert params.value("pass_mark", on) == 60
    assert params.value("results_entry_working_days", on) == 5
    assert params.value("consultation_windows", on) == [["09:00", "11:00"], ["13:00", "16:00"]]
    assert params.value("consultation_weekdays", on) == [1, 2, 3, 4, 5]
    assert params.value("timezone_offset_hours", on) == 8
    assert params["pass_mark"].citation == CITATION
