"""Reading the exam date from what people type."""
import datetime as dt

import pytest

from bot.nlu.dates import read_date

TODAY = dt.date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize("text, expected", [
    ("我2026-12-05考试", dt.date(2026, 12, 5)),
    ("2026年12月5日考的", dt.date(2026, 12, 5)),
    ("2026/9/30", dt.date(2026, 9, 30)),
    ("我12月5日考试", dt.date(2026, 12, 5)),
    ("11月20日考的", dt.date(2026, 11, 20)),
    ("十二月五号考试", dt.date(2026, 12, 5)),
    ("12.5考试", dt.date(2026, 12, 5)),
    ("1月3号考试", dt.date(2027, 1, 3)),
    ("3月1日考试", dt.date(2027, 3, 1)),
    ("3月1日考的", dt.date(2026, 3, 1)),
    ("12月20日考完", dt.date(2025, 12, 20)),
    ("昨天考完的", dt.date(2026, 11, 24)),
    ("今天刚考完", dt.date(2026, 11, 25)),
    ("上周五考的", dt.date(2026, 11, 20)),
    ("周一考的", dt.date(2026, 11, 23)),
    ("下周一考", dt.date(2026, 11, 30)),
], ids=["完整日期带横线", "完整中文日期", "斜线日期", "只写月日取最近的年份", "考过的月日取今年已过去的", "中文数字月日", "点号月日",
        "一月的日期离明年更近", "没说考过取最近的三月", "说考过了取已过去的三月", "考完的日期不在将来", "昨天", "今天", "上周五", "不带前缀的周一取最近一次", "下周一"])
def test_dates_people_write(text, expected):
    assert read_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["我考过了", "2月30日", "2026年13月1日", "干了5年", ""],
                         ids=["没有日期", "不存在的日期", "不存在的月份", "年限不是日期", "空消息"])
def test_no_date_is_read_where_there_is_none(text):
    assert read_date(text, TODAY) is None
